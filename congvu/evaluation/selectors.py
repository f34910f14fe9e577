"""Reads of the year-end evaluation.

`official_classifications` and `discipline_for` are the contract other apps (proposals, cadre
planning) read through; they take ids, not a user, because the caller has already scoped the officials.
Everything a page shows goes through `visible_to(user)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db import models
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


@dataclass(frozen=True)
class OverrideBasis:
    """One record that forces "không hoàn thành": the engine flag and the sentence naming the document."""

    flag: str
    text: str


def override_bases(*, official_ids, since: date, until: date) -> dict[int, list[OverrideBasis]]:
    """official id -> the records dated in [since, until] that force "không hoàn thành" (Art. 20(4)):
    discipline from khiển trách up for a public-duty violation (by effective date), and the
    conclusions of degradation or of corruption handled in a managed unit (by document date).
    Two queries; officials without any are absent."""
    from congvu.evaluation.models import DISCIPLINARY_FORMS, ConclusionKind, OverrideConclusion

    ids = list(official_ids)
    result: dict[int, list[OverrideBasis]] = {}
    records = DisciplineRecord.objects.filter(
        official_id__in=ids,
        effective_date__gte=since,
        effective_date__lte=until,
        form__in=list(DISCIPLINARY_FORMS),
        public_duty_violation=True,
    ).order_by("effective_date", "pk")
    for r in records:
        result.setdefault(r.official_id, []).append(
            OverrideBasis(
                "reprimand_or_higher_in_year",
                f"kỷ luật {r.get_form_display().lower()} do vi phạm liên quan đến hoạt động công vụ, "
                f"quyết định số {r.decision_number} ngày {r.decision_date:%d/%m/%Y}",
            )
        )
    conclusions = OverrideConclusion.objects.filter(
        official_id__in=ids, document_date__gte=since, document_date__lte=until
    ).order_by("document_date", "pk")
    for c in conclusions:
        if c.kind == ConclusionKind.DEGRADATION:
            what = "bị cấp có thẩm quyền kết luận có biểu hiện suy thoái"
        else:
            what = (
                f"{c.handled_unit} thuộc quyền quản lý trực tiếp liên quan đến tham ô, tham nhũng, "
                "lãng phí và bị xử lý"
            )
        result.setdefault(c.official_id, []).append(
            OverrideBasis(
                c.kind,
                f"{what}, văn bản số {c.document_number} ngày {c.document_date:%d/%m/%Y} ({c.authority})",
            )
        )
    return result


def discipline_flags(bases: list[OverrideBasis]):
    """The engine's `Discipline` from the records of `override_bases`."""
    from congvu.evaluation.scoring import Discipline

    flags = {b.flag for b in bases}
    return Discipline(
        reprimand_or_higher_in_year="reprimand_or_higher_in_year" in flags,
        degradation_concluded="degradation_concluded" in flags,
        unit_corruption_handled="unit_corruption_handled" in flags,
    )


def conclusion_list(*, fetched_by):
    """The conclusions the user may see (the page narrows them with `evaluation.filters`)."""
    from congvu.evaluation.models import OverrideConclusion

    return OverrideConclusion.objects.visible_to(fetched_by).select_related("official", "unit")


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
    *, official: Official, year: int, unit_id: int | None = None, on: date | None = None, assignment=True
) -> str:
    """The rule set an official is rated under for `year` (on `on`, by default 31/12 of the year):
    the configured assignment for the unit, else the province-wide one, else the decree default
    (`assignment=False`: the caller has already looked the assignments up)."""
    if assignment:
        found = rule_set_assignments(year=year, unit_id=unit_id).get(official.staff_type)
        if found is not None:
            return found.rule_set
    from congvu.evaluation.rules import default_rule_set_code

    on = on or date(year, 12, 31)
    return default_rule_set_code(year=year, staff_type=official.staff_type, on=on)


def rule_set_assignments_all(*, year: int) -> dict:
    """(unit id or None, staff type) -> the stored assignment, for every unit of the year."""
    from congvu.evaluation.models import RuleSetAssignment

    return {(row.unit_id, row.staff_type): row for row in RuleSetAssignment.objects.filter(year=year)}


