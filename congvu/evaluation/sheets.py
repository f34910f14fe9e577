"""From the registers and the stored sheets to the engine's inputs, and back.

- `period_bounds` — a month or quarter as dates;
- `task_product_rows` — every task of the register that is a product of a period for a set of
  officials, in one query, with completion, timeliness, delays and quality worked out by the database;
- `sheet_rules` — the rule set of a sheet (assignment overrides, the default general-criteria split);
- `score_period` — scores every sheet of a unit's period, staff first, then deputies and the head
  (whose d criterion reads their subordinates' totals).

Which period a task belongs to: the period holding its deadline; without a deadline, the period of its
completion; open without a deadline, the period it was received in. So every task counts exactly once
in the year, late or not: a task due 30/03 and finished 02/04 is a Q1 product, completed, one delay.
Completion is read as of the sheet's `as_of` date (the day the sheet was generated, at most the end of
the year). A delay is one missed deadline (R-DELAY): the register holds one deadline per task, so a task
completed after its deadline, or still open past it, has one delay. A failed quality assessment is one
return for correction (`returned_count`), plus one when the final verdict is "không đạt".
"""

from __future__ import annotations

import calendar
import dataclasses
from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import BooleanField, Case, Count, F, IntegerField, Q, Value, When

from congvu.evaluation import scoring
from congvu.evaluation.models import PeriodKind, PeriodSheet, SheetRole, SheetStatus, fraction_text
from congvu.evaluation.rules import RuleSet, parse_fraction, rule_set_for
from congvu.registers.models import Task

#: The agency's split of the 30 general points when its rule set names none [A]: the three groups of
#: Art. 12(2), 10 points each (as Nghĩa Lâm does; decree-335 §1). Change it per unit in the rule set.
DEFAULT_GENERAL_SPLIT = {"a": "10", "b": "10", "c": "10"}
GENERAL_LABELS = {
    "a": "Phẩm chất chính trị, đạo đức, văn hóa công vụ, ý thức kỷ luật",
    "b": "Năng lực chuyên môn, khả năng đáp ứng nhiệm vụ, trách nhiệm, thái độ phục vụ, phối hợp",
    "c": "Đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm",
}


def period_bounds(year: int, kind: str, number: int) -> tuple[date, date]:
    if kind == PeriodKind.MONTH:
        if not 1 <= number <= 12:
            raise ValueError(number)
        return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    if not 1 <= number <= 4:
        raise ValueError(number)
    first, last = 3 * number - 2, 3 * number
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def periods_of_year(kind: str) -> range:
    return range(1, 13) if kind == PeriodKind.MONTH else range(1, 5)


def task_period_q(start: date, end: date) -> Q:
    """The tasks that are products of [start, end] (see the module docstring)."""
    return (
        Q(due_on__gte=start, due_on__lte=end)
        | Q(due_on__isnull=True, completed_on__gte=start, completed_on__lte=end)
        | Q(due_on__isnull=True, completed_on__isnull=True, received_on__gte=start, received_on__lte=end)
    )


