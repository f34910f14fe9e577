"""The PDF of an issued document: converted by LibreOffice headless in the background job from the
stored DOCX, stored with its SHA-256. Needs LibreOffice and poppler (`make test` installs them through
tools/system-packages); never skipped."""

import hashlib
import subprocess
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from congvu.documents import services
from congvu.documents.models import Document

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_issued_decision_is_converted_to_pdf_by_the_worker(
    client, personas, decision_draft, django_capture_on_commit_callbacks, tmp_path
):
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        issued = services.document_issue(
            actor=personas.lead, document=decision_draft, issued_on=date(2025, 7, 5)
        )
    issued = Document.objects.get(pk=issued.pk)
    assert issued.pdf_status == "done", issued.pdf_error
    with issued.pdf.open("rb") as fh:
        pdf = fh.read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == issued.pdf_sha256
    path = tmp_path / "qd.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "QUYẾT ĐỊNH" in text and "Số: 1/QĐ-SNV" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Vĩnh Long, ngày 05 tháng 7 năm 2025" in text
    # the page returns exactly the stored PDF
    client.force_login(personas.inspector)
    response = client.get(reverse("documents:pdf", args=[issued.pk]))
    assert b"".join(response.streaming_content) == pdf
