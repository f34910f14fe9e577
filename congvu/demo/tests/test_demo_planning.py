import random

import pytest

from congvu.demo import org as demo_org
from congvu.demo import planning as demo_planning
from congvu.demo.builder import DemoContext
from congvu.planning.models import PlanningEntry
from congvu.planning.selectors import check_entries

pytestmark = pytest.mark.django_db


def test_demo_plans_the_departments_deputies_and_specialists_with_flags():
    # Only the organisation step before it: without the evaluation step there are no specialists with
    # classifications, so the classification condition is unknown, never invented.
    ctx = DemoContext(seed=1, scale="small", rng=random.Random(1), log=lambda *_: None)
    demo_org.build(ctx)
    demo_planning.build(ctx)
    entries = list(PlanningEntry.objects.filter(unit__code="VL-SXD").select_related("official", "unit"))
    heads = [e for e in entries if e.role == "head"]
    deputies = [e for e in entries if e.role == "deputy"]
    assert heads and 1 <= len(deputies) <= 2  # specialists: the evaluation step's, else whoever is in post
    assert all(e.official.birth_date and e.official.sex for e in entries)
    checks = check_entries(entries, on=demo_planning.REVIEW)
    oldest = min(heads, key=lambda e: e.official.birth_date)
    assert {f.code: f.status for f in checks[oldest.pk].flags}["age"] == "khong_dat"  # born 1968–1970
    assert all({f.code: f.status for f in checks[e.pk].flags}["classification"] == "chua_ro" for e in entries)
