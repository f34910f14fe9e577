import re
from datetime import date

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_column, xlsx_rows

pytestmark = pytest.mark.django_db
URL = reverse("org:fields")


def test_catalogue_is_seeded_by_migration(client, org):
    from congvu.org.models import Field

    codes = set(Field.objects.values_list("code", flat=True))
    assert {
        "dat-dai",
        "xay-dung",
        "ho-tich",
        "tu-phap",
        "dau-tu",
        "giao-duc-dao-tao",
        "y-te",
        "thue-phi-le-phi",
        "noi-vu",
        "chung-thuc",
        "bao-tro-xa-hoi",
        "thi-dua-khen-thuong",
        "ton-giao",
    } <= codes


def test_list_search_sort_and_export(client, org):
    client.force_login(org.personas.focal)
    body = client.get(URL, {"q": "dat dai"}).content.decode()
    assert "Đất đai" in body and "Hộ tịch" not in body
    assert client.get(URL, {"sort": "-deputies"}).status_code == 200
    response = client.get(URL, {"format": "xlsx", "q": "ho tich"})
    assert response["Content-Disposition"].endswith('linh-vuc.xlsx"')
    header, *rows = xlsx_rows(response)
    assert header == ["Mã", "Lĩnh vực", "Số cấp phó đang phụ trách"]
    assert [row[:2] for row in rows] == [["ho-tich", "Hộ tịch"]]
    whole = xlsx_rows(client.get(URL, {"format": "xlsx"}))
    assert {"dat-dai", "xay-dung", "ho-tich", "noi-vu"} <= set(xlsx_column(whole, "Mã"))


def test_deputy_counts_are_scoped_to_what_the_user_sees(client, org):
    from congvu.org.selectors import field_list

    def count(user):
        return (
            field_list(fetched_by=user, query="xay dung", day=org.cuong_dep.start)
            .get(code="xay-dung")
            .deputies
        )

    assert count(org.personas.admin) == 1
    assert count(org.personas.focal) == 1
    assert count(org.personas.outsider) == 0


def _deputies_in_force_today(org):
    """A deputy for civil status (hộ tịch) in the unit, one for certification (chứng thực) in the
    other unit; both in force whatever today is (the fixture's deputies have ended by now)."""
    from congvu.org.models import Field
    from congvu.org.services import appointment_create, official_create

    for code, name, unit, field in (
        ("T-005", "Phạm Thị Em", org.unit, "ho-tich"),
        ("T-006", "Võ Văn Giang", org.other, "chung-thuc"),
    ):
        appointment_create(
            actor="test",
            official=official_create(actor="test", code=code, full_name=name),
            unit=unit,
            role="deputy",
            title="Phó Giám đốc Sở",
            start=date(2024, 1, 1),
            fields=[Field.objects.get(code=field)],
        )


def _deputies_shown(client, query):
    """{field code: the deputy count in the page's table} for the fields matching `query`."""
    body = client.get(URL, {"q": query}).content.decode()
    return {
        code: int(count)
        for code, count in re.findall(
            r'<code>([^<]+)</code></td><td>[^<]*</td><td class="text-end">(\d+)</td>', body
        )
    }


def _deputies_exported(client):
    rows = xlsx_rows(client.get(URL, {"format": "xlsx"}))
    return dict(zip(xlsx_column(rows, "Mã"), xlsx_column(rows, "Số cấp phó đang phụ trách"), strict=True))


def test_outsider_reads_the_catalogue_but_no_other_units_deputies(client, org):
    _deputies_in_force_today(org)
    client.force_login(org.personas.outsider)
    body = client.get(URL, {"q": "ho tich"}).content.decode()
    assert "Danh mục lĩnh vực" in body and "Hộ tịch" in body and "<code>ho-tich</code>" in body
    # The unit's deputy for civil status is not counted for the outsider; their own deputy is.
    assert _deputies_shown(client, "ho tich") == {"ho-tich": 0}
    assert _deputies_shown(client, "chung thuc") == {"chung-thuc": 1}
    exported = _deputies_exported(client)
    assert (exported["ho-tich"], exported["chung-thuc"]) == (0, 1)
    assert {"dat-dai", "xay-dung", "tu-phap"} <= exported.keys()  # the whole catalogue, all the same


def test_insider_and_province_see_the_deputies_their_scope_holds(client, org):
    _deputies_in_force_today(org)
    client.force_login(org.personas.focal)
    assert _deputies_shown(client, "ho tich") == {"ho-tich": 1}
    assert _deputies_shown(client, "chung thuc") == {"chung-thuc": 0}
    exported = _deputies_exported(client)
    assert (exported["ho-tich"], exported["chung-thuc"]) == (1, 0)
    client.force_login(org.personas.inspector)
    exported = _deputies_exported(client)
    assert (exported["ho-tich"], exported["chung-thuc"]) == (1, 1)
