"""The demo's documents step: Sở Nội vụ issues from the registry, after the demo's paper numbers."""

import hashlib

import pytest

from congvu.core.audit import audit_verify
from congvu.demo.builder import build_demo
from congvu.documents.models import Document, Issuer

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_issuing_body_an_issued_notice_and_a_draft(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    build_demo(seed=1, scale="small", log=lambda *_: None)
    issuer = Issuer.objects.get(is_default=True)
    assert (issuer.abbreviation, issuer.unit.code) == ("SNV", "VL-SNV") and issuer.signer_name
    notice = Document.objects.get(kind="notice", status="issued")
    assert notice.code == "1/TB-SNV" and notice.addressed_unit == notice.inspection.unit
    with notice.docx.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == notice.docx_sha256
    assert Document.objects.filter(kind="minutes", status="draft", inspection__kind="surprise").exists()
    assert issuer.counters.get(year=2026, number_code="QĐ").last_number == 150
    assert audit_verify().ok
