"""Scoped reads of Director's reports (STYLE §4), and the plain-data context of one report that the
pages and the documents app render.

Province-wide roles read every report. A unit role sees a report only once submitted and only
through the Chairman's decided proposals concerning its unit; another unit's report is a 404.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from congvu.core.numbers import number, percent
from congvu.core.scoping import get_visible_or_404
from congvu.inspections.models import (
    ChecklistSubject,
    FindingStatus,
    Inspection,
    ItemResult,
)
from congvu.inspections.prefill import FIGURE_LABELS, RATE_FIGURES
from congvu.inspections.workflow import status_label
from congvu.proposals.models import (
    DirectorReport,
    Proposal,
    ProposalKind,
    ReportKind,
    ReportStatus,
)
from congvu.proposals.services import CONCLUDED_STATUSES, report_inspections


def _is_unit_role(user) -> bool:
    return bool(getattr(user, "is_unit_role", False))


def reports_visible(fetched_by) -> QuerySet:
    return DirectorReport.objects.visible_to(fetched_by)


def report_list(*, fetched_by) -> QuerySet:
    """Reports the user may open, with their proposal counts (for a unit role: its decided ones); the
    list page narrows them with `proposals.filters.ReportFilter`."""
    qs = reports_visible(fetched_by).select_related("inspection", "inspection__unit")
    counted = Q()
    if _is_unit_role(fetched_by):
        from congvu.core.scoping import visible_unit_ids

        counted = Q(proposals__unit_id__in=visible_unit_ids(fetched_by), proposals__decision__isnull=False)
    return qs.annotate(
        proposal_count=Count("proposals", filter=counted, distinct=True),
        decided_count=Count(
            "proposals", filter=counted & Q(proposals__decision__isnull=False), distinct=True
        ),
    )


def report_get(*, fetched_by, pk) -> DirectorReport:
    return get_visible_or_404(
        reports_visible(fetched_by).select_related("inspection", "inspection__unit", "created_by"),
        fetched_by,
        pk=pk,
    )


def report_for_inspection(*, fetched_by, inspection: Inspection) -> DirectorReport | None:
    return reports_visible(fetched_by).filter(inspection=inspection).first()


def proposals_for(*, fetched_by, report: DirectorReport) -> QuerySet:
    """The report's proposals the user may read: all of them for province-wide roles; for a unit
    role only the decided ones concerning its unit."""
    qs = Proposal.objects.visible_to(fetched_by).filter(report=report)
    if _is_unit_role(fetched_by):
        if report.status == ReportStatus.DRAFT:
            return qs.none()
        qs = qs.filter(decision__isnull=False)
    return qs.select_related("unit", "official", "decision", "decision__recorded_by").prefetch_related(
        "findings", "recommendations"
    )


def proposal_get(*, fetched_by, pk) -> Proposal:
    """One proposal (for editing or deciding), through its report's scope and its own."""
    proposal = get_visible_or_404(
        Proposal.objects.select_related("report", "unit", "official"), fetched_by, pk=pk
    )
    report_get(fetched_by=fetched_by, pk=proposal.report_id)
    return get_visible_or_404(proposals_for(fetched_by=fetched_by, report=proposal.report), fetched_by, pk=pk)


def inspections_for_report(*, fetched_by) -> QuerySet:
    """Concluded inspections that have no report yet (the lead's choice when creating one)."""
    if not getattr(fetched_by, "is_authenticated", False) or not fetched_by.is_province_wide:
        return Inspection.objects.none()
    return (
        Inspection.objects.filter(status__in=CONCLUDED_STATUSES, director_reports__isnull=True)
        .select_related("unit")
        .order_by("-conclusion_date", "-pk")
    )


# --- The report's contents as plain data ------------------------------------------------------


