"""Control characters in a cell (#14 item 4): a NUL, an ESC, a DEL or a C1 character is refused with
its row and column in every import (task and dossier registers, CSV in any encoding, XLSX, the
official form, the control slips), nothing is stored, so no `_x0000_` can reach an export."""

import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_rows, xlsx_text
from congvu.registers.imports import format_error, import_file
from congvu.registers.models import Dossier, HandOver, ImportRun, Task
from congvu.registers.slips import slips_import
from congvu.registers.tests.conftest import (
    DOSSIER_HEADER,
    TASK_HEADER,
    dossier,
    task,
    write_csv,
    write_xlsx,
)
from congvu.registers.tests.test_encodings_cp1258 import cp1258, csv_text
from congvu.registers.tests.test_official_register import official_csv, rows
from congvu.registers.tests.test_slips import HEADER as SLIP_HEADER
from congvu.registers.tests.test_slips import ROWS as SLIP_ROWS

pytestmark = pytest.mark.django_db

Status = ImportRun.Status


def _import(path, register="dossiers", **kw):
    return import_file(actor="test", register=register, path=path, **kw)


def _located(errors) -> dict[tuple, str]:
    return {(e["row"], e["column"], e["letter"]): e["message"] for e in errors}


def _bad_dossiers():
    return [
        dossier("HS-1"),
        dossier("HS-2", procedure="Cấp giấy phép\x00 xây dựng"),  # row 3, column C
        dossier("HS-3", status="Đang xử lý\x1b[0m"),  # row 4, column I
    ]


