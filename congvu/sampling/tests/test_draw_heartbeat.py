"""A queued draw whose background worker dies (issue #14 items 10–11): the worker writes a heartbeat
while it ranks and writes; a draw silent for longer than IMPORT_STALE_SECONDS goes back to "committed"
with the reason shown, nothing of it stored and the seed still sealed, and can be asked for again."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from congvu.core.models import AuditEvent
from congvu.sampling import services
from congvu.sampling.models import Sample, SampleStatus
from congvu.sampling.tasks import sample_draw_job
from congvu.sampling.tests.conftest import make_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(personas, inspection, records, settings, django_capture_on_commit_callbacks):
    settings.SAMPLING_BACKGROUND_RECORDS = 100
    sample = make_sample(personas, inspection)
    with django_capture_on_commit_callbacks(execute=False):
        sample = services.sample_draw(actor=personas.inspector, sample=sample)
    assert sample.status == SampleStatus.QUEUED
    return sample


def _silent_since(sample, minutes):
    Sample.objects.filter(pk=sample.pk).update(draw_heartbeat_at=timezone.now() - timedelta(minutes=minutes))


def test_the_worker_beats_while_it_draws(queued, monkeypatch):
    beats = []
    real_prepare = services._prepare_draw

    def watching(sample, seed, progress=None):
        beats.append(Sample.objects.values_list("draw_heartbeat_at", flat=True).get(pk=sample.pk))
        return real_prepare(sample, seed, progress)

    monkeypatch.setattr(services, "_prepare_draw", watching)
    assert sample_draw_job.call(queued.pk) == SampleStatus.DRAWN
    assert beats and beats[0] is not None  # the first beat comes before any work


def test_a_silent_draw_goes_back_to_committed_and_can_be_drawn_again(queued, personas):
    _silent_since(queued, 6)
    assert services.samples_fail_stale() == [queued.pk]
    queued.refresh_from_db()
    assert queued.status == SampleStatus.COMMITTED
    assert "Tiến trình nền dừng giữa chừng" in queued.draw_error
    assert not queued.items.exists() and queued.seed == "" and queued.seed_sealed
    event = AuditEvent.objects.get(action="sample.draw_worker_lost", object_id=str(queued.pk))
    assert event.actor is None and event.actor_label == "system"

    again = services.sample_draw(actor=personas.inspector, sample=queued, background=False)
    assert again.is_drawn and again.items.count() == 31


def test_a_draw_that_beat_recently_or_was_never_taken_is_left_alone(queued, personas, inspection):
    _silent_since(queued, 1)  # beat a minute ago: alive
    waiting = make_sample(personas, inspection)
    Sample.objects.filter(pk=waiting.pk).update(status=SampleStatus.QUEUED)  # never taken: no heartbeat
    assert services.samples_fail_stale() == []
    assert set(Sample.objects.filter(status=SampleStatus.QUEUED).values_list("pk", flat=True)) == {
        queued.pk,
        waiting.pk,
    }


def test_the_command_reports_dead_draws(queued, capsys):
    _silent_since(queued, 6)
    call_command("recover_draws")
    assert f"Mẫu #{queued.pk}" in capsys.readouterr().out
    queued.refresh_from_db()
    assert queued.status == SampleStatus.COMMITTED
    call_command("recover_draws")
    assert "Không có lần rút mẫu nền nào" in capsys.readouterr().out
