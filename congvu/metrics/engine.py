"""The performance engine (chỉ số thực hiện nhiệm vụ): the four buckets of DOMAIN §3, working-day
lateness, stage durations, quality and initiative, for tasks and dossiers, grouped as asked.

Everything is computed by the database, set-based, in two grouped queries whatever the number of
records (never a Python loop over records):

1. the *counts* query — one row per group: total, records with a deadline, done on time (and, for the
   full scorecard, the stage durations as sums and counts of working days, quality, initiative);
2. the *lateness histogram* — over the late records only (done late, or open and overdue), one row per
   (group, done/open, lateness in working days) with its count. Lateness comes from a LEFT JOIN on the
   working-day ordinal table (the `wd_*` relations declared in `congvu.registers.models`). The
   histogram gives the done-late and open-overdue counts and the lateness mean, median and maximum
   exactly: the median of a group is read off its sorted histogram (a few dozen distinct values per
   group), so it needs neither window functions (which differ between SQLite and PostgreSQL) nor the
   late records' individual values.

For the whole register (a province-wide ranking: every unit, or one row) the records settled before
the report date's month — received and completed, so their bucket and lateness can no longer change —
are read from the rollups the importer keeps (`congvu.registers.rollups`), and only the others (the
open ones, those completed in that month or later) go through the two queries, read from the index
`*_settle_idx` alone. The figures are the same (tests compare both paths on random data); stale
rollups (a calendar rebuilt since, records written without the importer) are simply not read.

The other buckets follow by subtraction: open in time = with a deadline − done on time − done late −
open overdue; no deadline = total − with a deadline. Each bucket is also available as a `Q`
(`bucket_q`), so a page can list exactly the records behind a figure; the tests check that both agree.

Definitions, as of the report date R (DESIGN "Working-day conventions"; ord = `WorkdayOrdinal.ordinal`):

* in the report: received on or before R (a record received after R does not exist yet);
* done: completed on or before R (a record completed after R is open in the report);
* done on time: done and completed ≤ due; done late: done and completed > due;
  open in time: not done and R ≤ due; open overdue: not done and R > due; no deadline: due empty;
* on-time rate = done on time / (done on time + done late + open overdue); None when that is 0
  (open-in-time records are not yet judged, records without a deadline cannot be);
* lateness (ngày làm việc chậm) of a late record: for done late, count(due + 1, completed) =
  ord(completed) − ord(due); for open overdue, the overdue-by as of R, count(due + 1, R) =
  ord(R) − ord(due). Mean, median and maximum are over all late records of the group (a record
  completed on a weekend just after its deadline is late by 0 working days and counts as 0);
  a late record with a date outside the calendar table has no lateness: it is counted in
  `late_days_unknown` and left out of the mean, median and maximum;
* stage durations = count(start + 1, end) = ord(end) − ord(start), over the records whose end stage
  happened on or before R; tasks: receipt → handling, handling → advice, receipt → advice,
  receipt → completion; dossiers: receipt → completion, completion → return of the result;
* quality (tasks): verdicts of the tasks done by R — passed, failed, returned for revision;
  pass rate = passed / (passed + failed + returned), None without a verdict; `returned_total` sums
  the tasks' return counts; `proactive_count` counts the tasks the agency proposed itself;
* dossiers: `late_with_apology` counts late dossiers that carry an apology slip.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, Count, DateField, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from congvu.registers.models import workday_relation_name
from congvu.workdays.models import WorkdayOrdinal

REGISTERS = ("tasks", "dossiers")
GROUPINGS = ("official", "field", "month", "unit")
BUCKETS = ("done_on_time", "done_late", "open_in_time", "open_overdue", "no_deadline")
# Unions a page may also ask for ("the late ones", "all of them").
BUCKET_UNIONS = ("late", "done", "open", "all")

BUCKET_LABELS = {
    "done_on_time": _("Hoàn thành đúng hạn"),
    "done_late": _("Hoàn thành quá hạn"),
    "open_in_time": _("Đang thực hiện trong hạn"),
    "open_overdue": _("Đang thực hiện quá hạn"),
    "no_deadline": _("Không thời hạn"),
    "late": _("Chậm (hoàn thành quá hạn và đang quá hạn)"),
    "done": _("Đã hoàn thành"),
    "open": _("Đang thực hiện"),
    "all": _("Tất cả"),
}

GROUPING_LABELS = {
    "official": _("Theo người phụ trách"),
    "field": _("Theo lĩnh vực"),
    "month": _("Theo tháng tiếp nhận"),
    "unit": _("Theo đơn vị"),
}

# The figures of a row that are counts of records, each one a bucket a page can drill into.
COUNT_KEYS = ("total", *BUCKETS)


def register_model(register: str):
    from congvu.registers.models import Dossier, Task

    if register == "tasks":
        return Task
    if register == "dossiers":
        return Dossier
    raise ValueError(f"register must be one of {REGISTERS}, not {register!r}")


def official_field(register: str) -> str:
    """The field that names the official a record is scored to: tasks' `responsible` (người phụ
    trách), dossiers' `handler` (người xử lý)."""
    register_model(register)
    return "responsible" if register == "tasks" else "handler"


