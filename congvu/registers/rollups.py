"""Rollups of the settled records: the province-wide figures and a unit's scorecard without scanning
every record.

A record is *settled* once it is both received and completed — in the month of the later of the two
dates. As of any report date R on or after that month its contribution to the four buckets never
changes: it is in the report (received ≤ R), done (completed ≤ R), and on time, late by ord(completed)
− ord(due) working days, or without a deadline. `RegisterRollup` keeps, per register, unit, month of
settlement, outcome and lateness, how many records there are (and, in one row per unit without a
month, how many are still open: a list's total is then a sum, `congvu.metrics.cache.rollup_count`);
the engine (`congvu.metrics.engine.compute_buckets`) adds up the rows settled before R's month and
computes only the rest live, against R: the open records, those completed in R's month or later, and
the (invalid) ones completed before their receipt — found through the indexes `*_settle_idx`
(completed_on first) and `*_completed_early_idx`, so the live part reads a few percent of the table,
index only; for some units only (a unit's figures), as one range of each unit's entries in
`dossier_unit_settle_idx`, which orders them by the day they settle (`unit_live_part`).

`ScorecardRollup` does the same for a unit's full scorecard (`compute_metrics`): besides the counts,
the sums and numbers of each stage duration, apology slips, quality verdicts, return counts and
proactive tasks, in one row per (unit, month settled, grouping — none, official, field, month of
receipt —, group, outcome, lateness). Its records are settled once their later stages are in too (a
dossier's return of the result, a task's handling and advice, each taken as the completion when not
recorded): a stage ending after R would otherwise be counted.

Both are rebuilt, set-based, by an import that finds them stale, inside the import's write transaction
(`rollup_rebuild`, called next to `data_version_bump`), or else updated by the difference the import
makes (`RollupDelta`), and stamped with the data version the import wrote and a fingerprint of the
working-day calendar. The engine reads them only while both still match (`rollup_rows`,
`scorecard_rows`): a calendar rebuilt since, or records written without the importer (a register
edit), make it compute everything live until the next import — slower, never different. Tests compare
both paths on random data on SQLite and PostgreSQL, after register edits and imports too.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import uuid
from datetime import date

from django.db import connection
from django.db.models import Case, CharField, Count, DateField, F, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, TruncMonth

from congvu.registers.models import (
    LATER_STAGES,
    Dossier,
    RegisterRollup,
    RollupState,
    ScorecardRollup,
    Task,
    latest_stage_on,
    settle_on,
)

OUTCOMES = RegisterRollup.Outcome


def _model(register: str):
    if register == "tasks":
        return Task
    if register == "dossiers":
        return Dossier
    raise ValueError(f"unknown register {register!r}")


_FINGERPRINT_SQL = (
    "SELECT md5(string_agg(date::text || '=' || ordinal, ',' ORDER BY date)) FROM workdays_workdayordinal"
)


def calendar_fingerprint() -> str:
    """A digest of the working-day ordinal table (every date with its ordinal): lateness in working
    days depends on nothing else. The MD5 of "2024-01-01=0,2024-01-02=1,…" in date order, the same
    on both databases; ~8,000 rows, read in a few milliseconds. SQLite reads each row as one string
    (`date || '=' || ordinal` has no declared type, so no date converter runs on it)."""
    from congvu.workdays.models import WorkdayOrdinal

    table = WorkdayOrdinal._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # computed by the server: one short row back
            cursor.execute(_FINGERPRINT_SQL)
            return cursor.fetchone()[0] or ""
        cursor.execute(f"SELECT date || '=' || ordinal FROM {table} ORDER BY date")  # noqa: S608 (the model's table)
        rows = cursor.fetchall()
    if not rows:
        return ""
    text = ",".join(row[0] for row in rows)
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


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
    records (one grouped query). The open records are counted too, per unit (outcome "o", no month):
    a list's total then needs no COUNT of the register (`congvu.metrics.cache.rollup_count`)."""
    from congvu.metrics.engine import _days

    if records is None:
        records = _model(register).objects.all()
    records = records.order_by()
    outcome = Case(
        When(completed_on__isnull=True, then=Value(OUTCOMES.OPEN)),
        When(due_on__isnull=True, then=Value(OUTCOMES.NO_DEADLINE)),
        When(completed_on__lte=F("due_on"), then=Value(OUTCOMES.ON_TIME)),
        default=Value(OUTCOMES.LATE),
    )
    late_days = Case(
        When(due_on__isnull=False, completed_on__gt=F("due_on"), then=_days("completed_on", "due_on"))
    )
    month = Case(
        When(completed_on__isnull=True, then=Value(None, output_field=DateField())),
        default=TruncMonth(Greatest("received_on", "completed_on"), output_field=DateField()),
        output_field=DateField(),
    )
    return (
        records.annotate(r_month=month, r_outcome=outcome, r_days=late_days)
        .values("unit_id", "r_month", "r_outcome", "r_days")
        .annotate(r_n=Count("*"))
    )


