"""Writes: decisions override defaults, the ordinal table follows every change, all audited."""

from datetime import date
from itertools import accumulate

import pytest
from django.core.exceptions import ValidationError

from congvu.core.audit import audit_verify
from congvu.core.models import AuditEvent
from congvu.workdays.defaults import ordinal_rows
from congvu.workdays.models import CalendarDay, DayKind, WorkdayOrdinal
from congvu.workdays.selectors import calendar_bounds, is_working_day, working_days_add, working_days_count
from congvu.workdays.services import (
    calendar_day_delete,
    calendar_day_set,
    calendar_official_load,
    calendar_rebuild,
)

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def assert_table_in_sync():
    """Every row's ordinal is the running count of its flags, and the flags are what the defaults
    and the decisions say today."""
    rows = list(WorkdayOrdinal.objects.order_by("date").values_list("date", "ordinal", "is_working"))
    first, last = rows[0][0], rows[-1][0]
    assert len(rows) == (last - first).days + 1
    assert [n for _, n, _ in rows] == list(accumulate(int(w) for _, _, w in rows))
    decisions = dict(CalendarDay.objects.values_list("date", "kind"))
    assert rows == ordinal_rows(first, last, decisions)


def test_admin_decision_overrides_a_default(admin):
    hung_kings = D("2024-04-18")  # a default day off from the `holidays` package
    assert working_days_count(D("2024-04-15"), D("2024-04-19")) == 4
    calendar_day_set(actor=admin, date=hung_kings, kind=DayKind.WORKING_DAY, name="Đi làm (thử nghiệm)")
    assert is_working_day(hung_kings)
    assert working_days_count(D("2024-04-15"), D("2024-04-19")) == 5
    calendar_day_delete(actor=admin, date=hung_kings)
    assert not is_working_day(hung_kings)  # back to the default
    assert working_days_count(D("2024-04-15"), D("2024-04-19")) == 4
    assert_table_in_sync()


def test_a_decided_day_off_moves_counts_and_additions(admin):
    assert working_days_add(D("2027-03-05"), 1) == D("2027-03-08")
    calendar_day_set(
        actor=admin,
        date=D("2027-03-08"),
        kind=DayKind.DAY_OFF,
        name="Nghỉ theo quyết định",
        document_number="1/TB-UBND",
        document_date=D("2027-02-01"),
    )
    assert working_days_add(D("2027-03-05"), 1) == D("2027-03-09")
    assert working_days_count(D("2027-03-01"), D("2027-03-12")) == 9
    assert_table_in_sync()


def test_ordinal_table_stays_in_sync_after_each_change(admin):
    before = calendar_bounds()
    assert_table_in_sync()
    calendar_day_set(actor=admin, date=D("2030-06-03"), kind=DayKind.DAY_OFF, name="A")
    assert_table_in_sync()
    calendar_day_set(actor=admin, date=D("2030-06-03"), kind=DayKind.WORKING_DAY, name="B")
    assert_table_in_sync()
    calendar_day_set(actor=admin, date=D("2030-06-08"), kind=DayKind.WORKING_DAY, name="Làm bù")
    assert_table_in_sync()
    calendar_day_delete(actor=admin, date=D("2030-06-03"))
    assert_table_in_sync()
    assert calendar_bounds() == before


def test_changes_are_audited(admin):
    calendar_day_set(actor=admin, date=D("2031-01-02"), kind=DayKind.DAY_OFF, name="Nghỉ")
    calendar_day_set(actor=admin, date=D("2031-01-02"), kind=DayKind.DAY_OFF, name="Nghỉ Tết")
    calendar_day_delete(actor=admin, date=D("2031-01-02"))
    events = list(
        AuditEvent.objects.filter(object_type="workdays.calendarday")
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert events[-3:] == [
        ("calendar_day.create", "w-admin"),
        ("calendar_day.update", "w-admin"),
        ("calendar_day.delete", "w-admin"),
    ]
    update = AuditEvent.objects.filter(action="calendar_day.update").latest("id")
    assert update.before["name"] == "Nghỉ" and update.after["name"] == "Nghỉ Tết"
    assert audit_verify().ok


def test_invalid_decision_changes_nothing(admin):
    events = AuditEvent.objects.count()
    table = list(WorkdayOrdinal.objects.order_by("date").values_list("ordinal", flat=True))
    with pytest.raises(ValidationError):
        calendar_day_set(actor=admin, date=D("2032-05-05"), kind=DayKind.DAY_OFF, name="  ")
    with pytest.raises(ValidationError):
        calendar_day_set(actor=admin, date=D("2032-05-05"), kind="holiday", name="X")
    with pytest.raises(ValidationError, match="01/01/2015–31/12/2035"):
        calendar_day_set(actor=admin, date=D("2040-05-01"), kind=DayKind.DAY_OFF, name="X")
    assert not CalendarDay.objects.filter(date__in=[D("2032-05-05"), D("2040-05-01")]).exists()
    assert AuditEvent.objects.count() == events
    assert list(WorkdayOrdinal.objects.order_by("date").values_list("ordinal", flat=True)) == table


def test_rebuild_keeps_the_range_unless_told_and_is_audited():
    result = calendar_rebuild(actor="cli")
    assert (result.first, result.last, result.days) == (D("2015-01-01"), D("2035-12-31"), 7670)
    assert result.working_days == WorkdayOrdinal.objects.filter(is_working=True).count()
    wider = calendar_rebuild(actor="cli", end=D("2040-12-31"))
    assert calendar_bounds() == (D("2015-01-01"), D("2040-12-31"))
    assert wider.working_days > result.working_days
    calendar_rebuild()  # keeps what the table covers
    assert calendar_bounds() == (D("2015-01-01"), D("2040-12-31"))
    assert working_days_count(D("2024-04-22"), D("2024-05-10")) == 13
    event = AuditEvent.objects.filter(action="calendar.rebuild").latest("id")
    assert event.after["last"] == "2040-12-31"
    with pytest.raises(ValidationError):
        calendar_rebuild(start=D("2030-01-01"), end=D("2020-01-01"))


def test_a_shorter_table_changes_ordinals_but_not_counts():
    count = working_days_count(D("2024-01-01"), D("2026-12-31"))
    calendar_rebuild(start=D("2023-01-01"), end=D("2027-12-31"))
    # 01/01/2023 is a Sunday, so Monday 02/01 is its day in lieu: Tuesday is the first working day.
    assert WorkdayOrdinal.objects.get(date=D("2023-01-02")).ordinal == 0
    assert WorkdayOrdinal.objects.get(date=D("2023-01-03")).ordinal == 1
    assert working_days_count(D("2024-01-01"), D("2026-12-31")) == count


def test_official_load_restores_missing_decisions_and_keeps_corrections(admin):
    CalendarDay.objects.filter(date__year=2025).delete()
    calendar_day_set(actor=admin, date=D("2025-01-27"), kind=DayKind.WORKING_DAY, name="Trực")
    # 2025: Tết 9 days, 30/4–1/5 5 days + Saturday 26/04, 2/9 4 days; less the corrected 27/01.
    assert calendar_official_load(actor="test") == 19 - 1
    assert CalendarDay.objects.get(date=D("2025-01-27")).name == "Trực"  # the correction stays
    assert calendar_official_load(actor="test") == 0
    assert_table_in_sync()
