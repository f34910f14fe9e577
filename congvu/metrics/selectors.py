"""Scoped reads for the scorecards: which records a figure is computed over, and which unit or
official a page may show. Views and the CLI build their querysets here and hand them to the engine."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from congvu.core.scoping import get_visible_or_404
from congvu.core.text import fold
from congvu.metrics.cache import cached_figures
from congvu.metrics.engine import (
    annotate_lateness,
    bucket_q,
    compute_buckets,
    compute_metrics,
    lateness_figures,
    official_field,
    register_model,
)
from congvu.org.models import Official, Unit
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.registers.rollups import checked_once


class UnitLookupError(LookupError):
    """No unit, or more than one, matches what the operator typed. The message is for the user."""


def filter_records(
    qs: QuerySet,
    *,
    register: str,
    unit: Unit | None = None,
    with_predecessors: bool = True,
    official: Official | None = None,
    official_missing: bool = False,
    field_id: int | None = None,
    month: date | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet:
    """Narrow a Task/Dossier queryset: the unit (with the units it absorbed, by default), the
    official scored for the records (or records scored to nobody), the field (0: records without a
    field), the month of receipt and the receipt period."""
    if unit is not None:
        ids = unit_with_predecessor_ids(unit.pk) if with_predecessors else {unit.pk}
        qs = qs.filter(unit_id__in=ids)
    if official is not None:
        qs = qs.filter(**{official_field(register): official})
    if official_missing:
        qs = qs.filter(**{f"{official_field(register)}__isnull": True})
    if field_id is not None:
        qs = qs.filter(field_id=field_id) if field_id else qs.filter(field__isnull=True)
    if month is not None:
        qs = qs.annotate(_month=TruncMonth("received_on")).filter(_month=month.replace(day=1))
    if date_from is not None:
        qs = qs.filter(received_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(received_on__lte=date_to)
    return qs


def metric_records(*, fetched_by, register: str, **filters) -> QuerySet:
    """The records of `register` the user may see, narrowed by `filter_records`' filters."""
    qs = register_model(register).objects.visible_to(fetched_by)
    return filter_records(qs, register=register, **filters)


# The figures of a unit's row that add up over the units it absorbed.
_ADDITIVE = (
    "total",
    "done_on_time",
    "done_late",
    "open_in_time",
    "open_overdue",
    "no_deadline",
    "late_total",
    "late_days_unknown",
)
WILSON_Z = 1.96  # 95 % two-sided


