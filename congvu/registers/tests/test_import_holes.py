"""Smaller import holes: a total row that carries numbers (#12 item 8), and a refused code that must not
say whose register holds it (#14 item 6)."""

import pytest

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

pytestmark = pytest.mark.django_db

Status = ImportRun.Status
REGISTERS = {
    "tasks": (TASK_HEADER, task, Task, "NV"),
    "dossiers": (DOSSIER_HEADER, dossier, Dossier, "HS"),
}
WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("register", ["tasks", "dossiers"])
@pytest.mark.parametrize("words", ["Tổng cộng: 25 hồ sơ", "Cộng 125", "Cộng: 125 hồ sơ"])
def test_a_total_row_with_numbers_in_the_code_column_is_skipped(org, tmp_path, register, fmt, words):
    header, row, model, prefix = REGISTERS[register]
    rows = [row(f"{prefix}-1"), row(f"{prefix}-2")]
    # The total's other cells carry numbers as well, as report templates fill them.
    below = [[words, "", "", "2", "", "", "", "", "2"], [], ["", "", "", "", "Người lập biểu"]]
    path = WRITERS[fmt](tmp_path / f"r.{fmt}", header, rows, below=below)

    run = import_file(actor="test", register=register, path=path)

    assert run.status == Status.STORED, run.errors
    assert (run.rows_total, run.created_count) == (2, 2)
    assert sorted(model.objects.values_list("external_code", flat=True)) == [f"{prefix}-1", f"{prefix}-2"]
    assert "Bỏ qua dòng tổng cộng: 4." in run.notes
    assert any("1 dòng chân trang" in note for note in run.notes)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_total_words_in_the_first_column_with_a_count_in_the_code_column(org, tmp_path, fmt):
    header = ["STT", *DOSSIER_HEADER]
    rows = [[1, *dossier("HS-1")], [2, *dossier("HS-2")]]
    below = [["Tổng cộng:", "2", "", "", "", "", "", "", "", "2"]]
    path = WRITERS[fmt](tmp_path / f"r.{fmt}", header, rows, below=below)

    run = import_file(actor="test", register="dossiers", path=path)

    assert run.status == Status.STORED, run.errors
    assert run.created_count == 2
    assert "Bỏ qua dòng tổng cộng: 4." in run.notes


def test_a_code_that_only_looks_like_a_total_is_still_a_record(org, tmp_path):
    rows = [task("Công văn 12/UBND"), task("Cộng-125"), task("TONG-7")]
    run = import_file(actor="test", register="tasks", path=write_csv(tmp_path / "r.csv", TASK_HEADER, rows))
    assert run.status == Status.STORED, run.errors
    assert set(Task.objects.values_list("external_code", flat=True)) == {
        "Cộng-125",
        "Công văn 12/UBND",
        "TONG-7",
    }
    assert not any("tổng cộng" in note for note in run.notes)


def test_a_total_before_the_last_record_does_not_hide_the_records_after_it(org, tmp_path):
    """Skipping is by the row's own words only: a record after a total row is still read."""
    rows = [dossier("HS-1"), ["Cộng 1", "", "", "", "", "", "", "", "1"], dossier("HS-3")]
    run = import_file(
        actor="test", register="dossiers", path=write_csv(tmp_path / "r.csv", DOSSIER_HEADER, rows)
    )
    assert run.status == Status.STORED, run.errors
    assert sorted(Dossier.objects.values_list("external_code", flat=True)) == ["HS-1", "HS-3"]


def test_a_dry_run_does_not_tell_a_unit_that_a_code_is_in_another_units_register(org, tmp_path):
    """The other unit's dossier HS-9 exists; the focal point's dry run learns only that HS-9 cannot be
    used — neither "another unit" nor which one."""
    personas = org.personas
    theirs = write_csv(tmp_path / "theirs.csv", DOSSIER_HEADER, [dossier("HS-9", unit=org.other.code)])
    assert import_file(actor=personas.admin, register="dossiers", path=theirs).status == Status.STORED
    mine = write_csv(tmp_path / "mine.csv", DOSSIER_HEADER, [dossier("HS-8"), dossier("HS-9")])

    run = import_file(actor=personas.focal, register="dossiers", path=mine, dry_run=True)

    assert run.status == Status.REJECTED
    ((row, code, message),) = [(e["row"], e["value"], e["message"]) for e in run.errors]
    assert (row, code) == (3, "HS-9")
    assert message == "Không dùng được mã này (cùng nguồn dữ liệu): hãy dùng mã khác."
    assert "đơn vị" not in message.lower() and org.other.name not in message
    assert Dossier.objects.get().unit == org.other  # nothing of the dry run stored
