"""The annual inspection plans."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.filters import filter_list
from congvu.core.permissions import role_required
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.inspections import selectors, services
from congvu.inspections.filters import PlanFilter
from congvu.inspections.forms import (
    PlanForm,
    PlanItemForm,
)
from congvu.inspections.models import (
    PlanStatus,
)
from congvu.inspections.views._common import (
    STAFF_ROLES,
    _form_errors,
    _run,
)

_PLAN_SORTS = {"year": "year", "title": "title", "status": "status", "items": "item_count"}


@login_required
def plan_list(request):
    if not request.user.is_province_wide:
        raise Http404
    filters = filter_list(PlanFilter, request, selectors.plan_list(fetched_by=request.user))
    qs, sort = sort_queryset(request, filters.qs, _PLAN_SORTS, "-year")
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
            "filters": filters.form,
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
