"""Overrides of Art. 20(4)(b) and (d) recorded as conclusions with their document, the head capped
at his unit's rating (head_not_above_unit) and the quota groups of similar posts; totals by hand."""

from datetime import date
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.evaluation.models import OverrideConclusion, PeriodSheet, QuotaGroupMember, YearResult
from congvu.evaluation.services import (
    conclusion_record,
    quota_group_set,
    sheets_generate,
    unit_rating_record,
    year_compute,
)
from congvu.evaluation.sheets import period_bounds, sheet_rules
from congvu.evaluation.tests.conftest import make_task

pytestmark = pytest.mark.django_db


def _results():
    return {r.official.code: r for r in YearResult.objects.select_related("official")}


def _degradation(actor, official, day=date(2026, 6, 5), number="12/KL-UBKT"):
    return conclusion_record(
        actor=actor,
        official=official,
        kind="degradation_concluded",
        document_number=number,
        document_date=day,
        authority="Ủy ban kiểm tra Tỉnh ủy",
    )


def test_concluded_degradation_forces_not_completed_and_names_the_document(personas, seven):
    _degradation(personas.unit_head, seven[0])
    year_compute(actor=personas.unit_head, unit=personas.unit, year=2026)
    results = _results()
    top = results["CV-0"]
    assert (top.total_fraction, top.band_by_score, top.band) == (95, "xuat_sac", "khong_hoan_thanh")
    assert top.override == "degradation_concluded"
    assert top.explanation["override_basis"] == [
        "Bị xếp loại không hoàn thành nhiệm vụ do bị cấp có thẩm quyền kết luận có biểu hiện suy thoái, "
        "văn bản số 12/KL-UBKT ngày 05/06/2026 (Ủy ban kiểm tra Tỉnh ủy)"
    ]
    # Out of the quota: 92, 80, 75, 72, 71 are five at 70 or more; E ≤ 20 % × (5 − E) → E = 0.
    assert results["CV-1"].over_quota and results["CV-1"].band == "tot"


def test_a_conclusion_of_another_year_does_not_count(personas, seven):
    _degradation(personas.unit_head, seven[0], day=date(2025, 12, 30))
    year_compute(actor=personas.unit_head, unit=personas.unit, year=2026)
    assert _results()["CV-0"].band == "xuat_sac"


def _leader_sheet(official, unit, role, total, rules=None, position="Phó Giám đốc"):
    start, end = period_bounds(2026, "quarter", 1)
    return PeriodSheet.objects.create(
        official=official,
        unit=unit,
        year=2026,
        period_kind="quarter",
        period_number=1,
        start=start,
        end=end,
        role=role,
        position=position,
        rule_set="nd335_2025",
        rules=rules or sheet_rules("nd335_2025", None).to_mapping(),
        status="approved",
        as_of=end,
        total=str(Fraction(total)),
    )


def test_unit_corruption_forces_a_leader_and_is_refused_for_staff(personas, people):
    _leader_sheet(people["deputy"], personas.unit, "deputy", "88")
    with pytest.raises(ValidationError) as refused:
        conclusion_record(
            actor=personas.unit_head,
            official=people["staff"],
            kind="unit_corruption_handled",
            document_number="3/KL-TTr",
            document_date=date(2026, 3, 2),
            authority="Thanh tra tỉnh",
            handled_unit="Phòng Quản lý xây dựng",
        )
    assert "lãnh đạo, quản lý" in refused.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as unnamed:
        conclusion_record(
            actor=personas.unit_head,
            official=people["deputy"],
            kind="unit_corruption_handled",
            document_number="3/KL-TTr",
            document_date=date(2026, 3, 2),
            authority="Thanh tra tỉnh",
        )
    assert "đơn vị bị xử lý" in str(unnamed.value)
    assert not OverrideConclusion.objects.exists()
    conclusion_record(
        actor=personas.unit_head,
        official=people["deputy"],
        kind="unit_corruption_handled",
        document_number="3/KL-TTr",
        document_date=date(2026, 3, 2),
        authority="Thanh tra tỉnh",
        handled_unit="Phòng Quản lý xây dựng",
    )
    year_compute(actor=personas.lead, unit=personas.unit, year=2026)
    deputy = YearResult.objects.get(official=people["deputy"])
    assert (deputy.band_by_score, deputy.band, deputy.override) == (
        "tot",
        "khong_hoan_thanh",
        "unit_corruption_handled",
    )
    assert "Phòng Quản lý xây dựng" in deputy.explanation["override_basis"][0]
    assert "3/KL-TTr ngày 02/03/2026" in deputy.explanation["override_basis"][0]


def test_outsider_head_cannot_record_a_conclusion(personas, people):
    with pytest.raises(PermissionDenied):
        _degradation(personas.outsider_head, people["staff"])
    with pytest.raises(PermissionDenied):
        _degradation(personas.focal, people["staff"])
    assert not OverrideConclusion.objects.exists()


def test_a_conclusion_in_the_period_forces_the_open_sheet(personas, people, nd335_2026):
    make_task(
        "NV-X",
        personas.unit,
        people["staff"],
        received=date(2026, 1, 5),
        due=date(2026, 2, 1),
        completed=date(2026, 1, 30),
        quality="passed",
    )
    sheets_generate(
        actor=personas.focal, unit=personas.unit, year=2026, period_number=1, as_of=date(2026, 4, 10)
    )
    sheet = PeriodSheet.objects.get(official=people["staff"])
    assert sheet.band != "khong_hoan_thanh" and not sheet.score["override"]
    _degradation(personas.unit_head, people["staff"], day=date(2026, 2, 10))
    sheet.refresh_from_db()
    assert sheet.band == "khong_hoan_thanh" and sheet.score["override"] == "degradation_concluded"
    # A later period is not touched by a conclusion dated in Q1.
    sheets_generate(
        actor=personas.focal, unit=personas.unit, year=2026, period_number=2, as_of=date(2026, 7, 10)
    )
    q2 = PeriodSheet.objects.get(official=people["staff"], period_number=2)
    assert not (q2.score.get("override"))


