"""The Art. 20(5) quota: excellent E ≤ 20 % × T, T the FINAL number rated good (people moved down join
T); 25 % when the organisation is recognised outstanding. Each case worked out by hand."""

from fractions import Fraction as F

import pytest

from congvu.evaluation.rules import RULE_SETS, RuleSet
from congvu.evaluation.scoring import ScoringError, apply_quota, max_excellent_places

ND335 = RULE_SETS["nd335_2025"]


def group(excellent_totals, good_count, below=0):
    members = [(f"X{i + 1}", F(total)) for i, total in enumerate(excellent_totals)]
    members += [(f"G{i + 1}", F(80)) for i in range(good_count)]
    members += [(f"B{i + 1}", F(60)) for i in range(below)]
    return members


def test_four_good_leave_no_excellent_place_and_flag_the_small_group():
    # 4 good + 1 at 95. E = 1 needs 1 ≤ 0.2 × 4 = 0.8: no. E = 0 → he joins T (T = 5).
    result = apply_quota(group([95], 4), organisation_recognised_outstanding=False, rules=ND335)
    assert result.max_excellent == 0
    assert result.bands["X1"] == "tot"
    assert result.over_quota == ("X1",)
    assert result.good_count == 5
    assert result.small_group is True


def test_five_good_allow_one_excellent():
    # 5 good + 1 at 95: E = 1 ≤ 0.2 × 5 = 1 → kept.
    result = apply_quota(group([95], 5), organisation_recognised_outstanding=False, rules=ND335)
    assert result.max_excellent == 1
    assert result.bands["X1"] == "xuat_sac"
    assert result.over_quota == ()
    assert result.small_group is False


def test_ten_good_with_three_candidates_keep_two():
    # 10 good + 3 at 95/93/91: E = 3: 3 ≤ 0.2 × 10 = 2 no; E = 2: 2 ≤ 0.2 × 11 = 2.2 yes.
    result = apply_quota(group([95, 93, 91], 10), organisation_recognised_outstanding=False, rules=ND335)
    assert result.max_excellent == 2
    assert [m for m, b in result.bands.items() if b == "xuat_sac"] == ["X1", "X2"]
    assert result.over_quota == ("X3",)
    assert result.good_count == 11


def test_eleven_good_keep_both_candidates():
    # 11 good + 2: E = 2 ≤ 0.2 × 11 = 2.2 → both kept.
    result = apply_quota(group([95, 93], 11), organisation_recognised_outstanding=False, rules=ND335)
    assert result.max_excellent == 2
    assert result.over_quota == ()


def test_moving_people_down_raises_the_base():
    # 9 good + 3 candidates. Naively floor(0.2 × 9) = 1 place. But E = 2 leaves T = 10 and
    # 2 ≤ 0.2 × 10 = 2 holds (E = 3: 3 ≤ 1.8 fails) → 2 places.
    result = apply_quota(group([99, 97, 95], 9), organisation_recognised_outstanding=False, rules=ND335)
    assert result.max_excellent == 2
    assert result.over_quota == ("X3",)
    assert result.good_count == 10
    # The other readings, as settings: pre-quota good → floor(1.8) = 1; good or better → floor(2.4) = 2.
    pre = RuleSet.from_mapping({"quota_base": "pre_quota_good"}, base=ND335)
    assert (
        apply_quota(
            group([99, 97, 95], 9), organisation_recognised_outstanding=False, rules=pre
        ).max_excellent
        == 1
    )
    wide = RuleSet.from_mapping({"quota_base": "good_or_better"}, base=ND335)
    assert (
        apply_quota(
            group([99, 97, 95], 9), organisation_recognised_outstanding=False, rules=wide
        ).max_excellent
        == 2
    )


def test_recognised_outstanding_organisation_gets_25_percent():
    # 8 good + 3: at 20 %: E = 2: 2 ≤ 1.8 no; E = 1: 1 ≤ 2 yes → 1.
    # at 25 %: E = 3: 3 ≤ 2 no; E = 2: 2 ≤ 0.25 × 9 = 2.25 yes → 2.
    plain = apply_quota(group([95, 93, 91], 8), organisation_recognised_outstanding=False, rules=ND335)
    outstanding = apply_quota(group([95, 93, 91], 8), organisation_recognised_outstanding=True, rules=ND335)
    assert plain.max_excellent == 1
    assert outstanding.max_excellent == 2
    assert outstanding.ratio == F(1, 4)
    assert outstanding.over_quota == ("X3",)


