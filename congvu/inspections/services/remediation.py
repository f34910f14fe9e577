"""Recommendations (kiến nghị) and the unit's remediation reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core.audit import audit_record, snapshot
from congvu.core.text import nfc
from congvu.inspections import policy
from congvu.inspections.locking import lock_row, locked_change
from congvu.inspections.models import (
    DISCIPLINE_KINDS,
    Finding,
    FindingStatus,
    Inspection,
    Recommendation,
    RecommendationStatus,
    RemediationReport,
    ResponseStatus,
    ReviewStatus,
)
from congvu.inspections.services._common import (
    RECOMMENDATION_FIELDS,
    RESPONSE_FIELDS,
    _check,
    _check_responsible,
    _link,
    _notify,
    _read_only,
    _unit_users,
)
from congvu.inspections.services.responses import (
    unit_response_answer,
)
from congvu.inspections.workflow import (
    FOLLOW_UP_STATUSES,
    RECOMMENDATION_STATUSES,
    status_label,
)


@transaction.atomic
def recommendation_create(
    *,
    actor: User,
    inspection: Inspection,
    kind: str,
    addressee: str,
    content: str,
    deadline: date | None = None,
    finding: Finding | None = None,
    official=None,
) -> Recommendation:
    """A recommendation (kiến nghị): a handling form with a remediation deadline, or a discipline
    proposal to the PPC Chairman (Decree 172/2025), which names the official concerned."""
    inspection = lock_row(Inspection, inspection.pk)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(
        inspection.status in RECOMMENDATION_STATUSES,
        _("Chỉ lập kiến nghị từ khi kiểm tra trực tiếp đến khi theo dõi khắc phục (hiện: %(s)s).")
        % {"s": status_label(inspection.status)},
    )
    if finding is not None:
        _check(finding.inspection_id == inspection.pk, _("Phát hiện không thuộc cuộc kiểm tra này."))
        _check(finding.status != FindingStatus.WITHDRAWN, _("Phát hiện đã bị rút."))
    discipline = kind in DISCIPLINE_KINDS
    if discipline:
        _check(official is not None, _("Đề nghị kỷ luật phải nêu cán bộ bị đề nghị."))
    if kind == "dismissal":
        _check_responsible(inspection, official)  # cách chức applies to leaders only
    elif official is not None and not discipline:
        _check_responsible(inspection, official)
    if not discipline:
        _check(deadline is not None, _("Kiến nghị khắc phục phải có hạn thực hiện."))
    recommendation = Recommendation(
        inspection=inspection,
        finding=finding,
        kind=kind,
        addressee=nfc(addressee).strip(),
        official=official,
        content=nfc(content).strip(),
        deadline=deadline,
        status=RecommendationStatus.PROPOSED if discipline else RecommendationStatus.OPEN,
        created_by=actor,
    )
    recommendation.full_clean()
    recommendation.save()
    audit_record(
        actor=actor,
        action="recommendation.create",
        obj=recommendation,
        after=snapshot(recommendation, RECOMMENDATION_FIELDS),
    )
    return recommendation


@transaction.atomic
def remediation_report_create(
    *, actor: User, recommendation: Recommendation, response_text: str = ""
) -> RemediationReport:
    """The unit starts a remediation report (báo cáo khắc phục) on an open recommendation."""
    recommendation = lock_row(Recommendation, recommendation.pk)
    inspection = Inspection.objects.get(pk=recommendation.inspection_id)
    policy.require(actor, inspection, "unit")
    _check(
        inspection.status in FOLLOW_UP_STATUSES,
        _("Chỉ báo cáo khắc phục sau khi có thông báo kết luận."),
    )
    _check(
        recommendation.status == RecommendationStatus.OPEN,
        _("Kiến nghị này không ở trạng thái chờ khắc phục (%(s)s).")
        % {"s": recommendation.get_status_display()},
    )
    _check(
        not recommendation.reports.filter(review_status=ReviewStatus.PENDING).exists(),
        _("Đã có một báo cáo khắc phục đang soạn hoặc chờ đoàn xem xét."),
    )
    report = RemediationReport(
        recommendation=recommendation, response_text=nfc(response_text).strip(), created_by=actor
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action="remediationreport.create",
        obj=report,
        after=snapshot(report, ["recommendation", *RESPONSE_FIELDS]),
    )
    return report


def remediation_report_start(
    *,
    actor: User,
    recommendation: Recommendation,
    response_text: str = "",
    uploaded_files: Sequence = (),
    file_description: str = "",
    submit: bool = False,
) -> RemediationReport:
    """The unit's first remediation form in one go (text, files, and submit when asked): the report
    is created, the files attached and, when asked, submitted to the unit head — all or nothing."""
    with transaction.atomic():
        report = remediation_report_create(
            actor=actor, recommendation=recommendation, response_text=response_text
        )
        if uploaded_files or submit:
            report = unit_response_answer(
                actor=actor,
                response=report,
                expected_version=report.version,
                response_text=report.response_text,
                uploaded_files=uploaded_files,
                file_description=file_description,
                submit=submit,
            )
    return report


@transaction.atomic
def remediation_review(
    *, actor: User, report: RemediationReport, accept: bool, note: str = ""
) -> RemediationReport:
    """The team accepts the unit's approved remediation report (the recommendation is done) or
    returns it (the recommendation is open again and the unit reports anew)."""
    report = lock_row(RemediationReport, report.pk)
    recommendation = lock_row(Recommendation, report.recommendation_id)
    inspection = Inspection.objects.get(pk=recommendation.inspection_id)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(report.response_status == ResponseStatus.APPROVED, _("Báo cáo chưa được thủ trưởng đơn vị duyệt."))
    _check(report.review_status == ReviewStatus.PENDING, _("Báo cáo đã được xem xét."))
    if not accept:
        _check(bool(nfc(note or "").strip()), _("Phải ghi lý do trả lại báo cáo khắc phục."))
    with locked_change(
        report,
        actor=actor,
        action="remediationreport.accept" if accept else "remediationreport.return",
        fields=["review_status", "review_note", "version"],
    ):
        report.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
        report.review_note = nfc(note or "").strip()
        report.reviewed_by = actor
        report.reviewed_at = timezone.now()
    with locked_change(
        recommendation,
        actor=actor,
        action="recommendation.done" if accept else "recommendation.reopen",
        fields=["status", "version"],
    ):
        recommendation.status = RecommendationStatus.DONE if accept else RecommendationStatus.OPEN
        recommendation.done_at = timezone.now() if accept else None
    text = (
        _("Đoàn chấp nhận báo cáo khắc phục: %(what)s")
        if accept
        else _("Đoàn trả lại báo cáo khắc phục: %(what)s")
    ) % {"what": recommendation}
    _notify(_unit_users(inspection), text, _link(inspection, "remediation", f"rec-{recommendation.pk}"))
    return report