def _d(value) -> str:
    """Dates as the documents and pages show them: dd/mm/yyyy (empty when missing)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d/%m/%Y")


def _figure(name: str, value) -> str:
    """A frozen figure in the active language: 81,5% / 81.5%, 2,5 / 2.5, 4.000 / 4,000."""
    if value is None or value == "":
        return "—"
    if name in RATE_FIGURES:
        return percent(value)
    if isinstance(value, float):
        return number(value, 1)
    return number(value) if isinstance(value, int) else str(value)


def _localized(data):
    """The frozen results with their figure labels, group labels and values in the active language
    (they were frozen as text in the language of whoever submitted): a figure's label from its name,
    its value from its raw number when the freeze kept it, a group's label through the catalogue."""
    if isinstance(data, list):
        return [_localized(v) for v in data]
    if not isinstance(data, dict):
        return data
    out = {k: _localized(v) for k, v in data.items()}
    if "name" in out and "label" in out and "value" in out:
        out["label"] = str(FIGURE_LABELS.get(out["name"], out["label"]))
        if "raw" in out:
            out["value"] = _figure(out["name"], out["raw"])
    elif isinstance(out.get("label"), str) and "figures" in out and out["label"]:
        out["label"] = gettext(out["label"])
    return out


def _result_counts(items) -> dict:
    counts = {"passed": 0, "failed": 0, "not_applicable": 0, "unanswered": 0}
    for item in items:
        counts[item.result or "unanswered"] += 1
    return counts


def _inspection_results(inspection: Inspection) -> dict:
    """One inspection's results: checklists (unit and each head/deputy, with the frozen figures),
    confirmed findings, recommendations and sample results."""
    from congvu.sampling.models import Sample, SampleStatus
    from congvu.sampling.selectors import sample_results

    findings = list(
        inspection.findings.filter(status=FindingStatus.CONFIRMED)
        .select_related("responsible")
        .order_by("pk")
    )
    unit_checklist, leaders = None, []
    for sheet in inspection.checklists.select_related("official", "appointment").prefetch_related("items"):
        items = list(sheet.items.all())
        failed = [
            {"section": i.section_title, "text": i.text, "notes": i.notes}
            for i in items
            if i.result == ItemResult.FAILED
        ]
        if sheet.subject == ChecklistSubject.UNIT:
            unit_checklist = {"title": sheet.title, "counts": _result_counts(items), "failed": failed}
            continue
        figures = []
        for item in items:
            if not item.snapshot:
                continue
            figures.append(
                {
                    "item": item.text,
                    "result": item.get_result_display() if item.result else "",
                    "as_of": _d(item.snapshot_as_of),
                    "groups": [
                        {
                            "label": group.get("label", ""),
                            "figures": [
                                {
                                    "name": name,
                                    "label": str(FIGURE_LABELS.get(name, name)),
                                    "value": _figure(name, v),
                                    "raw": v,  # so a frozen report is shown in the reader's language
                                }
                                for name, v in group.get("figures", {}).items()
                            ],
                        }
                        for group in item.snapshot.get("groups", [])
                    ],
                }
            )
        official = sheet.official
        leaders.append(
            {
                "official_id": official.pk if official else None,
                "name": official.full_name if official else "",
                "code": official.code if official else "",
                "subject": sheet.subject,
                "subject_label": str(ChecklistSubject(sheet.subject).label),
                "title": sheet.appointment.title if sheet.appointment else "",
                "period_from": _d(sheet.period_from),
                "period_to": _d(sheet.period_to),
                "counts": _result_counts(items),
                "failed": failed,
                "figures": figures,
                "finding_ids": [f.pk for f in findings if official and f.responsible_id == official.pk],
                "finding_refs": [
                    {"id": f.pk, "number": f.display_number}
                    for f in findings
                    if official and f.responsible_id == official.pk
                ],
            }
        )
    samples = []
    for sample in Sample.objects.filter(inspection=inspection, status=SampleStatus.DRAWN).order_by("pk"):
        results = sample_results(sample=sample)
        samples.append(
            {
                "id": sample.pk,
                "title": sample.title,
                "register": sample.get_register_display(),
                "population": sample.population_size,
                "sample_size": results.sample_size,
                "reviewed": results.combined.reviewed,
                "deviations": results.combined.deviations,
                "sentence": results.combined_sentence,
                "fields": [f.sentence for f in results.fields],
            }
        )
    recommendations = [
        {
            "id": r.pk,
            "kind": r.kind,
            "kind_label": r.get_kind_display(),
            "addressee": r.addressee,
            "official": r.official.full_name if r.official else "",
            "content": r.content,
            "deadline": _d(r.deadline),
            "status_label": r.get_status_display(),
        }
        for r in inspection.recommendations.select_related("official").order_by("pk")
    ]
    return {
        "id": inspection.pk,
        "title": inspection.title,
        "kind_label": inspection.get_kind_display(),
        "decision_number": inspection.decision_number,
        "decision_date": _d(inspection.decision_date),
        "conclusion_number": inspection.conclusion_number,
        "conclusion_date": _d(inspection.conclusion_date),
        "conclusion_summary": inspection.conclusion_summary,
        "period_from": _d(inspection.period_from),
        "period_to": _d(inspection.period_to),
        "status_label": str(status_label(inspection.status)),
        "unit_checklist": unit_checklist,
        "leaders": leaders,
        "findings": [
            {
                "id": f.pk,
                "number": f.display_number,
                "description": f.description,
                "category_label": f.get_category_display(),
                "severity_label": f.get_severity_display(),
                "responsible_id": f.responsible_id,
                "responsible": f.responsible.full_name if f.responsible else "",
                "has_recommendation": f.recommendations.exists(),
            }
            for f in findings
        ],
        "recommendations": recommendations,
        "samples": samples,
    }


