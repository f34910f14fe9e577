"""Test support: sessions of privileged users pass the second factor at sign-in.

Most of the suite signs personas in with `client.force_login` or the login form and tests something
else than the second factor. `congvu/conftest.py` wraps every test not marked `second_factor` in
`sessions_pass_second_factor()`: when an administrator, lead or leadership member signs in, a
confirmed TOTP device is attached to them and its id put in the session, exactly what a successful
verification leaves (django-otp's OTPMiddleware then loads the device on each request). Tests of the
second factor itself carry the `second_factor` marker and go through the real pages."""

from contextlib import contextmanager

from django.contrib.auth.signals import user_logged_in
from django_otp import DEVICE_ID_SESSION_KEY


def _mark_verified(sender, request, user, **kwargs):
    if not getattr(user, "needs_second_factor", False) or request is None:
        return
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


@contextmanager
def sessions_pass_second_factor():
    user_logged_in.connect(_mark_verified, dispatch_uid="congvu_test_second_factor")
    try:
        yield
    finally:
        user_logged_in.disconnect(dispatch_uid="congvu_test_second_factor")
