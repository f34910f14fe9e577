"""The inspection list: filters, search, sorting, pagination, Excel; a unit sees its own only."""

from datetime import date

from django.urls import reverse

from congvu.inspections import services
from congvu.inspections.tests.conftest import move


def _surprise(personas, unit, title):
    insp = services.inspection_create(
        actor=personas.lead,
        kind="surprise",
        unit=unit,
        title=title,
        period_from=date(2025, 1, 1),
        period_to=date(2025, 6, 30),
        decision_number="1/QĐ",
        decision_date=date(2025, 7, 1),
    )
    services.team_member_add(actor=personas.lead, inspection=insp, user=personas.inspector, role="head")
    move(personas.lead, insp, "decided")
    return move(personas.inspector, insp, "on_site")


def test_the_team_sees_every_unit_and_the_unit_only_its_own(client, personas):
    _surprise(personas, personas.unit, "Kiểm tra Sở Xây dựng")
    _surprise(personas, personas.other_unit, "Kiểm tra Sở Tư pháp")
    client.force_login(personas.inspector)
    body = client.get(reverse("inspections:list")).content.decode()
    assert "Kiểm tra Sở Xây dựng" in body and "Kiểm tra Sở Tư pháp" in body
    client.force_login(personas.focal)
    body = client.get(reverse("inspections:list")).content.decode()
    assert "Kiểm tra Sở Xây dựng" in body and "Kiểm tra Sở Tư pháp" not in body
    client.force_login(personas.outsider)
    body = client.get(reverse("inspections:list")).content.decode()
    assert "Kiểm tra Sở Xây dựng" not in body and "Kiểm tra Sở Tư pháp" in body


def test_search_without_accents_and_filters(client, personas):
    _surprise(personas, personas.unit, "Kiểm tra Sở Xây dựng")
    _surprise(personas, personas.other_unit, "Kiểm tra Sở Tư pháp")
    client.force_login(personas.lead)
    body = client.get(reverse("inspections:list"), {"q": "tu phap"}).content.decode()
    assert "Kiểm tra Sở Tư pháp" in body and "Kiểm tra Sở Xây dựng" not in body
    body = client.get(reverse("inspections:list"), {"status": "closed"}).content.decode()
    assert "Chưa có cuộc kiểm tra nào." in body
    body = client.get(
        reverse("inspections:list"), {"unit": personas.unit.pk, "sort": "-unit"}
    ).content.decode()
    assert "Kiểm tra Sở Xây dựng" in body and "Kiểm tra Sở Tư pháp" not in body


def test_the_list_exports_what_the_user_may_see(client, personas):
    from congvu.core.testing import xlsx_rows, xlsx_text

    ours = _surprise(personas, personas.unit, "Kiểm tra Sở Xây dựng")
    theirs = _surprise(personas, personas.other_unit, "Kiểm tra Sở Tư pháp")
    client.force_login(personas.outsider)
    header, *rows = xlsx_rows(client.get(reverse("inspections:list"), {"format": "xlsx"}))
    assert header[:5] == ["#", "Cuộc kiểm tra", "Đơn vị", "Hình thức", "Số quyết định"]
    assert [row[:3] for row in rows] == [[theirs.pk, "Kiểm tra Sở Tư pháp", "Sở Tư pháp"]]
    assert "Sở Xây dựng" not in xlsx_text(rows)
    client.force_login(personas.focal)
    rows = xlsx_rows(client.get(reverse("inspections:list"), {"format": "xlsx"}))
    assert [row[:3] for row in rows[1:]] == [[ours.pk, "Kiểm tra Sở Xây dựng", "Sở Xây dựng"]]
    assert "Sở Tư pháp" not in xlsx_text(rows)
    client.force_login(personas.inspector)
    rows = xlsx_rows(client.get(reverse("inspections:list"), {"format": "xlsx"}))
    assert sorted(row[0] for row in rows[1:]) == sorted([ours.pk, theirs.pk])


def test_the_list_needs_a_login(client):
    assert client.get(reverse("inspections:list")).status_code == 302
