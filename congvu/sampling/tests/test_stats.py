import math
from decimal import Decimal

import pytest
from scipy.stats import binom

from congvu.sampling import stats
from congvu.sampling.tests import aicpa_tables as tables


def _size(confidence, tolerable_pct, expected_pct, population=None):
    return stats.attribute_sample_size(
        confidence=Decimal(confidence),
        tolerable=Decimal(str(tolerable_pct)) / 100,
        expected=Decimal(str(expected_pct)) / 100,
        population=population,
    )


@pytest.mark.parametrize(
    ("confidence", "tolerable", "expected", "n", "k"),
    [
        ("0.95", 5, 0, 59, 0),
        ("0.95", 5, 1, 93, 1),
        ("0.90", 5, 0, 45, 0),
        ("0.95", 10, 0, 29, 0),
        ("0.95", 4, 1.75, 227, 4),
        ("0.95", 6, 3, 195, 6),
        ("0.95", 15, 3.5, 40, 2),  # 40 × 3.5 % = 1.4: k rounds up to 2, not to 1
        ("0.90", 10, 6, 116, 7),
        ("0.90", 5, 3.5, 400, 14),  # in floating point 400 × 0.035 rounds up to 15 and gives 423
    ],
)
def test_sample_size_reproduces_aicpa_rows_with_expected_deviations(confidence, tolerable, expected, n, k):
    result = _size(confidence, tolerable, expected)
    assert (result.sample_size, result.expected_deviations) == (n, k)
    assert result.achieved_risk <= 1 - float(confidence)


def test_every_cell_of_aicpa_table_a1_at_95_percent():
    wrong = [
        (t, e, n, _size("0.95", t, e).sample_size)
        for t, e, n in tables.size_cells(tables.A1_COLUMNS)
        if _size("0.95", t, e).sample_size != n
    ]
    assert wrong == []


def test_every_cell_of_aicpa_table_a2_at_90_percent_except_its_documented_misprints():
    wrong = {}
    for t, e, n in tables.size_cells(tables.A2_COLUMNS):
        got = _size("0.90", t, e).sample_size
        if got != n:
            wrong[(t, e)] = (n, got)
    assert wrong == tables.A2_MISPRINTS


def test_a2_misprints_fail_the_risk_they_claim():
    assert binom.cdf(7, 200, 0.05) > 0.2
    assert binom.cdf(4, 112, 0.07) > 0.10 > binom.cdf(4, 113, 0.07)


def test_expected_deviations_round_up_in_exact_decimal_arithmetic():
    assert stats.expected_deviations(400, Decimal("0.035")) == 14
    assert stats.expected_deviations(400, 0.035) == 14
    assert math.ceil(400 * 0.035) == 15  # what a float would do
    assert stats.expected_deviations(93, Decimal("0.0025")) == 1
    assert stats.expected_deviations(59, 0) == 0


@pytest.mark.parametrize(("confidence", "table"), [("0.95", tables.A3), ("0.90", tables.A4)])
def test_upper_limits_reproduce_aicpa_evaluation_tables_rounded_up(confidence, table):
    """The tables round up to 0.1 %: the exact limit lies in (printed − 0.1, printed]. A Poisson or
    normal approximation, or rounding to the nearest tenth, falls outside for many cells."""
    outside = []
    for n, row in zip(tables.EVAL_SIZES, table, strict=True):
        for k, printed in enumerate(row):
            limit = stats.upper_deviation_limit(n, k, Decimal(confidence)) * 100
            if not (printed - 0.1 < limit <= printed + 1e-9):
                outside.append((n, k, printed, round(limit, 3)))
            assert stats.aicpa_percent(limit / 100) == printed
    assert outside == []


def test_poisson_approximation_would_fail_the_evaluation_tolerance():
    # n = 20, no deviation: Poisson gives 3.0/20 = 15 %, the table 14.0 %.
    assert not (14.0 - 0.1 < 300 / 20 <= 14.0)
    assert 13.9 < stats.upper_deviation_limit(20, 0, 0.95) * 100 <= 14.0


def test_upper_limit_is_one_when_every_record_deviates():
    assert stats.upper_deviation_limit(5, 5, 0.95) == 1.0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.95", Decimal("0.95")),
        ("95", Decimal("0.95")),
        ("95%", Decimal("0.95")),
        ("0.5%", Decimal("0.005")),
        ("1", Decimal("0.01")),
        ("0,05", Decimal("0.05")),
        (5, Decimal("0.05")),
        (Decimal("0.05"), Decimal("0.05")),
    ],
)
def test_rates_accept_fractions_and_percentages(raw, expected):
    assert stats.parse_rate(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "-5", "nan"])
