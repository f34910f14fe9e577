"""The working-day calendar the benchmark data is generated with: Monday–Friday, minus the official
days off, plus the worked (swapped) Saturdays, for the years the synthetic registers span.

Kept independent of Django so the generator and the polars peer can use it; the benchmark databases get
the same table through the application's own calendar service when it exists."""

from __future__ import annotations

from datetime import date, timedelta

import holidays

# Worked Saturdays (làm bù) decided for civil servants; the `holidays` package lists only the days off.
WORKED_SATURDAYS = {date(2024, 5, 4), date(2025, 4, 26)}


def working_days(start: date, end: date) -> list[tuple[date, int, bool]]:
    """(date, ordinal, is_working) for every day in [start, end]; ordinal counts working days from
    `start` through the date inclusive, as `WorkdayOrdinal` does."""
    off = holidays.country_holidays("VN", years=range(start.year, end.year + 1), categories=("public",))
    out = []
    ordinal = 0
    day = start
    while day <= end:
        working = (day.weekday() < 5 and day not in off) or day in WORKED_SATURDAYS
        ordinal += working
        out.append((day, ordinal, working))
        day += timedelta(days=1)
    return out
