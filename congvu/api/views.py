"""The user's own API tokens (Tài khoản › Mã truy cập API): list, create (shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.api.forms import TokenCreateForm
from congvu.api.selectors import token_list
from congvu.api.services import token_create, token_revoke
from congvu.core.tables import paginate, wants_xlsx, xlsx_response


def _status(token) -> str:
    if token.revoked_at:
        return _("Đã thu hồi")
    if not token.is_usable():
        return _("Hết hạn")
    return _("Còn hiệu lực")


@login_required
def tokens(request):
    form = TokenCreateForm()
    new_token = None
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            try:
                _row, new_token = token_create(
                    actor=request.user,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    expires_at=form.expires_at(),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form = TokenCreateForm()
    qs = token_list(fetched_by=request.user)
    if wants_xlsx(request):
        rows = (
            (t.name, t.prefix + "…", t.created_at, t.last_used_at, t.expires_at, t.revoked_at, _status(t))
            for t in qs
        )
        headers = [
            _("Tên"),
            _("Tiền tố"),
            _("Tạo lúc"),
            _("Dùng lần cuối"),
            _("Hết hạn"),
            _("Thu hồi lúc"),
            _("Trạng thái"),
        ]
        return xlsx_response("ma-truy-cap-api.xlsx", headers, rows, sheet=_("Mã truy cập API"))
    page = paginate(request, qs)
    for token in page.object_list:
        token.status_label = _status(token)
    response = render(request, "api/tokens.html", {"form": form, "page": page, "new_token": new_token})
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke_view(request, pk):
    token = get_object_or_404(token_list(fetched_by=request.user), pk=pk)
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    return redirect("api_tokens")
