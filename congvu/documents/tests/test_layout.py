"""Every kind of document comes out of the data in Decree 30/2020 form: opened with python-docx and
checked for page, margins, fonts and sizes, header texts, number and date lines, title, recipients
and signer."""

from datetime import date

import pytest

from congvu.documents import services
from congvu.documents.kinds import KINDS
from congvu.documents.tests import docx_checks
from congvu.documents.tests.conftest import inspection_target, plan_target, year_target

pytestmark = pytest.mark.django_db

INSPECTION_KINDS = ["decision", "notice", "minutes", "conclusion", "report"]


def _draft(personas, kind, target):
    document = services.document_draft_open(actor=personas.lead, kind=kind, target=target)
    data, _sha = services.document_render(document=document, fetched_by=personas.lead)
    return document, data


@pytest.mark.parametrize("kind", INSPECTION_KINDS)
def test_inspection_document_draft_is_in_decree_30_form(personas, issuer, full_inspection, kind):
    document, data = _draft(personas, kind, inspection_target(full_inspection))
    spec = KINDS[kind]
    summary = services.data_and_defaults(kind, services.target_of(document), issuer, personas.lead)[1][
        "summary"
    ]
    header, footer, doc = docx_checks.check_all(data, spec.heading, summary)
    assert header.superior == "UBND TỈNH VĨNH LONG"
    assert header.issuer == "SỞ NỘI VỤ"
    # A draft has no number and no date yet, but the document type and issuer code are printed.
    assert header.number_line == f"Số:       /{spec.number_code}-SNV"
    assert header.place_date == "Vĩnh Long, ngày      tháng      năm 2025"
    assert footer.recipients and footer.recipients[-1].startswith("Lưu")
    assert footer.signer[-1] in {"Lê Văn Ký", "p-lead"}


def test_plan_and_year_report_are_in_decree_30_form(personas, issuer, plan):
    _doc, data = _draft(personas, "plan", plan_target(plan))
    header, footer, doc = docx_checks.check_all(data, "KẾ HOẠCH", "Kiểm tra công vụ năm 2025")
    assert header.number_line.endswith("/KH-SNV")
    text = docx_checks.full_text(doc)
    assert "Sở Xây dựng" in text and "Tháng 7/2025" in text and "01/01/2025 – 30/06/2025" in text
    _doc, data = _draft(personas, "year-report", year_target(2025))
    header, footer, doc = docx_checks.check_all(
        data, "BÁO CÁO", "Tổng hợp kết quả công tác kiểm tra công vụ năm 2025"
    )
    assert header.number_line.endswith("/BC-SNV")
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh." in docx_checks.full_text(doc)


def test_issued_decision_prints_its_number_and_date(personas, issuer, decision_draft):
    document = services.document_issue(
        actor=personas.lead, document=decision_draft, issued_on=date(2025, 7, 5)
    )
    with document.docx.open("rb") as fh:
        data = fh.read()
    header, footer, doc = docx_checks.check_all(
        data, "QUYẾT ĐỊNH", "Về việc thành lập Đoàn kiểm tra công vụ tại Sở Xây dựng"
    )
    assert header.number_line == "Số: 1/QĐ-SNV"
    assert header.place_date == "Vĩnh Long, ngày 05 tháng 7 năm 2025"
    assert footer.recipients == ["Như Điều 3;", "Lưu: VT."]
    assert footer.signer == ["GIÁM ĐỐC", "Lê Văn Ký"]
    text = docx_checks.full_text(doc)
    assert "GIÁM ĐỐC SỞ NỘI VỤ" in text
    assert "Ông (bà) p-lead — Trưởng đoàn;" in text and "Ông (bà) p-inspector — Thành viên;" in text
    assert "từ ngày 01/01/2025 đến ngày 30/06/2025" in text


def test_issued_in_february_keeps_the_month_zero(personas, issuer, decision_draft):
    document = services.document_issue(
        actor=personas.lead, document=decision_draft, issued_on=date(2026, 2, 15)
    )
    with document.docx.open("rb") as fh:
        header = docx_checks.check_header(docx_checks.open_docx(fh.read()))
    assert header.place_date == "Vĩnh Long, ngày 15 tháng 02 năm 2026"
