"""Imports that guide (#15 item 7): the register is recognised from the headers, the template's
example row cannot be imported by accident, the result page links to the imported records and says
how each row's responsible official was found, the data source is an advanced option."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congvu.api.services import token_create
from congvu.registers.columns import EXAMPLE_CODE, REGISTERS
from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, ImportRun, Task
from congvu.registers.tests.conftest import (
    DOSSIER_HEADER,
    TASK_HEADER,
    dossier,
    task,
    write_csv,
    write_xlsx,
)
from congvu.registers.tests.test_official_register import NUMBERS, SUB, TITLE, TOP
from congvu.registers.tests.test_official_register import rows as official_rows

pytestmark = pytest.mark.django_db

TO_TASKS = "Tệp này có tiêu đề của sổ theo dõi hồ sơ TTHC, không phải sổ nhiệm vụ được giao."
TO_DOSSIERS = "Tệp này có tiêu đề của sổ nhiệm vụ được giao, không phải sổ theo dõi hồ sơ TTHC."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _post(client, path, register, **extra):
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(reverse("registers:imports"), {"register": register, "file": upload, **extra})


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- 1. the register from the headers ---------------------------------------------------------


def test_a_dossier_file_sent_to_the_task_register_is_refused_naming_its_headers(
    client, org, tmp_path, settings
):
    path = write_csv(tmp_path / "ho-so.csv", DOSSIER_HEADER, [dossier("HS-1"), dossier("HS-2")])
    client.force_login(org.personas.focal)
    response = _post(client, path, "tasks")
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("registers:import", args=[run.pk])
    assert (run.status, run.error_count, run.rows_total) == ("rejected", 1, 0)
    message = run.errors[0]["message"]
    assert message.startswith(TO_TASKS)
    assert "Hãy chọn đúng sổ (“Hồ sơ”)" in message
    assert "“Mã hồ sơ”" in message and "“Thủ tục”" in message
    assert run.suggested_register == "dossiers"
    assert not Task.objects.exists() and not Dossier.objects.exists()
    # The upload is kept only with its run (guard invariant): one run, one file.
    assert _stored_files(settings) == [run.file.name.rsplit("/", 1)[1]]
    page = _page(client, response["Location"])
    assert TO_TASKS in page
    assert 'data-testid="import-switch"' in page
    assert "Nhập tệp này vào sổ hồ sơ thủ tục hành chính" in page
    client.force_login(org.personas.outsider)
    assert client.get(response["Location"]).status_code == 404


def test_a_task_file_sent_to_the_dossier_register_is_refused_naming_its_headers(org, tmp_path):
    title = [["DANH MỤC NHIỆM VỤ ĐƯỢC GIAO NĂM 2025"], []]
    path = write_xlsx(tmp_path / "nhiem-vu.xlsx", TASK_HEADER, [task("NV-1")], above=title)
    run = import_file(actor="test", register="dossiers", path=path)
    assert run.status == "rejected" and run.error_count == 1
    message = run.errors[0]["message"]
    assert message.startswith(TO_DOSSIERS)
    assert "Hãy chọn đúng sổ (“Nhiệm vụ”)" in message
    assert "“Mã nhiệm vụ”" in message and "“Nội dung”" in message
    assert run.suggested_register == "tasks"
    assert not Task.objects.exists() and not Dossier.objects.exists()


def test_the_official_dossier_form_sent_to_the_task_register_is_refused(org, tmp_path):
    lines = [*TITLE, TOP, SUB, NUMBERS, *official_rows()]
    path = write_csv(tmp_path / "so-theo-doi.csv", lines[0], lines[1:])
    run = import_file(actor="test", register="tasks", path=path)
    assert run.status == "rejected" and run.error_count == 1
    message = run.errors[0]["message"]
    assert message.startswith(TO_TASKS)
    assert "“Mã hồ sơ”" in message and "Nhận hồ sơ" in message
    assert not Task.objects.exists()


def test_a_file_of_the_chosen_register_is_not_taken_for_the_other(org, tmp_path):
    """A task file that carries a few columns the dossier register also knows is still a task file."""
    path = write_csv(tmp_path / "nv.csv", TASK_HEADER, [task("NV-1")])
    assert import_file(actor="test", register="tasks", path=path).status == "stored"
    path = write_csv(tmp_path / "hs.csv", DOSSIER_HEADER, [dossier("HS-1")])
    assert import_file(actor="test", register="dossiers", path=path).status == "stored"


def test_one_click_imports_the_refused_file_into_the_right_register(client, org, tmp_path, settings):
    path = write_csv(tmp_path / "ho-so.csv", DOSSIER_HEADER, [dossier("HS-1"), dossier("HS-2")])
    client.force_login(org.personas.focal)
    refused = ImportRun.objects.get(pk=_post(client, path, "tasks")["Location"].split("/")[-2])
    switch = reverse("registers:import_switch", args=[refused.pk])
    client.force_login(org.personas.outsider)
    assert client.post(switch).status_code == 404
    client.force_login(org.personas.unit_head)  # sees the run, may not import
    assert client.post(switch).status_code == 403
    client.force_login(org.personas.focal)
    assert client.get(switch).status_code == 405
    response = client.post(switch)
    run = ImportRun.objects.exclude(pk=refused.pk).get()
    assert response["Location"] == reverse("registers:import", args=[run.pk])
    assert (run.register, run.status, run.created_count, run.unit) == ("dossiers", "stored", 2, org.unit)
    assert run.sha256 == refused.sha256 and run.file.name != refused.file.name
    assert set(Dossier.objects.values_list("external_code", flat=True)) == {"HS-1", "HS-2"}
    assert len(_stored_files(settings)) == 2  # each run keeps its own copy
    # A run that was not refused for its register offers nothing to switch.
    assert client.post(reverse("registers:import_switch", args=[run.pk])).status_code == 404


def test_the_command_exits_non_zero_with_the_message_and_the_right_command(org, tmp_path, capsys):
    path = write_csv(tmp_path / "d.csv", DOSSIER_HEADER, [dossier("HS-1")])
    with pytest.raises(CommandError) as failure:
        call_command("import", "tasks", str(path))
    assert failure.value.returncode == 1
    err = capsys.readouterr().err
    assert TO_TASKS in err
    assert f"Lệnh đúng: congvu import dossiers {path}" in err
    assert not Task.objects.exists() and not Dossier.objects.exists()


def test_the_api_answers_400_with_the_message(client, org, tmp_path):
    token = token_create(actor="test", user=org.personas.focal, name="nhập sổ")[1]
    path = write_csv(tmp_path / "d.csv", DOSSIER_HEADER, [dossier("HS-1")])
    response = client.post(
        "/api/v1/registers/tasks/imports",
        {"file": SimpleUploadedFile("d.csv", path.read_bytes())},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400, response.content
    (message,) = response.json()["detail"]["file"]
    assert message.startswith(TO_TASKS) and "“Mã hồ sơ”" in message
    assert not Task.objects.exists()


# --- 2. the template's example row --------------------------------------------------------------

REAL = {
    "tasks": {
        "code": "NV-2025-0101",
        "content": "Tham mưu kế hoạch kiểm tra công vụ năm 2025",
        "authority": "UBND tỉnh",
        "unit": "T-SXD",
        "field": "xay-dung",
        "received_on": "08/01/2025",
        "due_on": "28/02/2025",
    },
    "dossiers": {
        "code": "HS-2025-0101",
        "field": "xay-dung",
        "procedure": "Cấp giấy phép xây dựng",
        "unit": "T-SXD",
        "received_on": "06/01/2025",
        "due_on": "20/01/2025",
    },
}


def _template_rows(client, register) -> list[list]:
    response = client.get(reverse("registers:template", args=[register]))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_name("Mẫu nhập").to_python(skip_empty_area=False)


@pytest.mark.parametrize("register", ["tasks", "dossiers"])
def test_the_template_imported_unchanged_is_refused_and_with_a_real_row_it_is_stored(
    client, org, tmp_path, register
):
    client.force_login(org.personas.focal)
    response = client.get(reverse("registers:template", args=[register]))
    unchanged = tmp_path / "mau.xlsx"
    unchanged.write_bytes(response.content)
    _post(client, unchanged, register)
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    assert [(e["row"], e["message"]) for e in run.errors] == [
        (2, f"Dòng 2 là dòng ví dụ của tệp mẫu (mã {EXAMPLE_CODE}); hãy xóa dòng này.")
    ]
    model = Task if register == "tasks" else Dossier
    assert not model.objects.exists()

    header, example = _template_rows(client, register)[:2]
    assert example[0] == EXAMPLE_CODE
    columns = REGISTERS[register].columns
    real = [REAL[register].get(c.key, "") for c in columns]
    edited = write_xlsx(tmp_path / "that.xlsx", header, [real])
    _post(client, edited, register)
    run = ImportRun.objects.latest("pk")
    assert (run.status, run.created_count, run.errors) == ("stored", 1, [])
    assert list(model.objects.values_list("external_code", flat=True)) == [REAL[register]["code"]]


def test_the_example_row_among_real_rows_is_named_and_nothing_is_stored(org, tmp_path):
    example = task(EXAMPLE_CODE, unit="VL-SXD")  # the template's unit, unknown here: not reported
    path = write_csv(tmp_path / "t.csv", TASK_HEADER, [task("NV-1"), example, task("NV-3")])
    run = import_file(actor="test", register="tasks", path=path)
    assert run.status == "rejected"
    assert [(e["row"], e["message"]) for e in run.errors] == [
        (3, f"Dòng 3 là dòng ví dụ của tệp mẫu (mã {EXAMPLE_CODE}); hãy xóa dòng này.")
    ]
    assert not Task.objects.exists()


def test_the_template_says_the_example_row_must_go(client, org):
    client.force_login(org.personas.focal)
    response = client.get(reverse("registers:template", args=["dossiers"]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    guide = book.get_sheet_by_name("Hướng dẫn").to_python()
    assert any(EXAMPLE_CODE in str(cell) and "dòng ví dụ" in str(cell) for line in guide for cell in line)


# --- 3. the result page -----------------------------------------------------------------------


def _resolution_file(tmp_path):
    """One task per way of finding the responsible official."""
    rows = [
        task("NV-CODE", responsible="CB-001"),  # by code: Nguyễn Văn An
        task("NV-NAME", responsible="Phạm Văn Hùng"),  # a name only one official has
        task("NV-TWIN", responsible="Trần Văn Nam"),  # two share it; one was appointed at T-SXD
        task("NV-DEPUTY", field="xay-dung"),  # empty: the deputy for construction
        task("NV-HEAD", field="dat-dai"),  # empty, no deputy for land: the head
        task("NV-NOBODY", unit="T-SGTVT", field="dat-dai"),  # empty, nobody in charge there
    ]
    return write_csv(tmp_path / "nv.csv", TASK_HEADER, rows)


def test_the_run_counts_how_each_rows_official_was_found(org, tmp_path):
    run = import_file(actor="test", register="tasks", path=_resolution_file(tmp_path))
    assert run.status == "stored"
    assert run.resolutions == {
        "code": 1,
        "name": 1,
        "name_at_unit": 1,
        "field_deputy": 1,
        "head": 1,
        "unresolved": 1,
    }
    found = dict(Task.objects.values_list("external_code", "responsible_id"))
    assert found == {
        "NV-CODE": org.an.pk,
        "NV-NAME": org.hung.pk,
        "NV-TWIN": org.nam_here.pk,
        "NV-DEPUTY": org.cuong.pk,
        "NV-HEAD": org.an.pk,
        "NV-NOBODY": None,
    }
    ways = dict(Task.objects.values_list("external_code", "responsible_resolution"))
    assert ways["NV-NAME"] == ways["NV-TWIN"] == "file"


def test_the_result_page_links_to_the_records_counts_and_explains_in_plain_words(client, org, tmp_path):
    earlier = write_csv(tmp_path / "cu.csv", TASK_HEADER, [task("NV-OLD")])
    import_file(actor="test", register="tasks", path=earlier)
    client.force_login(org.personas.focal)
    response = _post(client, _resolution_file(tmp_path), "tasks")
    run = ImportRun.objects.latest("pk")
    page = _page(client, response["Location"])
    assert "Thêm mới 6 dòng, cập nhật 0 dòng, không đổi 0 dòng." in page
    link = f"{reverse('registers:tasks')}?run={run.pk}"
    assert f'href="{link}"' in page
    resolutions = page.split('data-testid="run-resolutions">')[1].split("</ul>")[0]
    lines = re.findall(r"<li>(.*?)</li>", resolutions)
    assert lines == [
        "1 dòng: người phụ trách ghi trong tệp, xác định theo mã cán bộ.",
        "1 dòng: người phụ trách ghi bằng họ tên, xác định theo họ tên (chỉ một cán bộ có họ tên này).",
        "1 dòng: người phụ trách ghi bằng họ tên mà nhiều cán bộ cùng mang; chọn người từng được bổ "
        "nhiệm ở đơn vị của dòng.",
        "1 dòng: tệp để trống người phụ trách; xác định là cấp phó được phân công phụ trách lĩnh vực "
        "của dòng vào ngày giao (ngày văn bản giao, hoặc ngày nhận).",
        "1 dòng: tệp để trống người phụ trách và không có cấp phó phụ trách lĩnh vực của dòng; xác "
        "định là người đứng đầu đơn vị vào ngày giao (ngày văn bản giao, hoặc ngày nhận).",
        "1 dòng: không xác định được — tệp để trống người phụ trách và đơn vị không có lãnh đạo vào "
        "ngày giao (ngày văn bản giao, hoặc ngày nhận); ghi nhận không có người chịu trách nhiệm.",
    ]
    listed = _page(client, link)
    codes = set(re.findall(r"<code>(NV-[A-Z]+)</code>", listed))
    assert codes == {"NV-CODE", "NV-NAME", "NV-TWIN", "NV-DEPUTY", "NV-HEAD", "NV-NOBODY"}
    assert 'data-testid="run-filter"' in listed and f"lần nhập #{run.pk} (nv.csv)" in listed
    assert f'<input type="hidden" name="run" value="{run.pk}">' in listed  # kept by the filter form
    # The outsider: the run is a 404, and the list filtered by it shows nothing and names nothing.
    client.force_login(org.personas.outsider)
    assert client.get(response["Location"]).status_code == 404
    other = _page(client, link)
    assert not re.findall(r"<code>NV-", other) and "nv.csv" not in other


def test_a_reimport_that_changes_nothing_has_no_records_link(client, org, tmp_path):
    path = write_csv(tmp_path / "hs.csv", DOSSIER_HEADER, [dossier("HS-1", handler="CB-003")])
    client.force_login(org.personas.focal)
    first = _page(client, _post(client, path, "dossiers")["Location"])
    assert f"{reverse('registers:dossiers')}?run=" in first
    assert "1 dòng: người xử lý hồ sơ ghi trong tệp, xác định theo mã cán bộ." in first
    again = _page(client, _post(client, path, "dossiers")["Location"])
    assert "Thêm mới 0 dòng, cập nhật 0 dòng, không đổi 1 dòng." in again
    assert f"{reverse('registers:dossiers')}?run=" not in again


@pytest.mark.parametrize("raw", ["abc", "-1", "²", "99999999999999999999999999"])
def test_a_bad_run_parameter_is_ignored(client, org, tmp_path, raw):
    import_file(
        actor="test", register="dossiers", path=write_csv(tmp_path / "d.csv", DOSSIER_HEADER, [dossier()])
    )
    client.force_login(org.personas.focal)
    page = _page(client, f"{reverse('registers:dossiers')}?run={raw}")
    assert "<code>HS-001</code>" in page and 'data-testid="run-filter"' not in page


def test_the_dossier_list_filters_by_run(client, org, tmp_path):
    first = import_file(
        actor="test",
        register="dossiers",
        path=write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier("HS-A")]),
    )
    import_file(
        actor="test",
        register="dossiers",
        path=write_csv(tmp_path / "b.csv", DOSSIER_HEADER, [dossier("HS-B")]),
    )
    client.force_login(org.personas.admin)
    page = _page(client, f"{reverse('registers:dossiers')}?run={first.pk}")
    assert "<code>HS-A</code>" in page and "<code>HS-B</code>" not in page


# --- 4. the data source is an advanced option ---------------------------------------------------


def test_the_source_is_folded_away_with_a_default_and_help(client, org):
    client.force_login(org.personas.focal)
    page = _page(client, reverse("registers:imports"))
    details = page.split('data-testid="import-advanced"')[1].split("</details>")[0]
    assert not details.startswith(" open")
    assert "Tùy chọn nâng cao" in details
    assert 'name="source"' in details and 'value="import"' in details
    assert "nhập từ hệ thống khác" in details
    assert page.count('name="source"') == 1


def test_an_empty_source_means_the_default_and_a_bad_one_opens_the_options(client, org, tmp_path):
    path = write_csv(tmp_path / "d.csv", DOSSIER_HEADER, [dossier()])
    client.force_login(org.personas.focal)
    _post(client, path, "dossiers", source="")
    assert ImportRun.objects.get().source == "import"
    response = _post(client, path, "dossiers", source="hai từ")
    assert response.status_code == 200 and ImportRun.objects.count() == 1
    page = response.content.decode()
    assert 'data-testid="import-advanced" open' in page
    assert "is-invalid" in page.split('data-testid="import-advanced"')[1]
