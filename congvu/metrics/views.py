"""Scorecards (bảng chỉ số): the province overview, one page per unit and per head/deputy, and the
records behind any figure. Every page is scoped: a unit user sees their own unit only, another unit's
scorecard is a 404; every table exports to Excel (`?format=xlsx`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from congvu.core.numbers import number
from congvu.core.tables import export_refused, paginate, wants_xlsx, xlsx_response
from congvu.core.text import fold
from congvu.metrics.bodies import cached_body
from congvu.metrics.cache import paginate_records
from congvu.metrics.engine import (
    BUCKET_LABELS,
    GROUPING_LABELS,
    annotate_lateness,
    bucket_of,
    figure_q,
    official_field,
    ordinal_on,
)
from congvu.metrics.formatting import RANKING_COLUMNS, columns_for, format_value
from congvu.metrics.forms import Filters, RankingParams
from congvu.metrics.selectors import (
    leaders_of,
    metric_records,
    province_ranking,
    rank_units,
    scorecard_figures,
    scorecard_official,
    scorecard_unit,
    sort_units,
)
from congvu.org.models import Field
from congvu.org.selectors import official_appointments, unit_predecessor_ids

REGISTER_LABELS = {"tasks": _("Nhiệm vụ được giao"), "dossiers": _("Hồ sơ TTHC")}


# --- Tables of figures, each figure a link to its records ------------------------------------


def _group_params(by: str | None, row: dict) -> dict[str, str]:
    """The drill-down parameters that select one row's group."""
    if by == "official":
        return {"official": row["code"] or "-"}
    if by == "field":
        return {"field": row["code"] or "-"}
    if by == "month":
        return {"month": row["key"] or ""}
    if by == "unit":
        return {"unit": row["code"] or "", "pred": "0"}
    return {}


def _group_link(by: str | None, row: dict, base: dict) -> str | None:
    """A unit's or an official's row links to their own scorecard."""
    if by not in ("unit", "official") or not row["code"]:
        return None
    filters = {k: v for k, v in base.items() if k not in ("unit", "official")}
    return f"{reverse(f'metrics:{by}', args=[row['code']])}?{urlencode(filters)}"


def _table(rows: list[dict], *, register: str, by: str | None, base: dict, detail: bool = True) -> dict:
    """Rows ready for `metrics/_figures_table.html`: each cell formatted, with the link to its records."""
    columns = columns_for(register, detail)
    records_url = reverse("metrics:records")
    out = []
    for row in rows:
        # One query string per row; the cells differ only by their figure (a plain identifier).
        prefix = f"{records_url}?{urlencode({**base, **_group_params(by, row)})}&bucket="
        cells = [
            {"text": format_value(row[key], kind), "url": prefix + key, "numeric": True}
            for key, _header, kind in columns
        ]
        out.append({"row": row, "cells": cells, "link": _group_link(by, row, base)})
    return {
        "by": by,
        "title": GROUPING_LABELS.get(by, ""),
        "headers": [h for _k, h, _kind in columns],
        "rows": out,
    }


def _export_table(
    filename: str, rows: list[dict], register: str, detail: bool = True, first: str = ""
) -> object:
    """The same figures in Excel: rates as percentages, working days as numbers."""
    columns = columns_for(register, detail)
    headers = [first or _("Nhóm"), _("Mã")] + [
        f"{header} (%)" if kind == "rate" else str(header) for _k, header, kind in columns
    ]

    def cell(value, kind):
        if value is not None and kind == "rate":
            return round(value * 100, 2)
        return value

    data = ([row["label"], row["code"]] + [cell(row[key], kind) for key, _h, kind in columns] for row in rows)
    return xlsx_response(filename, headers, data, sheet=_("Chỉ số"))


