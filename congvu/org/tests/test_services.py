"""Officials and appointments: validation, folding, audit."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from congvu.core.models import AuditEvent
from congvu.org.models import Appointment, Official, Unit
from congvu.org.services import (
    appointment_bulk_create,
    appointment_create,
    appointment_end,
    official_bulk_create,
    official_create,
    unit_bulk_create,
    unit_create,
)

pytestmark = pytest.mark.django_db


def test_official_create_folds_the_name_and_is_audited():
    official = official_create(actor="test", code="CB1", full_name="  Đặng   Thị Ánh  ")
    assert official.full_name == "Đặng Thị Ánh"
    assert official.name_folded == "dang thi anh"
    event = AuditEvent.objects.get(action="official.create")
    assert event.object_id == str(official.pk) and event.after["full_name"] == "Đặng Thị Ánh"


def test_official_code_must_be_unique():
    official_create(actor="test", code="CB1", full_name="A")
    with pytest.raises(ValidationError):
        official_create(actor="test", code="CB1", full_name="B")


def test_appointment_must_fall_within_the_units_life(org):
    with pytest.raises(ValidationError, match="hiệu lực"):
        appointment_create(
            actor="test", official=org.binh, unit=org.old, role="deputy", title="P", start=date(2025, 3, 1)
        )
    with pytest.raises(ValidationError, match="28/02/2025"):
        appointment_create(
            actor="test", official=org.binh, unit=org.old, role="other", title="P", start=date(2024, 3, 1)
        )


def test_a_unit_has_one_head_at_a_time(org):
    with pytest.raises(ValidationError, match="Nguyễn Văn An"):
        appointment_create(
            actor="test", official=org.binh, unit=org.unit, role="head", title="GĐ", start=date(2026, 1, 1)
        )
    appointment_end(actor="test", appointment=org.an_new, end=date(2025, 12, 31))
    appointment = appointment_create(
        actor="test", official=org.binh, unit=org.unit, role="head", title="GĐ", start=date(2026, 1, 1)
    )
    assert appointment.pk


def test_appointment_create_is_audited_with_its_fields(org):
    event = AuditEvent.objects.filter(action="appointment.create", object_id=str(org.cuong_dep.pk)).get()
    assert event.after["fields"] == ["xay-dung"]
    assert event.unit_id == org.unit.pk


def test_appointment_end_checks_dates_and_is_audited(org):
    with pytest.raises(ValidationError, match="trước ngày bắt đầu"):
        appointment_end(actor="test", appointment=org.cuong_dep, end=date(2023, 12, 31))
    with pytest.raises(ValidationError, match="đã kết thúc"):
        appointment_end(actor="test", appointment=org.cuong_dep, end=date(2026, 6, 30))
    appointment_end(actor="test", appointment=org.cuong_dep, end=date(2025, 6, 30))
    event = AuditEvent.objects.filter(action="appointment.end").latest("id")
    assert event.before["end"] == "2025-12-31" and event.after["end"] == "2025-06-30"


def test_bulk_creates_write_one_audit_event_each():
    before = AuditEvent.objects.count()
    ppc = unit_bulk_create(actor="t", units=[Unit(code="P", name="UBND", kind="ppc")], label="tỉnh")[0]
    units = unit_bulk_create(
        actor="t",
        units=[Unit(code=f"X{i}", name=f"Xã Đông {i}", kind="commune", parent=ppc) for i in range(50)],
        label="xã",
    )
    people = official_bulk_create(
        actor="t", officials=[Official(code=f"C{i}", full_name=f"Lê Văn {i}") for i in range(50)], label="cb"
    )
    appointment_bulk_create(
        actor="t",
        appointments=[
            (Appointment(official=p, unit=u, role="head", title="CT", start=date(2025, 7, 1)), [])
            for p, u in zip(people, units, strict=True)
        ],
        label="bn",
    )
    assert AuditEvent.objects.count() - before == 4
    assert Unit.objects.get(code="X7").name_folded == "xa dong 7"
    assert Appointment.objects.count() == 50


def test_bulk_refuses_taken_codes_and_overlapping_heads():
    unit_create(actor="t", code="X1", name="Xã", kind="commune")
    with pytest.raises(ValidationError, match="X1"):
        unit_bulk_create(actor="t", units=[Unit(code="X1", name="Xã", kind="commune")], label="x")
    unit = Unit.objects.get(code="X1")
    a, b = official_bulk_create(
        actor="t",
        officials=[Official(code="A", full_name="A"), Official(code="B", full_name="B")],
        label="cb",
    )
    with pytest.raises(ValidationError, match="hai người đứng đầu"):
        appointment_bulk_create(
            actor="t",
            appointments=[
                (Appointment(official=a, unit=unit, role="head", title="CT", start=date(2025, 1, 1)), []),
                (Appointment(official=b, unit=unit, role="head", title="CT", start=date(2025, 6, 1)), []),
            ],
            label="bn",
        )
    assert not Appointment.objects.exists()
