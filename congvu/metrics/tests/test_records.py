"""The records behind a figure (metrics:records): filters, lateness, sorting, pagination, export."""

import io

import pytest
from django.urls import NoReverseMatch, reverse
from python_calamine import CalamineWorkbook

pytestmark = pytest.mark.django_db

URL = "metrics:records"


def codes(response):
    return [r.external_code for r in response.context["page"]]


def get(client, **params):
    return client.get(reverse(URL), {"as_of": "05/05/2025", **params})


def test_late_records_of_a_unit_sorted_by_lateness(client, world):
    client.force_login(world.personas.focal)
    response = get(client, unit="T-SXD", bucket="late")
    assert response.status_code == 200
    # Most late first: G 15, B 4, then A C 2, then E J 1 (ties by id).
    assert codes(response) == ["G", "B", "A", "C", "E", "J"]
    late = {r.external_code: r.late_days for r in response.context["page"]}
    assert late == {"G": 15, "B": 4, "A": 2, "C": 2, "E": 1, "J": 1}
    body = response.content.decode()
    assert "Đang thực hiện quá hạn" in body and "Hoàn thành quá hạn" in body


def test_bucket_filters_match_the_figures(client, world):
    client.force_login(world.personas.unit_head)
    expected = {
        "all": {"A", "B", "C", "D", "E", "F", "G", "I", "J", "K"},
        "done_on_time": {"D", "K"},
        "done_late": {"A", "B", "C", "J"},
        "open_in_time": {"F"},
        "open_overdue": {"E", "G"},
        "no_deadline": {"I"},
        "on_time_rate": {"A", "B", "C", "D", "E", "G", "J", "K"},
        "quality_passed": {"A", "D", "J"},
        "proactive_count": {"A", "I"},
    }
    for bucket, wanted in expected.items():
        assert set(codes(get(client, unit="T-SXD", bucket=bucket))) == wanted, bucket


def test_group_filters_official_field_month_and_predecessors(client, world):
    client.force_login(world.personas.focal)
    assert set(codes(get(client, unit="T-SXD", official="T-PGD"))) == {"A", "B", "C"}
    assert set(codes(get(client, unit="T-SXD", field="-"))) == {"I"}
    assert set(codes(get(client, unit="T-SXD", field="T-XD", bucket="done_late"))) == {"A", "B", "C"}
    assert set(codes(get(client, unit="T-SXD", month="2025-04", bucket="open_overdue"))) == {"E", "G"}
    assert "B" not in codes(get(client, unit="T-SXD", pred="0"))
    assert set(codes(get(client, unit="T-SXD", register="dossiers", bucket="late_with_apology"))) == {"P"}


def test_sorting_and_pagination(client, world):
    client.force_login(world.personas.focal)
    response = get(client, unit="T-SXD", sort="received")
    assert codes(response)[0] == "B"  # received 26/04/2024
    assert response.context["page"].paginator.count == 10


def test_outsider_gets_404_on_another_units_records(client, world):
    client.force_login(world.personas.outsider)
    assert get(client, unit="T-SXD").status_code == 404
    assert get(client, official="T-PGD").status_code == 404
    assert get(client, unit="T-SXD", format="xlsx").status_code == 404
    # Without a unit they see their own unit's records only.
    assert codes(get(client)) == ["X"]


def test_unknown_figure_or_month_is_404(client, world):
    client.force_login(world.personas.inspector)
    assert get(client, bucket="salary").status_code == 404
    assert get(client, month="2025-13").status_code == 404
    assert get(client, field="NO-SUCH").status_code == 404


def test_records_export_to_xlsx_with_lateness(client, world):
    client.force_login(world.personas.focal)
    response = get(client, unit="T-SXD", bucket="late", format="xlsx")
    assert response.status_code == 200
    header, *lines = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    )
    assert header[0] == "Mã" and header[-1] == "Số ngày làm việc chậm"
    assert [(line[0], line[-1]) for line in lines] == [
        ("G", 15), ("B", 4), ("A", 2), ("C", 2), ("E", 1), ("J", 1),
    ]  # fmt: skip


def test_records_export_beyond_the_shared_row_cap_asks_to_filter_first(client, world, settings):
    """The drill-down export refuses more than EXPORT_MAX_ROWS rows like the register exports (#14.6)."""
    client.force_login(world.personas.focal)
    settings.EXPORT_MAX_ROWS = 5  # the unit has 6 late records
    params = {"as_of": "05/05/2025", "unit": "T-SXD", "bucket": "late", "format": "xlsx"}
    response = client.get(reverse(URL), params, follow=True)
    (target, status), *_rest = response.redirect_chain
    assert status == 302 and "format" not in target and "bucket=late" in target
    assert "Content-Disposition" not in response
    assert "Danh sách có hơn 5 dòng: hãy lọc bớt" in response.content.decode()
    settings.EXPORT_MAX_ROWS = 6
    exported = get(client, unit="T-SXD", bucket="late", format="xlsx")
    assert exported.status_code == 200 and exported["Content-Disposition"].startswith("attachment")


def test_record_links_to_the_register_page_only_when_it_exists(client, world):
    client.force_login(world.personas.focal)
    response = get(client, unit="T-SXD", bucket="no_deadline")
    (record,) = response.context["page"]
    try:
        expected = reverse("registers:task", args=[record.pk])
    except NoReverseMatch:
        expected = None
    assert record.detail_url == expected
