import pytest
from django.urls import reverse

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
    assert client.get(URL, {"format": "xlsx"})["Content-Disposition"].endswith('linh-vuc.xlsx"')


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


def test_outsider_reads_the_catalogue_but_no_other_units_deputies(client, org):
    client.force_login(org.personas.outsider)
    assert client.get(URL).status_code == 200
