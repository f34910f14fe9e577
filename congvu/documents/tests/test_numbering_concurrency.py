"""Issues at the same moment never get the same number and never leave a half-issued document: the
registry's row lock serialises them. On PostgreSQL (SELECT … FOR UPDATE) every issue waits its turn and
succeeds. The SQLite *test* database is in memory with a shared cache, where a second writer gets
"database table is locked" at once instead of waiting (the file database of a deployment waits up to
20 s): there the losers must fail cleanly — still drafts, no number, no file. Commits for real, so it
runs in the serial transactional pass."""

import threading
from datetime import date

import pytest
from django.db import OperationalError, connection

from congvu.documents import rendering, services
from congvu.documents.models import Document, NumberCounter
from congvu.documents.tests.conftest import year_target

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_issues_get_consecutive_distinct_numbers(personas, issuer, monkeypatch):
    monkeypatch.setattr(rendering, "soffice_path", lambda: None)  # no PDF job here
    drafts = [
        services.document_draft_open(actor=personas.lead, kind="year-report", target=year_target(year))
        for year in (2023, 2024, 2025, 2026)
    ]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(draft):
        try:
            barrier.wait(timeout=30)
            services.document_issue(actor=personas.lead, document=draft, issued_on=date(2026, 3, 5))
        except Exception as exc:  # reported below: the test must see every failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    numbers = sorted(Document.objects.filter(status="issued").values_list("number", flat=True))
    if connection.vendor == "postgresql":
        assert not errors, errors
        assert numbers == [1, 2, 3, 4]
    else:
        assert all(isinstance(e, OperationalError) for e in errors), errors
        assert len(numbers) + len(errors) == 4 and numbers
        assert numbers == list(range(1, len(numbers) + 1))
        for draft in Document.objects.filter(status="draft"):
            assert draft.number is None and not draft.docx and not draft.docx_sha256
    assert NumberCounter.objects.get(issuer=issuer, year=2026, number_code="BC").last_number == len(numbers)