def task_product_rows(*, official_ids, unit_ids, start: date, end: date, as_of: date):
    """The task products of the officials in the period, one dict per task (a single query)."""
    done = Q(completed_on__isnull=False, completed_on__lte=as_of)
    tasks = Task.objects.filter(unit_id__in=list(unit_ids))
    if official_ids is not None:  # None: every task of the units (what their leaders direct)
        tasks = tasks.filter(responsible_id__in=list(official_ids))
    return (
        tasks.filter(task_period_q(start, end))
        .annotate(
            is_completed=Case(
                When(done, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            is_on_time=Case(
                When(done & (Q(due_on__isnull=True) | Q(completed_on__lte=F("due_on"))), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            delay_count=Case(
                When(done & Q(completed_on__gt=F("due_on")), then=Value(1)),
                When(~done & Q(due_on__lt=as_of), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            is_quality_ok=Case(
                When(done & ~Q(quality="failed"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            failure_count=F("returned_count")
            + Case(When(quality="failed", then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .values(
            "id",
            "external_code",
            "content",
            "field_id",
            "product_type",
            "responsible_id",
            "unit_id",
            "due_on",
            "completed_on",
            "is_completed",
            "is_on_time",
            "delay_count",
            "is_quality_ok",
            "failure_count",
        )
        .order_by("responsible_id", "due_on", "external_code")
    )


def unit_open_fields(*, unit_ids, start: date, end: date, as_of: date) -> tuple[int, Counter]:
    """How many of the unit's period tasks were not done on time to quality: (all, per field id)."""
    done_well = Q(completed_on__isnull=False, completed_on__lte=as_of) & ~Q(quality="failed")
    done_well &= Q(due_on__isnull=True) | Q(completed_on__lte=F("due_on"))
    rows = (
        Task.objects.filter(unit_id__in=list(unit_ids))
        .filter(task_period_q(start, end))
        .exclude(done_well)
        .values("field_id")
        .annotate(n=Count("id"))
    )
    per_field = Counter({row["field_id"]: row["n"] for row in rows})
    return sum(per_field.values()), per_field


def catalogue_weight(catalogue: dict[tuple[str, str], Decimal], position: str, product_type: str) -> Decimal:
    """The most specific factor: (position, type), ("", type), (position, ""), ("", ""), else 1."""
    for key in ((position, product_type), ("", product_type), (position, ""), ("", "")):
        if key in catalogue:
            return catalogue[key]
    return Decimal(1)


def sheet_rules(code: str, overrides: dict | None) -> RuleSet:
    rules = rule_set_for(code, overrides or None)
    if rules.regime == "points" and not rules.general_split:
        rules = dataclasses.replace(
            rules, general_split=tuple((k, parse_fraction(v, k)) for k, v in DEFAULT_GENERAL_SPLIT.items())
        )
        rules.validate()
    return rules


def rules_of(sheet: PeriodSheet) -> RuleSet:
    return (
        RuleSet.from_mapping({**sheet.rules, "code": sheet.rule_set})
        if sheet.rules
        else sheet_rules(sheet.rule_set, None)
    )


def general_points_of(sheet: PeriodSheet) -> dict[str, Fraction]:
    points = sheet.general_points or sheet.self_general_points or {}
    return {name: parse_fraction(value, f"general_points.{name}") for name, value in points.items()}


def product_input(product, field_codes: dict[int, str]) -> scoring.Product:
    return scoring.Product(
        id=product.code,
        assigned=product.assigned,
        completed=product.completed,
        on_time=product.on_time,
        quality_ok=product.quality_ok,
        delays=product.delays,
        quality_failures=product.quality_failures,
        excused=product.excused,
        weight=Fraction(product.weight),
        field=field_codes.get(product.field_id) if product.field_id else None,
        excuse_document=(
            f"{product.excuse_document} ngày {product.excuse_date.strftime('%d/%m/%Y')}"
            if product.excused
            else ""
        ),
    )


_PRODUCT_FIELDS = [f.name for f in dataclasses.fields(scoring.ProductScore)]
_SCORE_FIELDS = [
    f.name for f in dataclasses.fields(scoring.SheetScore) if f.name not in ("products", "explanation")
]


def _text(value):
    return fraction_text(value) if isinstance(value, Fraction) else value


def score_json(score: scoring.SheetScore) -> dict:
    """The engine's result as JSON (fractions as exact text). Written out field by field: a generic
    walk over the dataclasses cost more than the scoring itself on a province (measured)."""
    data = {name: _text(getattr(score, name)) for name in _SCORE_FIELDS}
    data["products"] = [{name: _text(getattr(p, name)) for name in _PRODUCT_FIELDS} for p in score.products]
    data["explanation"] = [
        {"kind": e.kind, "product_id": e.product_id, "points": fraction_text(e.points), "text": e.text}
        for e in score.explanation
    ]
    return data


@dataclasses.dataclass(slots=True)
class NewProduct:
    """A product read from the register, not stored yet: the attributes of `SheetProduct` the scoring
    reads, without building a model instance per task (inserted with one executemany)."""

    task_id: int
    code: str
    title: str
    field_id: int | None
    weight: Decimal
    completed: bool
    on_time: bool
    quality_ok: bool
    delays: int
    quality_failures: int
    due_on: date | None
    completed_on: date | None
    excuse_document: str = ""
    excuse_date: date | None = None
    assigned: bool = True
    source: str = "task"
    directed: bool = False

    @property
    def excused(self) -> bool:
        return bool(self.excuse_document)


def _main_field(products, field_codes: dict[int, str]) -> str | None:
    counts = Counter(p.field_id for p in products if p.field_id)
    if not counts:
        return None
    return field_codes.get(counts.most_common(1)[0][0])


def score_period(
    *,
    unit_ids,
    sheets: list[PeriodSheet],
    portfolios: dict[int, frozenset[str]],
    field_codes,
    products_of=None,
    open_counts: tuple[int, Counter] | None = None,
    discipline_of: dict | None = None,
) -> None:
    """Score the sheets of one unit and period in memory (the caller saves them); `products_of`
    (official id -> products) stands for sheets not saved yet, `open_counts` for the unit's tasks of
    the period not done on time to quality (computed here when not given). Approved sheets keep
    their frozen figures and count as subordinates with them. Staff first, then deputies, then the
    head: d reads the totals of the people under the leader (deputies: within the portfolio).
    `discipline_of` (official id -> `scoring.Discipline`) carries the overrides of Art. 20(4) whose
    record is dated within the period (discipline, concluded degradation, unit corruption)."""
    if not sheets:
        return
    start, end, as_of = sheets[0].start, sheets[0].end, max(s.as_of for s in sheets)
    if open_counts is None:
        open_counts = unit_open_fields(unit_ids=unit_ids, start=start, end=end, as_of=as_of)
    open_all, open_by_field = open_counts
    code_to_id = {code: pk for pk, code in field_codes.items()}
    order = {SheetRole.STAFF: 0, SheetRole.DEPUTY: 1, SheetRole.HEAD: 2}
    scored: list[tuple[PeriodSheet, str | None]] = []
    for sheet in sorted(sheets, key=lambda s: order[s.role]):
        products = products_of[sheet.official_id] if products_of is not None else list(sheet.products.all())
        main_field = _main_field(products, field_codes)
        rules = rules_of(sheet)
        if sheet.status != SheetStatus.APPROVED and rules.regime == "points":
            leader = None
            if sheet.role != SheetRole.STAFF:
                portfolio = (
                    None if sheet.role == SheetRole.HEAD else portfolios.get(sheet.official_id, frozenset())
                )
                subordinates = tuple(
                    scoring.Subordinate(id=other.official.code, field=field, score=other.total_fraction)
                    for other, field in scored
                    if other.total and (sheet.role == SheetRole.HEAD or other.role == SheetRole.STAFF)
                )
                if portfolio is None:
                    unit_ok = open_all == 0
                else:
                    unit_ok = sum(open_by_field.get(code_to_id.get(code), 0) for code in portfolio) == 0
                sheet.unit_all_on_time = unit_ok
                leader = scoring.LeaderInput(
                    portfolio_fields=portfolio,
                    subordinates=subordinates,
                    unit_all_planned_tasks_on_time_and_quality=unit_ok,
                    unity_ok=sheet.unity_ok,
                )
            try:
                result = scoring.score_sheet(
                    scoring.SheetInput(
                        role=sheet.role,
                        general_points=general_points_of(sheet),
                        products=tuple(product_input(p, field_codes) for p in products),
                        leader=leader,
                        discipline=(discipline_of or {}).get(sheet.official_id, scoring.Discipline()),
                    ),
                    rules,
                )
            except scoring.ScoringError as exc:
                # Not scorable yet (no product assigned, say): the sheet says why; others go on.
                sheet.score = {"error": exc.message, "error_field": exc.field}
                sheet.total, sheet.total_display, sheet.band_by_score, sheet.band = "", None, "", ""
                scored.append((sheet, main_field))
                continue
            sheet.score = score_json(result)
            sheet.total = fraction_text(result.total)
            sheet.total_display = round(
                Decimal(result.total.numerator) / Decimal(result.total.denominator), 2
            )
            sheet.band_by_score = result.band_by_score
            sheet.band = result.band
        scored.append((sheet, main_field))


def open_counts_by_unit(*, lineages: dict[int, set[int]], start: date, end: date, as_of: date) -> dict:
    """unit id -> (tasks of the period not done on time to quality, per field), for many units in one
    query; a predecessor's tasks count for every unit it went into."""
    done_well = Q(completed_on__isnull=False, completed_on__lte=as_of) & ~Q(quality="failed")
    done_well &= Q(due_on__isnull=True) | Q(completed_on__lte=F("due_on"))
    every = set().union(*lineages.values()) if lineages else set()
    rows = (
        Task.objects.filter(unit_id__in=list(every))
        .filter(task_period_q(start, end))
        .exclude(done_well)
        .values("unit_id", "field_id")
        .annotate(n=Count("id"))
    )
    owners: dict[int, list[int]] = {}
    for unit_id, ids in lineages.items():
        for member in ids:
            owners.setdefault(member, []).append(unit_id)
    result = {unit_id: (0, Counter()) for unit_id in lineages}
    for row in rows:
        for unit_id in owners.get(row["unit_id"], ()):
            total, per_field = result[unit_id]
            per_field[row["field_id"]] += row["n"]
            result[unit_id] = (total + row["n"], per_field)
    return result
