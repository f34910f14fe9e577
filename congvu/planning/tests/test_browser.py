"""In Debian's chromium: the lead records a planning decision, reads the unit's planning sheet with its
flags, and takes the reprimanded specialist out (confirming the dialog); the outsider gets 404."""

import pytest

from congvu.conftest import browser_login
from congvu.planning.models import PlanningEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def test_lead_records_reads_and_takes_out_and_the_outsider_gets_404(live_server, page, planned):
    p = planned.personas
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm confirmation
    browser_login(page, live_server, p.lead.username)

    page.goto(f"{live_server.url}/planning/new/")
    page.fill("#id_official_code", planned.head.code)
    page.select_option("#id_unit", str(p.other_unit.pk))
    page.select_option("#id_role", "head")
    page.fill("#id_term", "2031-2036")
    page.fill("#id_decision_number", "21/QĐ-UBND")
    page.fill("#id_decision_date", "15/04/2026")
    submit(page, "form button.btn-primary")
    assert PlanningEntry.objects.filter(official=planned.head, unit=p.other_unit).exists()

    page.goto(f"{live_server.url}/planning/units/{p.unit.code}/?term=2031-2036&date=01/12/2026")
    flags = page.inner_text("[data-testid=planning-group] >> nth=1")
    assert "Bị kỷ luật còn trong thời hạn" in flags and "đưa ra ngay" in flags
    row = page.locator("tr", has_text="Lê Văn Chuyên")
    row.locator("input[name=reason]").fill("Bị kỷ luật khiển trách (45/QĐ-SXD)")
    with page.expect_navigation():
        row.locator("button", has_text="Đưa ra khỏi quy hoạch").click()
    page.wait_for_load_state()
    assert "Lê Văn Chuyên" in page.inner_text("[data-testid=planning-group] >> nth=2")
    planned.staff_entry.refresh_from_db()
    assert planned.staff_entry.status == "out"

    page.context.clear_cookies()
    browser_login(page, live_server, p.outsider.username)
    response = page.goto(f"{live_server.url}/planning/units/{p.unit.code}/")
    assert response.status == 404
