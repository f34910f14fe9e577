"""The import service `import_file`: two phases, every error located, all or nothing, idempotent."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from congvu.core.models import AuditEvent
from congvu.registers import staging
from congvu.registers.imports import format_error, import_file
from congvu.registers.models import Dossier, ImportRun, Task
from congvu.registers.tests.conftest import (
    DOSSIER_HEADER,
    TASK_HEADER,
    dossier,
    task,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

Status = ImportRun.Status


def _import(path, register="dossiers", **kw):
    kw.setdefault("actor", "test")
    return import_file(register=register, path=path, **kw)


def _located(run) -> set[tuple]:
    return {(e["row"], e["column"], e["letter"]) for e in run.errors}


def test_bad_file_is_rejected_with_every_error_located_and_nothing_stored(org, tmp_path):
    header = [*DOSSIER_HEADER, "Cột lạ"]
    rows = [
        [*dossier("HS-1"), ""],
        [*dossier("HS-2", unit="Sở Không Có"), ""],  # unknown unit
        [*dossier("HS-3", received="31/02/2025"), ""],  # a date that does not exist
        [*dossier("HS-4", procedure=""), ""],  # missing required value
        [*dossier("HS-5", due="05/01/2025"), ""],  # due before receipt
        [*dossier("HS-1"), ""],  # duplicate code within the file
        [*dossier("HS-7", received="hôm qua", field="Lĩnh vực lạ"), ""],  # two errors in one row
    ]
    path = write_csv(tmp_path / "bad.csv", header, rows)

    run = _import(path)

    assert run.status == Status.REJECTED
    assert Dossier.objects.count() == 0
    assert _located(run) == {
        (1, "Cột lạ", "L"),
        (3, "Đơn vị", "D"),
        (4, "Ngày tiếp nhận", "E"),
        (5, "Thủ tục", "C"),
        (6, "Hạn xử lý", "F"),
        (7, "Mã hồ sơ", "A"),
        (8, "Lĩnh vực", "B"),
        (8, "Ngày tiếp nhận", "E"),
    }
    assert run.error_count == 8
    by_row = {e["row"]: e for e in run.errors if e["column"] != "Ngày tiếp nhận"}
    assert "Sở Không Có" in by_row[3]["message"]
    assert by_row[6]["message"] == "Hạn xử lý (05/01/2025) trước ngày tiếp nhận (06/01/2025)."
    assert by_row[7]["message"] == "Mã trùng với dòng 2 trong cùng tệp."
    assert format_error(by_row[6]).startswith('Dòng 6, cột "Hạn xử lý" (F): Hạn xử lý (05/01/2025)')
    # Errors are listed in file order.
    assert [e["row"] for e in run.errors] == sorted(e["row"] for e in run.errors)


def test_missing_required_column_is_reported_at_the_header_row(org, tmp_path):
    header = [h for h in DOSSIER_HEADER if h != "Ngày tiếp nhận"]
    rows = [[v for h, v in zip(DOSSIER_HEADER, dossier(), strict=True) if h != "Ngày tiếp nhận"]]
    run = _import(write_csv(tmp_path / "f.csv", header, rows))
    assert run.status == Status.REJECTED
    assert [(e["row"], e["message"]) for e in run.errors] == [(1, "Thiếu cột bắt buộc “Ngày tiếp nhận”.")]


def test_file_without_header_row_is_rejected_with_a_file_level_error(org, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    run = _import(path)
    assert run.status == Status.REJECTED
    assert run.errors[0]["row"] is None
    assert "dòng tiêu đề" in run.errors[0]["message"]


def test_title_lines_and_total_row_are_skipped(org, tmp_path):
    above = [["UBND TỈNH THỬ"], ["SỞ XÂY DỰNG"], [], ["BÁO CÁO HỒ SƠ TTHC QUÝ I/2025"], []]
    numbers = [f"({i})" for i in range(1, 12)]  # the row that numbers the columns in report templates
    below = [["Tổng cộng", "", "", "", "", "", "", "", "2 hồ sơ"], [], ["", "", "", "", "Người lập biểu"]]
    rows = [numbers, dossier("HS-1"), dossier("HS-2")]
    path = write_csv(tmp_path / "r.csv", DOSSIER_HEADER, rows, above=above, below=below)

    run = _import(path)

    assert run.status == Status.STORED, run.errors
    assert (run.rows_total, run.created_count) == (2, 2)
    assert any("dòng 6" in note for note in run.notes)
    assert any("tổng cộng: 10" in note for note in run.notes)
    assert any("1 dòng chân trang" in note for note in run.notes)


def test_a_row_without_a_code_before_the_total_is_an_error_not_a_footer(org, tmp_path):
    rows = [dossier("HS-1"), dossier(""), dossier("HS-3")]
    run = _import(write_csv(tmp_path / "r.csv", DOSSIER_HEADER, rows, below=[["Cộng:", "", "3"]]))
    assert run.status == Status.REJECTED
    assert [(e["row"], e["column"], e["message"]) for e in run.errors] == [
        (3, "Mã hồ sơ", "Thiếu giá trị bắt buộc.")
    ]


def test_xlsx_with_titles_date_cells_serials_and_a_later_first_column(org, tmp_path):
    rows = [
        dossier(
            "HS-1", received=datetime(2025, 1, 6), due=datetime(2025, 1, 20), completed=45674, returned=""
        ),
        dossier("HS-2", received="2025-01-07", due="21/01/2025", completed="", returned=""),
        dossier("HS-3", received=datetime(2025, 1, 8), due="31/13/2025", completed="", returned=""),
    ]
    path = write_xlsx(tmp_path / "d.xlsx", DOSSIER_HEADER, rows, above=[["BÁO CÁO"], []], first_column=1)

    run = _import(path)

    # The header is on row 3; data rows 4–6; the sheet starts at column B, so the due date is G.
    assert run.status == Status.REJECTED
    assert _located(run) == {(6, "Hạn xử lý", "G")}
    rows[2] = dossier("HS-3", received=datetime(2025, 1, 8), due="", completed="", returned="")
    run = _import(
        write_xlsx(tmp_path / "d2.xlsx", DOSSIER_HEADER, rows, above=[["BÁO CÁO"], []], first_column=1)
    )
    assert run.status == Status.STORED, run.errors
    first = Dossier.objects.get(external_code="HS-1")
    assert (first.received_on, first.due_on, first.completed_on) == (
        date(2025, 1, 6),
        date(2025, 1, 20),
        date(2025, 1, 17),  # Excel serial 45674
    )
    assert Dossier.objects.get(external_code="HS-3").due_on is None


def test_csv_dates_in_every_accepted_form(org, tmp_path):
    rows = [
        dossier("HS-1", received="6/1/2025", due="2025-01-20", completed="45674", returned="20-01-2025"),
        dossier("HS-2", received="06.01.2025 08:30", due="20/01/2025 17:00", completed="", returned=""),
    ]
    run = _import(write_csv(tmp_path / "dates.csv", DOSSIER_HEADER, rows))
    assert run.status == Status.STORED, run.errors
    one = Dossier.objects.get(external_code="HS-1")
    assert (one.received_on, one.due_on, one.completed_on, one.returned_on) == (
        date(2025, 1, 6),
        date(2025, 1, 20),
        date(2025, 1, 17),
        date(2025, 1, 20),
    )
    assert Dossier.objects.get(external_code="HS-2").due_on == date(2025, 1, 20)


def test_semicolon_windows_1252_csv_with_lowercase_ascii_headers(org, tmp_path):
    header = ["ma_ho_so", "linh_vuc", "thu_tuc", "ma_don_vi", "ngay_tiep_nhan"]
    path = write_csv(
        tmp_path / "w.csv",
        header,
        [["HS-9", "dat-dai", "Cafe 24h", "t-sxd", "06/01/2025"]],
        encoding="cp1252",
        delimiter=";",
    )
    run = _import(path)
    assert run.status == Status.STORED, run.errors
    assert Dossier.objects.get(external_code="HS-9").field == org.land


def test_reimporting_the_same_file_writes_nothing(org, tmp_path):
    path = write_csv(tmp_path / "t.csv", TASK_HEADER, [task("NV-1"), task("NV-2", proactive="x")])
    first = _import(path, register="tasks")
    assert (first.status, first.created_count) == (Status.STORED, 2)
    stamps = dict(Task.objects.values_list("external_code", "updated_at"))

    again = _import(path, register="tasks")

    assert (again.status, again.created_count, again.updated_count, again.unchanged_count) == (
        Status.STORED,
        0,
        0,
        2,
    )
    assert dict(Task.objects.values_list("external_code", "updated_at")) == stamps
    assert set(Task.objects.values_list("import_run_id", flat=True)) == {first.pk}


def test_an_updated_file_updates_the_changed_rows_only(org, tmp_path):
    _import(
        write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier("HS-1"), dossier("HS-2"), dossier("HS-3")])
    )
    changed = [
        dossier("HS-1"),
        dossier("HS-2", completed="", returned="", status="Đang xử lý"),
        dossier("HS-4"),
    ]

    run = _import(write_csv(tmp_path / "b.csv", DOSSIER_HEADER, changed))

    assert (run.created_count, run.updated_count, run.unchanged_count) == (1, 1, 1)
    two = Dossier.objects.get(external_code="HS-2")
    assert (two.completed_on, two.status, two.import_run_id) == (None, "Đang xử lý", run.pk)
    assert Dossier.objects.get(external_code="HS-1").import_run_id != run.pk
    assert Dossier.objects.count() == 4  # HS-3 is not in the new file and stays


def test_columns_absent_from_the_file_keep_their_stored_values(org, tmp_path):
    _import(
        write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier("HS-1", status="Đã trả kết quả", apology="x")])
    )
    header = ["Mã hồ sơ", "Lĩnh vực", "Thủ tục", "Đơn vị", "Ngày tiếp nhận", "Ngày hoàn thành"]
    run = _import(
        write_csv(
            tmp_path / "b.csv",
            header,
            [["HS-1", "xay-dung", "Cấp giấy phép xây dựng", "T-SXD", "06/01/2025", "18/01/2025"]],
        )
    )
    assert run.updated_count == 1
    one = Dossier.objects.get(external_code="HS-1")
    assert (one.completed_on, one.status, one.apology_slip, one.due_on) == (
        date(2025, 1, 18),
        "Đã trả kết quả",
        True,
        date(2025, 1, 20),
    )


def test_same_code_from_another_source_is_another_record(org, tmp_path):
    path = write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier("HS-1")])
    _import(path, source="mot-cua")
    run = _import(path, source="dvc")
    assert run.created_count == 1
    assert Dossier.objects.filter(external_code="HS-1").count() == 2


def test_a_tcvn3_file_is_imported_as_unicode(org, tmp_path):
    header = ["M· hå s¬", "LÜnh vùc", "Thñ tôc", "§¬n vÞ", "Ngµy tiÕp nhËn", "H¹n xö lý", "Tr¹ng th¸i"]
    rows = [
        [
            "HS-1",
            "X©y dùng",
            "CÊp giÊy phÐp x©y dùng",
            "Së X©y dùng",
            "06/01/2025",
            "20/01/2025",
            "§· tr¶ kÕt qu¶",
        ],
        ["HS-2", "§Êt ®ai", "§¨ng ký biÕn ®éng ®Êt ®ai", "Së X©y dùng", "07/01/2025", "", "§ang xö lý"],
    ]
    run = _import(write_csv(tmp_path / "tcvn3.csv", header, rows, above=[["UBND TØNH THö"]]))

    assert run.status == Status.STORED, run.errors
    one, two = Dossier.objects.order_by("external_code")
    assert (one.procedure, one.status, one.field, one.unit) == (
        "Cấp giấy phép xây dựng",
        "Đã trả kết quả",
        org.construction,
        org.unit,
    )
    assert (two.procedure, two.status, two.field) == ("Đăng ký biến động đất đai", "Đang xử lý", org.land)
    assert two.procedure_folded == "dang ky bien dong dat dai"
    assert any("TCVN3" in note for note in run.notes)


def test_a_vni_file_is_imported_as_unicode(org, tmp_path):
    header = ["Maõ hoà sô", "Lónh vöïc", "Thuû tuïc", "Ñôn vò", "Ngaøy tieáp nhaän", "Haïn xöû lyù"]
    rows = [
        ["HS-1", "Xaây döïng", "Caáp giaáy pheùp xaây döïng", "Sôû Xaây döïng", "06/01/2025", "20/01/2025"],
        ["HS-2", "Ñaát ñai", "Ñaêng kyù bieán ñoäng ñaát ñai", "Sôû Xaây döïng", "07/01/2025", ""],
    ]
    path = write_xlsx(tmp_path / "vni.xlsx", header, rows)

    run = _import(path)

    assert run.status == Status.STORED, run.errors
    procedures = set(Dossier.objects.values_list("procedure", flat=True))
    assert procedures == {"Cấp giấy phép xây dựng", "Đăng ký biến động đất đai"}
    assert set(Dossier.objects.values_list("field", flat=True)) == {org.construction.pk, org.land.pk}
    assert any("VNI" in note for note in run.notes)


# --- responsible officials --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "field", "who", "how"),
    [
        ("30/06/2025", "dat-dai", "an", "head"),  # no deputy for land: the head, An until 30/06
        ("01/07/2025", "dat-dai", "hung", "head"),  # Hùng from 01/07
        ("31/12/2025", "xay-dung", "cuong", "field_deputy"),  # Cường's portfolio to 31/12/2025
        ("01/01/2026", "xay-dung", "hung", "head"),  # then the head again
        ("31/12/2023", "xay-dung", None, "unresolved"),  # before any appointment
    ],
)
def test_handler_is_resolved_from_appointments_on_the_receipt_date(org, tmp_path, received, field, who, how):
    row = dossier("HS-1", received=received, field=field, due="", completed="", returned="")
    run = _import(write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [row]))
    assert run.status == Status.STORED, run.errors
    record = Dossier.objects.get()
    assert record.handler == (getattr(org, who) if who else None)
    assert record.responsible_resolution == how


def test_task_responsible_is_resolved_on_the_document_date(org, tmp_path):
    rows = [
        task(
            "NV-1",
            doc_date="30/06/2025",
            received="02/07/2025",
            field="dat-dai",
            due="",
            advised="",
            completed="",
            handled="",
        ),
        task(
            "NV-2",
            doc_date="",
            received="02/07/2025",
            field="dat-dai",
            due="",
            advised="",
            completed="",
            handled="",
        ),
    ]
    run = _import(write_csv(tmp_path / "t.csv", TASK_HEADER, rows), register="tasks")
    assert run.status == Status.STORED, run.errors
    assert Task.objects.get(external_code="NV-1").responsible == org.an
    assert Task.objects.get(external_code="NV-2").responsible == org.hung


def test_named_officials_match_by_code_or_name_and_an_unknown_name_is_an_error(org, tmp_path):
    rows = [
        dossier("HS-1", handler="cb-004"),
        dossier("HS-2", handler="dang van cuong"),
        dossier("HS-3", handler="Trần Văn Nam"),  # two namesakes: the one appointed at T-SXD
        dossier("HS-4", handler="Nguyễn Thị Không Có"),
    ]
    run = _import(write_csv(tmp_path / "a.csv", DOSSIER_HEADER, rows))
    assert run.status == Status.REJECTED
    assert _located(run) == {(5, "Người xử lý", "J")}
    run = _import(write_csv(tmp_path / "b.csv", DOSSIER_HEADER, rows[:3]))
    handlers = dict(Dossier.objects.values_list("external_code", "handler"))
    assert handlers == {"HS-1": org.dung.pk, "HS-2": org.cuong.pk, "HS-3": org.nam_here.pk}
    assert set(Dossier.objects.values_list("responsible_resolution", flat=True)) == {"file"}


# --- scope ----------------------------------------------------------------------------------


def test_a_unit_user_imports_rows_of_their_unit_and_its_predecessors_only(org, tmp_path):
    rows = [dossier("HS-1"), dossier("HS-2", unit="T-SGTVT"), dossier("HS-3", unit="T-STP")]
    run = _import(write_csv(tmp_path / "a.csv", DOSSIER_HEADER, rows), actor=org.personas.focal)
    assert run.status == Status.REJECTED
    assert _located(run) == {(4, "Đơn vị", "D")}
    assert run.unit == org.unit
    run = _import(write_csv(tmp_path / "b.csv", DOSSIER_HEADER, rows[:2]), actor=org.personas.focal)
    assert run.status == Status.STORED
    assert Dossier.objects.count() == 2


def test_a_unit_user_cannot_overwrite_another_units_record(org, tmp_path):
    _import(write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier("HS-1", unit="T-STP")]))
    run = _import(write_csv(tmp_path / "b.csv", DOSSIER_HEADER, [dossier("HS-1")]), actor=org.personas.focal)
    assert run.status == Status.REJECTED
    assert _located(run) == {(2, "Mã hồ sơ", "A")}
    assert Dossier.objects.get().unit == org.other


@pytest.mark.parametrize("who", ["leadership", "inspector", "unit_head"])
def test_roles_without_imports_are_refused(org, tmp_path, who):
    with pytest.raises(PermissionDenied):
        _import(write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier()]), actor=getattr(org.personas, who))
    assert not ImportRun.objects.exists()


def test_a_unit_user_cannot_name_another_unit(org, tmp_path):
    with pytest.raises(PermissionDenied):
        _import(
            write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier()]),
            actor=org.personas.outsider,
            unit=org.unit,
        )


# --- recording -------------------------------------------------------------------------------


def test_each_import_is_recorded_and_audited_once_with_its_counts(org, tmp_path):
    path = write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier("HS-1"), dossier("HS-2")])
    before = AuditEvent.objects.count()
    run = _import(path, actor=org.personas.admin, file_name="ho-so-quy-1.csv")
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in events] == ["import_run.stored"]
    assert events[0].after["created"] == 2
    assert events[0].object_id == str(run.pk)
    assert (run.file_name, run.created_by, len(run.sha256), run.file_size) == (
        "ho-so-quy-1.csv",
        org.personas.admin,
        64,
        path.stat().st_size,
    )
    rejected = _import(write_csv(tmp_path / "b.csv", DOSSIER_HEADER, [dossier("HS-3", unit="?")]))
    assert AuditEvent.objects.filter(action="import_run.rejected", object_id=str(rejected.pk)).count() == 1


def test_dry_run_counts_without_storing(org, tmp_path):
    path = write_csv(tmp_path / "a.csv", DOSSIER_HEADER, [dossier("HS-1"), dossier("HS-2")])
    _import(write_csv(tmp_path / "b.csv", DOSSIER_HEADER, [dossier("HS-1")]))
    run = _import(path, dry_run=True)
    assert (run.status, run.created_count, run.unchanged_count) == (Status.DRY_RUN, 1, 1)
    assert Dossier.objects.count() == 1


def test_the_bulk_load_path_stores_the_rows_and_restores_every_index(org, tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "BULK_ROWS", 1)
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        before = connection.introspection.get_constraints(cursor, table)
    rows = [dossier(f"HS-{i}", handler="CB-004" if i % 2 else "") for i in range(30)]

    run = _import(write_csv(tmp_path / "a.csv", DOSSIER_HEADER, rows))

    assert (run.status, run.created_count) == (Status.STORED, 30)
    with connection.cursor() as cursor:
        after = connection.introspection.get_constraints(cursor, table)
    assert set(after) == set(before)
    assert {k: v["columns"] for k, v in after.items()} == {k: v["columns"] for k, v in before.items()}
    assert Dossier.objects.filter(handler=org.dung).count() == 15
    again = _import(write_csv(tmp_path / "b.csv", DOSSIER_HEADER, rows))
    assert again.unchanged_count == 30
    rows[3] = dossier("HS-3", status="Đang xử lý")  # one update among the bulk-loaded rows
    third = _import(write_csv(tmp_path / "c.csv", DOSSIER_HEADER, rows))
    assert (third.updated_count, third.unchanged_count) == (1, 29)
    assert Dossier.objects.get(external_code="HS-3").status == "Đang xử lý"
    with connection.cursor() as cursor:
        assert set(connection.introspection.get_constraints(cursor, table)) == set(before)


def test_excel_unicode_text_export_utf16_tab_separated(org, tmp_path):
    path = write_csv(
        tmp_path / "u16.txt",
        DOSSIER_HEADER,
        [dossier("HS-1"), dossier("HS-2")],
        encoding="utf-16",
        delimiter="\t",
    )
    run = _import(path)
    assert run.status == Status.STORED, run.errors
    assert Dossier.objects.get(external_code="HS-2").procedure == "Cấp giấy phép xây dựng"


def test_a_file_pasted_twice_reports_every_repeat(org, tmp_path, monkeypatch):
    rows = [dossier(f"HS-{i}") for i in range(40)]
    path = write_csv(tmp_path / "twice.csv", DOSSIER_HEADER, rows + rows)
    for limit in (10**6, 0):  # few repeats are looked up one by one; many, in one grouping pass
        monkeypatch.setattr(staging, "DUPLICATE_LOOKUP_LIMIT", limit)
        run = _import(path)
        assert run.status == Status.REJECTED
        assert [(e["row"], e["message"]) for e in run.errors] == [
            (42 + i, f"Mã trùng với dòng {2 + i} trong cùng tệp.") for i in range(40)
        ]


def test_a_large_load_into_a_larger_register_re_adds_its_foreign_keys(org, tmp_path, monkeypatch):
    """PostgreSQL: a merge of at least 1/FOREIGN_KEY_RATIO of the register (not a bulk load) drops the
    foreign keys and re-adds them after, instead of a deferred check per row and key at the commit;
    the indexes stay. SQLite has no such step; the rows are stored the same."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(staging, "BULK_ROWS", 1)
    table = Dossier._meta.db_table
    first = [dossier(f"HS-{i}") for i in range(30)]
    _import(write_csv(tmp_path / "a.csv", DOSSIER_HEADER, first))
    with connection.cursor() as cursor:
        before = connection.introspection.get_constraints(cursor, table)
    rows = [dossier(f"HS-N{i}", handler="CB-004") for i in range(5)] + [dossier("HS-3", status="Đang xử lý")]
    with CaptureQueriesContext(connection) as queries:
        run = _import(write_csv(tmp_path / "b.csv", DOSSIER_HEADER, rows))
    assert (run.status, run.created_count, run.updated_count) == (Status.STORED, 5, 1)
    assert Dossier.objects.filter(handler=org.dung).count() == 5
    assert Dossier.objects.get(external_code="HS-3").status == "Đang xử lý"
    dropped = [q["sql"] for q in queries.captured_queries if "DROP CONSTRAINT" in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(dropped) == 4  # unit, field, handler, import run
        assert not any("DROP INDEX" in q["sql"] for q in queries.captured_queries)
    else:
        assert dropped == []
    with connection.cursor() as cursor:
        after = connection.introspection.get_constraints(cursor, table)
    assert {k: (v["columns"], v["foreign_key"]) for k, v in after.items()} == {
        k: (v["columns"], v["foreign_key"]) for k, v in before.items()
    }


@pytest.mark.django_db(transaction=True)
def test_a_large_import_vacuums_the_register_after_its_commit(org, tmp_path, monkeypatch):
    """PostgreSQL: after the commit of a large merge the register and its rollups are vacuumed (the
    new pages marked all-visible for index-only scans); a small one is left to autovacuum. SQLite:
    never."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(staging, "BULK_ROWS", 3)

    def vacuums(rows, name):
        with CaptureQueriesContext(connection) as queries:
            run = _import(write_csv(tmp_path / name, DOSSIER_HEADER, rows))
        assert run.status == Status.STORED
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("VACUUM")]

    try:
        large = vacuums([dossier(f"HS-{i}") for i in range(4)], "a.csv")
        small = vacuums([dossier("HS-9")], "b.csv")
    finally:  # committed statistics would outlive this transactional test (the flush keeps them)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
                if cursor.fetchone():
                    cursor.execute("DELETE FROM sqlite_stat1")
    if connection.vendor == "postgresql":  # the rollups it rewrote too, with their statistics
        assert large == [
            f'VACUUM "{Dossier._meta.db_table}"',
            'VACUUM (ANALYZE) "registers_registerrollup", "registers_scorecardrollup"',
        ]
    else:
        assert large == []
    assert small == []
    assert Dossier.objects.count() == 5