def ordinal_on(day: date) -> int | None:
    """ord(day) from the calendar table; None when the day is outside it."""
    return WorkdayOrdinal.objects.filter(date=day).values_list("ordinal", flat=True).first()


# --- Bucket conditions -----------------------------------------------------------------------


def _open_q(as_of: date) -> Q:
    return Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)


def _core_q(bucket: str, as_of: date) -> Q:
    """The bucket's condition without the receipt condition (the engine filters receipt once)."""
    done = Q(completed_on__lte=as_of)
    if bucket == "done_on_time":
        return done & Q(due_on__isnull=False, completed_on__lte=F("due_on"))
    if bucket == "done_late":
        return done & Q(due_on__isnull=False, completed_on__gt=F("due_on"))
    if bucket == "open_in_time":
        return _open_q(as_of) & Q(due_on__gte=as_of)
    if bucket == "open_overdue":
        return _open_q(as_of) & Q(due_on__lt=as_of)
    if bucket == "no_deadline":
        return Q(due_on__isnull=True)
    if bucket == "late":
        return _core_q("done_late", as_of) | _core_q("open_overdue", as_of)
    if bucket == "done":
        return done
    if bucket == "open":
        return _open_q(as_of)
    if bucket in ("all", "total"):
        return Q()
    raise ValueError(f"unknown bucket {bucket!r}")


def in_report_q(as_of: date) -> Q:
    """The records a report as of `as_of` knows: received on or before it."""
    return Q(received_on__lte=as_of)


def bucket_q(bucket: str, as_of: date) -> Q:
    """The records behind one figure of a report as of `as_of`: one of BUCKETS, of BUCKET_UNIONS, or
    'total'. `records.filter(bucket_q(b, R)).count()` equals the engine's figure for `b`."""
    return in_report_q(as_of) & _core_q(bucket, as_of)


def figure_q(figure: str, register: str, as_of: date) -> Q:
    """The records behind any figure of a row, so every number on a page can be opened: the counts
    are their bucket; a rate, its denominator; the lateness figures, the late records; a stage mean,
    the records that reached that stage; quality and initiative, the records counted."""
    if figure in COUNT_KEYS or figure in BUCKET_UNIONS:
        return bucket_q(figure, as_of)
    if figure == "on_time_rate":
        return bucket_q("done_on_time", as_of) | bucket_q("late", as_of)
    if figure.startswith("late_days_") or figure == "late_total":
        return bucket_q("late", as_of)
    stage = figure.removesuffix("_mean")
    if stage in _STAGES[register]:
        end, start = _STAGES[register][stage]
        return in_report_q(as_of) & Q(**{f"{end}__lte": as_of, f"{start}__isnull": False})
    if register == "tasks":
        verdicts = {
            "quality_passed": ["passed"],
            "quality_failed": ["failed"],
            "quality_returned": ["returned"],
        }
        verdicts["quality_pass_rate"] = ["passed", "failed", "returned"]
        if figure in verdicts:
            return bucket_q("done", as_of) & Q(quality__in=verdicts[figure])
        if figure == "returned_total":
            return in_report_q(as_of) & Q(returned_count__gt=0)
        if figure == "proactive_count":
            return in_report_q(as_of) & Q(proactive=True)
    elif figure == "late_with_apology":
        return bucket_q("late", as_of) & Q(apology_slip=True)
    raise ValueError(f"no records behind figure {figure!r} for {register}")


def bucket_of(as_of: date) -> Case:
    """Each record's bucket as of `as_of`, as an SQL expression (for lists)."""
    return Case(
        *(When(_core_q(bucket, as_of), then=Value(bucket)) for bucket in BUCKETS),
        default=Value(""),
    )


def _ordinal(date_field: str) -> F:
    return F(f"{workday_relation_name(date_field)}__ordinal")


