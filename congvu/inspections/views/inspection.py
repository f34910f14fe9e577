"""The inspection list, its creation, the inspection page and its particulars and status moves."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.filters import filter_list
from congvu.core.permissions import role_required
from congvu.core.shared_cache import cached_body
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.inspections import policy, selectors, services
from congvu.inspections.filters import InspectionFilter
from congvu.inspections.forms import (
    InspectionCreateForm,
    InspectionEditForm,
)
from congvu.inspections.models import (
    FindingStatus,
    InspectionKind,
    ResponseStatus,
    ReviewStatus,
)
from congvu.inspections.views._common import (
    _FLASH_KEY,
    _TYPED_CHECKLIST_KEY,
    _TYPED_KEY,
    STAFF_ROLES,
    TAB_KEYS,
    TABS,
    _detail_url,
    _form_errors,
    _pop_typed,
    _run,
)
from congvu.inspections.views.tabs import (
    _TAB_EXPORTS,
    _tab_context,
)
from congvu.inspections.workflow import (
    STATUSES,
    status_label,
    statuses_for,
)

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
    filters = filter_list(InspectionFilter, request, selectors.inspection_list(fetched_by=request.user))
    qs, sort = sort_queryset(request, filters.qs, _SORTS, "-period_to")
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

    def context() -> dict:
        return {
            "page": paginate(request, qs),
            "sort": sort,
            "filters": filters.form,
            **overdue_context(request.user, timezone.localdate()),
            "can_create": request.user.has_role(*STAFF_ROLES),
        }

    # "Đoàn có tôi" (mine) narrows the list to the user's own teams: then the body is theirs alone.
    body = cached_body(
        request,
        name="inspections",
        template="inspections/_list_body.html",
        context=context,
        personal="mine" in request.GET,
    )
    return render(request, "inspections/list.html", {"body": body})


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


@login_required
def inspection_detail(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    tab = request.GET.get("tab", "overview")
    if tab not in TAB_KEYS:
        tab = "overview"
    if wants_xlsx(request):
        return _TAB_EXPORTS[tab](request, inspection)
    # Text kept after a refused save and the answer just sent are this request's own (read once from
    # the session): such a page is rendered, not cached.
    one_shot = any(key in request.session for key in (_TYPED_KEY, _TYPED_CHECKLIST_KEY, _FLASH_KEY))
    return _render_detail(request, inspection, tab, typed=_pop_typed(request), cacheable=not one_shot)


def _render_detail(request, inspection, tab: str, typed: dict | None = None, *, cacheable: bool = False):
    """The inspection page on `tab`; `typed` maps (answer kind, pk) to text the user typed that was
    not saved, shown in its box (based on the current version) beside the stored text. `cacheable`:
    the body may come from the shared cache (what the user may do on it is theirs: a body per user)."""
    body = cached_body(
        request,
        name="inspection",
        template="inspections/_detail_body.html",
        context=lambda: _detail_context(request, inspection, tab, typed),
        personal=True,
        cacheable=cacheable and request.method == "GET",
    )
    return render(request, "inspections/detail.html", {"inspection": inspection, "body": body})


def _detail_context(request, inspection, tab: str, typed: dict | None) -> dict:
    user = request.user
    return {
        "inspection": inspection,
        "tab": tab,
        "tabs": TABS,
        "status_label": status_label(inspection.status),
        "is_team": policy.is_team(user, inspection) and not user.is_read_only,
        "is_lead": policy.is_lead(user),
        "is_unit": policy.is_unit(user, inspection),
        "is_unit_head": policy.is_unit_head(user, inspection),
        "statuses": [(k, v) for k, v in STATUSES.items()],
        "status_steps": statuses_for(inspection.kind),
        "ResponseStatus": ResponseStatus,
        "FindingStatus": FindingStatus,
        "ReviewStatus": ReviewStatus,
        **_tab_context(request, inspection, tab, typed or {}),
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
