"""Figures computed once (số liệu tính một lần): the province ranking and the unit and head/deputy
scorecards come from the shared cache (settings CACHES: the database by default, Redis with
CACHE_URL), keyed by everything they depend on:

* what was asked — the figure set, register, receipt period, report date, unit or official, with or
  without predecessors, grouping;
* who asks — the units the user may see (two users with the same scope share entries) and the
  language (labels such as "Chưa xác định lĩnh vực" are part of the rows);
* the data — the register's data version (`DataVersion.token`, a new random token written by every
  import in the import's own transaction: `data_version_bump`) and the audit chain's newest data
  event (`AuditHead.last_data_event_id`), which every audited write but a user's own access
  (sign-in, second factor, password, session) changes in its own transaction: units, lineage,
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

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Subquery
from django.utils.functional import cached_property
from django.utils.translation import get_language

from congvu.core import shared_cache
from congvu.core.models import AuditHead
from congvu.core.tables import PER_PAGE
from congvu.metrics.models import DataVersion

T = TypeVar("T")
VERSION = 3  # bump when the shape of the cached figures changes (a deploy must not read old shapes)


def data_version_bump(*, register: str) -> None:
    """Give `register` a new data version. Call it inside the transaction that writes the register's
    records, so the figures' new key becomes visible exactly when the new records do."""
    DataVersion.objects.update_or_create(register=register, defaults={"token": uuid.uuid4().hex})


def data_version(register: str) -> tuple[str, str] | None:
    """(register token, newest data event of the audit chain) in one query; None when the register
    has no version row (a flushed test database): then nothing is cached, the figures are computed
    live."""
    head = AuditHead.objects.filter(pk=1).values("last_data_event_id")[:1]
    row = (
        DataVersion.objects.filter(register=register)
        .annotate(head=Subquery(head))
        .values_list("token", "head")
        .first()
    )
    if row is None:
        return None
    return row[0], str(row[1] or "")


def figures_key(*, fetched_by, register: str, name: str, params: dict[str, Any], version) -> str:
    parts = [VERSION, name, register, version, shared_cache.scope(fetched_by), get_language()]
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
    figures = shared_cache.get(key)
    if figures is None:
        figures = shared_cache.compute_once(key, compute)
    return figures


# --- Register lists: the row count without counting, the page by its keys --------------------
#
# A list of a register's records is counted once per data version (`cached_count`) and, when it is
# the user's scope of the register with at most a unit filter and spans several units (a province-
# wide list), without counting the register: the rollups hold every record per unit, the open ones
# too (`rollup_count`). A page is
# read in two steps, its rows' keys then the rows; the keys of a deep page are found by seeking (the
# rows after a known row in the sort order, through the sort's index) from the nearest known page
# boundary — the start, the end, or a page read before under the same data version — instead of an
# OFFSET that walks every row before the page.

# Pages starting this close to the top are read with OFFSET: through the (received_on, id) index an
# OFFSET of 5,000 costs ~2 ms (PostgreSQL, 2M dossiers), less than the seek's two cache round trips.
NEAR_ROWS = 5_000
# The rollups' sum for some units reads their rows from the index `rollup_register_unit_idx` (unit,
# INCLUDE n) alone, a COUNT reads the units' records through the (unit, …) index: at 1M dossiers over
# 150 units (EXPLAIN ANALYZE, load ~4), 1 unit 0.26 ms against 6.5 ms, 30 units 3.1 ms; a unit's COUNT
# grows with its records, its rollup rows with its months. So the rollups answer from one unit up.
ROLLUP_MIN_UNITS = 1
BOUNDARIES_KEPT = 200  # page boundaries remembered per list and data version


