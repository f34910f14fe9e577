from dataclasses import dataclass
from datetime import date

from congvu.conftest import shared_fixture
from congvu.evaluation.services import discipline_record, year_result_decide
from congvu.org.models import Appointment
from congvu.org.services import official_create
from congvu.planning.services import planning_entry_create

REVIEW = date(2026, 12, 1)


@dataclass
class Planned:
    personas: object
    head: object
    deputy: object
    staff: object
    foreign: object
    deputy_entry: object
    staff_entry: object
    foreign_entry: object


def _official(code, name, birth, sex):
    return official_create(actor="test", code=code, full_name=name, birth_date=birth, sex=sex)


@shared_fixture
def planned(personas):
    """Sở Xây dựng: a head; a deputy (woman, born 05/1975) planned head for 2031–2036 with good years;
    a staff member planned deputy with a "hoàn thành" year and a reprimand in force. Sở Tư pháp: one
    planned deputy (the outsiders' unit)."""
    unit, other = personas.unit, personas.other_unit
    head = _official("PL-HEAD", "Nguyễn Văn Trưởng", date(1968, 4, 2), "nam")
    deputy = _official("PL-DEP", "Trần Thị Phó", date(1975, 5, 10), "nu")
    staff = _official("PL-CV", "Lê Văn Chuyên", date(1980, 1, 1), "nam")
    foreign = _official("PL-TP", "Phạm Văn Tư Pháp", date(1978, 6, 1), "nam")
    Appointment.objects.create(
        official=head, unit=unit, role="head", title="Giám đốc", start=date(2020, 1, 1)
    )
    Appointment.objects.create(
        official=deputy, unit=unit, role="deputy", title="Phó Giám đốc", start=date(2021, 1, 1)
    )
    Appointment.objects.create(
        official=staff, unit=unit, role="other", title="Trưởng phòng", start=date(2019, 1, 1)
    )
    Appointment.objects.create(
        official=foreign, unit=other, role="other", title="Trưởng phòng", start=date(2019, 1, 1)
    )
    for official, bands in (
        (head, ("tot", "tot", "tot")),
        (deputy, ("tot", "xuat_sac", "tot")),
        (staff, ("tot", "hoan_thanh", "tot")),
        (foreign, ("tot", "tot", "tot")),
    ):
        for year, band in zip((2023, 2024, 2025), bands, strict=True):
            year_result_decide(
                actor=personas.lead, official=official, year=year, band=band, decision_document=f"QĐ {year}"
            )
    discipline_record(
        actor=personas.lead,
        official=staff,
        form="khien_trach",
        effective_date=date(2026, 10, 1),
        decision_number="45/QĐ-SXD",
        decision_date=date(2026, 9, 25),
        public_duty_violation=True,
    )
    common = {"actor": personas.lead, "term": "2031-2036", "decision_date": date(2026, 3, 20)}
    deputy_entry = planning_entry_create(
        official=deputy, unit=unit, role="head", decision_number="12/QĐ-UBND", **common
    )
    staff_entry = planning_entry_create(
        official=staff, unit=unit, role="deputy", decision_number="12/QĐ-UBND", **common
    )
    foreign_entry = planning_entry_create(
        official=foreign, unit=other, role="deputy", decision_number="13/QĐ-UBND", **common
    )
    return Planned(personas, head, deputy, staff, foreign, deputy_entry, staff_entry, foreign_entry)
