from datetime import date

import pytest
from django.urls import reverse

from congvu.core.models import AuditEvent
from congvu.core.testing import xlsx_rows, xlsx_text
from congvu.org.models import Appointment, Official

pytestmark = pytest.mark.django_db
LIST = reverse("org:officials")


def detail(official):
    return reverse("org:official", args=[official.code])


def test_outsider_gets_404_on_another_units_official(client, org):
    client.force_login(org.personas.outsider)
    assert client.get(detail(org.an)).status_code == 404
    assert client.get(detail(org.binh)).status_code == 404  # appointed only in a predecessor of T-SXD
    assert client.get(detail(org.dung)).status_code == 200


def test_list_search_without_diacritics_sorting_and_pagination(client, org):
    client.force_login(org.personas.inspector)
    body = client.get(LIST, {"q": "nguyen van an"}).content.decode()
    assert "Nguyễn Văn An" in body and "Trần Thị Bình" not in body
    assert "Giám đốc Sở" in body  # current post
    body = client.get(LIST, {"sort": "-name"}).content.decode()
    assert body.index("Trần Thị Bình") < body.index("Nguyễn Văn An") < body.index("Lê Văn Dũng")
    assert client.get(LIST, {"page": 99}).status_code == 200


def test_htmx_search_returns_only_the_table(client, org):
    client.force_login(org.personas.inspector)
    response = client.get(LIST, {"q": "dung"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Lê Văn Dũng" in body and "<html" not in body


def test_going_back_to_a_pushed_search_gets_the_whole_page(client, org):
    """htmx asks for a pushed URL it no longer holds (back, after its history cache) with both headers:
    the answer must be the page, not the table alone."""
    client.force_login(org.personas.inspector)
    body = client.get(
        LIST, {"q": "dung"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    ).content.decode()
    assert "Lê Văn Dũng" in body and "<html" in body


def test_outsider_list_shows_only_their_officials(client, org):
    client.force_login(org.personas.outsider)
    body = client.get(LIST).content.decode()
    assert "Lê Văn Dũng" in body and "Nguyễn Văn An" not in body


def test_excel_export(client, org):
    client.force_login(org.personas.lead)
    response = client.get(LIST, {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('can-bo.xlsx"')
    header, *rows = xlsx_rows(response)
    assert header == ["Mã cán bộ", "Họ và tên", "Loại", "Chức danh hiện nay", "Đơn vị", "Thư điện tử"]
    assert sorted(row[:2] for row in rows) == [
        ["T-001", "Nguyễn Văn An"],
        ["T-002", "Trần Thị Bình"],
        ["T-003", "Đặng Văn Cường"],
        ["T-004", "Lê Văn Dũng"],
    ]
    history = xlsx_rows(client.get(detail(org.an), {"format": "xlsx"}))
    assert history[0][:5] == ["Đơn vị", "Mã đơn vị", "Vị trí", "Chức danh", "Từ ngày"]
    assert [(row[1], row[4], row[5]) for row in history[1:]] == [
        ("T-SXD", date(2025, 3, 1), ""),
        ("T-SGTVT", date(2020, 1, 1), date(2025, 2, 28)),
    ]


def test_outsiders_export_has_only_their_units_officials(client, org):
    client.force_login(org.personas.outsider)
    rows = xlsx_rows(client.get(LIST, {"format": "xlsx"}))
    assert [row[:5] for row in rows[1:]] == [
        ["T-004", "Lê Văn Dũng", "Công chức", "Giám đốc Sở", "Sở Tư pháp"]
    ]
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Đặng Văn Cường", "Sở Xây dựng"):
        assert name not in xlsx_text(rows)
    client.force_login(org.personas.focal)
    rows = xlsx_rows(client.get(LIST, {"format": "xlsx"}))
    assert sorted(row[0] for row in rows[1:]) == ["T-001", "T-002", "T-003"]
    assert "Lê Văn Dũng" not in xlsx_text(rows) and "Sở Tư pháp" not in xlsx_text(rows)


def test_official_page_shows_history_across_units(client, org):
    client.force_login(org.personas.inspector)
    body = client.get(detail(org.an)).content.decode()
    assert "Sở Giao thông vận tải" in body and "Sở Xây dựng" in body
    assert "01/01/2020" in body and "28/02/2025" in body and "01/03/2025" in body


def test_unit_user_sees_only_appointments_in_their_units(client, org):
    from congvu.org.services import appointment_create

    appointment_create(
        actor="t", official=org.cuong, unit=org.other, role="deputy", title="Phó GĐ", start=date(2026, 1, 1)
    )
    client.force_login(org.personas.focal)
    body = client.get(detail(org.cuong)).content.decode()
    assert "Sở Xây dựng" in body and "Sở Tư pháp" not in body


def test_only_admin_creates_officials(client, org):
    client.force_login(org.personas.lead)
    assert client.post(reverse("org:official_new"), {"code": "N1", "full_name": "X"}).status_code == 403
    client.force_login(org.personas.admin)
    response = client.post(
        reverse("org:official_new"), {"code": "N1", "full_name": "Võ Thị Hoa", "staff_type": "civil_servant"}
    )
    assert response.status_code == 302
    assert Official.objects.get(code="N1").name_folded == "vo thi hoa"
    taken = client.post(reverse("org:official_new"), {"code": "N1", "full_name": "Y", "staff_type": "cadre"})
    assert taken.status_code == 200 and "đã tồn tại" in taken.content.decode()


def test_admin_appoints_and_ends_an_appointment(client, org):
    client.force_login(org.personas.admin)
    response = client.post(
        reverse("org:appointment_new", args=[org.binh.code]),
        {
            "unit": org.unit.pk,
            "role": "deputy",
            "title": "Phó Giám đốc Sở",
            "start": "01/03/2025",
            "fields": [org.transport.pk],
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(official=org.binh, unit=org.unit)
    response = client.post(reverse("org:appointment_end", args=[appointment.pk]), {"end": "30/06/2026"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.end == date(2026, 6, 30)
    assert AuditEvent.objects.filter(action="appointment.end", object_id=str(appointment.pk)).exists()


def test_appointment_form_explains_a_clash(client, org):
    client.force_login(org.personas.admin)
    response = client.post(
        reverse("org:appointment_new", args=[org.binh.code]),
        {"unit": org.unit.pk, "role": "head", "title": "Giám đốc Sở", "start": "01/04/2025"},
    )
    assert response.status_code == 200 and "đã có người đứng đầu" in response.content.decode()


def test_ending_appointments_is_admin_only_and_scoped(client, org):
    client.force_login(org.personas.unit_head)
    assert (
        client.post(reverse("org:appointment_end", args=[org.an_new.pk]), {"end": "01/01/2026"}).status_code
        == 403
    )
    client.force_login(org.personas.outsider)
    assert (
        client.post(reverse("org:appointment_end", args=[org.an_new.pk]), {"end": "01/01/2026"}).status_code
        == 404
    )
    org.an_new.refresh_from_db()
    assert org.an_new.end is None


# The FilterSets (org/filters.py): the search narrows, the export follows it, an over-long search is
# a form error, and nobody finds another unit's official by searching for them.


def test_the_export_holds_the_searched_officials(client, org):
    client.force_login(org.personas.lead)
    rows = xlsx_rows(client.get(LIST, {"q": "t-003", "format": "xlsx"}))
    assert [row[:2] for row in rows[1:]] == [["T-003", "Đặng Văn Cường"]]


def test_an_over_long_search_is_a_form_error_not_a_500(client, org):
    client.force_login(org.personas.lead)
    for url in (LIST, reverse("org:fields"), reverse("org:tree")):
        response = client.get(url, {"q": "x" * 5000})
        assert response.status_code == 200, url
        assert 'data-testid="filter-errors"' in response.content.decode(), url
    body = client.get(LIST, {"q": "x" * 5000}).content.decode()
    assert "Nguyễn Văn An" in body  # the search is left out, the list stays whole


def test_an_outsider_cannot_search_into_another_unit(client, org):
    client.force_login(org.personas.outsider)
    for q in ("nguyen van an", "T-001", "tran thi binh"):
        body = client.get(LIST, {"q": q}).content.decode()
        assert "Nguyễn Văn An" not in body and "Trần Thị Bình" not in body, q
    rows = xlsx_rows(client.get(LIST, {"q": "T-001", "format": "xlsx"}))
    assert "Nguyễn Văn An" not in xlsx_text(rows)
