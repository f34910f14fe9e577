"""The procedure catalogue pages and the page that maps an import's unknown procedures once."""

import pytest

from congvu.core.models import AuditEvent
from congvu.registers.imports import import_file
from congvu.registers.models import ImportRun, Procedure
from congvu.registers.tests.test_official_register import official_csv, row

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def rejected_run(org, tmp_path):
    body = [
        row(1, "HS-1", "Cấp giấy phép khai thác cát", "Sở Xây dựng", "09/01/2025", "23/01/2025"),
        row(2, "HS-2", "Thẩm định giá đất cụ thể", "Sở Xây dựng", "09/01/2025", "23/01/2025"),
    ]
    path = official_csv(tmp_path / "so.csv", body)
    run = import_file(actor=org.personas.focal, register="dossiers", path=path)
    assert run.status == ImportRun.Status.REJECTED
    return run, path


def test_catalogue_lists_the_seeded_procedures_and_exports_them(client, personas):
    c = _client(client, personas.focal)
    page = c.get("/registers/procedures/?q=khai sinh")
    assert page.status_code == 200
    assert "Đăng ký khai sinh" in page.content.decode()
    xlsx = c.get("/registers/procedures/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_only_the_administrator_edits_the_catalogue_and_it_is_audited(client, personas):
    from congvu.org.models import Field

    land = Field.objects.get(code="dat-dai")
    assert _client(client, personas.focal).post("/registers/procedures/new/", {}).status_code == 403
    client.logout()
    c = _client(client, personas.admin)
    response = c.post(
        "/registers/procedures/new/", {"name": "Thẩm định giá đất", "code": "1.001", "field": land.pk}
    )
    assert response.status_code == 302
    p = Procedure.objects.get(code="1.001")
    assert AuditEvent.objects.filter(action="procedure.save", object_id=str(p.pk)).exists()
    twin = c.post("/registers/procedures/new/", {"name": "THẨM ĐỊNH GIÁ ĐẤT", "field": land.pk})
    assert twin.status_code == 200
    assert "Danh mục đã có thủ tục" in twin.content.decode()


def test_admin_maps_the_unknown_procedures_once_and_the_file_then_imports(client, org, rejected_run):
    run, path = rejected_run
    c = _client(client, org.personas.admin)
    page = c.get(f"/registers/imports/{run.pk}/")
    assert "Cấp giấy phép khai thác cát" in page.content.decode()
    form = c.get(f"/registers/imports/{run.pk}/procedures/")
    assert form.status_code == 200
    response = c.post(f"/registers/imports/{run.pk}/procedures/", {"p0": org.land.pk, "p1": org.land.pk})
    assert response.status_code == 302
    assert Procedure.objects.filter(field=org.land, name__in=run.unknown_procedures).count() == 2
    assert AuditEvent.objects.filter(action="procedure.save").count() == 2
    again = import_file(actor=org.personas.focal, register="dossiers", path=path)
    assert again.status == ImportRun.Status.STORED, again.errors


def test_unit_focal_point_sees_the_list_but_cannot_map(client, org, rejected_run):
    run, _path = rejected_run
    c = _client(client, org.personas.focal)
    assert "Cấp giấy phép khai thác cát" in c.get(f"/registers/imports/{run.pk}/").content.decode()
    assert c.get(f"/registers/imports/{run.pk}/procedures/").status_code == 403


def test_outsider_gets_404_on_another_units_mapping_page(client, org, rejected_run):
    run, _path = rejected_run
    c = _client(client, org.personas.outsider)
    assert c.get(f"/registers/imports/{run.pk}/procedures/").status_code == 404


def test_catalogue_search_narrows_the_list_and_its_export_and_names_an_over_long_search(client, personas):
    from congvu.core.testing import xlsx_rows, xlsx_text

    c = _client(client, personas.focal)
    page = c.get("/registers/procedures/", {"q": "khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in page and "Đăng ký kết hôn" not in page
    rows = xlsx_rows(c.get("/registers/procedures/", {"q": "khai sinh", "format": "xlsx"}))
    assert "Đăng ký khai sinh" in xlsx_text(rows) and "Đăng ký kết hôn" not in xlsx_text(rows)
    response = c.get("/registers/procedures/", {"q": "x" * 5000})
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in response.content.decode()
    assert response.context["page"].paginator.count == Procedure.objects.count()  # the search left out
