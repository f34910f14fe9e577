"""Rule sets as data: the §12 defaults, validation naming the field, exact round trips, the choice of
rule set by year and staff type."""

import json
from datetime import date
from fractions import Fraction as F

import pytest

from congvu.evaluation.rules import RULE_SETS, RuleSet, RuleSetError, default_rule_set_code, rule_set_for


def test_nd335_defaults_are_the_readings_of_section_12():
    r = RULE_SETS["nd335_2025"]
    assert (r.general_max, r.task_max) == (30, 70)
    assert (r.quality_deduction, r.progress_deduction) == (F(1, 4), F(1, 4))
    assert r.deduction_reading == "R1"
    assert (r.excellent_min, r.good_min, r.completed_min) == (90, 70, 50)
    assert r.leader_low_ratio == F(1, 2)
    assert (r.quota_ratio, r.quota_ratio_outstanding, r.quota_base) == (F(1, 5), F(1, 4), "final_good")
    assert r.annual_rule == "mean"
    assert r.cap_quantity is True
    assert r.head_not_above_unit is False
    assert all(isinstance(getattr(r, n), F) for n in ("general_max", "quota_ratio", "excellent_min"))


def test_nd90_is_a_conditions_regime_with_the_six_month_rule():
    r = RULE_SETS["nd90_2020"]
    assert r.regime == "conditions"
    assert r.min_months_worked == 6
    assert r.quota_ratio == F(1, 5)


@pytest.mark.parametrize("code", ["nd335_2025", "nd90_2020"])
def test_round_trip_through_json(code):
    mapping = RULE_SETS[code].to_mapping()
    text = json.dumps(mapping)  # JSON-safe
    assert RuleSet.from_mapping(json.loads(text)) == RULE_SETS[code]
    assert mapping["quota_ratio"] == "1/5"


@pytest.mark.parametrize("value", ["1/4", "0.25", "25%", 0.25])
def test_numbers_are_read_exactly_from_their_text(value):
    r = RuleSet.from_mapping({"code": "nd335_2025", "progress_deduction": value})
    assert r.progress_deduction == F(1, 4)


def test_a_float_is_read_through_its_decimal_text():
    r = RuleSet.from_mapping({"code": "nd335_2025", "quota_ratio": 0.1})
    assert r.quota_ratio == F(1, 10)  # not 3602879701896397/36028797018963968


@pytest.mark.parametrize(
    ("mapping", "field"),
    [
        ({"quota_ratio": "2"}, "quota_ratio"),
        ({"quota_ratio": "abc"}, "quota_ratio"),
        ({"deduction_reading": "R3"}, "deduction_reading"),
        ({"cap_quantity": "yes"}, "cap_quantity"),
        ({"good_min": 95}, "excellent_min"),
        ({"general_split": {"a": 10, "b": 10}}, "general_split"),
        ({"tasks_max": 70}, "tasks_max"),
        ({"min_months_worked": -1}, "min_months_worked"),
        ({"quota_ratio_outstanding": "1/10"}, "quota_ratio_outstanding"),
    ],
)
def test_bad_parameter_is_refused_naming_the_field(mapping, field):
    with pytest.raises(RuleSetError) as err:
        RuleSet.from_mapping({"code": "nd335_2025", **mapping})
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")


def test_code_is_required_without_a_base():
    with pytest.raises(RuleSetError) as err:
        RuleSet.from_mapping({"quota_ratio": "1/5"})
    assert err.value.field == "code"


def test_rule_set_for_applies_overrides_to_the_named_default():
    r = rule_set_for("nd335_2025", {"quota_ratio": "1/4"})
    assert r.quota_ratio == F(1, 4)
    assert r.general_max == 30
    with pytest.raises(RuleSetError):
        rule_set_for("nd100_2030")


@pytest.mark.parametrize(
    ("year", "staff_type", "on", "expected"),
    [
        (2025, "civil_servant", date(2025, 12, 10), "nd90_2020"),
        (2026, "civil_servant", date(2026, 1, 1), "nd335_2025"),
        (2026, "public_employee", date(2026, 6, 30), "nd90_2020"),
        (2026, "public_employee", date(2026, 7, 1), "nd335_2025"),
        (2027, "public_employee", date(2027, 1, 5), "nd335_2025"),
        (2025, "public_employee", date(2026, 7, 5), "nd90_2020"),
        (2026, "cadre", date(2026, 12, 1), "nd90_2020"),
    ],
)
def test_default_rule_set_by_year_and_staff_type(year, staff_type, on, expected):
    assert default_rule_set_code(year=year, staff_type=staff_type, on=on) == expected


def test_cadre_rule_set_is_configurable():
    code = default_rule_set_code(
        year=2026, staff_type="cadre", on=date(2026, 12, 1), cadre_rule_set="nd335_2025"
    )
    assert code == "nd335_2025"


def test_unknown_staff_type_is_refused():
    with pytest.raises(RuleSetError) as err:
        default_rule_set_code(year=2026, staff_type="contractor", on=date(2026, 1, 1))
    assert err.value.field == "staff_type"
