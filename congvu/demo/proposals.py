"""Demo step: the Director's reports to the PPC Chairman and the Chairman's decisions, through the
proposals services with the demo accounts (truongdoan drafts and submits, chutich decides).

The inspections step leaves three inspections concluded or later; the story, most advanced first:

* Sở Xây dựng (following up remediation): the team adds a discipline recommendation (khiển trách)
  against the official its finding names (the head, when the figures showed late tasks); the report is
  submitted and the Chairman has decided its handling and discipline proposals — the discipline
  accepted (it reaches the official's year record and forces "không hoàn thành" for that year), the
  self-criticism changed to a criticism, the correction accepted;
* the second concluded inspection: the report is submitted and waits for the Chairman;
* the third: the lead's draft.

When the evaluation step ran before, undecided year results of the inspected heads and deputies also
appear as classification proposals, left undecided for the Chairman to try (the first report is then
"submitted" rather than "decided").
"""

from __future__ import annotations

from datetime import date

from congvu.accounts.models import User
from congvu.inspections import services as inspections
from congvu.inspections.models import Inspection
from congvu.proposals import services
from congvu.proposals.services import CONCLUDED_STATUSES

DECISION_DATE = date(2026, 11, 25)
CHAIRMAN = "Chủ tịch UBND tỉnh Nguyễn Văn Thạnh"


def _discipline_recommendation(inspection: Inspection, inspector: User) -> None:
    finding = inspection.findings.filter(status="confirmed", responsible__isnull=False).order_by("pk").first()
    official = finding.responsible if finding else None
    if official is None:
        sheet = inspection.checklists.filter(subject="head").select_related("official").first()
        official = sheet.official if sheet else None
    if official is None:
        return
    inspections.recommendation_create(
        actor=inspector,
        inspection=inspection,
        kind="reprimand",
        addressee="Chủ tịch UBND tỉnh",
        official=official,
        content=(
            f"Đề nghị xem xét kỷ luật khiển trách đối với ông (bà) {official.full_name} vì để nhiều nhiệm "
            "vụ được giao quá hạn, không báo cáo nguyên nhân khách quan."
        ),
        finding=finding,
    )


def build(ctx) -> None:
    lead = User.objects.get(username="truongdoan")
    chairman = User.objects.get(username="chutich")
    inspector = User.objects.get(username="kiemtra")
    concluded = list(
        Inspection.objects.filter(status__in=CONCLUDED_STATUSES, kind="scheduled")
        .select_related("unit")
        .order_by("-status", "pk")  # remediation, then concluded, then closed
    )
    if not concluded:
        return
    first, *others = concluded
    _discipline_recommendation(first, inspector)
    reports = []
    for inspection in [first, *others]:
        report = services.report_create(actor=lead, kind="inspection", inspection=inspection)
        services.report_update(
            actor=lead,
            report=report,
            expected_version=report.version,
            title=report.title,
            number=f"{420 + len(reports)}/BC-SNV",
            report_date=date(2026, 11, 20),
            summary=(
                "Đơn vị cơ bản chấp hành kỷ luật, kỷ cương hành chính; còn hạn chế trong việc bảo đảm "
                "tiến độ nhiệm vụ được giao. Sở Nội vụ kính trình Chủ tịch UBND tỉnh xem xét các đề xuất "
                "dưới đây."
            ),
        )
        reports.append(report)
    services.report_submit(actor=lead, report=reports[0])
    # Classification proposals need the year to end: the Chairman decides the handling ones now.
    for proposal in reports[0].proposals.exclude(kind="classification").order_by("order", "pk"):
        _decide_one(chairman, proposal)
    if len(reports) > 1:
        services.report_submit(actor=lead, report=reports[1])
    ctx.log(f"Báo cáo, đề xuất lên Chủ tịch: {len(reports)} báo cáo, một báo cáo đã có quyết định.")


def _decide_one(chairman: User, proposal) -> None:
    outcome, value = "accepted", ""
    if proposal.value == "self_criticism":
        outcome, value = "changed", "criticism"
    number = (
        f"{3400 + proposal.pk}/QĐ-UBND" if proposal.kind == "discipline" else f"{3400 + proposal.pk}/UBND-NC"
    )
    services.decision_record(
        actor=chairman,
        proposal=proposal,
        outcome=outcome,
        value=value,
        document_number=number,
        document_date=DECISION_DATE,
        signed_by=CHAIRMAN,
        note="Giao Sở Nội vụ theo dõi, tổng hợp vào kết quả đánh giá cuối năm.",
    )
