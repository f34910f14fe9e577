"""A background import whose worker died (issue #14 item 10).

The job (`tasks.import_run_job`) runs the import under `heartbeat(run_id)`: a thread writes
`ImportRun.heartbeat_at` every IMPORT_HEARTBEAT_SECONDS on its own connection, also while the import
sits in its one long write transaction. A worker killed half-way stops beating; its transaction dies
with its connection, so none of its rows is stored. `import_runs_fail_stale` (run by
`congvu recover_imports`, e.g. from a timer) marks a run silent for longer than IMPORT_STALE_SECONDS
failed, and `import_run_retry` puts a failed run back in the queue."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from congvu.core.audit import audit_record
from congvu.core.workers import heartbeat as worker_heartbeat
from congvu.registers.models import ImportRun

Status = ImportRun.Status


def _beat(run_id: int) -> None:
    ImportRun.objects.filter(pk=run_id, status__in=[Status.PENDING, Status.RUNNING]).update(
        heartbeat_at=timezone.now()
    )


def heartbeat(run_id: int):
    """Beat at once, then every IMPORT_HEARTBEAT_SECONDS until the block ends."""
    return worker_heartbeat(lambda: _beat(run_id), name=f"import-heartbeat-{run_id}")


def import_runs_fail_stale(*, stale_seconds: int | None = None) -> list[int]:
    """Mark failed every pending or running background import whose heartbeat is older than the
    limit; returns their ids. Each one in its own transaction, audited."""
    limit = settings.IMPORT_STALE_SECONDS if stale_seconds is None else stale_seconds
    cutoff = timezone.now() - timedelta(seconds=limit)
    stale = ImportRun.objects.filter(
        status__in=[Status.PENDING, Status.RUNNING], heartbeat_at__isnull=False, heartbeat_at__lte=cutoff
    ).values_list("pk", flat=True)
    failed = []
    for run_id in list(stale):
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().get(pk=run_id)
            if run.status not in (Status.PENDING, Status.RUNNING) or run.heartbeat_at > cutoff:
                continue  # it beat or finished meanwhile
            last = timezone.localtime(run.heartbeat_at)
            message = (
                f"Tiến trình nền dừng giữa chừng (không có tín hiệu sống từ {last:%d/%m/%Y %H:%M:%S}): "
                "không dòng nào được lưu; có thể chạy lại lần nhập này."
            )
            run.status = Status.FAILED
            run.finished_at = timezone.now()
            run.errors = [{"row": None, "column": None, "header": "", "value": "", "message": message}]
            run.error_count = 1
            run.save(update_fields=["status", "finished_at", "errors", "error_count"])
            audit_record(
                actor="system",
                action="import_run.worker_lost",
                obj=run,
                after={"heartbeat_at": run.heartbeat_at, "stale_seconds": limit},
            )
            failed.append(run.pk)
    return failed


def import_run_retry(*, actor, run: ImportRun) -> ImportRun:
    """Queue a failed background import again, from its stored file."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != Status.FAILED:
            raise ValidationError({"status": "Chỉ chạy lại được một lần nhập bị lỗi hệ thống."})
        if not run.file or not run.file.storage.exists(run.file.name):
            raise ValidationError({"file": "Tệp của lần nhập này không còn: tải tệp lên lại."})
        run.status = Status.PENDING
        run.finished_at = None
        run.heartbeat_at = None
        run.rows_done = run.created_count = run.updated_count = run.unchanged_count = run.error_count = 0
        run.errors = []
        run.save()
        audit_record(actor=actor, action="import_run.retry", obj=run)

        def enqueue():
            from congvu.registers.services import _enqueue

            _enqueue(run.pk)

        transaction.on_commit(enqueue)
    return run
