import random
from datetime import date

import pytest

from congvu.demo import calendar as demo_calendar
from congvu.demo.builder import DemoContext
from congvu.workdays.models import CalendarDay, WorkdayOrdinal
from congvu.workdays.selectors import calendar_bounds, working_days_count

pytestmark = pytest.mark.django_db


def test_demo_step_restores_the_calendar_for_the_demo_years():
    CalendarDay.objects.all().delete()
    WorkdayOrdinal.objects.all().delete()
    lines = []
    ctx = DemoContext(seed=1, scale="small", rng=random.Random(1), log=lines.append)
    demo_calendar.build(ctx)
    first, last = calendar_bounds()
    assert first <= date(2023, 1, 1) and last >= date(2026, 12, 31)
    assert CalendarDay.objects.filter(document_number="2450/VPCP-KGVX").exists()
    assert working_days_count(date(2024, 4, 22), date(2024, 5, 10)) == 13
    assert "01/01/2015–31/12/2035" in lines[0]
    demo_calendar.build(ctx)  # a second run changes nothing
    assert CalendarDay.objects.count() == 56
