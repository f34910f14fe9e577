"""End to end in Debian's chromium: a department official's quarterly sheet from generated (from the
task register) to approved, each step by the role the workflow names; the outsider gets 404."""

from datetime import date
from fractions import Fraction

import pytest

from congvu.evaluation.models import PeriodSheet
from congvu.evaluation.tests.conftest import make_task
from congvu.inspections.tests.test_browser import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_sheet_from_register_to_approved(live_server, browser_as, personas, people, nd335_2026):
    make_task(
        "NV-2026-031",
        personas.unit,
        people["staff"],
        received=date(2026, 1, 5),
        due=date(2026, 2, 10),
        completed=date(2026, 2, 12),
        quality="passed",
    )
    make_task(
        "NV-2026-032",
        personas.unit,
        people["staff"],
        received=date(2026, 1, 5),
        due=date(2026, 3, 10),
        completed=date(2026, 3, 1),
        quality="passed",
    )

    # The focal point generates the unit's Q1 sheets from the register and enters the self-assessment.
    page = browser_as("p-focal")
    page.goto(f"{live_server.url}/evaluation/sheets/?year=2026")
    page.select_option("#id_period_kind", "quarter")
    page.fill("#id_period_number", "1")
    submit(page, "[data-testid=generate]")
    with page.expect_navigation():
        page.click("text=Lê Văn Chuyên")
    assert "trễ hạn 1 lần" in page.inner_text("[data-testid=products]")
    page.fill("[data-testid=self-a]", "10")
    page.fill("[data-testid=self-b]", "9,5")
    page.fill("[data-testid=self-c]", "9")
    submit(page, "[data-testid=self-assess]")
    assert page.inner_text("[data-testid=sheet-status]").startswith("Đã tự đánh giá")
    sheet_url = page.url

    # The unit head reviews with the evaluator's points and approves: the sheet is frozen.
    page = browser_as("p-head")
    page.goto(sheet_url)
    page.fill("[data-testid=review-c]", "10")
    submit(page, "[data-testid=review]")
    assert page.inner_text("[data-testid=sheet-status]").startswith("Đã nhận xét")
    submit(page, "[data-testid=approve]")
    assert page.inner_text("[data-testid=sheet-status]").startswith("Đã phê duyệt")
    sheet = PeriodSheet.objects.get(official=people["staff"])
    assert sheet.status == "approved" and sheet.snapshot["products"]
    # a = 100 %, b = 100 %, c = (0.75 + 1)/2 = 87.5 % → task = 287.5/3 × 0.7; general 10 + 9.5 + 10.
    assert sheet.total_fraction == Fraction(59, 2) + Fraction(575, 6) * Fraction(7, 10)

    # Another unit's focal point gets 404.
    page = browser_as("p-outsider")
    response = page.goto(sheet_url)
    assert response.status == 404
