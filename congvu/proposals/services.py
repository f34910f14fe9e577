"""Writes to Director's reports, proposals and the Chairman's decisions; each one transaction with its
audit event (STYLE §3).

Generation: a report for a concluded inspection takes every recommendation whose finding was not
withdrawn — a discipline recommendation becomes a discipline proposal naming its official, a handling
recommendation a handling proposal about its official or the unit — and, for each head and deputy in
post during the period, a classification proposal when the evaluation app holds a year result not yet
decided. A year report does the same over the year's concluded inspections, leaving out
recommendations already proposed in another report. The lead edits, adds and removes proposals while
the report is a draft, then submits it; submission freezes the assembled results.

A decision on a discipline proposal (or a reminder/criticism of an official) flows into the official's
year record through `congvu.evaluation.services.discipline_record`; on a classification through
`year_result_decide`, in the same transaction as the decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core.audit import audit_record, snapshot
from congvu.core.text import nfc
from congvu.inspections.locking import check_version, lock_row
from congvu.inspections.models import (
    DISCIPLINE_KINDS,
    Finding,
    FindingStatus,
    Inspection,
    Recommendation,
)
from congvu.inspections.workflow import CONCLUDED_STATUSES, status_label
from congvu.org.models import Appointment, AppointmentRole, Official, Unit
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.proposals import policy
from congvu.proposals.models import (
    BANDS,
    DISCIPLINE_DECISION_VALUES,
    DISCIPLINE_FORMS,
    HANDLING_FORMS,
    HANDLING_TO_RECORD,
    RECOMMENDATION_TO_DISCIPLINE,
    VALUES_BY_KIND,
    Decision,
    DecisionOutcome,
    DirectorReport,
    Proposal,
    ProposalKind,
    ProposalOrigin,
    ReportKind,
    ReportStatus,
    value_label,
)

REPORT_FIELDS = [
    "kind",
    "inspection",
    "year",
    "title",
    "number",
    "report_date",
    "summary",
    "status",
    "version",
]
PROPOSAL_FIELDS = ["report", "kind", "unit", "official", "value", "year", "reasons", "public_duty_violation"]
PROPOSAL_FIELDS += ["origin", "version"]
DECISION_FIELDS = ["proposal", "outcome", "value", "document_number", "document_date", "signed_by"]
DECISION_FIELDS += ["effective_date", "note", "on_behalf", "discipline_record", "year_result"]

# Inspections whose conclusion has been issued (the ones a report may cover): CONCLUDED_STATUSES,
# defined with every other status set in inspections/workflow.py.


def _notify(users, text: str, report: DirectorReport, key: str) -> None:
    """In-app notices through the inspections app's public service (not audited: they describe an
    audited write)."""
    from django.urls import reverse

    from congvu.inspections.services import notification_send

    link = reverse("proposals:detail", args=[report.pk])
    for user in users:
        notification_send(user=user, text=text, link=link, key=f"{key}-{user.pk}")


def _active(**filters):
    from congvu.accounts.models import User

    return User.objects.filter(is_active=True, **filters).order_by("pk")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _proposal_after(proposal: Proposal) -> dict:
    data = snapshot(proposal, PROPOSAL_FIELDS)
    data["findings"] = sorted(proposal.findings.values_list("pk", flat=True))
    data["recommendations"] = sorted(proposal.recommendations.values_list("pk", flat=True))
    return data


def inspection_year(inspection: Inspection) -> int:
    """The year an inspection's results belong to: that of its conclusion, else of its period's end."""
    return (inspection.conclusion_date or inspection.period_to).year


def year_inspections(year: int):
    """The concluded inspections of a year (by conclusion date, else by the end of the period)."""
    return (
        Inspection.objects.filter(status__in=CONCLUDED_STATUSES)
        .filter(
            Q(conclusion_date__year=year) | Q(conclusion_date__isnull=True, period_to__year=year),
        )
        .select_related("unit")
        .order_by("unit__name", "period_to", "pk")
    )


def report_inspections(report: DirectorReport) -> list[Inspection]:
    if report.kind == ReportKind.INSPECTION:
        return [Inspection.objects.select_related("unit").get(pk=report.inspection_id)]
    return list(year_inspections(report.year))


def _leaders(inspection: Inspection) -> list[tuple[Official, str]]:
    """(official, "head"|"deputy") in post at the unit during the inspection's period, once each."""
    from congvu.inspections.prefill import leader_scopes

    seen, result = set(), []
    for scope in leader_scopes(
        unit_id=inspection.unit_id, period_from=inspection.period_from, period_to=inspection.period_to
    ):
        official = scope.appointment.official
        if official.pk not in seen:
            seen.add(official.pk)
            result.append((official, scope.subject))
    return result


