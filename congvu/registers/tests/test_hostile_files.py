"""Hostile uploads (issue #14, item 1): a spreadsheet is measured before any cell is read, uploads
have a size cap, and a file is kept only together with its import run.

The hostile files are built here with zipfile. The checks run in the test process itself: had one
reached python-calamine, A1 + XFD1048576 would ask for ~550 GB and abort the whole test run, so a
passing test is the proof; the peak memory of the process is compared as well."""

import resource
import struct
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from congvu.core.models import AuditEvent
from congvu.registers.guard import MAX_ENTRIES, check_workbook
from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, ImportRun
from congvu.registers.readers import UnreadableFile
from congvu.registers.tests.conftest import DOSSIER_HEADER, TASK_HEADER, dossier, task, write_csv, write_xlsx

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def value(ref: str, number: int = 1) -> str:
    return f'<c r="{ref}"><v>{number}</v></c>'


def sheet_xml(cells: str, *, dimension: str = "A1", prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>'
    )


def make_xlsx(path, sheet: str | bytes, *, level: int | None = None):
    """A minimal, valid XLSX package around one sheet part."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def make_ods(path, rows: str):
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


ODS_TEXT = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def refusal(path) -> str:
    """The message check_workbook refuses the file with; the process must not grow by 50 MB."""
    before = peak_mb()
    with pytest.raises(UnreadableFile) as refused:
        check_workbook(path)
    assert peak_mb() - before < 50
    return str(refused.value)


# --- the checks themselves -----------------------------------------------------------------------


def test_a1_and_xfd1048576_is_refused_before_any_cell_is_read(tmp_path):
    path = make_xlsx(tmp_path / "bom.xlsx", sheet_xml(value("A1") + value("XFD1048576")))
    assert path.stat().st_size < 2000
    message = refusal(path)
    assert "cột XFD" in message and "tối đa 256 cột" in message


def test_a_far_cell_in_column_z_is_refused_as_mostly_empty(tmp_path):
    path = make_xlsx(tmp_path / "z.xlsx", sheet_xml(value("A1") + value("Z100000")))
    message = refusal(path)
    assert "A1:Z100000 (2.600.000 ô) nhưng chỉ 2 ô có nội dung" in message


def test_a_cell_in_column_aaa_is_refused(tmp_path):
    path = make_xlsx(tmp_path / "aaa.xlsx", sheet_xml(value("A1") + value("AAA100000")))
    assert "cột AAA" in refusal(path)


def test_cells_without_addresses_are_placed_like_the_reader_places_them(tmp_path):
    # No r attributes: rows and columns run on; <row r> jumps. The extent is still measured.
    cells = "<row>" + "<c><v>1</v></c>" * 3 + '</row><row r="5"><c><v>1</v></c></row>'
    shape = check_workbook(make_xlsx(tmp_path / "ok.xlsx", sheet_xml(cells)))
    assert (shape.sheets[0].span(), shape.sheets[0].cells) == ("A1:C5", 4)
    wide = "<row>" + "<c><v>1</v></c>" * 300 + "</row>"
    assert "tối đa 256 cột" in refusal(make_xlsx(tmp_path / "wide.xlsx", sheet_xml(wide)))


def test_a_hostile_sheet_behind_a_normal_one_is_refused(tmp_path):
    # Every worksheet part is measured, wherever it sits in the package and whatever it is called.
    path = make_xlsx(tmp_path / "two.xlsx", sheet_xml(value("A1") + value("B2")))
    with zipfile.ZipFile(path, "a") as book:
        book.writestr("xl/other/anything.xml", sheet_xml(value("A1") + value("XFD1048576")))
    assert "cột XFD" in refusal(path)


def test_a_sheet_in_utf16_is_measured_too(tmp_path):
    sheet = sheet_xml(value("A1") + value("XFD1048576")).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = make_xlsx(tmp_path / "utf16.xlsx", sheet.encode("utf-16"))
    assert "cột XFD" in refusal(path)


@pytest.mark.parametrize("with_addresses", [True, False])
def test_a_sheet_over_the_cell_limit_is_refused_while_it_is_read(tmp_path, settings, with_addresses):
    # 200,000 cells (3 MB of XML) and a broken end: the refusal names the 1,001st cell, so the scan
    # stopped long before the end (which would have been reported as a damaged file).
    settings.IMPORT_MAX_CELLS = 1_000
    cell = (lambda r: value(f"A{r}")) if with_addresses else (lambda r: "<c><v>1</v></c>")
    cells = "".join(f'<row r="{r}">{cell(r)}</row>' for r in range(1, 200_001))
    broken = sheet_xml(cells).replace("</sheetData></worksheet>", "</sheetDat")
    message = refusal(make_xlsx(tmp_path / "many.xlsx", broken))
    assert "A1:A1001 (1.001 ô), quá giới hạn 1.000 ô" in message


def test_a_lying_dimension_is_refused_either_way(tmp_path):
    # Declares a small sheet but its cells reach far: the streamed cells decide.
    small = sheet_xml(value("A1") + value("Y200000"), dimension="A1:B2")
    assert "A1:Y200000" in refusal(make_xlsx(tmp_path / "small.xlsx", small))
    # Declares the whole grid around two cells: refused from the declaration.
    huge = sheet_xml(value("A1") + value("B2"), dimension="A1:IV1048576")
    message = refusal(make_xlsx(tmp_path / "huge.xlsx", huge))
    assert "khai báo vùng dữ liệu A1:IV1048576" in message


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path):
    filler = "<!--" + " " * (64 << 20) + "-->"  # 64 MB of spaces, about 64 KB compressed
    path = make_xlsx(tmp_path / "bomb.xlsx", sheet_xml(value("A1"), prolog=filler), level=9)
    assert path.stat().st_size < 200_000
    message = refusal(path)
    assert "nén bất thường" in message and "xl/worksheets/sheet1.xml" in message


def test_many_small_compressed_parts_are_held_to_the_ratio_together(tmp_path):
    path = make_xlsx(tmp_path / "parts.xlsx", sheet_xml(value("A1")))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for i in range(40):  # 40 parts of 512 KB, each under the per-part threshold (1 MB)
            book.writestr(f"xl/media/part{i}.xml", "<x>" + " " * (1 << 19) + "</x>")
    assert "nén bất thường (nén" in refusal(path)


def test_an_entry_inflating_beyond_its_declared_size_is_refused(tmp_path):
    path = make_xlsx(tmp_path / "lie.xlsx", sheet_xml(value("A1") + value("B2")))
    data = bytearray(path.read_bytes())
    # Declare the sheet 10 bytes smaller in its central directory record (uncompressed size, +24).
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.find(b"PK\x01\x02", at + 4)
    (size,) = struct.unpack_from("<L", data, at + 24)
    struct.pack_into("<L", data, at + 24, size - 10)
    path.write_bytes(bytes(data))
    assert "khai báo sai kích thước" in refusal(path)


def test_a_zip_declaring_a_huge_directory_is_refused_before_it_is_read(tmp_path):
    path = make_xlsx(tmp_path / "dir.xlsx", sheet_xml(value("A1")))
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<2H", data, end + 8, 60_000, 60_000)  # entries on this disk, in total
    path.write_bytes(bytes(data))
    assert "quá nhiều thành phần" in refusal(path)
    with zipfile.ZipFile(tmp_path / "many.xlsx", "w") as book:
        for i in range(MAX_ENTRIES + 1):
            book.writestr(f"x/{i}.txt", b"")
    assert "quá nhiều thành phần" in refusal(tmp_path / "many.xlsx")


def test_entity_declarations_are_refused(tmp_path):
    laughs = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    path = make_xlsx(tmp_path / "lol.xlsx", sheet_xml(value("A1"), prolog=laughs))
    assert "DTD" in refusal(path)


def test_binary_excel_files_are_refused_with_a_way_out(tmp_path):
    path = tmp_path / "cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert "lưu lại dưới dạng .xlsx hoặc CSV" in refusal(path)


def test_an_ods_with_huge_repeats_is_refused_and_padding_is_not_counted(tmp_path):
    bomb = (
        '<table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="200" office:value-type="float" office:value="1"/>'
        "</table:table-row>"
    )
    assert "quá giới hạn" in refusal(make_ods(tmp_path / "bomb.ods", bomb))
    far = (
        f'<table:table-row>{ODS_TEXT}<table:table-cell table:number-columns-repeated="200"/>{ODS_TEXT}'
        '</table:table-row><table:table-row table:number-rows-repeated="20000"><table:table-cell/>'
        f"</table:table-row><table:table-row>{ODS_TEXT}</table:table-row>"
    )
    assert "nhưng chỉ 3 ô có nội dung" in refusal(make_ods(tmp_path / "far.ods", far))
    # LibreOffice pads every sheet with empty repeats to its last column and row: not cells.
    padded = (
        f'<table:table-row>{ODS_TEXT}<table:table-cell table:number-columns-repeated="1023"/>'
        '</table:table-row><table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    shape = check_workbook(make_ods(tmp_path / "padded.ods", padded))
    assert (shape.kind, shape.sheets[0].span(), shape.sheets[0].cells) == ("ods", "A1:A1", 1)


def test_an_ordinary_workbook_passes_and_is_measured(tmp_path):
    rows = [dossier(f"HS-{i}", received=datetime(2025, 1, 6)) for i in range(30)]
    path = write_xlsx(tmp_path / "ho-so.xlsx", DOSSIER_HEADER, rows, above=[["Sổ hồ sơ"]], first_column=1)
    shape = check_workbook(path)
    assert (shape.kind, shape.rows, shape.sheets[0].span()) == ("xlsx", 32, "B1:L32")


def test_the_cell_limit_is_a_setting(tmp_path, settings):
    cells = "".join(f'<row r="{r}">{value(f"A{r}")}{value(f"B{r}")}</row>' for r in range(1, 101))
    path = make_xlsx(tmp_path / "t.xlsx", sheet_xml(cells))
    assert check_workbook(path).sheets[0].cells == 200
    settings.IMPORT_MAX_CELLS = 150
    assert "A1:B76 (152 ô), quá giới hạn 150 ô" in refusal(path)  # refused at the 151st cell


# --- the import, the page and the command ----------------------------------------------------------


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.django_db
@pytest.mark.usefixtures("_media")
def test_a_hostile_upload_is_rejected_with_its_run_audit_and_file(client, org, tmp_path, settings):
    path = make_xlsx(tmp_path / "bom.xlsx", sheet_xml(value("A1") + value("XFD1048576")))
    client.force_login(org.personas.focal)
    upload = SimpleUploadedFile("bom.xlsx", path.read_bytes())
    response = client.post(
        reverse("registers:imports"), {"register": "dossiers", "file": upload, "source": "import"}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert (run.status, run.file_name, run.created_by) == ("rejected", "bom.xlsx", org.personas.focal)
    assert "cột XFD" in run.errors[0]["message"]
    assert AuditEvent.objects.filter(action="import_run.rejected", object_id=str(run.pk)).exists()
    assert _stored_files(settings) == [run.file.name.rsplit("/", 1)[1]]
    assert not Dossier.objects.exists()
    assert "cột XFD" in client.get(response["Location"]).content.decode()
    client.force_login(org.personas.outsider)
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.django_db
@pytest.mark.usefixtures("_media")
def test_an_upload_over_the_size_cap_is_refused_and_nothing_is_kept(client, org, tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    rows = [dossier(f"HS-{i:06d}") for i in range(12_000)]
    path = write_csv(tmp_path / "lon.csv", DOSSIER_HEADER, rows)
    assert path.stat().st_size > 1024 * 1024
    client.force_login(org.personas.focal)
    response = client.post(
        reverse("registers:imports"),
        {
            "register": "dossiers",
            "source": "import",
            "file": SimpleUploadedFile("lon.csv", path.read_bytes()),
        },
    )
    assert response.status_code == 200
    assert "chỉ nhận tệp tối đa 1 MB" in response.content.decode()
    assert not ImportRun.objects.exists() and _stored_files(settings) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("_media")
def test_no_file_is_left_when_the_run_cannot_be_saved(org, tmp_path, settings, monkeypatch):
    from congvu.registers.services import import_run_submit

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ImportRun, "save", broken_save)
    upload = SimpleUploadedFile("ho-so.csv", b"a,b\n1,2\n")
    with pytest.raises(RuntimeError):
        import_run_submit(actor=org.personas.focal, register="dossiers", upload=upload)
    assert _stored_files(settings) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("_media")
def test_the_command_refuses_hostile_and_oversized_files(org, tmp_path, settings, capsys):
    path = make_xlsx(tmp_path / "z.xlsx", sheet_xml(value("A1") + value("Z100000")))
    with pytest.raises(CommandError):
        call_command("import", "dossiers", str(path))
    assert "nhưng chỉ 2 ô có nội dung" in capsys.readouterr().err
    assert ImportRun.objects.get().status == "rejected"
    settings.IMPORT_MAX_UPLOAD_MB = 0
    csv_path = write_csv(tmp_path / "d.csv", DOSSIER_HEADER, [dossier("HS-1")])
    with pytest.raises(CommandError, match="chỉ nhận tệp tối đa 0 MB"):
        call_command("import", "dossiers", str(csv_path))
    assert ImportRun.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("_media")
def test_the_import_api_checks_the_workbook_too(org, tmp_path):
    path = make_xlsx(tmp_path / "z.xlsx", sheet_xml(value("A1") + value("AAA100000")))
    run = import_file(actor="test", register="dossiers", path=path)
    assert run.status == "rejected" and "cột AAA" in run.errors[0]["message"]


@pytest.mark.django_db
@pytest.mark.usefixtures("_media")
def test_a_csv_cell_over_the_reader_limit_is_refused_with_its_row(client, org, tmp_path):
    rows = [dossier("HS-1"), dossier("HS-2", procedure="x" * 200_000)]
    path = write_csv(tmp_path / "dai.csv", DOSSIER_HEADER, rows)
    client.force_login(org.personas.focal)
    with path.open("rb") as fh:
        response = client.post(
            reverse("registers:imports"), {"register": "dossiers", "file": fh, "source": "import"}
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.status == "rejected"
    message = "Dòng 3: một ô dài hơn 131.072 ký tự, tệp không phải sổ dữ liệu hợp lệ."
    assert run.errors[-1]["message"] == message
    assert not Dossier.objects.exists()
    rows = [task("NV-1"), task("NV-2"), task("NV-3", content="x" * 200_000)]
    run = import_file(actor="test", register="tasks", path=write_csv(tmp_path / "nv.csv", TASK_HEADER, rows))
    assert (run.status, run.errors[-1]["message"]) == ("rejected", message.replace("Dòng 3", "Dòng 4"))


@pytest.mark.django_db
@pytest.mark.usefixtures("_media")
def test_the_form_asks_for_xlsx_instead_of_a_binary_workbook(client, org, settings):
    client.force_login(org.personas.focal)
    upload = SimpleUploadedFile("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    response = client.post(
        reverse("registers:imports"), {"register": "dossiers", "file": upload, "source": "import"}
    )
    assert response.status_code == 200
    assert (
        "Không nhận tệp Excel nhị phân (.xls): hãy lưu lại dưới dạng .xlsx hoặc CSV."
        in response.content.decode()
    )
    assert not ImportRun.objects.exists() and _stored_files(settings) == []
