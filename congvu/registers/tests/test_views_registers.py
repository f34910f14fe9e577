"""The task and dossier register pages: scoped lists with search, filters, sorting, export; details."""

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_rows, xlsx_text
from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, ImportRun, Task
from congvu.registers.tests.conftest import DOSSIER_HEADER, TASK_HEADER, dossier, task, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def registers(org, tmp_path):
    """Dossiers of T-SXD, of its predecessor T-SGTVT and of T-STP; two tasks of T-SXD, one of T-STP."""
    rows = [
        dossier("HS-SXD-1", procedure="Cấp giấy phép xây dựng"),
        dossier("HS-SXD-2", procedure="Đăng ký biến động đất đai", field="dat-dai", received="08/01/2025"),
        dossier(
            "HS-GT-1",
            unit="T-SGTVT",
            procedure="Cấp phép đào đường",
            received="07/01/2024",
            due="",
            completed="",
            returned="",
        ),
        dossier("HS-TP-1", unit="T-STP", procedure="Cấp phiếu lý lịch tư pháp"),
    ]
    run = import_file(
        actor="test", register="dossiers", path=write_csv(tmp_path / "d.csv", DOSSIER_HEADER, rows)
    )
    assert run.status == "stored", run.errors
    tasks = [
        task(
            "NV-1",
            content="Tham mưu kế hoạch cải cách hành chính",
            authority="Ban Thường vụ Tỉnh ủy",
            proactive="x",
        ),
        task("NV-2", content="Dự thảo nghị quyết trình HĐND", product="QPPL", authority="HĐND tỉnh"),
        task("NV-TP", unit="T-STP", content="Báo cáo công tác tư pháp"),
    ]
    run = import_file(actor="test", register="tasks", path=write_csv(tmp_path / "t.csv", TASK_HEADER, tasks))
    assert run.status == "stored", run.errors
    return org


def _codes(response, table="dossiers-table") -> list[str]:
    html = response.content.decode()
    assert f'data-testid="{table}"' in html
    return sorted(
        code
        for code in ("HS-SXD-1", "HS-SXD-2", "HS-GT-1", "HS-TP-1", "NV-1", "NV-2", "NV-TP")
        if f"<code>{code}</code>" in html
    )


def test_province_wide_users_see_every_dossier(client, registers):
    client.force_login(registers.personas.inspector)
    response = client.get(reverse("registers:dossiers"))
    assert _codes(response) == ["HS-GT-1", "HS-SXD-1", "HS-SXD-2", "HS-TP-1"]


def test_unit_users_see_their_unit_and_its_predecessors_only(client, registers):
    client.force_login(registers.personas.focal)
    assert _codes(client.get(reverse("registers:dossiers"))) == ["HS-GT-1", "HS-SXD-1", "HS-SXD-2"]
    assert _codes(client.get(reverse("registers:tasks")), "tasks-table") == ["NV-1", "NV-2"]
    client.force_login(registers.personas.outsider)
    assert _codes(client.get(reverse("registers:dossiers"))) == ["HS-TP-1"]


def test_search_ignores_diacritics_and_matches_codes(client, registers):
    client.force_login(registers.personas.lead)
    url = reverse("registers:dossiers")
    assert _codes(client.get(url, {"q": "giay phep xay"})) == ["HS-SXD-1"]
    assert _codes(client.get(url, {"q": "hs-gt"})) == ["HS-GT-1"]
    assert _codes(client.get(reverse("registers:tasks"), {"q": "NGHỊ QUYẾT"}), "tasks-table") == ["NV-2"]


def test_filters_by_unit_with_predecessors_field_and_official(client, registers):
    client.force_login(registers.personas.admin)
    url = reverse("registers:dossiers")
    assert _codes(client.get(url, {"unit": registers.unit.pk})) == ["HS-GT-1", "HS-SXD-1", "HS-SXD-2"]
    assert _codes(client.get(url, {"field": registers.land.pk})) == ["HS-SXD-2"]
    # HS-SXD-1 (construction, Jan 2025) went to the deputy Cường; HS-SXD-2 (land) to the head An.
    assert _codes(client.get(url, {"official": "dang van cuong"})) == ["HS-SXD-1"]
    assert _codes(client.get(url, {"official": "CB-001"})) == ["HS-SXD-2"]


