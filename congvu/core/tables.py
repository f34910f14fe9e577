"""What every list page needs: sorting, pagination and export of the same rows to Excel."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

PER_PAGE = 50
# Every workbook the application writes takes these options: text from imported files or typed by
# users is written as text — never as a formula ("=HYPERLINK(…)"), never as a live link ("http://…",
# "mailto:…", "external:C:\\…\\calc.exe"), which xlsxwriter's write() would otherwise make of it.
TEXT_AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False}


def new_workbook(target, **options) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook that writes every string as text (TEXT_AS_TEXT cannot be overridden)."""
    return xlsxwriter.Workbook(target, {**options, **TEXT_AS_TEXT})


def sort_queryset(request, qs: QuerySet, allowed: dict[str, str], default: str) -> tuple[QuerySet, str]:
    """Order by `?sort=key` or `?sort=-key` where key is one of `allowed` (key -> ORM path); ties by
    id in the same direction, so one index on (column, id) serves both directions of a long list."""
    raw = request.GET.get("sort") or default
    key = raw.lstrip("-")
    if key not in allowed:
        raw, key = default, default.lstrip("-")
    desc = raw.startswith("-")
    path = allowed[key]
    return qs.order_by(f"-{path}", "-pk") if desc else qs.order_by(path, "pk"), raw


def paginate(request, items, per_page: int = PER_PAGE):
    """A page of `items`; `?page=` out of range gives the last page rather than an error."""
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    if isinstance(value, (int, float, date)):
        return value
    return str(value)


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "Dữ liệu"
) -> HttpResponse:
    """One sheet, bold header, dates as dd/mm/yyyy; streams through a constant-memory workbook."""
    buffer = io.BytesIO()
    book = new_workbook(buffer, constant_memory=True, in_memory=True)
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    dt_fmt = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for col, title in enumerate(headers):
        ws.write_string(0, col, str(title), bold)
        ws.set_column(col, col, max(12, min(50, len(str(title)) + 4)))
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            value = _cell(value)
            if isinstance(value, datetime):
                ws.write_datetime(r, col, value, dt_fmt)
            elif isinstance(value, date):
                ws.write_datetime(r, col, datetime(value.year, value.month, value.day), date_fmt)
            else:
                ws.write(r, col, value)
    ws.freeze_panes(1, 0)
    book.close()
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def export_refused(request, count: int) -> HttpResponse | None:
    """A redirect back to the list (format dropped) with a message when an export would have more than
    settings.EXPORT_MAX_ROWS rows; None when the export may go ahead. Every list export asks this."""
    limit = settings.EXPORT_MAX_ROWS
    if count <= limit:
        return None
    messages.warning(
        request,
        _("Danh sách có hơn %(n)s dòng: hãy lọc bớt (theo đơn vị, lĩnh vực…) rồi xuất Excel.")
        % {"n": f"{limit:,}".replace(",", ".")},
    )
    query = request.GET.copy()
    query.pop("format", None)
    return redirect(f"{request.path}?{query.urlencode()}")