def _year_classifications(official_ids: list[int], year: int) -> dict:
    from congvu.evaluation.selectors import official_classifications

    if not official_ids:
        return {}
    return official_classifications(official_ids=official_ids, years=[year])


def _head_rated_by_chairman(official, year: int, unit_id: int) -> bool:
    """The evaluation app's rule (`head_rating`): the head of a unit managed by the province is rated
    by the Chairman on the Director of Home Affairs' proposal; a sub-unit's head by his agency's head."""
    from congvu.evaluation.selectors import head_rating_for

    return head_rating_for(official=official, year=year, unit_id=unit_id).by_chairman


def _overridden(official_ids, year: int) -> set[int]:
    """Officials whose discipline in `year` forces "không hoàn thành nhiệm vụ" (the evaluation app's
    rule: from khiển trách up, for a public-duty violation, effective in the year)."""
    from congvu.evaluation.selectors import discipline_override_ids

    ids = [i for i in official_ids if i]
    return discipline_override_ids(official_ids=ids, year=year) if ids else set()


def _override_message(official, year: int) -> str:
    return _(
        "%(name)s bị kỷ luật từ khiển trách trở lên vì vi phạm trong thi hành công vụ, có hiệu lực trong năm "
        "%(year)d: chỉ xếp loại “Không hoàn thành nhiệm vụ” (Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4)."
    ) % {"name": official, "year": year}


def _covered_recommendation_ids(exclude_report: DirectorReport) -> set[int]:
    return set(
        Proposal.recommendations.through.objects.exclude(proposal__report=exclude_report).values_list(
            "recommendation_id", flat=True
        )
    )


def _generate(report: DirectorReport, actor) -> list[Proposal]:
    """Add the proposals the report's inspections call for and it does not hold yet."""
    inspections = report_inspections(report)
    held = set(
        Proposal.recommendations.through.objects.filter(proposal__report=report).values_list(
            "recommendation_id", flat=True
        )
    )
    if report.kind == ReportKind.YEAR:
        held |= _covered_recommendation_ids(report)
    order = (report.proposals.aggregate(m=Max("order"))["m"] or 0) + 1
    created: list[Proposal] = []

    def add(**fields) -> Proposal:
        nonlocal order
        findings = fields.pop("findings", [])
        recommendations = fields.pop("recommendations", [])
        proposal = Proposal(report=report, order=order, created_by=actor, **fields)
        proposal.full_clean()
        proposal.save()
        proposal.findings.set(findings)
        proposal.recommendations.set(recommendations)
        order += 1
        created.append(proposal)
        return proposal

    recommendations = (
        Recommendation.objects.filter(inspection__in=[i.pk for i in inspections])
        .exclude(finding__status=FindingStatus.WITHDRAWN)
        .select_related("inspection", "finding", "official")
        .order_by("inspection__unit__name", "inspection_id", "pk")
    )
    for rec in recommendations:
        if rec.pk in held:
            continue
        reasons = rec.content
        if rec.finding is not None:
            reasons = f"{rec.finding.description}\n{_('Kiến nghị')}: {rec.content}"
        if rec.kind in DISCIPLINE_KINDS:
            if rec.official_id is None:  # the inspections service refuses this; old data may not
                continue
            kind, value = ProposalKind.DISCIPLINE, RECOMMENDATION_TO_DISCIPLINE[rec.kind]
        else:
            kind, value = ProposalKind.HANDLING, rec.kind
        add(
            kind=kind,
            unit=rec.inspection.unit,
            official=rec.official,
            value=value,
            year=inspection_year(rec.inspection),
            reasons=nfc(reasons).strip(),
            origin=ProposalOrigin.RECOMMENDATION,
            findings=[rec.finding] if rec.finding is not None else [],
            recommendations=[rec],
        )

    # One classification proposal per official and year across reports, unless the Chairman rejected it.
    classified = set(
        Proposal.objects.filter(kind=ProposalKind.CLASSIFICATION)
        .exclude(decision__outcome=DecisionOutcome.REJECTED)
        .values_list("official_id", "year")
    )
    for inspection in inspections:
        year = report.year if report.kind == ReportKind.YEAR else inspection_year(inspection)
        leaders = _leaders(inspection)
        results = _year_classifications([o.pk for o, _s in leaders], year)
        overridden = _overridden([o.pk for o, _s in leaders], year)
        for official, subject in leaders:
            result = results.get((official.pk, year))
            if result is None or result.decided or (official.pk, year) in classified:
                continue
            if subject == "head" and not _head_rated_by_chairman(official, year, inspection.unit_id):
                continue  # a sub-unit's head: rated by the head of its agency, not on a proposal
            classified.add((official.pk, year))
            band, note = result.band, ""
            if official.pk in overridden and band != "khong_hoan_thanh":
                band, note = "khong_hoan_thanh", " " + _override_message(official, year)
            total = f" — {_('tổng điểm')} {float(result.total):.2f}".replace(".", ",") if result.total else ""
            add(
                kind=ProposalKind.CLASSIFICATION,
                unit=inspection.unit,
                official=official,
                value=band,
                year=year,
                reasons=_("Theo kết quả đánh giá năm %(year)d (bộ quy tắc %(rules)s)%(total)s.")
                % {"year": year, "rules": result.rule_set, "total": total}
                + note,
                origin=ProposalOrigin.EVALUATION,
                findings=list(
                    Finding.objects.filter(
                        inspection=inspection, responsible=official, status=FindingStatus.CONFIRMED
                    )
                ),
            )
    return created


