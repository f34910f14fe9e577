"""Scoped reads of cadre planning: the entries, the per-unit planning sheet and the per-official record.

Classifications are read only through `congvu.evaluation.selectors.official_classifications` and
discipline only through `discipline_for` (the evaluation contract); findings and recommendations
through the inspections' own scope; the scorecard trend through the metrics engine.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings as django_settings
from django.db.models import Q, QuerySet

from congvu.core.scoping import get_visible_or_404
from congvu.evaluation.selectors import discipline_for, official_classifications
from congvu.org.models import Appointment, AppointmentRole, Official, Unit
from congvu.org.selectors import appointments_on, official_appointments
from congvu.planning.models import PlanningEntry, PlanningStatus
from congvu.planning.rules import (
    BAND_SHORT,
    Candidate,
    DisciplineFact,
    PlanningCheck,
    PlanningSettings,
    Post,
    Title,
    add_months,
    check_planning,
    last_years,
)


def planning_settings() -> PlanningSettings:
    """The planning conditions: defaults overridden by Django's PLANNING_RULES (fails loudly)."""
    return PlanningSettings.from_mapping(getattr(django_settings, "PLANNING_RULES", None))


def entry_list(*, fetched_by, term: str = "", unit: Unit | None = None) -> QuerySet:
    """The planning entries the user may see, of one term and unit when given; the list page narrows
    them with `planning.filters.PlanningEntryFilter`."""
    qs = PlanningEntry.objects.visible_to(fetched_by).select_related("official", "unit")
    if term:
        qs = qs.filter(term=term)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def entry_get(*, fetched_by, pk) -> PlanningEntry:
    return get_visible_or_404(PlanningEntry.objects.select_related("official", "unit"), fetched_by, pk=pk)


def terms_in_use(*, fetched_by) -> list[str]:
    return sorted(set(PlanningEntry.objects.visible_to(fetched_by).values_list("term", flat=True)))


# ---------------------------------------------------------------------------------------------------
# Checking entries against the planning conditions


