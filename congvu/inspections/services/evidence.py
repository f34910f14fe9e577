"""Evidence files on an inspection or one of its parts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core.audit import audit_record, snapshot
from congvu.core.text import nfc
from congvu.inspections import policy
from congvu.inspections.files import check_upload
from congvu.inspections.locking import lock_row
from congvu.inspections.models import (
    ChecklistItem,
    DocumentRequest,
    Evidence,
    Finding,
    FindingExplanation,
    Inspection,
    RemediationReport,
    ResponseStatus,
)
from congvu.inspections.services._common import (
    _check,
    _read_only,
    _response_inspection,
)
from congvu.inspections.workflow import InspectionStatus


@transaction.atomic
def evidence_upload(
    *,
    actor: User,
    inspection: Inspection,
    uploaded_file,
    kind: str = "evidence",
    description: str = "",
    checklist_item: ChecklistItem | None = None,
    document_request: DocumentRequest | None = None,
    finding: Finding | None = None,
    explanation: FindingExplanation | None = None,
    remediation_report: RemediationReport | None = None,
) -> Evidence:
    """Store an evidence file (checked: size, extension and magic bytes; SHA-256 recorded) on the
    inspection or one of its parts. The team files on the inspection, its checklist items and
    findings; the unit files on its own answers while they are still drafts."""
    _read_only(actor)
    inspection = lock_row(Inspection, inspection.pk)
    _check(
        inspection.status != InspectionStatus.CLOSED, _("Cuộc kiểm tra đã kết thúc, không nộp thêm tệp được.")
    )
    parents = [p for p in (checklist_item, document_request, finding, explanation, remediation_report) if p]
    _check(len(parents) <= 1, _("Một tệp chỉ gắn với một nội dung."))
    response = document_request or explanation or remediation_report
    if response is not None:
        _check(
            _response_inspection(response).pk == inspection.pk, _("Nội dung không thuộc cuộc kiểm tra này.")
        )
        policy.require(actor, inspection, "unit")
        _check(
            response.response_status == ResponseStatus.DRAFT,
            _("Nội dung trả lời đã trình hoặc đã duyệt: muốn bổ sung tệp, thủ trưởng phải trả lại để sửa."),
        )
    else:
        policy.require(actor, inspection, "team")
        if checklist_item is not None:
            _check(
                checklist_item.checklist.inspection_id == inspection.pk,
                _("Mục kiểm tra không thuộc cuộc kiểm tra này."),
            )
        if finding is not None:
            _check(finding.inspection_id == inspection.pk, _("Phát hiện không thuộc cuộc kiểm tra này."))
    checked = check_upload(uploaded_file)
    evidence = Evidence(
        inspection=inspection,
        kind=kind,
        original_name=nfc(uploaded_file.name)[:255],
        size=checked.size,
        sha256=checked.sha256,
        content_type=checked.content_type,
        description=nfc(description).strip()[:300],
        checklist_item=checklist_item,
        document_request=document_request,
        finding=finding,
        explanation=explanation,
        remediation_report=remediation_report,
        uploaded_by=actor,
    )
    evidence.file.save(uploaded_file.name, uploaded_file, save=False)
    # The file is on disk now; if the row cannot be stored, remove the file again.
    stored_name = evidence.file.name
    storage = evidence.file.storage
    try:
        evidence.full_clean()
        evidence.save()
    except Exception:
        storage.delete(stored_name)
        raise
    audit_record(
        actor=actor,
        action="evidence.upload",
        obj=evidence,
        after=snapshot(
            evidence,
            [
                "inspection",
                "kind",
                "original_name",
                "size",
                "sha256",
                "checklist_item",
                "document_request",
                "finding",
                "explanation",
                "remediation_report",
            ],
        ),
    )
    return evidence


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    """Remove a file: only its uploader, while what it is attached to can still be edited."""
    inspection = lock_row(Inspection, evidence.inspection_id)
    _read_only(actor)
    if evidence.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Chỉ người đã tải tệp lên được xóa tệp."))
    _check(inspection.status != InspectionStatus.CLOSED, _("Cuộc kiểm tra đã kết thúc, không xóa tệp được."))
    response = evidence.document_request or evidence.explanation or evidence.remediation_report
    if response is not None:
        _check(
            response.response_status == ResponseStatus.DRAFT,
            _("Nội dung trả lời đã trình hoặc đã duyệt: không xóa tệp được."),
        )
    before = snapshot(evidence, ["inspection", "kind", "original_name", "size", "sha256"])
    name, storage = evidence.file.name, evidence.file.storage
    audit_record(actor=actor, action="evidence.delete", obj=evidence, before=before)
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
