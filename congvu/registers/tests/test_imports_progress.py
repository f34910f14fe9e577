"""Imports outside any transaction, as the CLI and the background job run them: progress is
committed while phase 1 runs. A transactional test, so it lives apart (pytest-django runs the
transactional modules last, after which the database is flushed)."""

import pytest

from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, ImportRun
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv


@pytest.mark.django_db(transaction=True)
def test_progress_is_committed_while_an_import_runs_outside_a_transaction(org, tmp_path, monkeypatch):
    """What the progress bar polls: rows_done, visible to another connection during phase 1 (on
    PostgreSQL the COPY stream holds the importer's connection, so progress uses a second one)."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from congvu.registers import imports

    monkeypatch.setattr(imports, "BATCH", 2)
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []

    def progress(done, total):
        with observer.cursor() as cursor:
            cursor.execute(f'SELECT rows_done FROM "{ImportRun._meta.db_table}" ORDER BY id DESC LIMIT 1')
            seen.append((cursor.fetchone()[0], done))

    rows = [dossier(f"HS-{i}") for i in range(5)]
    try:
        path = write_csv(tmp_path / "a.csv", DOSSIER_HEADER, rows)
        run = import_file(actor="test", register="dossiers", path=path, progress=progress)
    finally:
        observer.close()
    assert run.status == ImportRun.Status.STORED
    assert seen == [(2, 2), (4, 4), (5, 5)]
    assert Dossier.objects.count() == 5