@transaction.atomic
def report_create(
    *, actor, kind: str, inspection: Inspection | None = None, year: int | None = None
) -> DirectorReport:
    """Create a draft report for a concluded inspection or for a year, with its generated proposals."""
    policy.require_lead(actor)
    if kind == ReportKind.INSPECTION:
        _check(inspection is not None, _("Chưa chọn cuộc kiểm tra."))
        inspection = lock_row(Inspection, inspection.pk)
        _check(
            inspection.status in CONCLUDED_STATUSES,
            _("Cuộc kiểm tra chưa có thông báo kết luận (hiện: %(s)s): chưa lập báo cáo được.")
            % {"s": status_label(inspection.status)},
        )
        _check(
            not DirectorReport.objects.filter(inspection=inspection).exists(),
            _("Cuộc kiểm tra này đã có báo cáo."),
        )
        year = inspection_year(inspection)
        title = _("Báo cáo kết quả kiểm tra công vụ tại %(unit)s và đề xuất xử lý") % {
            "unit": inspection.unit.name
        }
    elif kind == ReportKind.YEAR:
        _check(year is not None and 2000 <= int(year) <= 2100, _("Năm phải từ 2000 đến 2100."))
        year = int(year)
        _check(
            not DirectorReport.objects.filter(kind=ReportKind.YEAR, year=year).exists(),
            _("Năm %(year)d đã có báo cáo tổng hợp.") % {"year": year},
        )
        _check(
            year_inspections(year).exists(),
            _("Năm %(year)d chưa có cuộc kiểm tra nào đã kết luận.") % {"year": year},
        )
        inspection = None
        title = _("Báo cáo tổng hợp kết quả kiểm tra công vụ năm %(year)d, đề xuất xử lý và xếp loại") % {
            "year": year
        }
    else:
        raise ValidationError(_("Loại báo cáo không hợp lệ."))
    report = DirectorReport(kind=kind, inspection=inspection, year=year, title=title, created_by=actor)
    report.full_clean()
    report.save()
    created = _generate(report, actor)
    after = snapshot(report, REPORT_FIELDS)
    after["proposals"] = [_proposal_after(p) for p in created]
    audit_record(actor=actor, action="director_report.create", obj=report, after=after)
    return report


def _editable(actor, report_pk: int) -> DirectorReport:
    policy.require_lead(actor)
    report = lock_row(DirectorReport, report_pk)
    _check(
        report.status == ReportStatus.DRAFT,
        _("Báo cáo đã trình Chủ tịch UBND tỉnh, không sửa được nữa."),
    )
    return report


