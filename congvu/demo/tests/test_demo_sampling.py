"""The demo's sampling step: on the small demo, samples at every stage of the story, drawn through the
services so that each draw verifies, reviewed in agreement with the registers, with findings from
reviews, and an intact audit chain."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from congvu.core.audit import audit_verify
from congvu.demo.builder import build_demo
from congvu.inspections.models import Finding
from congvu.sampling.models import ApologySlip, Review, Sample, SampleStatus, Tristate
from congvu.sampling.policy import CREATE_STATUSES

pytestmark = pytest.mark.django_db


def test_the_demo_draws_reviews_and_records_findings_from_samples(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the reviews' evidence files
    build_demo(seed=1, scale="small", log=lambda *_: None)  # one build: the whole small demo is slow

    samples = Sample.objects.select_related("inspection")
    assert 1 <= samples.count() <= 4
    assert all(s.inspection.status in CREATE_STATUSES for s in samples)
    assert all(s.commitment_reference for s in samples)
    assert samples.filter(status=SampleStatus.COMMITTED).exists()  # one waits for its draw

    drawn = samples.filter(status=SampleStatus.DRAWN)
    assert drawn.exists()
    for sample in drawn:
        assert sample.items.exists()
        out = StringIO()
        call_command("sample", "verify", str(sample.pk), stdout=out)  # CommandError on a mismatch
        assert f"Mẫu #{sample.pk} khớp" in out.getvalue()

    reviews = Review.objects.filter(item__dossier__isnull=False)
    assert reviews.exists()
    assert reviews.filter(deviation=True).exists()
    from_reviews = Finding.objects.filter(pk__in=reviews.exclude(finding=None).values("finding"))
    assert from_reviews.exists()
    for finding in from_reviews:
        assert finding.source.startswith("Chọn mẫu #")
        assert finding.dossiers.exists()

    # The answers about dates and apology slips are what the registers show.
    done = reviews.filter(item__dossier__completed_on__isnull=False)
    late = done.filter(item__dossier__completed_on__gt=F("item__dossier__due_on"))
    assert not late.exclude(on_time=Tristate.NO).exists()
    assert not done.exclude(pk__in=late).exclude(on_time=Tristate.YES).exists()
    assert not reviews.filter(on_time=Tristate.NO, apology_slip=ApologySlip.NOT_NEEDED).exists()
    assert not reviews.filter(apology_slip=ApologySlip.MISSING, item__dossier__apology_slip=True).exists()

    assert audit_verify().ok
