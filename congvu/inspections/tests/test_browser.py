"""End to end in Debian's chromium: one inspection from the annual plan to closed, each step done by
the role the workflow names (lead, inspector, focal point, unit head), and an outsider who gets 404."""

import re

import pytest

from congvu.inspections.models import Inspection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def checklist_template(transactional_db):
    """The seeded checklist template. A transactional test runs on a database another one may have
    flushed, and serialized rollback does not always bring the seeded rows back in the serial pass:
    seed it again (the data migration's own function, idempotent) rather than depend on that."""
    import importlib

    from django.apps import apps

    importlib.import_module("congvu.inspections.migrations.0002_seed_checklist_template").seed(apps, None)


def open_tab(page, live_server, inspection_pk, tab):
    page.goto(f"{live_server.url}/inspections/{inspection_pk}/?tab={tab}")


def status_is(page, text):
    assert page.inner_text("[data-testid=inspection-status]") == text


def submit(page, selector):
    """Click something that posts a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def move(page, to_status):
    submit(page, f"[data-testid=move-{to_status}]")


def test_one_inspection_from_plan_to_closed_by_the_right_roles(
    live_server, browser_as, personas, checklist_template
):
    # Each role in its own window, signed in through the login form at its first turn.
    # The lead drafts the annual plan, adds the unit and approves it, then sets up the inspection.
    page = browser_as("p-lead")
    page.goto(f"{live_server.url}/inspections/plans/new/")
    page.fill("#id_title", "Kế hoạch kiểm tra công vụ năm 2025")
    page.fill("#id_year", "2025")
    submit(page, "[data-testid=plan-form] button[type=submit]")
    page.select_option("#id_unit", label="Sở Xây dựng")
    page.select_option("#id_month", "7")
    page.fill("#id_period_from", "01/01/2025")
    page.fill("#id_period_to", "30/06/2025")
    submit(page, "[data-testid=plan-item-form] button[type=submit]")
    submit(page, "[data-testid=approve-plan]")
    assert page.inner_text("[data-testid=plan-status]") == "Đã phê duyệt"
    submit(page, "[data-testid^=start-inspection-]")
    page.fill("#id_decision_number", "15/QĐ-SNV")
    page.fill("#id_decision_date", "01/07/2025")
    page.fill("#id_self_report_due", "15/07/2025")
    submit(page, "[data-testid=create-form] button[type=submit]")
    page.wait_for_selector("[data-testid=team-form]")
    pk = int(re.search(r"/inspections/(\d+)/", page.url).group(1))
    page.select_option("#id_user", label="p-lead (Lãnh đạo kiểm tra)")
    page.select_option("#id_role", "head")
    submit(page, "[data-testid=team-form] button[type=submit]")
    page.select_option("#id_user", label="p-inspector (Thành viên đoàn kiểm tra)")
    page.select_option("#id_role", "member")
    submit(page, "[data-testid=team-form] button[type=submit]")
    assert "p-inspector" in page.inner_text("[data-testid=team-table]")
    open_tab(page, live_server, pk, "overview")
    move(page, "decided")
    status_is(page, "Đã có quyết định")

    # Before the notice, the unit does not know of the inspection.
    page = browser_as("p-focal")
    assert page.goto(f"{live_server.url}/inspections/{pk}/").status == 404

    page = browser_as("p-inspector")
    open_tab(page, live_server, pk, "overview")
    move(page, "notified")
    status_is(page, "Đã thông báo")

    # The focal point writes the self-report and submits it; the unit head approves and sends it.
    page = browser_as("p-focal")
    open_tab(page, live_server, pk, "documents")
    page.fill("[data-testid^=answer-request-]", "Đơn vị đã tự kiểm tra, không phát hiện vi phạm.")
    submit(page, "[data-testid^=save-request-]")
    submit(page, "[data-testid^=submit-request-]")
    assert "Chờ thủ trưởng duyệt" in page.content()

    page = browser_as("p-head")
    open_tab(page, live_server, pk, "documents")
    submit(page, "[data-testid^=approve-request-]")
    open_tab(page, live_server, pk, "overview")
    move(page, "self_report_received")
    status_is(page, "Đã nhận báo cáo tự kiểm tra")

    # The inspector goes on site, fills the checklist, signs the minutes, records a finding and a
    # recommendation, and sends the finding to the unit for explanation.
    page = browser_as("p-inspector")
    open_tab(page, live_server, pk, "documents")
    assert "Đơn vị đã tự kiểm tra, không phát hiện vi phạm." in page.content()
    open_tab(page, live_server, pk, "overview")
    move(page, "on_site")
    open_tab(page, live_server, pk, "checklist")
    submit(page, "[data-testid=create-checklists]")
    selects = page.locator("select[name^=result-]")
    for i in range(selects.count()):
        selects.nth(i).select_option("passed")
    selects.nth(0).select_option("failed")
    page.locator("textarea[name^=notes-]").nth(0).fill("Hai công chức đến muộn.")
    submit(page, "[data-testid=save-checklists]")
    assert "Đã lưu phiếu" in page.content()
    open_tab(page, live_server, pk, "overview")
    move(page, "minutes_signed")
    status_is(page, "Đã ký biên bản")
    open_tab(page, live_server, pk, "findings")
    page.click("[data-testid=finding-form-box] summary")
    page.fill("#id_description", "Chưa chấp hành nghiêm thời giờ làm việc.")
    page.select_option("#id_category", "shortcoming")
    submit(page, "[data-testid=finding-form] button[type=submit]")
    submit(page, "[data-testid^=send-finding-]")
    page.click("[data-testid=recommendation-form-box] summary")
    page.select_option("#id_kind", "correction")
    page.fill("#id_addressee", "Giám đốc Sở Xây dựng")
    page.fill("#id_content", "Chấn chỉnh việc chấp hành thời giờ làm việc.")
    page.fill("#id_deadline", "30/09/2025")
    submit(page, "[data-testid=recommendation-form] button[type=submit]")
    assert "Chấn chỉnh việc chấp hành thời giờ làm việc." in page.inner_text("[data-testid=recommendations]")

    # The unit explains the finding (focal point writes, head approves).
    page = browser_as("p-focal")
    open_tab(page, live_server, pk, "findings")
    page.fill("[data-testid^=answer-explanation-]", "Do mưa lớn, đơn vị đã nhắc nhở.")
    submit(page, "[data-testid^=save-explanation-]")
    submit(page, "[data-testid^=submit-explanation-]")
    page = browser_as("p-head")
    open_tab(page, live_server, pk, "findings")
    submit(page, "[data-testid^=approve-explanation-]")

    # The inspector confirms the finding; the lead records the conclusion notice and concludes.
    page = browser_as("p-inspector")
    open_tab(page, live_server, pk, "findings")
    assert "Do mưa lớn, đơn vị đã nhắc nhở." in page.content()
    submit(page, "[data-testid^=confirm-finding-]")
    page = browser_as("p-lead")
    open_tab(page, live_server, pk, "overview")
    page.click("text=Sửa thông tin: quyết định, thời kỳ, kết luận")
    page.fill("#id_conclusion_number", "20/TB-SNV")
    page.fill("#id_conclusion_date", "01/08/2025")
    submit(page, "[data-testid=edit-form] button[type=submit]")
    move(page, "concluded")
    status_is(page, "Đã có kết luận")

    page = browser_as("p-inspector")
    open_tab(page, live_server, pk, "overview")
    move(page, "remediation")
    status_is(page, "Đang khắc phục")

    # Remediation: the focal point reports, the head approves, the inspector accepts, the lead closes.
    page = browser_as("p-focal")
    open_tab(page, live_server, pk, "remediation")
    page.fill("[data-testid^=new-report-]", "Đã chấn chỉnh, lắp máy chấm công.")
    submit(page, "[data-testid^=start-report-]")
    submit(page, "[data-testid^=submit-report-]")
    page = browser_as("p-head")
    open_tab(page, live_server, pk, "remediation")
    submit(page, "[data-testid^=approve-report-]")
    page = browser_as("p-inspector")
    open_tab(page, live_server, pk, "remediation")
    submit(page, "[data-testid^=accept-report-]")
    open_tab(page, live_server, pk, "overview")
    assert page.locator("[data-testid=move-closed]").count() == 0  # closing is the lead's move
    page = browser_as("p-lead")
    open_tab(page, live_server, pk, "overview")
    move(page, "closed")
    status_is(page, "Đã kết thúc")
    history = page.inner_text("[data-testid=history]")
    for label in (
        "Đã có quyết định",
        "Đã thông báo",
        "Đang kiểm tra trực tiếp",
        "Đã có kết luận",
        "Đã kết thúc",
    ):
        assert label in history

    # Another unit's focal point: 404 on the inspection and its tabs.
    page = browser_as("p-outsider")
    assert page.goto(f"{live_server.url}/inspections/{pk}/").status == 404
    assert page.goto(f"{live_server.url}/inspections/{pk}/?tab=findings").status == 404
    assert "Không tìm thấy" in page.content()
    assert Inspection.objects.get(pk=pk).status == "closed"
