"""Pages of the organisation: the tree as of a date, units with their lineage, officials, fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.filters import filter_list
from congvu.core.permissions import require_role, role_required
from congvu.core.scoping import get_visible_or_404
from congvu.core.shared_cache import cached_body
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.org.filters import FieldFilter, OfficialFilter, UnitFilter
from congvu.org.forms import (
    AppointmentEndForm,
    AppointmentForm,
    DayForm,
    LineageForm,
    OfficialForm,
    OfficialPersonalForm,
)
from congvu.org.models import Appointment, AppointmentRole, Official, Unit
from congvu.org.selectors import (
    appointments_on,
    field_list,
    official_appointments,
    official_list,
    unit_ancestry,
    unit_appointments,
    unit_lineage_links,
    unit_list,
    unit_tree_on,
)
from congvu.org.services import (
    appointment_create,
    appointment_end,
    official_create,
    official_personal_update,
    unit_lineage_record,
)

ORG_ADMIN = ("admin",)


def _day(request):
    """The `?date=` (dd/mm/yyyy), today when absent or invalid; and the bound form to show."""
    form = DayForm(request.GET or None)
    day = form.cleaned_data["date"] if form.is_valid() and form.cleaned_data["date"] else None
    return day or timezone.localdate(), form


def _flatten(nodes, depth=0):
    for node in nodes:
        yield node.unit, depth
        yield from _flatten(node.children, depth + 1)


@login_required
def tree(request):
    day, form = _day(request)
    filters = filter_list(UnitFilter, request, unit_list(fetched_by=request.user, day=day))
    query = filters.form.cleaned_data.get("q", "") if filters.is_bound and filters.is_valid() else ""
    if query:
        matches = list(filters.qs.order_by("name")[:200])
        roots = []
    else:
        matches = None
        roots = SimpleLazyObject(lambda: unit_tree_on(fetched_by=request.user, day=day))
    if wants_xlsx(request):
        rows = (
            (
                "    " * depth + u.name,
                u.code,
                u.get_kind_display(),
                u.parent.name if u.parent else "",
                u.valid_from,
                u.valid_to,
            )
            for u, depth in (((u, 0) for u in matches) if matches is not None else _flatten(roots))
        )
        headers = [_("Đơn vị"), _("Mã"), _("Loại"), _("Cấp trên"), _("Hiệu lực từ"), _("Hiệu lực đến")]
        return xlsx_response(f"co-cau-to-chuc-{day:%Y-%m-%d}.xlsx", headers, rows, sheet=_("Cơ cấu tổ chức"))

    def context() -> dict:
        return {
            "day": day,
            "form": form,
            "roots": roots,
            "matches": matches,
            "query": query,
            "filters": filters.form,
            "total": sum(node.size for node in roots) if matches is None else len(matches),
            "can_record": request.user.has_role(*ORG_ADMIN),
        }

    body = cached_body(request, name="org-tree", template="org/_tree_body.html", context=context)
    return render(request, "org/tree.html", {"body": body})


@login_required
def unit_detail(request, code):
    unit = get_visible_or_404(Unit, request.user, code=code)
    day, form = _day(request)
    in_force = appointments_on(unit.pk, day).select_related("official").prefetch_related("fields")
    history = unit_appointments(fetched_by=request.user, unit=unit)
    if wants_xlsx(request):
        rows = (
            (
                a.official.code,
                a.official.full_name,
                a.get_role_display(),
                a.title,
                a.start,
                a.end,
                ", ".join(f.name for f in a.fields.all()),
                a.decision,
            )
            for a in history
        )
        headers = [
            _("Mã cán bộ"),
            _("Họ và tên"),
            _("Vị trí"),
            _("Chức danh"),
            _("Từ ngày"),
            _("Đến ngày"),
            _("Lĩnh vực phụ trách"),
            _("Quyết định"),
        ]
        return xlsx_response(f"bo-nhiem-{unit.code}.xlsx", headers, rows, sheet=_("Bổ nhiệm"))

    def context() -> dict:
        incoming, outgoing = unit_lineage_links(fetched_by=request.user, unit=unit)
        all_predecessors, all_successors = unit_ancestry(fetched_by=request.user, unit=unit)
        children = unit_list(fetched_by=request.user, day=day).filter(parent=unit).order_by("kind", "name")
        return {
            "unit": unit,
            "day": day,
            "form": form,
            "heads": [a for a in in_force if a.role == AppointmentRole.HEAD],
            "deputies": [a for a in in_force if a.role == AppointmentRole.DEPUTY],
            "others": [a for a in in_force if a.role == AppointmentRole.OTHER],
            "history": paginate(request, history),
            "incoming": incoming,
            "outgoing": outgoing,
            "all_predecessors": all_predecessors,
            "all_successors": all_successors,
            "indirect_predecessors": all_predecessors.exclude(
                pk__in=[link.predecessor_id for link in incoming]
            ),
            "children": children,
            "valid_today": unit.is_valid_on(day),
        }

    body = cached_body(request, name="org-unit", template="org/_unit_body.html", context=context)
    return render(request, "org/unit_detail.html", {"unit": unit, "body": body})


@role_required(*ORG_ADMIN)
def lineage_record(request):
    form = LineageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            links = unit_lineage_record(
                actor=request.user,
                event=data["event"],
                predecessors=list(data["predecessors"]),
                successors=list(data["successors"]),
                new_units=data["new_units"],
                date=data["date"],
                document=data["document"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Đã ghi %(n)s quan hệ kế thừa; các đơn vị tiền thân hết hiệu lực từ ngày %(day)s.")
                % {"n": len(links), "day": f"{data['date']:%d/%m/%Y}"},
            )
            return redirect("org:unit", links[0].successor.code)
    return render(request, "org/lineage_form.html", {"form": form})


_OFFICIAL_SORTS = {
    "name": "name_folded",
    "code": "code",
    "staff_type": "staff_type",
    "unit": "post_unit_name",
}


@login_required
def officials(request):
    today = timezone.localdate()
    filters = filter_list(OfficialFilter, request, official_list(fetched_by=request.user, day=today))
    qs, sort = sort_queryset(request, filters.qs, _OFFICIAL_SORTS, "name")
    if wants_xlsx(request):
        rows = (
            (
                o.code,
                o.full_name,
                o.get_staff_type_display(),
                o.post_title or "",
                o.post_unit_name or "",
                o.email,
            )
            for o in qs.iterator(chunk_size=2000)
        )
        headers = [
            _("Mã cán bộ"),
            _("Họ và tên"),
            _("Loại"),
            _("Chức danh hiện nay"),
            _("Đơn vị"),
            _("Thư điện tử"),
        ]
        return xlsx_response("can-bo.xlsx", headers, rows, sheet=_("Cán bộ"))

    def context() -> dict:
        return {
            "page": paginate(request, qs),
            "sort": sort,
            "today": today,
            "filters": filters.form,
            "can_edit": request.user.has_role(*ORG_ADMIN),
            "form": OfficialForm() if request.user.has_role(*ORG_ADMIN) else None,
        }

    if request.htmx and not request.htmx.history_restore_request:  # the search as one types: the table
        table = cached_body(
            request, name="officials-table", template="org/_officials_table.html", context=context
        )
        return HttpResponse(table)
    body = cached_body(request, name="officials", template="org/_officials_body.html", context=context)
    return render(request, "org/officials.html", {"body": body})


@role_required(*ORG_ADMIN)
def official_new(request):
    form = OfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            official = official_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã thêm cán bộ %(name)s.") % {"name": official})
            return redirect("org:official", official.code)
    return render(request, "org/official_form.html", {"form": form})


@login_required
def official_detail(request, code):
    official = get_visible_or_404(Official, request.user, code=code)
    history = official_appointments(fetched_by=request.user, official=official)
    if wants_xlsx(request):
        rows = (
            (
                a.unit.name,
                a.unit.code,
                a.get_role_display(),
                a.title,
                a.start,
                a.end,
                ", ".join(f.name for f in a.fields.all()),
                a.decision,
            )
            for a in history
        )
        headers = [
            _("Đơn vị"),
            _("Mã đơn vị"),
            _("Vị trí"),
            _("Chức danh"),
            _("Từ ngày"),
            _("Đến ngày"),
            _("Lĩnh vực phụ trách"),
            _("Quyết định"),
        ]
        return xlsx_response(f"qua-trinh-cong-tac-{official.code}.xlsx", headers, rows, sheet=_("Quá trình"))
    can_edit = request.user.has_role(*ORG_ADMIN)
    return render(
        request,
        "org/official_detail.html",
        {
            "official": official,
            "history": history,
            "partial": not request.user.is_province_wide,
            "can_edit": can_edit,
            "form": AppointmentForm() if can_edit else None,
            "end_form": AppointmentEndForm(initial={"end": timezone.localdate()}) if can_edit else None,
            "personal_form": OfficialPersonalForm(
                initial={"birth_date": official.birth_date, "sex": official.sex}
            )
            if can_edit
            else None,
            "today": timezone.localdate(),
        },
    )


@role_required(*ORG_ADMIN)
def appointment_new(request, code):
    official = get_visible_or_404(Official, request.user, code=code)
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment_create(actor=request.user, official=official, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã ghi bổ nhiệm."))
            return redirect("org:official", official.code)
    return render(request, "org/appointment_form.html", {"form": form, "official": official})


@login_required
def appointment_close(request, pk):
    appointment = get_visible_or_404(Appointment.objects.select_related("official"), request.user, pk=pk)
    require_role(request.user, *ORG_ADMIN)
    form = AppointmentEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment_end(actor=request.user, appointment=appointment, end=form.cleaned_data["end"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã kết thúc bổ nhiệm %(a)s.") % {"a": appointment})
    elif request.method == "POST":
        messages.error(request, _("Ngày kết thúc không hợp lệ: nhập theo dạng dd/mm/yyyy."))
    return redirect("org:official", appointment.official.code)


@require_POST
def official_personal(request, code):
    official = get_visible_or_404(Official, request.user, code=code)
    require_role(request.user, *ORG_ADMIN)
    form = OfficialPersonalForm(request.POST)
    if form.is_valid():
        try:
            official_personal_update(actor=request.user, official=official, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Đã cập nhật ngày sinh, giới tính của %(name)s.") % {"name": official}
            )
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect("org:official", official.code)


_FIELD_SORTS = {"code": "code", "name": "name_folded", "deputies": "deputies"}


@login_required
def fields(request):
    today = timezone.localdate()
    filters = filter_list(FieldFilter, request, field_list(fetched_by=request.user, day=today))
    qs, sort = sort_queryset(request, filters.qs, _FIELD_SORTS, "name")
    if wants_xlsx(request):
        rows = ((f.code, f.name, f.deputies) for f in qs)
        headers = [_("Mã"), _("Lĩnh vực"), _("Số cấp phó đang phụ trách")]
        return xlsx_response("linh-vuc.xlsx", headers, rows, sheet=_("Lĩnh vực"))
    return render(
        request,
        "org/fields.html",
        {"page": paginate(request, qs), "sort": sort, "today": today, "filters": filters.form},
    )
