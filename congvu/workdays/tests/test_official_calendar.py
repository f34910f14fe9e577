"""The calendar against the official 2024–2026 schedules (congvu/workdays/official.py)."""

from datetime import date, timedelta

import pytest

from congvu.workdays.models import CalendarDay, WorkdayOrdinal
from congvu.workdays.selectors import (
    CalendarRangeError,
    calendar_year,
    is_working_day,
    working_days_add,
    working_days_count,
)

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # 2024 Tết, off Thu 08/02 – Wed 14/02: Mon 5, Tue 6, Wed 7, Thu 15, Fri 16.
        ("2024-02-05", "2024-02-16", 5),
        # 2024 30/4–1/5, off Sat 27/04 – Wed 01/05 with Mon 29/04 given for Sat 04/05, which is worked:
        # 22–26/04 (5) + 02–04/05 (3) + 06–10/05 (5).
        ("2024-04-22", "2024-05-10", 13),
        # 2024 2/9, off Sat 31/08 – Tue 03/09: 26–30/08 (5) + 04–06/09 (3).
        ("2024-08-26", "2024-09-06", 8),
        # Hùng Kings 18/04/2024 (a statutory default, no decision).
        ("2024-04-15", "2024-04-19", 4),
        # 2025 Tết, off Sat 25/01 – Sun 02/02: 20–24/01 (5) + 03–07/02 (5).
        ("2025-01-20", "2025-02-07", 10),
        # 2025 30/4–1/5, off Wed 30/04 – Sun 04/05, Fri 02/05 given for Sat 26/04, which is worked:
        # 21–26/04 (6) + 28–29/04 (2) + 05–09/05 (5).
        ("2025-04-21", "2025-05-09", 13),
        # 2025 2/9, off Sat 30/08 – Tue 02/09: 25–29/08 (5) + 03–05/09 (3).
        ("2025-08-25", "2025-09-05", 8),
        # 2026 New Year, off Thu 01/01 – Sun 04/01, Fri 02/01 given for Sat 10/01 (unknown to `holidays`).
        ("2026-01-01", "2026-01-16", 11),
        # 2026 Tết, off Sat 14/02 – Sun 22/02.
        ("2026-02-09", "2026-02-27", 10),
        # 2026 2/9, off Sat 29/08 – Wed 02/09, Mon 31/08 given for Sat 22/08.
        ("2026-08-17", "2026-09-04", 13),
    ],
)
def test_count_follows_the_official_schedule(start, end, expected):
    assert working_days_count(D(start), D(end)) == expected


@pytest.mark.parametrize(("year", "total"), [(2024, 251), (2025, 250), (2026, 249)])
def test_working_days_per_year(year, total):
    # Weekdays (262, 261, 261) minus weekday days off plus Saturdays worked; 2026 counts 24/11.
    assert working_days_count(date(year, 1, 1), date(year, 12, 31)) == total
    assert calendar_year(year).working_days == total


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2024-05-04", True),  # Saturday worked in exchange
        ("2024-04-29", False),  # Monday given off in exchange
        ("2024-02-10", False),  # Tết on a Saturday
        ("2024-04-18", False),  # Hùng Kings, default
        ("2025-04-26", True),
        ("2025-05-02", False),
        ("2026-01-02", False),
        ("2026-01-10", True),
        ("2026-04-27", False),  # Hùng Kings 26/04/2026 is a Sunday: Monday in lieu
        ("2026-08-22", True),
        ("2024-06-12", True),
        ("2024-06-15", False),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(D(day)) is working


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2024-02-07", 1, "2024-02-15"),  # across Tết
        ("2024-02-07", 3, "2024-02-19"),
        ("2024-02-15", -1, "2024-02-07"),
        ("2024-02-10", 1, "2024-02-15"),  # from a day off
        ("2024-02-10", -1, "2024-02-07"),
        ("2024-05-03", 1, "2024-05-04"),  # the worked Saturday counts
        ("2024-04-26", 1, "2024-05-02"),
        ("2025-01-24", 1, "2025-02-03"),
        ("2024-02-10", 0, "2024-02-10"),  # n = 0 is the date itself, working or not
        ("2024-02-07", 0, "2024-02-07"),
    ],
)
def test_add(day, n, expected):
    assert working_days_add(D(day), n) == D(expected)


@pytest.mark.parametrize("start", ["2024-01-29", "2024-02-10", "2024-04-27", "2025-04-25", "2026-08-21"])
def test_add_is_the_inverse_of_count(start):
    d = D(start)
    for n in range(1, 40):
        forward = working_days_add(d, n)
        assert is_working_day(forward)
        assert working_days_count(d + timedelta(days=1), forward) == n
        back = working_days_add(d, -n)
        assert is_working_day(back)
        assert working_days_count(back, d - timedelta(days=1)) == n


def test_empty_range_counts_zero():
    assert working_days_count(D("2024-05-10"), D("2024-05-01")) == 0
    assert working_days_count(D("2024-05-02"), D("2024-05-01")) == 0


def test_count_over_the_whole_table_matches_the_flags():
    first, last = D("2015-01-01"), D("2035-12-31")
    assert working_days_count(first, last) == WorkdayOrdinal.objects.filter(is_working=True).count()


def test_dates_outside_the_table_give_a_clear_error():
    with pytest.raises(CalendarRangeError, match="01/01/2015–31/12/2035; ngày 01/01/2040"):
        working_days_count(D("2024-01-01"), D("2040-01-01"))
    with pytest.raises(CalendarRangeError, match="ngày làm việc thứ 5 sau ngày 30/12/2035"):
        working_days_add(D("2035-12-30"), 5)
    with pytest.raises(CalendarRangeError, match="01/01/2015–31/12/2035"):
        working_days_add(D("2015-01-05"), -10)
    with pytest.raises(CalendarRangeError):
        is_working_day(D("2014-12-31"))


def test_the_official_decisions_ship_with_their_documents():
    swap = CalendarDay.objects.get(date=D("2024-05-04"))
    assert swap.is_working and swap.document_number == "2450/VPCP-KGVX"
    assert swap.document_date == D("2024-04-12")
    assert CalendarDay.objects.get(date=D("2026-01-10")).document_number == "12729/VPCP-KGVX"
    assert CalendarDay.objects.filter(document_number="9441/TB-BNV").count() == 15  # 9 + 5 + Sat 22/08


def test_calendar_year_marks_days_and_counts_months():
    year = calendar_year(2024)
    by_month = {m.number: m.working_days for m in year.months}
    assert by_month[4] == 19  # 22 weekdays − 18/04, 29/04, 30/04
    assert by_month[5] == 23  # 23 weekdays − 01/05 + Saturday 04/05
    cells = {c.date: c for m in year.months for week in m.weeks for c in week if c}
    assert len(cells) == 366
    assert cells[D("2024-05-04")].status == "worked"
    assert cells[D("2024-04-29")].status == "off"
    assert cells[D("2024-06-15")].status == "weekend"
    assert cells[D("2024-06-14")].status == "working"
    entries = {e.date: e for e in year.entries}
    assert entries[D("2024-04-18")].is_decision is False  # default from the package
    assert entries[D("2024-04-29")].is_decision is True
