"""Rollups of the settled records: the province-wide figures without scanning every record.

A record is *settled* once it is both received and completed — in the month of the later of the two
dates. As of any report date R on or after that month its contribution to the four buckets never
changes: it is in the report (received ≤ R), done (completed ≤ R), and on time, late by ord(completed)
− ord(due) working days, or without a deadline. `RegisterRollup` keeps, per register, unit, month of
settlement, outcome and lateness, how many records there are; the engine
(`congvu.metrics.engine.compute_buckets`) adds up the rows settled before R's month and computes only
the rest live, against R: the open records, those completed in R's month or later, and the (invalid)
ones completed before their receipt — found through the indexes `*_settle_idx` (completed_on first) and
`*_completed_early_idx`, so the live part reads a few percent of the table, index only.

The rollups are rebuilt, set-based, by every import that writes the register, inside the import's
write transaction (`rollup_rebuild`, called next to `data_version_bump`), and stamped with the data
version the import wrote and a fingerprint of the working-day calendar. The engine reads them only
while both still match (`rollup_rows`): a calendar rebuilt since, or records written without the
importer, make it compute everything live until the next import — slower, never different. Tests
compare both paths on random data on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date

from django.db import connection
from django.db.models import Case, Count, F, Q, Subquery, Sum, Value, When
from django.db.models.functions import Greatest, TruncMonth

from congvu.registers.models import Dossier, RegisterRollup, RollupState, Task

OUTCOMES = RegisterRollup.Outcome


def _model(register: str):
    if register == "tasks":
        return Task
    if register == "dossiers":
        return Dossier
    raise ValueError(f"unknown register {register!r}")


def calendar_fingerprint() -> str:
    """A digest of the working-day ordinal table (every date with its ordinal): lateness in working
    days depends on nothing else. ~8,000 rows, read in a few milliseconds."""
    from congvu.workdays.models import WorkdayOrdinal

    table = WorkdayOrdinal._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # computed by the server: one short row back
            cursor.execute(
                f"SELECT md5(string_agg(date::text || '=' || ordinal, ',' ORDER BY date)) FROM {table}"
            )
            return cursor.fetchone()[0] or ""
        cursor.execute(f"SELECT date, ordinal FROM {table} ORDER BY date")
        return hashlib.md5(repr(cursor.fetchall()).encode(), usedforsecurity=False).hexdigest()


def _data_token(register: str) -> str | None:
    from congvu.metrics.models import DataVersion

    return DataVersion.objects.filter(register=register).values_list("token", flat=True).first()


def settled_before_q(month: date) -> Q:
    """The records settled before `month` (its first day): completed, and received and completed
    before it — exactly the records the rollups rows of earlier months count."""
    return Q(completed_on__lt=month, received_on__lt=month)


def live_parts(records, month: date) -> list:
    """`records` that are not settled before `month`, as three disjoint querysets, each read through
    an index: the open ones, those completed in `month` or later, and those completed before `month`
    and before they were received, but received in `month` or later."""
    return [
        records.filter(completed_on__isnull=True),
        records.filter(completed_on__gte=month),
        records.filter(Q(completed_on__lt=F("received_on")), completed_on__lt=month, received_on__gte=month),
    ]


def _rollup_select(register: str, records=None):
    """The rollup rows of `register` (or of the given queryset of its records), computed from the
    records (one grouped query)."""
    from congvu.metrics.engine import _days

    if records is None:
        records = _model(register).objects.all()
    records = records.filter(completed_on__isnull=False).order_by()
    outcome = Case(
        When(due_on__isnull=True, then=Value(OUTCOMES.NO_DEADLINE)),
        When(completed_on__lte=F("due_on"), then=Value(OUTCOMES.ON_TIME)),
        default=Value(OUTCOMES.LATE),
    )
    late_days = Case(
        When(due_on__isnull=False, completed_on__gt=F("due_on"), then=_days("completed_on", "due_on"))
    )
    return (
        records.annotate(
            r_month=TruncMonth(Greatest("received_on", "completed_on")),
            r_outcome=outcome,
            r_days=late_days,
        )
        .values("unit_id", "r_month", "r_outcome", "r_days")
        .annotate(r_n=Count("*"))
    )


def rollup_rebuild(*, register: str) -> int:
    """Recompute `register`'s rollups from its records and stamp them with its current data version
    and the calendar's fingerprint. Call it inside the transaction that writes the records, after
    `data_version_bump`. Returns the number of rollup rows."""
    table = RegisterRollup._meta.db_table
    sql, params = _rollup_select(register).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{table}" WHERE register = %s', [register])
        cursor.execute(
            f'INSERT INTO "{table}" (register, unit_id, settled_month, outcome, late_days, n) '
            f'SELECT %s, s."unit_id", s."r_month", s."r_outcome", s."r_days", s."r_n" FROM ({sql}) s',
            [register, *params],
        )
        rows = cursor.rowcount
    _stamp(register, calendar_fingerprint())
    return rows


def _stamp(register: str, calendar: str) -> None:
    RollupState.objects.update_or_create(
        register=register, defaults={"data_token": _data_token(register) or "", "calendar": calendar}
    )


def rollup_lock_valid(register: str) -> str | None:
    """Inside a write transaction, before the records are written: lock `register`'s data version row
    (a concurrent writer's `data_version_bump` then waits for this commit) and say whether its rollups
    are valid. Returns the calendar fingerprint when they are — an update of the rollups by difference
    (`RollupDelta`) then gives exactly what a full rebuild would — and None when they are not (rebuild
    them in full)."""
    from congvu.metrics.models import DataVersion

    token = (
        DataVersion.objects.select_for_update()
        .filter(register=register)
        .values_list("token", flat=True)
        .first()
    )
    state = RollupState.objects.filter(register=register).values_list("data_token", "calendar").first()
    if token is None or state is None or not state[0] or state[0] != token:
        return None
    calendar = calendar_fingerprint()
    return calendar if state[1] == calendar else None


class RollupDelta:
    """The rollups updated by the difference an import makes, not rebuilt over the whole register.

    Inside the import's write transaction, while the rollups are valid (`rollup_lock_valid`):
    `subtract` the records the import is about to change (as they are before it), let the import write,
    `add` the records it changed or created (as they are after), and `apply`: the rollup rows of every
    (unit, month settled) the difference touches are replaced by their old counts plus the difference,
    those summing to 0 dropped. Counts add up, so the result is the full rebuild's (tests compare the
    two), at the cost of the import's rows instead of the register's. A negative count — rollups that
    did not match the records after all — makes `apply` rebuild in full instead."""

    def __init__(self, register: str, calendar: str) -> None:
        self.register = register
        self.calendar = calendar
        self.name = f"registers_rollup_delta_{uuid.uuid4().hex[:12]}"
        temporary = "TEMPORARY" if connection.vendor == "postgresql" else "TEMP"
        with connection.cursor() as cursor:
            cursor.execute(
                f'CREATE {temporary} TABLE "{self.name}" (unit_id integer, settled_month date, '
                "outcome varchar(1), late_days integer, n bigint)"
            )

    def _insert(self, records, sign: int) -> None:
        sql, params = _rollup_select(self.register, records).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{self.name}" (unit_id, settled_month, outcome, late_days, n) '
                f'SELECT s."unit_id", s."r_month", s."r_outcome", s."r_days", {sign} * s."r_n" '
                f"FROM ({sql}) s",
                params,
            )

    def subtract(self, records) -> None:
        """Take out the contribution of `records` (a queryset of the register's records), before they
        are changed."""
        self._insert(records, -1)

    def add(self, records) -> None:
        """Put in the contribution of `records`, as written."""
        self._insert(records, 1)

    def apply(self) -> int:
        """Write the difference into the rollups and stamp them with the register's data version (call
        it after `data_version_bump`); the temporary table is dropped. Returns the rollup rows written."""
        table = RegisterRollup._meta.db_table
        touched = (
            f'EXISTS (SELECT 1 FROM "{self.name}" d WHERE d.unit_id = "{table}".unit_id '
            f'AND d.settled_month = "{table}".settled_month)'
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{self.name}" (unit_id, settled_month, outcome, late_days, n) '
                f'SELECT unit_id, settled_month, outcome, late_days, n FROM "{table}" '
                f"WHERE register = %s AND {touched}",
                [self.register],
            )
            grouped = (
                f'SELECT unit_id, settled_month, outcome, late_days, SUM(n) AS n FROM "{self.name}" '
                "GROUP BY unit_id, settled_month, outcome, late_days"
            )
            cursor.execute(f"SELECT 1 FROM ({grouped}) g WHERE g.n < 0 LIMIT 1")
            if cursor.fetchone() is not None:
                self.drop()
                return rollup_rebuild(register=self.register)
            cursor.execute(f'DELETE FROM "{table}" WHERE register = %s AND {touched}', [self.register])
            cursor.execute(
                f'INSERT INTO "{table}" (register, unit_id, settled_month, outcome, late_days, n) '
                f"SELECT %s, g.unit_id, g.settled_month, g.outcome, g.late_days, g.n FROM ({grouped}) g "
                "WHERE g.n > 0",
                [self.register],
            )
            rows = cursor.rowcount
        self.drop()
        _stamp(self.register, self.calendar)
        return rows

    def drop(self) -> None:
        """Drop the temporary table (a failed transaction's rollback drops it too)."""
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TABLE IF EXISTS "{self.name}"')


def rollup_valid(register: str) -> bool:
    """Are `register`'s rollups built from its current data version and today's calendar? One query
    (the state with the register's data version), and one more for the calendar when it is."""
    from congvu.metrics.models import DataVersion

    token = DataVersion.objects.filter(register=register).values("token")[:1]
    state = (
        RollupState.objects.filter(register=register)
        .annotate(current=Subquery(token))
        .values_list("data_token", "current", "calendar")
        .first()
    )
    if state is None or not state[0] or state[0] != state[1]:
        return False
    return state[2] == calendar_fingerprint()


def rollup_rows(register: str, month: date) -> list[tuple[int, str, int | None, int]] | None:
    """(unit id, outcome, late days, count) of the records of `register` settled before `month`;
    None when the rollups are not valid (then everything is computed live)."""
    if not rollup_valid(register):
        return None
    rows = (
        RegisterRollup.objects.filter(register=register, settled_month__lt=month)
        .values("unit_id", "outcome", "late_days")
        .annotate(total=Sum("n"))
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:  # thousands of rows: plain tuples, no per-value converters
        cursor.execute(sql, params)
        return [(unit, outcome, days, int(n)) for unit, outcome, days, n in cursor.fetchall()]
