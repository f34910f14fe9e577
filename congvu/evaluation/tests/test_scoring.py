"""Sheet and year scoring under Decree 335/2025, every expected figure computed by hand in the comments.

Formulas (defaults, §12 of decree-335.md): staff task points = (a + b + c) / 3 × 70 / 100, leaders
(a + b + c + d + đ + e) / 6 × 70 / 100; total = general + task points; bands ≥ 90 / ≥ 70 / ≥ 50.
"""

from fractions import Fraction as F

import pytest

from congvu.evaluation.rules import RULE_SETS, RuleSet
from congvu.evaluation.scoring import (
    Discipline,
    LeaderInput,
    Product,
    ScoringError,
    SheetInput,
    Subordinate,
    band_for,
    score_sheet,
    score_year,
)

ND335 = RULE_SETS["nd335_2025"]


def product(pid, weight, *, completed=True, assigned=True, delays=0, failures=0, excused=False, field=None):
    return Product(
        id=pid,
        assigned=assigned,
        completed=completed,
        on_time=delays == 0,
        quality_ok=failures == 0,
        delays=delays,
        quality_failures=failures,
        excused=excused,
        weight=F(weight),
        field=field,
    )


NO_DISCIPLINE = Discipline()


def staff(general, *products, discipline=NO_DISCIPLINE):
    return SheetInput(
        role="staff", general_points={"chung": F(general)}, products=products, discipline=discipline
    )


def test_full_tasks_and_20_general_points_is_exactly_90_and_excellent():
    # a = b = c = 100 → task = 300 / 3 × 0.7 = 70; total = 20 + 70 = 90 → xuat_sac (≥ 90).
    score = score_sheet(staff(20, product("NV-1", 1)), ND335)
    assert (score.a, score.b, score.c) == (100, 100, 100)
    assert score.task_points == 70
    assert score.total == 90
    assert score.band == score.band_by_score == "xuat_sac"


def test_just_under_90_is_good_not_excellent():
    # general 19.99 + task 70 = 89.99 = 8999/100 < 90 → tot.
    score = score_sheet(staff(F(1999, 100), product("NV-1", 1)), ND335)
    assert score.total == F(8999, 100)
    assert score.band == "tot"


def test_exactly_70_is_good_and_just_under_is_completed():
    # 4 products of weight 1, one not completed: a = b = c = 3/4 = 75 % → task = 75 × 0.7 = 52.5.
    products = (product("P1", 1), product("P2", 1), product("P3", 1), product("P4", 1, completed=False))
    at = score_sheet(staff(F(35, 2), *products), ND335)  # 17.5 + 52.5 = 70
    under = score_sheet(staff(F(1749, 100), *products), ND335)  # 17.49 + 52.5 = 69.99
    assert at.task_points == F(105, 2)
    assert (at.total, at.band) == (70, "tot")
    assert (under.total, under.band) == (F(6999, 100), "hoan_thanh")


def test_exactly_50_is_completed_and_just_under_is_not_completed():
    # 2 products of weight 1, one not completed (stays in the denominator): a = b = c = 50 % → task 35.
    products = (product("P1", 1), product("P2", 1, completed=False))
    at = score_sheet(staff(15, *products), ND335)  # 15 + 35 = 50
    under = score_sheet(staff(F(1499, 100), *products), ND335)  # 14.99 + 35 = 49.99
    assert (at.a, at.b, at.c) == (50, 50, 50)
    assert (at.total, at.band) == (50, "hoan_thanh")
    assert (under.total, under.band) == (F(4999, 100), "khong_hoan_thanh")


def test_band_for_boundaries():
    assert band_for(F(90), ND335) == "xuat_sac"
    assert band_for(F(8999, 100), ND335) == "tot"
    assert band_for(F(70), ND335) == "tot"
    assert band_for(F(6999, 100), ND335) == "hoan_thanh"
    assert band_for(F(50), ND335) == "hoan_thanh"
    assert band_for(F(4999, 100), ND335) == "khong_hoan_thanh"


