"""The calendar's defaults and how a day's status is decided. Pure functions, no database.

Defaults come from the `holidays` package (Vietnam, names in Vietnamese): the Labour Code 2019
Art. 112 holidays (1/1, five Tết days, Hùng Kings, 30/4, 1/5, 2/9 and one adjacent day, and from
2026 Ngày Văn hóa Việt Nam 24/11), the day in lieu when a holiday falls on a weekend (Art. 111(3)),
and the weekday/Saturday swaps the package knows (its `weekend_workdays`). Official decisions
(`CalendarDay` rows) win over these on their date; a date with neither is a working day from
Monday to Friday.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

import holidays

from congvu.workdays.models import DayKind


@dataclass(frozen=True)
class DefaultDay:
    """One day the `holidays` package names: a holiday (day off) or a Saturday worked in exchange."""

    date: date
    kind: str
    name: str


def _dates(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


@lru_cache(maxsize=16)
def _defaults_for_years(first_year: int, last_year: int) -> dict[date, DefaultDay]:
    # A swap may cross a year boundary (day off 31/12/2018, worked 05/01/2019): populate one year
    # either side and keep only the dates asked for.
    calendar = holidays.country_holidays("VN", years=range(first_year - 1, last_year + 2), language="vi")
    first, last = date(first_year, 1, 1), date(last_year, 12, 31)
    days: dict[date, DefaultDay] = {}
    for day, name in calendar.items():
        if first <= day <= last:
            days[day] = DefaultDay(day, DayKind.DAY_OFF, name)
    for day in calendar.weekend_workdays:
        if first <= day <= last:
            # The package names the weekday given off "Ngày nghỉ (thay cho ngày dd/mm/yyyy)" after the
            # Saturday worked for it: find it to name the Saturday back.
            key = f"{day:%d/%m/%Y}"
            swapped = next((d for d, n in calendar.items() if key in n), None)
            name = f"Làm bù cho ngày nghỉ {swapped:%d/%m/%Y}" if swapped else "Ngày làm bù"
            days[day] = DefaultDay(day, DayKind.WORKING_DAY, name)
    return days


def default_days(first: date, last: date) -> dict[date, DefaultDay]:
    """The package's named days in [first, last] (cached per span of years)."""
    days = _defaults_for_years(first.year, last.year)
    return {d: v for d, v in days.items() if first <= d <= last}


def is_working(day: date, decided: str | None, default: str | None) -> bool:
    """Decision first, then the package's default, then Monday to Friday."""
    kind = decided or default
    if kind:
        return kind == DayKind.WORKING_DAY
    return day.weekday() < 5


def ordinal_rows(first: date, last: date, decisions: Mapping[date, str]) -> list[tuple[date, int, bool]]:
    """The ordinal table for [first, last]: (date, working days from `first` through date, is_working).

    `decisions` maps a date to its decided kind. One pass over at most a few thousand dates; the
    callers write the rows in bulk."""
    defaults = default_days(first, last)
    days = list(_dates(first, last))
    flags = [is_working(d, decisions.get(d), defaults[d].kind if d in defaults else None) for d in days]
    return list(zip(days, accumulate(int(f) for f in flags), flags, strict=True))
