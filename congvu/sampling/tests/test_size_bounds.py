"""Every sample-size search is bounded (issue #14, item 2): a tiny tolerable rate over a huge
population, or an expected rate next to the tolerable one, is answered from a bounded number of
probability evaluations, or refused with a Vietnamese message — not minutes of CPU.

Tests do not time anything: they count the points at which SciPy evaluates a probability, and
check the bounded search against a plain scan, point by point, where the scan is affordable."""

import math
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse
from scipy.stats import binom, hypergeom

from congvu.sampling import stats


class _Counting:
    """Wraps scipy's binom or hypergeom; counts the points at which cdf is evaluated."""

    def __init__(self, distribution):
        self.distribution = distribution
        self.points = 0

    def cdf(self, k, *args):
        self.points += int(np.size(k))
        return self.distribution.cdf(k, *args)


@pytest.fixture
def counted(monkeypatch):
    binomial, hypergeometric = _Counting(binom), _Counting(hypergeom)
    monkeypatch.setattr(stats, "binom", binomial)
    monkeypatch.setattr(stats, "hypergeom", hypergeometric)
    return binomial, hypergeometric


def _plain_scan(confidence, tolerable, expected, population=None):
    """The definition itself: the first n whose P(X ≤ ⌈nE⌉) is within the risk, every n evaluated."""
    risk = 1 - float(confidence)
    top = population if population is not None else 100_000
    ns = np.arange(1, top)
    ks = np.array([stats.expected_deviations(int(n), expected) for n in ns])
    if population is None:
        probs = binom.cdf(ks, ns, float(tolerable))
    else:
        probs = hypergeom.cdf(ks, population, max(1, math.ceil(Decimal(tolerable) * population)), ns)
    hits = np.flatnonzero(probs <= risk)
    if hits.size == 0:
        return top, stats.expected_deviations(top, expected)
    return int(ns[hits[0]]), int(ks[hits[0]])


@pytest.mark.parametrize(
    ("confidence", "tolerable", "expected", "population"),
    [
        ("0.95", "0.05", "0", None),
        ("0.95", "0.05", "0.045", None),
        ("0.90", "0.02", "0.015", None),
        ("0.99", "0.1", "0.0875", None),
        ("0.95", "0.05", "0.01", 300),
        ("0.95", "0.03", "0.025", 5000),
        ("0.90", "0.1", "0.09", 3000),
        ("0.95", "0.2", "0.15", 40),  # the whole population
    ],
)
def test_the_bounded_search_finds_the_size_a_plain_scan_finds(confidence, tolerable, expected, population):
    result = stats.attribute_sample_size(
        confidence=Decimal(confidence),
        tolerable=Decimal(tolerable),
        expected=Decimal(expected),
        population=population,
    )
    assert (result.sample_size, result.expected_deviations) == _plain_scan(
        confidence, tolerable, expected, population
    )


def test_a_tiny_tolerable_rate_over_a_billion_records_needs_few_evaluations(counted):
    binomial, hypergeometric = counted
    result = stats.attribute_sample_size(
        confidence=Decimal("0.95"), tolerable=Decimal("0.00001"), population=1_000_000_000
    )
    assert (result.sample_size, result.method) == (299_527, "hypergeometric")
    assert 0 < hypergeometric.points <= 64  # the plain scan evaluated 299,527 points (35 s)


def test_an_expected_rate_close_to_the_tolerable_one_is_bounded(counted):
    binomial, hypergeometric = counted
    result = stats.attribute_sample_size(
        confidence=Decimal("0.95"), tolerable=Decimal("0.01"), expected=Decimal("0.009"), population=100_000
    )
    assert (result.sample_size, result.expected_deviations) == (21_666, 195)
    assert hypergeometric.points <= 500  # the plain scan: 21,666 points (30 s)
    with pytest.raises(stats.SamplingError, match="quá gần"):
        stats.attribute_sample_size(
            confidence=Decimal("0.95"), tolerable=Decimal("0.5"), expected=Decimal("0.499")
        )
    assert binomial.points <= stats._MAX_EVALUATIONS["binomial"]


@pytest.mark.parametrize(
    ("tolerable", "expected", "population", "message"),
    [
        ("0.000001", "0", None, "tỷ lệ sai lệch chấp nhận được (0,0001%) quá nhỏ"),
        ("0.000001", "0", 1_000_000_000, "tối đa 1.000.000 bản ghi"),
        ("0.05", "0.0499", 2_000_000, "quá gần"),
        ("0.05", "0", 10**30, "Tổng thể quá lớn: tối đa 1.000.000.000 bản ghi."),
    ],
)
def test_out_of_range_requests_are_refused_with_a_message(counted, tolerable, expected, population, message):
    binomial, hypergeometric = counted
    with pytest.raises(stats.SamplingError) as refused:
        stats.attribute_sample_size(
            confidence=Decimal("0.95"),
            tolerable=Decimal(tolerable),
            expected=Decimal(expected),
            population=population,
        )
    assert message in str(refused.value)
    assert binomial.points <= stats._MAX_EVALUATIONS["binomial"]
    assert hypergeometric.points <= stats._MAX_EVALUATIONS["hypergeometric"]


@pytest.mark.django_db
def test_the_calculator_page_answers_or_explains(client, personas):
    client.force_login(personas.outsider)  # a unit user of any unit: the calculator holds no data
    url = reverse("sampling:calculator")
    page = client.get(url, {"tolerable": "0.001%", "population": "1000000000"})
    assert page.status_code == 200 and page.context["size"].sample_size == 299_527
    page = client.get(url, {"tolerable": "0.0001%", "population": "1000000000"})
    assert page.status_code == 200 and page.context["size"] is None
    assert "Không tính được cỡ mẫu trong giới hạn cho phép" in page.content.decode()
    page = client.get(url, {"tolerable": "5", "population": "9" * 40})
    assert "Tổng thể quá lớn" in page.content.decode()
    page = client.get(url, {"n": "9" * 40, "deviations": "0"})
    assert page.status_code == 200 and "Cỡ mẫu quá lớn" in page.content.decode()
    client.logout()
    assert client.get(url, {"tolerable": "5"}).status_code == 302