def rollup_count(*, register: str, queryset: QuerySet, min_units: int = 0) -> int | None:
    """The exact number of rows of `queryset` without counting the register: the rollups count every
    record per unit, the completed ones by month and outcome and the open ones in one row per unit
    (`congvu.registers.rollups`). None when the list has another condition than its records' unit,
    when the rollups were not built from the register's current data version (the working-day
    calendar does not matter here: it changes lateness, not counts), or when it is restricted to
    fewer than `min_units` units (see ROLLUP_MIN_UNITS). One statement: the state and the sum are read
    from the same snapshot."""
    from django.db.models import OuterRef, Sum

    from congvu.registers.models import RegisterRollup, RollupState
    from congvu.registers.rollups import unit_restriction

    understood, units = unit_restriction(queryset)
    if not understood or (units is not None and len(units) < min_units):
        return None
    within = {} if units is None else {"unit_id__in": sorted(units)}
    rolled = (
        RegisterRollup.objects.filter(register=OuterRef("register"), **within)
        .order_by()
        .values("register")
        .annotate(total=Sum("n"))
        .values("total")
    )
    current = DataVersion.objects.filter(register=register).values("token")[:1]
    rows = list(
        RollupState.objects.filter(register=register, data_token=Subquery(current))
        .annotate(total=Subquery(rolled))
        .values_list("total", flat=True)
    )
    if not rows:
        return None
    return int(rows[0] or 0)


def cached_count(*, register: str, queryset: QuerySet, version=False) -> int:
    """COUNT(*) of a list of `register`'s records, computed once per data version: the key is the
    query's own SQL and parameters (which carry the user's scope and filters), so paging through a
    list of a million dossiers does not count them again on every page. The first time, the rollups
    give it when they can (`rollup_count`). `version`: the register's data version if already read."""
    if queryset.query.is_empty():
        return 0
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:
        return 0
    if version is False:
        version = data_version(register)
    if version is None:
        return queryset.count()
    parts = [VERSION, "count", register, version, sql, repr(params)]
    key = f"figures:count:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    count = shared_cache.get(key)
    if count is None:
        count = rollup_count(register=register, queryset=queryset, min_units=ROLLUP_MIN_UNITS)
        if count is None:
            count = queryset.count()
        shared_cache.set(key, count)
    return count


def _sort_terms(queryset: QuerySet) -> list[tuple[str, bool, bool]] | None:
    """The list's order as (path, descending, nullable) terms ending with the primary key, or None
    when it is not one seeking can follow (an expression, an annotation, no unique last term)."""
    if not queryset.ordered or queryset.query.extra_order_by:
        return None
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    terms = []
    for item in ordering:
        if not isinstance(item, str) or item == "?":
            return None
        desc, path = item.startswith("-"), item.lstrip("-")
        nullable = False
        model = queryset.model
        parts = path.split("__")
        for position, part in enumerate(parts):
            try:
                field = model._meta.pk if part == "pk" else model._meta.get_field(part)
            except Exception:  # an annotation or a lookup: not a plain column
                return None
            nullable = nullable or bool(getattr(field, "null", False))
            if position < len(parts) - 1:
                if not field.is_relation or field.many_to_many or field.one_to_many:
                    return None
                model = field.related_model
            elif field.is_relation:
                return None  # ordering by a relation orders by the target's own ordering
        terms.append((path, desc, nullable))
    if not terms or terms[-1][0] not in ("pk", queryset.model._meta.pk.name):
        return None
    return terms


def _after(terms, key, nulls_largest: bool, *, inclusive: bool = False) -> Q:
    """The rows after the row whose sort values are `key` (and that row too, `inclusive`), in the
    order `terms`; NULLs where the database puts them (PostgreSQL: largest, SQLite: smallest)."""
    (path, desc, nullable), rest = terms[0], terms[1:]
    value = key[0]
    nulls_after = nulls_largest != desc  # NULLs sort after every value in this direction
    if value is None:
        beyond = None if nulls_after else Q(**{f"{path}__isnull": False})
        same = Q(**{f"{path}__isnull": True})
    else:
        strict = "lt" if desc else "gt"
        beyond = Q(**{f"{path}__{strict}{'e' if inclusive and not rest else ''}": value})
        if nullable and nulls_after:
            beyond |= Q(**{f"{path}__isnull": True})
        same = Q(**{path: value})
    if not rest:
        return beyond if beyond is not None else Q(pk__in=[])
    tail = same & _after(rest, key[1:], nulls_largest, inclusive=inclusive)
    condition = tail if beyond is None else beyond | tail
    if value is not None and not (nullable and nulls_after):
        # The same rows, with the range the index can start from (the OR alone is a filter).
        condition = Q(**{f"{path}__{'lte' if desc else 'gte'}": value}) & condition
    return condition