def _posts_on(official_ids, on: date) -> dict[int, list[Appointment]]:
    posts: dict[int, list[Appointment]] = defaultdict(list)
    rows = (
        Appointment.objects.filter(official_id__in=list(official_ids), start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("unit")
    )
    for appointment in rows:
        posts[appointment.official_id].append(appointment)
    return posts


def _discipline_since(on: date, rules: PlanningSettings) -> date:
    longest = max((m for m in rules.discipline_months.values() if m is not None), default=12)
    # Forms that never expire are read over a long window (a career).
    if any(m is None for m in rules.discipline_months.values()):
        return date(on.year - 40, 1, 1)
    return add_months(on, -longest)


def check_entries(entries, *, on: date, rules: PlanningSettings | None = None) -> dict[int, PlanningCheck]:
    """entry id → its PlanningCheck on `on`, all facts read in a few batched queries."""
    rules = rules or planning_settings()
    entries = list(entries)
    if not entries:
        return {}
    official_ids = {e.official_id for e in entries}
    years = last_years(on, rules.classification_years)
    classifications = official_classifications(official_ids=official_ids, years=years)
    discipline = discipline_for(official_ids=official_ids, since=_discipline_since(on, rules), until=on)
    posts = _posts_on(official_ids, on)
    terms = {e.term for e in entries}
    active = PlanningEntry.objects.filter(term__in=terms, status=PlanningStatus.IN)
    per_title = Counter(active.values_list("unit_id", "role", "term"))
    per_person = Counter(active.values_list("official_id", "term"))
    unit_ids = {e.unit_id for e in entries}
    deputies = Counter(
        Appointment.objects.filter(unit_id__in=unit_ids, role=AppointmentRole.DEPUTY, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .values_list("unit_id", flat=True)
    )
    result = {}
    for entry in entries:
        official = entry.official
        candidate = Candidate(
            official_id=entry.official_id,
            birth_date=official.birth_date,
            sex=official.sex,
            woman_retires_at_60=entry.woman_retires_at_60,
            posts=tuple(Post(a.unit_id, a.unit.kind, a.role) for a in posts.get(entry.official_id, [])),
            classifications={
                year: c.band for (oid, year), c in classifications.items() if oid == entry.official_id
            },
            discipline=tuple(
                DisciplineFact(r.form, r.effective_date, r.decision_number)
                for r in discipline.get(entry.official_id, [])
            ),
            titles_in_planning=per_person[(entry.official_id, entry.term)]
            + (0 if entry.status == PlanningStatus.IN else 1),
        )
        title = Title(
            unit_id=entry.unit_id,
            unit_kind=entry.unit.kind,
            role=entry.role,
            term=entry.term,
            planned_count=per_title[(entry.unit_id, entry.role, entry.term)]
            + (0 if entry.status == PlanningStatus.IN else 1),
            posts=max(deputies[entry.unit_id], 1) if entry.role == AppointmentRole.DEPUTY else 1,
        )
        result[entry.pk] = check_planning(candidate, title, on=on, settings=rules)
    return result


# ---------------------------------------------------------------------------------------------------
# The per-unit planning sheet


@dataclass
class SheetRow:
    official: Official
    posts: list[Appointment]
    years: list[tuple[int, str]]  # (year, short band or "—")
    entry: PlanningEntry | None = None
    check: PlanningCheck | None = None

    @property
    def years_text(self) -> str:
        return "; ".join(f"{year}: {band}" for year, band in self.years)

    @property
    def post_text(self) -> str:
        return "; ".join(f"{a.title or a.get_role_display()} — {a.unit.name}" for a in self.posts) or "—"


@dataclass
class UnitSheet:
    unit: Unit
    term: str
    on: date
    years: list[int]
    leaders: list[SheetRow] = field(default_factory=list)
    planned_heads: list[SheetRow] = field(default_factory=list)
    planned_deputies: list[SheetRow] = field(default_factory=list)
    taken_out: list[SheetRow] = field(default_factory=list)


def _years_of(official_id: int, years: list[int], classifications) -> list[tuple[int, str]]:
    out = []
    for year in years:
        c = classifications.get((official_id, year))
        out.append((year, BAND_SHORT.get(c.band, c.band) if c else "—"))
    return out


def unit_planning_sheet(*, fetched_by, unit: Unit, term: str, on: date) -> UnitSheet:
    """Heads and deputies in post on `on`, and the people planned for the unit's titles in `term`
    (head, deputy, taken out), each with the last N years' classifications and, for the planned, the
    conditions that hold or fail. `unit` must already be fetched through the scope."""
    rules = planning_settings()
    years = last_years(on, rules.classification_years)
    leaders = list(
        appointments_on(unit.pk, on)
        .filter(role__in=[AppointmentRole.HEAD, AppointmentRole.DEPUTY])
        .select_related("official", "unit")
        .order_by("-role", "official__full_name")
    )
    entries = list(
        entry_list(fetched_by=fetched_by, term=term, unit=unit).order_by("role", "official__full_name")
    )
    official_ids = {a.official_id for a in leaders} | {e.official_id for e in entries}
    classifications = official_classifications(official_ids=official_ids, years=years)
    posts = _posts_on(official_ids, on)
    checks = check_entries(entries, on=on, rules=rules)
    sheet = UnitSheet(unit=unit, term=term, on=on, years=years)
    seen_leaders = set()
    for appointment in leaders:
        if appointment.official_id in seen_leaders:
            continue
        seen_leaders.add(appointment.official_id)
        sheet.leaders.append(
            SheetRow(
                official=appointment.official,
                posts=posts.get(appointment.official_id, [appointment]),
                years=_years_of(appointment.official_id, years, classifications),
            )
        )
    for entry in entries:
        row = SheetRow(
            official=entry.official,
            posts=posts.get(entry.official_id, []),
            years=_years_of(entry.official_id, years, classifications),
            entry=entry,
            check=checks.get(entry.pk),
        )
        if entry.status == PlanningStatus.OUT:
            sheet.taken_out.append(row)
        elif entry.role == AppointmentRole.HEAD:
            sheet.planned_heads.append(row)
        else:
            sheet.planned_deputies.append(row)
    return sheet


# ---------------------------------------------------------------------------------------------------
# The per-official record across years


@dataclass
class OfficialRecord:
    official: Official
    appointments: QuerySet
    classifications: list[tuple[int, object]]  # (year, Classification | None), newest first
    discipline: list
    findings: QuerySet
    recommendations: QuerySet
    trend: list[dict]
    entries: list[tuple[PlanningEntry, PlanningCheck | None]]


def _scorecard_trend(*, fetched_by, official: Official, years: list[int], on: date) -> list[dict]:
    """Per year: tasks and dossiers scored to the official, how many, on-time rate, late (metrics engine)."""
    from congvu.metrics.selectors import scorecard_figures

    trend = []
    for year in years:
        as_of = min(date(year, 12, 31), on)
        row = {"year": year}
        for register in ("tasks", "dossiers"):
            figures = scorecard_figures(
                fetched_by=fetched_by,
                register=register,
                as_of=as_of,
                groupings=(),
                official=official,
                date_from=date(year, 1, 1),
                date_to=as_of,
            )
            summary = figures["summary"][0] if figures["summary"] else {}
            row[register] = {
                "total": summary.get("total", 0),
                "on_time_rate": summary.get("on_time_rate"),
                "late_total": summary.get("late_total", 0),
            }
        trend.append(row)
    return trend


def official_planning_record(*, fetched_by, official: Official, on: date) -> OfficialRecord:
    """Everything the planning record shows for one official (already fetched through the scope)."""
    from congvu.inspections.models import Finding, FindingStatus, Recommendation
    from congvu.inspections.selectors import inspections_visible

    appointments = official_appointments(fetched_by=fetched_by, official=official)
    starts = [a.start.year for a in appointments if a.start]
    first_year = max(min(starts, default=on.year - 4), on.year - 10)
    years = list(range(on.year, first_year - 1, -1))
    found = official_classifications(official_ids=[official.pk], years=years)
    classifications = [(year, found.get((official.pk, year))) for year in years]
    discipline = discipline_for(official_ids=[official.pk], since=date(on.year - 40, 1, 1), until=on)[
        official.pk
    ]
    visible = inspections_visible(fetched_by)
    findings = (
        Finding.objects.visible_to(fetched_by)
        .filter(inspection__in=visible, responsible=official)
        .select_related("inspection", "inspection__unit")
        .order_by("-created_at")
    )
    recommendations = (
        Recommendation.objects.visible_to(fetched_by)
        .filter(inspection__in=visible, official=official)
        .select_related("inspection", "finding")
        .order_by("-created_at")
    )
    if getattr(fetched_by, "is_unit_role", False):
        findings = findings.exclude(status=FindingStatus.DRAFT)
        recommendations = recommendations.exclude(finding__status=FindingStatus.DRAFT)
    entries = list(
        PlanningEntry.objects.visible_to(fetched_by)
        .filter(official=official)
        .select_related("official", "unit")
    )
    checks = check_entries(entries, on=on)
    trend_years = list(range(on.year - 3, on.year + 1))
    return OfficialRecord(
        official=official,
        appointments=appointments,
        classifications=classifications,
        discipline=discipline,
        findings=findings,
        recommendations=recommendations,
        trend=_scorecard_trend(fetched_by=fetched_by, official=official, years=trend_years, on=on),
        entries=[(e, checks.get(e.pk)) for e in entries],
    )
