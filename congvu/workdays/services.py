"""Writes to the working-day calendar. Each runs in one transaction that also rewrites the ordinal
table and records the audit event, so the table never disagrees with the decisions."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from congvu.core.audit import audit_record, snapshot
from congvu.workdays.models import CalendarDay, WorkdayOrdinal
from congvu.workdays.official import load_official
from congvu.workdays.selectors import calendar_bounds, coverage
from congvu.workdays.table import DEFAULT_FIRST, DEFAULT_LAST, lock_calendar, write_ordinal_table


@dataclass(frozen=True)
class RebuildResult:
    first: date
    last: date
    days: int
    working_days: int
    seconds: float


def _table_range(start: date | None, end: date | None) -> tuple[date, date]:
    """The range to rebuild: as asked, else what the table covers, never less than 2015–2035."""
    bounds = calendar_bounds()
    first = start or min(DEFAULT_FIRST, bounds[0] if bounds else DEFAULT_FIRST)
    last = end or max(DEFAULT_LAST, bounds[1] if bounds else DEFAULT_LAST)
    if first > last:
        raise ValidationError(f"Khoảng dựng lịch không hợp lệ: {first:%d/%m/%Y} sau {last:%d/%m/%Y}.")
    return first, last


def _rewrite(start: date | None = None, end: date | None = None) -> RebuildResult:
    began = time.perf_counter()
    first, last = _table_range(start, end)
    working = write_ordinal_table(CalendarDay, WorkdayOrdinal, first, last)
    return RebuildResult(first, last, (last - first).days + 1, working, time.perf_counter() - began)


def _check_in_table(day: date) -> None:
    """A decision outside the table would silently change nothing: refuse it."""
    first, last = _table_range(None, None)
    if not first <= day <= last:
        raise ValidationError(
            {
                "date": f"{coverage(first, last)}; mở rộng lịch trước "
                "(`congvu calendar rebuild --from … --to …`)."
            }
        )


@transaction.atomic
def calendar_rebuild(*, actor=None, start: date | None = None, end: date | None = None) -> RebuildResult:
    """(Re)compute the whole ordinal table for [start, end].

    Without `start`/`end` the table keeps its current range, and covers at least 2015–2035. With
    them the table covers exactly that range (ordinals then count from `start`; differences, which
    is all anyone may rely on, do not change)."""
    lock_calendar(WorkdayOrdinal)
    result = _rewrite(start, end)
    audit_record(
        actor=actor,
        action="calendar.rebuild",
        object_type=WorkdayOrdinal._meta.label_lower,
        object_repr=f"Bảng ngày làm việc {result.first:%d/%m/%Y}–{result.last:%d/%m/%Y}",
        after={
            "first": result.first,
            "last": result.last,
            "days": result.days,
            "working": result.working_days,
        },
    )
    return result


@transaction.atomic
def calendar_day_set(
    *,
    actor,
    date: date,
    kind: str,
    name: str,
    document_number: str = "",
    document_date: date | None = None,
) -> CalendarDay:
    """Record (or replace) the official decision for one date; it wins over the default."""
    lock_calendar(WorkdayOrdinal)
    _check_in_table(date)
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = snapshot(day)
    if day is None:
        day = CalendarDay(date=date)
    day.kind = kind
    day.name = " ".join((name or "").split())
    day.document_number = (document_number or "").strip()
    day.document_date = document_date
    day.full_clean()
    day.save()
    _rewrite()
    audit_record(
        actor=actor,
        action="calendar_day.update" if before else "calendar_day.create",
        obj=day,
        before=before,
        after=snapshot(day),
    )
    return day


@transaction.atomic
def calendar_day_delete(*, actor, date: date) -> None:
    """Remove the decision for one date: the date falls back to the package's default."""
    lock_calendar(WorkdayOrdinal)
    day = CalendarDay.objects.select_for_update().get(date=date)
    before = snapshot(day)
    day.delete()
    _rewrite()
    audit_record(
        actor=actor,
        action="calendar_day.delete",
        object_type=CalendarDay._meta.label_lower,
        object_id=before["id"],
        object_repr=f"{date:%d/%m/%Y} {before['name']}"[:300],
        before=before,
    )


@transaction.atomic
def calendar_official_load(*, actor) -> int:
    """Insert the shipped official decisions (2024–2026) that are missing; admin rows are kept.

    Migration 0003 loads them on a new database; this puts them back after a flush (demo, tests)."""
    lock_calendar(WorkdayOrdinal)
    created = load_official(CalendarDay)
    if created:
        _rewrite()
        audit_record(
            actor=actor,
            action="calendar_day.load_official",
            object_type=CalendarDay._meta.label_lower,
            object_repr=f"{len(created)} ngày theo văn bản chính thức 2024–2026",
            after={"dates": [d.date for d in created]},
        )
    return len(created)
