"""The year from the approved sheets: mean of the periods worked, override, quota."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.evaluation.models import YearResult
from congvu.evaluation.services import discipline_record, year_compute, year_result_decide
from congvu.evaluation.tests.conftest import approved_sheet as _approved

pytestmark = pytest.mark.django_db


def _results():
    return {r.official.code: r for r in YearResult.objects.select_related("official")}


def test_year_is_the_mean_of_the_periods_and_the_quota_keeps_the_highest(personas, seven):
    year_compute(actor=personas.unit_head, unit=personas.unit, year=2026)
    results = _results()
    assert results["CV-0"].total_fraction == 95 and results["CV-0"].periods == 2
    # 6 people at 70 or more: E ≤ 20 % × (6 − E) → 1 place; 95 keeps it, 92 is over the quota.
    assert (results["CV-0"].band, results["CV-0"].over_quota) == ("xuat_sac", False)
    assert (results["CV-1"].band_by_score, results["CV-1"].band, results["CV-1"].over_quota) == (
        "xuat_sac",
        "tot",
        True,
    )
    assert results["CV-6"].band == "hoan_thanh"
    assert any("vượt tỷ lệ" in line["text"] for line in results["CV-1"].explanation["quota"])


def test_reprimand_forces_not_completed_and_leaves_the_quota(personas, seven):
    discipline_record(
        actor=personas.lead,
        official=seven[0],
        form="canh_cao",
        effective_date=date(2026, 9, 1),
        decision_number="5/QĐ",
        decision_date=date(2026, 8, 30),
        public_duty_violation=True,
    )
    year_compute(actor=personas.lead, unit=personas.unit, year=2026)
    results = _results()
    assert (results["CV-0"].band_by_score, results["CV-0"].band) == ("xuat_sac", "khong_hoan_thanh")
    assert results["CV-0"].override == "reprimand_or_higher_in_year"
    # Five left at 70 or more: no place at 20 % (flagged by the engine as harsh for small groups).
    assert results["CV-1"].over_quota and results["CV-1"].band == "tot"


def test_outstanding_organisation_raises_the_quota(personas, seven):
    year_compute(actor=personas.lead, unit=personas.unit, year=2026, organisation_recognised_outstanding=True)
    # 25 %: E ≤ (6 − E)/4 → 1 place still; the explanation names the 25 % ratio.
    result = _results()["CV-0"]
    assert any("25%" in line["text"] for line in result.explanation["quota"])


def test_unapproved_sheets_do_not_count_and_decisions_are_kept(personas, seven):
    _approved(seven[6], personas.unit, 2, "100", status="reviewed")
    year_result_decide(
        actor=personas.unit_head,
        official=seven[1],
        year=2026,
        band="xuat_sac",
        decision_document="QĐ 99/QĐ-SXD",
    )
    year_compute(actor=personas.unit_head, unit=personas.unit, year=2026)
    results = _results()
    assert results["CV-6"].total_fraction == 60 and results["CV-6"].periods == 1
    assert results["CV-1"].band == "xuat_sac" and results["CV-1"].over_quota and results["CV-1"].is_decided


def test_year_without_approved_sheets_is_refused(personas, people):
    with pytest.raises(ValidationError):
        year_compute(actor=personas.lead, unit=personas.unit, year=2026)


def test_only_the_unit_head_or_the_lead_computes(personas, seven):
    with pytest.raises(PermissionDenied):
        year_compute(actor=personas.focal, unit=personas.unit, year=2026)
    with pytest.raises(PermissionDenied):
        year_compute(actor=personas.outsider_head, unit=personas.unit, year=2026)
    assert not YearResult.objects.exists()


def test_after_a_transfer_the_new_unit_rates_with_the_old_units_periods(personas, seven):
    from congvu.org.models import Appointment

    moved = seven[3]  # 75 in Q1 at personas.unit
    Appointment.objects.create(
        official=moved, unit=personas.other_unit, role="other", title="Chuyên viên", start=date(2026, 4, 1)
    )
    _approved(moved, personas.other_unit, 2, "85")
    year_compute(actor=personas.lead, unit=personas.unit, year=2026)
    assert not YearResult.objects.filter(official=moved).exists()  # not the old unit's to rate
    year_compute(actor=personas.lead, unit=personas.other_unit, year=2026)
    result = YearResult.objects.get(official=moved)
    assert (result.unit, result.periods, result.total_fraction) == (personas.other_unit, 2, 80)
