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
import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, Subquery
from django.utils.functional import cached_property
from django.utils.translation import get_language

from congvu.core.models import AuditHead
from congvu.core.scoping import visible_unit_ids
from congvu.core.tables import PER_PAGE
from congvu.metrics.models import DataVersion

T = TypeVar("T")
logger = logging.getLogger(__name__)
VERSION = 3  # bump when the shape of the cached figures changes (a deploy must not read old shapes)


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
    figures = _get(key)
    if figures is None:
        figures = compute()
        _set(key, figures)
    return figures


def _get(key: str) -> Any:
    """The cached value, or None — also when the cache cannot be reached (Redis down, the cache table
    missing after a change of CACHES): the page then computes its figures, it does not fail."""
    try:
        return cache.get(key)
    except Exception:  # any backend's error; the figures are computed instead
        logger.warning("figures cache unavailable (get %s)", key, exc_info=True)
        return None


def _set(key: str, value: Any) -> None:
    try:
        cache.set(key, value)
    except Exception:
        logger.warning("figures cache unavailable (set %s)", key, exc_info=True)


# --- Register lists: the row count once, the page by its keys --------------------------------


def cached_count(*, register: str, queryset: QuerySet) -> int:
    """COUNT(*) of a list of `register`'s records, computed once per data version: the key is the
    query's own SQL and parameters (which carry the user's scope and filters), so paging through a
    list of a million dossiers does not count them again on every page."""
    if queryset.query.is_empty():
        return 0
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:
        return 0
    version = data_version(register)
    if version is None:
        return queryset.count()
    parts = [VERSION, "count", register, version, sql, repr(params)]
    key = f"figures:count:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    count = _get(key)
    if count is None:
        count = queryset.count()
        _set(key, count)
    return count


class RecordPaginator(Paginator):
    """A paginator for the register lists: the count from `cached_count`, and each page read in two
    steps — the keys of the page's rows first (ordering and LIMIT over the indexes only), then just
    those rows with their related objects — instead of fetching and sorting the full rows of every
    match (tens of thousands for a department) to keep fifty."""

    def __init__(self, object_list: QuerySet, per_page: int, *, register: str):
        super().__init__(object_list, per_page)
        self.register = register

    @cached_property
    def count(self) -> int:
        return cached_count(register=self.register, queryset=self.object_list)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        keys = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys).order_by()}
        return self._get_page([rows[pk] for pk in keys if pk in rows], number, self)


def paginate_records(request, queryset: QuerySet, *, register: str, per_page: int = PER_PAGE) -> Page:
    """`congvu.core.tables.paginate` for a register's records (see `RecordPaginator`)."""
    return RecordPaginator(queryset, per_page, register=register).get_page(request.GET.get("page"))
