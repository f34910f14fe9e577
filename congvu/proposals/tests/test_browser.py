"""End to end in Debian's chromium: the lead opens the report from the concluded inspection's page and
submits it; the Chairman records a decision through the confirmation step; the outsider gets 404."""

import pytest

from congvu.evaluation.models import DisciplineRecord
from congvu.inspections.tests.test_browser import checklist_template, submit  # noqa: F401  (fixture)
from congvu.proposals.models import DirectorReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def concluded_in_browser(checklist_template, request):  # noqa: F811
    return request.getfixturevalue("concluded")


def test_from_the_inspection_to_the_chairmans_decision(
    live_server, browser_as, personas, concluded_in_browser
):
    inspection = concluded_in_browser["inspection"]

    page = browser_as("p-lead")
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/")
    submit(page, "[data-testid=director-report]")
    submit(page, "[data-testid=report-create-form] button")
    assert page.inner_text("[data-testid=report-status]") == "Dự thảo"
    assert "Trần Thị Phó" in page.inner_text("[data-testid=proposal-table]")
    submit(page, "[data-testid=submit-report]")
    assert page.inner_text("[data-testid=report-status]") == "Đã trình Chủ tịch UBND tỉnh"
    report = DirectorReport.objects.get()

    page = browser_as("p-leadership")
    page.goto(f"{live_server.url}/proposals/{report.pk}/")
    proposal = report.proposals.get(kind="discipline")
    submit(page, f"[data-testid=decide-{proposal.pk}]")
    page.select_option("#id_outcome", "accepted")
    page.fill("#id_document_number", "123/QĐ-UBND")
    page.fill("#id_document_date", "20/11/2026")
    page.fill("#id_signed_by", "Chủ tịch UBND tỉnh Lê Văn A")
    submit(page, "[data-testid=decision-form] button.btn-primary")
    assert "Ghi hình thức kỷ luật “Khiển trách”" in page.inner_text("[data-testid=decision-form]")
    assert not DisciplineRecord.objects.exists()
    submit(page, "[data-testid=confirm-decision]")
    assert "Đồng ý" in page.inner_text(f"[data-testid=decision-{proposal.pk}]")
    assert DisciplineRecord.objects.get().official == concluded_in_browser["deputy"]

    page = browser_as("p-outsider")
    response = page.goto(f"{live_server.url}/proposals/{report.pk}/")
    assert response.status == 404
