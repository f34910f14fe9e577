"""A small organisation with history, on top of the shared personas.

Sở Giao thông vận tải (T-SGTVT) merges into Sở Xây dựng (personas.unit, T-SXD) on 01/03/2025.
Nguyễn Văn An heads T-SGTVT, then T-SXD; Trần Thị Bình is T-SGTVT's deputy for transport (until the
merger ends her post); Đặng Văn Cường is T-SXD's deputy for construction in 2024–2025; Lê Văn Dũng
heads the other unit (T-STP)."""

from dataclasses import dataclass
from datetime import date

from congvu.conftest import shared_fixture

MERGER = date(2025, 3, 1)


@dataclass
class Org:
    personas: object
    old: object
    unit: object
    other: object
    construction: object
    transport: object
    an: object
    binh: object
    cuong: object
    dung: object
    an_old: object
    an_new: object
    binh_old: object
    cuong_dep: object


@shared_fixture
def org(personas):
    from congvu.org.models import Field
    from congvu.org.services import appointment_create, official_create, unit_create, unit_lineage_record

    old = unit_create(
        actor="test",
        code="T-SGTVT",
        name="Sở Giao thông vận tải",
        kind="department",
        parent=personas.unit.parent,
    )
    construction = Field.objects.get(code="xay-dung")
    transport = Field.objects.get(code="giao-thong")
    an = official_create(actor="test", code="T-001", full_name="Nguyễn Văn An")
    binh = official_create(actor="test", code="T-002", full_name="Trần Thị Bình")
    cuong = official_create(actor="test", code="T-003", full_name="Đặng Văn Cường")
    dung = official_create(actor="test", code="T-004", full_name="Lê Văn Dũng")
    an_old = appointment_create(
        actor="test", official=an, unit=old, role="head", title="Giám đốc Sở", start=date(2020, 1, 1)
    )
    binh_old = appointment_create(
        actor="test",
        official=binh,
        unit=old,
        role="deputy",
        title="Phó Giám đốc Sở",
        start=date(2021, 5, 1),
        fields=[transport],
    )
    cuong_dep = appointment_create(
        actor="test",
        official=cuong,
        unit=personas.unit,
        role="deputy",
        title="Phó Giám đốc Sở",
        start=date(2024, 1, 1),
        end=date(2025, 12, 31),
        fields=[construction],
    )
    appointment_create(
        actor="test",
        official=dung,
        unit=personas.other_unit,
        role="head",
        title="Giám đốc Sở",
        start=date(2023, 1, 1),
    )
    unit_lineage_record(
        actor="test",
        event="merge",
        predecessors=[old],
        successors=[personas.unit],
        date=MERGER,
        document="QĐ 1",
    )
    an_new = appointment_create(
        actor="test", official=an, unit=personas.unit, role="head", title="Giám đốc Sở", start=MERGER
    )
    for obj in (old, an_old, binh_old):
        obj.refresh_from_db()
    return Org(
        personas=personas,
        old=old,
        unit=personas.unit,
        other=personas.other_unit,
        construction=construction,
        transport=transport,
        an=an,
        binh=binh,
        cuong=cuong,
        dung=dung,
        an_old=an_old,
        an_new=an_new,
        binh_old=binh_old,
        cuong_dep=cuong_dep,
    )
