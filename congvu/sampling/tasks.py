"""Background jobs of sampling (django-tasks, database backend; `congvu db_worker` runs them).
Jobs are thin: they take an id, load, call a service (STYLE §13)."""

from django_tasks import task


@task()
def sample_draw_job(sample_id: int) -> str:
    """Draw a large sample that `services.sample_draw` queued and enqueued after its commit."""
    from congvu.sampling.services import sample_draw_process, samples_fail_stale

    samples_fail_stale()  # a worker that starts a draw also reports the draws of dead workers
    return sample_draw_process(sample_id=sample_id).status