def _chart(rows: list[dict]) -> dict:
    """Monthly trend for Chart.js (passed with json_script)."""
    return {
        "labels": [row["label"] for row in rows],
        "done_on_time": [row["done_on_time"] for row in rows],
        "done_late": [row["done_late"] for row in rows],
        "open_overdue": [row["open_overdue"] for row in rows],
        "open_in_time": [row["open_in_time"] for row in rows],
        "on_time_rate": [
            None if row["on_time_rate"] is None else round(row["on_time_rate"] * 100, 1) for row in rows
        ],
        "labels_text": {
            "done_on_time": str(BUCKET_LABELS["done_on_time"]),
            "done_late": str(BUCKET_LABELS["done_late"]),
            "open_overdue": str(BUCKET_LABELS["open_overdue"]),
            "open_in_time": str(BUCKET_LABELS["open_in_time"]),
            "on_time_rate": str(_("Tỷ lệ đúng hạn (%)")),
        },
    }


def _common_context(filters: Filters, form) -> dict:
    return {
        "filters": filters,
        "form": form,
        "register_label": REGISTER_LABELS[filters.register],
        "calendar_missing": ordinal_on(filters.as_of) is None,
    }


# --- Pages -----------------------------------------------------------------------------------


def _outward(low: float, high: float, places: int) -> tuple[Decimal, Decimal]:
    """An interval's bounds in percent with `places` decimals, rounded outward (the lower bound down,
    the upper up), so the interval shown always contains the one computed."""
    scale = 10 ** (places + 2)
    return (
        Decimal(math.floor(low * scale)) / 10**places,
        Decimal(math.ceil(high * scale)) / 10**places,
    )


def _interval_text(row: dict) -> str:
    if row["wilson_low"] is None:
        return "—"
    low, high = _outward(row["wilson_low"], row["wilson_high"], 1)
    return f"{number(low, 1)}% – {number(high, 1)}%"


def _ranking_table(rows: list[dict], *, base: dict) -> list[dict]:
    """The ranking's rows for `metrics/_ranking_table.html`: each figure a link to its records (the
    unit with its predecessors unless the page shows units as they were: `base` carries `pred`)."""
    records_url = reverse("metrics:records")
    out = []
    for row in rows:
        query = urlencode({**base, "unit": row["code"] or ""})
        cells = []
        for key, _header, kind, _sort, figure in RANKING_COLUMNS:
            if kind == "interval":
                cells.append({"text": _interval_text(row), "url": None})
            else:
                url = f"{records_url}?{query}&bucket={figure}" if row["code"] else None
                cells.append({"text": format_value(row[key], kind), "url": url})
        link = f"{reverse('metrics:unit', args=[row['code']])}?{urlencode(base)}" if row["code"] else None
        out.append({"row": row, "cells": cells, "link": link})
    return out


