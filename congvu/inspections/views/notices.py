"""In-app notices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.tables import paginate, wants_xlsx, xlsx_response
from congvu.inspections import selectors, services


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