def _days(end: str, start: str) -> Any:
    """count(start + 1, end) in working days, as an SQL expression."""
    return _ordinal(end) - _ordinal(start)


def _lateness_of_late(as_of: date, as_of_ordinal: int | None) -> Case:
    """Lateness of a record already known to be late (the histogram's rows)."""
    return Case(
        When(completed_on__lte=as_of, then=_days("completed_on", "due_on")),
        default=Value(as_of_ordinal, output_field=IntegerField()) - _ordinal("due_on"),
        output_field=IntegerField(),
    )


def annotate_lateness(records: QuerySet, as_of: date, name: str = "late_days") -> QuerySet:
    """Each record's lateness in working days as of `as_of` (NULL unless late); see the module
    docstring for the definition. One extra query for ord(as_of)."""
    as_of_ordinal = ordinal_on(as_of)
    return records.annotate(
        **{
            name: Case(
                When(_core_q("done_late", as_of), then=_days("completed_on", "due_on")),
                When(
                    _core_q("open_overdue", as_of),
                    then=Value(as_of_ordinal, output_field=IntegerField()) - _ordinal("due_on"),
                ),
                default=None,
                output_field=IntegerField(),
            )
        }
    )


# --- Grouping --------------------------------------------------------------------------------


def _group_expression(register: str, by: str | None):
    if by is None:
        return None
    if by == "official":
        return F(f"{official_field(register)}_id")
    if by == "field":
        return F("field_id")
    if by == "unit":
        return F("unit_id")
    if by == "month":
        return TruncMonth("received_on", output_field=DateField())
    raise ValueError(f"by must be None or one of {GROUPINGS}, not {by!r}")


def _group_key(by: str | None, raw: Any) -> Any:
    if by == "month" and raw is not None:
        return raw[:7] if isinstance(raw, str) else f"{raw:%Y-%m}"  # SQLite's raw rows: 'YYYY-MM-DD'
    return raw


def _tuples(qs: QuerySet) -> list[tuple]:
    """The rows of a grouped `values()` queryset as the database returns them, in its column order:
    the lateness histogram has thousands of rows, and building a dict per row with Django's
    per-value converters cost more than the query itself."""
    try:
        sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _labels(by: str | None, keys: list[Any]) -> dict[Any, tuple[str | None, str]]:
    """key → (code, label) for the groups, in one small query per grouping."""
    from congvu.org.models import Field, Official, Unit

    if by is None:
        return {None: (None, str(_("Tất cả")))}
    if by == "month":
        return {k: (None, f"{k[5:7]}/{k[:4]}") for k in keys if k is not None}
    model, name = {"unit": (Unit, "name"), "field": (Field, "name"), "official": (Official, "full_name")}[by]
    ids = [k for k in keys if k is not None]
    return {
        pk: (code, label)
        for pk, code, label in model.objects.filter(pk__in=ids).values_list("pk", "code", name)
    }


_NO_GROUP = {
    "official": _("Chưa xác định người phụ trách"),
    "field": _("Chưa xác định lĩnh vực"),
    "unit": _("Chưa xác định đơn vị"),
    "month": _("Không rõ tháng"),
}


# --- The two queries -------------------------------------------------------------------------


def _stage(end: str, start: str, as_of: date) -> tuple[Sum, Count]:
    """(sum, count) of count(start + 1, end) over records whose `end` stage is on or before R."""
    condition = Q(**{f"{end}__lte": as_of, f"{start}__isnull": False})
    expression = Case(When(condition, then=_days(end, start)), output_field=IntegerField())
    return Sum(expression), Count(expression)


_STAGES = {
    "tasks": {
        "receipt_to_handling": ("handled_on", "received_on"),
        "handling_to_advice": ("advised_on", "handled_on"),
        "receipt_to_advice": ("advised_on", "received_on"),
        "receipt_to_completion": ("completed_on", "received_on"),
    },
    "dossiers": {
        "receipt_to_completion": ("completed_on", "received_on"),
        "completion_to_return": ("returned_on", "completed_on"),
    },
}
STAGE_KEYS = ("receipt_to_handling", "handling_to_advice", "receipt_to_advice", "receipt_to_completion")
STAGE_KEYS_DOSSIERS = ("receipt_to_completion", "completion_to_return")
ALL_STAGE_KEYS = (*STAGE_KEYS, "completion_to_return")