@transaction.atomic
def report_refresh(*, actor, report: DirectorReport) -> list[Proposal]:
    """Add the proposals for recommendations and year results that appeared since the draft was made;
    the lead's edits to the existing proposals are kept."""
    report = _editable(actor, report.pk)
    created = _generate(report, actor)
    if created:
        report.version += 1
        report.save(update_fields=["version", "updated_at"])
    audit_record(
        actor=actor,
        action="director_report.refresh",
        obj=report,
        after={"added": [_proposal_after(p) for p in created]},
    )
    return created


@transaction.atomic
def report_update(
    *,
    actor,
    report: DirectorReport,
    expected_version: int | None,
    title: str,
    number: str = "",
    report_date: date | None = None,
    summary: str = "",
) -> DirectorReport:
    """Edit the report's heading and the Director's general assessment (draft only)."""
    report = _editable(actor, report.pk)
    check_version(report, expected_version, ["title", "number", "report_date", "summary"])
    before = snapshot(report, REPORT_FIELDS)
    report.title = nfc(title).strip()
    report.number = nfc(number).strip()
    report.report_date = report_date
    report.summary = nfc(summary).strip()
    report.version += 1
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action="director_report.update",
        obj=report,
        before=before,
        after=snapshot(report, REPORT_FIELDS),
    )
    return report


def _report_units(report: DirectorReport) -> dict[int, Unit]:
    return {i.unit_id: i.unit for i in report_inspections(report)}


def _check_proposal(
    report: DirectorReport,
    *,
    kind: str,
    unit: Unit | None,
    official: Official | None,
    value: str,
    year: int,
    findings: list,
    recommendations: list,
    exclude_pk: int | None = None,
) -> None:
    _check(kind in VALUES_BY_KIND, _("Loại đề xuất không hợp lệ."))
    _check(
        value in VALUES_BY_KIND[kind],
        _("Nội dung đề xuất: “%(v)s” không phải một %(kind)s.")
        % {"v": value or "—", "kind": str(ProposalKind(kind).label).lower()},
    )
    _check(unit is not None, _("Đơn vị: chưa chọn đơn vị."))
    units = _report_units(report)
    _check(
        unit.pk in units,
        _("Đơn vị: %(unit)s không thuộc các cuộc kiểm tra của báo cáo này.") % {"unit": unit.name},
    )
    _check(2000 <= int(year) <= 2100, _("Năm đánh giá: phải từ 2000 đến 2100."))
    if kind != ProposalKind.HANDLING:
        _check(official is not None, _("Cán bộ: đề nghị kỷ luật và đề xuất xếp loại phải nêu cán bộ."))
    if official is not None:
        held = Appointment.objects.filter(official=official, unit_id__in=unit_with_predecessor_ids(unit.pk))
        _check(
            held.exists(),
            _("Cán bộ: %(name)s chưa từng được bổ nhiệm tại %(unit)s.")
            % {"name": official, "unit": unit.name},
        )
        if value == "cach_chuc":
            _check(
                held.filter(role__in=[AppointmentRole.HEAD, AppointmentRole.DEPUTY]).exists(),
                _(
                    "Cách chức chỉ áp dụng với người giữ chức vụ lãnh đạo, quản lý: %(name)s không phải "
                    "người đứng đầu hoặc cấp phó của %(unit)s."
                )
                % {"name": official, "unit": unit.name},
            )
    if kind == ProposalKind.CLASSIFICATION:
        heads_here = Appointment.objects.filter(
            official=official, unit_id=unit.pk, role=AppointmentRole.HEAD, start__lte=date(int(year), 12, 31)
        ).filter(Q(end__isnull=True) | Q(end__gte=date(int(year), 1, 1)))
        if heads_here.exists() and not _head_rated_by_chairman(official, int(year), unit.pk):
            raise ValidationError(
                _(
                    "Cán bộ: %(name)s là người đứng đầu %(unit)s, đơn vị thuộc cơ quan khác: do thủ "
                    "trưởng cơ quan đó xếp loại, không đề xuất Chủ tịch UBND tỉnh."
                )
                % {"name": official, "unit": unit.name}
            )
        if value != "khong_hoan_thanh" and official.pk in _overridden([official.pk], year):
            raise ValidationError(_("Nội dung đề xuất: ") + _override_message(official, year))
        duplicate = report.proposals.filter(kind=kind, official=official, year=year)
        if exclude_pk:
            duplicate = duplicate.exclude(pk=exclude_pk)
        _check(
            not duplicate.exists(),
            _("Báo cáo đã có đề xuất xếp loại năm %(year)d cho %(name)s.") % {"year": year, "name": official},
        )
    inspection_ids = {i.pk for i in report_inspections(report)}
    for finding in findings:
        _check(
            finding.inspection_id in inspection_ids and finding.status == FindingStatus.CONFIRMED,
            _("Phát hiện “%(f)s” không phải phát hiện đã xác nhận của các cuộc kiểm tra trong báo cáo.")
            % {"f": str(finding)[:80]},
        )
    for rec in recommendations:
        _check(
            rec.inspection_id in inspection_ids,
            _("Kiến nghị “%(r)s” không thuộc các cuộc kiểm tra trong báo cáo.") % {"r": str(rec)[:80]},
        )


