"""Inspections, findings, recommendations and remediation reports: reads through the inspection
selectors (the unit sees only what it has been told of), writes through the inspection services
(the team records a finding; the unit's focal point starts and submits a remediation report)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from ninja import Query, Router, Status

from congvu.api.routes.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    id_path,
    limit_query,
    offset_query,
    optional_id_query,
    paginate,
    text_query,
)
from congvu.api.schemas import (
    FindingIn,
    FindingOut,
    InspectionOut,
    RecommendationOut,
    RemediationReportIn,
    RemediationReportOut,
    page_of,
)
from congvu.inspections import selectors, services
from congvu.inspections.models import FindingCategory, Severity
from congvu.org.models import Official
from congvu.registers.models import Dossier, Task

router = Router(tags=["inspections"])


@router.get("/inspections", response={200: page_of(InspectionOut), **READ_ERRORS}, summary="Cuộc kiểm tra")
def inspections(
    request,
    q: str = text_query(max_length=200),
    status: str = text_query(max_length=30),
    kind: str = text_query(max_length=10),
    unit: int | None = optional_id_query("đơn vị được kiểm tra"),
    year: int | None = Query(None, ge=1990, le=2100),
    limit: int = limit_query(),
    offset: int = offset_query(),
):
    qs = selectors.inspection_list(
        fetched_by=request.user, query=q, status=status, kind=kind, unit_id=unit, year=year
    )
    return paginate(qs.order_by("-period_to", "-pk"), limit=limit, offset=offset)


@router.get("/inspections/{pk}", response={200: InspectionOut, **READ_ERRORS}, summary="Một cuộc kiểm tra")
def inspection_detail(request, pk: int = id_path()):
    return selectors.inspection_get(fetched_by=request.user, pk=pk)


@router.get(
    "/inspections/{pk}/findings",
    response={200: page_of(FindingOut), **READ_ERRORS},
    summary="Phát hiện của một cuộc kiểm tra",
)
def findings(request, pk: int = id_path(), limit: int = limit_query(), offset: int = offset_query()):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    qs = selectors.findings_for(fetched_by=request.user, inspection=inspection)
    return paginate(qs, limit=limit, offset=offset)


def _visible(model, user, ids: list[int], label: str) -> list:
    found = list(model.objects.visible_to(user).filter(pk__in=set(ids)))
    missing = sorted(set(ids) - {obj.pk for obj in found})
    if missing:
        raise ValidationError({label: f"Không tìm thấy: {', '.join(map(str, missing))}."})
    return found


@router.post(
    "/inspections/{pk}/findings",
    response={201: FindingOut, **WRITE_ERRORS},
    summary="Ghi một phát hiện (đoàn kiểm tra)",
)
def finding_create(request, payload: FindingIn, pk: int = id_path()):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    if payload.category not in FindingCategory.values:
        raise ValidationError(
            {"category": f"Loại không hợp lệ; chọn một trong {', '.join(FindingCategory.values)}."}
        )
    if payload.severity not in Severity.values:
        raise ValidationError(
            {"severity": f"Mức độ không hợp lệ; chọn một trong {', '.join(Severity.values)}."}
        )
    responsible = None
    if payload.responsible is not None:
        responsible = _visible(Official, request.user, [payload.responsible], "responsible")[0]
    finding = services.finding_record(
        actor=request.user,
        inspection=inspection,
        description=payload.description,
        category=payload.category,
        severity=payload.severity,
        responsible=responsible,
        tasks=_visible(Task, request.user, payload.tasks, "tasks"),
        dossiers=_visible(Dossier, request.user, payload.dossiers, "dossiers"),
    )
    return Status(201, finding)


@router.get("/findings/{pk}", response={200: FindingOut, **READ_ERRORS}, summary="Một phát hiện")
def finding_detail(request, pk: int = id_path()):
    return selectors.finding_get(fetched_by=request.user, pk=pk)


@router.get(
    "/inspections/{pk}/recommendations",
    response={200: page_of(RecommendationOut), **READ_ERRORS},
    summary="Kiến nghị của một cuộc kiểm tra",
)
def recommendations(request, pk: int = id_path(), limit: int = limit_query(), offset: int = offset_query()):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    qs = selectors.recommendations_for(fetched_by=request.user, inspection=inspection).order_by("pk")
    return paginate(qs, limit=limit, offset=offset)


@router.get(
    "/recommendations/{pk}", response={200: RecommendationOut, **READ_ERRORS}, summary="Một kiến nghị"
)
def recommendation_detail(request, pk: int = id_path()):
    return selectors.recommendation_get(fetched_by=request.user, pk=pk)


def _report_out(report, user) -> dict:
    """The team reads the unit's text only once the unit head approved it (as on the page): the
    selector decides (`answer_visible`, `answer_text`)."""
    if not hasattr(report, "answer_visible"):  # a row fresh from a service: read back through the scope
        report = selectors.response_get(fetched_by=user, kind="report", pk=report.pk)
    return {
        "id": report.pk,
        "recommendation": report.recommendation_id,
        "response_text": report.answer_text if report.answer_visible else None,
        "response_status": report.response_status,
        "submitted_at": report.submitted_at,
        "approved_at": report.approved_at,
        "review_status": report.review_status,
        "review_note": report.review_note,
        "reviewed_at": report.reviewed_at,
        "created_at": report.created_at,
        "version": report.version,
    }


@router.get(
    "/recommendations/{pk}/reports",
    response={200: page_of(RemediationReportOut), **READ_ERRORS},
    summary="Báo cáo khắc phục của một kiến nghị",
)
def reports(request, pk: int = id_path(), limit: int = limit_query(), offset: int = offset_query()):
    recommendation = selectors.recommendation_get(fetched_by=request.user, pk=pk)
    page = paginate(
        selectors.reports_for(fetched_by=request.user, recommendation=recommendation),
        limit=limit,
        offset=offset,
    )
    page["items"] = [_report_out(r, request.user) for r in page["items"]]
    return page


@router.post(
    "/recommendations/{pk}/reports",
    response={201: RemediationReportOut, **WRITE_ERRORS},
    summary="Lập báo cáo khắc phục (đơn vị), và trình thủ trưởng khi `submit`",
)
def report_create(request, payload: RemediationReportIn, pk: int = id_path()):
    recommendation = selectors.recommendation_get(fetched_by=request.user, pk=pk)
    report = services.remediation_report_start(
        actor=request.user,
        recommendation=recommendation,
        response_text=payload.response_text,
        submit=payload.submit,
    )
    return Status(201, _report_out(report, request.user))


@router.get(
    "/remediation-reports/{pk}",
    response={200: RemediationReportOut, **READ_ERRORS},
    summary="Một báo cáo khắc phục",
)
def report_detail(request, pk: int = id_path()):
    report = selectors.response_get(fetched_by=request.user, kind="report", pk=pk)
    return _report_out(report, request.user)


@router.post(
    "/remediation-reports/{pk}/submit",
    response={200: RemediationReportOut, **WRITE_ERRORS},
    summary="Trình thủ trưởng duyệt báo cáo khắc phục (đơn vị)",
)
def report_submit(request, pk: int = id_path()):
    report = selectors.response_get(fetched_by=request.user, kind="report", pk=pk)
    report = services.unit_response_submit(actor=request.user, response=report)
    return _report_out(report, request.user)
