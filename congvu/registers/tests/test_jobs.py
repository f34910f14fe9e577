"""The background import job, run directly (no worker): it takes the run id and imports once."""

import pytest
from django.core.files import File
from django.test import override_settings

from congvu.registers.models import Dossier, ImportRun
from congvu.registers.tasks import import_run_job
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_run(org, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = write_csv(tmp_path / "d.csv", DOSSIER_HEADER, [dossier("HS-1"), dossier("HS-2")])
    run = ImportRun(
        register="dossiers", created_by=org.personas.focal, unit=org.unit, file_name="d.csv", sha256="0" * 64
    )
    with path.open("rb") as fh:
        run.file.save("d.csv", File(fh), save=False)
    run.save()
    return run


def test_the_job_imports_the_recorded_file_as_its_uploader(pending_run, org):
    status = import_run_job.call(pending_run.pk)
    pending_run.refresh_from_db()
    assert status == "stored"
    assert (pending_run.status, pending_run.created_count, pending_run.rows_done) == ("stored", 2, 2)
    assert Dossier.objects.count() == 2


def test_a_retried_job_does_not_import_twice(pending_run):
    import_run_job.call(pending_run.pk)
    import_run_job.call(pending_run.pk)
    pending_run.refresh_from_db()
    assert pending_run.unchanged_count == 0
    assert ImportRun.objects.count() == 1


def test_the_job_through_the_immediate_backend(pending_run):
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        result = import_run_job.enqueue(pending_run.pk)
    assert result.status == "SUCCESSFUL"
    assert result.return_value == "stored"


def test_a_dry_run_job_stores_nothing(pending_run):
    pending_run.dry_run = True
    pending_run.save(update_fields=["dry_run"])
    assert import_run_job.call(pending_run.pk) == "dry_run"
    assert not Dossier.objects.exists()
