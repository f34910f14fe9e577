"""Reads of the working-day calendar. Every answer comes from the ordinal table (SQL lookups on its
primary key), so a count over twenty years costs the same as one over a week.

Conventions (DESIGN "Working-day conventions"):
* `working_days_count(a, b)` — working days in the closed range [a, b]; 0 when a > b (an empty
  range), so lateness `count(due + 1 day, completed)` is 0 for work done on time.
* `working_days_add(d, n)` — the n-th working day after d, d itself not counted:
  n > 0 → the date x > d, a working day, with count(d + 1, x) = n;
  n < 0 → the |n|-th working day before d: the date x < d, a working day, with count(x, d − 1) = |n|;
  n = 0 → d itself, whether or not it is a working day.
The calendar is not unit-owned: every signed-in user may read it, so these take no user.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max, Min, QuerySet
from django.utils.translation import gettext_lazy as _

from congvu.workdays.defaults import default_days
from congvu.workdays.models import CalendarDay, DayKind, WorkdayOrdinal


class CalendarRangeError(ValueError):
    """A date outside the ordinal table (or no table at all). The message is for the user."""


def calendar_bounds() -> tuple[date, date] | None:
    """First and last date of the ordinal table, None when it is empty."""
    bounds = WorkdayOrdinal.objects.aggregate(first=Min("date"), last=Max("date"))
    if bounds["first"] is None:
        return None
    return bounds["first"], bounds["last"]


NOT_BUILT = "Bảng ngày làm việc chưa được dựng: chạy `congvu calendar rebuild` (hoặc `congvu migrate`)."


def coverage(first: date, last: date) -> str:
    return f"Lịch ngày làm việc chỉ bao gồm {first:%d/%m/%Y}–{last:%d/%m/%Y}"


def _out_of_range(*days: date) -> CalendarRangeError:
    bounds = calendar_bounds()
    if bounds is None:
        return CalendarRangeError(NOT_BUILT)
    outside = ", ".join(f"{d:%d/%m/%Y}" for d in days if not bounds[0] <= d <= bounds[1])
    return CalendarRangeError(f"{coverage(*bounds)}; ngày {outside} nằm ngoài phạm vi đó.")


def _rows(*days: date) -> dict[date, tuple[int, bool]]:
    """date → (ordinal, is_working) for the given dates; CalendarRangeError if any is missing."""
    rows = {
        d: (n, w)
        for d, n, w in WorkdayOrdinal.objects.filter(date__in=set(days)).values_list(
            "date", "ordinal", "is_working"
        )
    }
    if len(rows) != len(set(days)):
        raise _out_of_range(*days)
    return rows


def working_days_count(a: date, b: date) -> int:
    """Working days in [a, b] = ordinal(b) − ordinal(a − 1 day); 0 when a > b."""
    rows = _rows(a, b)
    if a > b:
        return 0
    ordinal_a, working_a = rows[a]
    return rows[b][0] - (ordinal_a - int(working_a))


def working_days_add(d: date, n: int) -> date:
    """The n-th working day after d (d not counted); negative n counts back; see the module doc."""
    ordinal_d, working_d = _rows(d)[d]
    if n == 0:
        return d
    # ordinal(d − 1) = ordinal(d) − is_working(d); the k-th working day after d has ordinal(d) + k.
    target = ordinal_d + n if n > 0 else ordinal_d - int(working_d) + n + 1
    found = (
        WorkdayOrdinal.objects.filter(ordinal=target, is_working=True).values_list("date", flat=True).first()
    )
    if found is None:
        where = "sau" if n > 0 else "trước"
        raise CalendarRangeError(
            f"{coverage(*calendar_bounds())}; ngày làm việc thứ {abs(n)} {where} ngày {d:%d/%m/%Y} "
            "nằm ngoài phạm vi đó."
        )
    return found


def is_working_day(d: date) -> bool:
    return _rows(d)[d][1]


def calendar_day_list(*, year: int | None = None) -> QuerySet[CalendarDay]:
    """The official decisions, optionally of one year, by date."""
    qs = CalendarDay.objects.order_by("date")
    return qs.filter(date__year=year) if year is not None else qs


# --- One year, as the calendar page and `congvu calendar show` present it ---------------------


WEEKDAY_NAMES = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)


@dataclass
class Entry:
    """A named day of the year: an official decision, or the package's default where none."""

    date: date
    kind: str
    name: str
    is_decision: bool
    document_number: str = ""
    document_date: date | None = None

    @property
    def kind_label(self) -> str:
        return DayKind(self.kind).label

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]


@dataclass
class Cell:
    date: date
    is_working: bool
    entry: Entry | None

    @property
    def status(self) -> str:
        """working, worked (a weekend day worked), off (a named day off) or weekend."""
        weekend = self.date.weekday() >= 5
        if self.is_working:
            return "worked" if weekend else "working"
        return "off" if self.entry else "weekend"


@dataclass
class Month:
    number: int
    weeks: list[list[Cell | None]]
    working_days: int


@dataclass
class Year:
    year: int
    months: list[Month] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def working_days(self) -> int:
        return sum(m.working_days for m in self.months)


def year_entries(year: int) -> list[Entry]:
    """The year's decisions and, on dates without one, the package's named days, by date."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    entries = {
        d.date: Entry(d.date, d.kind, d.name, True, d.document_number, d.document_date)
        for d in calendar_day_list(year=year)
    }
    for day, default in default_days(first, last).items():
        entries.setdefault(day, Entry(day, default.kind, default.name, False))
    return [entries[d] for d in sorted(entries)]


def calendar_year(year: int) -> Year:
    """Month grids (Monday first) with each day's status from the ordinal table, the named days, and
    the working days per month. CalendarRangeError when the table does not cover the whole year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    flags = dict(WorkdayOrdinal.objects.filter(date__range=(first, last)).values_list("date", "is_working"))
    if len(flags) != (last - first).days + 1:
        raise _out_of_range(*(d for d in (first, last) if d not in flags))
    entries = year_entries(year)
    by_date = {e.date: e for e in entries}
    result = Year(year=year, entries=entries)
    weeks_of = pycalendar.Calendar(firstweekday=0).monthdatescalendar
    for number in range(1, 13):
        grid = [
            [Cell(d, flags[d], by_date.get(d)) if d.month == number else None for d in week]
            for week in weeks_of(year, number)
        ]
        working = sum(1 for week in grid for cell in week if cell and cell.is_working)
        result.months.append(Month(number, grid, working))
    return result
