"""The demo's proposals step: on the small demo, a decided report whose discipline reached the
official's year record, a submitted one waiting for the Chairman, a draft; an intact audit chain."""

import pytest

from congvu.core.audit import audit_verify
from congvu.demo.builder import build_demo
from congvu.evaluation.models import DisciplineRecord
from congvu.proposals.models import Decision, DirectorReport

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_reports_story_up_to_the_chairmans_decision(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    build_demo(seed=1, scale="small", log=lambda *_: None)

    reports = DirectorReport.objects.order_by("pk")
    assert [r.status for r in reports][1:] == ["submitted", "draft"]
    first = reports[0]
    assert first.status in ("decided", "submitted")  # submitted while classifications await
    discipline = first.proposals.get(kind="discipline")
    decision = Decision.objects.get(proposal=discipline)
    assert decision.value == "khien_trach" and not decision.on_behalf
    record = DisciplineRecord.objects.get(pk=decision.discipline_record_id)
    assert record.official == discipline.official and record.form == "khien_trach"
    assert Decision.objects.filter(outcome="changed", value="criticism").exists()
    assert audit_verify().ok
