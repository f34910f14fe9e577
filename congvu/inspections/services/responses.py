"""Document requests and the unit's answers (drafted, submitted to the unit head, approved or returned)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import Role, User
from congvu.core.audit import audit_record, snapshot
from congvu.core.text import nfc
from congvu.inspections import policy
from congvu.inspections.locking import lock_row, locked_change
from congvu.inspections.models import (
    DocumentRequest,
    FindingExplanation,
    FindingStatus,
    Inspection,
    Recommendation,
    RecommendationStatus,
    RemediationReport,
    ResponseStatus,
    ReviewStatus,
)
from congvu.inspections.services._common import (
    RESPONSE_FIELDS,
    _check,
    _link,
    _notify,
    _read_only,
    _response_inspection,
    _team_users,
    _unit_users,
    response_link,
)
from congvu.inspections.services.evidence import evidence_upload
from congvu.inspections.workflow import InspectionStatus


@transaction.atomic
def document_request_create(
    *, actor: User, inspection: Inspection, title: str, due_on: date | None = None, description: str = ""
) -> DocumentRequest:
    """The team asks the unit for a document (yêu cầu cung cấp tài liệu) by a due date."""
    inspection = lock_row(Inspection, inspection.pk)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(inspection.status != InspectionStatus.CLOSED, _("Cuộc kiểm tra đã kết thúc."))
    request = DocumentRequest(
        inspection=inspection,
        title=nfc(title).strip(),
        description=nfc(description).strip(),
        due_on=due_on,
        created_by=actor,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="document_request.create",
        obj=request,
        after=snapshot(request, ["inspection", "title", "description", "due_on", "is_self_report"]),
    )
    if policy.is_disclosed(inspection):
        _notify(
            _unit_users(inspection),
            _("Đoàn kiểm tra yêu cầu cung cấp: %(title)s") % {"title": request.title},
            _link(inspection, "documents", f"request-{request.pk}"),
        )
    return request


def _response_model(obj) -> type:
    return type(obj)


def _response_open_for_unit(obj) -> str | None:
    """Why the unit may not write this answer now (None: it may)."""
    inspection = _response_inspection(obj)
    if not policy.is_disclosed(inspection):
        return _("Đơn vị chưa nhận được thông báo kiểm tra.")
    if inspection.status == InspectionStatus.CLOSED:
        return _("Cuộc kiểm tra đã kết thúc.")
    if isinstance(obj, FindingExplanation) and obj.finding.status != FindingStatus.SENT:
        return _("Phát hiện này không còn chờ giải trình.")
    if isinstance(obj, RemediationReport) and obj.review_status != ReviewStatus.PENDING:
        return _("Báo cáo khắc phục này đã được đoàn xem xét.")
    return None


@transaction.atomic
def unit_response_save(*, actor: User, response, expected_version: int | None, response_text: str):
    """The unit's focal point (or head) writes its answer while it is a draft."""
    response = lock_row(_response_model(response), response.pk)
    inspection = _response_inspection(response)
    policy.require(actor, inspection, "unit")
    problem = _response_open_for_unit(response)
    _check(problem is None, problem or "")
    _check(
        response.response_status == ResponseStatus.DRAFT,
        _("Nội dung đã trình thủ trưởng hoặc đã duyệt: không sửa được nữa."),
    )
    with locked_change(
        response,
        actor=actor,
        action=f"{response._meta.model_name}.answer",
        fields=RESPONSE_FIELDS,
        expected_version=expected_version,
        compare=["response_text"],
    ) as change:
        if nfc(response_text or "").strip() == response.response_text:
            change.unchanged()  # nothing changed: no new version, no audit event
            return response
        response.response_text = nfc(response_text).strip()
    return response


_RESPONSE_EVIDENCE_KEY = {
    DocumentRequest: "document_request",
    FindingExplanation: "explanation",
    RemediationReport: "remediation_report",
}