def test_bad_rate_is_refused_with_a_message(raw):
    with pytest.raises(stats.SamplingError):
        stats.parse_rate(raw, "--tolerable")


@pytest.mark.parametrize(
    ("confidence", "tolerable", "expected"),
    [("0.3", "0.05", "0"), ("0.95", "0", "0"), ("0.95", "0.05", "0.05"), ("0.95", "0.05", "0.06")],
)
def test_senseless_rates_are_refused(confidence, tolerable, expected):
    with pytest.raises(stats.SamplingError):
        stats.attribute_sample_size(confidence=confidence, tolerable=tolerable, expected=expected)


def test_hypergeometric_size_matches_the_closed_form_without_expected_deviations():
    """N = 100, T = 5 % (K = 5): P(no deviation in n) = C(95, n) / C(100, n); the smallest n ≤ 5 %."""
    closed = next(n for n in range(1, 101) if math.comb(95, n) / math.comb(100, n) <= 0.05)
    result = _size("0.95", 5, 0, population=100)
    assert result.method == "hypergeometric"
    assert result.sample_size == closed == 45
    assert not result.census


def test_hypergeometric_size_approaches_the_binomial_one_for_a_large_population():
    assert _size("0.95", 5, 0, population=1_000_000).sample_size == 59
    assert _size("0.95", 5, 1, population=1_000_000).sample_size == 93
    assert _size("0.95", 5, 1, population=500).sample_size < 93


def test_small_field_is_inspected_in_full_when_no_sample_suffices():
    result = _size("0.95", 5, 1, population=10)  # K = 1 deviation allowed for, k = 1 expected
    assert result.census
    assert result.sample_size == 10


@pytest.mark.parametrize(
    ("lot", "letter", "size"),
    [
        (2, "A", 2),
        (8, "A", 2),
        (9, "B", 3),
        (15, "B", 3),
        (16, "C", 5),
        (25, "C", 5),
        (26, "D", 8),
        (50, "D", 8),
        (51, "E", 13),
        (90, "E", 13),
        (91, "F", 20),
        (150, "F", 20),
        (151, "G", 32),
        (280, "G", 32),
        (281, "H", 50),
        (500, "H", 50),
        (501, "J", 80),
        (1200, "J", 80),
        (1201, "K", 125),
        (3200, "K", 125),
        (3201, "L", 200),
        (10000, "L", 200),
        (10001, "M", 315),
        (35000, "M", 315),
        (35001, "N", 500),
        (150000, "N", 500),
        (150001, "P", 800),
        (500000, "P", 800),
        (500001, "Q", 1250),
        (5_000_000, "Q", 1250),
    ],
)
def test_iso_2859_level_ii_code_letters_at_lot_size_boundaries(lot, letter, size):
    result = stats.iso2859_sample_size(lot)
    assert (result.code_letter, result.sample_size) == (letter, size)


def test_iso_2859_other_levels_and_full_inspection():
    assert stats.iso2859_sample_size(500001, "III").code_letter == "R"
    assert stats.iso2859_sample_size(500001, "III").sample_size == 2000
    assert stats.iso2859_code_letter(16, "I") == "B"
    one = stats.iso2859_sample_size(1)
    assert one.full_inspection and one.sample_size == 1
    with pytest.raises(stats.SamplingError):
        stats.iso2859_sample_size(0)


def test_proportional_allocation_uses_largest_remainders():
    sizes = stats.allocate({"a": 500, "b": 300, "c": 200}, method="proportional", total=59)
    assert sizes == {"a": 29, "b": 18, "c": 12}  # quotas 29.5, 17.7, 11.8: the two largest remainders
    assert sum(sizes.values()) == 59


def test_minimum_per_field_raises_small_fields_but_not_above_their_population():
    sizes = stats.allocate({"a": 1000, "b": 10, "c": 2}, method="proportional", total=50, minimum=5)
    assert sizes["b"] == 5
    assert sizes["c"] == 2  # capped at its population
    assert sizes["a"] == 49


def test_equal_allocation_hands_the_surplus_of_small_fields_to_the_others():
    sizes = stats.allocate({"a": 1000, "b": 3, "c": 1000}, method="equal", total=59)
    assert sizes["b"] == 3
    assert sizes["a"] + sizes["c"] == 56
    assert abs(sizes["a"] - sizes["c"]) <= 1