def test_task_filters_by_authority_and_product_type(client, registers):
    client.force_login(registers.personas.admin)
    url = reverse("registers:tasks")
    assert _codes(client.get(url, {"authority": "party_standing"}), "tasks-table") == ["NV-1"]
    assert _codes(client.get(url, {"product_type": "legal_normative"}), "tasks-table") == ["NV-2"]


def test_lists_sort_by_column(client, registers):
    client.force_login(registers.personas.admin)
    html = client.get(reverse("registers:dossiers"), {"sort": "received"}).content.decode()
    assert html.index("HS-GT-1") < html.index("HS-SXD-2")
    html = client.get(reverse("registers:dossiers"), {"sort": "-received"}).content.decode()
    assert html.index("HS-SXD-2") < html.index("HS-GT-1")


def test_export_holds_the_filtered_rows_with_vietnamese_headers(client, registers):
    client.force_login(registers.personas.focal)
    response = client.get(
        reverse("registers:dossiers"), {"format": "xlsx", "field": registers.construction.pk}
    )
    rows = xlsx_rows(response)
    assert rows[0][:3] == ["Nguồn dữ liệu", "Mã hồ sơ", "Đơn vị"]
    assert sorted(r[1] for r in rows[1:]) == ["HS-GT-1", "HS-SXD-1"]
    # T-STP's construction dossier matches the filter but is another unit's.
    assert "HS-TP-1" not in xlsx_text(rows) and "Sở Tư pháp" not in xlsx_text(rows)
    rows = xlsx_rows(client.get(reverse("registers:tasks"), {"format": "xlsx"}))
    assert sorted(r[1] for r in rows[1:]) == ["NV-1", "NV-2"]
    assert "NV-TP" not in xlsx_text(rows) and "Báo cáo công tác tư pháp" not in xlsx_text(rows)


def test_dossier_detail_shows_every_field_with_vietnamese_labels_and_dates(client, registers):
    record = Dossier.objects.get(external_code="HS-SXD-1")
    client.force_login(registers.personas.focal)
    html = client.get(reverse("registers:dossier", args=[record.pk])).content.decode()
    for text in (
        "Hạn xử lý",
        "20/01/2025",
        "Ngày tiếp nhận",
        "06/01/2025",
        "Đặng Văn Cường",
        "Cấp phó phụ trách lĩnh vực",
    ):
        assert text in html


def test_task_detail_shows_every_field(client, registers):
    record = Task.objects.get(external_code="NV-1")
    client.force_login(registers.personas.unit_head)
    html = client.get(reverse("registers:task", args=[record.pk])).content.decode()
    for text in (
        "Cơ quan giao",
        "Ban Thường vụ / Thường trực Tỉnh ủy",
        "Chủ động tham mưu",
        "Có",
        "28/02/2025",
    ):
        assert text in html


def test_outsider_gets_404_on_another_units_task_and_dossier(client, registers):
    client.force_login(registers.personas.outsider)
    dossier_pk = Dossier.objects.get(external_code="HS-SXD-1").pk
    task_pk = Task.objects.get(external_code="NV-1").pk
    assert client.get(reverse("registers:dossier", args=[dossier_pk])).status_code == 404
    assert client.get(reverse("registers:task", args=[task_pk])).status_code == 404
    assert (
        client.get(
            reverse("registers:dossier", args=[Dossier.objects.get(external_code="HS-TP-1").pk])
        ).status_code
        == 200
    )


