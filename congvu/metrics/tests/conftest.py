"""A small, hand-checkable world for the engine: an explicit 2024–2025 calendar (Tết, swapped
Saturdays), two departments, a head and a deputy, and records whose every figure is counted by hand
in the tests.

The report date R is Monday 05/05/2025, just after the 30/4–1/5 holiday (with Friday 02/05 swapped for
Saturday 26/04)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from congvu.conftest import shared_fixture

R = date(2025, 5, 5)

# Weekdays off for civil servants, 2024–2025 (the official notices), and the Saturdays worked instead.
DAYS_OFF = {
    date(2024, 1, 1),  # Tết Dương lịch
    *(date(2024, 2, d) for d in (8, 9, 12, 13, 14)),  # Tết Giáp Thìn 08–14/02 (Thu–Wed)
    date(2024, 4, 18),  # Giỗ Tổ Hùng Vương
    date(2024, 4, 29),  # swapped for Saturday 04/05
    date(2024, 4, 30),
    date(2024, 5, 1),
    date(2024, 9, 2),
    date(2024, 9, 3),
    date(2025, 1, 1),
    *(date(2025, 1, d) for d in (27, 28, 29, 30, 31)),  # Tết Ất Tỵ 25/01–02/02, weekdays 27–31/01
    date(2025, 4, 7),  # Giỗ Tổ Hùng Vương
    date(2025, 4, 30),
    date(2025, 5, 1),
    date(2025, 5, 2),  # swapped for Saturday 26/04
    date(2025, 9, 1),
    date(2025, 9, 2),
}
WORKED_SATURDAYS = {date(2024, 5, 4), date(2025, 4, 26)}
CALENDAR_FIRST = date(2023, 12, 1)
CALENDAR_LAST = date(2026, 1, 31)


def install_calendar() -> None:
    """Replace the ordinal table by the explicit calendar above (01/12/2023–31/01/2026)."""
    from congvu.workdays.models import WorkdayOrdinal

    WorkdayOrdinal.objects.all().delete()
    rows, ordinal, day = [], 0, CALENDAR_FIRST
    while day <= CALENDAR_LAST:
        working = (day.weekday() < 5 and day not in DAYS_OFF) or day in WORKED_SATURDAYS
        ordinal += working
        rows.append(WorkdayOrdinal(date=day, ordinal=ordinal, is_working=working))
        day += timedelta(days=1)
    WorkdayOrdinal.objects.bulk_create(rows)


@shared_fixture
def calendar(db):
    install_calendar()


@dataclass
class World:
    personas: object
    legacy_unit: object  # merged into personas.unit: its records count for the unit "with predecessors"
    head: object
    deputy: object
    outsider_official: object
    construction: object  # field
    planning: object  # field
    tasks: dict = field(default_factory=dict)
    dossiers: dict = field(default_factory=dict)


def _task(unit, code, received, due=None, completed=None, **extra):
    from congvu.registers.models import Task

    return Task.objects.create(
        source="test",
        external_code=code,
        content=f"Nhiệm vụ {code}",
        authority="ppc",
        unit=unit,
        received_on=received,
        due_on=due,
        completed_on=completed,
        **extra,
    )


def _dossier(unit, code, field, received, due=None, completed=None, **extra):
    from congvu.registers.models import Dossier

    return Dossier.objects.create(
        source="test",
        external_code=code,
        unit=unit,
        field=field,
        procedure=f"Thủ tục {code}",
        received_on=received,
        due_on=due,
        completed_on=completed,
        **extra,
    )


@shared_fixture
def world(personas, calendar):
    """The records of the hand-counted tests (letters as in the tests' comments)."""
    from congvu.org.models import Field, UnitLineage
    from congvu.org.services import appointment_create, official_create, unit_create

    unit, other = personas.unit, personas.other_unit
    legacy = unit_create(
        actor="test",
        code="T-SXD-CU",
        name="Sở Xây dựng (cũ)",
        kind="department",
        valid_to=date(2025, 2, 28),
    )
    UnitLineage.objects.create(predecessor=legacy, successor=unit, event="merge", date=date(2025, 3, 1))
    construction = Field.objects.create(code="T-XD", name="Xây dựng thử", name_folded="xay dung thu")
    planning = Field.objects.create(code="T-QH", name="Quy hoạch thử", name_folded="quy hoach thu")
    head = official_create(actor="test", code="T-GD", full_name="Nguyễn Văn Giám")
    deputy = official_create(actor="test", code="T-PGD", full_name="Trần Thị Phó")
    stranger = official_create(actor="test", code="T-STP-GD", full_name="Lê Văn Ngoài")
    appointment_create(
        actor="test", official=head, unit=unit, role="head", title="Giám đốc", start=date(2024, 1, 1)
    )
    appointment_create(
        actor="test",
        official=deputy,
        unit=unit,
        role="deputy",
        title="Phó Giám đốc",
        start=date(2024, 1, 1),
        fields=[construction],
    )
    appointment_create(
        actor="test", official=stranger, unit=other, role="head", title="Giám đốc", start=date(2024, 1, 1)
    )
    D = date
    t = {}
    # Deputy's tasks (field: construction), all done late.
    t["A"] = _task(
        unit,
        "A",
        D(2025, 1, 20),
        D(2025, 1, 24),
        D(2025, 2, 4),
        handled_on=D(2025, 1, 24),
        advised_on=D(2025, 2, 3),
        quality="passed",
        returned_count=1,
        proactive=True,
        responsible=deputy,
        field=construction,
    )
    t["B"] = _task(
        legacy,
        "B",
        D(2024, 4, 26),
        D(2024, 4, 26),
        D(2024, 5, 6),
        handled_on=D(2024, 5, 3),
        advised_on=D(2024, 5, 4),
        quality="failed",
        responsible=deputy,
        field=construction,
    )
    t["C"] = _task(
        unit,
        "C",
        D(2025, 4, 1),
        D(2025, 4, 25),
        D(2025, 4, 28),
        quality="returned",
        returned_count=2,
        responsible=deputy,
        field=construction,
    )
    # Head's tasks (field: planning, one without a field).
    t["D"] = _task(
        unit,
        "D",
        D(2025, 2, 3),
        D(2025, 2, 10),
        D(2025, 2, 10),
        quality="passed",
        responsible=head,
        field=planning,
    )
    t["E"] = _task(unit, "E", D(2025, 4, 21), D(2025, 4, 29), responsible=head, field=planning)
    t["F"] = _task(unit, "F", D(2025, 4, 21), R, handled_on=D(2025, 5, 6), responsible=head, field=planning)
    t["G"] = _task(
        unit,
        "G",
        D(2025, 4, 1),
        D(2025, 4, 10),
        D(2025, 5, 6),
        quality="passed",
        responsible=head,
        field=planning,
    )
    t["H"] = _task(unit, "H", D(2025, 5, 6), D(2025, 5, 20), responsible=head, field=planning)
    t["I"] = _task(unit, "I", D(2025, 3, 3), None, proactive=True, responsible=head)
    t["J"] = _task(
        unit, "J", D(2025, 4, 21), D(2025, 5, 2), R, quality="passed", responsible=head, field=planning
    )
    t["K"] = _task(unit, "K", D(2025, 4, 21), R, R, responsible=head, field=planning)
    # Another unit's task: never in this unit's figures, never visible to its users.
    t["X"] = _task(other, "X", D(2025, 4, 1), D(2025, 4, 2), D(2025, 4, 30), responsible=stranger)
    d = {}
    d["P"] = _dossier(
        unit,
        "P",
        construction,
        D(2025, 1, 23),
        D(2025, 1, 24),
        D(2025, 2, 3),
        returned_on=D(2025, 2, 4),
        apology_slip=True,
        handler=deputy,
    )
    d["Q"] = _dossier(
        unit,
        "Q",
        construction,
        D(2024, 5, 3),
        D(2024, 5, 6),
        D(2024, 5, 4),
        returned_on=D(2024, 5, 6),
        handler=deputy,
    )
    d["S"] = _dossier(unit, "S", planning, D(2025, 4, 28), D(2025, 4, 29), handler=head)
    d["Y"] = _dossier(other, "Y", planning, D(2025, 4, 28), D(2025, 4, 29), handler=stranger)
    return World(
        personas=personas,
        legacy_unit=legacy,
        head=head,
        deputy=deputy,
        outsider_official=stranger,
        construction=construction,
        planning=planning,
        tasks=t,
        dossiers=d,
    )