@transaction.atomic
def proposal_add(
    *,
    actor,
    report: DirectorReport,
    kind: str,
    unit: Unit,
    value: str,
    official: Official | None = None,
    year: int | None = None,
    reasons: str = "",
    public_duty_violation: bool = True,
    findings: Iterable[Finding] = (),
    recommendations: Iterable[Recommendation] = (),
) -> Proposal:
    """The lead adds a proposal by hand (e.g. the classification of an official without a year result)."""
    report = _editable(actor, report.pk)
    findings, recommendations = list(findings), list(recommendations)
    year = int(year or report.year)
    _check_proposal(
        report,
        kind=kind,
        unit=unit,
        official=official,
        value=value,
        year=year,
        findings=findings,
        recommendations=recommendations,
    )
    order = (report.proposals.aggregate(m=Max("order"))["m"] or 0) + 1
    proposal = Proposal(
        report=report,
        kind=kind,
        unit=unit,
        official=official,
        value=value,
        year=year,
        reasons=nfc(reasons).strip(),
        public_duty_violation=public_duty_violation,
        origin=ProposalOrigin.LEAD,
        order=order,
        created_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    proposal.findings.set(findings)
    proposal.recommendations.set(recommendations)
    audit_record(actor=actor, action="proposal.add", obj=proposal, after=_proposal_after(proposal))
    return proposal


@transaction.atomic
def proposal_update(
    *,
    actor,
    proposal: Proposal,
    expected_version: int | None,
    value: str,
    reasons: str,
    public_duty_violation: bool = True,
    year: int | None = None,
    findings: Iterable[Finding] | None = None,
) -> Proposal:
    """The lead changes what is proposed, the reasons, the year or the linked findings (draft only)."""
    _editable(actor, proposal.report_id)
    proposal = lock_row(Proposal, proposal.pk)
    check_version(proposal, expected_version, ["value", "reasons", "public_duty_violation", "year"])
    findings = list(proposal.findings.all()) if findings is None else list(findings)
    year = int(year or proposal.year)
    _check_proposal(
        proposal.report,
        kind=proposal.kind,
        unit=proposal.unit,
        official=proposal.official,
        value=value,
        year=year,
        findings=findings,
        recommendations=list(proposal.recommendations.all()),
        exclude_pk=proposal.pk,
    )
    before = _proposal_after(proposal)
    proposal.value = value
    proposal.reasons = nfc(reasons).strip()
    proposal.public_duty_violation = public_duty_violation
    proposal.year = year
    if proposal.origin == ProposalOrigin.EVALUATION and value != before["value"]:
        proposal.origin = ProposalOrigin.LEAD
    proposal.version += 1
    proposal.full_clean()
    proposal.save()
    proposal.findings.set(findings)
    audit_record(
        actor=actor, action="proposal.update", obj=proposal, before=before, after=_proposal_after(proposal)
    )
    return proposal


@transaction.atomic
def proposal_delete(*, actor, proposal: Proposal) -> None:
    """The lead drops a proposal from the draft (a regenerated report brings it back only through
    "refresh", which the lead runs on purpose)."""
    _editable(actor, proposal.report_id)
    proposal = lock_row(Proposal, proposal.pk)
    before = _proposal_after(proposal)
    audit_record(actor=actor, action="proposal.delete", obj=proposal, before=before)
    proposal.delete()


@transaction.atomic
def report_submit(*, actor, report: DirectorReport) -> DirectorReport:
    """Submit the draft to the Chairman: it must hold at least one proposal; the assembled results are
    frozen so the report read by the Chairman never changes with later data."""
    from congvu.proposals.selectors import assemble_results

    report = _editable(actor, report.pk)
    _check(report.proposals.exists(), _("Báo cáo chưa có đề xuất nào: chưa trình được."))
    before = snapshot(report, REPORT_FIELDS)
    report.frozen_context = assemble_results(report)
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.version += 1
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action="director_report.submit",
        obj=report,
        before=before,
        after={**snapshot(report, REPORT_FIELDS), "proposals": report.proposals.count()},
    )
    _notify(
        _active(role="leadership"),
        _("Sở Nội vụ trình: %(title)s (%(n)d đề xuất)")
        % {"title": report.title, "n": report.proposals.count()},
        report,
        f"proposals-submit-{report.pk}",
    )
    return report


