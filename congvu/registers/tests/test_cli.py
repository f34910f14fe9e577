"""`congvu import tasks|dossiers FILE`: exit 0 with counts when stored, 1 with located errors."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congvu.registers.models import Dossier, ImportRun, Task
from congvu.registers.tests.conftest import DOSSIER_HEADER, TASK_HEADER, dossier, task, write_csv

pytestmark = pytest.mark.django_db


def test_a_valid_file_is_stored_and_counted(org, tmp_path, capsys):
    path = write_csv(tmp_path / "t.csv", TASK_HEADER, [task("NV-1"), task("NV-2")])
    call_command("import", "tasks", str(path), "--source", "qlvb")
    out = capsys.readouterr().out
    assert "Đã lưu 2 dòng — thêm mới 2, cập nhật 0, không đổi 0" in out
    assert set(Task.objects.values_list("source", flat=True)) == {"qlvb"}
    call_command("import", "tasks", str(path), "--source", "qlvb")
    assert "thêm mới 0, cập nhật 0, không đổi 2" in capsys.readouterr().out


def test_a_bad_file_exits_non_zero_with_one_located_error_per_line(org, tmp_path, capsys):
    rows = [dossier("HS-1", due="01/01/2025"), dossier("HS-2", unit="T-KHONG")]
    path = write_csv(tmp_path / "d.csv", DOSSIER_HEADER, rows)
    with pytest.raises(CommandError) as failure:
        call_command("import", "dossiers", str(path))
    assert failure.value.returncode == 1
    assert "2 lỗi; không lưu dòng nào" in str(failure.value)
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        'Dòng 2, cột "Hạn xử lý" (F): Hạn xử lý (01/01/2025) trước ngày tiếp nhận (06/01/2025). '
        '(giá trị: "01/01/2025")',
        'Dòng 3, cột "Đơn vị" (D): Không có đơn vị nào có mã hoặc tên “T-KHONG”. (giá trị: "T-KHONG")',
    ]
    assert not Dossier.objects.exists()


def test_dry_run_and_unit_scope_from_the_command_line(org, tmp_path, capsys):
    path = write_csv(tmp_path / "d.csv", DOSSIER_HEADER, [dossier("HS-1"), dossier("HS-2", unit="T-STP")])
    with pytest.raises(CommandError):
        call_command("import", "dossiers", str(path), "--unit", "T-SXD", "--dry-run")
    call_command("import", "dossiers", str(path), "--dry-run")
    assert "Chạy thử: 2 dòng hợp lệ — sẽ thêm mới 2" in capsys.readouterr().out
    assert not Dossier.objects.exists()
    assert ImportRun.objects.filter(status="dry_run").count() == 1


def test_a_missing_file_is_a_clear_error(org):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import", "dossiers", "/nonexistent/ho-so.csv")
