"""Fixtures for the evaluation tests: a department with a head, a deputy and two staff."""

from datetime import date

import pytest

from congvu.evaluation.models import RuleSetAssignment
from congvu.org.models import Appointment, Field, Official


@pytest.fixture
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


@pytest.fixture
def nd335_2026(db):
    """2026 công chức rated under Decree 335, stored as data (independent of the code default)."""
    return RuleSetAssignment.objects.create(year=2026, staff_type="civil_servant", rule_set="nd335_2025")
