"""Importing the Sổ theo dõi hồ sơ in its official form (TT 01/2018 Mẫu 06, TT 03/2025 Mẫu 07): title
lines, the two-row grouped header, the column-number row and the footer, the field from the procedure
catalogue, the unit from "Cơ quan chủ trì giải quyết"."""

from datetime import date, datetime

import pytest

from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, ImportRun, Procedure
from congvu.registers.tests.conftest import write_csv, write_xlsx

pytestmark = pytest.mark.django_db

Status = ImportRun.Status

TITLE = [
    ["UBND TỈNH THỬ", "", "", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "", "", "", "", "", "Độc lập - Tự do - Hạnh phúc"],
    [],
    ["SỔ THEO DÕI HỒ SƠ"],
    ["Quyển số: 01/2025"],
]
# Mẫu 07 as the Thanh Hóa desk prints it: groups over the dates and the result.
TOP = [
    "TT",
    "Mã hồ sơ",
    "Tên TTHC",
    "Số lượng hồ sơ\n(bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày, tháng, năm",
    "",
    "",
    "Trả kết quả",
    "",
    "Ghi chú",
]
SUB = ["", "", "", "", "", "", "", "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết"]
SUB += ["Ngày, tháng, năm", "Ký nhận", ""]
NUMBERS = [f"({i})" for i in range(1, 14)]
FOOTER = [
    ["Tổng số: 3 hồ sơ"],
    ["", "", "", "", "", "", "", "", "", "", "Thử, ngày 31 tháng 3 năm 2025"],
    ["", "", "", "", "", "", "", "", "", "", "NGƯỜI LẬP SỔ"],
    ["", "", "", "", "", "", "", "", "", "", "(Ký, ghi rõ họ tên)"],
    ["", "", "", "", "", "", "", "", "", "", "Nguyễn Thị Lập"],
]


def row(n, code, procedure, unit, received, due, returned="", note=""):
    return [
        n,
        code,
        procedure,
        1,
        "Nguyễn Văn Dân",
        "Thôn 1, 0912345678",
        unit,
        received,
        due,
        "",
        returned,
        "",
        note,
    ]


def rows():
    return [
        row(
            1,
            "HS-001",
            "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            "Sở Xây dựng",
            "06/01/2025 08:15:00",
            "20/01/2025",
            "17/01/2025",
        ),
        row(2, "HS-002", "CẤP GIẤY PHÉP XÂY DỰNG NHÀ Ở RIÊNG LẺ", "so xay dung", "07/01/2025", "21/01/2025"),
        # A predecessor's name (merged into Sở Xây dựng on 01/03/2025): kept with its own unit.
        row(
            3,
            "HS-003",
            "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            "Sở Giao thông vận tải",
            "08/01/2025",
            "22/01/2025",
            "23/01/2025",
        ),
    ]


def official_csv(path, body, *, top=TOP, sub=SUB, footer=FOOTER):
    return write_csv(path, top, [sub, NUMBERS, *body], above=TITLE, below=footer)


def _import(path, **kw):
    kw.setdefault("actor", "test")
    return import_file(register="dossiers", path=path, **kw)


def test_official_register_csv_imports_without_editing(org, tmp_path):
    run = _import(official_csv(tmp_path / "so.csv", rows()))

    assert run.status == Status.STORED, run.errors
    got = {
        d.external_code: (d.unit_id, d.field.code, d.received_on, d.due_on, d.completed_on, d.returned_on)
        for d in Dossier.objects.select_related("field")
    }
    assert got == {
        "HS-001": (
            org.unit.pk,
            "xay-dung",
            date(2025, 1, 6),
            date(2025, 1, 20),
            date(2025, 1, 17),
            date(2025, 1, 17),
        ),
        "HS-002": (org.unit.pk, "xay-dung", date(2025, 1, 7), date(2025, 1, 21), None, None),
        "HS-003": (
            org.old.pk,
            "dat-dai",
            date(2025, 1, 8),
            date(2025, 1, 22),
            date(2025, 1, 23),
            date(2025, 1, 23),
        ),
    }
    assert any("Sổ theo dõi hồ sơ theo mẫu" in n for n in run.notes)
    assert any("Bỏ qua 5 dòng chân sổ" in n for n in run.notes)