def _capped_rules():
    return sheet_rules("nd335_2025", {"head_not_above_unit": True}).to_mapping()


def test_head_is_not_rated_above_the_units_rating_when_the_rule_is_on(personas, people, seven):
    _leader_sheet(people["head"], personas.unit, "head", "96", rules=_capped_rules(), position="Giám đốc")
    # Alone in a "Giám đốc" group he could never be excellent (T < 5): the agency groups him with staff.
    quota_group_set(
        actor=personas.lead, official=people["head"], unit=personas.unit, year=2026, group="Chuyên viên"
    )
    year_compute(actor=personas.lead, unit=personas.unit, year=2026)
    # No unit rating recorded: nothing to cap against. 96 is the top total: the agency's one place
    # (7 at 70 or more: E ≤ 20 % × (7 − E) → E = 1) goes to the head, CV-0 (95) is over the quota.
    assert _results()["O-HEAD"].band == "xuat_sac" and _results()["CV-0"].over_quota
    unit_rating_record(
        actor=personas.lead, unit=personas.unit, year=2026, band="tot", decision_document="QĐ 7/QĐ-UBND"
    )
    year_compute(actor=personas.lead, unit=personas.unit, year=2026)
    results = _results()
    head = results["O-HEAD"]
    assert (head.band_by_score, head.band, head.over_quota) == ("xuat_sac", "tot", False)
    assert any(line["kind"] == "head_not_above_unit" for line in head.explanation["year"])
    assert "QĐ 7/QĐ-UBND" in head.explanation["override_basis"][0]
    # The capped head counts as good, not as a candidate: CV-0 keeps the one place.
    assert (results["CV-0"].band, results["CV-0"].over_quota) == ("xuat_sac", False)


def test_head_keeps_his_band_when_the_rule_is_off(personas, people, seven):
    _leader_sheet(people["head"], personas.unit, "head", "96", position="Giám đốc")
    quota_group_set(
        actor=personas.lead, official=people["head"], unit=personas.unit, year=2026, group="Chuyên viên"
    )
    unit_rating_record(
        actor=personas.lead, unit=personas.unit, year=2026, band="hoan_thanh", decision_document="QĐ 7"
    )
    year_compute(actor=personas.lead, unit=personas.unit, year=2026)
    assert _results()["O-HEAD"].band == "xuat_sac"


def test_only_the_province_records_a_units_rating(personas):
    with pytest.raises(PermissionDenied):
        unit_rating_record(
            actor=personas.unit_head, unit=personas.unit, year=2026, band="xuat_sac", decision_document="x"
        )
    with pytest.raises(ValidationError):
        unit_rating_record(
            actor=personas.lead, unit=personas.unit, year=2026, band="tot", decision_document=""
        )


def test_quota_groups_are_the_agencys_choice_and_a_small_group_has_no_place(personas, seven):
    for official in seven[:3]:  # 95, 92, 80
        quota_group_set(
            actor=personas.unit_head, official=official, unit=personas.unit, year=2026, group="Nhóm A"
        )
    year_compute(actor=personas.unit_head, unit=personas.unit, year=2026)
    results = _results()
    top = results["CV-0"]
    assert top.quota_group == "Nhóm A" and results["CV-3"].quota_group == "Chuyên viên"
    # Agency: six at 70 or more → one place (CV-0). Group A: three at 70 or more,
    # E ≤ 20 % × (3 − E) → E = 0: CV-0 is over the quota in his group.
    assert (top.band_by_score, top.band, top.over_quota) == ("xuat_sac", "tot", True)
    groups = {g["group"]: g for g in top.explanation["quota_groups"]}
    assert (groups[""]["max_excellent"], groups[""]["good"]) == (1, 5)
    assert (groups["Nhóm A"]["max_excellent"], groups["Nhóm A"]["good"], groups["Nhóm A"]["small_group"]) == (
        0,
        3,
        True,
    )
    quota_group_set(actor=personas.unit_head, official=seven[0], unit=personas.unit, year=2026, group="")
    assert not QuotaGroupMember.objects.filter(official=seven[0]).exists()


def test_outsider_cannot_set_a_quota_group(personas, seven):
    with pytest.raises(PermissionDenied):
        quota_group_set(
            actor=personas.outsider_head, official=seven[0], unit=personas.unit, year=2026, group="B"
        )


def test_year_command_reads_the_conclusions_and_the_chosen_groups(personas, seven):
    import json
    from io import StringIO

    from django.core.management import call_command

    _degradation(personas.unit_head, seven[1])
    quota_group_set(
        actor=personas.unit_head, official=seven[2], unit=personas.unit, year=2026, group="Nhóm B"
    )
    out = StringIO()
    call_command("evaluate", "year", "--year", "2026", "--format", "json", stdout=out)
    rows = {row["official"]: row for row in json.loads(out.getvalue())}
    assert (rows["CV-1"]["override"], rows["CV-1"]["band"]) == ("degradation_concluded", "khong_hoan_thanh")
    assert rows["CV-2"]["group"] == "Nhóm B" and rows["CV-3"]["group"] == "Chuyên viên"
