"""The audit history, overall and per object: admin and inspection lead only."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from congvu.core.filters import AuditEventFilter, filter_list
from congvu.core.permissions import role_required
from congvu.core.scoping import get_visible_or_404
from congvu.core.selectors import audit_event_list
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response

AUDIT_ROLES = ("admin", "lead")
_SORTS = {"id": "id", "created_at": "created_at", "action": "action", "actor": "actor_label"}


def _export(qs):
    rows = (
        (e.pk, e.created_at, e.actor_label, e.action, e.object_type, e.object_id, e.object_repr, e.hash)
        for e in qs.iterator(chunk_size=2000)
    )
    headers = [
        "#",
        _("Thời điểm"),
        _("Người thực hiện"),
        _("Hành động"),
        _("Loại đối tượng"),
        _("Mã"),
        _("Đối tượng"),
        _("Mã băm"),
    ]
    return xlsx_response("nhat-ky.xlsx", headers, rows, sheet=_("Nhật ký"))


@role_required(*AUDIT_ROLES)
def audit_list(request):
    filters = filter_list(AuditEventFilter, request, audit_event_list(fetched_by=request.user))
    qs, sort = sort_queryset(request, filters.qs, _SORTS, "-id")
    if wants_xlsx(request):
        return _export(qs)
    context = {"page": paginate(request, qs), "sort": sort, "filters": filters.form}
    return render(request, "core/audit_list.html", context)


@role_required(*AUDIT_ROLES)
def audit_object(request, object_type, object_id):
    qs = audit_event_list(fetched_by=request.user, object_type=object_type).filter(object_id=object_id)
    qs, sort = sort_queryset(request, qs, _SORTS, "-id")
    if wants_xlsx(request):
        return _export(qs)
    return render(
        request,
        "core/audit_list.html",
        {"page": paginate(request, qs), "sort": sort, "object_type": object_type, "object_id": object_id},
    )


@role_required(*AUDIT_ROLES)
def audit_detail(request, pk):
    from congvu.core.models import AuditEvent

    event = get_visible_or_404(AuditEvent, request.user, pk=pk)
    return render(request, "core/audit_detail.html", {"event": event})
