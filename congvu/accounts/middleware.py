"""Session idle timeout and the second-factor gate (issue #14 item 8)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

LAST_SEEN_KEY = "congvu_last_seen"
# The stamp is refreshed at most once a minute, so a page view does not write the session each time.
STAMP_EVERY_SECONDS = 60


def stamp_activity(session) -> None:
    session[LAST_SEEN_KEY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_MINUTES without a request, with a message on the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_MINUTES * 60:
                from congvu.accounts.services import session_expired

                session_expired(user=user, idle_minutes=settings.SESSION_IDLE_MINUTES)
                logout(request)
                messages.info(
                    request,
                    gettext(
                        "Phiên làm việc đã kết thúc sau %(minutes)s phút không thao tác: mời đăng nhập lại."
                    )
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            if last is None or now - last >= STAMP_EVERY_SECONDS:
                stamp_activity(request.session)
        return self.get_response(request)


class SecondFactorMiddleware:
    """A signed-in administrator, inspection lead or leadership member whose session has no verified
    device reaches only the second-factor pages, logout and the language switch: every other page
    sends them to enrolment (no confirmed device yet) or to verification."""

    ALLOWED_URL_NAMES = ("otp_verify", "otp_enrol", "logout", "login", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed: tuple[str, ...] | None = None

    def _allowed_paths(self) -> tuple[str, ...]:
        if self._allowed is None:
            self._allowed = (*(reverse(name) for name in self.ALLOWED_URL_NAMES), "/" + settings.STATIC_URL)
        return self._allowed

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.needs_second_factor
            and not user.is_verified()
            and not request.path.startswith(self._allowed_paths())
        ):
            from congvu.accounts.otp import has_confirmed_totp

            target = "otp_verify" if has_confirmed_totp(user) else "otp_enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
