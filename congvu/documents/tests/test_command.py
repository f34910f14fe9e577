"""`congvu document KIND (--inspection ID | --plan ID | --year Y) [--out FILE] [--pdf] [--issued]`."""

import hashlib
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from congvu.documents import rendering, services
from congvu.documents.tests import docx_checks

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("document", *args, stdout=out)
    return out.getvalue()


def test_writes_the_current_draft_from_the_data(issuer, inspection, tmp_path):
    out = tmp_path / "qd.docx"
    printed = run("decision", "--inspection", str(inspection.pk), "--out", str(out))
    data = out.read_bytes()
    assert printed.strip() == f"{out}\t{hashlib.sha256(data).hexdigest()}"
    header, _footer, _doc = docx_checks.check_all(
        data, "QUYẾT ĐỊNH", "Về việc thành lập Đoàn kiểm tra công vụ tại Sở Xây dựng"
    )
    assert header.number_line.endswith("/QĐ-SNV")


def test_uses_the_open_draft_with_its_edited_blocks(personas, decision_draft, inspection, tmp_path):
    services.document_draft_save(
        actor=personas.lead, document=decision_draft, blocks={"summary": "Về việc riêng"}, expected_version=1
    )
    out = tmp_path / "qd.docx"
    run("decision", "--inspection", str(inspection.pk), "--out", str(out))
    docx_checks.check_title(docx_checks.open_docx(out.read_bytes()), "QUYẾT ĐỊNH", "Về việc riêng")


def test_issued_copy_is_the_stored_bytes(personas, decision_draft, inspection, tmp_path):
    issued = services.document_issue(actor=personas.lead, document=decision_draft, issued_on=date(2025, 7, 5))
    out = tmp_path / "issued.docx"
    run("decision", "--inspection", str(inspection.pk), "--issued", "--out", str(out))
    assert hashlib.sha256(out.read_bytes()).hexdigest() == issued.docx_sha256


def test_year_report_by_year(issuer, tmp_path):
    out = tmp_path / "bc.docx"
    run("year-report", "--year", "2025", "--out", str(out))
    docx_checks.check_title(
        docx_checks.open_docx(out.read_bytes()),
        "BÁO CÁO",
        "Tổng hợp kết quả công tác kiểm tra công vụ năm 2025",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["memo", "--year", "2025"], "Loại văn bản «memo» không có"),
        (["decision", "--inspection", "999999"], "Không có cuộc kiểm tra số 999999"),
        (["plan", "--plan", "999999"], "Không có kế hoạch kiểm tra số 999999"),
        (["decision", "--year", "2025"], "lập theo --inspection ID, không theo --year Y"),
        (["decision"], "Thiếu đối tượng"),
        (["year-report", "--year", "1800"], "không hợp lệ"),
        (["proposal", "--plan", "1"], "lập theo --inspection ID hoặc --year Y, không theo --plan ID"),
        (["proposal", "--year", "2025"], "Chưa có báo cáo, đề xuất của Giám đốc"),
    ],
)
def test_bad_kind_or_id_is_a_clear_message(issuer, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_issued_copy_missing_is_a_clear_message(issuer, inspection):
    with pytest.raises(CommandError, match="Chưa có văn bản «decision» nào đã ban hành"):
        run("decision", "--inspection", str(inspection.pk), "--issued")


def test_pdf_without_libreoffice_is_a_clear_message(issuer, inspection, monkeypatch, tmp_path):
    monkeypatch.setattr(rendering, "soffice_path", lambda: None)
    with pytest.raises(CommandError, match="chưa cài LibreOffice"):
        run("decision", "--inspection", str(inspection.pk), "--pdf", "--out", str(tmp_path / "x.pdf"))


def test_bad_kind_exits_non_zero_with_the_message_on_stderr(capsys):
    """Through the `congvu` script's own entry point, in this process: the exit status is the one a
    shell sees (booting a second Django for it costs ~3.5 s of CPU; the real process boundary of the
    CLI is tested by evaluation/tests/test_cli.py and core/tests/test_audit.py)."""
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["congvu", "document", "memo", "--year", "2025"])
    assert exit_.value.code not in (0, None)
    assert "Loại văn bản «memo» không có" in capsys.readouterr().err