def _reversed(terms):
    return [(path, not desc, nullable) for path, desc, nullable in terms]


def _order(terms) -> list[str]:
    return [f"-{path}" if desc else path for path, desc, _nullable in terms]


class RecordPaginator(Paginator):
    """A paginator for the register lists: the count from `cached_count`, and each page read in two
    steps — the keys of the page's rows first (ordering and LIMIT over the indexes only), then just
    those rows with their related objects — instead of fetching and sorting the full rows of every
    match (tens of thousands for a department) to keep fifty.

    The pages near the top are read with OFFSET. A deeper page is sought from the nearest known
    boundary: the start, the end (reading backwards: the last page costs what the first does), or the
    first or last row of a page read before (kept in the cache per list and data version), so the
    next and previous pages of any page cost what the first does."""

    near_rows = NEAR_ROWS

    def __init__(self, object_list: QuerySet, per_page: int, *, register: str):
        super().__init__(object_list, per_page)
        self.register = register

    @cached_property
    def version(self):
        return data_version(self.register)

    @cached_property
    def count(self) -> int:
        return cached_count(register=self.register, queryset=self.object_list, version=self.version)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        terms = _sort_terms(self.object_list)
        if bottom < self.near_rows or terms is None:
            keys = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        else:
            keys = self._sought(number, terms)
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys).order_by()}
        return self._get_page([rows[pk] for pk in keys if pk in rows], number, self)

    def _boundaries_key(self) -> str | None:
        if self.version is None:
            return None
        try:
            sql, params = self.object_list.query.sql_with_params()
        except EmptyResultSet:
            return None
        parts = [VERSION, "bounds", self.register, self.version, sql, repr(params)]
        return f"figures:bounds:{hashlib.sha256(repr(parts).encode()).hexdigest()}"

    def _sought(self, number: int, terms) -> list:
        """The keys of page `number`, sought from the nearest known boundary."""
        from django.db import connection

        size = self.per_page
        start, end = (number - 1) * size, min(number * size, self.count)
        key = self._boundaries_key()
        known: dict[int, tuple[tuple, tuple]] = (shared_cache.get(key) if key else None) or {}
        # (rows to skip, backwards, the row to start after, include that row)
        ways = [(start, False, None, False), (self.count - end, True, None, False)]
        for page, (first, last) in known.items():
            if page < number:
                ways.append((start - page * size, False, last, False))
            elif page > number:
                ways.append(((page - 1) * size - end, True, first, False))
            else:
                ways.append((0, False, first, True))
        skip, backwards, after, inclusive = min(ways, key=lambda way: way[0])
        order = _reversed(terms) if backwards else terms
        qs = self.object_list
        if after is not None:
            nulls_largest = connection.features.nulls_order_largest
            qs = qs.filter(_after(order, after, nulls_largest, inclusive=inclusive))
        paths = [path for path, _desc, _nullable in terms]
        found = list(qs.order_by(*_order(order)).values_list(*paths)[skip : skip + end - start])
        if backwards:
            found.reverse()
        if key and found and known.get(number) != (found[0], found[-1]):
            known.pop(number, None)
            known[number] = (found[0], found[-1])
            while len(known) > BOUNDARIES_KEPT:
                known.pop(next(iter(known)))
            shared_cache.set(key, known)
        return [row[-1] for row in found]


def paginate_records(request, queryset: QuerySet, *, register: str, per_page: int = PER_PAGE) -> Page:
    """`congvu.core.tables.paginate` for a register's records (see `RecordPaginator`)."""
    return RecordPaginator(queryset, per_page, register=register).get_page(request.GET.get("page"))
