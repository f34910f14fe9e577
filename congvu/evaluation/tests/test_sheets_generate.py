"""Sheets generated from the task register: which tasks are products, their figures, weights, scores."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.evaluation.models import CatalogueItem, PeriodSheet, SheetProduct
from congvu.evaluation.services import product_add_manual, product_excuse, sheet_self_assess, sheets_generate

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 4, 15)


def _generate(personas, **extra):
    return sheets_generate(
        actor=personas.focal,
        unit=personas.unit,
        year=2026,
        period_number=1,
        period_kind="quarter",
        as_of=AS_OF,
        **extra,
    )


def _staff_sheet(people):
    return PeriodSheet.objects.get(official=people["staff"], year=2026, period_number=1)


def test_every_official_in_post_gets_a_sheet_with_role(personas, people, nd335_2026):
    _generate(personas)
    roles = dict(PeriodSheet.objects.values_list("official__code", "role"))
    assert roles == {"O-HEAD": "head", "O-DEP": "deputy", "O-CV1": "staff", "O-CV2": "staff"}
    sheet = _staff_sheet(people)
    assert (sheet.start, sheet.end, sheet.rule_set) == (date(2026, 1, 1), date(2026, 3, 31), "nd335_2025")


def test_products_come_from_the_register_counted_by_hand(personas, people, q1_tasks, nd335_2026):
    CatalogueItem.objects.create(
        unit=personas.unit, position="Chuyên viên", product_type="report", name="Báo cáo", weight=2
    )
    _generate(personas)
    products = {p.code: p for p in SheetProduct.objects.filter(sheet=_staff_sheet(people))}
    # NV-4 is due in Q2; NV-6 belongs to another unit.
    assert set(products) == {"NV-1", "NV-2", "NV-3", "NV-5", "NV-7"}
    figures = {
        code: (p.weight, p.completed, p.on_time, p.delays, p.quality_ok, p.quality_failures, p.task_id)
        for code, p in products.items()
    }
    t = q1_tasks
    assert figures == {
        "NV-1": (Decimal(1), True, True, 0, True, 0, t["T1"].pk),
        "NV-2": (Decimal(2), True, False, 1, True, 0, t["T2"].pk),
        "NV-3": (Decimal(1), False, False, 1, False, 0, t["T3"].pk),
        "NV-5": (Decimal(1), True, True, 0, True, 1, t["T5"].pk),
        "NV-7": (Decimal(1), True, True, 0, False, 1, t["T7"].pk),
    }


def test_staff_score_from_products_and_general_points(personas, people, q1_tasks, nd335_2026):
    CatalogueItem.objects.create(
        unit=personas.unit, position="", product_type="report", name="Báo cáo", weight=2
    )
    _generate(personas)
    sheet = sheet_self_assess(
        actor=personas.focal, sheet=_staff_sheet(people), general_points={"a": "10", "b": "9", "c": "8"}
    )
    # W = 6; a = 5/6; b = (1 + 2 + 0.75 + 0.75)/6 = 75 %; c = (1 + 1.5 + 1 + 1)/6 = 75 %.
    # task = (250/3 + 75 + 75)/3 × 0.7 = 490/9; total = 27 + 490/9 = 733/9 (81.44: tốt).
    assert sheet.total_fraction == Fraction(733, 9)
    assert sheet.band == "tot" and sheet.total_display == Decimal("81.44")
    assert sheet.score["a"] == "250/3" and sheet.score["b"] == "75" and sheet.score["c"] == "75"
    texts = [line["text"] for line in sheet.score["explanation"]]
    assert any("NV-2" in text and "25%" in text and "tiến độ" in text for text in texts)


def test_excuse_document_cancels_the_deduction_and_survives_a_refresh(personas, people, q1_tasks, nd335_2026):
    CatalogueItem.objects.create(
        unit=personas.unit, position="", product_type="report", name="Báo cáo", weight=2
    )
    _generate(personas)
    sheet = sheet_self_assess(
        actor=personas.focal, sheet=_staff_sheet(people), general_points={"a": "10", "b": "9", "c": "8"}
    )
    late = sheet.products.get(code="NV-2")
    with pytest.raises(ValidationError) as info:
        product_excuse(actor=personas.focal, product=late, document="CV 15/UBND-KT", document_date=None)
    assert "excuse_date" in info.value.message_dict
    product_excuse(
        actor=personas.focal, product=late, document="CV 15/UBND-KT", document_date=date(2026, 3, 30)
    )
    sheet.refresh_from_db()
    # c = (1 + 2 + 1 + 1)/6 = 250/3 %; task = (250/3 + 75 + 250/3)/3 × 0.7 = 1015/18; total = 1501/18.
    assert sheet.total_fraction == Fraction(1501, 18)
    _generate(personas)
    sheet.refresh_from_db()
    assert sheet.products.get(code="NV-2").excuse_document == "CV 15/UBND-KT"
    assert sheet.total_fraction == Fraction(1501, 18)
    assert sheet.self_general_points == {"a": "10", "b": "9", "c": "8"}


def test_manual_product_joins_the_denominator(personas, people, q1_tasks, nd335_2026):
    _generate(personas)
    sheet = sheet_self_assess(
        actor=personas.focal, sheet=_staff_sheet(people), general_points={"a": "10", "b": "10", "c": "10"}
    )
    product_add_manual(
        actor=personas.focal,
        sheet=sheet,
        code="TAY-1",
        title="Tổ chức hội nghị",
        weight="1",
        completed=False,
        on_time=False,
        quality_ok=False,
    )
    sheet.refresh_from_db()
    # W = 6 (all weights 1); a = 4/6; b = (1 + 1 + 0.75 + 0.75)/6; c = (1 + 0.75 + 1 + 1)/6.
    a, b, c = Fraction(400, 6), Fraction(350, 6), Fraction(375, 6)
    assert sheet.total_fraction == 30 + (a + b + c) / 3 * Fraction(7, 10)


def test_general_points_above_the_criterion_maximum_are_refused(personas, people, nd335_2026):
    _generate(personas)
    with pytest.raises(ValidationError) as info:
        sheet_self_assess(actor=personas.focal, sheet=_staff_sheet(people), general_points={"a": "11"})
    assert "self_general_points" in info.value.message_dict
    assert _staff_sheet(people).status == "draft"


def test_deputy_products_outside_the_portfolio_do_not_count(personas, people, nd335_2026):
    from congvu.evaluation.tests.conftest import make_task

    deputy = people["deputy"]
    make_task(
        "DP-1",
        personas.unit,
        deputy,
        received=date(2026, 1, 2),
        due=date(2026, 2, 1),
        completed=date(2026, 1, 30),
        quality="passed",
        field=people["construction"],
    )
    make_task(
        "DP-2",
        personas.unit,
        deputy,
        received=date(2026, 1, 2),
        due=date(2026, 2, 1),
        field=people["planning"],
    )
    _generate(personas)
    sheet = PeriodSheet.objects.get(official=deputy, period_number=1)
    products = {p["id"]: p for p in sheet.score["products"]}
    assert products["DP-1"]["counted"] is True and products["DP-2"]["counted"] is False
    assert sheet.score["a"] == "100"


def test_period_that_has_not_started_is_refused(personas, people, nd335_2026):
    with pytest.raises(ValidationError):
        sheets_generate(
            actor=personas.focal,
            unit=personas.unit,
            year=2026,
            period_number=3,
            period_kind="quarter",
            as_of=AS_OF,
        )
    assert not PeriodSheet.objects.exists()


def test_province_run_makes_every_units_sheets_and_keeps_tasks_with_their_unit(personas, people, nd335_2026):
    from congvu.evaluation.services import sheets_generate_province
    from congvu.evaluation.tests.conftest import make_task

    make_task(
        "SXD-1",
        personas.unit,
        people["staff"],
        received=date(2026, 1, 5),
        due=date(2026, 2, 1),
        completed=date(2026, 1, 30),
        quality="passed",
    )
    make_task(
        "STP-1",
        personas.other_unit,
        people["foreign"],
        received=date(2026, 1, 5),
        due=date(2026, 2, 1),
        completed=date(2026, 2, 3),
        quality="passed",
    )
    make_task(
        "STP-2",
        personas.other_unit,
        people["staff"],
        received=date(2026, 1, 5),
        due=date(2026, 2, 1),
        completed=date(2026, 2, 3),
        quality="passed",
    )
    with pytest.raises(PermissionDenied):
        sheets_generate_province(actor=personas.unit_head, year=2026, period_number=1, as_of=AS_OF)
    made = sheets_generate_province(actor=personas.lead, year=2026, period_number=1, as_of=AS_OF)
    assert {unit_id: len(sheets) for unit_id, sheets in made.items()} == {
        personas.unit.pk: 4,
        personas.other_unit.pk: 1,
    }
    # The staff member's task at the other unit is not a product of the Sở Xây dựng sheet.
    assert list(_staff_sheet(people).products.values_list("code", flat=True)) == ["SXD-1"]
    foreign = PeriodSheet.objects.get(official=people["foreign"])
    assert list(foreign.products.values_list("code", flat=True)) == ["STP-1"]
    assert foreign.score["c"] == "75"  # two days late: one delay, −25 % of its progress points
    # A second run refreshes the same sheets.
    again = sheets_generate_province(actor=personas.lead, year=2026, period_number=1, as_of=AS_OF)
    assert sum(len(v) for v in again.values()) == 5 and PeriodSheet.objects.count() == 5
