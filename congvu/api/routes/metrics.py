"""Metrics: the performance engine's figures, as `congvu metrics --format json` gives them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Query, Router

from congvu.api.routes.common import READ_ERRORS, text_query
from congvu.api.schemas import MetricsOut
from congvu.metrics.engine import compute_metrics, ordinal_on, register_model
from congvu.metrics.selectors import filter_records, scorecard_unit

router = Router(tags=["metrics"])

# Dates the working-day table can hold; a year like 9999 is refused, never computed.
_EARLIEST, _LATEST = date(1990, 1, 1), date(2100, 12, 31)


def _in_range(name: str, day: date | None) -> None:
    if day is not None and not (_EARLIEST <= day <= _LATEST):
        raise ValidationError({name: f"Ngày {day:%d/%m/%Y} nằm ngoài khoảng 1990–2100."})


@router.get("/metrics", response={200: MetricsOut, **READ_ERRORS}, summary="Chỉ số thực hiện")
def metrics(
    request,
    unit: str = text_query(
        "mã đơn vị (kể cả đơn vị tiền thân); bỏ trống: mọi đơn vị bạn thấy", max_length=50
    ),
    register_: Literal["tasks", "dossiers"] = Query("tasks", alias="register"),
    date_from: date | None = Query(None, alias="from", description="nhận từ ngày (ISO)"),  # noqa: B008
    date_to: date | None = Query(None, alias="to", description="nhận đến ngày (ISO)"),  # noqa: B008
    as_of: date | None = Query(None, description="ngày báo cáo (mặc định: hôm nay)"),  # noqa: B008
    by: Literal["official", "field", "month", "unit"] | None = None,
    with_predecessors: bool = True,
):
    register = register_
    for name, day in (("from", date_from), ("to", date_to), ("as_of", as_of)):
        _in_range(name, day)
    if date_from and date_to and date_from > date_to:
        raise ValidationError({"from": "Ngày “từ” sau ngày “đến”: khoảng thời gian rỗng."})
    as_of = as_of or timezone.localdate()
    scoped_unit = scorecard_unit(fetched_by=request.user, code=unit.strip()) if unit.strip() else None
    if scoped_unit is None:
        by = by or "unit"
    records = filter_records(
        register_model(register).objects.visible_to(request.user),
        register=register,
        unit=scoped_unit,
        with_predecessors=with_predecessors,
        date_from=date_from,
        date_to=date_to,
    )
    warnings = []
    if ordinal_on(as_of) is None:
        warnings.append(
            f"Ngày báo cáo {as_of:%d/%m/%Y} nằm ngoài bảng ngày làm việc; số ngày quá hạn không tính được."
        )
    rows = compute_metrics(register=register, records=records, as_of=as_of, by=by)
    context = {
        "register": register,
        "unit": scoped_unit.code if scoped_unit else None,
        "as_of": as_of.isoformat(),
        "date_from": date_from.isoformat() if date_from else None,
        "date_to": date_to.isoformat() if date_to else None,
    }
    return {**context, "by": by, "warnings": warnings, "rows": [{**context, **row} for row in rows]}
