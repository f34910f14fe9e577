"""Is a background worker taking work? (#14 item 6)

Work queued through the django.tasks API waits in django-tasks-db's table until a worker
(`congvu db_worker`, started by `make run` / `congvu serve --with-worker`) claims it, stamping its
`started_at`. No worker writes anything while idle, so the table tells what matters to a user: work
has been waiting for longer than WORKER_STALE_SECONDS while no task at all was started in that time —
no worker is running, or every worker is stuck. That is what the import pages show; a worker busy
with a long job while others wait shows the same, and the message says only what is known."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


@dataclass(frozen=True)
class WorkerSilence:
    waiting_since: datetime  # the oldest work that is due and not yet taken
    last_started: datetime | None  # when a worker last took any work (None: never)
    seconds: int  # the threshold, WORKER_STALE_SECONDS


def background_worker_silence(*, now: datetime | None = None) -> WorkerSilence | None:
    """A WorkerSilence when due work has waited longer than WORKER_STALE_SECONDS and no worker has
    started any task within that time; None when work is being taken or nothing waits. Two indexed
    aggregate queries."""
    now = now or timezone.now()
    seconds = settings.WORKER_STALE_SECONDS
    cutoff = now - timedelta(seconds=seconds)
    waiting_since = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    if waiting_since is None or waiting_since > cutoff:
        return None
    last_started = DBTaskResult.objects.aggregate(last=Max("started_at"))["last"]
    if last_started is not None and last_started > cutoff:
        return None
    return WorkerSilence(waiting_since=waiting_since, last_started=last_started, seconds=seconds)


@contextmanager
def heartbeat(beat: Callable[[], None], *, every: int | None = None, name: str = "heartbeat"):
    """Call `beat` at once, then every `every` seconds (IMPORT_HEARTBEAT_SECONDS by default) from a
    thread with its own database connection, until the block ends — also while the block sits in one
    long write transaction. A job killed half-way stops beating, which is how a dead worker is told
    from a slow one (`registers.recovery`, `sampling.services.samples_fail_stale`)."""
    beat()
    seconds = settings.IMPORT_HEARTBEAT_SECONDS if every is None else every
    stop = threading.Event()

    def loop():
        try:
            while not stop.wait(seconds):
                with suppress(DatabaseError):  # SQLite busy with the job's own write: the next beat
                    beat()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