def test_unexcused_delay_costs_a_quarter_of_that_products_progress_points():
    # P1 (weight 1) late once, P2 (weight 1) on time: c = (1 − 1/4 + 1) / 2 = 7/8 = 87.5 %.
    # task = (100 + 100 + 87.5) / 3 × 0.7 = 287.5 × 7 / 30 = 805/12 ≈ 67.0833; the delay costs
    # 70 − 805/12 = 35/12 points of the total.
    score = score_sheet(staff(30, product("NV-2026-031", 1, delays=1), product("P2", 1)), ND335)
    assert score.c == F(175, 2)
    assert score.task_points == F(805, 12)
    assert score.total == 30 + F(805, 12)
    line = next(x for x in score.explanation if x.kind == "progress_deduction")
    assert line.product_id == "NV-2026-031"
    assert line.points == -F(35, 12)
    assert "trễ hạn 1 lần: trừ 25% điểm tiến độ" in line.text
    assert "không có xác nhận nguyên nhân khách quan" in line.text
    assert score.products[0].progress_deduction == F(1, 4)


def test_excused_delay_costs_nothing():
    # The same sheet with the delay excused: c = 100 % → task 70, total 100.
    score = score_sheet(staff(30, product("NV-2026-031", 1, delays=1, excused=True), product("P2", 1)), ND335)
    assert score.c == 100
    assert score.total == 100
    assert not [x for x in score.explanation if x.kind == "progress_deduction"]
    assert [x.product_id for x in score.explanation if x.kind == "excused"] == ["NV-2026-031"]


def test_two_delays_on_one_product_cost_half_of_its_progress_points():
    # One product of weight 2 late twice: c = (2 − 2 × 2/4) / 2 = 50 %; a = b = 100.
    # task = 250 / 3 × 0.7 = 175/3 ≈ 58.33.
    score = score_sheet(staff(0, product("P1", 2, delays=2)), ND335)
    assert score.c == 50
    assert score.task_points == F(175, 3)
    assert score.products[0].progress_deduction == 1


@pytest.mark.parametrize(
    ("failures", "expected_b"),
    [(1, 75), (3, 25), (4, 0), (5, 0), (9, 0)],  # 100 − 25 × n, floor 0
)
def test_quality_failures_deduct_a_quarter_each_down_to_zero(failures, expected_b):
    score = score_sheet(staff(0, product("P1", 1, failures=failures)), ND335)
    assert score.b == expected_b
    assert score.a == score.c == 100
    # task = (100 + b + 100) / 3 × 0.7
    assert score.task_points == (200 + F(expected_b)) / 3 * F(7, 10)


def test_strict_ratio_reading_gives_a_late_product_nothing_in_progress():
    # R2: a late product earns 0 in c: c = 1/2 = 50 % (R1 would give 87.5 %).
    rules = RuleSet.from_mapping({"deduction_reading": "R2"}, base=ND335)
    score = score_sheet(staff(0, product("P1", 1, delays=1), product("P2", 1)), rules)
    assert score.c == 50


def test_more_completed_than_assigned_is_capped_at_100_percent():
    # Assigned 1, completed 1 + an extra 1 unassigned: a = 2/1 = 200 % → capped to 100.
    score = score_sheet(staff(0, product("P1", 1), product("X", 1, assigned=False)), ND335)
    assert score.a == 100
    assert score.task_points == 70


def test_float_trap_weights_still_give_exactly_90():
    # Weights 2.4 (late once), 0.3, 0.8: W = 3.5, c = (3.5 − 0.6) / 3.5 = 29/35;
    # task = (200 + 2900/35) / 3 × 0.7 = (1980/7) / 3 × 7/10 = 66; general 24 → 90 exactly.
    # The same arithmetic in binary floats gives 89.99999999999999 (and would rate "tốt").
    products = (product("P1", "2.4", delays=1), product("P2", "0.3"), product("P3", "0.8"))
    score = score_sheet(staff(24, *products), ND335)
    assert score.task_points == 66
    assert score.total == 90
    assert score.band == "xuat_sac"
    w = [2.4, 0.3, 0.8]
    c_float = (sum(w) - 0.25 * w[0]) / sum(w) * 100
    assert 24 + (200 + c_float) / 3 * 0.7 < 90  # the trap exists