def assemble_results(report: DirectorReport) -> dict:
    """The results the report covers, per unit, as JSON-safe plain data (frozen on submission)."""
    units: dict[int, dict] = {}
    for inspection in report_inspections(report):
        unit = units.setdefault(
            inspection.unit_id,
            {
                "id": inspection.unit_id,
                "code": inspection.unit.code,
                "name": inspection.unit.name,
                "inspections": [],
            },
        )
        unit["inspections"].append(_inspection_results(inspection))
    return {"units": list(units.values())}


def _proposal_data(p: Proposal) -> dict:
    decision = getattr(p, "decision", None)
    return {
        "id": p.pk,
        "kind": p.kind,
        "kind_label": p.get_kind_display(),
        "unit_id": p.unit_id,
        "unit": p.unit.name,
        "official_id": p.official_id,
        "official": p.official.full_name if p.official else "",
        "official_code": p.official.code if p.official else "",
        "value": p.value,
        "value_label": p.value_label,
        "year": p.year,
        "reasons": p.reasons,
        "origin_label": p.get_origin_display(),
        "public_duty_violation": p.public_duty_violation,
        "finding_ids": [f.pk for f in p.findings.all()],
        "finding_refs": [{"id": f.pk, "number": f.display_number} for f in p.findings.all()],
        "recommendation_ids": [r.pk for r in p.recommendations.all()],
        "decision": None
        if decision is None
        else {
            "outcome": decision.outcome,
            "outcome_label": decision.get_outcome_display(),
            "value": decision.value,
            "value_label": decision.value_label,
            "document_number": decision.document_number,
            "document_date": _d(decision.document_date),
            "signed_by": decision.signed_by,
            "effective_date": _d(decision.effective_date),
            "note": decision.note,
            "recorded_by": str(decision.recorded_by or ""),
            "on_behalf": decision.on_behalf,
        },
    }