def test_anonymous_users_are_sent_to_login(client, registers):
    response = client.get(reverse("registers:tasks"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_export_beyond_the_limit_asks_to_filter_first(client, registers, settings):
    settings.EXPORT_MAX_ROWS = 2
    client.force_login(registers.personas.admin)
    response = client.get(reverse("registers:dossiers"), {"format": "xlsx", "q": "HS"}, follow=True)
    assert response.redirect_chain[0][0] == reverse("registers:dossiers") + "?q=HS"
    assert "hãy lọc bớt" in response.content.decode()


# The FilterSets (registers/filters.py): a hand-edited query string is a form error, never a 500 nor a
# database error; a unit user cannot filter into another unit; ?run= narrows to one import.

HUGE = "9" * 30  # beyond any 64-bit key


@pytest.mark.parametrize(
    "params",
    [
        {"unit": HUGE},
        {"unit": "²"},
        {"unit": "-1"},
        {"field": HUGE},
        {"run": HUGE},
        {"run": "-1"},
        {"run": "٣x"},
        {"authority": "nobody"},  # tasks only; the dossier list has no such filter
    ],
)
def test_an_invalid_filter_is_a_form_error_and_the_other_filters_still_apply(client, registers, params):
    client.force_login(registers.personas.lead)
    response = client.get(reverse("registers:dossiers"), {**params, "q": "hs-sxd"})
    assert response.status_code == 200
    assert ('data-testid="filter-errors"' in response.content.decode()) is ("authority" not in params)
    assert _codes(response) == ["HS-SXD-1", "HS-SXD-2"]

    tasks = client.get(reverse("registers:tasks"), params)
    assert tasks.status_code == 200
    assert 'data-testid="filter-errors"' in tasks.content.decode()
    assert _codes(tasks, "tasks-table") == ["NV-1", "NV-2", "NV-TP"]


def test_a_valid_filter_shows_no_error(client, registers):
    client.force_login(registers.personas.lead)
    response = client.get(reverse("registers:dossiers"), {"unit": registers.other.pk})
    assert 'data-testid="filter-errors"' not in response.content.decode()
    assert _codes(response) == ["HS-TP-1"]


def test_a_unit_user_cannot_filter_into_another_unit(client, registers):
    client.force_login(registers.personas.focal)  # T-SXD's
    for name, table in (("registers:dossiers", "dossiers-table"), ("registers:tasks", "tasks-table")):
        response = client.get(reverse(name), {"unit": registers.other.pk})
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="filter-errors"' in html  # not a choice offered to this user
        assert "HS-TP-1" not in _codes(response, table) and "NV-TP" not in _codes(response, table)
        assert ">Sở Tư pháp</option>" not in html and ">Sở Xây dựng</option>" in html
    export = xlsx_text(
        xlsx_rows(client.get(reverse("registers:dossiers"), {"unit": registers.other.pk, "format": "xlsx"}))
    )
    assert "HS-TP-1" not in export and "HS-SXD-1" in export


def test_run_narrows_to_one_import_and_the_export_follows(client, registers, tmp_path):
    later = import_file(
        actor="test",
        register="dossiers",
        path=write_csv(tmp_path / "later.csv", DOSSIER_HEADER, [dossier("HS-SXD-9", procedure="Cấp phép")]),
    )
    assert later.status == "stored", later.errors
    client.force_login(registers.personas.lead)
    url = reverse("registers:dossiers")
    assert _codes(client.get(url, {"run": later.pk})) == []  # HS-SXD-9 is not among _codes' names
    assert "HS-SXD-9" in client.get(url, {"run": later.pk}).content.decode()
    assert "HS-SXD-1" not in client.get(url, {"run": later.pk}).content.decode()
    export = xlsx_text(xlsx_rows(client.get(url, {"run": later.pk, "format": "xlsx"})))
    assert "HS-SXD-9" in export and "HS-SXD-1" not in export


def test_a_unit_user_filtering_by_another_units_run_sees_nothing(client, registers):
    theirs = ImportRun.objects.filter(register="dossiers").first()
    client.force_login(registers.personas.outsider)
    response = client.get(reverse("registers:dossiers"), {"run": theirs.pk})
    assert response.status_code == 200
    # The run was imported by the system (no unit): the outsider sees their own rows of it only.
    assert _codes(response) == ["HS-TP-1"]


def test_import_history_filters_by_register_and_status_and_ignores_bad_values(client, registers):
    client.force_login(registers.personas.lead)
    url = reverse("registers:imports")
    html = client.get(url, {"register": "tasks"}).content.decode()
    assert "t.csv" in html and "d.csv" not in html
    html = client.get(url, {"status": "rejected"}).content.decode()
    assert "t.csv" not in html and "d.csv" not in html
    response = client.get(url, {"status": "nonsense", "register": HUGE})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="filter-errors"' in html and "t.csv" in html and "d.csv" in html
