"""Sign-in events into the audit trail: Django's login and login-failure signals and django-axes'
lockout signal (the only way these libraries report them). The receivers only call services."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from congvu.accounts import services
from congvu.accounts.middleware import stamp_activity


@receiver(user_logged_in, dispatch_uid="congvu_login_audit")
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        stamp_activity(request.session)  # the idle clock starts at sign-in
    services.login_recorded(user=user, request=request)


@receiver(user_login_failed, dispatch_uid="congvu_login_failed_audit")
def _login_failed(sender, credentials, request=None, **kwargs):
    services.login_failure_recorded(username=str(credentials.get("username", "")), request=request)


@receiver(user_locked_out, dispatch_uid="congvu_lockout_audit")
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    services.lockout_recorded(username=username or "", ip_address=ip_address or "")