def test_override_forces_not_completed_and_keeps_the_band_by_score():
    score = score_sheet(
        staff(20, product("P1", 1), discipline=Discipline(reprimand_or_higher_in_year=True)), ND335
    )
    assert score.total == 90
    assert score.band_by_score == "xuat_sac"
    assert score.band == "khong_hoan_thanh"
    assert score.override == "reprimand_or_higher_in_year"
    assert any(x.kind == "override" and "khiển trách" in x.text for x in score.explanation)


def test_unit_corruption_override_does_not_apply_to_staff():
    score = score_sheet(
        staff(20, product("P1", 1), discipline=Discipline(unit_corruption_handled=True)), ND335
    )
    assert score.band == "xuat_sac"
    assert score.override is None


def leader_sheet(role, products, subordinates, *, portfolio=None, unit_ok=True, unity_ok=True, general=30):
    return SheetInput(
        role=role,
        general_points={"chung": F(general)},
        products=tuple(products),
        leader=LeaderInput(
            portfolio_fields=portfolio,
            subordinates=tuple(subordinates),
            unit_all_planned_tasks_on_time_and_quality=unit_ok,
            unity_ok=unity_ok,
        ),
    )


def test_head_whose_subordinate_is_below_50_gets_d_of_50():
    # a = b = c = 100, d = 50 (one subordinate at 49.99), đ = e = 100:
    # task = (500 + 50) / 6 × 0.7 = 385/6 ≈ 64.17; total = 30 + 385/6 = 565/6 ≈ 94.17.
    subordinates = [Subordinate("CC-1", None, F(50)), Subordinate("CC-2", None, F(4999, 100))]
    score = score_sheet(leader_sheet("head", [product("P1", 1)], subordinates), ND335)
    assert score.d == 50
    assert (score.dd, score.e) == (100, 100)
    assert score.task_points == F(385, 6)
    assert score.total == F(565, 6)
    assert "CC-2" in next(x.text for x in score.explanation if x.kind == "criterion_d")


def test_head_whose_subordinates_all_reach_50_gets_full_d():
    # Everyone at ≥ 50 → d = 100; a..e all 100 → task = 600 / 6 × 0.7 = 70.
    score = score_sheet(leader_sheet("head", [product("P1", 1)], [Subordinate("CC-1", None, F(50))]), ND335)
    assert score.d == 100
    assert score.task_points == 70


def test_leader_organising_and_unity_at_50_percent():
    # đ = e = 50: task = (100 × 4 + 50 + 50) / 6 × 0.7 = 500/6 × 0.7 = 175/3.
    score = score_sheet(leader_sheet("head", [product("P1", 1)], [], unit_ok=False, unity_ok=False), ND335)
    assert (score.d, score.dd, score.e) == (100, 50, 50)
    assert score.task_points == F(175, 3)


def test_deputy_product_outside_portfolio_is_not_counted():
    # Portfolio {dat_dai}: P1 (dat_dai, done) counts; P2 (xay_dung, not done) and P3 (no field, not
    # done) do not → a = b = c = 100. The subordinate in xay_dung at 40 is outside too → d = 100.
    products = [
        product("P1", 1, field="dat_dai"),
        product("P2", 1, completed=False, field="xay_dung"),
        product("P3", 1, completed=False),
    ]
    subs = [Subordinate("CC-1", "xay_dung", F(40)), Subordinate("CC-2", "dat_dai", F(60))]
    score = score_sheet(
        leader_sheet("deputy", products, subs, portfolio=frozenset({"dat_dai"}), general=0), ND335
    )
    assert (score.a, score.b, score.c, score.d) == (100, 100, 100, 100)
    assert score.task_points == 70
    counted = {p.id: p.counted for p in score.products}
    assert counted == {"P1": True, "P2": False, "P3": False}
    assert "ngoài lĩnh vực" in score.products[1].reason
    # The head counts everything: a = b = c = 1/3 = 100/3 %, and d = 50 (CC-1 at 40).
    head = score_sheet(leader_sheet("head", products, subs, general=0), ND335)
    assert head.a == F(100, 3)
    assert head.d == 50


def test_deputy_counts_unfielded_products_when_configured():
    # With unfielded products counting for deputies, P3 (no field, not done) enters: a = 1/2 = 50 %.
    rules = RuleSet.from_mapping({"unfielded_products_count_for_deputy": True}, base=ND335)
    products = [product("P1", 1, field="dat_dai"), product("P3", 1, completed=False)]
    score = score_sheet(leader_sheet("deputy", products, [], portfolio=frozenset({"dat_dai"})), rules)
    assert score.a == 50


