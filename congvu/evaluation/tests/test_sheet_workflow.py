"""The sheet workflow: who acts at each step, freezing on approval, optimistic locking."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.core.models import AuditEvent
from congvu.evaluation.models import PeriodSheet
from congvu.evaluation.services import (
    product_excuse,
    sheet_approve,
    sheet_return,
    sheet_review,
    sheet_self_assess,
    sheets_generate,
)
from congvu.evaluation.tests.conftest import make_task
from congvu.inspections.locking import StaleEditError

pytestmark = pytest.mark.django_db
POINTS = {"a": "10", "b": "9", "c": "9"}


@pytest.fixture
def sheets(personas, people, nd335_2026):
    for key in ("head", "deputy", "staff", "staff2"):
        make_task(
            f"NV-{key}",
            personas.unit,
            people[key],
            received=date(2026, 1, 5),
            due=date(2026, 2, 1),
            completed=date(2026, 1, 30),
            quality="passed",
            field=people["construction"],
        )
    sheets_generate(
        actor=personas.focal,
        unit=personas.unit,
        year=2026,
        period_number=1,
        period_kind="quarter",
        as_of=date(2026, 4, 10),
    )
    return {
        key: PeriodSheet.objects.get(official=people[key]) for key in ("head", "deputy", "staff", "staff2")
    }


def test_staff_sheet_runs_from_generated_to_approved_by_the_unit(personas, sheets):
    sheet = sheet_self_assess(actor=personas.focal, sheet=sheets["staff"], general_points=POINTS)
    assert sheet.status == "self_assessed"
    sheet = sheet_review(
        actor=personas.unit_head, sheet=sheet, general_points={"a": "10", "b": "10", "c": "10"}
    )
    assert sheet.status == "reviewed" and sheet.total == "100"
    sheet = sheet_approve(actor=personas.unit_head, sheet=sheet)
    assert sheet.status == "approved" and sheet.is_frozen
    assert sheet.snapshot["products"][0]["task_id"] is not None
    assert sheet.snapshot["score"]["total"] == "100"
    actions = list(
        AuditEvent.objects.filter(object_type="evaluation.periodsheet", object_id=str(sheet.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["evaluation.sheet_self_assess", "evaluation.sheet_review", "evaluation.sheet_approve"]


def test_focal_point_cannot_review_or_approve(personas, sheets):
    sheet = sheet_self_assess(actor=personas.focal, sheet=sheets["staff"], general_points=POINTS)
    with pytest.raises(PermissionDenied):
        sheet_review(actor=personas.focal, sheet=sheet, general_points=POINTS)
    sheet = sheet_review(actor=personas.unit_head, sheet=sheet, general_points=POINTS)
    with pytest.raises(PermissionDenied):
        sheet_approve(actor=personas.focal, sheet=sheet)
    assert PeriodSheet.objects.get(pk=sheet.pk).status == "reviewed"


def test_outsider_head_cannot_act_on_another_units_sheet(personas, sheets):
    with pytest.raises(PermissionDenied):
        sheet_self_assess(actor=personas.outsider_head, sheet=sheets["staff"], general_points=POINTS)
    with pytest.raises(PermissionDenied):
        sheets_generate(actor=personas.outsider, unit=personas.unit, year=2026, period_number=1)


def test_heads_sheet_is_proposed_by_the_director_and_approved_by_the_chairman(personas, sheets):
    sheet = sheet_self_assess(actor=personas.unit_head, sheet=sheets["head"], general_points=POINTS)
    with pytest.raises(PermissionDenied):
        sheet_review(actor=personas.unit_head, sheet=sheet, general_points=POINTS)
    sheet = sheet_review(actor=personas.lead, sheet=sheet, general_points=POINTS)
    with pytest.raises(PermissionDenied):
        sheet_approve(actor=personas.unit_head, sheet=sheet)
    with pytest.raises(PermissionDenied):
        sheet_approve(actor=personas.lead, sheet=sheet)
    sheet = sheet_approve(actor=personas.leadership, sheet=sheet)
    assert sheet.status == "approved"
    # d: every subordinate's period total ≥ 50 → 100 %; the head's score carries d, đ, e.
    assert sheet.score["d"] == "100" and sheet.score["e"] == "100"


def test_steps_out_of_order_are_refused(personas, sheets):
    with pytest.raises(ValidationError):
        sheet_review(actor=personas.unit_head, sheet=sheets["staff"], general_points=POINTS)
    with pytest.raises(ValidationError):
        sheet_approve(actor=personas.unit_head, sheet=sheets["staff"])


def test_approved_sheet_is_frozen_against_refresh_and_edits(personas, people, sheets):
    sheet = sheet_self_assess(actor=personas.focal, sheet=sheets["staff"], general_points=POINTS)
    sheet = sheet_review(actor=personas.unit_head, sheet=sheet, general_points=POINTS)
    sheet = sheet_approve(actor=personas.unit_head, sheet=sheet)
    total, products = sheet.total, list(sheet.products.values_list("pk", "completed"))
    make_task("NV-late", personas.unit, people["staff"], received=date(2026, 1, 5), due=date(2026, 3, 1))
    sheets_generate(
        actor=personas.focal,
        unit=personas.unit,
        year=2026,
        period_number=1,
        period_kind="quarter",
        as_of=date(2026, 4, 20),
    )
    sheet.refresh_from_db()
    assert sheet.total == total and list(sheet.products.values_list("pk", "completed")) == products
    with pytest.raises(ValidationError):
        product_excuse(
            actor=personas.focal,
            product=sheet.products.first(),
            document="CV 1",
            document_date=date(2026, 4, 1),
        )
    with pytest.raises(ValidationError):
        sheet_return(actor=personas.unit_head, sheet=sheet, reason="Sửa lại")


def test_returned_sheet_goes_back_to_draft_with_the_reason(personas, sheets):
    sheet = sheet_self_assess(actor=personas.focal, sheet=sheets["staff"], general_points=POINTS)
    with pytest.raises(ValidationError):
        sheet_return(actor=personas.unit_head, sheet=sheet, reason=" ")
    sheet = sheet_return(actor=personas.unit_head, sheet=sheet, reason="Bổ sung minh chứng")
    assert (sheet.status, sheet.note) == ("draft", "Bổ sung minh chứng")


def test_stale_version_is_refused_and_nothing_changes(personas, sheets):
    stale = sheets["staff"].version
    sheet_self_assess(
        actor=personas.focal, sheet=sheets["staff"], general_points=POINTS, expected_version=stale
    )
    with pytest.raises(StaleEditError) as info:
        sheet_self_assess(
            actor=personas.unit_head, sheet=sheets["staff"], general_points={"a": "5"}, expected_version=stale
        )
    assert "phiên bản" in str(info.value.messages[0])
    assert PeriodSheet.objects.get(pk=sheets["staff"].pk).self_general_points == POINTS