def test_ties_at_the_cut_are_reported():
    # 10 good + 95, 92, 92 → 2 places: 95 and one of the 92s; both 92s reported as tied, the first in
    # the list holds the place provisionally.
    result = apply_quota(group([95, 92, 92], 10), organisation_recognised_outstanding=False, rules=ND335)
    assert result.ties == ("X2", "X3")
    assert result.bands["X2"] == "xuat_sac"
    assert result.bands["X3"] == "tot"
    assert any(x.kind == "tie" for x in result.explanation)


def test_no_tie_when_the_cut_falls_between_different_totals():
    result = apply_quota(group([95, 93, 92], 10), organisation_recognised_outstanding=False, rules=ND335)
    assert result.ties == ()


def test_members_below_70_are_outside_the_base():
    # 4 good + 1 at 95 + 3 at 60: still only T = 4 (+1) → no place; those at 60 stay hoan_thanh.
    result = apply_quota(group([95], 4, below=3), organisation_recognised_outstanding=False, rules=ND335)
    assert result.max_excellent == 0
    assert result.bands["B1"] == "hoan_thanh"


def test_exactly_90_counts_as_a_candidate_and_89_99_does_not():
    members = [("A", F(90)), ("B", F(8999, 100))] + [(f"G{i}", F(75)) for i in range(5)]
    result = apply_quota(members, organisation_recognised_outstanding=False, rules=ND335)
    # Candidates: A only; T = 6 (B and 5 good); E = 1 ≤ 1.2.
    assert result.bands["A"] == "xuat_sac"
    assert result.bands["B"] == "tot"


def test_max_excellent_places_counts_down():
    # good_or_better 13 at 20 %: E = 2 → 2 ≤ 0.2 × 11 = 2.2 holds; E = 3 → 3 ≤ 2 fails.
    assert (
        max_excellent_places(good_or_better=13, good_before_quota=10, ratio=F(1, 5), base="final_good") == 2
    )
    assert max_excellent_places(good_or_better=0, good_before_quota=0, ratio=F(1, 5), base="final_good") == 0


def test_duplicate_member_is_refused():
    with pytest.raises(ScoringError) as err:
        apply_quota([("A", F(95)), ("A", F(80))], organisation_recognised_outstanding=False, rules=ND335)
    assert err.value.field == "members[1].id"


def test_total_above_100_is_refused():
    with pytest.raises(ScoringError) as err:
        apply_quota([("A", F(101))], organisation_recognised_outstanding=False, rules=ND335)
    assert err.value.field == "members[0].total_points"


def test_decree_90_bands_get_the_same_quota_with_the_evaluators_order():
    from congvu.evaluation.scoring import apply_quota_to_bands

    nd90 = RULE_SETS["nd90_2020"]
    # 9 rated good by conditions + 3 meeting the excellent conditions: 2 places (as with totals).
    members = [("A", "xuat_sac"), ("B", "xuat_sac"), ("C", "xuat_sac")] + [(f"G{i}", "tot") for i in range(9)]
    members.append(("H", "hoan_thanh"))
    ordered = apply_quota_to_bands(
        members, organisation_recognised_outstanding=False, rules=nd90, order=["C", "A", "B"]
    )
    assert ordered.max_excellent == 2
    assert ordered.over_quota == ("B",)
    assert (ordered.bands["C"], ordered.bands["A"], ordered.bands["B"]) == ("xuat_sac", "xuat_sac", "tot")
    assert ordered.ties == ()
    # Without an order nobody is ranked: every candidate is reported for the evaluator to settle.
    unordered = apply_quota_to_bands(members, organisation_recognised_outstanding=False, rules=nd90)
    assert unordered.ties == ("A", "B", "C")
    assert unordered.over_quota == ("C",)
    with pytest.raises(ScoringError) as err:
        apply_quota_to_bands([("A", "gioi")], organisation_recognised_outstanding=False, rules=nd90)
    assert err.value.field == "members[0].band"
