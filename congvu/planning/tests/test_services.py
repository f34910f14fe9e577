from datetime import date

import pytest
from django.core.exceptions import ValidationError

from congvu.core.models import AuditEvent
from congvu.planning.models import PlanningEntry
from congvu.planning.selectors import check_entries, unit_planning_sheet
from congvu.planning.services import planning_entry_create, planning_entry_take_out
from congvu.planning.tests.conftest import REVIEW

pytestmark = pytest.mark.django_db


def test_create_is_audited_and_normalises_the_term(planned):
    p = planned.personas
    entry = planning_entry_create(
        actor=p.lead,
        official=planned.head,
        unit=p.other_unit,
        role="head",
        term="2031–2036",
        decision_number=" 14/QĐ-UBND ",
        decision_date=date(2026, 4, 1),
    )
    assert entry.term == "2031-2036"
    assert entry.decision_number == "14/QĐ-UBND"
    event = AuditEvent.objects.filter(action="planning.create").latest("pk")
    assert event.after["id"] == entry.pk


def test_bad_term_is_refused_naming_the_field_and_nothing_is_written(planned):
    p = planned.personas
    before = PlanningEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        planning_entry_create(
            actor=p.lead,
            official=planned.head,
            unit=p.other_unit,
            role="head",
            term="2031",
            decision_number="1",
            decision_date=date(2026, 4, 1),
        )
    assert "term" in err.value.message_dict
    assert PlanningEntry.objects.count() == before


def test_retire_at_60_only_for_women(planned):
    p = planned.personas
    with pytest.raises(ValidationError) as err:
        planning_entry_create(
            actor=p.lead,
            official=planned.head,
            unit=p.other_unit,
            role="head",
            term="2031-2036",
            decision_number="1",
            decision_date=date(2026, 4, 1),
            woman_retires_at_60=True,
        )
    assert "woman_retires_at_60" in err.value.message_dict


def test_take_out_needs_a_reason_and_is_audited(planned):
    p = planned.personas
    with pytest.raises(ValidationError):
        planning_entry_take_out(actor=p.lead, entry=planned.staff_entry, out_date=REVIEW, reason="  ")
    entry = planning_entry_take_out(
        actor=p.lead,
        entry=planned.staff_entry,
        out_date=REVIEW,
        reason="Bị kỷ luật khiển trách",
        decision="50/QĐ",
    )
    assert entry.status == "out"
    event = AuditEvent.objects.filter(action="planning.take_out").latest("pk")
    assert event.before["status"] == "in" and event.after["status"] == "out"
    with pytest.raises(ValidationError):
        planning_entry_take_out(actor=p.lead, entry=entry, out_date=REVIEW, reason="again")


def test_checks_read_classifications_and_discipline_through_the_evaluation_contract(planned):
    checks = check_entries([planned.deputy_entry, planned.staff_entry], on=REVIEW)
    deputy = checks[planned.deputy_entry.pk]
    # A woman born 05/1975 retires at 60 (NĐ 135 reaches 60 in 2035): 720 months. At the reference
    # month 03/2031 she is (2031 − 1975) × 12 + (3 − 5) = 670 months old → 50 left < 60: age fails.
    assert deputy.months_left == 50
    assert {f.code: f.status for f in deputy.flags}["age"] == "khong_dat"
    assert {f.code: f.status for f in deputy.flags}["classification"] == "dat"
    staff = checks[planned.staff_entry.pk]
    flags = {f.code: f for f in staff.flags}
    assert flags["classification"].status == "khong_dat"  # 2024: hoàn thành
    assert flags["discipline"].status == "khong_dat" and flags["discipline"].takes_out == "now"
    assert staff.out_now


def test_unit_sheet_groups_leaders_planned_and_taken_out(planned):
    p = planned.personas
    planning_entry_take_out(actor=p.lead, entry=planned.staff_entry, out_date=REVIEW, reason="Kỷ luật")
    sheet = unit_planning_sheet(fetched_by=p.inspector, unit=p.unit, term="2031-2036", on=REVIEW)
    assert [r.official.code for r in sheet.leaders] == ["PL-HEAD", "PL-DEP"]
    assert [r.official.code for r in sheet.planned_heads] == ["PL-DEP"]
    assert sheet.planned_deputies == []
    assert [r.official.code for r in sheet.taken_out] == ["PL-CV"]
    assert sheet.years == [2023, 2024, 2025]
    assert sheet.planned_heads[0].years_text == "2023: HTTNV; 2024: HTXSNV; 2025: HTTNV"
