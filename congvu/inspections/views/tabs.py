"""The inspection page's tabs: one context function per tab, and each tab's Excel export."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core.numbers import number, percent
from congvu.core.tables import xlsx_response
from congvu.inspections import policy, selectors, services
from congvu.inspections.forms import (
    DocumentRequestForm,
    EvidenceForm,
    FindingForm,
    InspectionEditForm,
    RecommendationForm,
    TeamMemberForm,
)
from congvu.inspections.models import (
    ChecklistItem,
    FindingStatus,
    ItemResult,
    RecommendationStatus,
    ReviewStatus,
)
from congvu.inspections.prefill import FIGURE_LABELS, RATE_FIGURES
from congvu.inspections.views._common import (
    _FLASH_KEY,
    _TYPED_CHECKLIST_KEY,
    ACTOR_LABELS,
    _figures_view,
    _response_form,
)
from congvu.inspections.workflow import (
    FOLLOW_UP_STATUSES,
    WORKING_STATUSES,
    InspectionStatus,
    status_label,
    transitions_from,
)


def _overview_context(request, inspection, typed: dict) -> dict:
    user = request.user
    ctx: dict = {}
    ctx["history"] = selectors.inspection_history(fetched_by=user, inspection=inspection)
    ctx["files"] = selectors.evidence_for(fetched_by=user, inspection=inspection).filter(
        checklist_item=None,
        document_request=None,
        finding=None,
        explanation=None,
        remediation_report=None,
    )
    moves = []
    for name, t in transitions_from(inspection.status, inspection.kind):
        move = {"name": name, "to": t["to"], "label": t["label"], "by": ACTOR_LABELS[t["by"]]}
        if policy.can(user, inspection, t["by"]) and not user.is_read_only:
            move["problems"] = services.transition_problems(actor=user, inspection=inspection, transition=t)
        else:
            # Someone else's move: say whose, not what still blocks it (that is the team's work).
            move["hidden"] = True
        moves.append(move)
    ctx["moves"] = moves
    if policy.is_team(user, inspection) and inspection.status != InspectionStatus.CLOSED:
        ctx["edit_form"] = InspectionEditForm(
            initial={f: getattr(inspection, f) for f in services.INSPECTION_EDITABLE}
            | {"version": inspection.version}
        )
        ctx["evidence_form"] = EvidenceForm()
    return ctx


def _team_context(request, inspection, typed: dict) -> dict:
    user = request.user
    ctx: dict = {}
    ctx["team"] = selectors.team_for(fetched_by=user, inspection=inspection)
    if policy.is_lead(user) and inspection.status != InspectionStatus.CLOSED:
        ctx["team_form"] = TeamMemberForm(inspection=inspection)
    return ctx


def _checklist_context(request, inspection, typed: dict) -> dict:
    user = request.user
    ctx: dict = {}
    sheets = list(selectors.checklists_for(fetched_by=user, inspection=inspection))
    # Edits of a refused save, shown again in their boxes (never stored until saved again).
    typed_items = request.session.pop(_TYPED_CHECKLIST_KEY, None) or {}
    first_missing = None
    for sheet in sheets:
        sheet.sections = []
        sheet.missing = 0
        for item in sheet.items.all():
            row = {
                "item": item,
                "figures": _figures_view(item, inspection.pk) if item.snapshot else None,
                "result": item.result,
                "notes": item.notes,
                "unsaved": False,
            }
            if str(item.pk) in typed_items:
                result, notes = typed_items[str(item.pk)]
                if (result, notes.strip()) != (item.result, item.notes):
                    row.update(result=result, notes=notes, unsaved=True)
            if not item.result:
                sheet.missing += 1
                first_missing = first_missing or item
            if not sheet.sections or sheet.sections[-1]["title"] != item.section_title:
                sheet.sections.append({"title": item.section_title, "rows": [], "missing": 0})
            sheet.sections[-1]["rows"].append(row)
            sheet.sections[-1]["missing"] += 0 if item.result else 1
    ctx["sheets"] = sheets
    ctx["first_missing"] = first_missing
    ctx["missing_total"] = sum(sheet.missing for sheet in sheets)
    ctx["checklist_unsaved"] = any(
        row["unsaved"] for sheet in sheets for section in sheet.sections for row in section["rows"]
    )
    ctx["checklist_hidden"] = user.is_unit_role and not policy.unit_sees_checklist(inspection)
    ctx["results"] = ItemResult.choices
    ctx["can_edit_checklist"] = (
        policy.is_team(user, inspection) and inspection.status in WORKING_STATUSES and not user.is_read_only
    )
    ctx["evidence_form"] = EvidenceForm()
    return ctx


def _documents_context(request, inspection, typed: dict) -> dict:
    user = request.user
    ctx: dict = {}
    requests = list(selectors.document_requests_for(fetched_by=user, inspection=inspection))
    files = selectors.evidence_for(fetched_by=user, inspection=inspection).exclude(document_request=None)
    by_request: dict[int, list] = {}
    for f in files:
        by_request.setdefault(f.document_request_id, []).append(f)
    today = timezone.localdate()
    for r in requests:
        r.is_overdue = bool(r.due_on and r.due_on < today and not r.is_final)
        r.files = by_request.get(r.pk, [])
        r.form = _response_form("request", r, typed)
    ctx["requests"] = requests
    ctx["request_form"] = DocumentRequestForm() if policy.is_team(user, inspection) else None
    ctx["evidence_form"] = EvidenceForm()
    return ctx


def _findings_context(request, inspection, typed: dict) -> dict:
    user = request.user
    ctx: dict = {}
    findings = list(selectors.findings_for(fetched_by=user, inspection=inspection))
    files = list(selectors.evidence_for(fetched_by=user, inspection=inspection))
    for f in findings:
        f.files = [e for e in files if e.finding_id == f.pk]
        explanation = getattr(f, "explanation", None)
        f.expl = explanation
        if explanation is not None:
            explanation.is_overdue = bool(
                explanation.due_on
                and explanation.due_on < timezone.localdate()
                and not explanation.is_final
                and f.status == FindingStatus.SENT
            )
            f.expl_files = [e for e in files if e.explanation_id == explanation.pk]
            f.expl_form = _response_form("explanation", explanation, typed)
    ctx["findings"] = findings
    ctx["recommendations"] = selectors.recommendations_for(fetched_by=user, inspection=inspection)
    if policy.is_team(user, inspection) and not user.is_read_only:
        if inspection.status in WORKING_STATUSES:
            ctx["finding_form"] = FindingForm(inspection=inspection, user=user)
        if inspection.status in services.RECOMMENDATION_STATUSES:
            ctx["recommendation_form"] = RecommendationForm(inspection=inspection)
    ctx["evidence_form"] = EvidenceForm()
    return ctx


def _remediation_context(request, inspection, typed: dict) -> dict:
    user = request.user
    ctx: dict = {}
    recs = list(selectors.recommendations_for(fetched_by=user, inspection=inspection))
    files = list(
        selectors.evidence_for(fetched_by=user, inspection=inspection).exclude(remediation_report=None)
    )
    today = timezone.localdate()
    last_reminders = {}
    for reminder in selectors.reminders_for(fetched_by=user, recommendations=recs):
        last_reminders[reminder.recommendation_id] = reminder
    for rec in recs:
        rec.last_reminder = last_reminders.get(rec.pk)
        rec.can_remind = (
            policy.is_lead(user)
            and not user.is_read_only
            and rec.status == RecommendationStatus.OPEN
            and not rec.is_discipline
            and inspection.status in FOLLOW_UP_STATUSES
            and not (rec.last_reminder and rec.last_reminder.day == today)
        )
        rec.report_list = list(rec.reports.all())
        rec.unsaved_text = typed.get(("new-report", rec.pk))
        for report in rec.report_list:
            report.files = [e for e in files if e.remediation_report_id == report.pk]
            report.form = _response_form("report", report, typed)
        rec.is_overdue = rec.status == RecommendationStatus.OPEN and rec.deadline and rec.deadline < today
        rec.can_report = (
            policy.is_unit(user, inspection)
            and rec.status == RecommendationStatus.OPEN
            and inspection.status in FOLLOW_UP_STATUSES
            and not any(r.review_status == ReviewStatus.PENDING for r in rec.report_list)
        )
    ctx["recs"] = recs
    ctx["evidence_form"] = EvidenceForm()
    return ctx


TAB_CONTEXTS = {
    "overview": _overview_context,
    "team": _team_context,
    "checklist": _checklist_context,
    "documents": _documents_context,
    "findings": _findings_context,
    "remediation": _remediation_context,
}


def _tab_context(request, inspection, tab: str, typed: dict | None = None) -> dict:
    typed = dict(typed or {})
    typed["flash"] = request.session.pop(_FLASH_KEY, "")
    context = TAB_CONTEXTS.get(tab)
    return context(request, inspection, typed) if context else {}


def _history_xlsx(request, inspection):
    rows = (
        (c.at, c.actor_label, status_label(c.from_status), status_label(c.to_status), c.note)
        for c in selectors.inspection_history(fetched_by=request.user, inspection=inspection)
    )
    headers = [_("Thời điểm"), _("Người thực hiện"), _("Từ trạng thái"), _("Sang trạng thái"), _("Ghi chú")]
    return xlsx_response(f"lich-su-kiem-tra-{inspection.pk}.xlsx", headers, rows, sheet=_("Lịch sử"))


def _team_xlsx(request, inspection):
    rows = (
        (m.user.full_name or m.user.username, m.get_role_display(), m.organisation)
        for m in selectors.team_for(fetched_by=request.user, inspection=inspection)
    )
    headers = [_("Họ và tên"), _("Vai trò trong đoàn"), _("Cơ quan công tác")]
    return xlsx_response(f"doan-kiem-tra-{inspection.pk}.xlsx", headers, rows, sheet=_("Đoàn kiểm tra"))


def _figures_text(item: ChecklistItem) -> str:
    parts = []
    for group in (item.snapshot or {}).get("groups", []):
        figures = ", ".join(
            f"{FIGURE_LABELS.get(k, k)}: {percent(v) if k in RATE_FIGURES else number(v, 2, trim=True)}"
            for k, v in group.get("figures", {}).items()
        )
        parts.append(f"{_(group['label']) if group.get('label') else ''}: {figures}")
    return "\n".join(parts)


def _checklist_xlsx(request, inspection):
    sheets = selectors.checklists_for(fetched_by=request.user, inspection=inspection)
    rows = (
        (
            sheet.title,
            item.section_title,
            item.order,
            item.text,
            item.get_result_display(),
            item.notes,
            item.snapshot_as_of,
            _figures_text(item),
        )
        for sheet in sheets
        for item in sheet.items.all()
    )
    headers = [_("Phiếu"), _("Phần"), _("Mục"), _("Nội dung kiểm tra"), _("Kết quả"), _("Ghi chú")]
    headers += [_("Số liệu tính đến"), _("Số liệu chốt")]
    return xlsx_response(f"phieu-kiem-tra-{inspection.pk}.xlsx", headers, rows, sheet=_("Phiếu kiểm tra"))


def _documents_xlsx(request, inspection):
    rows = (
        (
            r.title,
            r.due_on,
            r.get_response_status_display(),
            r.answer_text,  # the selector empties what the user may not read yet
            r.approved_at,
        )
        for r in selectors.document_requests_for(fetched_by=request.user, inspection=inspection)
    )
    headers = [_("Tài liệu yêu cầu"), _("Hạn"), _("Tình trạng"), _("Nội dung trả lời"), _("Duyệt lúc")]
    return xlsx_response(f"yeu-cau-tai-lieu-{inspection.pk}.xlsx", headers, rows, sheet=_("Yêu cầu tài liệu"))


def _remediation_xlsx(request, inspection):
    rows = (
        (
            r.get_kind_display(),
            r.addressee,
            r.content,
            r.deadline,
            r.get_status_display(),
            r.reports.count(),
            r.done_at,
        )
        for r in selectors.recommendations_for(fetched_by=request.user, inspection=inspection)
    )
    headers = [_("Hình thức"), _("Đối tượng"), _("Nội dung"), _("Hạn"), _("Trạng thái")]
    headers += [_("Số báo cáo khắc phục"), _("Hoàn thành lúc")]
    return xlsx_response(f"khac-phuc-{inspection.pk}.xlsx", headers, rows, sheet=_("Khắc phục"))


def _findings_xlsx(request, inspection):
    findings = selectors.findings_for(fetched_by=request.user, inspection=inspection)
    recs = selectors.recommendations_for(fetched_by=request.user, inspection=inspection)
    rows = [
        (
            _("Phát hiện"),
            f.display_number,
            f.get_category_display(),
            f.get_severity_display(),
            f.description,
            str(f.responsible or ""),
            f.get_status_display(),
            None,
        )
        for f in findings
    ] + [
        (
            _("Kiến nghị"),
            r.pk,
            r.get_kind_display(),
            r.addressee,
            r.content,
            str(r.official or ""),
            r.get_status_display(),
            r.deadline,
        )
        for r in recs
    ]
    headers = [_("Loại"), "#", _("Phân loại / hình thức"), _("Mức độ / đối tượng"), _("Nội dung")]
    headers += [_("Người chịu trách nhiệm / cán bộ"), _("Trạng thái"), _("Hạn")]
    return xlsx_response(f"phat-hien-kien-nghi-{inspection.pk}.xlsx", headers, rows, sheet=_("Phát hiện"))


_TAB_EXPORTS = {
    "overview": _history_xlsx,
    "team": _team_xlsx,
    "checklist": _checklist_xlsx,
    "documents": _documents_xlsx,
    "findings": _findings_xlsx,
    "remediation": _remediation_xlsx,
}