def _ranking_histogram(rows: list[dict]) -> dict:
    """The ranked units' on-time rates in ten bins of 10 points (the last one holds 100 %), for
    Chart.js (passed with json_script); each rate is the exact count ratio."""
    counts = [0] * 10
    for row in rows:
        counts[min(9, row["done_on_time"] * 10 // row["judged"])] += 1
    return {
        "labels": [f"{10 * i}–{10 * i + 10}%" for i in range(10)],
        "counts": counts,
        "label": str(_("Số đơn vị")),
        "x_title": str(_("Tỷ lệ đúng hạn")),
    }


def _export_ranking(ranked: list[dict], apart: list[dict]):
    """The ranking in Excel: the page's columns in the page's order, the units listed apart after the
    ranked ones, without a rank; rates and bounds as percentages."""
    headers = [_("Hạng"), _("Đơn vị"), _("Mã")]
    for _key, header, kind, _sort, _figure in RANKING_COLUMNS:
        if kind == "interval":
            headers += [_("Wilson 95%: cận dưới (%)"), _("Wilson 95%: cận trên (%)")]
        else:
            headers.append(f"{header} (%)" if kind == "rate" else str(header))
    headers.append(_("Ghi chú"))

    def percent(value):
        return None if value is None else round(value * 100, 2)

    def line(row):
        cells = [row["rank"], row["label"], row["code"]]
        for key, _header, kind, _sort, _figure in RANKING_COLUMNS:
            if kind == "interval":
                bounds = (None, None)
                if row["wilson_low"] is not None:
                    bounds = tuple(float(b) for b in _outward(row["wilson_low"], row["wilson_high"], 2))
                cells += bounds
            else:
                cells.append(percent(row[key]) if kind == "rate" else row[key])
        notes = []
        if row["rank"] is None:
            notes.append(str(_("chưa đủ hồ sơ để xếp hạng")))
        if not row["current"]:
            notes.append(str(_("đơn vị cũ (đã sáp nhập, chia tách hoặc giải thể)")))
        cells.append("; ".join(notes))
        return cells

    data = (line(row) for row in [*ranked, *apart])
    return xlsx_response("xep-hang-don-vi.xlsx", headers, data, sheet=_("Xếp hạng"))


@login_required
def overview(request):
    """Units ranked by the 95 % Wilson interval of their on-time rate for a period (toàn tỉnh): the
    current units with their predecessors' records (or every unit as it was, `pred=0`), best or worst
    first, those with fewer judged records than the minimum listed apart; a unit user sees only their
    unit. See `selectors.rank_units` for the choice of bounds."""
    filters, form = Filters.from_request(request)
    params, ranking_form = RankingParams.from_request(request)

    def ranking() -> tuple[list[dict], list[dict], dict, dict]:
        rows, total = province_ranking(
            fetched_by=request.user,
            register=filters.register,
            as_of=filters.as_of,
            with_predecessors=filters.with_predecessors,
            **filters.record_filters(),
        )
        ranked, apart = rank_units(rows, min_records=params.min_records, worst_first=params.worst_first)
        chart = _ranking_histogram(ranked)
        search = request.GET.get("q", "").strip()
        if search:  # over the units' rows (a few hundred), never over records
            folded, code = fold(search), search.casefold()

            def found(r):
                return folded in r["folded"] or code in (r["code"] or "").casefold()

            ranked, apart = [r for r in ranked if found(r)], [r for r in apart if found(r)]
        ranked, apart = sort_units(ranked, params.sort), sort_units(apart, params.sort)
        return ranked, apart, chart, total

    if wants_xlsx(request):
        ranked, apart, _chart_data, _total = ranking()
        return _export_ranking(ranked, apart)

    def context() -> dict:
        ranked, apart, chart, total = ranking()
        base = filters.query()
        ranking_query = {**base, "min_records": str(params.min_records)}
        if params.worst_first:
            ranking_query["order"] = "worst"
        page = paginate(request, ranked)
        return {
            **_common_context(filters, form),
            "ranking_form": ranking_form,
            "params": params,
            "sort": params.sort,
            "page": page,
            "search": request.GET.get("q", "").strip(),
            "search_hidden": list({**ranking_query, "sort": params.sort}.items()),
            "columns": [
                {"header": header, "sort": sort, "interval": kind == "interval"}
                for _key, header, kind, sort, _figure in RANKING_COLUMNS
            ],
            "ranked": _ranking_table(page.object_list, base=base),
            "apart": _ranking_table(apart, base=base),
            "chart": chart,
            "total": _table([total], register=filters.register, by=None, base=base, detail=False),
            "query": urlencode(base),
        }

    body = cached_body(
        request,
        register=filters.register,
        name="overview",
        template="metrics/_overview_body.html",
        context=context,
    )
    return render(request, "metrics/overview.html", {"body": body})


def _scorecard(
    request,
    filters: Filters,
    form,
    *,
    code: str,
    param: str,
    groupings: list[str],
    records: dict,
    template: str,
    context: Callable[[], dict],
    title: dict,
):
    """A scorecard page, unit's or official's: the figures of `records` (the `scorecard_figures`
    keywords choosing the records) in a summary, one table per grouping and the monthly chart, each
    table exported with `?format=xlsx&table=…`; `param` and `code` select the same records on the
    drill-down pages. `context` adds what the page says about its subject."""
    export = request.GET.get("table") if wants_xlsx(request) else None
    if export and export not in (*groupings, "summary"):
        raise Http404

    def figures() -> dict:
        return scorecard_figures(
            fetched_by=request.user,
            register=filters.register,
            as_of=filters.as_of,
            groupings=tuple(groupings),
            **records,
            **filters.record_filters(),
        )

    if export:
        return _export_table(f"chi-so-{code}-{export}.xlsx", figures()[export], filters.register)

    def body_context() -> dict:
        computed = figures()
        base = {**filters.query(), param: code}
        summary = computed["summary"][0]
        return {
            **_common_context(filters, form),
            **context(),
            "summary": summary,
            "summary_table": _table([summary], register=filters.register, by=None, base=base),
            "tables": [_table(computed[by], register=filters.register, by=by, base=base) for by in groupings],
            "chart": _chart(computed["month"]),
            "query": urlencode(filters.query()),
            "records_query": urlencode(base),
        }

    body = cached_body(
        request,
        register=filters.register,
        name=template,
        template=f"metrics/_{template}_body.html",
        context=body_context,
    )
    return render(request, f"metrics/{template}.html", {"body": body, **title})


@login_required
def unit_scorecard(request, code):
    """A unit's scorecard: its records and, by default, those of the units it absorbed (then also a
    table by unit), by official, field and month, and the links to its head's and deputies' pages."""
    unit = scorecard_unit(fetched_by=request.user, code=code)
    filters, form = Filters.from_request(request)
    groupings = ["official", "field", "month"]
    predecessors = unit_predecessor_ids(unit.pk)
    if filters.with_predecessors and predecessors:
        groupings.append("unit")
    return _scorecard(
        request,
        filters,
        form,
        code=unit.code,
        param="unit",
        groupings=groupings,
        records={"unit": unit, "with_predecessors": filters.with_predecessors},
        template="unit",
        context=lambda: {
            "unit": unit,
            "has_predecessors": bool(predecessors),
            "leaders": leaders_of(fetched_by=request.user, unit=unit, day=filters.as_of),
        },
        title={"unit": unit},
    )


@login_required
def official_scorecard(request, code):
    """A head's or deputy's scorecard: the records they are responsible for (tasks) or handle
    (dossiers) — deputies are thus scored on their fields."""
    official = scorecard_official(fetched_by=request.user, code=code)
    filters, form = Filters.from_request(request)
    return _scorecard(
        request,
        filters,
        form,
        code=official.code,
        param="official",
        groupings=["unit", "field", "month"],
        records={"official": official},
        template="official",
        context=lambda: {
            "official": official,
            "appointments": official_appointments(fetched_by=request.user, official=official),
        },
        title={"official": official},
    )


# --- The records behind a figure -------------------------------------------------------------

_RECORD_SORTS = {
    "code": "external_code",
    "unit": "unit__name",
    "received": "received_on",
    "due": "due_on",
    "completed": "completed_on",
    "late": "late_days",
}


def _detail_url_maker(register: str):
    """pk → the register's detail page, when the registers app has one (else no link)."""
    name = "registers:task" if register == "tasks" else "registers:dossier"
    probe_pk = 987654321
    for kwargs in ({"args": [probe_pk]}, {"kwargs": {"pk": probe_pk}}):
        try:
            probe = reverse(name, **kwargs)
        except NoReverseMatch:
            continue
        return lambda pk: probe.replace(str(probe_pk), str(pk))
    return lambda pk: None


def _parse_month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise Http404 from None


def _sorted(request, qs, default: str):
    raw = request.GET.get("sort") or default
    key = raw.lstrip("-")
    if key not in _RECORD_SORTS:
        raw, key = default, default.lstrip("-")
    expression = F(_RECORD_SORTS[key])
    ordered = expression.desc(nulls_last=True) if raw.startswith("-") else expression.asc(nulls_last=True)
    return qs.order_by(ordered, "pk"), raw


@login_required
def records(request):
    """The records behind one figure: the scorecard's filters plus a group (official, field, month,
    unit) and the figure (`bucket`), with each record's working-day lateness."""
    filters, form = Filters.from_request(request)
    register = filters.register
    params = request.GET
    scope: dict = {"with_predecessors": filters.with_predecessors}
    described = []
    if params.get("unit"):
        unit = scorecard_unit(fetched_by=request.user, code=params["unit"])
        scope["unit"] = unit
        described.append(str(unit))
    if params.get("official") == "-":
        scope["official_missing"] = True
        described.append(_("chưa xác định người phụ trách"))
    elif params.get("official"):
        official = scorecard_official(fetched_by=request.user, code=params["official"])
        scope["official"] = official
        described.append(str(official))
    if params.get("field") == "-":
        scope["field_id"] = 0
        described.append(_("chưa xác định lĩnh vực"))
    elif params.get("field"):
        field = Field.objects.filter(code=params["field"]).first()
        if field is None:
            raise Http404
        scope["field_id"] = field.pk
        described.append(str(field))
    if params.get("month"):
        month = _parse_month(params["month"])
        scope["month"] = month
        described.append(_("tháng %(m)s") % {"m": f"{month:%m/%Y}"})
    bucket = params.get("bucket") or "all"
    try:
        condition = figure_q(bucket, register, filters.as_of)
    except ValueError:
        raise Http404 from None
    qs = metric_records(fetched_by=request.user, register=register, **scope, **filters.record_filters())
    qs = annotate_lateness(qs.filter(condition), filters.as_of).annotate(bucket_code=bucket_of(filters.as_of))
    person = official_field(register)
    qs = qs.select_related("unit", "field", person)
    late_figure = bucket in ("late", "done_late", "open_overdue") or bucket.startswith("late_")
    qs, sort = _sorted(request, qs, "-late" if late_figure else "-received")
    headers = {key: header for key, header, _kind in columns_for(register)}
    figure_label = BUCKET_LABELS.get(bucket) or headers.get(bucket, bucket)
    if wants_xlsx(request):
        return export_refused(request, qs.count()) or _export_records(qs, register, person, filters)

    def context() -> dict:
        detail_url = _detail_url_maker(register)
        page = paginate_records(request, qs, register=register)
        for record in page:
            record.detail_url = detail_url(record.pk)
            record.bucket_label = BUCKET_LABELS.get(record.bucket_code, "")
            record.person = getattr(record, person)
        return {
            **_common_context(filters, form),
            "page": page,
            "sort": sort,
            "bucket": bucket,
            "figure_label": figure_label,
            "described": described,
            "person_label": _("Người phụ trách") if register == "tasks" else _("Người xử lý"),
            "hidden": [
                (k, params[k])
                for k in ("unit", "official", "field", "month", "bucket", "sort")
                if params.get(k)
            ],
            "show_predecessors": "unit" in scope,
        }

    body = cached_body(
        request, register=register, name="records", template="metrics/_records_body.html", context=context
    )
    return render(request, "metrics/records.html", {"body": body, "figure_label": figure_label})


def _export_records(qs, register: str, person: str, filters: Filters):
    headers = [
        _("Mã"),
        _("Nội dung") if register == "tasks" else _("Thủ tục"),
        _("Đơn vị"),
        _("Lĩnh vực"),
        _("Người phụ trách") if register == "tasks" else _("Người xử lý"),
        _("Ngày nhận"),
        _("Hạn"),
        _("Ngày hoàn thành"),
        _("Tình trạng tại ngày %(d)s") % {"d": f"{filters.as_of:%d/%m/%Y}"},
        _("Số ngày làm việc chậm"),
    ]
    rows = (
        (
            r.external_code,
            r.content if register == "tasks" else r.procedure,
            r.unit.name,
            r.field.name if r.field_id else "",
            str(getattr(r, person) or ""),
            r.received_on,
            r.due_on,
            r.completed_on,
            str(BUCKET_LABELS.get(r.bucket_code, "")),
            r.late_days,
        )
        for r in qs.iterator(chunk_size=2000)
    )
    return xlsx_response(f"ban-ghi-{register}.xlsx", headers, rows, sheet=_("Bản ghi"))
