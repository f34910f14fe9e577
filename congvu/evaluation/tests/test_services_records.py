"""Discipline records and the recorded final classification: the services other apps call."""

from datetime import date
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.core.models import AuditEvent
from congvu.evaluation.models import DisciplineRecord, YearResult
from congvu.evaluation.selectors import discipline_for, discipline_override_ids, official_classifications
from congvu.evaluation.services import discipline_record, year_result_decide

pytestmark = pytest.mark.django_db


def _reprimand(actor, official, **extra):
    values = {
        "actor": actor,
        "official": official,
        "form": "khien_trach",
        "effective_date": date(2026, 5, 4),
        "decision_number": "12/QĐ-SXD",
        "decision_date": date(2026, 5, 1),
        "public_duty_violation": True,
        "source_description": "Kết luận kiểm tra công vụ",
    }
    values.update(extra)
    return discipline_record(**values)


def test_discipline_belongs_to_the_officials_unit_on_the_effective_date(personas, people):
    record = _reprimand(personas.lead, people["staff"])
    assert record.unit == personas.unit
    assert record.triggers_override
    assert AuditEvent.objects.filter(action="evaluation.discipline_record", object_id=str(record.pk)).exists()


def test_reminder_and_criticism_never_trigger_the_override(personas, people):
    reminder = _reprimand(personas.lead, people["staff"], form="nhac_nho")
    criticism = _reprimand(personas.lead, people["staff2"], form="phe_binh")
    assert not reminder.triggers_override and not criticism.triggers_override
    ids = discipline_override_ids(official_ids=[people["staff"].pk, people["staff2"].pk], year=2026)
    assert ids == set()


def test_reprimand_outside_public_duty_does_not_trigger_the_override(personas, people):
    record = _reprimand(personas.lead, people["staff"], public_duty_violation=False)
    assert not record.triggers_override
    assert discipline_override_ids(official_ids=[people["staff"].pk], year=2026) == set()
    _reprimand(personas.lead, people["staff"])
    assert discipline_override_ids(official_ids=[people["staff"].pk], year=2026) == {people["staff"].pk}
    assert discipline_override_ids(official_ids=[people["staff"].pk], year=2025) == set()


def test_unknown_form_is_refused_naming_the_field(personas, people):
    with pytest.raises(ValidationError) as info:
        _reprimand(personas.lead, people["staff"], form="ha_bac_luong")
    assert "form" in info.value.message_dict
    assert not DisciplineRecord.objects.exists()


def test_effective_date_before_decision_is_refused(personas, people):
    with pytest.raises(ValidationError):
        _reprimand(personas.lead, people["staff"], decision_date=date(2026, 6, 1))
    assert not DisciplineRecord.objects.exists()


def test_unit_head_records_only_in_own_unit_and_focal_not_at_all(personas, people):
    assert _reprimand(personas.unit_head, people["staff"]).pk
    with pytest.raises(PermissionDenied):
        _reprimand(personas.unit_head, people["foreign"])
    with pytest.raises(PermissionDenied):
        _reprimand(personas.focal, people["staff"])
    assert DisciplineRecord.objects.count() == 1


def test_discipline_for_lists_each_official_within_the_dates(personas, people):
    inside = _reprimand(personas.lead, people["staff"])
    _reprimand(
        personas.lead, people["staff"], effective_date=date(2023, 2, 1), decision_date=date(2023, 1, 20)
    )
    found = discipline_for(
        official_ids=[people["staff"].pk, people["deputy"].pk],
        since=date(2024, 1, 1),
        until=date(2026, 12, 31),
    )
    assert found == {people["staff"].pk: [inside], people["deputy"].pk: []}


def test_decided_band_is_the_classification(personas, people, nd335_2026):
    result = year_result_decide(
        actor=personas.leadership,
        official=people["head"],
        year=2026,
        band="tot",
        decision_document="Quyết định 45/QĐ-UBND ngày 20/12/2026",
    )
    assert result.unit == personas.unit and result.rule_set == "nd335_2025"
    found = official_classifications(official_ids=[people["head"].pk, people["staff"].pk], years=[2025, 2026])
    assert list(found) == [(people["head"].pk, 2026)]
    classification = found[(people["head"].pk, 2026)]
    assert (classification.band, classification.rule_set, classification.decided) == (
        "tot",
        "nd335_2025",
        True,
    )
    assert classification.total is None


def test_computed_band_stands_undecided_with_its_exact_total(personas, people):
    YearResult.objects.create(
        official=people["staff"],
        year=2026,
        unit=personas.unit,
        rule_set="nd335_2025",
        total="1799/20",
        computed_band="tot",
    )
    classification = official_classifications(official_ids=[people["staff"].pk], years=[2026])[
        (people["staff"].pk, 2026)
    ]
    assert classification.decided is False
    assert classification.total == Fraction(1799, 20)  # 89.95: tốt, not xuất sắc


def test_decision_changes_the_band_and_keeps_the_computed_figures(personas, people):
    YearResult.objects.create(
        official=people["staff"],
        year=2026,
        unit=personas.unit,
        rule_set="nd335_2025",
        total="91",
        computed_band="xuat_sac",
    )
    result = year_result_decide(
        actor=personas.unit_head,
        official=people["staff"],
        year=2026,
        band="tot",
        decision_document="QĐ 7/QĐ-SXD",
    )
    assert (result.band, result.computed_band, result.total, result.version) == ("tot", "xuat_sac", "91", 2)
    event = AuditEvent.objects.get(action="evaluation.year_result_decide")
    assert event.before["decided_band"] == "" and event.after["decided_band"] == "tot"


def test_decision_without_document_or_with_a_bad_band_writes_nothing(personas, people, nd335_2026):
    with pytest.raises(ValidationError) as info:
        year_result_decide(
            actor=personas.lead, official=people["staff"], year=2026, band="tot", decision_document=" "
        )
    assert "decision_document" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        year_result_decide(
            actor=personas.lead, official=people["staff"], year=2026, band="gioi", decision_document="QĐ 1"
        )
    assert "band" in info.value.message_dict
    assert not YearResult.objects.exists()


def test_unit_head_cannot_decide_for_another_unit_or_for_a_head(personas, people, nd335_2026):
    with pytest.raises(PermissionDenied):
        year_result_decide(
            actor=personas.outsider_head,
            official=people["staff"],
            year=2026,
            band="tot",
            decision_document="QĐ 1",
        )
    YearResult.objects.create(
        official=people["head"], year=2026, unit=personas.unit, rule_set="nd335_2025", role="head"
    )
    with pytest.raises(PermissionDenied):
        year_result_decide(
            actor=personas.unit_head,
            official=people["head"],
            year=2026,
            band="xuat_sac",
            decision_document="QĐ 2",
        )
    with pytest.raises(PermissionDenied):
        year_result_decide(
            actor=personas.focal, official=people["staff"], year=2026, band="tot", decision_document="QĐ 3"
        )
    assert not YearResult.objects.filter(decided_band__gt="").exists()


def test_unit_head_cannot_record_the_heads_classification_even_before_any_computation(
    personas, people, nd335_2026
):
    with pytest.raises(PermissionDenied):
        year_result_decide(
            actor=personas.unit_head,
            official=people["head"],
            year=2026,
            band="xuat_sac",
            decision_document="QĐ 2",
        )
    result = year_result_decide(
        actor=personas.leadership,
        official=people["head"],
        year=2026,
        band="tot",
        decision_document="QĐ 45/QĐ-UBND",
    )
    assert result.role == "head"
