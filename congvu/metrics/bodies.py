"""Rendered page bodies of register records: the ranking, the scorecards, the records behind a figure,
the register lists — rendered once and shared by every user with the same scope and role
(`congvu.core.shared_cache.cached_body`, which says what the key holds and what stays outside the
body), with the register's data version (`cache.data_version`: a new token with every import) joining
the audit head in the key.

Measured (BENCHMARKS.md, pages): rendering the linked tables of these pages cost several times
more than reading their figures; a body read from the cache costs one query."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

from congvu.core import shared_cache
from congvu.metrics.cache import data_version


def cached_body(
    request,
    *,
    register: str,
    name: str,
    template: str,
    context: Callable[[], dict],
    personal: bool = False,
    cacheable: bool = True,
) -> SafeString:
    """`template` rendered with `context()` — called only when the cache has no body for this key
    (`congvu.core.shared_cache.cached_body`, with the register's data version in the key)."""
    return shared_cache.cached_body(
        request,
        name=f"{register}:{name}",
        template=template,
        context=context,
        personal=personal,
        cacheable=cacheable,
        version=lambda: data_version(register),
    )
