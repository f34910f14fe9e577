"""`congvu calendar …`: the answer alone on stdout, errors on stderr with a non-zero exit status.

The commands run in-process through `execute_from_command_line`, as the `congvu` script does, so the
exit status is the real one and they see the test database."""

import pytest
from django.core.management import execute_from_command_line

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    """(exit status, stdout, stderr) of `congvu calendar ARGS`."""
    try:
        execute_from_command_line(["congvu", "calendar", *args])
        status = 0
    except SystemExit as exc:
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize(
    ("args", "stdout"),
    [
        (["count", "2024-04-22", "2024-05-10"], "13\n"),
        (["count", "2025-01-20", "2025-02-07"], "10\n"),
        (["count", "2024-05-10", "2024-04-22"], "0\n"),
        (["add", "2024-02-07", "1"], "2024-02-15\n"),
        (["add", "2024-02-15", "-1"], "2024-02-07\n"),
        (["add", "2024-02-10", "0"], "2024-02-10\n"),
    ],
)
def test_count_and_add_print_only_the_answer(capsys, args, stdout):
    assert run(capsys, *args) == (0, stdout, "")


def test_show_lists_days_off_and_worked_days_with_documents(capsys):
    status, out, err = run(capsys, "show", "2024")
    assert status == 0 and err == ""
    assert out.splitlines()[0] == "Năm 2024: 251 ngày làm việc."
    swap = next(line for line in out.splitlines() if line.startswith("04/05/2024"))
    assert "Thứ Bảy" in swap and "Làm bù" in swap and "2450/VPCP-KGVX ngày 12/04/2024" in swap
    assert any(line.startswith("18/04/2024") and "mặc định" in line for line in out.splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["count", "2024-13-01", "2024-12-31"], "FROM: '2024-13-01' không phải ngày dạng YYYY-MM-DD"),
        (["count", "31/01/2024", "2024-12-31"], "FROM: '31/01/2024' không phải ngày"),
        (["add", "2024-02-07", "một"], "N: 'một' không phải số nguyên"),
        (["count", "2024-01-01", "2040-01-01"], "Lịch ngày làm việc chỉ bao gồm 01/01/2015–31/12/2035"),
        (["add", "2035-12-30", "10"], "Lịch ngày làm việc chỉ bao gồm 01/01/2015–31/12/2035"),
        (["show", "2050"], "Lịch ngày làm việc chỉ bao gồm 01/01/2015–31/12/2035"),
        (["show", "năm"], "YEAR: 'năm' không phải số nguyên"),
        (["rebuild", "--from", "2030-01-01", "--to", "2020-01-01"], "Khoảng dựng lịch không hợp lệ"),
    ],
)
def test_bad_input_exits_non_zero_with_a_message(capsys, args, message):
    status, out, err = run(capsys, *args)
    assert status == 1
    assert out == ""
    assert message in err


def test_missing_argument_is_a_usage_error(capsys):
    status, out, err = run(capsys, "count", "2024-01-01")
    assert status == 2 and out == "" and "TO" in err


def test_rebuild_reports_the_range(capsys):
    status, out, _ = run(capsys, "rebuild")
    assert status == 0
    assert out.startswith("Đã dựng bảng ngày làm việc 01/01/2015–31/12/2035: 7670 ngày, ")
