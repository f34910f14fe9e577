"""The calendar page (everyone signed in reads it) and the decision forms (admin only).

The calendar is not unit-owned, so there is no scope here: reading needs a login, writing the admin
role (403 otherwise), and every write goes through the services."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core.params import query_year
from congvu.core.permissions import role_required
from congvu.core.shared_cache import cached_body
from congvu.core.tables import wants_xlsx, xlsx_response
from congvu.workdays.forms import CalculatorForm, CalendarDayForm
from congvu.workdays.models import CalendarDay
from congvu.workdays.selectors import (
    CalendarRangeError,
    calendar_bounds,
    calendar_year,
    working_days_add,
    working_days_count,
    year_entries,
)
from congvu.workdays.services import calendar_day_delete, calendar_day_set

EDIT_ROLES = ("admin",)


def _export(year: int):
    rows = (
        (
            e.date,
            e.weekday_name,
            e.kind_label,
            e.name,
            e.document_number,
            e.document_date,
            _("Quyết định") if e.is_decision else _("Mặc định"),
        )
        for e in year_entries(year)
    )
    headers = [_("Ngày"), _("Thứ"), _("Loại"), _("Tên ngày"), _("Số văn bản"), _("Ngày văn bản"), _("Nguồn")]
    return xlsx_response(
        f"lich-lam-viec-{year}.xlsx", headers, rows, sheet=_("Lịch {year}").format(year=year)
    )


def _calculate(form: CalculatorForm) -> dict:
    """The calculator's answer, or the reason there is none."""
    if not form.is_valid():
        return {"errors": [e for errors in form.errors.values() for e in errors]}
    data = form.cleaned_data
    try:
        if data["op"] == "count":
            return {"op": "count", "count": working_days_count(data["start"], data["end"]), **data}
        return {"op": "add", "date": working_days_add(data["start"], data["n"]), **data}
    except CalendarRangeError as exc:
        return {"errors": [str(exc)]}


@login_required
def calendar(request, year: int | None = None):
    today = timezone.localdate()
    if year is None and query_year(request):  # the page's year picker
        return redirect("workdays:calendar", query_year(request))
    if year is None:
        year = today.year
    if not 1 <= year <= 9999:
        raise Http404
    if wants_xlsx(request):
        return _export(year)
    calc_form = CalculatorForm(request.GET if "op" in request.GET else None, initial={"op": "count"})
    calc = _calculate(calc_form) if calc_form.is_bound else None
    if request.htmx and calc is not None:
        return render(request, "workdays/_calc_result.html", {"calc": calc})

    def context() -> dict:
        try:
            info, error = calendar_year(year), ""
        except CalendarRangeError as exc:
            info, error = None, str(exc)
        bounds = calendar_bounds()
        return {
            "year": year,
            "info": info,
            "error": error,
            "entries": info.entries if info else year_entries(year),
            "prev_year": year - 1 if bounds and bounds[0].year <= year - 1 <= bounds[1].year else None,
            "next_year": year + 1 if bounds and bounds[0].year <= year + 1 <= bounds[1].year else None,
            "years": range(bounds[0].year, bounds[1].year + 1) if bounds else [],
            "calc_form": calc_form,
            "calc": calc,
            "today": today,
            "can_edit": request.user.has_role(*EDIT_ROLES),
        }

    body = cached_body(request, name="calendar", template="workdays/_calendar_body.html", context=context)
    return render(request, "workdays/calendar.html", {"year": year, "body": body})


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def _save(request, form: CalendarDayForm, day: date | None = None):
    """Run the service with the form's data; on a validation error, show it on the form."""
    data = form.cleaned_data
    try:
        saved = calendar_day_set(
            actor=request.user,
            date=day or data["date"],
            kind=data["kind"],
            name=data["name"],
            document_number=data["document_number"],
            document_date=data["document_date"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, _("Đã lưu %(day)s và cập nhật bảng ngày làm việc.") % {"day": saved})
    return redirect(reverse("workdays:calendar", args=[saved.date.year]) + "#days")


@role_required(*EDIT_ROLES)
def day_create(request):
    initial = {key: request.GET[key] for key in ("kind", "name") if request.GET.get(key)}
    if request.GET.get("date"):  # from a day of the grid, ISO
        initial["date"] = _parse_day(request.GET["date"])
    form = CalendarDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        existing = CalendarDay.objects.filter(date=form.cleaned_data["date"]).first()
        if existing:
            form.add_error(
                "date", _("Ngày này đã có quyết định (%(day)s): hãy sửa quyết định đó.") % {"day": existing}
            )
        elif response := _save(request, form):
            return response
    return render(request, "workdays/day_form.html", {"form": form, "day": None})


@role_required(*EDIT_ROLES)
def day_edit(request, day: str):
    row = get_object_or_404(CalendarDay, date=_parse_day(day))
    initial = {
        "kind": row.kind,
        "name": row.name,
        "document_number": row.document_number,
        "document_date": row.document_date,
    }
    form = CalendarDayForm(request.POST or None, initial=initial, fixed_date=row.date)
    if request.method == "POST" and form.is_valid() and (response := _save(request, form, row.date)):
        return response
    return render(request, "workdays/day_form.html", {"form": form, "day": row})


@role_required(*EDIT_ROLES)
def day_delete(request, day: str):
    row = get_object_or_404(CalendarDay, date=_parse_day(day))
    if request.method == "POST":
        calendar_day_delete(actor=request.user, date=row.date)
        messages.success(request, _("Đã xóa %(day)s; ngày này trở về mặc định.") % {"day": row})
        return redirect(reverse("workdays:calendar", args=[row.date.year]) + "#days")
    return render(request, "workdays/day_confirm_delete.html", {"day": row})
