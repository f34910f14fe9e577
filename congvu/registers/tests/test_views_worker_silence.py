"""The import pages say when no background worker is taking work (#14 item 6): a background import
queued (django-tasks-db, the real queue) and waiting longer than WORKER_STALE_SECONDS while no worker has
started any job in that time."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from congvu.core.workers import background_worker_silence
from congvu.registers import services
from congvu.registers.models import ImportRun
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv

pytestmark = pytest.mark.django_db

WARNING = 'data-testid="worker-silence"'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WORKER_STALE_SECONDS = 60


@pytest.fixture
def queued(client, org, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """A focal point's upload over the background threshold, queued for the worker (no worker runs)."""
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 2)
    client.force_login(org.personas.focal)
    path = write_csv(tmp_path / "ho-so.csv", DOSSIER_HEADER, [dossier(f"HS-{i}") for i in range(5)])
    upload = SimpleUploadedFile("ho-so.csv", path.read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("registers:imports"), {"register": "dossiers", "file": upload, "source": "import"}
        )
    run = ImportRun.objects.get()
    assert run.status == "pending"
    assert DBTaskResult.objects.ready().count() == 1
    return run


def _waited(seconds):
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=seconds))


def test_no_warning_when_nothing_waits(client, org):
    client.force_login(org.personas.focal)
    assert background_worker_silence() is None
    assert WARNING not in client.get(reverse("registers:imports")).content.decode()


def test_no_warning_while_the_job_has_waited_less_than_the_threshold(client, queued):
    _waited(30)
    assert WARNING not in client.get(reverse("registers:imports")).content.decode()


def test_a_job_waiting_with_no_worker_seen_is_shown_on_the_import_pages(client, org, queued):
    _waited(90)
    silence = background_worker_silence()
    assert silence is not None and silence.last_started is None
    page = client.get(reverse("registers:imports")).content.decode()
    assert WARNING in page
    assert "Chưa thấy tiến trình nền nào nhận việc trong 60 giây qua" in page
    assert "Chưa từng có tiến trình nền nào nhận việc." in page
    detail = client.get(reverse("registers:import", args=[queued.pk])).content.decode()
    assert WARNING in detail
    progress = client.get(reverse("registers:import_progress", args=[queued.pk])).content.decode()
    assert WARNING in progress


def test_a_worker_that_started_a_job_recently_counts_as_seen(client, queued):
    _waited(90)
    DBTaskResult.objects.create(
        task_path="congvu.registers.tasks.import_run_job",
        args_kwargs={"args": [0], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - timedelta(seconds=95),
        status="SUCCESSFUL",
        started_at=timezone.now() - timedelta(seconds=10),
        finished_at=timezone.now() - timedelta(seconds=5),
    )
    assert WARNING not in client.get(reverse("registers:imports")).content.decode()
    # An hour later that worker has been silent too: the warning says when it last took work.
    later = timezone.now() + timedelta(hours=1)
    silence = background_worker_silence(now=later)
    assert silence is not None and silence.last_started is not None


def test_outsider_gets_404_on_the_waiting_run(client, org, queued):
    _waited(90)
    client.force_login(org.personas.outsider)
    assert client.get(reverse("registers:import", args=[queued.pk])).status_code == 404
    assert client.get(reverse("registers:import_progress", args=[queued.pk])).status_code == 404
