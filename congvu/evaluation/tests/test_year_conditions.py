"""Decree 90/48 years rated in the app from conditions entered by the evaluator (`score_nd90`):
the band by conditions, the overrides with their document, the quota, working time; bad input."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congvu.evaluation.models import YearResult
from congvu.evaluation.services import conclusion_record, year_conditions_record

pytestmark = pytest.mark.django_db

ALL_DONE = {
    "general_criteria_level": "tot",
    "tasks_total": 10,
    "tasks_completed": 10,
    "tasks_on_time_quality": 10,
}


def test_bands_by_conditions_and_the_quota_of_a_small_unit(personas, people):
    # 10/10 on time with quality; 5 of 10 exceeded = 50 % ≥ 50 % → excellent by conditions.
    top = year_conditions_record(
        actor=personas.unit_head,
        official=people["staff"],
        year=2025,
        conditions={**ALL_DONE, "tasks_exceeded": 5},
    )
    assert (top.rule_set, top.explanation["band_by_conditions"]) == ("nd90_2020", "xuat_sac")
    # Alone in the unit: E ≤ 20 % × (1 − E) → no place; over the quota, provisionally good.
    assert (top.computed_band, top.over_quota) == ("tot", True)
    assert any("50% nhiệm vụ hoàn thành vượt mức" in line["text"] for line in top.explanation["year"])
    # 4 of 10 exceeded = 40 % → good.
    year_conditions_record(
        actor=personas.unit_head,
        official=people["staff2"],
        year=2025,
        conditions={**ALL_DONE, "tasks_exceeded": 4},
    )
    top.refresh_from_db()
    # Two rated good or better: E ≤ 20 % × (2 − E) → no place; the excellent one is over the quota.
    assert (top.computed_band, top.over_quota) == ("tot", True)
    assert top.explanation["quota_groups"][0]["small_group"] is True
    assert YearResult.objects.get(official=people["staff2"]).computed_band == "tot"


def test_a_conclusion_of_the_year_forces_not_completed_with_its_document(personas, people):
    conclusion_record(
        actor=personas.unit_head,
        official=people["staff"],
        kind="degradation_concluded",
        document_number="9/KL-UBKT",
        document_date=date(2025, 11, 3),
        authority="UBKT Đảng ủy",
    )
    result = year_conditions_record(
        actor=personas.unit_head,
        official=people["staff"],
        year=2025,
        conditions={**ALL_DONE, "tasks_exceeded": 5},
    )
    assert (result.computed_band, result.override) == ("khong_hoan_thanh", "degradation_concluded")
    assert "9/KL-UBKT ngày 03/11/2025" in result.explanation["override_basis"][0]


def test_fewer_than_six_months_is_not_classified(personas, people):
    result = year_conditions_record(
        actor=personas.unit_head,
        official=people["staff"],
        year=2025,
        conditions={**ALL_DONE, "months_worked": 4},
    )
    assert result.computed_band == "" and "không xếp loại" in result.explanation["year"][0]["text"]


def test_impossible_counts_and_a_points_year_are_refused_naming_the_field(personas, people):
    with pytest.raises(ValidationError) as bad:
        year_conditions_record(
            actor=personas.unit_head,
            official=people["staff"],
            year=2025,
            conditions={**ALL_DONE, "tasks_completed": 8},
        )
    assert "tasks_on_time_quality" in bad.value.message_dict
    with pytest.raises(ValidationError) as points:
        year_conditions_record(
            actor=personas.unit_head, official=people["staff"], year=2026, conditions=ALL_DONE
        )
    assert "theo điểm" in points.value.message_dict["rule_set"][0]
    assert not YearResult.objects.exists()


def test_outsider_head_cannot_rate_by_conditions(personas, people):
    with pytest.raises(PermissionDenied):
        year_conditions_record(
            actor=personas.outsider_head, official=people["staff"], year=2025, conditions=ALL_DONE
        )


def test_the_form_rates_and_the_year_page_explains_each_condition(client, personas, people):
    client.force_login(personas.unit_head)
    home = client.get(reverse("evaluation:home") + f"?year=2025&unit={personas.unit.code}").content.decode()
    assert 'data-testid="conditions-form"' in home
    response = client.post(
        reverse("evaluation:year_conditions"),
        {"unit": personas.unit.code, "year": 2025, "official_code": "O-CV1", **ALL_DONE, "tasks_exceeded": 5},
    )
    result = YearResult.objects.get(official=people["staff"])
    assert response.url == reverse("evaluation:result", args=[result.pk])
    page = client.get(response.url).content.decode()
    assert "✓ hoàn thành 100% nhiệm vụ đúng tiến độ, chất lượng" in page
    bad = client.post(
        reverse("evaluation:year_conditions"),
        {
            "unit": personas.unit.code,
            "year": 2025,
            "official_code": "O-CV2",
            **ALL_DONE,
            "tasks_completed": 8,
        },
        follow=True,
    ).content.decode()
    assert "Số đúng tiến độ, chất lượng, hiệu quả" in bad
    client.force_login(personas.outsider_head)
    data = {"unit": personas.unit.code, "year": 2025, "official_code": "O-CV1", **ALL_DONE}
    assert client.post(reverse("evaluation:year_conditions"), data).status_code == 404