def _assert_dossier_errors(run):
    assert run.status == Status.REJECTED
    assert Dossier.objects.count() == 0
    located = _located(run.errors)
    assert set(located) == {(3, "Thủ tục", "C"), (4, "Trạng thái", "I")}
    assert "ô chứa ký tự điều khiển (mã 0x00)" in located[(3, "Thủ tục", "C")].lower()
    assert "(mã 0x1B)" in located[(4, "Trạng thái", "I")]
    values = {e["row"]: e["value"] for e in run.errors}
    assert values == {3: "Cấp giấy phép␀ xây dựng", 4: "Đang xử lý␛[0m"}  # visible, never the byte
    assert format_error(run.errors[0]).startswith(
        'Dòng 3, cột "Thủ tục" (C): Ô chứa ký tự điều khiển (mã 0x00)'
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_a_csv_cell_with_nul_or_esc_is_refused_with_its_row_and_column(org, tmp_path, encoding):
    path = tmp_path / "ctrl.csv"
    if encoding == "cp1258":  # Windows-1258 bytes, tone marks apart
        path.write_bytes(cp1258(csv_text(DOSSIER_HEADER, _bad_dossiers())))
    else:
        write_csv(path, DOSSIER_HEADER, _bad_dossiers(), encoding=encoding)

    run = _import(path)

    _assert_dossier_errors(run)
    assert ("Tệp CSV được đọc theo bảng mã Windows-1258 (tiếng Việt)." in run.notes) == (encoding == "cp1258")


def test_an_xlsx_cell_with_nul_or_esc_is_refused_with_its_row_and_column(org, tmp_path):
    path = write_xlsx(tmp_path / "ctrl.xlsx", DOSSIER_HEADER, _bad_dossiers())
    with zipfile.ZipFile(path) as book:
        assert "_x0000_" in book.read("xl/sharedStrings.xml").decode()  # how XLSX carries a NUL

    _assert_dossier_errors(_import(path))


def test_an_xlsx_sheet_starting_at_a_later_column_names_the_real_letter(org, tmp_path):
    path = write_xlsx(tmp_path / "ctrl.xlsx", DOSSIER_HEADER, _bad_dossiers(), first_column=2)
    run = _import(path)
    assert set(_located(run.errors)) == {(3, "Thủ tục", "E"), (4, "Trạng thái", "K")}


def test_task_register_refuses_del_and_c1_characters(org, tmp_path):
    rows = [
        task("NV-1", content="Tham mưu\x7f kế hoạch"),  # DEL
        task("NV-2", authority="UBND tỉnh\x85"),  # NEL, a C1 control character
        task("NV\x01-3"),  # in the code column, ASCII as codes are
        task("NV-4", content="Tham mưu\tkế hoạch"),  # a TAB is not refused
    ]
    run = _import(write_csv(tmp_path / "nv.csv", TASK_HEADER, rows), register="tasks")

    assert run.status == Status.REJECTED
    assert Task.objects.count() == 0
    located = _located(run.errors)
    assert set(located) == {(2, "Nội dung", "B"), (3, "Cơ quan giao", "C"), (4, "Mã nhiệm vụ", "A")}
    assert "(mã 0x7F)" in located[(2, "Nội dung", "B")]
    assert "(mã 0x85)" in located[(3, "Cơ quan giao", "C")]
    assert "(mã 0x01)" in located[(4, "Mã nhiệm vụ", "A")]


def test_a_control_character_in_a_column_the_import_does_not_read(org, tmp_path):
    """Every cell counts, even under a column the register ignores (STT) or above the header."""
    header = ["STT", *DOSSIER_HEADER]
    path = write_csv(
        tmp_path / "stt.csv",
        header,
        [["1\x00", *dossier("HS-1")]],
        above=[["SỔ THEO DÕI\x02"]],
    )
    run = _import(path)

    assert run.status == Status.REJECTED
    assert Dossier.objects.count() == 0
    located = _located(run.errors)
    assert set(located) == {(1, "", "A"), (3, "STT", "A")}
    assert located[(1, "", "A")].startswith("Cột A: Ô chứa ký tự điều khiển (mã 0x02)")


def test_the_official_form_refuses_a_control_character(org, tmp_path):
    body = rows()
    body[1][4] = "Nguyễn Văn\x00 Dân"  # Tên cá nhân, tổ chức: a column the import does not keep
    body[2][2] = body[2][2] + "\x1b"  # Tên TTHC
    run = _import(official_csv(tmp_path / "so.csv", body))

    assert run.status == Status.REJECTED
    assert Dossier.objects.count() == 0
    # Five title lines, the two header rows and the numbers row: the data begin at line 9.
    control = {(e["row"], e["letter"]) for e in run.errors if "ký tự điều khiển" in e["message"]}
    assert control == {(10, "E"), (11, "C")}


def test_control_slips_refuse_a_control_character(org, tmp_path):
    Dossier.objects.create(
        source="import",
        external_code="HS-1",
        unit=org.unit,
        field=org.land,
        procedure="Đăng ký biến động",
        received_on="2025-01-06",
        due_on="2025-01-10",
    )
    slips = [r for r in SLIP_ROWS if r[1] == "HS-1"]
    slips[1] = [*slips[1][:5], "Minh\x00", *slips[1][6:]]  # Người giao
    result = slips_import(actor="test", path=write_csv(tmp_path / "p.csv", SLIP_HEADER, slips))

    assert not result.stored
    assert HandOver.objects.count() == 0
    assert [(e["row"], e["column"], e["letter"]) for e in result.errors] == [(3, "Người giao", "F")]
    assert "(mã 0x00)" in result.errors[0]["message"]


def test_no_x0000_reaches_an_export(client, org, tmp_path):
    """The register export and the import-error export: the rejected text is never stored, and the
    error shows the character made visible, which a workbook writes as itself."""
    client.force_login(org.personas.focal)
    upload = write_xlsx(tmp_path / "ctrl.xlsx", DOSSIER_HEADER, _bad_dossiers())
    with upload.open("rb") as fh:
        client.post(reverse("registers:imports"), {"register": "dossiers", "file": fh, "source": "import"})
    run = ImportRun.objects.get()
    assert run.status == Status.REJECTED
    assert len(run.errors) == 2
    _import(write_csv(tmp_path / "ok.csv", DOSSIER_HEADER, [dossier("HS-1")]))  # one clean record

    for response in (
        client.get(reverse("registers:dossiers"), {"format": "xlsx"}),
        client.get(reverse("registers:import", args=[run.pk]), {"format": "xlsx"}),
    ):
        assert response.status_code == 200
        with zipfile.ZipFile(BytesIO(response.content)) as book:
            xml = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
        assert "_x0000_" not in xml and "_x001B_" not in xml
        text = xlsx_text(xlsx_rows(response))
        assert "\x00" not in text and "\x1b" not in text
    assert "Cấp giấy phép␀ xây dựng" in text  # the error export shows where the NUL was
    assert list(Dossier.objects.values_list("external_code", flat=True)) == ["HS-1"]


def test_the_byte_scan_finds_a_c1_character_split_between_two_chunks(tmp_path, monkeypatch):
    from congvu.registers import readers

    monkeypatch.setattr(readers, "CHUNK", 4)
    path = tmp_path / "c1.csv"
    path.write_bytes("abc\xa0d,x\n".encode() + b"ab\xc2" + b"\x85c\n")  # NBSP, then NEL over the seam
    assert readers._scan(path) == (2, True, True)
    path.write_bytes("abc\xa0d,Trà Vinh\n".encode())  # a no-break space is not a control character
    assert readers._scan(path) == (1, True, False)
    sheet = readers.open_sheet(path)
    assert list(sheet.rows) == [(1, ["abc\xa0d", "Trà Vinh"])]
    assert sheet.problems == []
