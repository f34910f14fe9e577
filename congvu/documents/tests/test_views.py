"""The document pages: who sees what (an outsider gets 404), draft editing, issuing with a
confirmation, downloads that return exactly the stored bytes, the PDF page without LibreOffice, the
list with search and Excel export, and template replacement by an administrator."""

import hashlib
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congvu.core.models import AuditEvent
from congvu.core.testing import xlsx_rows, xlsx_text
from congvu.documents import rendering, services
from congvu.documents.models import DocumentTemplate
from congvu.documents.tests import docx_checks

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def issued(personas, decision_draft):
    return services.document_issue(actor=personas.lead, document=decision_draft, issued_on=date(2025, 7, 5))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_outsider_gets_404_on_every_document_page(client, personas, issued, inspection):
    login(client, personas.outsider)
    for name in ("detail", "docx", "pdf", "issue"):
        assert client.get(reverse(f"documents:{name}", args=[issued.pk])).status_code == 404
    assert client.get(reverse("documents:inspection", args=[inspection.pk])).status_code == 404
    assert client.get(reverse("documents:plan", args=[inspection.plan_item.plan_id])).status_code == 404
    assert client.get(reverse("documents:year", args=[2025])).status_code == 404
    assert client.get(reverse("documents:issuers")).status_code == 404
    assert client.get(reverse("documents:issuer", args=[issued.issuer_id])).status_code == 404
    response = client.post(
        reverse("documents:draft_open"), {"kind": "notice", "target": f"inspection:{inspection.pk}"}
    )
    assert response.status_code == 404
    assert issued.title not in client.get(reverse("documents:home")).content.decode()


def test_unit_sees_the_issued_document_addressed_to_it_but_never_a_draft(
    client, personas, issued, inspection
):
    from congvu.inspections.tests.conftest import move

    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")  # the unit now knows of the inspection
    notice = services.document_draft_open(
        actor=personas.lead, kind="notice", target=services.target_of(issued)
    )
    login(client, personas.focal)
    assert client.get(reverse("documents:detail", args=[issued.pk])).status_code == 200
    assert client.get(reverse("documents:detail", args=[notice.pk])).status_code == 404
    assert client.get(reverse("documents:docx", args=[notice.pk])).status_code == 404
    listing = client.get(reverse("documents:home")).content.decode()
    assert "1/QĐ-SNV" in listing and notice.title not in listing


def test_unit_does_not_see_a_document_of_an_inspection_it_was_not_told_of(client, personas, issued):
    login(client, personas.focal)  # the inspection is still a draft: not disclosed to the unit
    assert client.get(reverse("documents:detail", args=[issued.pk])).status_code == 404


def test_leadership_reads_drafts_but_cannot_edit_or_issue(client, personas, decision_draft):
    login(client, personas.leadership)
    page = client.get(reverse("documents:detail", args=[decision_draft.pk]))
    assert page.status_code == 200 and b"save-draft" not in page.content
    assert client.get(reverse("documents:docx", args=[decision_draft.pk])).status_code == 200
    assert client.get(reverse("documents:issue", args=[decision_draft.pk])).status_code == 403
    response = client.post(
        reverse("documents:detail", args=[decision_draft.pk]), {"version": 1, "summary": "x"}
    )
    assert response.status_code == 403


def test_team_member_edits_the_draft_blocks(client, personas, decision_draft):
    login(client, personas.inspector)
    response = client.post(
        reverse("documents:detail", args=[decision_draft.pk]),
        {
            "version": decision_draft.version,
            "summary": "Về việc kiểm tra chuyên sâu",
            "duties": "Làm việc 3 ngày.",
        },
    )
    assert response.status_code == 302
    decision_draft.refresh_from_db()
    assert decision_draft.blocks["summary"] == "Về việc kiểm tra chuyên sâu"
    data = body(client.get(reverse("documents:docx", args=[decision_draft.pk])))
    docx_checks.check_title(docx_checks.open_docx(data), "QUYẾT ĐỊNH", "Về việc kiểm tra chuyên sâu")


def test_inspector_opens_a_draft_from_the_inspection_documents_page(client, personas, issuer, inspection):
    login(client, personas.inspector)
    page = client.get(reverse("documents:inspection", args=[inspection.pk]))
    assert page.status_code == 200 and b"draft-minutes" in page.content
    response = client.post(
        reverse("documents:draft_open"), {"kind": "minutes", "target": f"inspection:{inspection.pk}"}
    )
    assert response.status_code == 302
    assert inspection.documents.get().kind == "minutes"


