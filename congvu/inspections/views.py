"""Pages of the inspection workflow. Each view fetches through the scope (404 for another unit's
object), calls one service, then redirects back to the tab it came from with a message."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import date
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congvu.core.numbers import number, percent
from congvu.core.params import query_id, query_year
from congvu.core.permissions import role_required
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.inspections import policy, selectors, services
from congvu.inspections.forms import (
    DocumentRequestForm,
    EvidenceForm,
    FindingForm,
    InspectionCreateForm,
    InspectionEditForm,
    PlanForm,
    PlanItemForm,
    RecommendationForm,
    ResponseForm,
    TeamMemberForm,
    current_units,
)
from congvu.inspections.models import (
    ChecklistItem,
    Finding,
    FindingStatus,
    InspectionKind,
    ItemResult,
    PlanStatus,
    RecommendationStatus,
    ResponseStatus,
    ReviewStatus,
)
from congvu.inspections.prefill import FIGURE_LABELS, RATE_FIGURES
from congvu.inspections.workflow import (
    STATUSES,
    WORKING_STATUSES,
    status_label,
    transitions_from,
)
from congvu.registers.selectors import record_lateness

TABS = [
    ("overview", gettext_lazy("Tổng quan, lịch sử")),
    ("team", gettext_lazy("Đoàn kiểm tra")),
    ("checklist", gettext_lazy("Phiếu kiểm tra")),
    ("documents", gettext_lazy("Yêu cầu tài liệu")),
    ("findings", gettext_lazy("Phát hiện, kiến nghị")),
    ("remediation", gettext_lazy("Khắc phục")),
]
TAB_KEYS = {key for key, _label in TABS}
ACTOR_LABELS = {
    "lead": gettext_lazy("lãnh đạo kiểm tra thực hiện"),
    "team": gettext_lazy("Đoàn kiểm tra thực hiện"),
    "unit": gettext_lazy("đơn vị được kiểm tra thực hiện"),
}
STAFF_ROLES = ("inspector", "lead")


def _detail_url(inspection_or_pk, tab: str = "overview") -> str:
    pk = getattr(inspection_or_pk, "pk", inspection_or_pk)
    return f"{reverse('inspections:detail', args=[pk])}?tab={tab}"


def _run(request, call: Callable, success: str) -> bool:
    """Call a service; a refusal becomes an error message (the page says where and why)."""
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def record_url(register: str, pk: int) -> str | None:
    """The register's detail page of a task or dossier, if that page exists yet."""
    name = "registers:task" if register == "tasks" else "registers:dossier"
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


# --- Inspection list ----------------------------------------------------------------------

_SORTS = {
    "title": "title",
    "unit": "unit__name",
    "status": "status",
    "period_to": "period_to",
    "decision_date": "decision_date",
    "kind": "kind",
}


@login_required
def inspection_list(request):
    year, unit_id = query_year(request), query_id(request, "unit")
    qs = selectors.inspection_list(
        fetched_by=request.user,
        query=request.GET.get("q", "").strip(),
        status=request.GET.get("status", ""),
        kind=request.GET.get("kind", ""),
        unit_id=unit_id,
        year=year,
        mine=request.GET.get("mine") == "1",
    )
    qs, sort = sort_queryset(request, qs, _SORTS, "-period_to")
    if wants_xlsx(request):
        rows = (
            (
                i.pk,
                i.title,
                i.unit.name,
                i.get_kind_display(),
                i.decision_number,
                i.decision_date,
                i.period_from,
                i.period_to,
                status_label(i.status),
                i.open_recommendations,
            )
            for i in qs
        )
        headers = [
            "#",
            _("Cuộc kiểm tra"),
            _("Đơn vị"),
            _("Hình thức"),
            _("Số quyết định"),
            _("Ngày quyết định"),
            _("Thời kỳ từ"),
            _("Thời kỳ đến"),
            _("Trạng thái"),
            _("Kiến nghị đang thực hiện"),
        ]
        return xlsx_response("cuoc-kiem-tra.xlsx", headers, rows, sheet=_("Cuộc kiểm tra"))
    from congvu.inspections.templatetags.inspection_tags import overdue_context

    return render(
        request,
        "inspections/list.html",
        {
            "page": paginate(request, qs),
            "sort": sort,
            "statuses": list(STATUSES.items()),
            "kinds": InspectionKind.choices,
            "units": current_units() if request.user.is_province_wide else [],
            **overdue_context(request.user, timezone.localdate()),
            "can_create": request.user.has_role(*STAFF_ROLES),
        },
    )


