"""Demo step: official documents. Sở Nội vụ is declared the issuing body (UBND tỉnh Vĩnh Long, SNV,
signed by its Director); the registry continues after the numbers the demo inspections carry on paper
(decisions up to 150/QĐ-SNV, the plan 15/KH-SNV); the notice of the inspection of Xã Càng Long (left at
"notified") is issued from the data; the surprise inspection at Sở Xây dựng has a draft of its minutes.
Issued on fixed dates, so the same seed builds the same registry whatever day it runs."""

from __future__ import annotations

from datetime import date

from congvu.accounts.models import User
from congvu.documents import services
from congvu.documents.contexts import Target
from congvu.documents.kinds import INSPECTION
from congvu.inspections.models import Inspection
from congvu.inspections.workflow import InspectionStatus as S
from congvu.org.models import Unit
from congvu.org.selectors import unit_head_on


def build(ctx) -> None:
    doha = Unit.objects.filter(code="VL-SNV").first()
    if doha is None:
        return
    admin = User.objects.get(username="admin")
    lead = User.objects.get(username="truongdoan")
    head = unit_head_on(doha.pk, date(2026, 10, 1))
    issuer = services.issuer_save(
        actor=admin,
        unit=doha,
        superior="UBND TỈNH VĨNH LONG",
        name="SỞ NỘI VỤ",
        abbreviation="SNV",
        place="Vĩnh Long",
        signer_title="GIÁM ĐỐC",
        signer_name=head.full_name if head else "",
        is_default=True,
    )
    services.number_counter_set(actor=admin, issuer=issuer, year=2026, number_code="QĐ", last_number=150)
    services.number_counter_set(actor=admin, issuer=issuer, year=2026, number_code="KH", last_number=15)
    issued = 0
    notified = (
        Inspection.objects.filter(status=S.NOTIFIED, kind="scheduled")
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    if notified is not None:
        draft = services.document_draft_open(
            actor=lead, kind="notice", target=Target(INSPECTION, inspection=notified)
        )
        services.document_issue(
            actor=lead, document=draft, issued_on=date(2026, notified.decision_date.month, 5)
        )
        issued += 1
    surprise = Inspection.objects.filter(kind="surprise", status=S.ON_SITE).order_by("pk").first()
    drafts = 0
    if surprise is not None:
        services.document_draft_open(
            actor=lead, kind="minutes", target=Target(INSPECTION, inspection=surprise)
        )
        drafts += 1
    ctx.log(f"Văn bản: cơ quan ban hành Sở Nội vụ, {issued} văn bản đã ban hành, {drafts} dự thảo.")
