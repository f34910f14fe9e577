"""Demo step: the working-day calendar and its ordinal table for the demo period.

`migrate` already loads the official 2024–2026 decisions and builds the table; this step makes sure
they are there (a flushed database, a test) and that the table covers the demo years."""

from datetime import date

from congvu.workdays.selectors import calendar_bounds
from congvu.workdays.services import calendar_official_load, calendar_rebuild

DEMO_FIRST = date(2023, 1, 1)
DEMO_LAST = date(2026, 12, 31)


def build(ctx) -> None:
    loaded = calendar_official_load(actor=ctx.actor)  # rewrites the table when it adds anything
    bounds = calendar_bounds()
    if bounds is None or bounds[0] > DEMO_FIRST or bounds[1] < DEMO_LAST:
        calendar_rebuild(actor=ctx.actor)
    first, last = calendar_bounds()
    ctx.log(
        f"Lịch ngày làm việc: {first:%d/%m/%Y}–{last:%d/%m/%Y}"
        + (f", nạp {loaded} ngày theo văn bản chính thức." if loaded else ".")
    )
