"""`congvu evaluate year`: every official's year from the stored sheets, without writing."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from congvu.evaluation.models import YearResult
from congvu.evaluation.services import discipline_record, year_result_decide

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command("evaluate", "year", *args, stdout=out)
    return out.getvalue()


def test_json_lists_every_official_with_mean_quota_and_decision(personas, seven):
    discipline_record(
        actor=personas.lead,
        official=seven[6],
        form="khien_trach",
        effective_date=date(2026, 3, 1),
        decision_number="3/QĐ",
        decision_date=date(2026, 3, 1),
        public_duty_violation=True,
    )
    year_result_decide(
        actor=personas.lead, official=seven[2], year=2026, band="tot", decision_document="QĐ 5"
    )
    rows = {row["official"]: row for row in json.loads(_run("--year", "2026", "--format", "json"))}
    assert len(rows) == 7
    assert rows["CV-0"]["total"] == 95 and rows["CV-0"]["periods"] == 2 and rows["CV-0"]["band"] == "xuat_sac"
    assert rows["CV-1"]["over_quota"] is True and rows["CV-1"]["band"] == "tot"
    assert (
        rows["CV-6"]["override"] == "reprimand_or_higher_in_year"
        and rows["CV-6"]["band"] == "khong_hoan_thanh"
    )
    assert rows["CV-2"]["decided_band"] == "tot"
    assert YearResult.objects.filter(computed_band__gt="").count() == 0  # nothing written


def test_table_and_unit_filter(personas, seven):
    text = _run("--year", "2026", "--unit", personas.unit.code)
    assert "CV-0" in text and "95" in text and "vượt tỷ lệ xuất sắc" in text
    assert "Chưa có phiếu" in _run("--year", "2026", "--unit", personas.other_unit.code)


def test_unknown_unit_is_a_clear_error(personas, seven):
    with pytest.raises(CommandError, match="--unit"):
        _run("--year", "2026", "--unit", "KHONG-CO")


def test_provisional_counts_sheets_not_yet_approved(personas, seven):
    from congvu.evaluation.tests.conftest import approved_sheet

    approved_sheet(seven[6], personas.unit, 2, "100", status="reviewed")
    approved_only = {row["official"]: row for row in json.loads(_run("--year", "2026", "--format", "json"))}
    preview = {
        row["official"]: row
        for row in json.loads(_run("--year", "2026", "--format", "json", "--provisional"))
    }
    assert approved_only["CV-6"]["total"] == 60 and approved_only["CV-6"]["periods"] == 1
    assert preview["CV-6"]["total"] == 80 and preview["CV-6"]["periods"] == 2