def test_per_field_allocation_gives_each_field_its_own_size_capped():
    sizes = stats.allocate(
        {"a": 100, "b": 20, "c": 7}, method="per_field", per_field={"a": 45, "b": 45, "c": 45}
    )
    assert sizes == {"a": 45, "b": 20, "c": 7}


def test_allocation_never_exceeds_the_population():
    sizes = stats.allocate({"a": 4, "b": 6}, method="proportional", total=59)
    assert sizes == {"a": 4, "b": 6}


def test_combined_limit_of_one_field_is_the_plain_clopper_pearson_limit():
    combined = stats.evaluate_stratified([stats.StratumCounts("a", 1000, 59, 2)], confidence=0.95)
    assert combined.upper_deviation_limit == pytest.approx(stats.upper_deviation_limit(59, 2, 0.95))


def test_combined_limit_under_proportional_allocation_equals_the_pooled_limit():
    strata = [stats.StratumCounts("a", 600, 30, 1), stats.StratumCounts("b", 400, 20, 2)]
    combined = stats.evaluate_stratified(strata, confidence=0.95, tolerable=0.05)
    assert combined.deviation_rate == pytest.approx(3 / 50)
    assert combined.effective_n == pytest.approx(50)
    assert combined.upper_deviation_limit == pytest.approx(stats.upper_deviation_limit(50, 3, 0.95))
    assert combined.acceptable is False


def test_combined_rate_weights_fields_by_population_share():
    # The small field was oversampled: its 50 % deviation rate weighs 1 %, not half.
    strata = [stats.StratumCounts("big", 9900, 50, 0), stats.StratumCounts("small", 100, 50, 25)]
    combined = stats.evaluate_stratified(strata, confidence=0.95)
    assert combined.deviation_rate == pytest.approx(0.005)
    assert combined.effective_n < 100
    assert combined.upper_deviation_limit > stats.upper_deviation_limit(100, 1, 0.95) * 0.5


def test_sentence_for_the_minutes_says_whether_the_limit_exceeds_the_tolerable_rate():
    ok = stats.evaluation_sentence(
        label="Lĩnh vực Hộ tịch",
        population=1200,
        reviewed=59,
        deviations=0,
        upper_limit=0.0481,
        confidence=0.95,
        tolerable=0.05,
        record_word="hồ sơ",
    )
    assert "59/1200 hồ sơ" in ok and "4,9%" in ok and "không vượt mức" in ok
    bad = stats.evaluation_sentence(
        label="Lĩnh vực Đất đai",
        population=800,
        reviewed=59,
        deviations=3,
        upper_limit=0.126,
        confidence=0.95,
        tolerable=0.05,
        record_word="hồ sơ",
    )
    assert "vượt mức sai lệch chấp nhận được 5,0%" in bad and "12,6%" in bad
    assert stats.format_limit(0.13911) == "14,0%"  # rounded up, like the AICPA tables


def test_a_field_reviewed_in_full_has_its_exact_rate_as_limit():
    result = stats.evaluate(n=7, deviations=0, confidence=0.95, tolerable=0.05, population=7)
    assert result.census and result.upper_deviation_limit == 0.0 and result.acceptable
    assert stats.evaluate(n=7, deviations=0, confidence=0.95, population=8).upper_deviation_limit > 0.3


def test_fields_reviewed_in_full_add_no_sampling_error_to_the_combined_limit():
    sampled = stats.StratumCounts("a", 300, 54, 2)
    full = stats.StratumCounts("b", 7, 7, 0)
    combined = stats.evaluate_stratified([sampled, full], confidence=0.95)
    alone = stats.evaluate_stratified([sampled], confidence=0.95)
    assert combined.deviation_rate == pytest.approx(300 / 307 * 2 / 54)
    assert combined.effective_n == pytest.approx(54 / (300 / 307) ** 2)
    assert combined.upper_deviation_limit < alone.upper_deviation_limit
    everything = stats.evaluate_stratified([full, stats.StratumCounts("c", 5, 5, 1)], confidence=0.95)
    assert (
        everything.upper_deviation_limit == pytest.approx(everything.deviation_rate) == pytest.approx(1 / 12)
    )


def test_sentence_for_a_field_reviewed_in_full():
    text = stats.evaluation_sentence(
        label="Xây dựng",
        population=7,
        reviewed=7,
        deviations=0,
        upper_limit=0.0,
        confidence=0.95,
        tolerable=0.05,
        record_word="hồ sơ",
        census=True,
    )
    assert "kiểm tra toàn bộ 7 hồ sơ" in text and "không vượt mức" in text
