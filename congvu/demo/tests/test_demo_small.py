"""The whole small demo, built once for this module (the one test of the demo itself, issue #12):
each step's story, checked on the same build. Every test runs in its own savepoint inside the
build's transaction, which is rolled back when the module ends, so nothing of it reaches the other
tests of the process."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings

from congvu.core.audit import audit_verify
from congvu.demo.builder import build_demo
from congvu.documents.models import Document, Issuer
from congvu.evaluation.models import DisciplineRecord, PeriodSheet, SheetProduct, SheetStatus, YearResult
from congvu.inspections.models import Finding
from congvu.proposals.models import Decision, DirectorReport
from congvu.sampling.models import ApologySlip, Review, Sample, SampleStatus, Tristate
from congvu.sampling.policy import CREATE_STATUSES

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo (seed 1), built once in a transaction that is rolled back at the end of the
    module. The documents step writes files (MEDIA_ROOT in a temporary folder) and enqueues nothing
    for real (the dummy task backend)."""
    media = tmp_path_factory.mktemp("demo-media")
    tasks = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, TASKS=tasks):
        try:
            with transaction.atomic():
                ctx = build_demo(seed=1, scale="small", log=lambda *_: None)
                yield ctx
                raise _Rollback
        except _Rollback:
            pass


def test_the_demo_has_an_issuing_body_an_issued_notice_and_a_draft(demo):
    issuer = Issuer.objects.get(is_default=True)
    assert (issuer.abbreviation, issuer.unit.code) == ("SNV", "VL-SNV") and issuer.signer_name
    notice = Document.objects.get(kind="notice", status="issued")
    assert notice.code == "1/TB-SNV" and notice.addressed_unit == notice.inspection.unit
    with notice.docx.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == notice.docx_sha256
    assert Document.objects.filter(kind="minutes", status="draft", inspection__kind="surprise").exists()
    assert issuer.counters.get(year=2026, number_code="QĐ").last_number == 150
    assert audit_verify().ok


def test_the_demo_rates_2025_by_conditions_and_2026_by_points(demo):
    unit = demo.data["evaluation_unit"]
    assert set(YearResult.objects.filter(year=2025, unit=unit).values_list("rule_set", flat=True)) == {
        "nd90_2020"
    }
    assert YearResult.objects.filter(year=2025, unit=unit).exclude(decided_band="").count() >= 5
    sheets = PeriodSheet.objects.filter(unit=unit, year=2026)
    assert set(sheets.values_list("rule_set", flat=True)) == {"nd335_2025"}
    assert set(sheets.filter(period_number=3).values_list("status", flat=True)) == set(SheetStatus.values)
    assert (
        sheets.filter(period_number__in=[1, 2])
        .exclude(status="approved")
        .filter(score__error__isnull=True)
        .count()
        == 0
    )
    # Some product carries an excuse (an exclude across the relation would drop every sheet that
    # also has an unexcused product, i.e. every leader's sheet once directed tasks are products).
    assert SheetProduct.objects.filter(sheet__in=sheets).exclude(excuse_document="").exists()
    results = YearResult.objects.filter(year=2026, unit=unit)
    assert results.filter(over_quota=True).count() >= 2
    reprimanded = DisciplineRecord.objects.filter(unit=unit, decision_number="145/QĐ-SXD").get().official
    assert results.get(official=reprimanded).override == "reprimand_or_higher_in_year"
    assert results.get(official=reprimanded).band == "khong_hoan_thanh"


def test_the_demo_tells_the_reports_story_up_to_the_chairmans_decision(demo):
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


def test_the_demo_draws_reviews_and_records_findings_from_samples(demo):
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
