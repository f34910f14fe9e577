"""Figures computed once (số liệu tính một lần): the province ranking and the unit and head/deputy
scorecards come from the shared cache (settings CACHES: the database by default, Redis with
CACHE_URL), keyed by everything they depend on:

* what was asked — the figure set, register, receipt period, report date, unit or official, with or
  without predecessors, grouping;
* who asks — the units the user may see (two users with the same scope share entries) and the
  language (labels such as "Chưa xác định lĩnh vực" are part of the rows);
* the data — the register's data version (`DataVersion.token`, a new random token written by every
  import in the import's own transaction: `data_version_bump`) and the head of the audit chain
  (`AuditHead.last_hash`), which every audited write changes in its own transaction: units, lineage,
  officials, appointments and the working-day calendar — the labels, the predecessor groups and the
  lateness in working days that the figures are made of.

Nothing is ever invalidated: a write changes the key, and entries under old keys are never read again
(they expire after the cache's TIMEOUT). The version is read before the figures are computed, so an
import committed in between can only make the entry newer than its key, never older.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Subquery
from django.utils.translation import get_language

from congvu.core.models import AuditHead
from congvu.core.scoping import visible_unit_ids
from congvu.metrics.models import DataVersion

T = TypeVar("T")
VERSION = 1  # bump when the shape of the cached figures changes (a deploy must not read old shapes)


def data_version_bump(*, register: str) -> None:
    """Give `register` a new data version. Call it inside the transaction that writes the register's
    records, so the figures' new key becomes visible exactly when the new records do."""
    DataVersion.objects.update_or_create(register=register, defaults={"token": uuid.uuid4().hex})


def data_version(register: str) -> tuple[str, str] | None:
    """(register token, audit head) in one query; None when the register has no version row (a
    flushed test database): then nothing is cached, the figures are computed live."""
    head = AuditHead.objects.filter(pk=1).values("last_hash")[:1]
    row = (
        DataVersion.objects.filter(register=register)
        .annotate(head=Subquery(head))
        .values_list("token", "head")
        .first()
    )
    if row is None:
        return None
    return row[0], row[1] or ""


def _scope(fetched_by) -> str:
    ids = visible_unit_ids(fetched_by)
    if ids is None:
        return "all"
    return ",".join(str(pk) for pk in sorted(ids))


def figures_key(*, fetched_by, register: str, name: str, params: dict[str, Any], version) -> str:
    parts = [VERSION, name, register, version, _scope(fetched_by), get_language()]
    parts += sorted((key, str(value)) for key, value in params.items())
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"figures:{name}:{digest}"


def cached_figures(
    *, fetched_by, register: str, name: str, params: dict[str, Any], compute: Callable[[], T]
) -> T:
    """`compute()` once for this key; later calls read the shared cache. `params` must name every
    input of `compute` besides the user's scope and the data (see the module docstring)."""
    version = data_version(register)
    if version is None:
        return compute()
    key = figures_key(fetched_by=fetched_by, register=register, name=name, params=params, version=version)
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures)
    return figures
