"""Search ignores diacritics and case, the same on SQLite and PostgreSQL (the folded column)."""

import pytest

from congvu.org.selectors import field_list, official_list, unit_list

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["nguyen van an", "NGUYEN VAN AN", "Nguyễn Văn An", "nguyễn văn", "van an"])
def test_official_search_without_diacritics(org, query):
    assert list(official_list(fetched_by=org.personas.admin, query=query)) == [org.an]


def test_d_with_stroke_folds_to_d(org):
    assert list(official_list(fetched_by=org.personas.admin, query="dang van cuong")) == [org.cuong]


def test_search_by_code(org):
    assert list(official_list(fetched_by=org.personas.admin, query="t-004")) == [org.dung]


def test_unit_and_field_search_without_diacritics(org):
    assert [u.code for u in unit_list(fetched_by=org.personas.admin, query="so giao thong")] == ["T-SGTVT"]
    assert "ho-tich" in {f.code for f in field_list(fetched_by=org.personas.admin, query="HO TICH")}


def test_unit_user_finds_only_officials_of_their_unit_and_predecessors(org):
    visible = set(official_list(fetched_by=org.personas.focal))
    assert visible == {org.an, org.binh, org.cuong}
    assert list(official_list(fetched_by=org.personas.outsider, query="nguyen van an")) == []
    assert set(official_list(fetched_by=org.personas.outsider)) == {org.dung}


def test_the_list_filters_use_the_same_search(org):
    from congvu.org.filters import FieldFilter, OfficialFilter, UnitFilter
    from congvu.org.models import Field, Unit

    admin = org.personas.admin
    officials = OfficialFilter({"q": "dang van cuong"}, queryset=official_list(fetched_by=admin)).qs
    assert list(officials) == [org.cuong]
    units = UnitFilter({"q": "so giao thong"}, queryset=Unit.objects.all()).qs
    assert [u.code for u in units] == ["T-SGTVT"]
    assert "ho-tich" in {f.code for f in FieldFilter({"q": "HO TICH"}, queryset=Field.objects.all()).qs}
    # A filter only narrows what it is given: the outsider's scope stays theirs.
    theirs = official_list(fetched_by=org.personas.outsider)
    assert list(OfficialFilter({"q": "nguyen van an"}, queryset=theirs).qs) == []
