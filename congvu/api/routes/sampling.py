"""Samples (read): through the sampling selectors, so the unit sees a sample only once drawn."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router

from congvu.api.routes.common import (
    READ_ERRORS,
    id_path,
    limit_query,
    offset_query,
    optional_id_query,
    paginate,
    text_query,
)
from congvu.api.schemas import SampleItemOut, SampleOut, page_of
from congvu.sampling.models import SampleStatus
from congvu.sampling.selectors import sample_get, sample_items, sample_list

router = Router(tags=["sampling"])

StatusValue = Literal[tuple(SampleStatus.values)]  # type: ignore[valid-type]


@router.get("/samples", response={200: page_of(SampleOut), **READ_ERRORS}, summary="Mẫu kiểm tra")
def samples(
    request,
    q: str = text_query(max_length=200),
    status: StatusValue | None = None,
    register_: Literal["tasks", "dossiers"] | None = Query(None, alias="register"),
    inspection: int | None = optional_id_query("cuộc kiểm tra"),
    limit: int = limit_query(),
    offset: int = offset_query(),
):
    qs = sample_list(
        fetched_by=request.user,
        query=q,
        status=status or "",
        register=register_ or "",
        inspection_id=inspection,
    )
    return paginate(qs.order_by("-created_at", "-pk"), limit=limit, offset=offset)


@router.get("/samples/{pk}", response={200: SampleOut, **READ_ERRORS}, summary="Một mẫu")
def sample_detail(request, pk: int = id_path()):
    return sample_get(fetched_by=request.user, pk=pk)


@router.get(
    "/samples/{pk}/items", response={200: page_of(SampleItemOut), **READ_ERRORS}, summary="Bản ghi đã rút"
)
def sample_item_list(request, pk: int = id_path(), limit: int = limit_query(), offset: int = offset_query()):
    sample = sample_get(fetched_by=request.user, pk=pk)
    qs = sample_items(fetched_by=request.user, sample=sample).order_by("stratum__field_code", "rank", "pk")
    page = paginate(qs, limit=limit, offset=offset)
    page["items"] = [
        {
            "id": item.pk,
            "field_code": item.stratum.field_code,
            "rank": item.rank,
            "record_code": item.record_code,
            "dossier": item.dossier_id,
            "task": item.task_id,
        }
        for item in page["items"]
    ]
    return page
