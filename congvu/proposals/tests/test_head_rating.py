"""Classification proposals follow the evaluation app's rule of who rates a head (`head_rating`): the
head of a unit managed by the province is proposed to the Chairman; the head of a sub-unit (its parent
an agency, not the province) is rated by that agency's head, so no proposal is generated or accepted."""

import pytest
from django.core.exceptions import ValidationError

from congvu.org.models import Unit
from congvu.proposals import services


def test_a_province_managed_units_head_is_proposed_to_the_chairman(personas, concluded, report):
    assert report.proposals.get(kind="classification").official == concluded["head"]


def test_a_sub_units_head_is_neither_generated_nor_accepted(personas, concluded, head_year_result):
    # The inspected unit placed under another agency (Sở Tư pháp): a sub-unit.
    Unit.objects.filter(pk=personas.unit.pk).update(parent=personas.other_unit)
    report = services.report_create(
        actor=personas.lead, kind="inspection", inspection=concluded["inspection"]
    )
    assert not report.proposals.filter(kind="classification").exists()
    assert report.proposals.filter(kind="discipline").exists()  # the rest is generated as before
    with pytest.raises(ValidationError) as refused:
        services.proposal_add(
            actor=personas.lead,
            report=report,
            kind="classification",
            unit=personas.unit,
            official=concluded["head"],
            value="tot",
            year=2025,
        )
    assert "người đứng đầu Sở Xây dựng, đơn vị thuộc cơ quan khác" in str(refused.value)
    # The deputy is not a head: his classification may still be proposed.
    added = services.proposal_add(
        actor=personas.lead,
        report=report,
        kind="classification",
        unit=personas.unit,
        official=concluded["deputy"],
        value="tot",
        year=2025,
    )
    assert added.official == concluded["deputy"]