def test_official_register_xlsx_with_variant_two_grouping(org, tmp_path):
    """Variant 2 (smartkios): every date under "Ngày, tháng, năm", the result date among them."""
    top = ["TT", "Mã hồ sơ", "Tên TTHC", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại"]
    top += ["Cơ quan chủ trì giải quyết", "Ngày, tháng, năm", "", "", "", ""]
    sub = ["", "", "", "", "", "", "Nhận hồ sơ", "Hẹn trả kết quả", "Trả kết quả", "Phương thức nhận kết quả"]
    sub += ["Ký nhận"]
    body = [
        [1, "HS-101", "Đăng ký khai sinh", "Trần Thị Bé", "Xã A", "SỞ XÂY DỰNG"]
        + [datetime(2025, 2, 3), datetime(2025, 2, 4), datetime(2025, 2, 4), "Trực tiếp", ""],
    ]
    path = write_xlsx(tmp_path / "so.xlsx", top, [sub, [f"({i})" for i in range(1, 12)], *body], above=TITLE)

    run = _import(path)

    assert run.status == Status.STORED, run.errors
    d = Dossier.objects.get()
    assert (d.field.code, d.received_on, d.due_on, d.returned_on) == (
        "ho-tich",
        date(2025, 2, 3),
        date(2025, 2, 4),
        date(2025, 2, 4),
    )


def test_headers_match_ignoring_accents_case_line_breaks_and_order(org, tmp_path):
    """Columns are found by text, never by position: the same file with shuffled columns."""
    order = [1, 0, 6, 2, 7, 8, 9, 10, 11, 12, 3, 4, 5]
    top, sub = TOP[:], SUB[:]
    top[7], top[10] = "NGAY, THANG,\nNAM", "tra  ket qua"
    # Keep each group's first cell first: the dates and the result move as blocks.
    body = [[r[i] for i in order] for r in rows()]
    path = official_csv(
        tmp_path / "so.csv", body, top=[top[i] for i in order], sub=[sub[i] for i in order], footer=()
    )

    run = _import(path)

    assert run.status == Status.STORED, run.errors
    assert Dossier.objects.get(external_code="HS-001").completed_on == date(2025, 1, 17)


def test_unknown_procedure_stops_the_import_with_the_list_of_names(org, tmp_path):
    body = [
        *rows(),
        row(4, "HS-004", "Cấp giấy phép khai thác cát", "Sở Xây dựng", "09/01/2025", "23/01/2025"),
        row(5, "HS-005", "cấp giấy phép khai thác CÁT", "Sở Xây dựng", "09/01/2025", "23/01/2025"),
        row(6, "HS-006", "Thẩm định giá đất cụ thể", "Sở Xây dựng", "09/01/2025", "23/01/2025"),
    ]
    run = _import(official_csv(tmp_path / "so.csv", body))

    assert run.status == Status.REJECTED
    assert Dossier.objects.count() == 0
    assert run.unknown_procedures == ["Cấp giấy phép khai thác cát", "Thẩm định giá đất cụ thể"]
    # Rows 1-8 are the title, the two header rows and the numbers; the data start on row 9.
    assert {(e["row"], e["letter"], e["column"]) for e in run.errors} == {
        (12, "C", "Tên TTHC"),
        (13, "C", "Tên TTHC"),
        (14, "C", "Tên TTHC"),
    }
    assert "chưa có trong danh mục" in run.errors[0]["message"]


def test_a_mapped_procedure_is_remembered_for_the_next_import(org, tmp_path):
    body = [row(1, "HS-004", "Cấp giấy phép khai thác cát", "Sở Xây dựng", "09/01/2025", "23/01/2025")]
    path = official_csv(tmp_path / "so.csv", body)
    assert _import(path).status == Status.REJECTED
    from congvu.registers.services import procedure_map

    procedure_map(actor=org.personas.admin, names={"Cấp giấy phép khai thác cát": org.land})

    run = _import(path)
    assert run.status == Status.STORED, run.errors
    assert Dossier.objects.get().field == org.land
    assert Procedure.objects.filter(name="Cấp giấy phép khai thác cát", field=org.land).exists()


def test_bad_rows_are_located_by_the_files_own_headers_and_nothing_is_stored(org, tmp_path):
    body = [
        *rows(),
        row(4, "HS-004", "Đăng ký khai sinh", "Sở Không Có", "09/01/2025", "23/01/2025"),
        row(5, "HS-005", "Đăng ký khai sinh", "Sở Xây dựng", "09/13/2025", "23/01/2025"),
        row(6, "HS-006", "Đăng ký khai sinh", "Sở Xây dựng", "09/01/2025", "02/01/2025"),
    ]
    run = _import(official_csv(tmp_path / "so.csv", body))

    assert run.status == Status.REJECTED
    assert Dossier.objects.count() == 0
    assert {(e["row"], e["letter"], e["column"]) for e in run.errors} == {
        (12, "G", "Cơ quan chủ trì giải quyết"),
        (13, "H", "Ngày, tháng, năm — Nhận hồ sơ"),
        (14, "I", "Ngày, tháng, năm — Hẹn trả kết quả"),
    }


def test_outsider_cannot_import_another_units_register(org, tmp_path):
    run = _import(official_csv(tmp_path / "so.csv", rows()[:2]), actor=org.personas.outsider)

    assert run.status == Status.REJECTED
    assert Dossier.objects.count() == 0
    assert {e["letter"] for e in run.errors} == {"G"}


def test_the_projects_template_is_not_taken_for_the_official_form(org, tmp_path):
    from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier

    run = _import(write_csv(tmp_path / "t.csv", DOSSIER_HEADER, [dossier("HS-1")]))

    assert run.status == Status.STORED, run.errors
    assert not any("theo mẫu" in n for n in run.notes)


def test_official_register_xlsx_with_real_merged_cells(org, tmp_path):
    """As desks' software writes it: the groups are merged cells, the title spans the table."""
    import xlsxwriter

    path = tmp_path / "so.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Sổ")
    ws.merge_range(0, 0, 0, 12, "SỔ THEO DÕI HỒ SƠ")
    for col, text in enumerate(TOP[:7]):
        ws.merge_range(1, col, 2, col, text)
    ws.merge_range(1, 7, 1, 9, "Ngày, tháng, năm")
    ws.merge_range(1, 10, 1, 11, "Trả kết quả")
    ws.merge_range(1, 12, 2, 12, "Ghi chú")
    for col in range(7, 12):
        ws.write(2, col, SUB[col])
    for col in range(13):
        ws.write(3, col, f"({col + 1})")
    for r, values in enumerate(rows(), start=4):
        for col, value in enumerate(values):
            ws.write(r, col, value)
    ws.merge_range(8, 0, 8, 6, "Tổng số: 3 hồ sơ")
    ws.merge_range(9, 9, 9, 12, "NGƯỜI LẬP SỔ")
    book.close()

    run = _import(path)

    assert run.status == Status.STORED, run.errors
    assert Dossier.objects.count() == 3
    assert Dossier.objects.get(external_code="HS-001").returned_on == date(2025, 1, 17)


def test_cli_recognises_the_official_form_without_a_flag(org, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("import", "dossiers", str(official_csv(tmp_path / "so.csv", rows())), stdout=out)
    assert "Sổ theo dõi hồ sơ theo mẫu" in out.getvalue() and "thêm mới 3" in out.getvalue()
    unknown = [row(1, "HS-9", "Thủ tục lạ", "Sở Xây dựng", "09/01/2025", "23/01/2025")]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", "dossiers", str(official_csv(tmp_path / "x.csv", unknown)), stdout=out, stderr=err
        )
    assert "Thủ tục “Thủ tục lạ” chưa có trong danh mục" in err.getvalue()
