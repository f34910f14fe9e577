"""Writes of the API app: personal tokens created, revoked and stamped when used."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.api.models import ApiToken
from congvu.core.audit import audit_record, snapshot

TOKEN_PREFIX = "cv_"
_AUDITED = ["user", "name", "prefix", "expires_at", "revoked_at"]


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor, user, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new personal token for `user`: 32 random bytes, of which only the SHA-256 is stored.
    Returns the row and the token itself, which the caller shows once and never again."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Chưa đặt tên cho mã truy cập.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Ngày hết hạn phải ở tương lai.")})
    if ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).exists():
        raise ValidationError({"name": _("Đã có mã truy cập còn hiệu lực tên “%(name)s”.") % {"name": name}})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=token_hash(raw), prefix=raw[:8], expires_at=expires_at)
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="api_token.create", obj=token, after=snapshot(token, _AUDITED))
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token: it is refused from the next request on. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    before = snapshot(token, _AUDITED)
    token.revoked_at = timezone.now()
    token.full_clean()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action="api_token.revoke", obj=token, before=before, after=snapshot(token, _AUDITED)
    )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Stamp the last use (at most once a minute, so that a busy client does not write every
    request). Not audited: it is a counter, not a decision."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
