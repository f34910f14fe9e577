"""Rendered page bodies from the figures cache: the content of a page whose every line comes from the
registers (the ranking, the scorecards, the records behind a figure, the register lists), rendered
once and shared by every user with the same scope and role.

The key is the figures key (`cache.cached_figures`: the register's data version, the audit head —
every audited write, to units, officials, the calendar or anything else, changes it —, the user's
visible units and the language) plus the path, the exact query string, the day (lateness is counted
to today) and the user's role (what a page offers may depend on it). What is the user's own — the
navigation, the unread notices, messages — is outside the body and rendered on every request.

Measured (BENCHMARKS.md, pages): rendering the linked tables of these pages cost several times
more than reading their figures; a body read from the cache costs one query."""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from congvu.metrics.cache import cached_figures


def cached_body(
    request, *, register: str, name: str, template: str, context: Callable[[], dict]
) -> SafeString:
    """`template` rendered with `context()` — called only when the cache has no body for this key."""
    params = {
        "path": request.path,
        "query": sorted(request.GET.lists()),
        "today": timezone.localdate().isoformat(),
        "role": request.user.role,
    }

    def compute() -> str:
        return str(render_to_string(template, context(), request=request))

    return mark_safe(
        cached_figures(
            fetched_by=request.user, register=register, name=f"body:{name}", params=params, compute=compute
        )
    )