def _count_aggregates(register: str, as_of: date, detail: bool) -> dict[str, Any]:
    # Not COUNT(id): the counts can then be read from an index alone (received_on is never empty).
    aggregates: dict[str, Any] = {
        "total": Count("*"),
        "with_deadline": Count("due_on"),
        "done_on_time": Count("received_on", filter=_core_q("done_on_time", as_of)),
    }
    if not detail:
        return aggregates
    for key, (end, start) in _STAGES[register].items():
        aggregates[f"{key}_sum"], aggregates[f"{key}_n"] = _stage(end, start, as_of)
    if register == "tasks":
        done = _core_q("done", as_of)
        aggregates.update(
            quality_passed=Count("pk", filter=done & Q(quality="passed")),
            quality_failed=Count("pk", filter=done & Q(quality="failed")),
            quality_returned=Count("pk", filter=done & Q(quality="returned")),
            returned_total=Sum("returned_count"),
            proactive_count=Count("pk", filter=Q(proactive=True)),
        )
    else:
        # received_on, never empty, not pk: the unit's scorecard is then read from the covering
        # dossier_metrics_idx alone (no visit to the table's rows).
        late_apology = _core_q("late", as_of) & Q(apology_slip=True)
        aggregates["late_with_apology"] = Count("received_on", filter=late_apology)
    return aggregates


def _grouped(qs: QuerySet, group: Any, **fields: Any) -> QuerySet:
    """`qs` grouped by `group` (or not at all) and the extra value expressions."""
    if group is None:
        return qs.values(**fields) if fields else qs
    return qs.values(grp=group, **fields)


def _median(histogram: list[tuple[int, int]]) -> float | None:
    """Median of a multiset given as sorted (value, count) pairs."""
    n = sum(count for _, count in histogram)
    if n == 0:
        return None
    lower_rank, upper_rank = (n - 1) // 2, n // 2  # 0-based ranks of the middle value(s)
    lower = upper = None
    seen = 0
    for value, count in histogram:
        if lower is None and lower_rank < seen + count:
            lower = value
        if upper_rank < seen + count:
            upper = value
            break
        seen += count
    return (lower + upper) / 2


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _mean(total: int | None, n: int) -> float | None:
    return round(total / n, 2) if n and total is not None else None


def _rollup_units(register: str, records: QuerySet) -> tuple[bool, frozenset[int] | None]:
    """(usable, units): can the rollups stand for part of `records` — every record of the register,
    or of some units (a unit's scorecard, a unit user's scope), with no other condition — and which
    units (None: all of them)."""
    from congvu.registers.rollups import unit_restriction

    if records.model is not register_model(register) or records.query.annotations:
        return False, None
    return unit_restriction(records)


def _rolled_up(register: str, records: QuerySet, as_of: date, by: str | None, detail: bool):
    """(rollup rows, the live parts) for `records` as of `as_of` (see `congvu.registers.rollups`), or
    None when the figures must be computed live over every record.

    The buckets per unit or in one row come from the ranking's rollups; the full scorecard and the
    other groupings from the unit scorecards' (which also wait for a record's later stages). Over the
    whole register the live records are read in three parts through the settle indexes; over some
    units, as one range of the units' records."""
    from congvu.registers import rollups

    usable, units = _rollup_units(register, records)
    if not usable:
        return None
    month = as_of.replace(day=1)
    if not detail and by in (None, "unit"):
        rows = rollups.rollup_rows(register, month, units)
        if rows is None:
            return None
        rows = [(unit, outcome, days, n, {}) for unit, outcome, days, n in rows]
        if units is None:
            return rows, rollups.live_parts(records, month)
        return rows, [rollups.unit_live_part(records, register, month, detail=False)]
    rows = rollups.scorecard_rows(register, month, by, units)
    if rows is None:
        return None
    names = ("n", *rollups.DETAIL_FIGURES)
    rows = [
        (grp, outcome, days, figures[0], dict(zip(names, figures, strict=True)))
        for grp, outcome, days, *figures in rows
    ]
    if units is None:
        return rows, [records.filter(rollups.scorecard_live_q(register, month))]
    return rows, [rollups.unit_live_part(records, register, month, detail=True)]


def _add_rolled(register: str, counts: dict, outcome: str, n: int, figures: dict, detail: bool) -> None:
    """Add a rollup row (records settled before the report date's month: in the report and done) to a
    group's counts."""
    counts["total"] += n
    if outcome != "n":
        counts["with_deadline"] += n
    if outcome == "t":
        counts["done_on_time"] += n
    if not detail:
        return
    for key in _STAGES[register]:
        for part in ("sum", "n"):
            name = f"{key}_{part}"
            counts[name] = (counts[name] or 0) + figures[name]
    if register == "tasks":
        for name in (
            "quality_passed",
            "quality_failed",
            "quality_returned",
            "returned_total",
            "proactive_count",
        ):
            counts[name] = (counts[name] or 0) + figures[name]
    elif outcome == "l":
        counts["late_with_apology"] += figures["with_apology"]


