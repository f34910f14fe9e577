"""Reads of the API app: a user's own tokens, and the token behind a bearer header."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from congvu.api.models import ApiToken
from congvu.api.services import token_hash


def token_list(*, fetched_by) -> QuerySet:
    """The user's own tokens, live first; nobody sees another person's tokens."""
    if not getattr(fetched_by, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=fetched_by).order_by("revoked_at", "-created_at", "-pk")


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token for this bearer value, with its active user; None when unknown, revoked,
    expired, or its user is inactive."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not token.is_usable(timezone.now()):
        return None
    return token
