"""Ship the official 2024–2026 decisions (congvu/workdays/official.py) and build the ordinal table,
so a freshly migrated database can count working days without any further step.

A later year's decisions get their own migration calling `load_official` again: it inserts only the
dates that have no decision, so it never overwrites an administrator's correction."""

from django.db import migrations

from congvu.workdays.official import load_official, official_rows
from congvu.workdays.table import DEFAULT_FIRST, DEFAULT_LAST, write_ordinal_table


def forwards(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    WorkdayOrdinal = apps.get_model("workdays", "WorkdayOrdinal")
    load_official(CalendarDay)
    write_ordinal_table(CalendarDay, WorkdayOrdinal, DEFAULT_FIRST, DEFAULT_LAST)


def backwards(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    WorkdayOrdinal = apps.get_model("workdays", "WorkdayOrdinal")
    rows = official_rows()
    CalendarDay.objects.filter(
        date__in=[r["date"] for r in rows], document_number__in={r["document_number"] for r in rows}
    ).delete()
    WorkdayOrdinal.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0002_calendarday_decisions_only")]

    operations = [migrations.RunPython(forwards, backwards)]
