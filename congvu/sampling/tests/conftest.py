"""Fixtures for the sampling tests: an inspection of the personas' unit with its team, and dossiers
and tasks in three fields (plus records that must stay out of the population)."""

from datetime import date, timedelta

from congvu.conftest import shared_fixture
from congvu.inspections.models import Inspection, TeamMember
from congvu.org.models import Field, Unit, UnitLineage
from congvu.registers.models import Dossier, Task
from congvu.sampling import services

PERIOD = (date(2025, 1, 1), date(2025, 6, 30))
SIZES = {"dat-dai": 120, "ho-tich": 40, "xay-dung": 6}


def field(code: str, name: str = "") -> Field:
    return Field.objects.get_or_create(code=code, defaults={"name": name or code})[0]


def make_dossiers(
    unit, field_code: str, count: int, *, prefix: str = "", start: date = PERIOD[0], late_every=0
):
    f = field(field_code)
    rows = []
    for i in range(count):
        received = start + timedelta(days=i % 150)
        due = received + timedelta(days=10)
        late = late_every and i % late_every == 0
        rows.append(
            Dossier(
                source="dvc",
                external_code=f"{prefix or field_code.upper()}-{i:04d}",
                unit=unit,
                field=f,
                procedure="Thủ tục thử",
                received_on=received,
                due_on=due,
                completed_on=due + timedelta(days=3) if late else due - timedelta(days=1),
            )
        )
    return Dossier.objects.bulk_create(rows)


@shared_fixture
def inspection(personas):
    """A surprise inspection of the personas' unit, on site, with the lead as head of team and the
    inspector as a member (rows made directly: only the inspection models are needed here)."""
    insp = Inspection.objects.create(
        kind="surprise",
        unit=personas.unit,
        title="Kiểm tra công vụ đột xuất Sở Xây dựng",
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        decision_number="16/QĐ-SNV",
        decision_date=date(2025, 7, 2),
        status="on_site",
    )
    TeamMember.objects.create(inspection=insp, user=personas.lead, role="head")
    TeamMember.objects.create(inspection=insp, user=personas.inspector, role="member")
    return insp


@shared_fixture
def other_inspection(personas):
    insp = Inspection.objects.create(
        kind="surprise",
        unit=personas.other_unit,
        title="Kiểm tra Sở Tư pháp",
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        status="on_site",
    )
    TeamMember.objects.create(inspection=insp, user=personas.lead, role="head")
    return insp


@shared_fixture
def records(personas):
    """Dossiers of the unit in three fields, one field partly at a predecessor unit; records of another
    unit and outside the period that must not enter the population."""
    predecessor = Unit.objects.create(code="T-SXD-OLD", name="Sở Xây dựng (cũ)", kind="department")
    UnitLineage.objects.create(
        predecessor=predecessor, successor=personas.unit, event="rename", date=date(2025, 3, 1)
    )
    make_dossiers(personas.unit, "dat-dai", 100)
    make_dossiers(predecessor, "dat-dai", 20, prefix="OLD-DD")
    make_dossiers(personas.unit, "ho-tich", 40, late_every=4)
    make_dossiers(personas.unit, "xay-dung", 6)
    make_dossiers(personas.other_unit, "dat-dai", 30, prefix="STP")
    make_dossiers(personas.unit, "dat-dai", 5, prefix="Y2024", start=date(2024, 6, 1))
    Task.objects.create(
        source="vb",
        external_code="NV-0001",
        content="Tham mưu kế hoạch",
        authority="ppc",
        unit=personas.unit,
        received_on=date(2025, 2, 1),
    )
    return {"predecessor": predecessor}


def make_sample(personas, inspection, **kwargs):
    params = {
        "actor": personas.inspector,
        "inspection": inspection,
        "title": "Mẫu hồ sơ TTHC 6 tháng đầu năm 2025",
        "register": "dossiers",
        "size_method": "fixed",
        "fixed_size": 30,
        "allocation": "proportional",
        "min_per_field": 2,
    }
    params.update(kwargs)
    return services.sample_create(**params)


@shared_fixture
def drawn(personas, inspection, records):
    sample = make_sample(personas, inspection)
    return services.sample_draw(actor=personas.inspector, sample=sample)