def allowed_decision_values(proposal: Proposal) -> dict:
    """What the Chairman may decide instead of the proposal (outcome "changed")."""
    if proposal.kind == ProposalKind.DISCIPLINE:
        return DISCIPLINE_DECISION_VALUES
    if proposal.kind == ProposalKind.CLASSIFICATION:
        return BANDS
    return HANDLING_FORMS


def decision_effects(proposal: Proposal, outcome: str, value: str) -> list[str]:
    """What recording this decision writes into the official's year record, in words (shown on the
    confirmation step)."""
    final = (
        ""
        if outcome == DecisionOutcome.REJECTED
        else (value if outcome == DecisionOutcome.CHANGED else proposal.value)
    )
    if not final or proposal.official_id is None:
        return []
    if final in DISCIPLINE_FORMS:
        return [
            _("Ghi hình thức kỷ luật “%(form)s” vào hồ sơ năm của %(name)s%(override)s.")
            % {
                "form": value_label(final),
                "name": proposal.official,
                "override": _(" (vi phạm trong thi hành công vụ: năm đó xếp loại không hoàn thành nhiệm vụ)")
                if proposal.public_duty_violation
                else "",
            }
        ]
    if final in HANDLING_TO_RECORD:
        return [
            _("Ghi hình thức “%(form)s” (không phải kỷ luật) vào hồ sơ năm của %(name)s.")
            % {"form": value_label(final), "name": proposal.official}
        ]
    if final in BANDS:
        return [
            _("Ghi kết quả xếp loại năm %(year)d của %(name)s: %(band)s (cấp có thẩm quyền đã quyết định).")
            % {"year": proposal.year, "name": proposal.official, "band": value_label(final)}
        ]
    return []


def decided_value(proposal: Proposal, outcome: str, value: str = "") -> str:
    """What a decision decides (the proposal's value, the changed one, or "" when rejected), after
    checking it: a change names another allowed value; a classification of an official disciplined in
    the year can only be "không hoàn thành". Raises ValidationError naming the field; used by the form's
    first step and again by `decision_record`."""
    _check(
        outcome in DecisionOutcome.values,
        _("Ý kiến của Chủ tịch: chưa chọn đồng ý, quyết định khác hay không đồng ý."),
    )
    if outcome == DecisionOutcome.REJECTED:
        return ""
    final = proposal.value
    if outcome == DecisionOutcome.CHANGED:
        allowed = allowed_decision_values(proposal)
        _check(
            value in allowed,
            _("Nội dung quyết định: chọn một trong: %(v)s.")
            % {"v": ", ".join(str(x) for x in allowed.values())},
        )
        _check(value != proposal.value, _("Nội dung quyết định trùng với đề xuất: hãy chọn “Đồng ý”."))
        final = value
    if (
        proposal.kind == ProposalKind.CLASSIFICATION
        and final != "khong_hoan_thanh"
        and proposal.official_id in _overridden([proposal.official_id], proposal.year)
    ):
        raise ValidationError(
            _("Nội dung quyết định: ") + _override_message(proposal.official, proposal.year)
        )
    return final


