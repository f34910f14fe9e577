"""A background import whose worker dies (issue #14 item 10): the heartbeat goes silent, the run is
marked failed with nothing of it stored, and it can be run again. The last test kills a real
`congvu db_worker` process with SIGKILL in the middle of an import."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection
from django.utils import timezone

from congvu.core.audit import audit_verify
from congvu.core.models import AuditEvent
from congvu.registers.models import Dossier, ImportRun
from congvu.registers.recovery import heartbeat, import_run_retry, import_runs_fail_stale
from congvu.registers.tasks import import_run_job
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv


def _pending_run(org, tmp_path, rows) -> ImportRun:
    path = write_csv(tmp_path / "d.csv", DOSSIER_HEADER, rows)
    run = ImportRun(
        register="dossiers", created_by=org.personas.focal, unit=org.unit, file_name="d.csv", sha256="0" * 64
    )
    with path.open("rb") as fh:
        run.file.save("d.csv", File(fh), save=False)
    run.save()
    return run


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_a_silent_running_import_is_marked_failed_and_a_beating_one_is_left(org, tmp_path, media):
    dead = _pending_run(org, tmp_path, [dossier("HS-1")])
    alive = _pending_run(org, tmp_path, [dossier("HS-2")])
    never_started = _pending_run(org, tmp_path, [dossier("HS-3")])
    now = timezone.now()
    ImportRun.objects.filter(pk=dead.pk).update(status="running", heartbeat_at=now - timedelta(minutes=6))
    ImportRun.objects.filter(pk=alive.pk).update(status="running", heartbeat_at=now - timedelta(seconds=20))

    assert import_runs_fail_stale(stale_seconds=300) == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.finished_at is not None
    assert "Tiến trình nền dừng giữa chừng" in dead.errors[0]["message"]
    assert ImportRun.objects.get(pk=alive.pk).status == "running"
    assert ImportRun.objects.get(pk=never_started.pk).status == "pending"  # queued, no worker yet
    assert AuditEvent.objects.filter(action="import_run.worker_lost", object_id=str(dead.pk)).exists()


@pytest.mark.django_db
def test_a_failed_import_runs_again_from_its_file(org, tmp_path, media):
    run = _pending_run(org, tmp_path, [dossier("HS-1"), dossier("HS-2")])
    ImportRun.objects.filter(pk=run.pk).update(status="failed", heartbeat_at=timezone.now(), error_count=1)
    run.refresh_from_db()
    import_run_retry(actor=org.personas.admin, run=run)
    run.refresh_from_db()
    assert (run.status, run.error_count, run.heartbeat_at) == ("pending", 0, None)
    assert import_run_job.call(run.pk) == "stored"
    assert Dossier.objects.count() == 2


@pytest.mark.django_db
def test_only_a_failed_import_can_be_run_again(org, tmp_path, media):
    run = _pending_run(org, tmp_path, [dossier("HS-1")])
    with pytest.raises(ValidationError):
        import_run_retry(actor=org.personas.admin, run=run)


@pytest.mark.django_db
def test_the_job_beats_while_it_runs(org, tmp_path, media):
    run = _pending_run(org, tmp_path, [dossier("HS-1")])
    with heartbeat(run.pk):
        run.refresh_from_db()
        assert run.heartbeat_at is not None
    assert import_run_job.call(run.pk) == "stored"


def _worker_status(url_kind, db_file, run_id):
    if url_kind == "sqlite":
        with sqlite3.connect(db_file, timeout=30) as db:
            return db.execute(
                "SELECT status, rows_done, heartbeat_at FROM registers_importrun WHERE id = ?", [run_id]
            ).fetchone()
    run = ImportRun.objects.get(pk=run_id)
    return run.status, run.rows_done, run.heartbeat_at


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_an_import_leaves_nothing_and_the_run_fails(org, tmp_path, media):
    """The worker is a real `congvu db_worker` process on this test's database (on SQLite, a file copy
    of it, copied back afterwards); it is killed with SIGKILL once the import has made progress."""
    rows = [dossier(f"HS-{i:06d}") for i in range(40_000)]
    run = _pending_run(org, tmp_path, rows)
    import_run_job.enqueue(run.pk)

    env = {
        **os.environ,
        "CONGVU_MEDIA_ROOT": str(media),
        "CONGVU_VAR_DIR": str(tmp_path / "var"),
        "CONGVU_IMPORT_HEARTBEAT_SECONDS": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    db_file = tmp_path / "worker.sqlite3"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(db_file)
        connection.connection.backup(dest)
        dest.close()
        env["DATABASE_URL"] = f"sqlite:///{db_file}"
    else:
        conf = connection.settings_dict
        auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{conf['HOST'] or 'localhost'}:{conf['PORT'] or 5432}/{conf['NAME']}"
        )

    worker = subprocess.Popen(
        [sys.executable, "-m", "congvu.cli", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            status, rows_done, beat = _worker_status(connection.vendor, db_file, run.pk)
            if status == "running" and rows_done and beat:
                break
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            assert status in ("pending", "running"), f"the import ended before the kill: {status}"
            assert time.monotonic() < deadline, "the worker never started the import"
            time.sleep(0.2)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stderr.close()

    if connection.vendor == "sqlite":
        src = sqlite3.connect(db_file)
        connection.ensure_connection()
        src.backup(connection.connection)
        src.close()

    run.refresh_from_db()
    assert run.status == "running" and run.heartbeat_at is not None  # what the dead worker left
    assert not Dossier.objects.exists()
    assert import_runs_fail_stale(stale_seconds=0) == [run.pk]
    run.refresh_from_db()
    assert run.status == "failed"
    assert not Dossier.objects.exists()
    assert audit_verify().ok

    import_run_retry(actor=org.personas.admin, run=run)
    assert import_run_job.call(run.pk) == "stored"
    assert Dossier.objects.count() == len(rows)