def wilson_interval(successes: int, n: int, z: float = WILSON_Z) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (khoảng tin cậy Wilson), `successes` of `n`:

        centre = (p + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) · √(p(1 − p)/n + z²/4n²),

    with p = successes / n; None when n is 0. Floats are enough for a ranking bound (the displayed
    rate stays the exact count ratio). Unlike p ± z·√(p(1−p)/n) it stays within 0..1 and is wide
    for small n: 3 of 3 gives 0.44–1, 950 of 1,000 gives 0.94–0.96."""
    if n <= 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def _late_histograms(records: QuerySet, as_of: date) -> dict[int, dict[int | None, int]]:
    """unit id → {lateness in working days (None: outside the calendar): late records}, in one
    grouped query over the late records (the engine's own lateness expression)."""
    late = annotate_lateness(records.filter(bucket_q("late", as_of)), as_of, name="_late_days")
    histograms: dict[int, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, days, n in late.order_by().values_list("unit_id", "_late_days").annotate(n=Count("pk")):
        histograms[unit_id][days] += n
    return histograms


def _lineage_links() -> list[tuple[int, int]]:
    """Every (predecessor, successor) link, in one query (a few thousand at most). Unscoped, as the
    scorecard's own `unit_with_predecessor_ids`: the records counted are scoped anyway."""
    from congvu.org.models import UnitLineage

    return list(UnitLineage.objects.values_list("predecessor_id", "successor_id"))


def _predecessor_sets(unit_ids: set[int], links: list[tuple[int, int]] | None = None) -> dict[int, set[int]]:
    """unit id → the unit and every unit it absorbed at any depth — the set the unit's scorecard
    counts (`congvu.org.selectors.unit_with_predecessor_ids`), for many units from one query over
    the lineage links (a test checks both agree)."""
    predecessors: dict[int, set[int]] = defaultdict(set)
    for predecessor, successor in _lineage_links() if links is None else links:
        predecessors[successor].add(predecessor)
    sets = {}
    for unit_id in unit_ids:
        seen, frontier = {unit_id}, [unit_id]
        while frontier:
            nxt = [p for u in frontier for p in predecessors.get(u, ()) if p not in seen]
            seen.update(nxt)
            frontier = nxt
        sets[unit_id] = seen
    return sets


def _merged_row(unit: tuple[int, str, str], rows: list[dict], histogram: dict[int | None, int]) -> dict:
    """One current unit's row over its own and its predecessors' rows: the counts add up, the rate is
    the ratio of the sums, the lateness figures come from the merged histogram (as the engine
    computes them over the same records on the unit's scorecard)."""
    pk, code, name = unit
    row = {"group_by": "unit", "key": pk, "code": code, "label": name}
    for name_ in _ADDITIVE:
        row[name_] = sum(r[name_] for r in rows)
    judged = row["done_on_time"] + row["done_late"] + row["open_overdue"]
    row["on_time_rate"] = round(row["done_on_time"] / judged, 4) if judged else None
    row.update(lateness_figures({days: n for days, n in histogram.items() if days is not None}))
    return row


def province_ranking(
    *,
    fetched_by,
    register: str,
    as_of: date,
    with_predecessors: bool = True,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[list[dict], dict]:
    """The units the user may see with their on-time figures (xếp hạng đơn vị), and the row of all
    of them together; from the figures cache (`congvu.metrics.cache`). Not yet ranked: `rank_units`
    ranks them (the minimum number of records and the direction are the page's choice).

    By default (`with_predecessors`) one row per unit current on `as_of`, counting its own records
    and those of every unit it absorbed — the same records as its scorecard page; units merged away
    or dissolved by then have no row; a unit split in two counts under both successors, as on
    both their scorecards (so the rows may add up to more than the total row). Without
    predecessors: every unit with records, former ones too, each over its own records only ("as
    they were").

    Each row adds to the engine's: `judged` (n = done on time + done late + open overdue, the
    denominator of the rate), `wilson_low` and `wilson_high` (its 95 % Wilson interval, None when n is
    0), `current` (the unit exists on `as_of`), `absorbed` (how many units it absorbed that had records
    in the scope) and `folded` (the label without diacritics, for the page's search)."""

    def compute() -> tuple[list[dict], dict]:
        records = metric_records(
            fetched_by=fetched_by, register=register, date_from=date_from, date_to=date_to
        )
        rows = compute_buckets(register=register, records=records, as_of=as_of, by="unit", with_total=True)
        total = rows.pop()  # all visible units together
        if with_predecessors:
            rows = _with_predecessors(fetched_by, records, as_of, {row["key"]: row for row in rows})
            current = {row["key"] for row in rows}
        else:
            keys = [row["key"] for row in rows if row["key"] is not None]
            visible = Unit.objects.visible_to(fetched_by).valid_on(as_of)
            current = set(visible.filter(pk__in=keys).values_list("pk", flat=True))
            for row in rows:
                row["absorbed"] = 0
        for row in rows:  # the units' rows (a few hundred), not records
            row["current"] = row["key"] in current
            row["folded"] = fold(row["label"] or "")
            row["judged"] = row["done_on_time"] + row["done_late"] + row["open_overdue"]
            interval = wilson_interval(row["done_on_time"], row["judged"])
            row["wilson_low"], row["wilson_high"] = interval or (None, None)
        return rows, total

    params = {"as_of": as_of, "from": date_from, "to": date_to, "pred": with_predecessors}
    return cached_figures(
        fetched_by=fetched_by, register=register, name="ranking", params=params, compute=compute
    )


def _with_predecessors(fetched_by, records: QuerySet, as_of: date, by_unit: dict) -> list[dict]:
    """The rows of the visible units current on `as_of` that have records of their own or of a unit
    they absorbed, each over both (see `province_ranking`)."""
    with_records = {k for k in by_unit if k is not None}
    # Candidates: the units with records and every unit they went into.
    links = _lineage_links()
    successors: dict[int, set[int]] = defaultdict(set)
    for predecessor, successor in links:
        successors[predecessor].add(successor)
    candidates, frontier = set(with_records), list(with_records)
    while frontier:
        frontier = [s for u in frontier for s in successors.get(u, ()) if s not in candidates]
        candidates.update(frontier)
    units = list(
        Unit.objects.visible_to(fetched_by)
        .valid_on(as_of)
        .filter(pk__in=candidates)
        .values_list("pk", "code", "name")
    )
    sets = _predecessor_sets({pk for pk, _code, _name in units}, links)
    merging = any(sets[pk] & with_records not in (set(), {pk}) for pk, _code, _name in units)
    histograms = _late_histograms(records, as_of) if merging else {}
    rows = []
    for unit in units:
        members = sets[unit[0]] & with_records
        if not members:
            continue
        if members == {unit[0]}:
            row = dict(by_unit[unit[0]])
        else:
            histogram: dict[int | None, int] = defaultdict(int)
            for member in members:
                for days, n in histograms.get(member, {}).items():
                    histogram[days] += n
            row = _merged_row(unit, [by_unit[m] for m in members], histogram)
        row["absorbed"] = len(members - {unit[0]})
        rows.append(row)
    return rows


RANKING_SORTS = {
    # ?sort= key → the row's figure (None values last whatever the direction)
    "unit": "label",
    "n": "judged",
    "on_time": "done_on_time",
    "rate": "on_time_rate",
    "low": "wilson_low",
    "high": "wilson_high",
    "total": "total",
    "done_late": "done_late",
    "open_overdue": "open_overdue",
    "late_mean": "late_days_mean",
    "late_max": "late_days_max",
}


def rank_units(
    rows: list[dict], *, min_records: int, worst_first: bool = False
) -> tuple[list[dict], list[dict]]:
    """(ranked, apart): the units with at least `min_records` judged records ranked by their 95 %
    Wilson interval, and the others listed apart by name, without a rank (chưa đủ hồ sơ để xếp hạng).

    Best first ranks by the LOWER bound, descending: the rate a unit reaches at least, with 95 %
    confidence, so 3 of 3 (lower bound 0.44) does not outrank 950 of 1,000 (0.94). Worst first ranks
    by the UPPER bound, ascending: the unit most certainly bad first, not the one with one unlucky
    record. Ties: more records first, then the name. Rows are copied (the cached ones are shared)."""
    eligible = [r for r in rows if r["judged"] and r["judged"] >= max(min_records, 1)]
    if worst_first:
        eligible.sort(key=lambda r: (r["wilson_high"], r["wilson_low"], -r["judged"], r["label"] or ""))
    else:
        eligible.sort(key=lambda r: (-r["wilson_low"], -r["wilson_high"], -r["judged"], r["label"] or ""))
    ranked = [{**row, "rank": i} for i, row in enumerate(eligible, start=1)]
    chosen = {id(r) for r in eligible}
    apart = [{**row, "rank": None} for row in rows if id(row) not in chosen]
    apart.sort(key=lambda r: ((r["label"] or "").casefold(), r["code"] or ""))
    return ranked, apart


def sort_units(rows: list[dict], sort: str) -> list[dict]:
    """`rows` ordered by a `RANKING_SORTS` key (`-key`: descending); an unknown key keeps the order
    (the rank). Missing figures go last in both directions."""
    key = RANKING_SORTS.get(sort.lstrip("-"))
    if key is None:
        return rows
    descending = sort.startswith("-")
    present = [r for r in rows if r[key] is not None]
    missing = [r for r in rows if r[key] is None]
    if key == "label":
        present.sort(key=lambda r: fold(r["label"] or ""), reverse=descending)
    else:
        present.sort(key=lambda r: r[key], reverse=descending)
    return present + missing


def scorecard_figures(
    *,
    fetched_by,
    register: str,
    as_of: date,
    groupings: tuple[str, ...],
    unit: Unit | None = None,
    official: Official | None = None,
    with_predecessors: bool = True,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict[str, list[dict]]:
    """A unit's or an official's scorecard (bảng chỉ số): {"summary": [row], grouping: rows, …},
    the full figures of `compute_metrics`, from the figures cache."""

    def compute() -> dict[str, list[dict]]:
        records = metric_records(
            fetched_by=fetched_by,
            register=register,
            unit=unit,
            official=official,
            with_predecessors=with_predecessors,
            date_from=date_from,
            date_to=date_to,
        )
        with checked_once():  # the rollups' validity, checked once for the four computations
            figures = {"summary": compute_metrics(register=register, records=records, as_of=as_of)}
            for by in groupings:
                figures[by] = compute_metrics(register=register, records=records, as_of=as_of, by=by)
        return figures

    params = {
        "as_of": as_of,
        "from": date_from,
        "to": date_to,
        "unit": unit.pk if unit else None,
        "official": official.pk if official else None,
        "pred": with_predecessors,
        "groupings": ",".join(groupings),
    }
    return cached_figures(
        fetched_by=fetched_by, register=register, name="scorecard", params=params, compute=compute
    )


def scorecard_unit(*, fetched_by, code: str) -> Unit:
    """The unit of a scorecard page; another unit's is a 404."""
    return get_visible_or_404(Unit, fetched_by, code=code)


def scorecard_official(*, fetched_by, code: str) -> Official:
    """The official of a scorecard page: one the user may see (appointed in a visible unit), or one
    scored for records the user may see (a handler without a leadership post). Else a 404."""
    from django.http import Http404

    from congvu.registers.models import Dossier, Task

    official = Official.objects.filter(code=code).first()
    if official is None:
        raise Http404
    if Official.objects.visible_to(fetched_by).filter(pk=official.pk).exists():
        return official
    scored = Task.objects.visible_to(fetched_by).filter(responsible=official).exists() or (
        Dossier.objects.visible_to(fetched_by).filter(handler=official).exists()
    )
    if not scored:
        raise Http404
    return official


def leaders_of(*, fetched_by, unit: Unit, day: date) -> QuerySet:
    """Heads and deputies of the unit in post on `day` (người đứng đầu, cấp phó), for the links to
    their scorecards."""
    from congvu.org.models import Appointment, AppointmentRole

    return (
        Appointment.objects.visible_to(fetched_by)
        .filter(unit=unit, role__in=(AppointmentRole.HEAD, AppointmentRole.DEPUTY), start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("official")
        .prefetch_related("fields")
        .order_by("role", "start")
    )


def resolve_unit(text: str) -> Unit:
    """The unit an operator names on the command line: its code (any case), else its name without
    regard to diacritics or case, exactly, else as a unique part of the name."""
    text = (text or "").strip()
    if not text:
        raise UnitLookupError(_("Chưa nêu đơn vị (--unit)."))
    by_code = list(Unit.objects.filter(code__iexact=text))
    if len(by_code) == 1:
        return by_code[0]
    folded = fold(text)
    exact = list(Unit.objects.filter(name_folded=folded))
    if len(exact) == 1:
        return exact[0]
    candidates = exact or list(Unit.objects.filter(name_folded__contains=folded)[:11])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UnitLookupError(_("Không tìm thấy đơn vị “%(text)s” (theo mã hoặc tên).") % {"text": text})
    listed = "; ".join(f"{u.code} — {u.name}" for u in candidates[:10])
    more = "; …" if len(candidates) > 10 else ""
    raise UnitLookupError(
        _("“%(text)s” khớp với nhiều đơn vị: %(units)s. Hãy ghi mã đơn vị.")
        % {"text": text, "units": listed + more}
    )