@transaction.atomic
def decision_record(
    *,
    actor,
    proposal: Proposal,
    outcome: str,
    document_number: str,
    document_date: date | None,
    signed_by: str,
    value: str = "",
    effective_date: date | None = None,
    note: str = "",
) -> Decision:
    """Record the Chairman's decision on one proposal, with its document. Leadership records it, or
    the lead on the Chairman's behalf (flagged). An accepted or changed discipline (or a reminder or
    criticism of an official) is written to the official's year record through
    `evaluation.services.discipline_record`; a classification through `year_result_decide`. When
    every proposal of the report is decided, the report is decided."""
    policy.require_decider(actor)
    report = lock_row(DirectorReport, proposal.report_id)
    proposal = lock_row(Proposal, proposal.pk)
    _check(
        report.status == ReportStatus.SUBMITTED,
        _("Chỉ ghi nhận quyết định khi báo cáo đã trình và chưa quyết định xong (hiện: %(s)s).")
        % {"s": report.get_status_display()},
    )
    _check(not Decision.objects.filter(proposal=proposal).exists(), _("Đề xuất này đã có quyết định."))
    document_number = nfc(document_number or "").strip()
    signed_by = nfc(signed_by or "").strip()
    _check(bool(document_number), _("Số, ký hiệu văn bản quyết định: bắt buộc."))
    _check(document_date is not None, _("Ngày văn bản: bắt buộc."))
    _check(document_date <= timezone.localdate(), _("Ngày văn bản: không được sau hôm nay."))
    _check(bool(signed_by), _("Người ký: bắt buộc (ví dụ: Chủ tịch UBND tỉnh Nguyễn Văn A)."))
    final = decided_value(proposal, outcome, value)
    if final in DISCIPLINE_FORMS or final in HANDLING_TO_RECORD:
        effective_date = effective_date or document_date
    else:
        effective_date = None
    decision = Decision(
        proposal=proposal,
        outcome=outcome,
        value=final,
        document_number=document_number,
        document_date=document_date,
        signed_by=signed_by,
        effective_date=effective_date,
        note=nfc(note or "").strip(),
        recorded_by=actor,
        on_behalf=not actor.has_role("leadership"),
        recorded_at=timezone.now(),
    )
    decision.full_clean()
    decision.save()
    _flow_into_year_record(actor, proposal, decision)
    audit_record(
        actor=actor, action="decision.record", obj=decision, after=snapshot(decision, DECISION_FIELDS)
    )
    # The unit concerned learns of the decision (and from now on sees it).
    _notify(
        _active(unit_id=proposal.unit_id, role__in=["focal", "unit_head"]),
        _("Chủ tịch UBND tỉnh đã quyết định: %(what)s — %(outcome)s")
        % {"what": proposal, "outcome": decision.get_outcome_display()},
        report,
        f"proposals-decision-{decision.pk}",
    )
    if not report.proposals.filter(decision__isnull=True).exists():
        if report.created_by_id:
            _notify(
                _active(pk=report.created_by_id),
                _("Chủ tịch UBND tỉnh đã quyết định xong mọi đề xuất: %(title)s") % {"title": report.title},
                report,
                f"proposals-decided-{report.pk}",
            )
        before = snapshot(report, REPORT_FIELDS)
        report.status = ReportStatus.DECIDED
        report.decided_at = timezone.now()
        report.version += 1
        report.full_clean()
        report.save()
        audit_record(
            actor=actor,
            action="director_report.decided",
            obj=report,
            before=before,
            after=snapshot(report, REPORT_FIELDS),
        )
    return decision


def _flow_into_year_record(actor, proposal: Proposal, decision: Decision) -> None:
    final = decision.value
    if not final or proposal.official_id is None:
        return
    report = proposal.report
    source = _("%(report)s — đề xuất #%(id)d") % {"report": report.number or report.title, "id": proposal.pk}
    if final in DISCIPLINE_FORMS or final in HANDLING_TO_RECORD:
        from congvu.evaluation.services import discipline_record

        record = discipline_record(
            actor=actor,
            official=proposal.official,
            form=final if final in DISCIPLINE_FORMS else HANDLING_TO_RECORD[final],
            effective_date=decision.effective_date,
            decision_number=decision.document_number,
            decision_date=decision.document_date,
            public_duty_violation=proposal.public_duty_violation,
            source_description=source[:500],
        )
        decision.discipline_record = record
        decision.save(update_fields=["discipline_record"])
    elif final in BANDS:
        from congvu.evaluation.services import year_result_decide

        result = year_result_decide(
            actor=actor,
            official=proposal.official,
            year=proposal.year,
            band=final,
            decision_document=f"{decision.document_number} ngày {decision.document_date:%d/%m/%Y}",
            note=source,
        )
        decision.year_result = result
        decision.save(update_fields=["year_result"])
