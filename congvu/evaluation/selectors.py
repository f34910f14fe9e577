"""Reads of the year-end evaluation.

`official_classifications` and `discipline_for` are the contract other apps (proposals, cadre
planning) read through; they take ids, not a user, because the caller has already scoped the officials.
Everything a page shows goes through `visible_to(user)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.db.models import Case, IntegerField, Q, Value, When

from congvu.evaluation.models import DisciplineRecord, YearResult, parse_fraction
from congvu.org.models import Appointment, AppointmentRole, Official


@dataclass(frozen=True)
class Classification:
    """An official's classification for a year: the decided band when the competent level has
    decided, else the computed one (`decided` False)."""

    band: str
    rule_set: str
    decided: bool
    total: Fraction | None


def official_classifications(*, official_ids, years) -> dict[tuple[int, int], Classification]:
    """(official id, year) -> Classification, for the pairs that have a year result with a band."""
    rows = YearResult.objects.filter(official_id__in=list(official_ids), year__in=list(years)).values_list(
        "official_id", "year", "decided_band", "computed_band", "rule_set", "total"
    )
    result: dict[tuple[int, int], Classification] = {}
    for official_id, year, decided, computed, rule_set, total in rows:
        band = decided or computed
        if band:
            result[(official_id, year)] = Classification(band, rule_set, bool(decided), parse_fraction(total))
    return result


def discipline_for(*, official_ids, since: date, until: date) -> dict[int, list[DisciplineRecord]]:
    """official id -> the discipline records effective in [since, until] (both inclusive), newest
    first; every requested id is a key (an empty list when clean). Each record tells by
    `triggers_override` whether it forces "không hoàn thành" under Art. 20(4)(c)."""
    ids = list(official_ids)
    result: dict[int, list[DisciplineRecord]] = {official_id: [] for official_id in ids}
    records = (
        DisciplineRecord.objects.filter(
            official_id__in=ids, effective_date__gte=since, effective_date__lte=until
        )
        .select_related("unit")
        .order_by("-effective_date", "-pk")
    )
    for record in records:
        result[record.official_id].append(record)
    return result


def discipline_override_ids(*, official_ids, year: int) -> set[int]:
    """The officials with a discipline record that forces "không hoàn thành" in `year`."""
    from congvu.evaluation.models import DISCIPLINARY_FORMS

    return set(
        DisciplineRecord.objects.filter(
            official_id__in=list(official_ids),
            effective_date__year=year,
            form__in=list(DISCIPLINARY_FORMS),
            public_duty_violation=True,
        ).values_list("official_id", flat=True)
    )


def official_unit_on(*, official_id: int, day: date) -> int | None:
    """The unit an official worked in on `day`: the appointment in force that day (a head's post
    before a deputy's before any other, then the latest), else the last appointment before it."""
    appointments = Appointment.objects.filter(official_id=official_id, start__lte=day)
    in_force = (
        appointments.filter(Q(end__isnull=True) | Q(end__gte=day))
        .annotate(
            rank=Case(
                When(role=AppointmentRole.HEAD, then=Value(0)),
                When(role=AppointmentRole.DEPUTY, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-start")
        .values_list("unit_id", flat=True)
        .first()
    )
    if in_force is not None:
        return in_force
    return appointments.order_by("-end", "-start").values_list("unit_id", flat=True).first()


def rule_set_code_for(
    *, official: Official, year: int, unit_id: int | None = None, on: date | None = None
) -> str:
    """The rule set an official is rated under for `year` (on `on`, by default 31/12 of the year):
    the configured assignment for the unit, else the province-wide one, else the decree default."""
    assignment = rule_set_assignment_for(year=year, staff_type=official.staff_type, unit_id=unit_id)
    if assignment is not None:
        return assignment.rule_set
    from congvu.evaluation.rules import default_rule_set_code

    on = on or date(year, 12, 31)
    return default_rule_set_code(year=year, staff_type=official.staff_type, on=on)


def rule_set_assignment_for(*, year: int, staff_type: str, unit_id: int | None):
    """The stored assignment for a unit (preferred) or the whole province, or None."""
    from congvu.evaluation.models import RuleSetAssignment

    rows = RuleSetAssignment.objects.filter(year=year, staff_type=staff_type).filter(
        Q(unit_id=unit_id) | Q(unit__isnull=True)
    )
    by_unit = {row.unit_id: row for row in rows}
    return by_unit.get(unit_id) or by_unit.get(None)


def year_results_by_official(*, official_ids, year: int) -> dict[int, YearResult]:
    return {
        r.official_id: r for r in YearResult.objects.filter(official_id__in=list(official_ids), year=year)
    }


_ROLE_RANK = {AppointmentRole.HEAD: 0, AppointmentRole.DEPUTY: 1, AppointmentRole.OTHER: 2}
_SHEET_ROLE = {AppointmentRole.HEAD: "head", AppointmentRole.DEPUTY: "deputy", AppointmentRole.OTHER: "staff"}


def officials_in_post(*, unit_id: int, start: date, end: date) -> dict[int, tuple[str, str]]:
    """official id -> (sheet role, title) for everyone appointed at the unit at some time in
    [start, end]; the highest post wins (head, then deputy, then staff), then the latest."""
    rows = (
        Appointment.objects.filter(unit_id=unit_id, start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .values_list("official_id", "role", "title", "start")
    )
    best: dict[int, tuple[int, date, str, str]] = {}
    for official_id, role, title, start_day in rows:
        key = (_ROLE_RANK.get(role, 2), -start_day.toordinal())
        if official_id not in best or key < best[official_id][:2]:
            best[official_id] = (*key, role, title)
    return {oid: (_SHEET_ROLE.get(role, "staff"), title) for oid, (_r, _s, role, title) in best.items()}


def portfolio_codes(*, official_ids, unit_id: int, day: date) -> dict[int, frozenset[str]]:
    """Each deputy's portfolio (field codes) at the unit: the fields of the deputy appointments in
    force on `day` (the end of the period)."""
    rows = (
        Appointment.fields.through.objects.filter(
            appointment__official_id__in=list(official_ids),
            appointment__unit_id=unit_id,
            appointment__role=AppointmentRole.DEPUTY,
            appointment__start__lte=day,
        )
        .filter(Q(appointment__end__isnull=True) | Q(appointment__end__gte=day))
        .values_list("appointment__official_id", "field__code")
    )
    result: dict[int, set[str]] = {oid: set() for oid in official_ids}
    for official_id, code in rows:
        result[official_id].add(code)
    return {oid: frozenset(codes) for oid, codes in result.items()}


# --- Pages ------------------------------------------------------------------------------


def year_result_list(*, fetched_by, year: int, query: str = "", band: str = "", unit_id: int | None = None):
    from congvu.core.text import fold

    qs = YearResult.objects.visible_to(fetched_by).filter(year=year).select_related("official", "unit")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if band == "over_quota":
        qs = qs.filter(over_quota=True)
    elif band:
        qs = qs.filter(Q(decided_band=band) | Q(decided_band="", computed_band=band))
    if query:
        qs = qs.filter(
            Q(official__name_folded__contains=fold(query)) | Q(official__code__iexact=query.strip())
        )
    return qs


def sheet_list(
    *,
    fetched_by,
    year: int,
    period_number: int | None = None,
    status: str = "",
    query: str = "",
    unit_id=None,
):
    from congvu.core.text import fold
    from congvu.evaluation.models import PeriodSheet

    qs = PeriodSheet.objects.visible_to(fetched_by).filter(year=year).select_related("official", "unit")
    if period_number:
        qs = qs.filter(period_number=period_number)
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if query:
        qs = qs.filter(
            Q(official__name_folded__contains=fold(query)) | Q(official__code__iexact=query.strip())
        )
    return qs


def discipline_list(*, fetched_by, query: str = ""):
    from congvu.core.text import fold

    qs = DisciplineRecord.objects.visible_to(fetched_by).select_related("official", "unit")
    if query:
        folded = fold(query)
        qs = qs.filter(
            Q(official__name_folded__contains=folded)
            | Q(official__code__iexact=query.strip())
            | Q(decision_number__icontains=query.strip())
        )
    return qs


def catalogue_list(*, fetched_by, unit_id: int | None = None):
    from congvu.evaluation.models import CatalogueItem

    qs = CatalogueItem.objects.visible_to(fetched_by).select_related("unit")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs


def year_pending_counts(*, fetched_by, year: int) -> dict[str, int]:
    """Sheets of the year by status, for the page header."""
    from django.db.models import Count

    from congvu.evaluation.models import PeriodSheet

    rows = (
        PeriodSheet.objects.visible_to(fetched_by).filter(year=year).values("status").annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}