# --- The unit scorecards' rollups ------------------------------------------------------------

# Where a record's figures on the unit scorecard can still change after its completion: the stages
# that end later (the return of the result; a task's handling and advice may be recorded after it).
DIMS = {None: "s", "unit": "s", "official": "o", "field": "f", "month": "m"}
STAGE_NAMES = (
    "receipt_to_handling",
    "handling_to_advice",
    "receipt_to_advice",
    "receipt_to_completion",
    "completion_to_return",
)
DETAIL_FIGURES = (
    "with_apology",
    *(f"{stage}_{part}" for stage in STAGE_NAMES for part in ("sum", "n")),
    "quality_passed",
    "quality_failed",
    "quality_returned",
    "returned_total",
    "proactive_count",
)
KEY_COLUMNS = ("unit_id", "settled_month", "dim", "grp", "grp_month", "outcome", "late_days")


def scorecard_settled_month(register: str):
    """The month a record is settled in for the unit scorecard: of the latest of its receipt, its
    completion and its later stages (those not recorded count as the completion)."""
    return TruncMonth(latest_stage_on(LATER_STAGES[register]), output_field=DateField())


def scorecard_live_q(register: str, month: date) -> Q:
    """The records that are not settled for the unit scorecard before `month` (its first day): the
    complement of the rows `ScorecardRollup` holds for the months before it."""
    live = Q(completed_on__isnull=True) | Q(completed_on__gte=month) | Q(received_on__gte=month)
    for name in LATER_STAGES[register]:
        live |= Q(**{f"{name}__gte": month})
    return live


def unit_live_part(records, register: str, month: date, *, detail: bool):
    """Of `records` restricted to some units, those a report of `month` (its first day) computes
    live: not settled for the unit scorecard before it (`detail`), or for the buckets (a subset: a
    later stage does not hold back a record's buckets). Dossiers are read as one range of each unit's
    entries in `dossier_unit_settle_idx` (`settle_on`), the buckets' narrower condition checked on the
    index entries; tasks (a register a hundred times smaller) have no such index and are read through
    the unit's rows."""
    live = records.alias(settle_on=settle_on(LATER_STAGES[register])).filter(settle_on__gte=month)
    return live if detail else live.exclude(settled_before_q(month))


def _detail_values(register: str) -> tuple[dict, dict[str, str]]:
    """(per-record values, the SQL that adds them up per rollup row): every figure a count or a sum,
    so that rows add up (a delta, the months before a report date)."""
    from congvu.metrics.engine import _STAGES, _days

    values: dict = {}
    sums = {"n": "COUNT(*)"}
    for stage, (end, start) in _STAGES[register].items():
        values[f"v_{stage}"] = _days(end, start)
        sums[f"{stage}_sum"] = f'COALESCE(SUM(s."v_{stage}"), 0)'
        sums[f"{stage}_n"] = f'COUNT(s."v_{stage}")'
    if register == "tasks":
        values.update(v_quality=F("quality"), v_returned=F("returned_count"), v_proactive=F("proactive"))
        for verdict in ("passed", "failed", "returned"):
            sums[f"quality_{verdict}"] = f"SUM(CASE WHEN s.\"v_quality\" = '{verdict}' THEN 1 ELSE 0 END)"
        sums["returned_total"] = 'COALESCE(SUM(s."v_returned"), 0)'
        sums["proactive_count"] = 'SUM(CASE WHEN s."v_proactive" THEN 1 ELSE 0 END)'
    else:
        values["v_apology"] = F("apology_slip")
        sums["with_apology"] = 'SUM(CASE WHEN s."v_apology" THEN 1 ELSE 0 END)'
    return values, sums


