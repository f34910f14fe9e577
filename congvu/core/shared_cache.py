"""The shared cache's mechanism (settings CACHES: the database by default, Redis with CACHE_URL): reads
and writes that never fail a page, a value computed once at a time, and page bodies rendered once.

Figures of the registers are keyed in `congvu.metrics.cache` (the register's data version joins the
key); this module knows only the audit chain, so the apps below metrics — the organisation, the
working-day calendar — can cache what they show too.

Page bodies (`cached_body`): the content of a page, without what is the user's own on every page (the
navigation, the unread notices, messages: the base template renders those on every request), rendered
once and shared by every user with the same scope and role. The key holds:

* the data — the audit chain's newest data event (`AuditHead.last_data_event_id`), which every audited
  write but a user's own access changes in its own transaction (every write goes through a service
  and leaves an audit event), and, for a page of register records, the register's data version;
* who asks — the units the user may see, the role, whether a superuser, the language, and for a
  `personal` body (the home page's to-do list, what a team member may do) the user;
* what was asked — the path, the exact query string, and the day (what is overdue is counted to today).

A form inside a body is rendered with a placeholder for its CSRF token, which each response replaces
with the request's own token. Nothing is ever invalidated: a write changes the key, and entries under
old keys are never read again (they expire after the cache's TIMEOUT).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from congvu.core.models import AuditHead
from congvu.core.scoping import visible_unit_ids

T = TypeVar("T")
logger = logging.getLogger(__name__)
VERSION = 1  # bump when the shape of the cached bodies changes (a deploy must not read old shapes)

# After an import every user's first look at the ranking misses the cache at once; one of them
# computes it (the others wait for the entry), instead of every server thread computing the same
# figures at the same time. A computation that fails or outlasts the claim lets the others compute.
CLAIM_SECONDS = 30
WAIT_STEP = 0.05

# Stands in for the CSRF token while a body is rendered for the cache (never a real token's shape).
CSRF_PLACEHOLDER = "csrf-token-of-the-request"


def get(key: str) -> Any:
    """The cached value, or None — also when the cache cannot be reached (Redis down, the cache table
    missing after a change of CACHES): the page then computes its figures, it does not fail."""
    try:
        return cache.get(key)
    except Exception:  # any backend's error; the figures are computed instead
        logger.warning("shared cache unavailable (get %s)", key, exc_info=True)
        return None


def set(key: str, value: Any) -> None:  # noqa: A001 — the cache's own verb
    try:
        cache.set(key, value)
    except Exception:
        logger.warning("shared cache unavailable (set %s)", key, exc_info=True)


def delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("shared cache unavailable (delete %s)", key, exc_info=True)


def compute_once(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, stored under `key`; while another process computes the same key, wait for its
    entry instead (up to CLAIM_SECONDS)."""
    claim = f"{key}:computing"
    try:
        claimed = cache.add(claim, 1, CLAIM_SECONDS)
    except Exception:
        logger.warning("shared cache unavailable (add %s)", claim, exc_info=True)
        claimed = True
    if not claimed:
        deadline = time.monotonic() + CLAIM_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            value = get(key)
            if value is not None:
                return value
            if get(claim) is None:  # the computation failed: compute here
                break
    try:
        value = compute()
        set(key, value)
    finally:
        if claimed:
            delete(claim)
    return value


def audit_version() -> tuple[str, str] | None:
    """("", newest data event of the audit chain), or None before the chain's first event (a flushed
    test database): then nothing is cached."""
    heads = AuditHead.objects.filter(pk=1).values_list("last_data_event_id", flat=True)
    return next((("", str(event or "")) for event in heads), None)


def scope(fetched_by) -> str:
    """The units `fetched_by` may see, as part of a key: two users with the same scope share entries."""
    ids = visible_unit_ids(fetched_by)
    if ids is None:
        return "all"
    return ",".join(str(pk) for pk in sorted(ids))


def cached_body(
    request,
    *,
    name: str,
    template: str,
    context: Callable[[], dict],
    personal: bool = False,
    cacheable: bool = True,
    version: Callable[[], tuple[str, str] | None] = audit_version,
) -> SafeString:
    """`template` rendered with `context()` — called only when the cache has no body for this key.
    `personal`: the body depends on who the user is, beyond their units and role; `cacheable` False:
    the body holds something of this request alone (text kept after a refused save, a draw in
    progress) and is rendered now, not cached; `version`: the data the body is made of (the audit
    chain; `congvu.metrics.bodies` adds a register's data version). Only for a GET: a form's errors
    after a POST are that request's own."""
    if not cacheable:
        return mark_safe(render_to_string(template, context(), request=request))
    if request.method not in ("GET", "HEAD"):
        raise ValueError(f"cached_body serves GET only, not {request.method}")

    def render() -> str:
        values = {**context(), "csrf_token": CSRF_PLACEHOLDER}
        return str(render_to_string(template, values, request=request))

    data = version()
    if data is None:
        body = render()
    else:
        user = request.user
        parts = [VERSION, name, data, scope(user), get_language(), user.role, user.is_superuser]
        parts += [request.path, sorted(request.GET.lists()), timezone.localdate().isoformat()]
        parts += [user.pk] if personal else []
        key = f"body:{name}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
        body = get(key)
        if body is None:
            body = compute_once(key, render)
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(body)
