"""Writes to accounts, each audited."""

from django.db import transaction

from congvu.accounts.models import User
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
