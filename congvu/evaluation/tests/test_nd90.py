"""Decree 90/2020 as amended by Decree 48/2023: bands by conditions, discipline, working time."""

import pytest

from congvu.evaluation.rules import RULE_SETS
from congvu.evaluation.scoring import Discipline, Nd90Input, ScoringError, score_nd90

ND90 = RULE_SETS["nd90_2020"]


def staff(**kwargs):
    base = {
        "role": "staff",
        "general_criteria_level": "tot",
        "tasks_total": 10,
        "tasks_completed": 10,
        "tasks_on_time_quality": 10,
        "tasks_exceeded": 5,
    }
    return Nd90Input(**{**base, **kwargs})


def test_all_on_time_with_half_exceeded_is_excellent():
    result = score_nd90(staff(), ND90)
    assert (result.band, result.decided_by) == ("xuat_sac", "xs_conditions")


def test_all_on_time_with_less_than_half_exceeded_is_good():
    result = score_nd90(staff(tasks_exceeded=4), ND90)  # 40 % < 50 %
    assert (result.band, result.decided_by) == ("tot", "tot_conditions")


def test_twenty_percent_short_is_completed():
    result = score_nd90(staff(tasks_on_time_quality=8), ND90)  # 2/10 = 20 % short ≤ 20 %
    assert (result.band, result.decided_by) == ("hoan_thanh", "ht_conditions")


def test_thirty_percent_short_falls_between_bands_and_is_not_completed():
    result = score_nd90(staff(tasks_on_time_quality=7), ND90)  # 30 %: not ≤ 20 %, not > 50 %
    assert (result.band, result.decided_by) == ("khong_hoan_thanh", "gap")


def test_more_than_half_short_is_not_completed_explicitly():
    result = score_nd90(staff(tasks_on_time_quality=4), ND90)  # 60 % > 50 %
    assert (result.band, result.decided_by) == ("khong_hoan_thanh", "kht_short")


def test_general_criteria_only_met_caps_at_completed():
    result = score_nd90(staff(general_criteria_level="dat"), ND90)
    assert result.band == "hoan_thanh"


def test_discipline_in_the_year_overrides_and_keeps_the_band_by_conditions():
    result = score_nd90(staff(discipline=Discipline(reprimand_or_higher_in_year=True)), ND90)
    assert (result.band_by_conditions, result.band) == ("xuat_sac", "khong_hoan_thanh")
    assert result.decided_by == "override:reprimand_or_higher_in_year"


def test_under_six_months_worked_is_not_classified_unless_maternity():
    result = score_nd90(staff(months_worked=5), ND90)
    assert (result.classified, result.band, result.decided_by) == (False, None, "working_time")
    maternity = score_nd90(staff(months_worked=5, maternity_leave=True), ND90)
    assert maternity.classified and maternity.band == "xuat_sac"
    assert score_nd90(staff(months_worked=6), ND90).classified


def test_three_to_six_months_of_leave_caps_at_completed():
    assert score_nd90(staff(leave_months=3), ND90).band == "hoan_thanh"
    assert score_nd90(staff(leave_months=2), ND90).band == "xuat_sac"


def leader(**kwargs):
    base = {
        "role": "head",
        "unit_targets_total": 10,
        "unit_targets_completed": 10,
        "unit_targets_on_time_quality": 10,
        "unit_targets_exceeded": 5,
        "subunits_total": 10,
        "subunits_completed_or_better": 10,
        "subunits_good_or_better": 7,
    }
    return staff(**{**base, **kwargs})


def test_leader_excellent_needs_seventy_percent_of_subunits_good():
    assert score_nd90(leader(), ND90).band == "xuat_sac"
    # 6/10 subunits good → not excellent; unit all on time → good.
    assert score_nd90(leader(subunits_good_or_better=6), ND90).band == "tot"


def test_leader_unit_completing_under_half_is_not_completed():
    result = score_nd90(
        leader(unit_targets_completed=4, unit_targets_on_time_quality=4, unit_targets_exceeded=0), ND90
    )
    assert (result.band, result.decided_by) == ("khong_hoan_thanh", "kht_unit")


def test_leader_unit_corruption_overrides_but_not_for_staff():
    flag = Discipline(unit_corruption_handled=True)
    assert score_nd90(leader(discipline=flag), ND90).band == "khong_hoan_thanh"
    assert score_nd90(staff(discipline=flag), ND90).band == "xuat_sac"


def test_inconsistent_counts_are_refused_naming_the_field():
    with pytest.raises(ScoringError) as err:
        score_nd90(staff(tasks_on_time_quality=11), ND90)
    assert err.value.field == "conditions.tasks_on_time_quality"


def test_points_rule_set_refuses_conditions():
    with pytest.raises(ScoringError) as err:
        score_nd90(staff(), RULE_SETS["nd335_2025"])
    assert err.value.field == "rule_set"
