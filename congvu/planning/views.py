"""Pages of cadre planning: the entries, the per-unit planning sheet, the per-official record.

Every signed-in role reads what its scope allows (a unit sees its own people; leadership reads all);
only admin and the inspection lead record or take out planning entries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.filters import filter_list
from congvu.core.permissions import role_required
from congvu.core.scoping import get_visible_or_404
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.evaluation.scoring import BAND_LABELS
from congvu.org.models import Official, Unit
from congvu.planning.exports import planning_workbook
from congvu.planning.filters import PlanningEntryFilter
from congvu.planning.forms import PlanningEntryForm, SheetForm, TakeOutForm
from congvu.planning.rules import PlanningRuleError, parse_term
from congvu.planning.selectors import (
    check_entries,
    entry_get,
    entry_list,
    official_planning_record,
    terms_in_use,
    unit_planning_sheet,
)
from congvu.planning.services import planning_entry_create, planning_entry_take_out

EDITORS = ("admin", "lead")
_SORTS = {
    "name": "official__full_name",
    "unit": "unit__name",
    "role": "role",
    "term": "term",
    "decision": "decision_date",
    "status": "status",
}


def _flag_summary(check) -> str:
    if check is None:
        return ""
    return "; ".join(f.text for f in check.flags if f.status != "dat")


@login_required
def home(request):
    filters = filter_list(PlanningEntryFilter, request, entry_list(fetched_by=request.user))
    qs, sort = sort_queryset(request, filters.qs, _SORTS, "term")
    today = timezone.localdate()
    if wants_xlsx(request):
        entries = list(qs)
        checks = check_entries(entries, on=today)
        rows = (
            (
                e.official.code,
                e.official.full_name,
                e.get_role_display(),
                e.unit.name,
                e.term,
                e.decision_number,
                e.decision_date,
                e.get_status_display(),
                e.out_reason,
                _flag_summary(checks.get(e.pk)),
            )
            for e in entries
        )
        headers = [
            _("Mã cán bộ"),
            _("Họ và tên"),
            _("Chức danh quy hoạch"),
            _("Đơn vị"),
            _("Nhiệm kỳ"),
            _("Quyết định"),
            _("Ngày quyết định"),
            _("Tình trạng"),
            _("Lý do đưa ra"),
            _("Điều kiện không đạt / chưa rõ"),
        ]
        return xlsx_response("quy-hoach-can-bo.xlsx", headers, rows, sheet=_("Quy hoạch"))
    page = paginate(request, qs)
    checks = check_entries(page.object_list, on=today)
    rows = [(e, checks.get(e.pk)) for e in page.object_list]
    units = (
        Unit.objects.visible_to(request.user)
        .filter(planning_entries__isnull=False)
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "planning/home.html",
        {
            "page": page,
            "rows": rows,
            "sort": sort,
            "terms": terms_in_use(fetched_by=request.user),
            "filters": filters.form,
            "units": units,
            "can_edit": request.user.has_role(*EDITORS),
            "today": today,
        },
    )


@role_required(*EDITORS)
def entry_new(request):
    form = PlanningEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = planning_entry_create(
                actor=request.user,
                official=data["official"],
                unit=data["unit"],
                role=data["role"],
                term=data["term"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                woman_retires_at_60=data["woman_retires_at_60"],
                note=data["note"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã ghi quy hoạch: %(entry)s.") % {"entry": entry})
            return redirect("planning:unit_sheet", entry.unit.code)
    return render(request, "planning/entry_form.html", {"form": form})


@role_required(*EDITORS)
@require_POST
def entry_take_out(request, pk):
    entry = entry_get(fetched_by=request.user, pk=pk)
    form = TakeOutForm(request.POST)
    if form.is_valid():
        try:
            planning_entry_take_out(
                actor=request.user,
                entry=entry,
                out_date=form.cleaned_data["out_date"],
                reason=form.cleaned_data["reason"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã đưa %(name)s ra khỏi quy hoạch.") % {"name": entry.official})
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    return redirect("planning:unit_sheet", entry.unit.code)


def _term_and_day(request, fetched_by):
    form = SheetForm(request.GET or None)
    today = timezone.localdate()
    term, day, error = "", today, ""
    if form.is_valid():
        term = (form.cleaned_data["term"] or "").strip()
        day = form.cleaned_data["date"] or today
    if term:
        try:
            start, end = parse_term(term)
            term = f"{start}-{end}"
        except PlanningRuleError as exc:
            error, term = exc.message, ""
    if not term:
        terms = terms_in_use(fetched_by=fetched_by)
        term = terms[-1] if terms else "2031-2036"
    return term, day, form, error


@login_required
def unit_sheet(request, code):
    unit = get_visible_or_404(Unit, request.user, code=code)
    term, day, form, error = _term_and_day(request, request.user)
    sheet = unit_planning_sheet(fetched_by=request.user, unit=unit, term=term, on=day)
    if wants_xlsx(request):
        return planning_workbook(sheet)
    return render(
        request,
        "planning/unit_sheet.html",
        {
            "sheet": sheet,
            "form": form,
            "term_error": error,
            "terms": terms_in_use(fetched_by=request.user),
            "can_edit": request.user.has_role(*EDITORS),
            "take_out_form": TakeOutForm(initial={"out_date": timezone.localdate()}),
            "groups": [
                (_("I. Quy hoạch cấp trưởng"), sheet.planned_heads),
                (_("II. Quy hoạch cấp phó"), sheet.planned_deputies),
                (_("III. Đã đưa ra khỏi quy hoạch"), sheet.taken_out),
            ],
        },
    )


@login_required
def official_record(request, code):
    official = get_visible_or_404(Official, request.user, code=code)
    today = timezone.localdate()
    record = official_planning_record(fetched_by=request.user, official=official, on=today)
    if wants_xlsx(request):
        rows = [
            (
                year,
                BAND_LABELS.get(c.band, c.band) if c else "",
                c.rule_set if c else "",
                "x" if c and c.decided else "",
            )
            for year, c in record.classifications
        ]
        headers = [_("Năm"), _("Xếp loại"), _("Bộ quy tắc"), _("Đã quyết định")]
        return xlsx_response(f"xep-loai-{official.code}.xlsx", headers, rows, sheet=_("Xếp loại"))
    return render(
        request,
        "planning/official_record.html",
        {
            "record": record,
            "official": official,
            "today": today,
            "partial": not request.user.is_province_wide,
        },
    )