def rule_set_assignments(*, year: int, unit_id: int | None) -> dict:
    """staff type -> the stored assignment for the unit (preferred) or the whole province."""
    from congvu.evaluation.models import RuleSetAssignment

    found: dict = {}
    rows = RuleSetAssignment.objects.filter(year=year).filter(Q(unit_id=unit_id) | Q(unit__isnull=True))
    for row in sorted(rows, key=lambda r: r.unit_id is not None):  # the unit's own row wins
        found[row.staff_type] = row
    return found


def year_results_by_official(*, official_ids, year: int) -> dict[int, YearResult]:
    return {
        r.official_id: r for r in YearResult.objects.filter(official_id__in=list(official_ids), year=year)
    }


_ROLE_RANK = {AppointmentRole.HEAD: 0, AppointmentRole.DEPUTY: 1, AppointmentRole.OTHER: 2}
_SHEET_ROLE = {AppointmentRole.HEAD: "head", AppointmentRole.DEPUTY: "deputy", AppointmentRole.OTHER: "staff"}


def officials_in_post(*, unit_id: int, start: date, end: date) -> dict[int, tuple[str, str]]:
    """official id -> (sheet role, title) for everyone appointed at the unit at some time in
    [start, end]; the highest post wins (head, then deputy, then staff), then the latest."""
    return posts_by_unit(unit_ids=[unit_id], start=start, end=end).get(unit_id, {})


