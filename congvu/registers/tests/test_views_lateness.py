"""Registers and drill-downs show lateness: on time / late / overdue with working days late, computed
in the database with the working-day ordinal table (the performance engine's expressions)."""

from datetime import date

import pytest
from django.urls import reverse

from congvu.metrics.tests.conftest import install_calendar
from congvu.registers.models import Dossier
from congvu.registers.selectors import record_lateness


@pytest.fixture
def dossiers(personas):
    from congvu.org.models import Field

    install_calendar()
    field = Field.objects.get(code="xay-dung")

    def make(code, due, completed=None, unit=None):
        return Dossier.objects.create(
            source="t",
            external_code=code,
            unit=unit or personas.unit,
            field=field,
            procedure="Cấp giấy phép xây dựng",
            received_on=date(2025, 4, 1),
            due_on=due,
            completed_on=completed,
        )

    return {
        # due Tue 29/04, done Tue 06/05: 30/04, 01/05, 02/05 are days off, so 2 working days late
        "late": make("HS-LATE", date(2025, 4, 29), date(2025, 5, 6)),
        "on_time": make("HS-OK", date(2025, 4, 29), date(2025, 4, 28)),
        # due Fri 25/04, open on Fri 09/05: Sat 26/04 (worked), 28, 29/04 and 05–09/05 → 8 days
        "overdue": make("HS-OVER", date(2025, 4, 25)),
        "in_time": make("HS-OPEN", date(2025, 5, 20)),
        "no_deadline": make("HS-NONE", None),
        "foreign": make("HS-OTHER", date(2025, 4, 29), date(2025, 5, 6), unit=personas.other_unit),
    }


AS_OF = date(2025, 5, 9)


def test_lateness_counts_working_days_in_the_database(personas, dossiers, django_assert_max_num_queries):
    pks = [d.pk for d in dossiers.values()]
    with django_assert_max_num_queries(3):  # the scope, ord(as of), then one query for every record
        lateness = record_lateness(fetched_by=personas.focal, register="dossiers", pks=pks, as_of=AS_OF)
    assert lateness[dossiers["late"].pk] == ("done_late", 2)
    assert lateness[dossiers["on_time"].pk] == ("done_on_time", None)
    assert lateness[dossiers["overdue"].pk] == ("open_overdue", 8)
    assert lateness[dossiers["in_time"].pk] == ("open_in_time", None)
    assert lateness[dossiers["no_deadline"].pk] == ("no_deadline", None)
    assert dossiers["foreign"].pk not in lateness  # another unit's record is not read


def test_dossier_register_shows_the_lateness_column(client, personas, dossiers):
    client.force_login(personas.focal)
    page = client.get(reverse("registers:dossiers")).content.decode()
    assert "Tiến độ (ngày LV trễ)" in page
    late = page.split(f'data-testid="lateness-{dossiers["late"].pk}"')[1].split("</td>")[0]
    assert "Trễ hạn" in late and "2 ngày LV" in late
    on_time = page.split(f'data-testid="lateness-{dossiers["on_time"].pk}"')[1].split("</td>")[0]
    assert "Đúng hạn" in on_time
    assert f'data-testid="lateness-{dossiers["foreign"].pk}"' not in page


def test_task_register_shows_the_lateness_column(client, personas, calendar_free_task):
    client.force_login(personas.focal)
    page = client.get(reverse("registers:tasks")).content.decode()
    row = page.split(f'data-testid="lateness-{calendar_free_task.pk}"')[1].split("</td>")[0]
    assert "Không thời hạn" in row


@pytest.fixture
def calendar_free_task(personas):
    from congvu.registers.models import Task

    return Task.objects.create(
        source="t",
        external_code="NV-1",
        content="Báo cáo",
        authority="ppc",
        unit=personas.unit,
        received_on=date(2025, 2, 1),
    )


def test_outsider_does_not_see_the_units_records_in_the_register(client, personas, dossiers):
    client.force_login(personas.outsider)
    page = client.get(reverse("registers:dossiers")).content.decode()
    assert "HS-LATE" not in page and "HS-OTHER" in page
