"""The excellent quota of a Decree 90/48 year (2025) within the agency AND within each group of similar
posts, as Decree 48/2023 words it ("tại cùng cơ quan … và đối với từng nhóm đối tượng có nhiệm vụ
tương đồng", with the 20 % of Regulation 366 Art. 11): the same grouping as the Decree 335 path (the
agency's chosen group, else the job title). Places by hand: E ≤ 20 % × (rated good or better − E)."""

from datetime import date

import pytest

from congvu.evaluation.models import YearResult
from congvu.evaluation.services import quota_group_set, year_conditions_record
from congvu.org.models import Appointment, Official

pytestmark = pytest.mark.django_db

GOOD = {
    "general_criteria_level": "tot",
    "tasks_total": 10,
    "tasks_completed": 10,
    "tasks_on_time_quality": 10,
}
EXCELLENT = {**GOOD, "tasks_exceeded": 5}  # 50 % exceeded → excellent by conditions (Art. 8(1))


def _official(personas, code, title):
    official = Official.objects.create(code=code, full_name=f"Cán bộ {code}")
    Appointment.objects.create(
        official=official, unit=personas.unit, role="other", title=title, start=date(2020, 1, 1)
    )
    return official


def _rate(personas, officials, conditions):
    for official in officials:
        year_conditions_record(actor=personas.unit_head, official=official, year=2025, conditions=conditions)


def _results():
    return {r.official.code: r for r in YearResult.objects.filter(year=2025).select_related("official")}


def test_a_group_of_similar_posts_limits_the_places_even_when_the_agency_has_more(personas):
    # "Chuyên viên": 4 good + 2 excellent candidates = 6; "Thanh tra viên": 10 good. Agency: 16 rated
    # good or better, 2 candidates: E = 2 (2 ≤ 20 % × 14). The group: E = 1 (1 ≤ 20 % × 5; 2 > 20 % × 4).
    candidates = [_official(personas, f"A-X{i}", "Chuyên viên") for i in (1, 2)]
    _rate(personas, [_official(personas, f"A-G{i}", "Chuyên viên") for i in range(4)], GOOD)
    _rate(personas, [_official(personas, f"B-G{i:02}", "Thanh tra viên") for i in range(10)], GOOD)
    _rate(personas, candidates, EXCELLENT)
    results = _results()
    assert [results[c].computed_band for c in ("A-X1", "A-X2")] == ["xuat_sac", "tot"]
    assert [results[c].over_quota for c in ("A-X1", "A-X2")] == [False, True]
    assert results["A-X2"].quota_group == "Chuyên viên"
    summaries = {g["group"]: g for g in results["A-X2"].explanation["quota_groups"]}
    assert (summaries[""]["members"], summaries[""]["max_excellent"]) == (16, 2)
    assert (summaries["Chuyên viên"]["members"], summaries["Chuyên viên"]["max_excellent"]) == (6, 1)
    assert summaries["Chuyên viên"]["good"] == 5
    texts = [line["text"] for line in results["A-X2"].explanation["quota"]]
    assert any(t.startswith("nhóm “Chuyên viên”: A-X2 vượt tỷ lệ xuất sắc") for t in texts)
    assert results["B-G00"].explanation["quota_groups"][1]["group"] == "Thanh tra viên"


@pytest.mark.parametrize(
    ("good", "places"),
    [
        (9, 2),  # 12 rated good or better: E = 2 (2 ≤ 20 % × 10), E = 3 fails (3 > 20 % × 9)
        (8, 1),  # 11: E = 2 fails (2 > 20 % × 9), E = 1 (1 ≤ 20 % × 10)
    ],
)
def test_the_agencys_chosen_group_at_the_boundary_ten_good_two_excellent(personas, good, places):
    staff = [_official(personas, f"G-{i:02}", f"Chức danh {i}") for i in range(good)]
    candidates = [_official(personas, f"X-{i}", f"Vị trí {i}") for i in range(3)]
    for official in staff + candidates:
        quota_group_set(
            actor=personas.unit_head, official=official, unit=personas.unit, year=2025, group="Tham mưu"
        )
    _rate(personas, staff, GOOD)
    _rate(personas, candidates, EXCELLENT)
    results = _results()
    excellent = sorted(code for code, r in results.items() if r.computed_band == "xuat_sac")
    assert excellent == [f"X-{i}" for i in range(places)]
    summary = {g["group"]: g for g in results["X-0"].explanation["quota_groups"]}["Tham mưu"]
    assert (summary["members"], summary["max_excellent"], summary["good"]) == (
        good + 3,
        places,
        good + 3 - places,
    )
    assert {r.quota_group for r in results.values()} == {"Tham mưu"}
