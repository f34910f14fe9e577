import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from congvu.accounts import services
from congvu.accounts.models import RecoveryCodeDevice
from congvu.accounts.otp import has_confirmed_totp, qr_svg, secret_text
from congvu.accounts.services import user_password_changed


class CongvuLoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            from congvu.accounts.demo import DEMO_PASSWORD, demo_accounts

            context["demo_accounts"] = demo_accounts()
            context["demo_password"] = DEMO_PASSWORD
        return context


def _old_password_failures_key(user) -> str:
    return f"congvu:old-password-failures:{user.pk}"


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The password change form, whose check of the current password is throttled per user like
    signing in (AXES_FAILURE_LIMIT wrong passwords within AXES_COOLOFF_TIME): a stolen session must not
    be a way to guess the password. The failures' times live in the shared cache, so every worker
    sees them."""

    def clean_old_password(self):
        key = _old_password_failures_key(self.user)
        limit = settings.AXES_FAILURE_LIMIT
        window = int(settings.AXES_COOLOFF_TIME * 3600)
        now = time.time()
        failures = [t for t in cache.get(key, ()) if t > now - window]
        if len(failures) >= limit:
            raise ValidationError(
                _(
                    "Đã nhập sai mật khẩu hiện tại %(n)s lần: tạm khóa đổi mật khẩu, hãy thử lại sau "
                    "%(m)s phút."
                ),
                code="throttled",
                params={"n": limit, "m": window // 60},
            )
        try:
            return super().clean_old_password()
        except ValidationError:
            cache.set(key, [*failures, now][-limit:], timeout=window)
            raise


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("home")
    form_class = ThrottledPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        cache.delete(_old_password_failures_key(self.request.user))
        user_password_changed(user=self.request.user)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


# --- Second factor --------------------------------------------------------------------------


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Step two of signing in: a code from the authenticator app, or one recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not has_confirmed_totp(request.user):
        return redirect(f"{reverse('otp_enrol')}?{urlencode({'next': _next_url(request)})}")
    error = ""
    if request.method == "POST":
        device = services.otp_verify(user=request.user, token=request.POST.get("token", ""), request=request)
        if device is not None:
            otp_login(request, device)
            if isinstance(device, RecoveryCodeDevice):
                left = device.codes.filter(used_at__isnull=True).count()
                messages.warning(
                    request,
                    _("Đã dùng một mã khôi phục; còn %(left)s mã. Tạo bộ mã mới ở trang xác thực hai lớp.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
        error = _("Mã không đúng hoặc đã hết hạn (mã khôi phục chỉ dùng được một lần). Thử lại.")
    return render(request, "accounts/otp_verify.html", {"error": error, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Enrolment: scan the QR code (or type the key) into an authenticator app, confirm with a code;
    the ten recovery codes are shown once. A verified user may enrol a new device here too."""
    if has_confirmed_totp(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('otp_verify')}?{urlencode({'next': _next_url(request)})}")
    device = services.otp_enrolment_device(user=request.user)
    error = ""
    if request.method == "POST":
        codes = services.otp_enrolment_confirm(
            user=request.user, device=device, token=request.POST.get("token", "")
        )
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        error = _("Mã không đúng: kiểm tra giờ trên điện thoại rồi nhập mã đang hiển thị.")
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "qr_svg": qr_svg(device.config_url),
            "secret": secret_text(device),
            "error": error,
            "next": _next_url(request),
            "required": request.user.needs_second_factor,
        },
    )


@login_required
@require_POST
def recovery_codes_regenerate(request):
    if not request.user.is_verified():
        return redirect("otp_verify")
    codes = services.recovery_codes_regenerate(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("home")})
