"""In-app notices (thông báo trong ứng dụng)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.inspections.models import (
    Notification,
)


def notification_send(*, user: User, text: str, link: str = "", key: str = "") -> Notification | None:
    """An in-app notice; with a `key`, sent at most once per user (returns None when it exists).
    Not audited: a notice is a message about an audited write, not a write of its own."""
    if key and Notification.objects.filter(user=user, key=key).exists():
        return None
    notice = Notification(user=user, text=text[:500], link=link, key=key)
    # The field checks only: the user is the row given, and the key's uniqueness was just read above
    # (a notice goes to every member of a team, each check one more query).
    notice.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:  # the same key written concurrently
        return None
    return notice


def notification_mark_read(
    *, actor: User, notification: Notification | None = None, all_: bool = False
) -> int:
    qs = Notification.objects.filter(user=actor, is_read=False)
    if notification is not None:
        if notification.user_id != actor.pk:
            raise PermissionDenied(_("Thông báo này không phải của bạn."))
        qs = qs.filter(pk=notification.pk)
    elif not all_:
        return 0
    return qs.update(is_read=True)