def test_issue_asks_for_confirmation_then_numbers_and_freezes(client, personas, decision_draft):
    login(client, personas.lead)
    confirm = client.get(reverse("documents:issue", args=[decision_draft.pk]))
    assert confirm.status_code == 200 and "Xác nhận ban hành" in confirm.content.decode()
    decision_draft.refresh_from_db()
    assert decision_draft.status == "draft"
    bad = client.post(reverse("documents:issue", args=[decision_draft.pk]), {"issued_on": "31/02/2025"})
    assert bad.status_code == 200 and "Ngày ban hành" in bad.content.decode()
    response = client.post(reverse("documents:issue", args=[decision_draft.pk]), {"issued_on": "05/07/2025"})
    assert response.status_code == 302
    decision_draft.refresh_from_db()
    assert decision_draft.code == "1/QĐ-SNV" and decision_draft.issued_on == date(2025, 7, 5)


def test_download_returns_exactly_the_stored_bytes_every_time(client, personas, issued):
    login(client, personas.leadership)
    first = body(client.get(reverse("documents:docx", args=[issued.pk])))
    second = body(client.get(reverse("documents:docx", args=[issued.pk])))
    assert first == second
    assert hashlib.sha256(first).hexdigest() == issued.docx_sha256


def test_pdf_page_without_libreoffice_says_so_and_offers_the_docx(client, personas, issued, monkeypatch):
    monkeypatch.setattr(rendering, "soffice_path", lambda: None)
    login(client, personas.lead)
    page = client.get(reverse("documents:pdf", args=[issued.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "chưa cài LibreOffice" in text and reverse("documents:docx", args=[issued.pk]) in text


def test_issue_without_libreoffice_marks_the_pdf_unavailable(personas, decision_draft, monkeypatch):
    monkeypatch.setattr(rendering, "soffice_path", lambda: None)
    issued = services.document_issue(actor=personas.lead, document=decision_draft)
    assert issued.pdf_status == "unavailable"


def test_list_searches_and_exports_to_excel(client, personas, issued):
    from python_calamine import CalamineWorkbook

    login(client, personas.inspector)
    assert "1/QĐ-SNV" in client.get(reverse("documents:home"), {"q": "QĐ-SNV"}).content.decode()
    assert "1/QĐ-SNV" not in client.get(reverse("documents:home"), {"q": "không có"}).content.decode()
    export = client.get(reverse("documents:home"), {"format": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Số, ký hiệu" and rows[1][0] == "1/QĐ-SNV" and rows[1][6] == issued.docx_sha256


def _docx_with_text(*lines: str) -> bytes:
    from docx import Document

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_template_with_a_syntax_error_is_refused_with_its_line(client, personas, issuer):
    login(client, personas.admin)
    broken = _docx_with_text(
        "QUYẾT ĐỊNH", "{{ summary }}", "Điều 1. {% for m in members %}{{ m.name }", "Hết"
    )
    response = client.post(
        reverse("documents:template_upload", args=[issuer.pk]),
        {"kind": "decision", "file": SimpleUploadedFile("qd.docx", broken)},
        follow=True,
    )
    text = response.content.decode()
    assert "dòng 3" in text and "Điều 1. {% for m in members %}{{ m.name }" in text.replace("&#x27;", "'")
    assert not DocumentTemplate.objects.exists()
    assert not AuditEvent.objects.filter(action="document.template_upload").exists()


def test_a_file_that_is_not_docx_is_refused(personas, issuer):
    with pytest.raises(Exception, match="không phải là tệp DOCX"):
        services.template_upload(
            actor=personas.admin,
            issuer=issuer,
            kind="decision",
            upload=SimpleUploadedFile("a.docx", b"PK\x03\x04xx"),
        )


def test_administrator_replaces_a_template_and_drafts_use_it(client, personas, issuer, decision_draft):
    login(client, personas.admin)
    custom = _docx_with_text(
        "MẪU RIÊNG {{ issuer_name }}", "{{ summary }}", "{% for m in members %}{{ m.name }};{% endfor %}"
    )
    response = client.post(
        reverse("documents:template_upload", args=[issuer.pk]),
        {"kind": "decision", "file": SimpleUploadedFile("rieng.docx", custom)},
    )
    assert response.status_code == 302
    template = DocumentTemplate.objects.get(is_active=True)
    assert template.sha256 == hashlib.sha256(custom).hexdigest()
    assert AuditEvent.objects.filter(action="document.template_upload", object_id=str(template.pk)).exists()
    preview = body(client.get(reverse("documents:template_preview", args=[issuer.pk, "decision"])))
    assert "MẪU RIÊNG SỞ NỘI VỤ" in docx_checks.full_text(docx_checks.open_docx(preview))
    data, sha = services.document_render(document=decision_draft, fetched_by=personas.lead)
    text = docx_checks.full_text(docx_checks.open_docx(data))
    assert "MẪU RIÊNG SỞ NỘI VỤ" in text and "p-lead;p-inspector;" in text and sha == template.sha256
    client.post(reverse("documents:template_reset", args=[issuer.pk, "decision"]))
    assert not DocumentTemplate.objects.filter(is_active=True).exists()


def test_only_an_administrator_uploads_templates(client, personas, issuer):
    login(client, personas.lead)
    response = client.post(
        reverse("documents:template_upload", args=[issuer.pk]),
        {"kind": "decision", "file": SimpleUploadedFile("a.docx", _docx_with_text("x"))},
    )
    assert response.status_code == 403
    login(client, personas.outsider)
    assert client.get(reverse("documents:issuer", args=[issuer.pk])).status_code == 404


def test_administrator_declares_an_issuing_body(client, personas):
    login(client, personas.admin)
    response = client.post(
        reverse("documents:issuers"),
        {
            "unit": personas.unit.pk,
            "superior": "UBND TỈNH THỬ",
            "name": "SỞ XÂY DỰNG",
            "abbreviation": "SXD",
            "place": "Thử",
            "signer_title": "GIÁM ĐỐC",
            "signer_name": "",
            "is_default": "on",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="document.issuer_save").exists()


def test_inspection_page_links_to_its_documents(client, personas, inspection):
    login(client, personas.lead)
    page = client.get(reverse("inspections:detail", args=[inspection.pk]))
    assert reverse("documents:inspection", args=[inspection.pk]) in page.content.decode()


def test_administrator_records_where_a_paper_sequence_ended(client, personas, issuer):
    login(client, personas.admin)
    url = reverse("documents:counter_set", args=[issuer.pk])
    assert client.post(url, {"year": 2026, "number_code": "QĐ", "last_number": 150}).status_code == 302
    page = client.get(reverse("documents:issuer", args=[issuer.pk])).content.decode()
    assert "150" in page
    refused = client.post(url, {"year": 2026, "number_code": "QĐ", "last_number": 10}, follow=True)
    assert "không lùi lại được" in refused.content.decode()


def test_the_list_filters_narrow_and_bad_values_are_form_errors(client, personas, issued):
    target = services.target_of(issued)
    notice = services.document_draft_open(actor=personas.lead, kind="notice", target=target)
    login(client, personas.lead)
    url = reverse("documents:home")

    def shown(params):
        response = client.get(url, params)
        assert response.status_code == 200, params
        page = response.content.decode()
        markers = (("issued", "1/QĐ-SNV"), ("notice", notice.title))
        found = [name for name, marker in markers if marker in page]
        return found, 'data-testid="filter-errors"' in page

    assert shown({}) == (["issued", "notice"], False)
    assert shown({"kind": "decision"}) == (["issued"], False)
    assert shown({"status": "draft"}) == (["notice"], False)
    assert shown({"year": 2025, "kind": "decision"}) == (["issued"], False)
    assert shown({"year": 1999}) == ([], False)
    # Each invalid value is left out (and named); the valid filter beside it still applies.
    for params in (
        {"year": "-1", "kind": "decision"},
        {"year": "9" * 30, "kind": "decision"},
        {"year": "²", "kind": "decision"},
        {"kind": "nope", "status": "issued"},
        {"status": "x", "kind": "decision"},
    ):
        assert shown(params) == (["issued"], True), params
    export = xlsx_text(xlsx_rows(client.get(url, {"status": "draft", "format": "xlsx"})))
    assert "1/QĐ-SNV" not in export


def test_an_outsider_cannot_filter_into_another_units_documents(client, personas, issued):
    login(client, personas.outsider)
    url = reverse("documents:home")
    for params in ({"q": "QĐ-SNV"}, {"kind": "decision"}, {"year": 2025}, {"status": "issued"}):
        assert "1/QĐ-SNV" not in client.get(url, params).content.decode(), params
    assert "1/QĐ-SNV" not in xlsx_text(xlsx_rows(client.get(url, {"kind": "decision", "format": "xlsx"})))
