"""Fixtures for the evaluation tests: a department with a head, a deputy and two staff."""

from datetime import date

from congvu.conftest import shared_fixture
from congvu.evaluation.models import RuleSetAssignment
from congvu.org.models import Appointment, Field, Official


@shared_fixture
def people(personas):
    """Officials of personas.unit (head, deputy in charge of construction, two staff) and one official
    of the other unit, appointed since 2020."""
    construction = Field.objects.create(code="XD", name="Xây dựng")
    planning = Field.objects.create(code="QH", name="Quy hoạch")
    made = {}
    for key, code, name, role, title, unit in [
        ("head", "O-HEAD", "Nguyễn Văn Giám Đốc", "head", "Giám đốc", personas.unit),
        ("deputy", "O-DEP", "Trần Thị Phó", "deputy", "Phó Giám đốc", personas.unit),
        ("staff", "O-CV1", "Lê Văn Chuyên", "other", "Chuyên viên", personas.unit),
        ("staff2", "O-CV2", "Phạm Thị Viên", "other", "Chuyên viên", personas.unit),
        ("foreign", "O-STP", "Hoàng Văn Tư", "other", "Chuyên viên", personas.other_unit),
    ]:
        official = Official.objects.create(code=code, full_name=name)
        appointment = Appointment.objects.create(
            official=official, unit=unit, role=role, title=title, start=date(2020, 1, 1)
        )
        if key == "deputy":
            appointment.fields.set([construction])
        made[key] = official
    made["construction"] = construction
    made["planning"] = planning
    return made


@shared_fixture
def nd335_2026(db):
    """2026 công chức rated under Decree 335, stored as data (independent of the code default)."""
    return RuleSetAssignment.objects.create(year=2026, staff_type="civil_servant", rule_set="nd335_2025")


def make_task(
    code, unit, responsible, *, received, due=None, completed=None, quality="", returned=0, **extra
):
    from congvu.registers.models import Task

    return Task.objects.create(
        source="test",
        external_code=code,
        content=f"Nhiệm vụ {code}",
        authority="ppc",
        unit=unit,
        responsible=responsible,
        received_on=received,
        due_on=due,
        completed_on=completed,
        quality=quality,
        returned_count=returned,
        **extra,
    )


@shared_fixture
def q1_tasks(personas, people):
    """Q1/2026 tasks of the staff member, counted by hand in test_sheets_generate."""
    from datetime import date as d

    unit, staff = personas.unit, people["staff"]
    return {
        "T1": make_task(
            "NV-1",
            unit,
            staff,
            received=d(2026, 1, 5),
            due=d(2026, 2, 15),
            completed=d(2026, 2, 10),
            quality="passed",
            field=people["construction"],
        ),
        "T2": make_task(
            "NV-2",
            unit,
            staff,
            received=d(2026, 1, 5),
            due=d(2026, 3, 20),
            completed=d(2026, 3, 25),
            quality="passed",
            product_type="report",
            field=people["construction"],
        ),
        "T3": make_task("NV-3", unit, staff, received=d(2026, 2, 1), due=d(2026, 3, 31)),
        "T4": make_task("NV-4", unit, staff, received=d(2026, 3, 1), due=d(2026, 4, 10)),
        "T5": make_task(
            "NV-5", unit, staff, received=d(2026, 1, 2), completed=d(2026, 1, 5), quality="passed", returned=1
        ),
        "T6": make_task(
            "NV-6",
            personas.other_unit,
            staff,
            received=d(2026, 1, 2),
            due=d(2026, 2, 1),
            completed=d(2026, 2, 1),
        ),
        "T7": make_task(
            "NV-7",
            unit,
            staff,
            received=d(2026, 1, 2),
            due=d(2026, 3, 1),
            completed=d(2026, 2, 28),
            quality="failed",
        ),
    }


def approved_sheet(official, unit, number, total, position="Chuyên viên", status="approved"):
    from fractions import Fraction

    from congvu.evaluation.models import PeriodSheet
    from congvu.evaluation.sheets import period_bounds, sheet_rules

    start, end = period_bounds(2026, "quarter", number)
    return PeriodSheet.objects.create(
        official=official,
        unit=unit,
        year=2026,
        period_kind="quarter",
        period_number=number,
        start=start,
        end=end,
        role="staff",
        position=position,
        rule_set="nd335_2025",
        rules=sheet_rules("nd335_2025", None).to_mapping(),
        status=status,
        as_of=end,
        total=str(Fraction(total)),
    )


@shared_fixture
def seven(personas):
    """Seven staff of the unit; A has two quarters (92 and 98: mean 95)."""
    people = []
    for i, total in enumerate(["92", "92", "80", "75", "72", "71", "60"]):
        official = Official.objects.create(code=f"CV-{i}", full_name=f"Cán bộ {i}")
        Appointment.objects.create(
            official=official, unit=personas.unit, role="other", title="Chuyên viên", start=date(2020, 1, 1)
        )
        approved_sheet(official, personas.unit, 1, total)
        people.append(official)
    approved_sheet(people[0], personas.unit, 2, "98")
    return people
