"""The import pages: upload (inline or background), history, one run with its errors, templates."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congvu.core.testing import xlsx_rows, xlsx_text
from congvu.registers import services
from congvu.registers.columns import EXAMPLE_CODE, REGISTERS
from congvu.registers.models import Dossier, ImportRun, Task
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(tmp_path, rows, name="ho-so.csv"):
    path = write_csv(tmp_path / name, DOSSIER_HEADER, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def _post(client, upload, register="dossiers", **extra):
    return client.post(
        reverse("registers:imports"), {"register": register, "file": upload, "source": "import", **extra}
    )


def test_a_small_file_is_imported_inline_and_shown(client, org, tmp_path):
    client.force_login(org.personas.focal)
    response = _post(client, _upload(tmp_path, [dossier("HS-1"), dossier("HS-2", unit="T-SGTVT")]))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registers:import", args=[run.pk])
    assert (run.status, run.created_count, run.unit, run.created_by) == (
        "stored",
        2,
        org.unit,
        org.personas.focal,
    )
    assert run.file.name.endswith(".csv")
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="run-counts">2 / 0 / 0' in page


def test_a_unit_users_upload_with_another_units_rows_is_rejected_with_errors(client, org, tmp_path):
    client.force_login(org.personas.focal)
    response = _post(client, _upload(tmp_path, [dossier("HS-1"), dossier("HS-2", unit="T-STP")]))
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    assert Dossier.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "không thuộc phạm vi của bạn" in page
    assert "Đơn vị (D)" in page


def test_dry_run_stores_nothing(client, org, tmp_path):
    client.force_login(org.personas.admin)
    _post(client, _upload(tmp_path, [dossier("HS-1")]), dry_run="on")
    assert ImportRun.objects.get().status == "dry_run"
    assert not Dossier.objects.exists()


def test_roles_without_imports_get_403_on_upload_but_see_the_history(client, org, tmp_path):
    client.force_login(org.personas.leadership)
    assert _post(client, _upload(tmp_path, [dossier()])).status_code == 403
    page = client.get(reverse("registers:imports"))
    assert page.status_code == 200
    assert 'data-testid="import-form"' not in page.content.decode()


def test_a_wrong_file_type_is_refused_by_the_form(client, org):
    client.force_login(org.personas.admin)
    response = _post(client, SimpleUploadedFile("x.pdf", b"%PDF-1.4"))
    assert response.status_code == 200
    assert "Chỉ nhận tệp CSV hoặc Excel" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_history_is_scoped_and_exportable(client, org, tmp_path):
    client.force_login(org.personas.focal)
    _post(client, _upload(tmp_path, [dossier("HS-1")], name="cua-sxd.csv"))
    client.force_login(org.personas.outsider)
    _post(client, _upload(tmp_path, [dossier("HS-9", unit="T-STP")], name="cua-stp.csv"))
    page = client.get(reverse("registers:imports")).content.decode()
    assert "cua-stp.csv" in page and "cua-sxd.csv" not in page
    client.force_login(org.personas.admin)
    page = client.get(reverse("registers:imports")).content.decode()
    assert "cua-stp.csv" in page and "cua-sxd.csv" in page
    export = client.get(reverse("registers:imports"), {"format": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert sorted(r[3] for r in rows[1:]) == ["cua-stp.csv", "cua-sxd.csv"]
    client.force_login(org.personas.outsider)
    rows = xlsx_rows(client.get(reverse("registers:imports"), {"format": "xlsx"}))
    assert [r[3] for r in rows[1:]] == ["cua-stp.csv"] and "cua-sxd.csv" not in xlsx_text(rows)


def test_outsider_gets_404_on_another_units_import_run(client, org, tmp_path):
    client.force_login(org.personas.focal)
    _post(client, _upload(tmp_path, [dossier("HS-1")]))
    run = ImportRun.objects.get()
    client.force_login(org.personas.outsider)
    assert client.get(reverse("registers:import", args=[run.pk])).status_code == 404
    assert client.get(reverse("registers:import_progress", args=[run.pk])).status_code == 404
    assert client.get(reverse("registers:import", args=[run.pk]), {"format": "xlsx"}).status_code == 404


def test_run_errors_are_paginated_and_exported(client, org, tmp_path):
    rows = [dossier(f"HS-{i}", received="không rõ") for i in range(60)]
    client.force_login(org.personas.admin)
    response = _post(client, _upload(tmp_path, rows))
    first = client.get(response["Location"]).content.decode()
    assert "Dòng" in first and 'name="page" value="1" min="1" max="2"' in first and "/ 2</span>" in first
    second = client.get(response["Location"], {"page": 2}).content.decode()
    assert "không rõ" in second
    export = client.get(response["Location"], {"format": "xlsx"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert len(sheet) == 61
    assert sheet[1][:3] == [2.0, "E", "Ngày tiếp nhận"]


def test_a_large_file_runs_as_a_background_job_with_progress(
    client, org, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 2)
    client.force_login(org.personas.focal)
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, _upload(tmp_path, [dossier(f"HS-{i}") for i in range(5)]))
    run = ImportRun.objects.get()
    assert run.status == "pending"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-progress"' in page
    assert 'hx-trigger="every 1s"' in page
    assert len(callbacks) == 1
    with override_settings(TASKS=IMMEDIATE):
        callbacks[0]()  # the commit: the job is enqueued and, with the immediate backend, runs
    run.refresh_from_db()
    assert (run.status, run.created_count, run.rows_done, run.rows_total) == ("stored", 5, 5, 5)
    assert run.job_id
    progress = client.get(reverse("registers:import_progress", args=[run.pk]))
    assert progress["HX-Refresh"] == "true"


def test_progress_fragment_while_running(client, org, tmp_path):
    client.force_login(org.personas.admin)
    run = ImportRun.objects.create(
        register="dossiers",
        file_name="x.csv",
        sha256="0" * 64,
        status="running",
        rows_total=200,
        rows_done=50,
    )
    html = client.get(reverse("registers:import_progress", args=[run.pk])).content.decode()
    assert "width: 25%" in html
    assert "50 / 200" in html


@pytest.mark.parametrize("register", ["tasks", "dossiers"])
def test_templates_have_the_header_an_example_and_a_guide(client, org, register):
    client.force_login(org.personas.outsider)
    response = client.get(reverse("registers:template", args=[register]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["Mẫu nhập", "Hướng dẫn"]
    rows = book.get_sheet_by_name("Mẫu nhập").to_python()
    spec = REGISTERS[register]
    assert rows[0] == [c.header for c in spec.columns]
    assert len(rows) == 2
    guide = book.get_sheet_by_name("Hướng dẫn").to_python()
    described = {r[0] for r in guide}
    assert {c.header for c in spec.columns} <= described


def test_the_templates_example_rows_are_valid(client, org, tmp_path):
    """Each template, its example row pointed at this test province's unit, imports as is."""
    from congvu.registers.imports import import_file

    client.force_login(org.personas.admin)
    for register, model in (("dossiers", Dossier), ("tasks", Task)):
        content = client.get(reverse("registers:template", args=[register])).content
        rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
        # The example row's code marks it as the example (refused, see test_imports_guide): a real one.
        real = {"VL-SXD": "T-SXD", EXAMPLE_CODE: f"{register}-0001"}
        example = [real.get(value, value) for value in rows[1]]
        path = write_xlsx(tmp_path / f"{register}.xlsx", rows[0], [example])
        run = import_file(actor="test", register=register, path=path)
        assert run.status == "stored", run.errors
        assert model.objects.count() == 1


def test_unknown_template_is_404(client, org):
    client.force_login(org.personas.admin)
    assert client.get(reverse("registers:template", args=["payroll"])).status_code == 404