@role_required(*STAFF_ROLES)
def inspection_create(request):
    initial = {"kind": request.GET.get("kind", InspectionKind.SCHEDULED)}
    if request.GET.get("plan_item"):
        initial["plan_item"] = request.GET["plan_item"]
    form = InspectionCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_create(
                actor=request.user,
                kind=data["kind"],
                plan_item=data["plan_item"],
                unit=data["unit"],
                title=data["title"],
                content=data["content"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                self_report_due=data["self_report_due"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã tạo cuộc kiểm tra (dự thảo)."))
            return redirect(_detail_url(inspection, "team"))
    return render(request, "inspections/create.html", {"form": form})


# --- Inspection page ----------------------------------------------------------------------


def _figures_view(item: ChecklistItem, inspection_pk: int) -> list[dict]:
    """The frozen snapshot of an item laid out for the template, with links to the records."""
    snapshot = item.snapshot or {}
    groups = []
    for group in snapshot.get("groups", []):
        figures = []
        counts = group.get("counts", {})
        for name, value in group.get("figures", {}).items():
            url = None
            if counts.get(name):
                url = reverse("inspections:item_records", args=[item.pk, group["key"], name])
            figures.append(
                {
                    "name": name,
                    "label": FIGURE_LABELS.get(name, name),
                    "value": value,
                    "is_rate": name in RATE_FIGURES,
                    "url": url,
                }
            )
        # the group's label was frozen as Vietnamese text: shown through the catalogue
        groups.append({"label": _(group["label"]) if group.get("label") else "", "figures": figures})
    return groups


def _response_form(kind: str, resp, typed: dict) -> ResponseForm:
    """The answer's form; with unsaved typed text, that text on top of the current version (saving
    again is then a conscious overwrite, as the stored text is shown beside it). `resp.flash`: the
    last action was on this answer, so its messages are shown in its box too (where the user is)."""
    resp.flash = typed.get("flash") == f"{kind}-{resp.pk}"
    resp.unsaved_text = None
    if (kind, resp.pk) in typed:
        resp.unsaved_text = typed[(kind, resp.pk)]
        return ResponseForm(initial={"response_text": resp.unsaved_text, "version": resp.version})
    return ResponseForm(initial={"response_text": resp.response_text, "version": resp.version})


def _tab_context(request, inspection, tab: str, typed: dict | None = None) -> dict:
    typed = dict(typed or {})
    typed["flash"] = request.session.pop(_FLASH_KEY, "")
    user = request.user
    ctx: dict = {}
    if tab == "overview":
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
                move["problems"] = services.transition_problems(
                    actor=user, inspection=inspection, transition=t
                )
            else:
                # Someone else's move: say whose, not what still blocks it (that is the team's work).
                move["hidden"] = True
            moves.append(move)
        ctx["moves"] = moves
        if policy.is_team(user, inspection) and inspection.status != "closed":
            ctx["edit_form"] = InspectionEditForm(
                initial={f: getattr(inspection, f) for f in services.INSPECTION_EDITABLE}
                | {"version": inspection.version}
            )
            ctx["evidence_form"] = EvidenceForm()
    elif tab == "team":
        ctx["team"] = selectors.team_for(fetched_by=user, inspection=inspection)
        if policy.is_lead(user) and inspection.status != "closed":
            ctx["team_form"] = TeamMemberForm(inspection=inspection)
    elif tab == "checklist":
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
            policy.is_team(user, inspection)
            and inspection.status in WORKING_STATUSES
            and not user.is_read_only
        )
        ctx["evidence_form"] = EvidenceForm()
    elif tab == "documents":
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
    elif tab == "findings":
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
    elif tab == "remediation":
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
                and inspection.status in ("concluded", "remediation")
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
                and inspection.status in ("concluded", "remediation")
                and not any(r.review_status == ReviewStatus.PENDING for r in rec.report_list)
            )
        ctx["recs"] = recs
        ctx["evidence_form"] = EvidenceForm()
    return ctx


@login_required
def inspection_detail(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    tab = request.GET.get("tab", "overview")
    if tab not in TAB_KEYS:
        tab = "overview"
    if wants_xlsx(request):
        return _TAB_EXPORTS[tab](request, inspection)
    return _render_detail(request, inspection, tab, typed=_pop_typed(request))


_TYPED_KEY = "inspections.unsaved_answers"
_FLASH_KEY = "inspections.last_answer"


def _typed_again(request, kind, response, text: str):
    """Back to the answer's tab with what the user typed still in its box (a refused save): the
    text waits in the session for the next page of this answer, not in the database."""
    pending = request.session.get(_TYPED_KEY, {})
    pending[f"{kind}:{response.pk}"] = text
    request.session[_TYPED_KEY] = pending
    request.session[_FLASH_KEY] = f"{kind}-{response.pk}"
    return redirect(
        _detail_url(_response_inspection_pk(kind, response), _RESPONSE_TAB[kind]) + f"#{kind}-{response.pk}"
    )


def _pop_typed(request) -> dict:
    pending = request.session.pop(_TYPED_KEY, None) or {}
    typed = {}
    for key, text in pending.items():
        kind, _sep, pk = key.partition(":")
        if pk.isdigit():
            typed[(kind, int(pk))] = text
    return typed


def _render_detail(request, inspection, tab: str, typed: dict | None = None):
    """The inspection page on `tab`; `typed` maps (answer kind, pk) to text the user typed that was
    not saved, shown in its box (based on the current version) beside the stored text."""
    user = request.user
    context = {
        "inspection": inspection,
        "tab": tab,
        "tabs": TABS,
        "status_label": status_label(inspection.status),
        "is_team": policy.is_team(user, inspection) and not user.is_read_only,
        "is_lead": policy.is_lead(user),
        "is_unit": policy.is_unit(user, inspection),
        "is_unit_head": policy.is_unit_head(user, inspection),
        "statuses": [(k, v) for k, v in STATUSES.items()],
        "ResponseStatus": ResponseStatus,
        "FindingStatus": FindingStatus,
        "ReviewStatus": ReviewStatus,
        **_tab_context(request, inspection, tab, typed or {}),
    }
    return render(request, "inspections/detail.html", context)


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
    unit_side = request.user.is_unit_role
    rows = (
        (
            r.title,
            r.due_on,
            r.get_response_status_display(),
            r.response_text if (unit_side or r.is_final) else "",
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


@require_POST
@login_required
def inspection_edit(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    form = InspectionEditForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_detail_url(inspection))
    data = dict(form.cleaned_data)
    version = data.pop("version")
    _run(
        request,
        lambda: services.inspection_update(
            actor=request.user, inspection=inspection, expected_version=version, **data
        ),
        _("Đã lưu thông tin cuộc kiểm tra."),
    )
    return redirect(_detail_url(inspection))


@require_POST
@login_required
def inspection_transition(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    to_status = request.POST.get("to_status", "")
    _run(
        request,
        lambda: services.inspection_transition(
            actor=request.user, inspection=inspection, to_status=to_status, note=request.POST.get("note", "")
        ),
        _("Đã chuyển sang “%(s)s”.") % {"s": status_label(to_status)},
    )
    return redirect(_detail_url(inspection))


# --- Team ---------------------------------------------------------------------------------


@require_POST
@login_required
def team_add(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    policy.require(request.user, inspection, "lead")
    form = TeamMemberForm(request.POST, inspection=inspection)
    if form.is_valid():
        _run(
            request,
            lambda: services.team_member_add(actor=request.user, inspection=inspection, **form.cleaned_data),
            _("Đã thêm thành viên đoàn."),
        )
    else:
        _form_errors(request, form)
    return redirect(_detail_url(inspection, "team"))


@require_POST
@login_required
def team_remove(request, pk, member_pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    member = inspection.team.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    _run(
        request,
        lambda: services.team_member_remove(actor=request.user, member=member),
        _("Đã bớt thành viên đoàn."),
    )
    return redirect(_detail_url(inspection, "team"))


# --- Checklists ---------------------------------------------------------------------------


@require_POST
@login_required
def checklists_create(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    _run(
        request,
        lambda: services.checklist_instantiate(actor=request.user, inspection=inspection),
        _("Đã lập phiếu kiểm tra; số liệu của người đứng đầu, cấp phó đã được chốt."),
    )
    return redirect(_detail_url(inspection, "checklist"))


@require_POST
@login_required
def snapshot_refresh(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    _run(
        request,
        lambda: services.checklist_snapshot_refresh(actor=request.user, inspection=inspection),
        _("Đã chốt lại số liệu theo dữ liệu hiện tại."),
    )
    return redirect(_detail_url(inspection, "checklist"))


@require_POST
@login_required
def checklist_save(request, pk, checklist_pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    sheet = (
        selectors.checklists_for(fetched_by=request.user, inspection=inspection)
        .filter(pk=checklist_pk)
        .first()
    )
    if sheet is None:
        raise Http404
    entries = []
    for item in sheet.items.all():
        if f"version-{item.pk}" not in request.POST:
            continue
        entries.append(
            (
                item.pk,
                request.POST.get(f"version-{item.pk}"),
                request.POST.get(f"result-{item.pk}", ""),
                request.POST.get(f"notes-{item.pk}", ""),
            )
        )
    _run(
        request,
        lambda: services.checklist_save(actor=request.user, checklist=sheet, entries=entries),
        _("Đã lưu phiếu “%(title)s”.") % {"title": sheet.title},
    )
    return redirect(f"{_detail_url(inspection, 'checklist')}#sheet-{sheet.pk}")


_TYPED_CHECKLIST_KEY = "inspections.unsaved_checklist"


def _checklist_entries(request) -> list[tuple[int, str, str, str]]:
    entries = []
    for key in request.POST:
        if not key.startswith("version-") or not key[8:].isdigit():
            continue
        pk = int(key[8:])
        entries.append(
            (
                pk,
                request.POST.get(key),
                request.POST.get(f"result-{pk}", ""),
                request.POST.get(f"notes-{pk}", ""),
            )
        )
    return entries


@require_POST
@login_required
def checklists_save(request, pk):
    """One save for the whole checklist page (every sheet), with the files chosen on its items.
    Back to where the user was: the last item changed, or the first one refused."""
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    sheets = selectors.checklists_for(fetched_by=request.user, inspection=inspection)
    if not sheets.exists():
        raise Http404
    entries = _checklist_entries(request)
    files = {
        int(key[5:]): request.FILES.getlist(key)
        for key in request.FILES
        if key.startswith("file-") and key[5:].isdigit()
    }
    url = _detail_url(inspection, "checklist")
    try:
        saved = services.checklists_save(
            actor=request.user, inspection=inspection, entries=entries, files=files
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if files:
            messages.warning(request, _("Tệp đã chọn chưa được lưu: hãy chọn lại tệp rồi lưu."))
        request.session[_TYPED_CHECKLIST_KEY] = {
            str(item_pk): [result, notes] for item_pk, _v, result, notes in entries
        }
        current = dict(
            ChecklistItem.objects.visible_to(request.user)
            .filter(pk__in=[e[0] for e in entries])
            .values_list("pk", "version")
        )
        stale = [e[0] for e in entries if str(current.get(e[0])) != str(e[1])]
        return redirect(f"{url}#item-{stale[0]}" if stale else f"{url}#checklist-save")
    posted = {int(item_pk): str(version) for item_pk, version, _r, _n in entries}
    changed = [i for i in saved if str(i.version) != posted.get(i.pk)]
    n_files = sum(len(v) for v in files.values())
    messages.success(
        request,
        _("Đã lưu phiếu kiểm tra: %(n)d mục thay đổi, %(f)d tệp.") % {"n": len(changed), "f": n_files},
    )
    # The user was working near the last item they changed: land there, the message beside it.
    target = f"item-{changed[-1].pk}" if changed else "checklist-save"
    return redirect(f"{url}#{target}")


@login_required
def item_records(request, item_pk, group, figure):
    """The records behind one frozen figure: the ids stored in the snapshot, read now (so the list
    is the same one the team saw), each linking to its register page."""
    item = selectors.checklist_item_get(fetched_by=request.user, pk=item_pk)
    inspection = item.checklist.inspection
    snap = item.snapshot or {}
    grp = next((g for g in snap.get("groups", []) if g.get("key") == group), None)
    ids = ((item.snapshot_ids or {}).get(group) or {}).get(figure)
    if grp is None or ids is None:
        raise Http404
    register = grp.get("register", "tasks")
    from congvu.registers.models import Dossier, Task

    model = Task if register == "tasks" else Dossier
    if wants_xlsx(request):
        return _records_xlsx(request, model, register, ids, item, figure)
    page = paginate(request, ids)
    records = {r.pk: r for r in model.objects.visible_to(request.user).filter(pk__in=list(page.object_list))}
    as_of = date.fromisoformat(snap["as_of"]) if snap.get("as_of") else timezone.localdate()
    # on time / late / overdue as of the frozen date, in working days (the engine's expressions)
    lateness = record_lateness(fetched_by=request.user, register=register, pks=records, as_of=as_of)
    for pk, record in records.items():
        record.lateness_bucket, record.late_days = lateness.get(pk, ("", None))
    if register == "dossiers":  # the control slip's late step (phiếu kiểm soát), when there is one
        from congvu.registers.slips import late_steps

        slow = late_steps(dossier_ids=records)
        for pk, record in records.items():
            record.late_step = slow.get(pk, "")
    rows = [
        {"pk": pk, "record": records.get(pk), "url": record_url(register, pk) if pk in records else None}
        for pk in page.object_list
    ]
    return render(
        request,
        "inspections/item_records.html",
        {
            "inspection": inspection,
            "item": item,
            "group": grp,
            "figure_label": FIGURE_LABELS.get(figure, figure),
            "register": register,
            "page": page,
            "rows": rows,
            "as_of": date.fromisoformat(snap["as_of"]) if snap.get("as_of") else None,
            "live_links": _live_links(item, grp, figure),
        },
    )


def _live_links(item: ChecklistItem, group: dict, figure: str) -> list[tuple[str, str]]:
    """Links to the performance engine's live drill-down (`metrics:records`) for the same leader,
    period and figure, if that page exists: the head's whole unit, or each field of a deputy's
    portfolio. Live lists follow later imports; the frozen list on this page does not."""
    try:
        base = reverse("metrics:records")
    except NoReverseMatch:
        return []
    snap = item.snapshot or {}
    sheet = item.checklist
    if sheet.appointment is None or group.get("key") != "all":
        return []
    params = {
        "register": group.get("register", "tasks"),
        "unit": sheet.appointment.unit.code,
        "date_from": sheet.period_from.strftime("%d/%m/%Y"),
        "date_to": sheet.period_to.strftime("%d/%m/%Y"),
        "as_of": date.fromisoformat(snap["as_of"]).strftime("%d/%m/%Y") if snap.get("as_of") else "",
        "bucket": figure,
    }
    if sheet.subject == "head":
        return [(_("Toàn đơn vị"), f"{base}?{urlencode(params)}")]
    return [
        (field.name, f"{base}?{urlencode(params | {'field': field.code})}")
        for field in sheet.appointment.fields.order_by("name")
    ]


def _records_xlsx(request, model, register, ids, item, figure):
    def rows():
        for start in range(0, len(ids), 1000):
            chunk = (
                model.objects.visible_to(request.user).filter(pk__in=ids[start : start + 1000]).order_by("pk")
            )
            for r in chunk:
                if register == "tasks":
                    yield (
                        r.pk,
                        r.external_code,
                        r.content,
                        r.get_authority_display(),
                        r.received_on,
                        r.due_on,
                        r.completed_on,
                        r.get_quality_display(),
                    )
                else:
                    yield (
                        r.pk,
                        r.external_code,
                        r.procedure,
                        r.field_id,
                        r.received_on,
                        r.due_on,
                        r.completed_on,
                        r.status,
                    )

    if register == "tasks":
        headers = [
            "#",
            _("Mã"),
            _("Nội dung"),
            _("Cơ quan giao"),
            _("Ngày nhận"),
            _("Hạn"),
            _("Hoàn thành"),
            _("Chất lượng"),
        ]
    else:
        headers = [
            "#",
            _("Mã hồ sơ"),
            _("Thủ tục"),
            _("Lĩnh vực"),
            _("Ngày tiếp nhận"),
            _("Hạn"),
            _("Hoàn thành"),
            _("Trạng thái"),
        ]
    return xlsx_response(f"so-lieu-chot-{item.pk}-{figure}.xlsx", headers, rows(), sheet=_("Hồ sơ, nhiệm vụ"))


# --- Evidence -----------------------------------------------------------------------------


def _evidence_target(request, inspection, target: str) -> tuple[dict, str]:
    """Resolve "item:12" / "request:3" / … to the service's keyword and the tab to go back to;
    every part is fetched through the inspection (never by a bare pk)."""
    if not target:
        return {}, "overview"
    kind, _sep, raw = target.partition(":")
    try:
        pk = int(raw)
    except ValueError:
        raise Http404 from None
    user = request.user
    if kind == "item":
        sheets = selectors.checklists_for(fetched_by=user, inspection=inspection)
        obj = ChecklistItem.objects.visible_to(user).filter(checklist__in=sheets, pk=pk).first()
        key, tab = "checklist_item", "checklist"
    elif kind == "request":
        obj = inspection.document_requests.filter(pk=pk).first()
        key, tab = "document_request", "documents"
    elif kind == "finding":
        obj = selectors.findings_for(fetched_by=user, inspection=inspection).filter(pk=pk).first()
        key, tab = "finding", "findings"
    elif kind == "explanation":
        from congvu.inspections.models import FindingExplanation

        obj = (
            FindingExplanation.objects.visible_to(user).filter(finding__inspection=inspection, pk=pk).first()
        )
        key, tab = "explanation", "findings"
    elif kind == "report":
        from congvu.inspections.models import RemediationReport

        obj = (
            RemediationReport.objects.visible_to(user)
            .filter(recommendation__inspection=inspection, pk=pk)
            .first()
        )
        key, tab = "remediation_report", "remediation"
    else:
        raise Http404
    if obj is None:
        raise Http404
    return {key: obj}, tab


@require_POST
@login_required
def evidence_upload(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    target, tab = _evidence_target(request, inspection, request.POST.get("target", ""))
    if form.is_valid():
        _run(
            request,
            lambda: services.evidence_upload(
                actor=request.user,
                inspection=inspection,
                uploaded_file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                **target,
            ),
            _("Đã tải lên tệp “%(name)s”.") % {"name": form.cleaned_data["file"].name},
        )
    else:
        _form_errors(request, form)
    return redirect(_detail_url(inspection, tab))


@login_required
def evidence_download(request, evidence_pk):
    evidence = selectors.evidence_get(fetched_by=request.user, pk=evidence_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = (
        evidence.content_type or mimetypes.guess_type(evidence.original_name)[0] or "application/octet-stream"
    )
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(evidence.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def evidence_delete(request, evidence_pk):
    evidence = selectors.evidence_get(fetched_by=request.user, pk=evidence_pk)
    tab = "overview"
    if evidence.checklist_item_id:
        tab = "checklist"
    elif evidence.document_request_id:
        tab = "documents"
    elif evidence.finding_id or evidence.explanation_id:
        tab = "findings"
    elif evidence.remediation_report_id:
        tab = "remediation"
    _run(
        request,
        lambda: services.evidence_delete(actor=request.user, evidence=evidence),
        _("Đã xóa tệp “%(name)s”.") % {"name": evidence.original_name},
    )
    return redirect(_detail_url(evidence.inspection_id, tab))


# --- Document requests and the unit's answers ---------------------------------------------


@require_POST
@login_required
def request_add(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    form = DocumentRequestForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.document_request_create(
                actor=request.user, inspection=inspection, **form.cleaned_data
            ),
            _("Đã gửi yêu cầu tài liệu."),
        )
    else:
        _form_errors(request, form)
    return redirect(_detail_url(inspection, "documents"))


_RESPONSE_TAB = {"request": "documents", "explanation": "findings", "report": "remediation"}


def _response_inspection_pk(kind, response) -> int:
    if kind == "request":
        return response.inspection_id
    if kind == "explanation":
        return response.finding.inspection_id
    return response.recommendation.inspection_id


@require_POST
@login_required
def response_action(request, kind, response_pk, action):
    """The unit's answer: save (focal point or head), submit, approve or return (head).

    Save and submit come from the same form (text, files, submit): what was typed and chosen is
    saved first, then submitted, in one service call. When that is refused, the page is shown again
    with the typed text still in the box (nothing typed is lost; nothing is half-written)."""
    response = selectors.response_get(fetched_by=request.user, kind=kind, pk=response_pk)
    inspection_pk = _response_inspection_pk(kind, response)
    anchor = f"#{kind}-{response.pk}"
    back = _detail_url(inspection_pk, _RESPONSE_TAB[kind]) + anchor
    user = request.user
    if action in ("save", "submit") and ("response_text" in request.POST or request.FILES):
        form = ResponseForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return _typed_again(request, kind, response, request.POST.get("response_text", ""))
        submit = action == "submit"
        try:
            services.unit_response_answer(
                actor=user,
                response=response,
                expected_version=form.cleaned_data["version"],
                response_text=form.cleaned_data["response_text"],
                uploaded_files=request.FILES.getlist("file"),
                file_description=request.POST.get("description", ""),
                submit=submit,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            if request.FILES:
                messages.warning(request, _("Tệp đã chọn chưa được lưu: hãy chọn lại tệp rồi lưu."))
            return _typed_again(request, kind, response, form.cleaned_data["response_text"])
        messages.success(
            request,
            _("Đã lưu và trình thủ trưởng đơn vị duyệt.") if submit else _("Đã lưu nội dung trả lời."),
        )
    elif action == "submit":
        _run(
            request,
            lambda: services.unit_response_submit(actor=user, response=response),
            _("Đã trình thủ trưởng đơn vị duyệt."),
        )
    elif action == "approve":
        _run(
            request,
            lambda: services.unit_response_approve(actor=user, response=response),
            _("Đã duyệt và gửi Đoàn kiểm tra."),
        )
    elif action == "return":
        _run(
            request,
            lambda: services.unit_response_return(
                actor=user, response=response, note=request.POST.get("note", "")
            ),
            _("Đã trả lại cho cán bộ đầu mối."),
        )
    else:
        raise Http404
    request.session[_FLASH_KEY] = f"{kind}-{response.pk}"
    return redirect(back)


# --- Findings and recommendations ---------------------------------------------------------


@require_POST
@login_required
def finding_add(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    form = FindingForm(request.POST, inspection=inspection, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        _run(
            request,
            lambda: services.finding_record(
                actor=request.user,
                inspection=inspection,
                description=data["description"],
                category=data["category"],
                severity=data["severity"],
                responsible=data["responsible"],
                checklist_items=data["checklist_items"],
                tasks=data["tasks"],
                dossiers=data["dossiers"],
                source=_("Đoàn kiểm tra"),
            ),
            _("Đã ghi phát hiện (dự thảo)."),
        )
    else:
        _form_errors(request, form)
    return redirect(_detail_url(inspection, "findings"))


@login_required
def finding_records_search(request, pk):
    """The finding form's record picker: the inspected unit's tasks and dossiers (with the units it
    absorbed) matching the typed code or title, accent-insensitive, through the registers' scoped
    selectors; at most PICKER_LIMIT of each."""
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    if not policy.is_team(request.user, inspection):
        raise PermissionDenied(_("Chỉ thành viên đoàn kiểm tra được ghi phát hiện."))
    query = (request.GET.get("q") or "").strip()[:100]
    chosen = {name: set(request.GET.getlist(name)) for name in ("tasks", "dossiers")}
    tasks = dossiers = []
    if query:
        from congvu.registers.selectors import dossier_list, task_list

        unit = inspection.unit
        tasks = list(
            task_list(fetched_by=request.user, query=query, unit=unit)
            .exclude(pk__in=[v for v in chosen["tasks"] if v.isdigit()])
            .order_by("external_code")[:PICKER_LIMIT]
        )
        dossiers = list(
            dossier_list(fetched_by=request.user, query=query, unit=unit)
            .exclude(pk__in=[v for v in chosen["dossiers"] if v.isdigit()])
            .order_by("external_code")[:PICKER_LIMIT]
        )
    return render(
        request,
        "inspections/_record_picker_results.html",
        {"query": query, "tasks": tasks, "dossiers": dossiers, "limit": PICKER_LIMIT},
    )


PICKER_LIMIT = 15


@login_required
def finding_edit(request, finding_pk):
    finding: Finding = selectors.finding_get(fetched_by=request.user, pk=finding_pk)
    inspection = selectors.inspection_get(fetched_by=request.user, pk=finding.inspection_id)
    if not policy.is_team(request.user, inspection) or request.user.is_read_only:
        raise PermissionDenied(_("Chỉ thành viên đoàn kiểm tra được sửa phát hiện."))
    initial = {
        "description": finding.description,
        "category": finding.category,
        "severity": finding.severity,
        "responsible": finding.responsible_id,
        "checklist_items": list(finding.checklist_items.values_list("pk", flat=True)),
        "tasks": list(finding.tasks.values_list("pk", flat=True)),
        "dossiers": list(finding.dossiers.values_list("pk", flat=True)),
        "version": finding.version,
    }
    form = FindingForm(request.POST or None, initial=initial, inspection=inspection, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_update(
                actor=request.user,
                finding=finding,
                expected_version=data["version"],
                description=data["description"],
                category=data["category"],
                severity=data["severity"],
                responsible=data["responsible"],
                checklist_items=data["checklist_items"],
                tasks=data["tasks"],
                dossiers=data["dossiers"],
            )
        except ValidationError as exc:
            finding.refresh_from_db()
            if exc.code == "stale":
                # Keep what the user typed, now based on the current version: saving again is a
                # conscious overwrite after reading what changed.
                data = request.POST.copy()
                data["version"] = finding.version
                form = FindingForm(data, inspection=inspection, user=request.user)
                form.is_valid()
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã lưu phát hiện."))
            return redirect(_detail_url(inspection, "findings"))
    return render(
        request,
        "inspections/finding_edit.html",
        {"form": form, "finding": finding, "inspection": inspection},
    )


@require_POST
@login_required
def finding_action(request, finding_pk, action):
    finding = selectors.finding_get(fetched_by=request.user, pk=finding_pk)
    note = request.POST.get("note", "")
    explanation_due = None
    if action == "send" and request.POST.get("explanation_due", "").strip():
        field = forms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"])
        try:
            explanation_due = field.clean(request.POST["explanation_due"].strip())
        except ValidationError:
            messages.error(request, _("Hạn giải trình: cần ngày dạng dd/mm/yyyy."))
            return redirect(_detail_url(finding.inspection_id, "findings") + f"#finding-{finding.pk}")
    calls = {
        "send": (
            lambda: services.finding_send(
                actor=request.user, finding=finding, explanation_due=explanation_due
            ),
            _("Đã gửi đơn vị giải trình."),
        ),
        "confirm": (
            lambda: services.finding_confirm(actor=request.user, finding=finding, note=note),
            _("Đã xác nhận phát hiện."),
        ),
        "withdraw": (
            lambda: services.finding_withdraw(actor=request.user, finding=finding, note=note),
            _("Đã rút phát hiện."),
        ),
    }
    if action not in calls:
        raise Http404
    call, success = calls[action]
    _run(request, call, success)
    return redirect(_detail_url(finding.inspection_id, "findings"))


@require_POST
@login_required
def recommendation_add(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    form = RecommendationForm(request.POST, inspection=inspection)
    if form.is_valid():
        _run(
            request,
            lambda: services.recommendation_create(
                actor=request.user, inspection=inspection, **form.cleaned_data
            ),
            _("Đã lập kiến nghị."),
        )
    else:
        _form_errors(request, form)
    return redirect(_detail_url(inspection, "findings"))


@require_POST
@login_required
def remediation_add(request, rec_pk):
    """The unit's first remediation form: text, files and (optionally) submit, in one service call.
    Refused, the typed text waits in the session and is shown again in the same box."""
    recommendation = selectors.recommendation_get(fetched_by=request.user, pk=rec_pk)
    back = _detail_url(recommendation.inspection_id, "remediation") + f"#rec-{recommendation.pk}"
    submit = request.POST.get("submit") == "1"
    text = request.POST.get("response_text", "")
    try:
        services.remediation_report_start(
            actor=request.user,
            recommendation=recommendation,
            response_text=text,
            uploaded_files=request.FILES.getlist("file"),
            file_description=request.POST.get("description", ""),
            submit=submit,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if request.FILES:
            messages.warning(request, _("Tệp đã chọn chưa được lưu: hãy chọn lại tệp rồi lưu."))
        pending = request.session.get(_TYPED_KEY, {})
        pending[f"new-report:{recommendation.pk}"] = text
        request.session[_TYPED_KEY] = pending
        return redirect(back)
    messages.success(
        request,
        _("Đã lập báo cáo khắc phục và trình thủ trưởng đơn vị duyệt.")
        if submit
        else _("Đã lập báo cáo khắc phục (bản nháp): có thể bổ sung tệp rồi trình thủ trưởng duyệt."),
    )
    return redirect(back)


@require_POST
@login_required
def recommendation_remind(request, rec_pk):
    """The inspection lead reminds the unit of one open recommendation (at most once a day)."""
    recommendation = selectors.recommendation_get(fetched_by=request.user, pk=rec_pk)
    _run(
        request,
        lambda: services.reminder_send(actor=request.user, recommendation=recommendation),
        _("Đã gửi nhắc hạn cho đơn vị."),
    )
    return redirect(_detail_url(recommendation.inspection_id, "remediation") + f"#rec-{recommendation.pk}")


@require_POST
@login_required
def remediation_review(request, report_pk, decision):
    report = selectors.response_get(fetched_by=request.user, kind="report", pk=report_pk)
    if decision not in ("accept", "return"):
        raise Http404
    _run(
        request,
        lambda: services.remediation_review(
            actor=request.user, report=report, accept=decision == "accept", note=request.POST.get("note", "")
        ),
        _("Đã chấp nhận báo cáo khắc phục.") if decision == "accept" else _("Đã trả lại báo cáo khắc phục."),
    )
    return redirect(_detail_url(report.recommendation.inspection_id, "remediation"))


# --- Plans --------------------------------------------------------------------------------

_PLAN_SORTS = {"year": "year", "title": "title", "status": "status", "items": "item_count"}


@login_required
def plan_list(request):
    if not request.user.is_province_wide:
        raise Http404
    year = query_year(request)
    qs = selectors.plan_list(
        fetched_by=request.user,
        year=year,
        status=request.GET.get("status", ""),
        query=request.GET.get("q", ""),
    )
    qs, sort = sort_queryset(request, qs, _PLAN_SORTS, "-year")
    if wants_xlsx(request):
        rows = (
            (p.pk, p.year, p.number, p.title, p.get_status_display(), p.item_count, p.approved_at) for p in qs
        )
        headers = ["#", _("Năm"), _("Số"), _("Kế hoạch"), _("Trạng thái"), _("Số đơn vị"), _("Phê duyệt lúc")]
        return xlsx_response("ke-hoach-kiem-tra.xlsx", headers, rows, sheet=_("Kế hoạch"))
    return render(
        request,
        "inspections/plans.html",
        {
            "page": paginate(request, qs),
            "sort": sort,
            "statuses": PlanStatus.choices,
            "can_create": request.user.has_role(*STAFF_ROLES),
        },
    )


@role_required(*STAFF_ROLES)
def plan_create(request):
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=request.user,
                year=data["year"],
                title=data["title"],
                number=data["number"],
                content=data["content"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã lập kế hoạch (dự thảo). Thêm các đơn vị được kiểm tra."))
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(request, "inspections/plan_form.html", {"form": form, "plan": None})


@role_required(*STAFF_ROLES)
def plan_edit(request, pk):
    plan = selectors.plan_get(fetched_by=request.user, pk=pk)
    initial = {"year": plan.year, "number": plan.number, "title": plan.title, "content": plan.content}
    form = PlanForm(request.POST or None, initial=initial | {"version": plan.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_update(
                actor=request.user,
                plan=plan,
                expected_version=data["version"],
                year=data["year"],
                title=data["title"],
                number=data["number"],
                content=data["content"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(request, "inspections/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request, pk):
    plan = selectors.plan_get(fetched_by=request.user, pk=pk)
    items = selectors.plan_items_for(fetched_by=request.user, plan=plan)
    if wants_xlsx(request):
        rows = (
            (i.month, i.unit.name, i.content, i.period_from, i.period_to, i.inspection_count) for i in items
        )
        headers = [
            _("Tháng"),
            _("Đơn vị"),
            _("Nội dung"),
            _("Thời kỳ từ"),
            _("Thời kỳ đến"),
            _("Số cuộc kiểm tra"),
        ]
        return xlsx_response(f"ke-hoach-{plan.year}.xlsx", headers, rows, sheet=_("Kế hoạch"))
    editable = plan.status == PlanStatus.DRAFT and request.user.has_role(*STAFF_ROLES)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "item_form": PlanItemForm() if editable else None,
            "editable": editable,
            "can_approve": plan.status == PlanStatus.DRAFT and request.user.has_role("lead"),
            "can_create_inspection": plan.status == PlanStatus.APPROVED
            and request.user.has_role(*STAFF_ROLES),
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def plan_item_add(request, pk):
    plan = selectors.plan_get(fetched_by=request.user, pk=pk)
    form = PlanItemForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.plan_item_add(actor=request.user, plan=plan, **form.cleaned_data),
            _("Đã thêm đơn vị vào kế hoạch."),
        )
    else:
        _form_errors(request, form)
    return redirect("inspections:plan_detail", pk=plan.pk)


@require_POST
@role_required(*STAFF_ROLES)
def plan_item_remove(request, pk, item_pk):
    plan = selectors.plan_get(fetched_by=request.user, pk=pk)
    item = plan.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    _run(
        request,
        lambda: services.plan_item_remove(actor=request.user, item=item),
        _("Đã bỏ đơn vị khỏi kế hoạch."),
    )
    return redirect("inspections:plan_detail", pk=plan.pk)


@require_POST
@role_required("lead")
def plan_approve(request, pk):
    plan = selectors.plan_get(fetched_by=request.user, pk=pk)
    _run(request, lambda: services.plan_approve(actor=request.user, plan=plan), _("Đã phê duyệt kế hoạch."))
    return redirect("inspections:plan_detail", pk=plan.pk)


# --- Notices ------------------------------------------------------------------------------


@login_required
def notices(request):
    qs = selectors.notifications_for(fetched_by=request.user, unread_only=request.GET.get("unread") == "1")
    if wants_xlsx(request):
        rows = ((n.created_at, n.text, n.link, _("Đã đọc") if n.is_read else _("Chưa đọc")) for n in qs)
        return xlsx_response(
            "thong-bao.xlsx",
            [_("Thời điểm"), _("Nội dung"), _("Liên kết"), _("Tình trạng")],
            rows,
            sheet=_("Thông báo"),
        )
    return render(request, "inspections/notices.html", {"page": paginate(request, qs)})


@require_POST
@login_required
def notice_read(request, notice_pk):
    notice = selectors.notification_get(fetched_by=request.user, pk=notice_pk)
    services.notification_mark_read(actor=request.user, notification=notice)
    if request.htmx:
        return HttpResponse(f'<span class="badge text-bg-secondary">{_("Đã đọc")}</span>')
    if notice.link and notice.link.startswith("/"):
        return redirect(notice.link)
    return redirect("inspections:notices")


@require_POST
@login_required
def notices_read_all(request):
    count = services.notification_mark_read(actor=request.user, all_=True)
    messages.success(request, _("Đã đánh dấu %(n)d thông báo là đã đọc.") % {"n": count})
    return redirect("inspections:notices")
