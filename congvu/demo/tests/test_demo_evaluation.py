"""The demo's evaluation step on the small demo: 2025 under Decree 90/48, 2026 under Decree 335 with
sheets in every state, a quota conflict and a discipline override."""

import pytest

from congvu.demo.builder import build_demo
from congvu.evaluation.models import DisciplineRecord, PeriodSheet, SheetProduct, SheetStatus, YearResult

pytestmark = pytest.mark.django_db


def test_the_demo_rates_2025_by_conditions_and_2026_by_points(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ctx = build_demo(seed=1, scale="small", log=lambda *_: None)
    unit = ctx.data["evaluation_unit"]
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
