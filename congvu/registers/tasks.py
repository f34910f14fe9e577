"""Background jobs of the registers (django-tasks, database backend; `congvu db_worker` runs them).
Jobs are thin: they take an id, load, call a service (STYLE §13)."""

from django_tasks import task


@task()
def import_run_job(run_id: int) -> str:
    """Run a large import that the upload page recorded and enqueued after its commit."""
    from congvu.registers.recovery import heartbeat, import_runs_fail_stale
    from congvu.registers.services import import_run_process

    import_runs_fail_stale()  # a worker that starts a job also reports the imports of dead workers
    with heartbeat(run_id):
        return import_run_process(run_id=run_id).status
