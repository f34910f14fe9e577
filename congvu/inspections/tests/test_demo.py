"""The demo step: plans and inspections in every state, built through the services, including the
units of the demo accounts; each unit sees its own inspections only."""

import random

import pytest

from congvu.accounts.models import User
from congvu.core.audit import audit_verify
from congvu.demo import inspections as demo_inspections
from congvu.demo import org as demo_org
from congvu.demo.builder import DemoContext
from congvu.inspections.models import Inspection, InspectionPlan, StatusChange
from congvu.inspections.selectors import inspection_list
from congvu.inspections.workflow import STATUSES

pytestmark = pytest.mark.django_db


def test_demo_has_inspections_in_every_state_for_the_demo_units():
    ctx = DemoContext(seed=1, scale="small", rng=random.Random(1), log=lambda *_: None)
    demo_org.build(ctx)
    demo_inspections.build(ctx)
    assert set(Inspection.objects.values_list("status", flat=True)) == set(STATUSES)
    assert set(InspectionPlan.objects.values_list("status", flat=True)) == {"draft", "approved"}
    sxd, xa = (User.objects.get(username=u) for u in ("daumoi.sxd", "daumoi.xa"))
    mine = inspection_list(fetched_by=sxd)
    assert mine.count() == 2  # the scheduled one in remediation and the surprise one on site
    assert {i.unit_id for i in mine} == {sxd.unit_id}
    assert [i.status for i in inspection_list(fetched_by=xa)] == ["notified"]
    closed = Inspection.objects.get(status="closed")
    assert StatusChange.objects.filter(inspection=closed).count() == 8
    assert closed.checklists.filter(subject="head").exists()
    assert audit_verify().ok
