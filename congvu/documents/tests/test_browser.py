"""End to end in Debian's chromium: the lead drafts the decision of an inspection from its page,
issues it after the confirmation, downloads it, and gets exactly the bytes whose SHA-256 was stored;
the outsider gets 404."""

import hashlib
import re

import pytest

from congvu.conftest import browser_login
from congvu.documents.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def test_lead_issues_a_decision_and_downloads_the_stored_bytes(
    live_server, page, personas, issuer, inspection, monkeypatch, tmp_path
):
    from congvu.documents import rendering

    monkeypatch.setattr(rendering, "soffice_path", lambda: None)  # PDF conversion is tested on its own
    browser_login(page, live_server, "p-lead")
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/")
    submit(page, "[data-testid=official-documents-link]")
    submit(page, "[data-testid=draft-decision]")
    page.fill("#id_duties", "Đoàn làm việc tại đơn vị trong 03 ngày.")
    submit(page, "[data-testid=save-draft]")
    submit(page, "[data-testid=issue-link]")
    page.fill("#id_issued_on", "05/07/2025")
    submit(page, "[data-testid=confirm-issue]")
    assert page.inner_text("[data-testid=document-code]") == "1/QĐ-SNV"
    shown_sha = page.inner_text("[data-testid=docx-sha256]")
    pk = int(re.search(r"/documents/(\d+)/", page.url).group(1))

    with page.expect_download() as info:
        page.click("[data-testid=download-docx]")
    path = tmp_path / "download.docx"
    info.value.save_as(path)
    data = path.read_bytes()
    stored = Document.objects.get(pk=pk)
    assert hashlib.sha256(data).hexdigest() == stored.docx_sha256 == shown_sha
    assert info.value.suggested_filename == "1-QĐ-SNV.docx"

    page.goto(f"{live_server.url}/documents/{pk}/pdf/")
    assert "chưa cài LibreOffice" in page.inner_text("[data-testid=no-soffice]")
    page.click("[data-testid=user-menu]")
    with page.expect_navigation():
        page.click("text=Đăng xuất")

    browser_login(page, live_server, "p-outsider")
    assert page.goto(f"{live_server.url}/documents/{pk}/").status == 404
    assert page.goto(f"{live_server.url}/documents/{pk}/docx/").status == 404
