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


# The FilterSet (inspections/filters.py): each value validated; a unit user cannot filter into another.

HUGE = "9" * 30


def test_the_filters_narrow_by_year_kind_and_team(client, personas):
    _surprise(personas, personas.unit, "Kiểm tra Sở Xây dựng")  # period to 30/06/2025, inspector on team
    client.force_login(personas.lead)
    url = reverse("inspections:list")
    assert "Kiểm tra Sở Xây dựng" in client.get(url, {"year": 2025, "kind": "surprise"}).content.decode()
    assert "Kiểm tra Sở Xây dựng" not in client.get(url, {"year": 2024}).content.decode()
    assert "Kiểm tra Sở Xây dựng" not in client.get(url, {"kind": "scheduled"}).content.decode()
    assert "Kiểm tra Sở Xây dựng" not in client.get(url, {"mine": "1"}).content.decode()  # lead not on it
    client.force_login(personas.inspector)
    assert "Kiểm tra Sở Xây dựng" in client.get(url, {"mine": "1"}).content.decode()


def test_an_invalid_filter_value_is_a_form_error_not_a_500(client, personas):
    _surprise(personas, personas.unit, "Kiểm tra Sở Xây dựng")
    _surprise(personas, personas.other_unit, "Kiểm tra Sở Tư pháp")
    client.force_login(personas.lead)
    for params in ({"unit": HUGE}, {"unit": "²"}, {"year": "-1"}, {"year": HUGE}, {"status": "nope"}):
        response = client.get(reverse("inspections:list"), {**params, "q": "tu phap"})
        body = response.content.decode()
        assert response.status_code == 200, params
        assert 'data-testid="filter-errors"' in body, params
        assert "Kiểm tra Sở Tư pháp" in body and "Kiểm tra Sở Xây dựng" not in body, params


def test_a_unit_user_cannot_filter_into_another_unit(client, personas):
    _surprise(personas, personas.unit, "Kiểm tra Sở Xây dựng")
    _surprise(personas, personas.other_unit, "Kiểm tra Sở Tư pháp")
    client.force_login(personas.focal)
    response = client.get(reverse("inspections:list"), {"unit": personas.other_unit.pk})
    body = response.content.decode()
    assert 'data-testid="filter-errors"' in body
    assert "Kiểm tra Sở Tư pháp" not in body
    rows = client.get(reverse("inspections:list"), {"unit": personas.other_unit.pk, "format": "xlsx"})
    from congvu.core.testing import xlsx_rows, xlsx_text

    assert "Sở Tư pháp" not in xlsx_text(xlsx_rows(rows))
    # Their own unit is a valid choice.
    body = client.get(reverse("inspections:list"), {"unit": personas.unit.pk}).content.decode()
    assert 'data-testid="filter-errors"' not in body and "Kiểm tra Sở Xây dựng" in body


def test_the_export_holds_the_filtered_rows(client, personas):
    from congvu.core.testing import xlsx_rows, xlsx_text

    _surprise(personas, personas.unit, "Kiểm tra Sở Xây dựng")
    _surprise(personas, personas.other_unit, "Kiểm tra Sở Tư pháp")
    client.force_login(personas.lead)
    rows = xlsx_rows(client.get(reverse("inspections:list"), {"unit": personas.unit.pk, "format": "xlsx"}))
    assert "Kiểm tra Sở Xây dựng" in xlsx_text(rows) and "Sở Tư pháp" not in xlsx_text(rows)
