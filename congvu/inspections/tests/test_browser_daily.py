"""In Debian's chromium: nothing typed is lost. A page with unsaved edits asks before it is left,
a file uploaded with an answer keeps the typed text, and the checklist saves every sheet at once."""

from datetime import date

import pytest

from congvu.conftest import browser_login
from congvu.inspections import services
from congvu.inspections.models import Evidence
from congvu.inspections.tests.conftest import PDF, move

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def checklist_template(transactional_db):
    """The seeded checklist template, seeded again (see test_browser.py for why)."""
    import importlib

    from django.apps import apps

    importlib.import_module("congvu.inspections.migrations.0002_seed_checklist_template").seed(apps, None)


def _notified(personas):
    insp = services.inspection_create(
        actor=personas.lead,
        kind="surprise",
        unit=personas.unit,
        period_from=date(2025, 1, 1),
        period_to=date(2025, 6, 30),
        decision_number="16/QĐ-SNV",
        decision_date=date(2025, 7, 2),
    )
    services.team_member_add(actor=personas.lead, inspection=insp, user=personas.lead, role="head")
    services.team_member_add(actor=personas.lead, inspection=insp, user=personas.inspector, role="member")
    move(personas.lead, insp, "decided")
    move(personas.inspector, insp, "on_site")
    request = services.document_request_create(
        actor=personas.inspector, inspection=insp, title="Sổ theo dõi văn bản đến", due_on=date(2030, 1, 31)
    )
    return insp, request


def test_leaving_a_page_with_unsaved_text_asks_first(live_server, page, personas):
    insp, request = _notified(personas)
    browser_login(page, live_server, "p-focal")
    url = f"{live_server.url}/inspections/{insp.pk}/?tab=documents"
    page.goto(url)
    box = f"[data-testid=answer-request-{request.pk}]"
    page.click(box)  # a real user gesture: browsers only ask after one
    page.keyboard.type("Đang soạn dở")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.click("[data-testid=tab-overview]", no_wait_after=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url == url
    assert page.input_value(box) == "Đang soạn dở"
    # Saving is not leaving: no question, and the text is stored.
    page.remove_listener("dialog", stay)
    page.on("dialog", lambda d: asked.append(d.type) or d.accept())
    with page.expect_navigation():
        page.click(f"[data-testid=save-request-{request.pk}]")
    assert asked == ["beforeunload"]
    request.refresh_from_db()
    assert request.response_text == "Đang soạn dở"


def test_a_file_uploaded_with_the_answer_keeps_the_text(live_server, page, personas, tmp_path):
    insp, request = _notified(personas)
    browser_login(page, live_server, "p-focal")
    page.goto(f"{live_server.url}/inspections/{insp.pk}/?tab=documents")
    page.fill(f"[data-testid=answer-request-{request.pk}]", "Gửi kèm sổ theo dõi quý I")
    pdf = tmp_path / "so-theo-doi.pdf"
    pdf.write_bytes(PDF)
    page.set_input_files(f"[data-testid=evidence-file-request-{request.pk}]", str(pdf))
    with page.expect_navigation():
        page.click(f"[data-testid=save-request-{request.pk}]")
    assert page.input_value(f"[data-testid=answer-request-{request.pk}]") == "Gửi kèm sổ theo dõi quý I"
    assert "so-theo-doi.pdf" in page.inner_text(f"[data-testid=response-request-{request.pk}]")
    # Submit from the same form: saved and submitted, nothing lost.
    page.fill(f"[data-testid=answer-request-{request.pk}]", "Gửi kèm sổ theo dõi quý I và quý II")
    with page.expect_navigation():
        page.click(f"[data-testid=submit-request-{request.pk}]")
    request.refresh_from_db()
    assert request.response_status == "submitted"
    assert request.response_text == "Gửi kèm sổ theo dõi quý I và quý II"
    assert Evidence.objects.filter(document_request=request).count() == 1


def test_one_save_stores_edits_on_two_sheets(live_server, page, personas, checklist_template):
    from congvu.org.models import Appointment, Official

    head = Official.objects.create(code="O-HEAD", full_name="Nguyễn Văn Giám Đốc")
    Appointment.objects.create(
        official=head, unit=personas.unit, role="head", title="Giám đốc", start=date(2020, 1, 1)
    )
    insp, _request = _notified(personas)
    services.checklist_instantiate(actor=personas.inspector, inspection=insp)
    unit_item = insp.checklists.get(subject="unit").items.first()
    head_item = insp.checklists.get(subject="head").items.first()
    browser_login(page, live_server, "p-inspector")
    page.goto(f"{live_server.url}/inspections/{insp.pk}/?tab=checklist")
    page.select_option(f"[data-testid=result-{unit_item.pk}]", "failed")
    page.fill(f"[data-testid=notes-{unit_item.pk}]", "Vắng 2 người")
    page.select_option(f"[data-testid=result-{head_item.pk}]", "passed")
    with page.expect_navigation():
        page.click("[data-testid=save-checklists]")
    assert page.url.endswith(f"#item-{head_item.pk}")
    assert "2 mục thay đổi" in page.inner_text("[data-testid=checklist-save]")
    unit_item.refresh_from_db()
    head_item.refresh_from_db()
    assert (unit_item.result, unit_item.notes, head_item.result) == ("failed", "Vắng 2 người", "passed")
