"""The calendar page: everyone signed in reads it; only the admin records decisions (403 otherwise).

The calendar is not unit-owned, so there is no outsider 404 here: a unit user reads it like anyone."""

from datetime import date

import pytest
from django.urls import reverse

from congvu.conftest import make_user
from congvu.core.models import AuditEvent
from congvu.core.testing import xlsx_rows, xlsx_text
from congvu.workdays.models import CalendarDay
from congvu.workdays.selectors import is_working_day, working_days_count
from congvu.workdays.services import calendar_day_set

pytestmark = pytest.mark.django_db
D = date.fromisoformat
READERS = ["admin", "inspector", "lead", "leadership", "focal"]
NOT_EDITORS = ["inspector", "lead", "leadership", "focal"]


def login(client, role):
    unit = None
    if role in ("focal", "unit_head"):
        from congvu.org.services import unit_create

        unit = unit_create(actor="test", code="W-SXD", name="Sở Xây dựng", kind="department")
    user = make_user(f"w-{role}", role, unit)
    client.force_login(user)
    return user


def edit_urls():
    return [
        reverse("workdays:day_create"),
        reverse("workdays:day_edit", args=["2024-04-29"]),
        reverse("workdays:day_delete", args=["2024-04-29"]),
    ]


def test_anonymous_is_sent_to_login(client):
    for url in [reverse("workdays:calendar"), reverse("workdays:calendar", args=[2024]), *edit_urls()]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url


