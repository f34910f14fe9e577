"""`congvu metrics`: JSON and table output, unit matching, errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("metrics", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_is_a_list_of_rows_with_iso_dates_and_fractions(world):
    out, _ = run("--unit", "T-SXD", "--as-of", "2025-05-05", "--format", "json")
    (row,) = json.loads(out)
    assert row["as_of"] == "2025-05-05" and row["unit"] == "T-SXD" and row["register"] == "tasks"
    assert (row["total"], row["done_on_time"], row["done_late"], row["open_overdue"]) == (10, 2, 4, 2)
    assert row["on_time_rate"] == 0.25
    assert row["late_days_median"] == 2 and row["late_days_max"] == 15


def test_unit_name_matches_without_diacritics_and_by_month(world):
    out, _ = run("--unit", "so xay dung", "--as-of", "2025-05-05", "--by", "month", "--format", "json")
    rows = json.loads(out)
    assert [r["key"] for r in rows] == ["2024-04", "2025-01", "2025-02", "2025-03", "2025-04"]


def test_without_predecessors_and_period(world):
    out, _ = run(
        "--unit", "T-SXD", "--as-of", "2025-05-05", "--no-predecessors",
        "--from", "2025-04-01", "--to", "2025-04-30", "--format", "json",
    )  # fmt: skip
    (row,) = json.loads(out)
    # Received in April 2025 in the unit itself: C E F G J K (B belongs to the legacy unit and 2024).
    assert row["total"] == 6 and row["date_from"] == "2025-04-01"


def test_dossiers_register(world):
    out, _ = run("--unit", "T-SXD", "--as-of", "2025-05-05", "--register", "dossiers", "--format", "json")
    (row,) = json.loads(out)
    assert row["total"] == 3 and row["late_with_apology"] == 1 and row["completion_to_return_mean"] == 1.0


def test_table_is_vietnamese(world):
    out, _ = run("--unit", "T-SXD", "--as-of", "2025-05-05")
    assert "Sở Xây dựng — tính đến ngày 05/05/2025" in out
    assert "Hoàn thành quá hạn" in out and "25,0%" in out
    assert "Tiếp nhận → xử lý" in out


def test_all_units_are_grouped_by_unit(world):
    out, _ = run("--unit", "all", "--as-of", "2025-05-05", "--format", "json")
    codes = {r["code"] for r in json.loads(out)}
    assert codes == {"T-SXD", "T-SXD-CU", "T-STP"}


def test_unknown_unit_is_an_error(world):
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị “Sở Không Có”"):
        run("--unit", "Sở Không Có", "--as-of", "2025-05-05")


def test_ambiguous_unit_lists_the_candidates(world):
    with pytest.raises(CommandError) as excinfo:
        run("--unit", "so", "--as-of", "2025-05-05")
    assert "T-SXD" in str(excinfo.value) and "T-STP" in str(excinfo.value)


def test_bad_date_and_empty_period_are_errors(world):
    with pytest.raises(CommandError, match="ISO"):
        run("--unit", "T-SXD", "--as-of", "05/05/2025")
    with pytest.raises(CommandError, match="--from"):
        run("--unit", "T-SXD", "--from", "2025-05-01", "--to", "2025-04-01")


def test_report_date_outside_the_calendar_warns(world):
    _, err = run("--unit", "T-SXD", "--as-of", "2030-01-01", "--format", "json")
    assert "nằm ngoài bảng ngày làm việc" in err