def report_context(report: DirectorReport, *, fetched_by=None) -> dict:
    """Plain data for a page or a document (the documents app's `report`, `proposal` and
    `year-report` kinds): the report's heading, the results per unit and per head/deputy (frozen at
    submission, live while a draft), and the proposals with the Chairman's decisions. Dates are
    dd/mm/yyyy strings. With `fetched_by` a unit role gets only its own decided proposals and no
    results of other units; without it (documents issued by DoHA) everything."""
    results = _localized(report.frozen_context) if report.frozen_context else assemble_results(report)
    if fetched_by is not None:
        proposals = proposals_for(fetched_by=fetched_by, report=report)
    else:
        proposals = report.proposals.select_related("unit", "official", "decision", "decision__recorded_by")
        proposals = proposals.prefetch_related("findings", "recommendations")
    proposal_rows = [_proposal_data(p) for p in proposals.order_by("order", "pk")]
    units = results.get("units", [])
    if fetched_by is not None and _is_unit_role(fetched_by):
        shown = {p["unit_id"] for p in proposal_rows}
        units = [u for u in units if u["id"] in shown]
    by_kind = {k: [p for p in proposal_rows if p["kind"] == k] for k in ProposalKind.values}
    province_wide = fetched_by is None or not _is_unit_role(fetched_by)
    return {
        "report": {
            "id": report.pk,
            "kind": report.kind,
            "kind_label": report.get_kind_display(),
            "year": report.year,
            "title": report.title,
            "number": report.number,
            "report_date": _d(report.report_date),
            "summary": report.summary,
            "status": report.status,
            "status_label": report.get_status_display(),
            "frozen": report.frozen_context is not None,
            "submitted_at": _d(report.submitted_at),
            "decided_at": _d(report.decided_at),
            "inspection_id": report.inspection_id if report.kind == ReportKind.INSPECTION else None,
        },
        "units": units,
        "proposals": proposal_rows,
        "handling": by_kind[ProposalKind.HANDLING],
        "discipline": by_kind[ProposalKind.DISCIPLINE],
        "classification": by_kind[ProposalKind.CLASSIFICATION],
        "decided": sum(1 for p in proposal_rows if p["decision"]),
        "undecided": sum(1 for p in proposal_rows if not p["decision"]),
        "without_classification": _without_classification(report) if province_wide else [],
        "earlier": _earlier_proposals(report) if province_wide else [],
    }


def _without_classification(report: DirectorReport) -> list[dict]:
    """Heads and deputies of the report's inspections for whom no report proposes a classification
    for the year: the lead enters one by hand when the evaluation app holds no year result."""
    from congvu.proposals.services import _leaders, inspection_year

    proposed = set(
        Proposal.objects.filter(kind=ProposalKind.CLASSIFICATION)
        .exclude(decision__outcome="rejected")
        .values_list("official_id", "year")
    )
    rows, seen = [], set()
    for inspection in report_inspections(report):
        year = report.year if report.kind == ReportKind.YEAR else inspection_year(inspection)
        for official, subject in _leaders(inspection):
            key = (official.pk, year)
            if key in proposed or key in seen:
                continue
            seen.add(key)
            rows.append(
                {
                    "official_id": official.pk,
                    "name": official.full_name,
                    "unit_id": inspection.unit_id,
                    "unit": inspection.unit.name,
                    "subject_label": str(ChecklistSubject(subject).label),
                    "year": year,
                }
            )
    return rows


def _earlier_proposals(report: DirectorReport) -> list[dict]:
    """For a year report: the proposals already made in the reports on the year's inspections, with
    the Chairman's decisions, so the year's picture is whole."""
    if report.kind != ReportKind.YEAR:
        return []
    inspection_ids = [i.pk for i in report_inspections(report)]
    earlier = (
        Proposal.objects.filter(report__inspection_id__in=inspection_ids)
        .select_related("unit", "official", "decision", "decision__recorded_by", "report")
        .prefetch_related("findings", "recommendations")
        .order_by("unit__name", "report_id", "order", "pk")
    )
    return [{**_proposal_data(p), "report_id": p.report_id, "report": p.report.title} for p in earlier]
