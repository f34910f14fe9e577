"""The tờ trình (proposal, TTr) is written from the Director's report and proposals through the
proposals app's selector `report_context`; without a report it is refused with a clear message."""

import pytest
from django.core.exceptions import ValidationError

from congvu.documents import services
from congvu.documents.tests import docx_checks
from congvu.documents.tests.conftest import inspection_target
from congvu.proposals.tests import conftest as proposal_conftest

pytestmark = pytest.mark.django_db

surprise = proposal_conftest.surprise
concluded = proposal_conftest.concluded
head_year_result = proposal_conftest.head_year_result
report = proposal_conftest.report


def test_proposal_lists_the_directors_proposals_in_decree_30_form(personas, issuer, report, concluded):
    target = inspection_target(concluded["inspection"])
    draft = services.document_draft_open(actor=personas.lead, kind="proposal", target=target)
    data, _sha = services.document_render(document=draft, fetched_by=personas.lead)
    header, footer, doc = docx_checks.check_all(
        data, "TỜ TRÌNH", "Đề xuất xử lý, xếp loại sau kiểm tra công vụ tại Sở Xây dựng"
    )
    assert header.number_line.endswith("/TTr-SNV")
    text = docx_checks.full_text(doc)
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh." in text
    assert "Trần Thị Phó (Sở Xây dựng)" in text and "Khiển trách" in text  # the discipline proposal
    assert "Nguyễn Văn Giám Đốc (Sở Xây dựng)" in text and "Phê bình" in text
    issued = services.document_issue(actor=personas.lead, document=draft)
    assert issued.code == "1/TTr-SNV"


def test_proposal_without_a_report_is_refused(personas, issuer, concluded):
    with pytest.raises(ValidationError, match="Chưa có báo cáo, đề xuất của Giám đốc"):
        services.document_draft_open(
            actor=personas.lead, kind="proposal", target=inspection_target(concluded["inspection"])
        )