def _detail_sql(register: str, records, sign: int = 1) -> list[tuple[str, list]]:
    """SELECTs of the `ScorecardRollup` rows of `records`, every grouping, in KEY_COLUMNS then
    ("n", *DETAIL_FIGURES) order, every figure multiplied by `sign`. The records are read once: each
    record's values (its month settled, outcome, lateness, groups, stage durations) in a subquery,
    added up per grouping — on PostgreSQL in one statement (GROUPING SETS), on SQLite in one per
    grouping."""
    from congvu.metrics.engine import _days, official_field

    outcome = Case(
        When(due_on__isnull=True, then=Value(OUTCOMES.NO_DEADLINE)),
        When(completed_on__lte=F("due_on"), then=Value(OUTCOMES.ON_TIME)),
        default=Value(OUTCOMES.LATE),
    )
    late_days = Case(
        When(due_on__isnull=False, completed_on__gt=F("due_on"), then=_days("completed_on", "due_on"))
    )
    values, sums = _detail_values(register)
    qs = (
        records.filter(completed_on__isnull=False)
        .order_by()
        .annotate(
            r_month=scorecard_settled_month(register),
            r_outcome=outcome,
            r_days=late_days,
            r_o=F(f"{official_field(register)}_id"),
            r_f=F("field_id"),
            r_m=TruncMonth("received_on", output_field=DateField()),
            **values,
        )
        .values("unit_id", "r_month", "r_outcome", "r_days", "r_o", "r_f", "r_m", *values)
    )
    sql, params = qs.query.sql_with_params()
    figures = ", ".join(f"{sign} * {sums[name]}" if name in sums else "0" for name in ("n", *DETAIL_FIGURES))
    keys = 's."unit_id", s."r_month"'
    rest = 's."r_outcome", s."r_days"'
    order = 'ORDER BY s."unit_id", s."r_month"'  # a unit's rows together: read from few pages
    if connection.vendor == "postgresql":
        dim = (
            "CASE WHEN GROUPING(s.\"r_o\") = 0 THEN 'o' WHEN GROUPING(s.\"r_f\") = 0 THEN 'f' "
            "WHEN GROUPING(s.\"r_m\") = 0 THEN 'm' ELSE 's' END"
        )
        grp = 'CASE WHEN GROUPING(s."r_o") = 0 THEN s."r_o" ELSE s."r_f" END'
        return [
            (
                f'SELECT {keys}, {dim}, {grp}, s."r_m", {rest}, {figures} FROM ({sql}) s '
                f'GROUP BY {keys}, {rest}, GROUPING SETS ((), (s."r_o"), (s."r_f"), (s."r_m")) {order}',
                list(params),
            )
        ]
    statements = []
    for dim, grp, grp_month in (
        ("s", None, None),
        ("o", "r_o", None),
        ("f", "r_f", None),
        ("m", None, "r_m"),
    ):
        group = f's."{grp or grp_month}", ' if grp or grp_month else ""
        grp_sql = f's."{grp}"' if grp else "NULL"
        month_sql = f's."{grp_month}"' if grp_month else "NULL"
        columns = f"'{dim}', {grp_sql}, {month_sql}"
        statements.append(
            (
                f"SELECT {keys}, {columns}, {rest}, {figures} FROM ({sql}) s "
                f"GROUP BY {keys}, {group}{rest} {order}",
                list(params),
            )
        )
    return statements


