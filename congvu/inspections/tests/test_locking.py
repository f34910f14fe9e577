"""`locked_change`, the one lock → check → version → snapshot → change → save → audit sequence."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from congvu.core.models import AuditEvent
from congvu.inspections.locking import StaleEditError, locked_change
from congvu.inspections.models import InspectionPlan

pytestmark = pytest.mark.django_db

FIELDS = ["year", "number", "title", "content", "status", "version"]


def _events(plan, action):
    events = AuditEvent.objects.filter(object_type="inspections.inspectionplan", object_id=str(plan.pk))
    return list(events.filter(action=action))


@pytest.fixture
def draft_plan(personas):
    from congvu.inspections import services

    return services.plan_create(actor=personas.inspector, year=2025, title="Kế hoạch 2025")


def test_change_saves_with_the_next_version_and_audits_before_and_after(personas, draft_plan):
    with (
        transaction.atomic(),
        locked_change(
            InspectionPlan,
            draft_plan.pk,
            actor=personas.inspector,
            action="plan.test_change",
            fields=FIELDS,
            expected_version=draft_plan.version,
            compare=["title"],
        ) as change,
    ):
        change.obj.title = "Kế hoạch 2025 (sửa)"
    stored = InspectionPlan.objects.get(pk=draft_plan.pk)
    assert stored.title == "Kế hoạch 2025 (sửa)"
    assert stored.version == draft_plan.version + 1
    (event,) = _events(draft_plan, "plan.test_change")
    assert event.before["title"] == "Kế hoạch 2025"
    assert event.before["version"] == draft_plan.version
    assert event.after["title"] == "Kế hoạch 2025 (sửa)"
    assert event.after["version"] == draft_plan.version + 1


def test_stale_version_is_refused_with_the_existing_message_and_nothing_is_saved(personas, draft_plan):
    from congvu.inspections import services

    services.plan_update(
        actor=personas.lead,
        plan=draft_plan,
        expected_version=draft_plan.version,
        year=2025,
        title="Sửa bởi người khác",
        number="",
        content="",
    )
    with (
        pytest.raises(StaleEditError) as refused,
        transaction.atomic(),
        locked_change(
            InspectionPlan,
            draft_plan.pk,
            actor=personas.inspector,
            action="plan.test_change",
            fields=FIELDS,
            expected_version=draft_plan.version,
            compare=["title"],
        ) as change,
    ):
        change.obj.title = "Của tôi"
    assert "Không lưu được" in refused.value.messages[0]
    assert refused.value.changes == [("tên kế hoạch", "Kế hoạch 2025", "Sửa bởi người khác")]
    assert InspectionPlan.objects.get(pk=draft_plan.pk).title == "Sửa bởi người khác"
    assert _events(draft_plan, "plan.test_change") == []


def test_a_validation_error_saves_nothing_and_audits_nothing(personas, draft_plan):
    with (
        pytest.raises(ValidationError),
        transaction.atomic(),
        locked_change(
            InspectionPlan,
            draft_plan.pk,
            actor=personas.inspector,
            action="plan.test_change",
            fields=FIELDS,
        ) as change,
    ):
        change.obj.title = ""  # required: full_clean refuses it
    stored = InspectionPlan.objects.get(pk=draft_plan.pk)
    assert stored.title == "Kế hoạch 2025"
    assert stored.version == draft_plan.version
    assert _events(draft_plan, "plan.test_change") == []


def test_the_callers_check_runs_before_the_version_check(personas, draft_plan):
    def refuse(plan):
        raise ValidationError("không được sửa")

    with (
        pytest.raises(ValidationError) as refused,
        transaction.atomic(),
        locked_change(
            InspectionPlan,
            draft_plan.pk,
            actor=personas.inspector,
            action="plan.test_change",
            fields=FIELDS,
            check=refuse,
            expected_version=draft_plan.version - 1,  # stale too: the caller's refusal comes first
            compare=["title"],
        ),
    ):
        pass
    assert refused.value.messages == ["không được sửa"]


def test_unchanged_writes_no_version_and_no_event(personas, draft_plan):
    with (
        transaction.atomic(),
        locked_change(
            InspectionPlan, draft_plan.pk, actor=personas.inspector, action="plan.test_change", fields=FIELDS
        ) as change,
    ):
        change.unchanged()
    assert InspectionPlan.objects.get(pk=draft_plan.pk).version == draft_plan.version
    assert _events(draft_plan, "plan.test_change") == []
