"""The task and dossier register pages: scoped lists with search, filters, sorting, export; details."""

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_rows, xlsx_text
from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, Task
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
