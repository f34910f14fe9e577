"""Sample sizes, allocation across fields and evaluation of attribute samples (thống kê chọn mẫu).

Pure functions: no database, no Django models. Everything here is reproducible by hand or in a
spreadsheet, and the tests check it against the published tables it claims to reproduce.

Attribute sample size (AICPA Audit Sampling guide, Appendix A, tables A-1 and A-2)
    The smallest n such that, if the population deviation rate were the tolerable rate T, the chance
    of seeing at most k deviations in n records is no more than the risk 1 − confidence:

        P(X ≤ k | n, T) ≤ 1 − confidence,   X ~ Binomial(n, T),   k = ⌈n × E⌉

    where E is the expected deviation rate. k is n × E rounded *up*, computed exactly in decimal
    arithmetic: in binary floating point 400 × 0.035 is 14.000000000000002 and would round up to 15.
    The tables print k in parentheses next to n (e.g. 93 (1) for 95 %, 5 %, 1 %).
    With a finite population of N records (small fields) the hypergeometric distribution replaces
    the binomial: X ~ Hypergeometric(N, K = ⌈T × N⌉ deviations, n draws). When no n below N meets the
    risk, every record is inspected (n = N).

Upper deviation limit (tables A-3 and A-4)
    The one-sided Clopper–Pearson upper limit at the given confidence: the p for which
    P(X ≤ k | n, p) = 1 − confidence, i.e. the `confidence` quantile of Beta(k + 1, n − k); 1 when
    k = n. The AICPA tables print it rounded *up* to a tenth of a percent.

Combined limit over fields (strata)
    The stratified deviation rate p̂ = Σ W_h k_h / n_h with W_h = N_h / N (the field's share of the
    population). Its upper limit is the Clopper–Pearson limit at Kish's effective sample size
    n_eff = 1 / Σ (W_h² / n_h), with x_eff = p̂ × n_eff deviations (a Beta quantile, so x_eff need not
    be whole). With proportional allocation n_eff = n and the limit equals the plain one. A field
    reviewed in full (n_h = N_h) has no sampling error: its exact rate enters p̂ but not the sum, and
    its own "upper limit" is its rate.

ISO 2859-1 (general inspection levels I, II, III; single sampling, normal inspection)
    Lot size → code letter (the standard's Table 1) → sample size (Table 2-A). When the sample size
    reaches the lot size, the whole lot is inspected.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
from django.utils.translation import gettext as _
from scipy.stats import beta, binom, hypergeom

# The search for a sample size stops here: beyond it sampling makes no sense for these registers.
MAX_SAMPLE_SIZE = 1_000_000
# The largest population (records of one field or sample) the calculator accepts.
MAX_POPULATION = 1_000_000_000
# Every size search is bounded by a number of probability evaluations: a binomial one costs about a
# microsecond; a hypergeometric one from 0.01 to 0.8 ms (SciPy's exact method for mid-sized
# populations), so at most about 1.6 s. Requests beyond are out of range, with a message.
_MAX_EVALUATIONS = {"binomial": 100_000, "hypergeometric": 2_000}
# Candidate sizes are tried in blocks that grow from 64 to 4096: most answers need only the first.
_FIRST_BLOCK = 64
_BLOCK = 4096


class SamplingError(ValueError):
    """A parameter that makes no statistical sense; the message says which and why (Vietnamese)."""


# --- Parsing rates -------------------------------------------------------------------------


def parse_rate(value, name: str = "") -> Decimal:
    """A rate as a Decimal fraction. Accepts a fraction (0.95), a percentage (95) or an explicit
    percentage ("95%", "0.5%"). Without a % sign, a value of 1 or more is read as a percentage, a value
    below 1 as a fraction: 0.05 and 5 both mean 5 %; write "0.5%" for half a percent."""
    label = name or _("tỷ lệ")
    if isinstance(value, Decimal):
        text, percent = str(value), False
    else:
        text = str(value).strip().replace(",", ".")
        percent = text.endswith("%")
        text = text.rstrip("%").strip()
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise SamplingError(
            _("%(name)s: “%(value)s” không phải là một số.") % {"name": label, "value": value}
        ) from None
    if not number.is_finite() or number < 0:
        raise SamplingError(_("%(name)s: phải là một số không âm.") % {"name": label})
    if percent or number >= 1:
        number = number / 100
    return number


def _fraction(rate) -> Fraction:
    """Exact rational value of a rate given as Decimal, str, int or float (floats via their repr)."""
    if isinstance(rate, Fraction):
        return rate
    if isinstance(rate, float):
        rate = Decimal(repr(rate))
    return Fraction(Decimal(rate))


def expected_deviations(n: int, expected_rate) -> int:
    """k = ⌈n × E⌉ in exact arithmetic: the deviations the AICPA tables allow for in a sample of n."""
    return math.ceil(_fraction(expected_rate) * n)


def _expected_deviations_array(n: np.ndarray, expected: Fraction) -> np.ndarray:
    """⌈n × p / q⌉ for a whole array, in integer arithmetic."""
    p, q = expected.numerator, expected.denominator
    if q > 10**9:  # keep n × p within 64 bits; Python integers otherwise
        return np.array([math.ceil(expected * int(i)) for i in n], dtype=np.int64)
    return (n * p + q - 1) // q


def _check_rates(confidence: Fraction, tolerable: Fraction, expected: Fraction) -> None:
    if not (Fraction(1, 2) <= confidence < 1):
        raise SamplingError(_("Độ tin cậy phải từ 50% đến dưới 100% (ví dụ 0.95 hoặc 95)."))
    if not (0 < tolerable < 1):
        raise SamplingError(_("Tỷ lệ sai lệch chấp nhận được phải lớn hơn 0% và nhỏ hơn 100%."))
    if not (0 <= expected < tolerable):
        raise SamplingError(
            _("Tỷ lệ sai lệch dự kiến phải từ 0%% đến nhỏ hơn tỷ lệ sai lệch chấp nhận được (%(t)s).")
            % {"t": format_percent(float(tolerable))}
        )


# --- Sample size ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeResult:
    """A planned sample size and how it was obtained."""

    sample_size: int
    expected_deviations: int
    method: str  # "binomial" or "hypergeometric"
    confidence: float
    tolerable_rate: float
    expected_rate: float
    population: int | None
    achieved_risk: float  # P(X ≤ k) at the tolerable rate for this n: at most 1 − confidence
    census: bool  # the whole population is inspected

    def as_dict(self) -> dict:
        return asdict(self)


class _OutOfRange(Exception):
    """The search would need more evaluations than `_MAX_EVALUATIONS` allows."""


def _first_size(cdf, exp: Fraction, limit: int, risk: float, budget: int) -> tuple[int, int, float] | None:
    """The least n in [1, limit] with cdf(k, n) ≤ risk where k = ⌈n × E⌉, as (n, k, probability);
    None when there is none. `cdf(ks, ns)` is vectorised.

    For a fixed k the probability P(X ≤ k) only falls as n grows (one more record can only add a
    deviation), and k is the same for every n of an interval ((k − 1)/E, k/E]. So only the last n of
    each interval is tried, in increasing k (the first interval whose last n meets the risk holds the
    answer), then that interval is bisected. This evaluates about ⌈n × E⌉ + 20 points instead of n;
    more than `budget` raises _OutOfRange."""
    p, q = exp.numerator, exp.denominator
    if p == 0:  # E = 0: k = 0 for every n, a single interval
        ks_all_last, first_k = 0, 0
    else:
        ks_all_last, first_k = expected_deviations(limit, exp), 1
    used = 0

    def first_n(k: int) -> int:
        return 1 if p == 0 else (k - 1) * q // p + 1

    k, block = first_k, _FIRST_BLOCK
    while k <= ks_all_last:
        ks = np.arange(k, min(k + block, ks_all_last + 1), dtype=np.int64)
        used += len(ks)
        if used > budget:
            raise _OutOfRange
        ns = _last_sizes(ks, p, q, limit)
        probs = cdf(ks, ns)
        hits = np.flatnonzero(probs <= risk)
        if hits.size:
            hit = int(hits[0])
            k_hit = int(ks[hit])
            lo, hi, prob = first_n(k_hit), int(ns[hit]), float(probs[hit])
            while lo < hi:
                mid = (lo + hi) // 2
                used += 1
                if used > budget:
                    raise _OutOfRange
                at_mid = float(cdf(np.int64(k_hit), np.int64(mid)))
                if at_mid <= risk:
                    hi, prob = mid, at_mid
                else:
                    lo = mid + 1
            return hi, k_hit, prob
        k += len(ks)
        block = min(block * 2, _BLOCK)
    return None


def _last_sizes(ks: np.ndarray, p: int, q: int, limit: int) -> np.ndarray:
    """For each k, the largest n ≤ limit with ⌈n × p/q⌉ = k, i.e. min(limit, ⌊k × q/p⌋)."""
    if p == 0:
        return np.full(len(ks), limit, dtype=np.int64)
    if q * (int(ks[-1]) + 1) < 2**62:
        return np.minimum(ks * q // p, limit)
    return np.array([min(limit, int(k) * q // p) for k in ks], dtype=np.int64)


def _exact_percent(rate: Fraction) -> str:
    """A rate as typed, in percent, Vietnamese style: 0,001% (format_percent would round it to 0,0%)."""
    text = format(Decimal(rate.numerator * 100) / Decimal(rate.denominator), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def _out_of_range(tol: Fraction, exp: Fraction) -> SamplingError:
    return SamplingError(
        _(
            "Không tính được cỡ mẫu trong giới hạn cho phép (tối đa %(max)s bản ghi): tỷ lệ sai lệch chấp "
            "nhận được (%(t)s) quá nhỏ, hoặc tỷ lệ dự kiến (%(e)s) quá gần nó. Hãy tăng tỷ lệ chấp nhận "
            "được hoặc giảm tỷ lệ dự kiến."
        )
        % {
            "max": f"{MAX_SAMPLE_SIZE:,}".replace(",", "."),
            "t": _exact_percent(tol),
            "e": _exact_percent(exp),
        }
    )


def attribute_sample_size(*, confidence, tolerable, expected=0, population: int | None = None) -> SizeResult:
    """The AICPA attribute sample size (binomial), or its finite-population (hypergeometric) form when
    `population` is given. Rates are fractions (Decimal, str or float); see the module docstring.
    The search is bounded (MAX_SAMPLE_SIZE, MAX_POPULATION, _MAX_EVALUATIONS): beyond, a
    SamplingError says why."""
    conf, tol, exp = _fraction(confidence), _fraction(tolerable), _fraction(expected)
    _check_rates(conf, tol, exp)
    risk = float(1 - conf)
    if population is not None:
        if population < 1:
            raise SamplingError(_("Tổng thể phải có ít nhất 1 hồ sơ."))
        if population > MAX_POPULATION:
            raise SamplingError(
                _("Tổng thể quá lớn: tối đa %(max)s bản ghi.")
                % {"max": f"{MAX_POPULATION:,}".replace(",", ".")}
            )
        return _hypergeometric_size(conf, tol, exp, population, risk)
    t = float(tol)
    try:
        found = _first_size(
            lambda k, n: binom.cdf(k, n, t), exp, MAX_SAMPLE_SIZE, risk, _MAX_EVALUATIONS["binomial"]
        )
    except _OutOfRange:
        raise _out_of_range(tol, exp) from None
    if found is None:
        raise _out_of_range(tol, exp)
    n, k, prob = found
    return SizeResult(
        sample_size=n,
        expected_deviations=k,
        method="binomial",
        confidence=float(conf),
        tolerable_rate=float(tol),
        expected_rate=float(exp),
        population=None,
        achieved_risk=prob,
        census=False,
    )


def _hypergeometric_size(conf: Fraction, tol: Fraction, exp: Fraction, N: int, risk: float) -> SizeResult:
    # The least favourable population under "rate ≥ T" has the fewest deviations: ⌈T × N⌉.
    K = max(1, math.ceil(tol * N))
    limit = min(N - 1, MAX_SAMPLE_SIZE)
    found = None
    if limit >= 1:
        try:
            found = _first_size(
                lambda k, n: hypergeom.cdf(k, N, K, n), exp, limit, risk, _MAX_EVALUATIONS["hypergeometric"]
            )
        except _OutOfRange:
            raise _out_of_range(tol, exp) from None
    if found is not None:
        n, k, prob = found
        return SizeResult(
            sample_size=n,
            expected_deviations=k,
            method="hypergeometric",
            confidence=float(conf),
            tolerable_rate=float(tol),
            expected_rate=float(exp),
            population=N,
            achieved_risk=prob,
            census=False,
        )
    if limit < N - 1:  # no size up to MAX_SAMPLE_SIZE, and inspecting every record is out of reach
        raise _out_of_range(tol, exp)
    k_all = expected_deviations(N, exp)
    return SizeResult(
        sample_size=N,
        expected_deviations=k_all,
        method="hypergeometric",
        confidence=float(conf),
        tolerable_rate=float(tol),
        expected_rate=float(exp),
        population=N,
        achieved_risk=0.0 if k_all < K else 1.0,
        census=True,
    )


# --- Evaluation ----------------------------------------------------------------------------


def upper_deviation_limit(n: int, deviations: int, confidence) -> float:
    """One-sided Clopper–Pearson upper limit of the deviation rate, as a fraction."""
    if n < 1:
        raise SamplingError(_("Cỡ mẫu phải từ 1 trở lên."))
    if n > MAX_POPULATION:
        largest = f"{MAX_POPULATION:,}".replace(",", ".")
        raise SamplingError(_("Cỡ mẫu quá lớn: tối đa %(max)s bản ghi.") % {"max": largest})
    if not (0 <= deviations <= n):
        raise SamplingError(_("Số sai lệch phải từ 0 đến cỡ mẫu (%(n)s).") % {"n": n})
    conf = float(_fraction(confidence))
    if not (0 < conf < 1):
        raise SamplingError(_("Độ tin cậy phải lớn hơn 0% và nhỏ hơn 100%."))
    if deviations == n:
        return 1.0
    return float(beta.ppf(conf, deviations + 1, n - deviations))


def aicpa_percent(rate: float) -> float:
    """A rate as the AICPA evaluation tables print it: percent, rounded up to a tenth."""
    return math.ceil(round(rate * 1000, 9)) / 10


@dataclass(frozen=True)
class Evaluation:
    """The result of reviewing n records with k deviations."""

    n: int
    deviations: int
    deviation_rate: float
    upper_deviation_limit: float
    confidence: float
    tolerable_rate: float | None
    acceptable: bool | None  # upper limit ≤ tolerable rate; None when no tolerable rate is set
    census: bool = False  # every record of the population was reviewed: the rate is exact

    def as_dict(self) -> dict:
        return asdict(self)


def evaluate(
    *, n: int, deviations: int, confidence, tolerable=None, population: int | None = None
) -> Evaluation:
    """Deviation rate and its upper limit. When the whole population was reviewed (n ≥ population)
    there is no sampling risk: the upper limit is the observed rate itself."""
    census = population is not None and n >= population
    limit = upper_deviation_limit(n, deviations, confidence)
    if census:
        limit = deviations / n
    tol = float(_fraction(tolerable)) if tolerable is not None else None
    return Evaluation(
        n=n,
        deviations=deviations,
        deviation_rate=deviations / n,
        upper_deviation_limit=limit,
        confidence=float(_fraction(confidence)),
        tolerable_rate=tol,
        acceptable=None if tol is None else limit <= tol,
        census=census,
    )


@dataclass(frozen=True)
class StratumCounts:
    """One field: population N, records reviewed n, deviations k."""

    key: str
    population: int
    reviewed: int
    deviations: int


@dataclass(frozen=True)
class CombinedEvaluation:
    deviation_rate: float | None
    upper_deviation_limit: float | None
    effective_n: float | None
    reviewed: int
    deviations: int
    covered_share: float  # share of the population in fields with at least one reviewed record
    confidence: float
    tolerable_rate: float | None
    acceptable: bool | None

    def as_dict(self) -> dict:
        return asdict(self)


def evaluate_stratified(strata: list[StratumCounts], *, confidence, tolerable=None) -> CombinedEvaluation:
    """Combined deviation rate and upper limit over fields, weighted by population shares."""
    conf = float(_fraction(confidence))
    tol = float(_fraction(tolerable)) if tolerable is not None else None
    total_population = sum(s.population for s in strata if s.population > 0)
    covered = [s for s in strata if s.population > 0 and s.reviewed > 0]
    reviewed = sum(s.reviewed for s in covered)
    deviations = sum(s.deviations for s in covered)
    covered_population = sum(s.population for s in covered)
    if not covered or total_population == 0:
        return CombinedEvaluation(None, None, None, 0, 0, 0.0, conf, tol, None)
    weights = [(s, s.population / covered_population) for s in covered]
    rate = sum(w * s.deviations / s.reviewed for s, w in weights)
    # Fields reviewed in full carry no sampling error: they weigh in the rate, not in the spread.
    spread = sum(w * w / s.reviewed for s, w in weights if s.reviewed < s.population)
    if spread == 0:
        n_eff, limit = float(reviewed), rate
    else:
        n_eff = 1 / spread
        x_eff = rate * n_eff
        limit = 1.0 if x_eff >= n_eff else float(beta.ppf(conf, x_eff + 1, n_eff - x_eff))
    return CombinedEvaluation(
        deviation_rate=rate,
        upper_deviation_limit=limit,
        effective_n=n_eff,
        reviewed=reviewed,
        deviations=deviations,
        covered_share=covered_population / total_population,
        confidence=conf,
        tolerable_rate=tol,
        acceptable=None if tol is None else limit <= tol,
    )


# --- ISO 2859-1 ----------------------------------------------------------------------------

# Lot-size ranges of Table 1 (lower bounds; the last range is open).
ISO_LOT_LOWER_BOUNDS = (2, 9, 16, 26, 51, 91, 151, 281, 501, 1201, 3201, 10001, 35001, 150001, 500001)
# Code letter per range for the general inspection levels.
ISO_LEVEL_LETTERS = {
    "I": "AABCCDEFGHJKLMN",
    "II": "ABCDEFGHJKLMNPQ",
    "III": "BCDEFGHJKLMNPQR",
}
# Table 2-A, single sampling plans for normal inspection: code letter → sample size.
ISO_SAMPLE_SIZES = {
    "A": 2,
    "B": 3,
    "C": 5,
    "D": 8,
    "E": 13,
    "F": 20,
    "G": 32,
    "H": 50,
    "J": 80,
    "K": 125,
    "L": 200,
    "M": 315,
    "N": 500,
    "P": 800,
    "Q": 1250,
    "R": 2000,
}


@dataclass(frozen=True)
class IsoResult:
    lot_size: int
    level: str
    code_letter: str
    sample_size: int  # what to inspect: the table's size, or the whole lot when smaller
    table_sample_size: int
    full_inspection: bool

    def as_dict(self) -> dict:
        return asdict(self)


def iso2859_code_letter(lot_size: int, level: str = "II") -> str:
    if level not in ISO_LEVEL_LETTERS:
        raise SamplingError(_("Mức kiểm tra ISO 2859-1 phải là I, II hoặc III."))
    if lot_size < 1:
        raise SamplingError(_("Cỡ lô phải từ 1 trở lên."))
    index = 0
    for i, lower in enumerate(ISO_LOT_LOWER_BOUNDS):
        if lot_size >= lower:
            index = i
    return ISO_LEVEL_LETTERS[level][index]


def iso2859_sample_size(lot_size: int, level: str = "II") -> IsoResult:
    letter = iso2859_code_letter(lot_size, level)
    table = ISO_SAMPLE_SIZES[letter]
    return IsoResult(
        lot_size=lot_size,
        level=level,
        code_letter=letter,
        sample_size=min(table, lot_size),
        table_sample_size=table,
        full_inspection=table >= lot_size,
    )


# --- Allocation across fields ----------------------------------------------------------------

PROPORTIONAL = "proportional"
EQUAL = "equal"
PER_FIELD = "per_field"


def _capped_split(populations: dict[str, int], total: int, quota) -> dict[str, int]:
    """Split `total` over the keys by `quota(keys, total) -> {key: float}`, never giving a field more
    than its population: capped fields are fixed and the rest is split again among the others.
    Whole numbers by largest remainder (ties: larger population, then key)."""
    result = dict.fromkeys(populations, 0)
    open_keys = [key for key, size in populations.items() if size > 0]
    remaining = min(total, sum(populations[key] for key in open_keys))
    while open_keys and remaining > 0:
        shares = quota(open_keys, remaining)
        capped = [key for key in open_keys if shares[key] >= populations[key]]
        if capped:
            for key in capped:
                result[key] = populations[key]
                remaining -= populations[key]
            open_keys = [key for key in open_keys if key not in capped]
            continue
        floors = {key: math.floor(shares[key]) for key in open_keys}
        left = remaining - sum(floors.values())
        order = sorted(open_keys, key=lambda key: (-(shares[key] - floors[key]), -populations[key], key))
        for key in order[:left]:
            floors[key] += 1
        result.update(floors)
        break
    return result


def allocate(
    populations: dict[str, int],
    *,
    method: str,
    total: int = 0,
    per_field: dict[str, int] | None = None,
    minimum: int = 0,
) -> dict[str, int]:
    """Sample size per field (stratum).

    - proportional: `total` split in proportion to the fields' populations (largest remainder);
    - equal: `total` split equally (the remainder to the largest fields first);
    - per_field: each field gets its own size from `per_field` (missing fields get 0).
    In every method a field's size is then raised to `minimum` and capped at its population; capped
    fields hand their surplus to the others (proportional, equal)."""
    if minimum < 0 or total < 0:
        raise SamplingError(_("Cỡ mẫu và cỡ mẫu tối thiểu không được âm."))
    if method == PROPORTIONAL:
        population_total = sum(populations.values())

        def quota(keys, remaining):
            base = sum(populations[k] for k in keys)
            return {k: remaining * populations[k] / base for k in keys}

        sizes = (
            _capped_split(populations, total, quota) if population_total else dict.fromkeys(populations, 0)
        )
    elif method == EQUAL:
        sizes = _capped_split(
            populations, total, lambda keys, remaining: {k: remaining / len(keys) for k in keys}
        )
    elif method == PER_FIELD:
        per_field = per_field or {}
        sizes = {key: max(0, int(per_field.get(key, 0))) for key in populations}
    else:
        raise SamplingError(_("Cách phân bổ “%(m)s” không được hỗ trợ.") % {"m": method})
    return {key: min(populations[key], max(sizes[key], minimum)) for key in populations}


# --- Wording for the minutes ----------------------------------------------------------------


def format_percent(rate: float | None, digits: int = 1) -> str:
    """In the active language: 3,4% (Vietnamese), 3.4% (English)."""
    from congvu.core.numbers import percent

    return percent(rate, digits)


def format_limit(rate: float | None) -> str:
    """An upper limit as the AICPA tables print it (rounded up to 0,1 %), in the active language."""
    from congvu.core.numbers import number

    if rate is None:
        return "—"
    return number(aicpa_percent(rate), 1) + "%"


def evaluation_sentence(
    *,
    label: str,
    population: int,
    reviewed: int,
    deviations: int,
    upper_limit: float | None,
    confidence: float,
    tolerable: float | None,
    record_word: str,
    census: bool = False,
) -> str:
    """One paragraph the team can paste into the minutes (biên bản) for a field or the whole sample."""
    if reviewed == 0 or upper_limit is None:
        return _("%(label)s: chưa có %(word)s nào trong mẫu được kiểm tra.") % {
            "label": label,
            "word": record_word,
        }
    if census:
        return _census_sentence(label, reviewed, deviations, tolerable, record_word)
    text = _(
        "%(label)s: đã kiểm tra %(n)s/%(N)s %(word)s, phát hiện %(k)s %(word)s có sai lệch "
        "(tỷ lệ %(rate)s). Với độ tin cậy %(conf)s, tỷ lệ sai lệch của toàn bộ %(word)s không vượt quá "
        "%(ul)s (giới hạn trên)."
    ) % {
        "label": label,
        "n": reviewed,
        "N": population,
        "word": record_word,
        "k": deviations,
        "rate": format_percent(deviations / reviewed),
        "conf": format_percent(confidence, 0),
        "ul": format_limit(upper_limit),
    }
    if tolerable is None:
        return text
    if upper_limit <= tolerable:
        return (
            text
            + " "
            + _(
                "Giới hạn này không vượt mức sai lệch chấp nhận được %(t)s: kết quả mẫu cho phép kết luận "
                "việc giải quyết đạt yêu cầu."
            )
            % {"t": format_percent(tolerable)}
        )
    return (
        text
        + " "
        + _(
            "Giới hạn này vượt mức sai lệch chấp nhận được %(t)s: chưa thể kết luận việc giải quyết đạt yêu "
            "cầu; đề nghị làm rõ nguyên nhân các sai lệch hoặc mở rộng mẫu."
        )
        % {"t": format_percent(tolerable)}
    )


def _census_sentence(label: str, reviewed: int, deviations: int, tolerable: float | None, word: str) -> str:
    rate = deviations / reviewed
    text = _(
        "%(label)s: đã kiểm tra toàn bộ %(n)s %(word)s, phát hiện %(k)s %(word)s có sai lệch "
        "(tỷ lệ %(rate)s); vì kiểm tra toàn bộ nên đây là tỷ lệ thực tế, không có rủi ro chọn mẫu."
    ) % {"label": label, "n": reviewed, "word": word, "k": deviations, "rate": format_percent(rate)}
    if tolerable is None:
        return text
    if rate <= tolerable:
        verdict = _("Tỷ lệ này không vượt mức sai lệch chấp nhận được %(t)s.")
    else:
        verdict = _("Tỷ lệ này vượt mức sai lệch chấp nhận được %(t)s.")
    return text + " " + verdict % {"t": format_percent(tolerable)}
