"""Writes to accounts, each audited."""

from django.db import transaction
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from congvu.accounts.models import RecoveryCode, RecoveryCodeDevice, User
from congvu.accounts.otp import RECOVERY_CODE_COUNT, hash_recovery_code, new_recovery_code
from congvu.core.audit import audit_record, snapshot

_PUBLIC_FIELDS = ["username", "full_name", "email", "role", "unit", "is_active", "is_staff", "is_superuser"]


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str | None,
    role: str,
    unit=None,
    full_name: str = "",
    email: str = "",
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        role=role,
        unit=unit,
        full_name=full_name,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        unit_id=user.unit_id,
        after=snapshot(user, _PUBLIC_FIELDS),
    )
    return user


@transaction.atomic
def user_password_changed(*, user: User) -> None:
    """Record the change (the hash itself never goes into the audit trail)."""
    audit_record(actor=user, action="user.password_change", obj=user, unit_id=user.unit_id)


# --- Second factor (issue #14 item 8) -----------------------------------------------------


def _client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:45] if request is not None else ""


@transaction.atomic
def otp_enrolment_device(*, user: User) -> TOTPDevice:
    """The TOTP device being enrolled: the user's unconfirmed one, else a new random key. Nothing is
    audited until it is confirmed with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice(user=user, name="Ứng dụng xác thực", confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def otp_enrolment_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a code from the app; returns the new recovery codes (shown once),
    or None when the code is wrong (audited as a failure). A new device replaces the old ones."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(token.strip()):
        audit_record(actor=user, action="user.otp_failure", obj=user, after={"step": "enrol"})
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    audit_record(actor=user, action="user.otp_enrol", obj=user, after={"device": device.name})
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    RecoveryCodeDevice.objects.filter(user=user).delete()
    holder = RecoveryCodeDevice(user=user, name="Mã khôi phục", confirmed=True)
    holder.full_clean()
    holder.save()
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=holder, code_hash=hash_recovery_code(c)) for c in codes
    )
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Ten new codes; the old ones stop working."""
    codes = _recovery_codes_replace(user)
    audit_record(actor=user, action="user.recovery_codes_regenerate", obj=user)
    return codes


@transaction.atomic
def otp_verify(*, user: User, token: str, request=None) -> Device | None:
    """The device that accepts `token` (a TOTP code, else an unused recovery code, which is then used
    up), audited either way; None when nothing accepts it."""
    token = token.strip()
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *RecoveryCodeDevice.objects.filter(user=user, confirmed=True),
    ]
    for device in devices:
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            method = "recovery_code" if isinstance(verified, RecoveryCodeDevice) else "totp"
            after = {"method": method, "ip": _client_ip(request)}
            if method == "recovery_code":
                after["recovery_codes_left"] = verified.codes.filter(used_at__isnull=True).count()
            audit_record(actor=user, action="user.otp_verify", obj=user, after=after)
            return verified
    audit_record(
        actor=user, action="user.otp_failure", obj=user, after={"step": "verify", "ip": _client_ip(request)}
    )
    return None


# --- Sign-in events, written by the receivers in accounts/signals.py ------------------------


@transaction.atomic
def login_recorded(*, user: User, request=None) -> None:
    audit_record(actor=user, action="user.login", obj=user, after={"ip": _client_ip(request)})


@transaction.atomic
def login_failure_recorded(*, username: str, request=None) -> None:
    """A wrong password (or an unknown name): the name typed, never the password."""
    audit_record(
        actor="anonymous",
        action="user.login_failed",
        object_type="accounts.user",
        object_repr=username[:150],
        after={"username": username[:150], "ip": _client_ip(request)},
    )


@transaction.atomic
def lockout_recorded(*, username: str, ip_address: str = "") -> None:
    audit_record(
        actor="django-axes",
        action="user.locked_out",
        object_type="accounts.user",
        object_repr=(username or "")[:150],
        after={"username": (username or "")[:150], "ip": (ip_address or "")[:45]},
    )


@transaction.atomic
def session_expired(*, user: User, idle_minutes: int) -> None:
    audit_record(actor=user, action="user.session_expired", obj=user, after={"idle_minutes": idle_minutes})