def _compute(
    register: str,
    records: QuerySet,
    as_of: date,
    by: str | None,
    detail: bool,
    with_total: bool = False,
    rollups: bool = True,
) -> list[dict]:
    register_model(register)  # validates the register
    group = _group_expression(register, by)
    rolled = _rolled_up(register, records, as_of, by, detail) if rollups else None
    parts = [records] if rolled is None else rolled[1]
    aggregates = _count_aggregates(register, as_of, detail)
    as_of_ordinal = ordinal_on(as_of)
    merged_counts: dict[Any, dict] = {}
    histograms: dict[Any, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    late_counts: dict[tuple[Any, int], int] = defaultdict(int)
    unknown: dict[Any, int] = defaultdict(int)
    for part in parts:
        base = part.filter(in_report_q(as_of)).order_by()

        # 1. Counts per group.
        if group is None:
            part_counts = [{"grp": None, **base.aggregate(**aggregates)}]
        else:
            part_counts = list(_grouped(base, group).annotate(**aggregates))
        for counts in part_counts:
            counts["grp"] = _group_key(by, counts["grp"])  # one key for every part and the rollups
            if counts["grp"] in merged_counts:
                into = merged_counts[counts["grp"]]
                for name in aggregates:
                    into[name] = (into[name] or 0) + (counts[name] or 0)
            else:
                merged_counts[counts["grp"]] = counts

        # 2. Lateness histogram over the late records.
        late = _grouped(
            base.filter(_core_q("late", as_of)),
            group,
            is_open=Case(When(completed_on__lte=as_of, then=Value(0)), default=Value(1)),
            days=_lateness_of_late(as_of, as_of_ordinal),
        ).annotate(n=Count("*"))
        for row in _tuples(late):  # (grp,) is_open, days, n: a few per distinct lateness and group
            grp, (is_open, days, n) = (None, row) if group is None else (row[0], row[1:])
            key = _group_key(by, grp)
            late_counts[key, is_open] += n
            if days is None:
                unknown[key] += n
            else:
                histograms[key][days] += n

    # Settled before R's month: in the report, done.
    for grp, outcome, late_days, n, figures in rolled[0] if rolled else ():
        key = _group_key(by, grp) if group is not None else None
        counts = merged_counts.setdefault(key, {"grp": key, **dict.fromkeys(aggregates, 0)})
        _add_rolled(register, counts, outcome, n, figures, detail)
        if outcome == "l":
            late_counts[key, 0] += n
            if late_days is None:
                unknown[key] += n
            else:
                histograms[key][late_days] += n
    count_rows = list(merged_counts.values())

    rows = []
    for counts in count_rows:
        key = _group_key(by, counts["grp"])
        late_pair = (late_counts[key, 0], late_counts[key, 1])
        rows.append(_row(register, by, key, counts, late_pair, histograms[key], unknown[key], detail))
    rows = _label_and_sort(by, rows)
    if with_total and group is not None and not detail:
        # The groups merged: counts add up and the histograms merge, so the total's mean, median and
        # maximum are exact without a second pass over the records.
        total_counts = {name: sum(c[name] or 0 for c in count_rows) for name in aggregates}
        merged: dict[int, int] = defaultdict(int)
        for histogram in histograms.values():
            for days, n in histogram.items():
                merged[days] += n
        late_pair = (
            sum(n for (_k, o), n in late_counts.items() if o == 0),
            sum(n for (_k, o), n in late_counts.items() if o == 1),
        )
        total = _row(register, None, None, total_counts, late_pair, merged, sum(unknown.values()), detail)
        rows.append(_label_and_sort(None, [total])[0])
    return rows


def lateness_figures(histogram_map: dict[int, int]) -> dict[str, float | int | None]:
    """The mean, median and maximum working days late of late records given as {days late: count}
    (records with a known lateness only): the figures of a row, and of rows merged from several."""
    histogram = sorted(histogram_map.items())
    late_known = sum(n for _, n in histogram)
    return {
        "late_days_mean": _mean(sum(v * n for v, n in histogram), late_known),
        "late_days_median": _median(histogram),
        "late_days_max": histogram[-1][0] if histogram else None,
    }


def _row(register, by, key, counts, late_pair, histogram_map, unknown, detail) -> dict:
    done_late, open_overdue = late_pair
    on_time, with_deadline, total = counts["done_on_time"], counts["with_deadline"], counts["total"]
    row = {
        "group_by": by,
        "key": key,
        "code": None,
        "label": None,
        "total": total,
        "done_on_time": on_time,
        "done_late": done_late,
        "open_in_time": with_deadline - on_time - done_late - open_overdue,
        "open_overdue": open_overdue,
        "no_deadline": total - with_deadline,
        "on_time_rate": _rate(on_time, on_time + done_late + open_overdue),
        "late_total": done_late + open_overdue,
        **lateness_figures(histogram_map),
        "late_days_unknown": unknown,
    }
    if detail:
        row.update(_detail_figures(register, counts))
    return row


def _detail_figures(register: str, counts: dict) -> dict:
    figures: dict[str, Any] = {f"{key}_mean": None for key in ALL_STAGE_KEYS}
    for key in _STAGES[register]:
        figures[f"{key}_mean"] = _mean(counts[f"{key}_sum"], counts[f"{key}_n"])
    if register == "tasks":
        passed, failed, returned = (
            counts["quality_passed"],
            counts["quality_failed"],
            counts["quality_returned"],
        )
        figures.update(
            quality_passed=passed,
            quality_failed=failed,
            quality_returned=returned,
            quality_pass_rate=_rate(passed, passed + failed + returned),
            returned_total=counts["returned_total"] or 0,
            proactive_count=counts["proactive_count"],
            late_with_apology=None,
        )
    else:
        figures.update(
            quality_passed=None,
            quality_failed=None,
            quality_returned=None,
            quality_pass_rate=None,
            returned_total=None,
            proactive_count=None,
            late_with_apology=counts["late_with_apology"],
        )
    return figures


def _label_and_sort(by: str | None, rows: list[dict]) -> list[dict]:
    labels = _labels(by, [row["key"] for row in rows])
    for row in rows:
        code, label = labels.get(row["key"], (None, None))
        row["code"] = code
        row["label"] = label if label is not None else str(_NO_GROUP.get(by, ""))
    if by == "month":
        rows.sort(key=lambda r: (r["key"] is None, r["key"] or ""))
    elif by is not None:
        rows.sort(key=lambda r: (r["key"] is None, (r["label"] or "").casefold(), str(r["key"])))
    return rows


# --- Public API ------------------------------------------------------------------------------


def compute_metrics(
    *, register: str, records: QuerySet, as_of: date, by: str | None = None, rollups: bool = True
) -> list[dict]:
    """The full scorecard figures of `records` (an already filtered and scoped Task or Dossier
    queryset) as of `as_of`, one row per group of `by` (None: one row).

    Each row: group_by, key (unit/field/official id, 'YYYY-MM' for months, None for no grouping or
    the records without that attribute), code, label, the counts `total` and BUCKETS, `on_time_rate`,
    `late_total`, `late_days_mean|median|max|unknown`, the stage means `<stage>_mean` (None where the
    stage does not apply to the register), quality and initiative figures. Rates are fractions 0..1
    rounded to 4 places, means rounded to 2; see the module docstring for every definition.

    When `records` are the register's records of some units (or all of them) with no other condition,
    the records settled before the report date's month come from the unit scorecards' rollups
    (`congvu.registers.rollups`) and only the others are computed live — the same figures (tests
    compare both); `rollups=False` computes everything live."""
    return _compute(register, records, as_of, by, detail=True, rollups=rollups)


def compute_buckets(
    *,
    register: str,
    records: QuerySet,
    as_of: date,
    by: str | None = None,
    with_total: bool = False,
    rollups: bool = True,
) -> list[dict]:
    """Only the buckets, the on-time rate and the lateness figures (the budgeted core: the province
    overview ranks every unit with it). Same rows as `compute_metrics` without the detail keys.

    `with_total` (with a grouping) appends the row of all groups together (key None), merged from the
    groups' counts and histograms: exact, and without a second pass over the records.

    When `records` is the whole register (a province-wide user) and the rows are per unit or one row,
    the records settled before the report date's month are read from the rollups the importer keeps
    (`congvu.registers.rollups`), and only the others are computed live — the same figures (tests
    compare both); `rollups=False` computes everything live."""
    return _compute(register, records, as_of, by, detail=False, with_total=with_total, rollups=rollups)
