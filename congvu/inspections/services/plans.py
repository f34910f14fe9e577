"""The annual inspection plan (Kế hoạch kiểm tra công vụ năm N)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import Role, User
from congvu.core.audit import audit_record, snapshot
from congvu.core.permissions import require_role
from congvu.core.text import nfc
from congvu.inspections.locking import lock_row, locked_change
from congvu.inspections.models import (
    InspectionPlan,
    PlanItem,
    PlanStatus,
)
from congvu.inspections.services._common import (
    PLAN_FIELDS,
    PLAN_ITEM_FIELDS,
    _check,
)


@transaction.atomic
def plan_create(*, actor: User, year: int, title: str, number: str = "", content: str = "") -> InspectionPlan:
    """Draft an annual plan (Kế hoạch kiểm tra công vụ năm N): inspectors and the lead."""
    require_role(actor, Role.INSPECTOR, Role.LEAD)
    plan = InspectionPlan(
        year=year, title=nfc(title).strip(), number=nfc(number).strip(), content=nfc(content)
    )
    plan.created_by = actor
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action="plan.create", obj=plan, after=snapshot(plan, PLAN_FIELDS))
    return plan


def _plan_editable(actor: User, plan: InspectionPlan) -> None:
    require_role(actor, Role.INSPECTOR, Role.LEAD)
    _check(plan.status == PlanStatus.DRAFT, _("Kế hoạch đã được phê duyệt, không sửa được nữa."))


@transaction.atomic
def plan_update(
    *,
    actor: User,
    plan: InspectionPlan,
    expected_version: int | None,
    year: int,
    title: str,
    number: str,
    content: str,
) -> InspectionPlan:
    with locked_change(
        InspectionPlan,
        plan.pk,
        actor=actor,
        action="plan.update",
        fields=PLAN_FIELDS,
        check=lambda p: _plan_editable(actor, p),
        expected_version=expected_version,
        compare=["year", "number", "title", "content"],
    ) as change:
        plan = change.obj
        plan.year, plan.title, plan.number, plan.content = (
            year,
            nfc(title).strip(),
            nfc(number).strip(),
            nfc(content),
        )
    return plan


@transaction.atomic
def plan_item_add(
    *,
    actor: User,
    plan: InspectionPlan,
    unit,
    month: int,
    content: str = "",
    period_from: date | None = None,
    period_to: date | None = None,
) -> PlanItem:
    plan = lock_row(InspectionPlan, plan.pk)
    _plan_editable(actor, plan)
    item = PlanItem(
        plan=plan, unit=unit, month=month, content=nfc(content), period_from=period_from, period_to=period_to
    )
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="plan.item_add", obj=item, after=snapshot(item, PLAN_ITEM_FIELDS))
    return item


@transaction.atomic
def plan_item_remove(*, actor: User, item: PlanItem) -> None:
    plan = lock_row(InspectionPlan, item.plan_id)
    _plan_editable(actor, plan)
    before = snapshot(item, PLAN_ITEM_FIELDS)
    audit_record(actor=actor, action="plan.item_remove", obj=item, before=before)
    item.delete()


@transaction.atomic
def plan_approve(*, actor: User, plan: InspectionPlan) -> InspectionPlan:
    """The inspection lead approves the plan (draft → approved); inspections may then be set up."""
    require_role(actor, Role.LEAD)

    def approvable(plan: InspectionPlan) -> None:
        _check(plan.status == PlanStatus.DRAFT, _("Kế hoạch đã được phê duyệt."))
        _check(plan.items.exists(), _("Kế hoạch chưa có đơn vị nào được kiểm tra: chưa thể phê duyệt."))

    with locked_change(
        InspectionPlan, plan.pk, actor=actor, action="plan.approve", fields=PLAN_FIELDS, check=approvable
    ) as change:
        plan = change.obj
        plan.status = PlanStatus.APPROVED
        plan.approved_by = actor
        plan.approved_at = timezone.now()
    return plan
