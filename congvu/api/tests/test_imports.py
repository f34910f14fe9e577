"""Import by file through the API: the page's form and service, the same validation and result — a
bad file is refused with its row and column and nothing is stored; the size cap applies."""

from django.core.files.uploadedfile import SimpleUploadedFile

from congvu.api.services import token_create
from congvu.registers.models import Dossier, ImportRun
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv


def _upload(tmp_path, rows, name="ho-so.csv"):
    path = write_csv(tmp_path / name, DOSSIER_HEADER, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def _token(user):
    return token_create(actor="test", user=user, name="nhập sổ")[1]


def _post(client, token, upload, register="dossiers", **form):
    return client.post(
        f"/api/v1/registers/{register}/imports",
        {"file": upload, **form},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_good_file_is_stored_as_the_page_stores_it(client, org, tmp_path):
    token = _token(org.personas.focal)
    response = _post(client, token, _upload(tmp_path, [dossier("HS-1"), dossier("HS-2", unit="T-SGTVT")]))
    assert response.status_code == 201, response.content
    body = response.json()
    run = ImportRun.objects.get()
    assert (body["id"], body["status"], body["created_count"]) == (run.pk, "stored", 2)
    assert (run.unit, run.created_by) == (org.unit, org.personas.focal)
    assert Dossier.objects.count() == 2
    assert (
        client.get(f"/api/v1/imports/{run.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()["status"]
        == "stored"
    )


def test_a_bad_file_is_refused_with_row_and_column_and_nothing_stored(client, org, tmp_path):
    token = _token(org.personas.focal)
    rows = [dossier("HS-1"), dossier("HS-2", received="32/13/2025"), dossier("HS-3", unit="T-STP")]
    response = _post(client, token, _upload(tmp_path, rows))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "rejected"
    assert Dossier.objects.count() == 0
    located = {(e["row"], e["column"]) for e in body["errors"]}
    assert (3, "Ngày tiếp nhận") in located, body["errors"]
    assert any(e["row"] == 4 for e in body["errors"]), body["errors"]


def test_a_dry_run_stores_nothing(client, org, tmp_path):
    response = _post(client, _token(org.personas.focal), _upload(tmp_path, [dossier("HS-1")]), dry_run="true")
    assert response.json()["status"] == "dry_run"
    assert Dossier.objects.count() == 0


def test_a_binary_workbook_or_an_oversize_file_is_refused_by_the_pages_form(client, org, tmp_path, settings):
    token = _token(org.personas.focal)
    response = _post(client, token, SimpleUploadedFile("so.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100))
    assert response.status_code == 400
    assert "lưu lại dưới dạng .xlsx hoặc CSV" in str(response.json()["detail"]["file"])
    settings.IMPORT_MAX_UPLOAD_MB = 0
    response = _post(client, token, _upload(tmp_path, [dossier("HS-1")]))
    assert response.status_code == 400 and "file" in response.json()["detail"]
    assert not ImportRun.objects.exists() and Dossier.objects.count() == 0


def test_outsider_cannot_import_into_another_unit_and_sees_no_other_run(client, org, tmp_path):
    focal_token, outsider_token = _token(org.personas.focal), _token(org.personas.outsider)
    _post(client, focal_token, _upload(tmp_path, [dossier("HS-1")]))
    run = ImportRun.objects.get()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {outsider_token}"}
    assert client.get(f"/api/v1/imports/{run.pk}", **headers).status_code == 404
    assert client.get("/api/v1/imports", **headers).json()["count"] == 0
    response = _post(client, outsider_token, _upload(tmp_path, [dossier("HS-9")], name="b.csv"))
    assert response.json()["status"] == "rejected"  # rows of T-SXD in T-STP's upload
    assert Dossier.objects.count() == 1


def test_roles_that_do_not_import_get_403(client, org, tmp_path):
    for user in (org.personas.inspector, org.personas.unit_head, org.personas.leadership):
        response = _post(client, _token(user), _upload(tmp_path, [dossier("HS-1")]))
        assert response.status_code == 403, user
    assert not ImportRun.objects.exists()