def _insert_detail(register: str, table: str, records, *, sign: int = 1, with_register: bool) -> None:
    """Insert the rollup rows of `records`, every grouping, into `table`."""
    names = ", ".join(f'"{name}"' for name in (*KEY_COLUMNS, "n", *DETAIL_FIGURES))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            cursor.execute("SET LOCAL work_mem = '64MB'")  # the groupings hashed, not sorted
        for sql, params in _detail_sql(register, records, sign):
            if with_register:
                cursor.execute(
                    f'INSERT INTO "{table}" ("register", {names}) SELECT %s, d.* FROM ({sql}) d',
                    [register, *params],
                )
            else:
                cursor.execute(f'INSERT INTO "{table}" ({names}) {sql}', params)


def rollup_rebuild(*, register: str) -> int:
    """Recompute `register`'s rollups (the ranking's and the unit scorecards') from its records and
    stamp them with its current data version and the calendar's fingerprint. Call it inside the
    transaction that writes the records, after `data_version_bump`. Returns the number of rollup rows
    of the ranking."""
    table = RegisterRollup._meta.db_table
    sql, params = _rollup_select(register).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{table}" WHERE register = %s', [register])
        cursor.execute(
            f'INSERT INTO "{table}" (register, unit_id, settled_month, outcome, late_days, n) '
            f'SELECT %s, s."unit_id", s."r_month", s."r_outcome", s."r_days", s."r_n" FROM ({sql}) s '
            'ORDER BY s."unit_id", s."r_month"',  # a unit's rows together: read from few pages
            [register, *params],
        )
        rows = cursor.rowcount
        detail = ScorecardRollup._meta.db_table
        cursor.execute(f'DELETE FROM "{detail}" WHERE register = %s', [register])
    _insert_detail(register, detail, _model(register).objects.all(), with_register=True)
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
        self.detail = f"{self.name}_d"
        temporary = "TEMPORARY" if connection.vendor == "postgresql" else "TEMP"
        figures = ", ".join(f"{name} bigint" for name in ("n", *DETAIL_FIGURES))
        with connection.cursor() as cursor:
            cursor.execute(
                f'CREATE {temporary} TABLE "{self.name}" (unit_id integer, settled_month date, '
                "outcome varchar(1), late_days integer, n bigint)"
            )
            cursor.execute(
                f'CREATE {temporary} TABLE "{self.detail}" (unit_id integer, settled_month date, '
                "dim varchar(1), grp integer, grp_month date, outcome varchar(1), late_days integer, "
                f"{figures})"
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
        _insert_detail(self.register, self.detail, records, sign=sign, with_register=False)

    def subtract(self, records) -> None:
        """Take out the contribution of `records` (a queryset of the register's records), before they
        are changed."""
        self._insert(records, -1)

    def add(self, records) -> None:
        """Put in the contribution of `records`, as written."""
        self._insert(records, 1)

    def apply(self) -> int:
        """Write the difference into the rollups and stamp them with the register's data version (call
        it after `data_version_bump`); the temporary tables are dropped. Returns the rollup rows of the
        ranking written."""
        keys = KEY_COLUMNS[:2] + KEY_COLUMNS[5:]
        basic = _Merge(RegisterRollup._meta.db_table, self.name, ("n",), keys, nullable=True)
        detail = _Merge(
            ScorecardRollup._meta.db_table, self.detail, ("n", *DETAIL_FIGURES), KEY_COLUMNS, "dim, "
        )
        with connection.cursor() as cursor:
            for merge in (basic, detail):
                merge.collect(cursor, self.register)
            if basic.negative(cursor) or detail.negative(cursor):
                basic.drop(cursor)
                detail.drop(cursor)
                self.drop()
                return rollup_rebuild(register=self.register)
            rows = basic.write(cursor, self.register)
            detail.write(cursor, self.register)
            basic.drop(cursor)
            detail.drop(cursor)
        self.drop()
        _stamp(self.register, self.calendar)
        return rows

    def drop(self) -> None:
        """Drop the temporary tables (a failed transaction's rollback drops them too)."""
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TABLE IF EXISTS "{self.name}"')
            cursor.execute(f'DROP TABLE IF EXISTS "{self.detail}"')


class _Merge:
    """One rollup table's part of `RollupDelta.apply`: the rows of every (unit, month settled) the
    difference touches, replaced by their old figures plus the difference."""

    def __init__(
        self,
        table: str,
        delta: str,
        figures: tuple[str, ...],
        keys: tuple[str, ...],
        dim: str = "",
        nullable: bool = False,
    ) -> None:
        self.table, self.delta, self.figures, self.keys = table, delta, figures, keys
        self.order = f"ORDER BY unit_id, {dim}settled_month"  # a unit's rows together, as the index
        # The open records' rows have no month: NULL matches NULL here, through a plain equality
        # (an OR of two conditions would make the database compare every pair of rows).
        target = f'"{table}"'
        if nullable:
            months = [f"COALESCE({name}.settled_month, '0001-01-01')" for name in ("d", target)]
        else:
            months = [f"{name}.settled_month" for name in ("d", target)]
        self.touched = (
            f'EXISTS (SELECT 1 FROM "{delta}" d WHERE d.unit_id = {target}.unit_id '
            f"AND {months[0]} = {months[1]})"
        )
        keys_sql = ", ".join(keys)
        sums = ", ".join(f"SUM({name}) AS {name}" for name in figures)
        self.grouping = f'SELECT {keys_sql}, {sums} FROM "{delta}" GROUP BY {keys_sql}'
        self.grouped = f"{delta}_g"  # the old figures plus the difference, grouped once

    def collect(self, cursor, register: str) -> None:
        columns = ", ".join((*self.keys, *self.figures))
        cursor.execute(
            f'INSERT INTO "{self.delta}" ({columns}) SELECT {columns} FROM "{self.table}" '
            f"WHERE register = %s AND {self.touched}",
            [register],
        )

    def negative(self, cursor) -> bool:
        """Does a count come out below 0 (rollups that did not match the records after all)?"""
        temporary = "TEMPORARY" if connection.vendor == "postgresql" else "TEMP"
        cursor.execute(f'CREATE {temporary} TABLE "{self.grouped}" AS {self.grouping}')
        cursor.execute(f'SELECT 1 FROM "{self.grouped}" g WHERE g.n < 0 LIMIT 1')
        return cursor.fetchone() is not None

    def drop(self, cursor) -> None:
        cursor.execute(f'DROP TABLE IF EXISTS "{self.grouped}"')

    def write(self, cursor, register: str) -> int:
        columns = ", ".join((*self.keys, *self.figures))
        cursor.execute(f'DELETE FROM "{self.table}" WHERE register = %s AND {self.touched}', [register])
        cursor.execute(
            f'INSERT INTO "{self.table}" (register, {columns}) SELECT %s, {columns} FROM "{self.grouped}" g '
            f"WHERE g.n > 0 {self.order}",
            [register],
        )
        return cursor.rowcount


# Within `checked_once()`: register → whether its rollups are valid, asked once for the block.
_checked: contextvars.ContextVar[dict[str, bool] | None] = contextvars.ContextVar(
    "rollups_checked", default=None
)


@contextlib.contextmanager
def checked_once():
    """Ask whether the rollups are valid once per register for the whole block: a unit page computes
    its summary and three tables, each of which would otherwise check the data version and the
    calendar's fingerprint again (a few milliseconds each). For one computation only: the figures
    cache's key was read before it, so a commit during the block cannot make an entry older than its
    key."""
    token = _checked.set({})
    try:
        yield
    finally:
        _checked.reset(token)


def rollup_valid(register: str) -> bool:
    """Are `register`'s rollups built from its current data version and today's calendar? One query
    (the state with the register's data version, and on PostgreSQL the calendar's fingerprint), and
    on SQLite one more for the calendar when the version matches."""
    checked = _checked.get()
    if checked is not None and register in checked:
        return checked[register]
    valid = _valid(register)
    if checked is not None:
        checked[register] = valid
    return valid


def _valid(register: str) -> bool:
    from congvu.metrics.models import DataVersion

    token = DataVersion.objects.filter(register=register).values("token")[:1]
    state = RollupState.objects.filter(register=register).annotate(current=Subquery(token))
    if connection.vendor == "postgresql":
        state = state.annotate(today=RawSQL(f"({_FINGERPRINT_SQL})", [], output_field=CharField()))
        row = state.values_list("data_token", "current", "calendar", "today").first()
        return row is not None and bool(row[0]) and row[0] == row[1] and row[2] == (row[3] or "")
    row = state.values_list("data_token", "current", "calendar").first()
    if row is None or not row[0] or row[0] != row[1]:
        return False
    return row[2] == calendar_fingerprint()


def rollup_rows(
    register: str, month: date, units: frozenset[int] | None = None
) -> list[tuple[int, str, int | None, int]] | None:
    """(unit id, outcome, late days, count) of the records of `register` settled before `month` (of
    the `units` only, when given); None when the rollups are not valid (then everything is computed
    live)."""
    if not rollup_valid(register):
        return None
    rows = RegisterRollup.objects.filter(register=register, settled_month__lt=month)
    if units is not None:
        rows = rows.filter(unit_id__in=sorted(units))
    rows = rows.values("unit_id", "outcome", "late_days").annotate(total=Sum("n")).order_by()
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:  # thousands of rows: plain tuples, no per-value converters
        cursor.execute(sql, params)
        return [(unit, outcome, days, int(n)) for unit, outcome, days, n in cursor.fetchall()]


def scorecard_rows(register: str, month: date, by: str | None, units: frozenset[int] | None) -> list | None:
    """The unit scorecards' rollups of the records settled before `month` (of the `units` only, when
    given), grouped as `by` asks: (group, outcome, late days, n, *DETAIL_FIGURES) tuples, the group
    as the database returns it (None without a grouping). None when the rollups are not valid."""
    if not rollup_valid(register):
        return None
    table = ScorecardRollup._meta.db_table
    group = {None: "NULL", "unit": "unit_id", "official": "grp", "field": "grp", "month": "grp_month"}[by]
    sums = ", ".join(f"SUM({name})" for name in ("n", *DETAIL_FIGURES))
    where, params = "register = %s AND dim = %s AND settled_month < %s", [register, DIMS[by], month]
    if units is not None:
        ids = sorted(units)
        where += f" AND unit_id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    keys = "outcome, late_days" if by is None else f"{group}, outcome, late_days"
    sql = f'SELECT {group}, outcome, late_days, {sums} FROM "{table}" WHERE {where} GROUP BY {keys}'
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (grp, outcome, days, *map(int, figures)) for grp, outcome, days, *figures in cursor.fetchall()
        ]