@pytest.mark.parametrize("role", READERS)
def test_everyone_signed_in_reads_the_calendar(client, role):
    login(client, role)
    assert client.get(reverse("workdays:calendar")).status_code == 200
    response = client.get(reverse("workdays:calendar", args=[2024]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "2450/VPCP-KGVX" in body
    assert 'data-testid="month-4">19 ngày làm việc' in body
    assert "251 ngày làm việc" in body
    assert ('data-testid="add-day"' in body) is (role == "admin")


def test_the_grid_marks_days_off_and_worked_saturdays(client, admin):
    client.force_login(admin)
    body = client.get(reverse("workdays:calendar", args=[2024])).content.decode()
    assert 'class="wd-worked" title="Làm bù cho ngày nghỉ 29/04/2024' in body
    assert 'class="wd-off" title="Ngày Giỗ Tổ Hùng Vương"' in body


@pytest.mark.parametrize("role", NOT_EDITORS)
def test_only_the_admin_may_change_the_calendar(client, role):
    login(client, role)
    for url in edit_urls():
        assert client.get(url).status_code == 403, url
    data = {"date": "2024-06-03", "kind": "day_off", "name": "X"}
    assert client.post(reverse("workdays:day_create"), data).status_code == 403
    assert client.post(reverse("workdays:day_edit", args=["2024-04-29"]), data).status_code == 403
    assert client.post(reverse("workdays:day_delete", args=["2024-04-29"])).status_code == 403
    assert not CalendarDay.objects.filter(date=D("2024-06-03")).exists()
    assert CalendarDay.objects.filter(date=D("2024-04-29")).exists()


def test_admin_records_a_decision_and_the_table_follows(client, admin):
    client.force_login(admin)
    form = client.get(reverse("workdays:day_create"), {"date": "2024-06-03", "kind": "day_off"})
    assert 'value="03/06/2024"' in form.content.decode()
    response = client.post(
        reverse("workdays:day_create"),
        {
            "date": "03/06/2024",
            "kind": "day_off",
            "name": "Nghỉ theo thông báo",
            "document_number": "12/TB-UBND",
            "document_date": "2024-05-20",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/calendar/2024/#days")
    row = CalendarDay.objects.get(date=D("2024-06-03"))
    assert row.document_number == "12/TB-UBND" and row.document_date == D("2024-05-20")
    assert not is_working_day(D("2024-06-03"))
    event = AuditEvent.objects.filter(action="calendar_day.create").latest("id")
    assert event.actor == admin and event.object_id == str(row.pk)


def test_admin_edits_a_decision(client, admin):
    client.force_login(admin)
    url = reverse("workdays:day_edit", args=["2024-05-04"])
    assert "Sửa quyết định ngày 04/05/2024" in client.get(url).content.decode()
    response = client.post(url, {"kind": "day_off", "name": "Không làm bù", "date": "2030-01-01"})
    assert response.status_code == 302
    row = CalendarDay.objects.get(date=D("2024-05-04"))  # the date cannot be changed on edit
    assert row.name == "Không làm bù" and not row.is_working
    assert working_days_count(D("2024-04-22"), D("2024-05-10")) == 12


def test_admin_confirms_before_deleting(client, admin):
    client.force_login(admin)
    url = reverse("workdays:day_delete", args=["2024-04-29"])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="delete-form"' in page.content.decode()
    assert CalendarDay.objects.filter(date=D("2024-04-29")).exists()
    assert client.post(url).status_code == 302
    assert not CalendarDay.objects.filter(date=D("2024-04-29")).exists()
    # Back to the package's default, which knows this swap too.
    assert not is_working_day(D("2024-04-29"))
    assert AuditEvent.objects.filter(action="calendar_day.delete").exists()


def test_form_errors_are_shown_and_nothing_is_saved(client, admin):
    client.force_login(admin)
    url = reverse("workdays:day_create")
    duplicate = client.post(url, {"date": "2024-04-29", "kind": "day_off", "name": "Trùng"})
    assert duplicate.status_code == 200 and "đã có quyết định" in duplicate.content.decode()
    outside = client.post(url, {"date": "2040-01-02", "kind": "day_off", "name": "Ngoài lịch"})
    assert outside.status_code == 200 and "01/01/2015–31/12/2035" in outside.content.decode()
    assert not CalendarDay.objects.filter(date=D("2040-01-02")).exists()
    assert CalendarDay.objects.get(date=D("2024-04-29")).name != "Trùng"
    assert client.get(reverse("workdays:day_edit", args=["2024-06-05"])).status_code == 404
    assert client.get(reverse("workdays:day_edit", args=["not-a-date"])).status_code == 404


def test_excel_export_of_the_year_lists_its_decisions_and_defaults(client, admin):
    calendar_day_set(
        actor="test", date=D("2025-12-31"), kind="day_off", name="Nghỉ cuối năm thử", document_number="1/QĐ-T"
    )
    calendar_day_set(actor="test", date=D("2026-01-05"), kind="day_off", name="Ngày của năm sau")
    client.force_login(admin)
    response = client.get(reverse("workdays:calendar", args=[2025]), {"format": "xlsx"})
    assert "lich-lam-viec-2025.xlsx" in response["Content-Disposition"]
    header, *rows = xlsx_rows(response)
    assert header == ["Ngày", "Thứ", "Loại", "Tên ngày", "Số văn bản", "Ngày văn bản", "Nguồn"]
    by_date = {row[0]: row for row in rows}
    assert by_date[D("2025-12-31")][1:5] == ["Thứ Tư", "Ngày nghỉ", "Nghỉ cuối năm thử", "1/QĐ-T"]
    assert by_date[D("2025-12-31")][6] == "Quyết định"
    # The swapped Saturday of the seeded decision 8726/VPCP-KGVX, and a default holiday.
    swapped, new_year = by_date[D("2025-04-26")], by_date[D("2025-01-01")]
    assert (swapped[2], swapped[4], swapped[5]) == (
        "Ngày làm việc (làm bù)",
        "8726/VPCP-KGVX",
        D("2024-11-26"),
    )
    assert (new_year[3], new_year[6]) == ("Tết Dương lịch", "Mặc định")
    assert all(row[0].year == 2025 for row in rows) and "Ngày của năm sau" not in xlsx_text(rows)


def test_calculator_answers_through_htmx(client, admin):
    client.force_login(admin)
    url = reverse("workdays:calendar", args=[2024])
    htmx = {"HX-Request": "true"}
    count = client.get(url, {"op": "count", "start": "22/04/2024", "end": "10/05/2024"}, headers=htmx)
    assert "<strong>13</strong>" in count.content.decode()
    assert "<html" not in count.content.decode()
    add = client.get(url, {"op": "add", "start": "2024-02-07", "n": "1"}, headers=htmx)
    assert "<strong>15/02/2024</strong>" in add.content.decode()
    outside = client.get(url, {"op": "count", "start": "2024-01-01", "end": "2040-01-01"}, headers=htmx)
    assert "01/01/2015–31/12/2035" in outside.content.decode()
    missing = client.get(url, {"op": "add", "start": "2024-02-07"}, headers=htmx)
    assert "Cần nhập giá trị này." in missing.content.decode()
    page = client.get(url, {"op": "count", "start": "2024-04-22", "end": "2024-05-10"})
    assert "<html" in page.content.decode() and "<strong>13</strong>" in page.content.decode()


def test_years_outside_the_table(client, admin):
    client.force_login(admin)
    response = client.get(reverse("workdays:calendar", args=[2050]))
    assert response.status_code == 200
    assert "01/01/2015–31/12/2035" in response.content.decode()
    assert client.get("/calendar/0/").status_code == 404
    picked = client.get(reverse("workdays:calendar"), {"year": "2025"})
    assert picked.status_code == 302 and picked["Location"] == reverse("workdays:calendar", args=[2025])
