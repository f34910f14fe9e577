"""Bearer-token authentication and the per-token rate limit of the REST API.

Only `Authorization: Bearer <token>` is accepted — no session, hence no CSRF surface. Each token
may make `API_RATE_LIMIT_REQUESTS` requests per fixed window of `API_RATE_LIMIT_WINDOW` seconds,
counted in the shared cache (`django.core.cache`), so every server process sees the same count."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from ninja.security import HttpBearer

from congvu.api.selectors import token_authenticate
from congvu.api.services import token_touch

log = logging.getLogger(__name__)


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def rate_limit_check(key: str) -> None:
    """Count one request for `key` in the current window; RateLimited past the limit. An
    unreachable cache lets the request through (logged): the limit guards load, not access."""
    limit = settings.API_RATE_LIMIT_REQUESTS
    window = settings.API_RATE_LIMIT_WINDOW
    now = int(time.time())
    start = now - now % window
    cache_key = f"api-rate:{key}:{start}"
    try:
        cache.add(cache_key, 0, timeout=window + 1)
        count = cache.incr(cache_key)
    except Exception:  # noqa: BLE001 - Redis down or cache table missing: never a 500 for that
        log.warning("API rate limit not counted: the cache is unreachable", exc_info=True)
        return
    if count > limit:
        raise RateLimited(retry_after=max(1, start + window - now))


class TokenAuth(HttpBearer):
    """A personal token (see `congvu.api.models.ApiToken`); the request then acts as its user."""

    openapi_description = "Mã truy cập cá nhân: tạo tại trang Tài khoản › Mã truy cập API."

    def authenticate(self, request, token: str):
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        rate_limit_check(f"token:{api_token.pk}")
        token_touch(token=api_token)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user
