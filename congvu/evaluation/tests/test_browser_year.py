"""End to end in Debian's chromium: one department's 2026 from its task register to the Chairman's
decision. The focal point generates the Q1 sheets and enters the self-assessments, the unit head
reviews and approves the staff's and the deputy's, the Director reviews and the Chairman approves the
head's; the year is computed with the quota; the Director's report proposes the head's classification;
the Chairman's decision is recorded; the year page shows the decided band with every point explained
down to the task. The outsider gets 404."""

from datetime import date

import pytest

from congvu.evaluation.models import PeriodSheet, RuleSetAssignment, YearResult
from congvu.evaluation.tests.conftest import make_task
from congvu.inspections.models import Inspection
from congvu.inspections.tests.test_browser import checklist_template, submit  # noqa: F401
from congvu.org.models import Appointment, Official
from congvu.proposals.models import DirectorReport
from congvu.proposals.tests.conftest import _media_in_tmp, concluded, leaders, surprise  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def department(checklist_template, request, personas):  # noqa: F811
    """The concluded inspection (its conclusion moved into 2026), a staff member, the register's Q1."""
    data = request.getfixturevalue("concluded")
    Inspection.objects.filter(pk=data["inspection"].pk).update(conclusion_date=date(2026, 11, 20))
    RuleSetAssignment.objects.create(year=2026, staff_type="civil_servant", rule_set="nd335_2025")
    staff = Official.objects.create(code="O-CV1", full_name="Lê Văn Chuyên")
    Appointment.objects.create(
        official=staff, unit=personas.unit, role="other", title="Chuyên viên", start=date(2020, 1, 1)
    )
    unit = personas.unit
    make_task(
        "NV-2026-031",
        unit,
        staff,
        received=date(2026, 1, 5),
        due=date(2026, 2, 10),
        completed=date(2026, 2, 12),
        quality="passed",
        field=data["construction"],
    )
    make_task(
        "NV-2026-032",
        unit,
        data["deputy"],
        received=date(2026, 1, 5),
        due=date(2026, 3, 10),
        completed=date(2026, 3, 1),
        quality="passed",
        field=data["construction"],
    )
    make_task(
        "NV-2026-033",
        unit,
        data["head"],
        received=date(2026, 1, 5),
        due=date(2026, 3, 20),
        completed=date(2026, 3, 18),
        quality="passed",
    )
    return {**data, "staff": staff}


def _self_assess(page, live_server, name, points):
    page.goto(f"{live_server.url}/evaluation/sheets/?year=2026")
    with page.expect_navigation():
        page.click(f"text={name}")
    for key, value in zip("abc", points, strict=True):
        page.fill(f"[data-testid=self-{key}]", value)
    submit(page, "[data-testid=self-assess]")
    assert page.inner_text("[data-testid=sheet-status]").startswith("Đã tự đánh giá")
    return page.url


def _review_and_approve(page, url, approve=True):
    page.goto(url)
    submit(page, "[data-testid=review]")
    assert page.inner_text("[data-testid=sheet-status]").startswith("Đã nhận xét")
    if approve:
        submit(page, "[data-testid=approve]")
        assert page.inner_text("[data-testid=sheet-status]").startswith("Đã phê duyệt")


def test_a_departments_year_from_its_register_to_the_chairmans_decision(
    live_server, browser_as, personas, department
):
    unit = personas.unit

    # The focal point generates the Q1 sheets from the register and enters the self-assessments.
    page = browser_as("p-focal")
    page.goto(f"{live_server.url}/evaluation/sheets/?year=2026")
    page.select_option("#id_period_kind", "quarter")
    page.fill("#id_period_number", "1")
    submit(page, "[data-testid=generate]")
    assert PeriodSheet.objects.filter(year=2026, unit=unit).count() == 3
    staff_url = _self_assess(page, live_server, "Lê Văn Chuyên", ("10", "9,5", "9"))
    deputy_url = _self_assess(page, live_server, "Trần Thị Phó", ("10", "10", "9"))
    head_url = _self_assess(page, live_server, "Nguyễn Văn Giám Đốc", ("10", "10", "10"))
    # The head directs the unit's tasks (leader_products): the staff's late task is one of his products.
    page.goto(head_url)
    assert "NV-2026-031" in page.inner_text("[data-testid=products]")

    # The unit head reviews and approves the staff's and the deputy's sheets.
    page = browser_as("p-head")
    _review_and_approve(page, staff_url)
    _review_and_approve(page, deputy_url)
    # The Director reviews (proposes) the head's sheet; the Chairman approves it.
    page = browser_as("p-lead")
    _review_and_approve(page, head_url, approve=False)
    page = browser_as("p-leadership")
    page.goto(head_url)
    submit(page, "[data-testid=approve]")
    assert page.inner_text("[data-testid=sheet-status]").startswith("Đã phê duyệt")

    # The Director computes the unit's year with the quota, then reports to the Chairman.
    page = browser_as("p-lead")
    page.goto(f"{live_server.url}/evaluation/?year=2026&unit={unit.code}")
    submit(page, "[data-testid=compute-form] button")
    assert "Nguyễn Văn Giám Đốc" in page.inner_text("[data-testid=results-table]")
    assert "Toàn cơ quan, đơn vị" in page.inner_text("[data-testid=quota-groups]")
    head_result = YearResult.objects.get(official=department["head"], year=2026)
    computed = head_result.computed_band
    assert computed and not head_result.is_decided
    page.goto(f"{live_server.url}/inspections/{department['inspection'].pk}/")
    submit(page, "[data-testid=director-report]")
    submit(page, "[data-testid=report-create-form] button")
    report = DirectorReport.objects.get()
    proposal = report.proposals.get(kind="classification", official=department["head"])
    assert (proposal.year, proposal.value) == (2026, computed)
    submit(page, "[data-testid=submit-report]")

    # The Chairman records his decision on the head's classification, through the confirmation.
    page = browser_as("p-leadership")
    page.goto(f"{live_server.url}/proposals/{report.pk}/")
    submit(page, f"[data-testid=decide-{proposal.pk}]")
    page.select_option("#id_outcome", "accepted")
    page.fill("#id_document_number", "215/QĐ-UBND")
    page.fill("#id_document_date", "30/11/2026")
    page.fill("#id_signed_by", "Chủ tịch UBND tỉnh Lê Văn A")
    submit(page, "[data-testid=decision-form] button.btn-primary")
    submit(page, "[data-testid=confirm-decision]")
    head_result.refresh_from_db()
    assert head_result.decided_band == computed and "215/QĐ-UBND" in head_result.decision_document

    # The year page shows the decided band and every point: the mean, the quota, the period, the task.
    page.goto(f"{live_server.url}/evaluation/results/{head_result.pk}/")
    summary = page.inner_text("[data-testid=result-summary]")
    assert head_result.get_band_display() in summary and "215/QĐ-UBND" in summary
    explanation = page.inner_text("[data-testid=year-explanation]")
    assert "trung bình 1 kỳ" in explanation and "Tỷ lệ tối đa" in explanation
    with page.expect_navigation():
        page.click("[data-testid=periods] a")
    products = page.inner_text("[data-testid=products]")
    assert "NV-2026-031" in products and "NV-2026-033" in products
    assert "d) Kết quả của cơ quan, đơn vị" in page.inner_text("[data-testid=explanation]")

    page = browser_as("p-outsider")
    assert page.goto(f"{live_server.url}/evaluation/results/{head_result.pk}/").status == 404