def unit_restriction(queryset: QuerySet) -> tuple[bool, frozenset[int] | None]:
    """(understood, unit ids): whether the queryset's only conditions are on its records' unit — the
    user's scope, a unit filter — and the units they leave (None: every unit)."""
    query = queryset.query
    if query.distinct or query.combinator or query.low_mark or query.high_mark is not None:
        return False, None
    base = query.get_meta().db_table
    units: frozenset[int] | None = None
    nodes = [query.where]
    while nodes:
        node = nodes.pop()
        if node.negated or (node.connector != "AND" and len(node.children) > 1):
            return False, None
        for child in node.children:
            if hasattr(child, "children"):
                nodes.append(child)
                continue
            lhs, name = getattr(child, "lhs", None), getattr(child, "lookup_name", None)
            target = getattr(lhs, "target", None)
            if getattr(lhs, "alias", None) != base or getattr(target, "attname", None) != "unit_id":
                return False, None
            if name == "exact" and isinstance(child.rhs, int):
                ids = frozenset([child.rhs])
            elif name == "in" and isinstance(child.rhs, (list, tuple, set, frozenset)):
                if not all(isinstance(pk, int) for pk in child.rhs):
                    return False, None
                ids = frozenset(child.rhs)
            else:
                return False, None
            units = ids if units is None else units & ids
    return True, units