def unit_response_answer(
    *,
    actor: User,
    response,
    expected_version: int | None,
    response_text: str,
    uploaded_files: Sequence = (),
    file_description: str = "",
    submit: bool = False,
):
    """One answer form (text, files, submit) in one transaction: the text is saved, the files
    attached to the answer and, when asked, the answer submitted to the unit head — all or nothing,
    so a refused file or a refused submit leaves the answer as it was (and no stray file on disk)."""
    stored: list[tuple] = []
    try:
        with transaction.atomic():
            response = unit_response_save(
                actor=actor, response=response, expected_version=expected_version, response_text=response_text
            )
            inspection = _response_inspection(response)
            for uploaded in uploaded_files:
                evidence = evidence_upload(
                    actor=actor,
                    inspection=inspection,
                    uploaded_file=uploaded,
                    description=file_description,
                    **{_RESPONSE_EVIDENCE_KEY[type(response)]: response},
                )
                stored.append((evidence.file.storage, evidence.file.name))
            if submit:
                response = unit_response_submit(actor=actor, response=response)
    except Exception:
        for storage, name in stored:
            storage.delete(name)
        raise
    return response


@transaction.atomic
def unit_response_submit(*, actor: User, response):
    """The focal point submits the unit's answer to the unit head for approval (draft → submitted)."""
    response = lock_row(_response_model(response), response.pk)
    inspection = _response_inspection(response)
    policy.require(actor, inspection, "unit")
    problem = _response_open_for_unit(response)
    _check(problem is None, problem or "")
    _check(response.response_status == ResponseStatus.DRAFT, _("Nội dung đã được trình."))
    has_files = response.evidence.exists()
    _check(
        bool(response.response_text) or has_files,
        _("Chưa có nội dung trả lời hoặc tệp đính kèm: chưa thể trình duyệt."),
    )
    with locked_change(
        response, actor=actor, action=f"{response._meta.model_name}.submit", fields=RESPONSE_FIELDS
    ):
        response.response_status = ResponseStatus.SUBMITTED
        response.submitted_by = actor
        response.submitted_at = timezone.now()
        response.return_note = ""
    heads = _unit_users(inspection).filter(role=Role.UNIT_HEAD)
    _notify(
        heads,
        _("Có nội dung chờ duyệt: %(what)s") % {"what": response},
        response_link(response),
        exclude=actor,
    )
    return response


@transaction.atomic
def unit_response_approve(*, actor: User, response):
    """The unit head approves the answer (submitted → approved); only then does the team see it."""
    response = lock_row(_response_model(response), response.pk)
    inspection = _response_inspection(response)
    policy.require(actor, inspection, "unit")
    if not policy.is_unit_head(actor, inspection):
        raise PermissionDenied(_("Chỉ thủ trưởng đơn vị được duyệt nội dung trả lời."))
    problem = _response_open_for_unit(response)
    _check(problem is None, problem or "")
    _check(response.response_status == ResponseStatus.SUBMITTED, _("Nội dung chưa được trình duyệt."))
    with locked_change(
        response, actor=actor, action=f"{response._meta.model_name}.approve", fields=RESPONSE_FIELDS
    ):
        response.response_status = ResponseStatus.APPROVED
        response.approved_by = actor
        response.approved_at = timezone.now()
    if isinstance(response, RemediationReport):
        with locked_change(
            Recommendation,
            response.recommendation_id,
            actor=actor,
            action="recommendation.reported",
            fields=["status", "version"],
            clean=False,
            update_fields=["status", "version", "updated_at"],
        ) as change:
            change.obj.status = RecommendationStatus.REPORTED
    _notify(
        _team_users(inspection),
        _("%(unit)s đã gửi: %(what)s") % {"unit": inspection.unit.name, "what": response},
        response_link(response),
    )
    return response


@transaction.atomic
def unit_response_return(*, actor: User, response, note: str):
    """The unit head sends the answer back to the focal point for changes (submitted → draft)."""
    response = lock_row(_response_model(response), response.pk)
    inspection = _response_inspection(response)
    policy.require(actor, inspection, "unit")
    if not policy.is_unit_head(actor, inspection):
        raise PermissionDenied(_("Chỉ thủ trưởng đơn vị được trả lại nội dung trả lời."))
    _check(response.response_status == ResponseStatus.SUBMITTED, _("Nội dung chưa được trình duyệt."))
    _check(bool(nfc(note).strip()), _("Phải ghi ý kiến khi trả lại."))
    with locked_change(
        response, actor=actor, action=f"{response._meta.model_name}.return", fields=RESPONSE_FIELDS
    ):
        response.response_status = ResponseStatus.DRAFT
        response.return_note = nfc(note).strip()
    if response.submitted_by_id:
        _notify(
            User.objects.filter(pk=response.submitted_by_id),
            _("Thủ trưởng trả lại để sửa: %(what)s") % {"what": response},
            response_link(response),
        )
    return response
