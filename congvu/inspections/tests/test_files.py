"""Evidence file checks: extension and magic bytes must agree, size limited, SHA-256 computed."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congvu.inspections.files import check_upload
from congvu.inspections.tests.conftest import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_passes_with_its_sha256():
    checked = check_upload(SimpleUploadedFile("a.pdf", PDF))
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
    assert checked.content_type == "application/pdf"
    assert checked.size == len(PDF)


def test_a_docx_must_hold_a_word_part():
    assert check_upload(SimpleUploadedFile("bao-cao.docx", _docx())).extension == ".docx"
    with pytest.raises(ValidationError, match="không phải tệp .xlsx hợp lệ"):
        check_upload(SimpleUploadedFile("bang.xlsx", _docx()))


def test_an_upper_case_extension_is_accepted():
    assert check_upload(SimpleUploadedFile("ANH.PNG", PNG)).content_type == "image/png"


def test_an_executable_renamed_to_pdf_is_refused():
    with pytest.raises(ValidationError, match="đuôi tệp không khớp với nội dung"):
        check_upload(SimpleUploadedFile("hoa-don.pdf", b"MZ\x90\x00" + b"\x00" * 60))


def test_a_forbidden_extension_is_refused_with_the_list_of_allowed_ones():
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("script.exe", b"MZ"))
    assert "script.exe" in str(exc.value)
    assert ".pdf" in str(exc.value)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="rỗng"):
        check_upload(SimpleUploadedFile("a.pdf", b""))


def test_a_file_over_the_limit_is_refused(settings):
    settings.CONGVU_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="vượt giới hạn"):
        check_upload(SimpleUploadedFile("a.pdf", PDF + b"0" * 2000))