def posts_by_unit(*, unit_ids, start: date, end: date) -> dict[int, dict[int, tuple[str, str]]]:
    """`officials_in_post` for many units in one query: unit id -> official id -> (role, title)."""
    rows = (
        Appointment.objects.filter(unit_id__in=list(unit_ids), start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .values_list("unit_id", "official_id", "role", "title", "start")
    )
    best: dict[tuple[int, int], tuple[int, int, str, str]] = {}
    for unit_id, official_id, role, title, start_day in rows:
        key = (_ROLE_RANK.get(role, 2), -start_day.toordinal())
        if (unit_id, official_id) not in best or key < best[(unit_id, official_id)][:2]:
            best[(unit_id, official_id)] = (*key, role, title)
    result: dict[int, dict[int, tuple[str, str]]] = {}
    for (unit_id, official_id), (_r, _s, role, title) in best.items():
        result.setdefault(unit_id, {})[official_id] = (_SHEET_ROLE.get(role, "staff"), title)
    return result


def portfolios_by_unit(*, unit_ids, day: date) -> dict[tuple[int, int], frozenset[str]]:
    """(unit id, deputy's official id) -> field codes of the deputy appointments in force on `day`."""
    rows = (
        Appointment.fields.through.objects.filter(
            appointment__unit_id__in=list(unit_ids),
            appointment__role=AppointmentRole.DEPUTY,
            appointment__start__lte=day,
        )
        .filter(Q(appointment__end__isnull=True) | Q(appointment__end__gte=day))
        .values_list("appointment__unit_id", "appointment__official_id", "field__code")
    )
    result: dict[tuple[int, int], set[str]] = {}
    for unit_id, official_id, code in rows:
        result.setdefault((unit_id, official_id), set()).add(code)
    return {key: frozenset(codes) for key, codes in result.items()}


def lineages(*, unit_ids) -> dict[int, set[int]]:
    """unit id -> the unit and every unit it absorbed, at any depth (one query for all units)."""
    from congvu.org.models import UnitLineage

    predecessors: dict[int, set[int]] = {}
    for predecessor, successor in UnitLineage.objects.values_list("predecessor_id", "successor_id"):
        predecessors.setdefault(successor, set()).add(predecessor)
    result = {}
    for unit_id in unit_ids:
        seen, frontier = {unit_id}, {unit_id}
        while frontier:
            frontier = {p for u in frontier for p in predecessors.get(u, ())} - seen
            seen |= frontier
        result[unit_id] = seen
    return result


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


def year_result_list(*, fetched_by, year: int, unit_id: int | None = None):
    """The year's results the user may see, of one unit when given (the page narrows them further
    with `evaluation.filters.YearResultFilter`)."""
    qs = YearResult.objects.visible_to(fetched_by).filter(year=year).select_related("official", "unit")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs


def sheet_list(*, fetched_by, year: int, unit_id=None):
    """The year's period sheets the user may see (`evaluation.filters.SheetFilter` narrows them)."""
    from congvu.evaluation.models import PeriodSheet

    # An agency head also sees the sheets of his sub-units' heads, whom he approves (`head_rating`).
    qs = with_subunit_heads(PeriodSheet, fetched_by).filter(year=year).select_related("official", "unit")
    if unit_id:  # the unit's sheets and those of its sub-units' heads, whom its head approves
        qs = qs.filter(Q(unit_id=unit_id) | Q(role="head", unit__parent_id=unit_id))
    return qs


def discipline_list(*, fetched_by):
    """The discipline records the user may see (`evaluation.filters.DisciplineFilter` narrows them)."""
    return DisciplineRecord.objects.visible_to(fetched_by).select_related("official", "unit")


@dataclass
class LeaderSources:
    """Where a leader's d, đ and e come from, for the sheet page: the subordinates' sheets of the
    period (with whether each counts: a deputy's only within his portfolio), the unit's tasks of the
    period not done on time to quality (đ, in SQL), and who entered e."""

    portfolio: frozenset[str] | None
    subordinates: list[dict]
    open_tasks: list
    open_count: int


def leader_sources(*, fetched_by, sheet) -> LeaderSources | None:
    from collections import Counter

    from congvu.evaluation.models import PeriodSheet, SheetProduct, SheetRole
    from congvu.evaluation.sheets import task_period_q
    from congvu.org.selectors import unit_with_predecessor_ids
    from congvu.registers.models import Task

    if sheet.role == SheetRole.STAFF:
        return None
    portfolio = None
    if sheet.role == SheetRole.DEPUTY:
        portfolio = portfolio_codes(official_ids=[sheet.official_id], unit_id=sheet.unit_id, day=sheet.end)[
            sheet.official_id
        ]
    others = list(
        PeriodSheet.objects.visible_to(fetched_by)
        .filter(
            unit_id=sheet.unit_id,
            year=sheet.year,
            period_kind=sheet.period_kind,
            period_number=sheet.period_number,
        )
        .exclude(pk=sheet.pk)
        .select_related("official")
        .order_by("role", "official__full_name")
    )
    if sheet.role == SheetRole.DEPUTY:
        others = [o for o in others if o.role == SheetRole.STAFF]
    fields: dict[int, Counter] = {}
    for sheet_id, code in SheetProduct.objects.filter(
        sheet_id__in=[o.pk for o in others], directed=False, field__isnull=False
    ).values_list("sheet_id", "field__code"):
        fields.setdefault(sheet_id, Counter())[code] += 1
    subordinates = []
    for other in others:
        main = fields[other.pk].most_common(1)[0][0] if other.pk in fields else None
        if portfolio is None:
            counts = True
        else:
            rules = other.rules or {}
            counts = main in portfolio if main else bool(rules.get("unfielded_subordinates_count_for_deputy"))
        subordinates.append({"sheet": other, "field": main, "counted": counts})
    done_well = Q(completed_on__isnull=False, completed_on__lte=sheet.as_of) & ~Q(quality="failed")
    done_well &= Q(due_on__isnull=True) | Q(completed_on__lte=models.F("due_on"))
    tasks = (
        Task.objects.filter(unit_id__in=list(unit_with_predecessor_ids(sheet.unit_id)))
        .filter(task_period_q(sheet.start, sheet.end))
        .exclude(done_well)
    )
    if portfolio is not None:
        tasks = tasks.filter(field__code__in=list(portfolio))
    tasks = tasks.select_related("responsible").order_by("due_on", "external_code")
    return LeaderSources(portfolio, subordinates, list(tasks[:20]), tasks.count())


def excuses_after_approval(*, fetched_by, sheet) -> dict[int, str]:
    """An approved sheet's task products whose task has an excuse it did not freeze (recorded, or
    changed, after the approval): product id -> what the page says. The frozen figures stand."""
    from congvu.evaluation.models import SheetProduct, TaskExcuse

    if not sheet.is_frozen:
        return {}
    frozen = {
        task_id: (pk, document)
        for pk, task_id, document in SheetProduct.objects.filter(sheet=sheet, task__isnull=False).values_list(
            "pk", "task_id", "excuse_document"
        )
    }
    notes = {}
    for excuse in TaskExcuse.objects.visible_to(fetched_by).filter(task_id__in=list(frozen)):
        pk, document = frozen[excuse.task_id]
        if document != excuse.document:
            notes[pk] = (
                f"Văn bản xác nhận {excuse} được ghi sau khi phiếu đã phê duyệt: "
                "phiếu đã cố định nên điểm của sản phẩm này không thay đổi."
            )
    return notes


@dataclass(frozen=True)
class HeadRating:
    """Who reviews and approves a head's sheets and decides his year (`head_rating`, decree-335 §7)."""

    by_chairman: bool
    agency_id: int | None = None  # the managing agency whose head rates a sub-unit's head
    agency_name: str = ""


def head_rating(*, unit_id: int, reading: str = "by_unit") -> HeadRating:
    """The rule derived from the unit: a unit managed by the province (its parent is the province —
    sở, ban, ngành, UBND cấp xã; or no parent recorded) has its head rated by the Chairman on the
    Director of Home Affairs' proposal; a sub-unit (phòng, đơn vị thuộc sở: its parent is an agency)
    has its head approved by the head of that agency, like staff. `reading` "chairman" (a rule-set
    parameter) sends every head to the Chairman."""
    from congvu.org.models import Unit, UnitKind

    parent = Unit.objects.filter(pk=unit_id).values_list("parent_id", "parent__kind", "parent__name").first()
    parent_id, parent_kind, parent_name = parent or (None, None, None)
    if reading == "chairman" or parent_id is None or parent_kind in (UnitKind.PPC, UnitKind.PROVINCE):
        return HeadRating(True)
    return HeadRating(False, parent_id, parent_name)


def head_reading(*, official, year: int, unit_id: int) -> str:
    """The `head_rating` reading of an official's year: the rule-set assignment's parameter, else the
    rule set's default."""
    assignment = rule_set_assignments(year=year, unit_id=unit_id).get(official.staff_type)
    return ((assignment.overrides or {}) if assignment else {}).get("head_rating", "by_unit")


def head_rating_for(*, official, year: int, unit_id: int) -> HeadRating:
    """`head_rating` of the unit under the reading of the official's year (proposals, decisions)."""
    return head_rating(unit_id=unit_id, reading=head_reading(official=official, year=year, unit_id=unit_id))


def with_subunit_heads(model, user):
    """`PeriodSheet` or `YearResult` rows scoped to the user, plus those of heads of sub-units of the
    user's units (`role` "head"): the agency head approves and rates them, so he sees their sheets and
    year. Everyone else's rows stay within the scope."""
    from congvu.core.scoping import visible_unit_ids

    ids = visible_unit_ids(user)
    if ids is None:
        return model.objects.all()
    return model.objects.filter(Q(unit_id__in=ids) | Q(role="head", unit__parent_id__in=ids))


def quota_group_summaries(*, fetched_by, unit, year: int) -> list[dict]:
    """The quota groups of the unit's computed year (the agency first): members, T (rated good after
    the quota), the excellent places and the small-group flag (T too small for a single place)."""
    if unit is None:
        return []
    found: dict[str, dict] = {}
    rows = (
        YearResult.objects.visible_to(fetched_by)
        .filter(unit_id=unit.pk, year=year)
        .values_list("explanation", flat=True)
    )
    for explanation in rows:
        if isinstance(explanation, dict):
            for group in explanation.get("quota_groups", []):
                found.setdefault(group["group"], group)
    return sorted(found.values(), key=lambda g: (g["group"] != "", g["group"]))


def unit_rating(*, fetched_by, unit, year: int):
    from congvu.evaluation.models import UnitYearRating

    if unit is None:
        return None
    return UnitYearRating.objects.visible_to(fetched_by).filter(unit_id=unit.pk, year=year).first()


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


# --- The year from the stored sheets ----------------------------------------------------------


@dataclass
class YearFigure:
    """One official's year as computed from the approved sheets (not stored)."""

    official_id: int
    code: str
    full_name: str
    role: str
    position: str
    rule_set: str
    periods: list[dict]
    year: object  # scoring.YearScore
    over_quota: bool = False
    quota_tie: bool = False
    quota_lines: list[dict] = field(default_factory=list)
    rules: object = None  # the RuleSet the sheets were scored under
    quota_group: str = ""  # the group of similar posts (QuotaGroupMember, else the job title)
    quota_groups: list[dict] = field(default_factory=list)  # T and places of the agency and the group
    override_basis: list[str] = field(default_factory=list)  # the documents behind a forced band

    @property
    def band(self) -> str:
        """The band after the quota: over the quota → tốt (the evaluator may decide otherwise)."""
        return "tot" if self.over_quota else self.year.band


def year_figures(
    *, unit_id: int, year: int, organisation_recognised_outstanding: bool = False, provisional: bool = False
) -> dict[int, YearFigure]:
    """The year of every official of the unit with approved sheets: the mean of the periods worked,
    the band, the discipline override (Art. 20(4)(c)), then the excellent quota within the agency and
    within each group of similar posts (the job title); an override takes a person out of the quota.
    `provisional`: every scored sheet counts, approved or not (a preview before the approvals).
    Raises `ScoringError` naming the official when a sheet cannot be read."""
    from congvu.evaluation.models import PeriodKind, PeriodSheet, SheetStatus
    from congvu.evaluation.rules import RuleSet
    from congvu.evaluation.scoring import (
        ScoringError,
        apply_quota,
        apply_quota_by_group,
        quota_group_name,
        score_year,
    )

    rows = (
        PeriodSheet.objects.filter(
            year=year,
            official_id__in=PeriodSheet.objects.filter(unit_id=unit_id, year=year).values("official_id"),
        )
        .filter(**({} if provisional else {"status": SheetStatus.APPROVED}))
        .exclude(total="")
        .order_by("official_id", "start")
        .values_list(
            "unit_id",
            "pk",
            "official_id",
            "official__code",
            "official__full_name",
            "total",
            "role",
            "position",
            "rule_set",
            "rules",
            "period_kind",
            "period_number",
        )
    )
    raw: dict[int, dict] = {}
    for sheet_unit, pk, official_id, code, name, total, role, position, rule_set, rules, kind, number in rows:
        person = raw.setdefault(official_id, {"code": code, "name": name, "totals": [], "periods": []})
        person["totals"].append(Fraction(total))
        label = f"{'Tháng' if kind == PeriodKind.MONTH else 'Quý'} {number}/{year}"
        person["periods"].append({"sheet_id": pk, "label": label, "total": total, "unit_id": sheet_unit})
        person.update(role=role, position=position, rule_set=rule_set, rules=rules, last_unit=sheet_unit)
    # After a transfer the new agency classifies, with the old agency's period results (decree-335
    # §6): everyone's periods count wherever they were worked; the unit of the latest one rates.
    raw = {official_id: p for official_id, p in raw.items() if p["last_unit"] == unit_id}
    from congvu.evaluation.models import QuotaGroupMember, UnitYearRating

    bases = override_bases(official_ids=list(raw), since=date(year, 1, 1), until=date(year, 12, 31))
    unit_rating = UnitYearRating.objects.filter(unit_id=unit_id, year=year).first()
    chosen_groups = dict(
        QuotaGroupMember.objects.filter(year=year, official_id__in=list(raw)).values_list(
            "official_id", "group"
        )
    )
    rule_cache: dict[str, RuleSet] = {}
    figures: dict[int, YearFigure] = {}
    for official_id, p in raw.items():
        key = repr(sorted(p["rules"].items())) + p["rule_set"]
        if key not in rule_cache:
            rule_cache[key] = RuleSet.from_mapping({**p["rules"], "code": p["rule_set"]})
        person_bases = bases.get(official_id, [])
        try:
            ys = score_year(
                p["totals"],
                discipline=discipline_flags(person_bases),
                rules=rule_cache[key],
                role=p["role"],
                unit_band=unit_rating.band if unit_rating else None,
            )
        except ScoringError as exc:
            raise ScoringError(exc.field, f"{p['code']}: {exc.message}") from None
        figure = YearFigure(
            official_id, p["code"], p["name"], p["role"], p["position"], p["rule_set"], p["periods"], ys
        )
        figure.rules = rule_cache[key]
        figure.quota_group = quota_group_name(chosen_groups.get(official_id), p["position"])
        if ys.override:
            # "Bị xếp loại không hoàn thành do …, văn bản số …": every record behind the flag applied.
            applicable = [b for b in person_bases if b.flag == ys.override]
            figure.override_basis = [f"Bị xếp loại không hoàn thành nhiệm vụ do {b.text}" for b in applicable]
        if unit_rating and any(line.kind == "head_not_above_unit" for line in ys.explanation):
            figure.override_basis.append(
                f"Xếp loại của đơn vị năm {year}: {unit_rating.get_band_display()}, "
                f"văn bản {unit_rating.decision_document}"
            )
        figures[official_id] = figure
    eligible = [f for f in figures.values() if not f.year.override]
    if eligible:
        rules_by_code = {f.code: f.rules for f in eligible}  # a group's first member's rule set
        outcomes = apply_quota_by_group(
            [(f.code, f.quota_group, _quota_total(f)) for f in eligible],
            lambda members: apply_quota(
                members,
                organisation_recognised_outstanding=organisation_recognised_outstanding,
                rules=rules_by_code[members[0][0]],
            ),
        )
        for f in eligible:
            outcome = outcomes[f.code]
            f.over_quota, f.quota_tie = outcome.over_quota, outcome.tie
            f.quota_groups, f.quota_lines = outcome.groups, outcome.lines
    return figures


def _quota_total(f: YearFigure) -> Fraction:
    """The total the quota counts: a head capped by his unit's rating (`head_not_above_unit`) counts
    at the floor of the band he was capped to, so he is neither an excellent candidate nor lost from
    the count of those rated good."""
    if f.year.band == f.year.band_by_score:
        return f.year.total
    rules = f.rules
    floor = {"xuat_sac": rules.excellent_min, "tot": rules.good_min, "hoan_thanh": rules.completed_min}
    return floor.get(f.year.band, Fraction(0))


def year_report(*, year: int, unit_code: str | None = None, provisional: bool = False) -> list[dict]:
    """Every official's year from the stored (approved) sheets, unit by unit, with the stored
    decision if any: what `congvu evaluate year` prints (`provisional`: sheets not yet approved count
    too). Nothing is written."""
    from congvu.evaluation.models import PeriodSheet, SheetStatus
    from congvu.org.models import Unit

    units = Unit.objects.filter(
        pk__in=PeriodSheet.objects.filter(year=year)
        .filter(**({} if provisional else {"status": SheetStatus.APPROVED}))
        .values("unit_id")
    ).order_by("name")
    if unit_code:
        units = units.filter(code=unit_code)
    rows = []
    for unit in units:
        figures = year_figures(unit_id=unit.pk, year=year, provisional=provisional)
        decided = dict(
            YearResult.objects.filter(year=year, official_id__in=list(figures))
            .exclude(decided_band="")
            .values_list("official_id", "decided_band")
        )
        for f in sorted(figures.values(), key=lambda f: (-f.year.total, f.code)):
            rows.append(
                {
                    "unit": unit.code,
                    "unit_name": unit.name,
                    "official": f.code,
                    "name": f.full_name,
                    "role": f.role,
                    "group": f.position if f.quota_group == "—" else f.quota_group,
                    "rule_set": f.rule_set,
                    "periods": f.year.periods,
                    "total": f.year.total,
                    "band_by_score": f.year.band_by_score,
                    "override": f.year.override,
                    "over_quota": f.over_quota,
                    "quota_tie": f.quota_tie,
                    "band": f.band,
                    "decided_band": decided.get(f.official_id),
                }
            )
    return rows
