"""A leader's products (decree-335 §4): his own tasks plus the unit's tasks he directs (a deputy:
within his portfolio), the reading `leader_products`; d, đ and e with their sources. By hand."""

from datetime import date
from fractions import Fraction

import pytest

from congvu.evaluation.models import PeriodSheet, RuleSetAssignment
from congvu.evaluation.services import sheets_generate
from congvu.evaluation.tests.conftest import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1(personas, people, nd335_2026):
    unit = personas.unit
    make_task(
        "H-1",
        unit,
        people["head"],
        received=date(2026, 1, 5),
        due=date(2026, 2, 1),
        completed=date(2026, 1, 30),
        quality="passed",
    )
    make_task(
        "S-1",
        unit,
        people["staff"],
        received=date(2026, 1, 5),
        due=date(2026, 2, 1),
        completed=date(2026, 2, 3),
        quality="passed",
        field=people["construction"],
    )
    make_task(
        "S-2",
        unit,
        people["staff2"],
        received=date(2026, 1, 5),
        due=date(2026, 3, 1),
        completed=date(2026, 2, 20),
        quality="passed",
        field=people["planning"],
    )


def _generate(personas):
    sheets_generate(
        actor=personas.focal,
        unit=personas.unit,
        year=2026,
        period_number=1,
        period_kind="quarter",
        as_of=date(2026, 4, 10),
    )
    return {s.official.code: s for s in PeriodSheet.objects.select_related("official")}


def test_head_is_scored_on_his_own_and_the_directed_tasks_by_default(personas, people, q1):
    sheets = _generate(personas)
    head = sheets["O-HEAD"]
    assert sorted((p.code, p.directed) for p in head.products.all()) == [
        ("H-1", False),
        ("S-1", True),
        ("S-2", True),
    ]
    # a 100, b 100, c (1 + 1 + 3/4)/3 = 275/3 %; d 100 (staff 385/6, staff2 70, deputy 245/4, all ≥ 50);
    # đ 50 (S-1 late); e 100: (100 + 100 + 275/3 + 100 + 50 + 100)/6 × 70 % = 2275/36.
    assert head.total_fraction == Fraction(2275, 36)
    assert sheets["O-CV1"].total_fraction == Fraction(385, 6)
    # The deputy (construction) directs S-1 only; S-2 (planning) is outside his portfolio.
    deputy = sheets["O-DEP"]
    assert [(p.code, p.directed) for p in deputy.products.all()] == [("S-1", True)]
    # a 100, b 100, c 75, d 100 (O-CV1, construction, 385/6), đ 50 (S-1 late in construction), e 100.
    assert deputy.total_fraction == Fraction(245, 4)


def test_own_reading_scores_the_head_on_his_own_tasks_only(personas, people, q1):
    RuleSetAssignment.objects.filter(year=2026).update(overrides={"leader_products": "own"})
    head = _generate(personas)["O-HEAD"]
    assert [p.code for p in head.products.all()] == ["H-1"]
    # (100 + 100 + 100 + 100 + 50 + 100)/6 × 70 % = 385/6.
    assert head.total_fraction == Fraction(385, 6)


def test_a_bad_reading_is_refused_naming_the_parameter():
    from congvu.evaluation.rules import RuleSetError, rule_set_for

    with pytest.raises(RuleSetError) as refused:
        rule_set_for("nd335_2025", {"leader_products": "all"})
    assert refused.value.field == "leader_products"