def test_deputy_without_products_in_portfolio_is_an_error_naming_products():
    with pytest.raises(ScoringError) as err:
        score_sheet(
            leader_sheet("deputy", [product("P1", 1, field="y_te")], [], portfolio=frozenset({"dat_dai"})),
            ND335,
        )
    assert err.value.field == "products"


def test_general_points_above_30_are_refused():
    with pytest.raises(ScoringError) as err:
        score_sheet(staff(F(3001, 100), product("P1", 1)), ND335)
    assert err.value.field == "general_points"


def test_general_points_follow_the_agency_split():
    rules = RuleSet.from_mapping({"general_split": {"a": 10, "b": 10, "c": 10}}, base=ND335)
    sheet = SheetInput(role="staff", general_points={"a": F(11)}, products=(product("P1", 1),))
    with pytest.raises(ScoringError) as err:
        score_sheet(sheet, rules)
    assert err.value.field == "general_points.a"


def test_negative_weight_is_refused_naming_the_product():
    with pytest.raises(ScoringError) as err:
        score_sheet(staff(0, product("P1", 1), product("P2", -1)), ND335)
    assert err.value.field == "products[1].weight"


def test_year_is_the_mean_of_the_periods_worked():
    # (92 + 88.5 + 91 + 87.5) / 4 = 359 / 4 = 89.75 → tot (the Customs quarter-count rule would differ).
    year = score_year([F(92), F(177, 2), F(91), F(175, 2)], discipline=Discipline(), rules=ND335)
    assert year.total == F(359, 4)
    assert year.band == "tot"
    assert year.periods == 4


def test_year_just_under_90_stays_good():
    # (90 + 90 + 89.99) / 3 = 269.99 / 3 = 26999/300 ≈ 89.9967 → tot.
    year = score_year([F(90), F(90), F(8999, 100)], discipline=Discipline(), rules=ND335)
    assert year.total == F(26999, 300)
    assert year.band == "tot"


def test_year_override_keeps_the_band_by_score():
    year = score_year([F(95)], discipline=Discipline(degradation_concluded=True), rules=ND335)
    assert (year.band_by_score, year.band, year.override) == (
        "xuat_sac",
        "khong_hoan_thanh",
        "degradation_concluded",
    )


def test_year_without_periods_is_an_error():
    with pytest.raises(ScoringError) as err:
        score_year([], discipline=Discipline(), rules=ND335)
    assert err.value.field == "period_totals"


def test_head_not_above_unit_caps_the_head_when_configured():
    rules = RuleSet.from_mapping({"head_not_above_unit": True}, base=ND335)
    year = score_year([F(95)], discipline=Discipline(), rules=rules, role="head", unit_band="tot")
    assert (year.band_by_score, year.band) == ("xuat_sac", "tot")
    default = score_year([F(95)], discipline=Discipline(), rules=ND335, role="head", unit_band="tot")
    assert default.band == "xuat_sac"


def test_nd90_rule_set_refuses_points():
    with pytest.raises(ScoringError) as err:
        score_sheet(staff(20, product("P1", 1)), RULE_SETS["nd90_2020"])
    assert err.value.field == "rule_set"


@pytest.mark.parametrize("seed", range(20))
def test_explained_points_add_up_to_the_task_points(seed):
    # Every point explained: for a staff sheet of assigned products, 70 minus the points the lines
    # take away (uncompleted products, quality failures, delays) is exactly the task points.
    import random

    rng = random.Random(seed)
    products = tuple(
        product(
            f"NV-{i}",
            F(rng.randint(1, 30), 10),
            completed=rng.random() < 0.8,
            delays=rng.choice([0, 0, 1, 2, 5]),
            failures=rng.choice([0, 0, 1, 3]),
            excused=rng.random() < 0.1,
        )
        for i in range(rng.randint(1, 12))
    )
    score = score_sheet(staff(0, *products), ND335)
    taken = sum(
        (
            x.points
            for x in score.explanation
            if x.kind in ("not_completed", "quality_deduction", "progress_deduction")
        ),
        F(0),
    )
    assert 70 + taken == score.task_points
