"""`congvu sample size|evaluate|iso` (no database needed)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def _json(*args):
    out = StringIO()
    call_command("sample", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("c", "t", "e", "n"),
    [("0.95", "0.05", "0", 59), ("95", "5", "1", 93), ("90", "5", "0", 45), ("95%", "10%", "0%", 29)],
)
def test_size_gives_the_aicpa_sample_size(c, t, e, n):
    data = _json("size", "--confidence", c, "--tolerable", t, "--expected", e)
    assert data["sample_size"] == n
    assert data["method"] == "binomial"


def test_size_with_a_population_uses_the_hypergeometric_distribution():
    data = _json("size", "--confidence", "95", "--tolerable", "5", "--population", "100")
    assert data == {**data, "sample_size": 45, "method": "hypergeometric", "population": 100}


def test_size_refuses_an_expected_rate_at_the_tolerable_rate():
    with pytest.raises(CommandError, match="dự kiến"):
        call_command("sample", "size", "--confidence", "95", "--tolerable", "5", "--expected", "5")


def test_evaluate_gives_the_upper_limit_as_a_fraction():
    data = _json("evaluate", "--n", "59", "--deviations", "0", "--confidence", "0.95", "--tolerable", "5")
    assert 0.049 < data["upper_deviation_limit"] < 0.05
    assert data["acceptable"] is True
    data = _json("evaluate", "--n", "20", "--deviations", "0", "--confidence", "95")
    assert data["upper_deviation_limit_percent_aicpa"] == 14.0


def test_evaluate_refuses_more_deviations_than_records():
    with pytest.raises(CommandError):
        call_command("sample", "evaluate", "--n", "5", "--deviations", "6", "--confidence", "95")


def test_iso_gives_code_letter_and_sample_size():
    assert _json("iso", "--lot", "1201") == {
        "lot_size": 1201,
        "level": "II",
        "code_letter": "K",
        "sample_size": 125,
        "table_sample_size": 125,
        "full_inspection": False,
    }


def test_table_output_is_readable_text():
    out = StringIO()
    call_command("sample", "size", "--confidence", "95", "--tolerable", "5", "--expected", "1", stdout=out)
    assert "Cỡ mẫu: 93 (1 sai lệch dự kiến)" in out.getvalue()
