"""Excel workbooks of a sample: the sample list (with the population ranking and the verification
description), the review worksheet, and the results."""

from __future__ import annotations

import io
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core.tables import new_workbook
from congvu.sampling import draw, guide
from congvu.sampling.models import ApologySlip, DeviationType, ReviewQuality, Tristate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_MAX_ROWS = 1_048_575  # a sheet holds 1,048,576 rows, one of them the header
# Above this many records the population ranking is left to the population file (an export of
# 200,000 ranked rows takes some twenty seconds).
POPULATION_SHEET_LIMIT = 50_000


class _Book:
    def __init__(self):
        self.buffer = io.BytesIO()
        self.book = new_workbook(self.buffer, constant_memory=True, in_memory=True)
        self.bold = self.book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        self.date = self.book.add_format({"num_format": "dd/mm/yyyy"})
        self.datetime = self.book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.mono = self.book.add_format({"font_name": "Courier New"})

    def sheet(self, name: str, headers: list[str], widths: list[int] | None = None):
        ws = self.book.add_worksheet(name[:31])
        for col, title in enumerate(headers):
            ws.write_string(0, col, str(title), self.bold)
            width = widths[col] if widths and col < len(widths) else max(12, min(50, len(str(title)) + 4))
            ws.set_column(col, col, width)
        ws.freeze_panes(1, 0)
        return ws

    def row(self, ws, r: int, values) -> None:
        for col, value in enumerate(values):
            if value is None:
                ws.write_blank(r, col, None)
            elif isinstance(value, datetime):
                ws.write_datetime(r, col, timezone.localtime(value).replace(tzinfo=None), self.datetime)
            elif isinstance(value, date):
                ws.write_datetime(r, col, datetime(value.year, value.month, value.day), self.date)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(r, col, value)
            else:
                ws.write_string(r, col, str(value))

    def response(self, filename: str) -> HttpResponse:
        self.book.close()
        response = HttpResponse(self.buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _record_dates(item):
    record = item.record
    if record is None:
        return [None, None, None]
    return [record.received_on, record.due_on, record.completed_on]


def _verification_sheet(out: _Book, sample, with_population: bool) -> None:
    ws = out.book.add_worksheet(_("Kiểm chứng"))
    ws.set_column(0, 0, 90)
    ws.set_column(1, 1, 90)
    facts = [
        (_("Mẫu"), f"#{sample.pk} {sample.title}"),
        (_("Đơn vị"), str(sample.unit)),
        (_("Thời kỳ"), f"{sample.period_from:%d/%m/%Y} – {sample.period_to:%d/%m/%Y}"),
        (_("Mã cam kết (SHA-256 của hạt giống)"), sample.seed_commitment),
        (_("Cam kết công bố lúc"), timezone.localtime(sample.commitment_shown_at).strftime("%d/%m/%Y %H:%M")),
        (_("Cam kết ghi tại"), sample.commitment_reference or "—"),
        (_("Hạt giống"), sample.revealed_seed or _("(bí mật đến khi rút mẫu)")),
        (_("SHA-256 của danh sách tổng thể"), sample.population_sha256 or "—"),
        (_("Số bản ghi của tổng thể"), sample.population_size),
    ]
    r = 0
    for label, value in facts:
        ws.write_string(r, 0, str(label), out.bold)
        out.row(ws, r, [label, value])
        r += 1
    r += 1
    for text, command in guide.steps(sample):
        ws.write_string(r, 0, str(text), out.wrap)
        if command:
            ws.write_string(r, 1, command, out.mono)
        r += 1
    ws.write_string(r, 0, "English", out.bold)
    ws.write_string(r, 1, guide.ENGLISH, out.wrap)
    if not with_population:
        ws.write_string(
            r + 2,
            0,
            _("Tổng thể có hơn %(n)s bản ghi nên không kèm bảng xếp hạng trong tệp này; dùng tệp %(file)s.")
            % {
                "n": f"{POPULATION_SHEET_LIMIT:,}".replace(",", "."),
                "file": guide.population_file_name(sample),
            },
            out.wrap,
        )


def sample_workbook(sample, items, strata, population_rows) -> HttpResponse:
    """The drawn records, the fields, the whole population with rank values, and how to verify."""
    out = _Book()
    ws = out.sheet(
        _("Mẫu"),
        [
            _("Mã lĩnh vực"),
            _("Lĩnh vực"),
            _("Thứ hạng"),
            _("Mã bản ghi"),
            _("Giá trị xếp hạng (HMAC-SHA256)"),
            _("Đợt"),
            _("Ngày tiếp nhận"),
            _("Hạn"),
            _("Ngày hoàn thành"),
        ],
        [12, 30, 10, 24, 68, 6, 14, 14, 14],
    )
    for r, item in enumerate(items, start=1):
        out.row(
            ws,
            r,
            [
                item.stratum.field_code,
                item.stratum.field_name,
                item.rank,
                item.record_code,
                item.rank_value,
                item.extension,
                *_record_dates(item),
            ],
        )
    ws = out.sheet(
        _("Lĩnh vực"),
        [_("Mã lĩnh vực"), _("Lĩnh vực"), _("Số bản ghi"), _("Cỡ mẫu khi rút"), _("Cỡ mẫu hiện tại")],
        [12, 36, 12, 14, 14],
    )
    for r, s in enumerate(strata, start=1):
        out.row(ws, r, [s.field_code, s.field_name, s.population_size, s.planned_size, s.sample_size])
    _verification_sheet(out, sample, population_rows is not None)
    if population_rows is not None:
        sizes = {s.field_code: s.sample_size for s in strata}
        ws = out.sheet(
            _("Tổng thể"),
            [
                _("Mã lĩnh vực"),
                _("Mã bản ghi"),
                _("Giá trị xếp hạng (HMAC-SHA256)"),
                _("Thứ hạng"),
                _("Được chọn"),
            ],
            [12, 24, 68, 10, 10],
        )
        groups = draw.group_by_field((f, c) for f, c, _rid in population_rows)
        r = 1
        for field_code in sorted(groups):
            for ranked in draw.ranking(sample.seed, groups[field_code]):
                if r > EXCEL_MAX_ROWS:
                    break
                chosen = _("có") if ranked.rank <= sizes.get(field_code, 0) else ""
                out.row(ws, r, [field_code, ranked.code, ranked.value, ranked.rank, chosen])
                r += 1
    return out.response(f"mau-{sample.pk}.xlsx")


def worksheet_workbook(sample, items) -> HttpResponse:
    """One row per drawn record with the review columns, filled where reviewed, with drop-downs."""
    out = _Book()
    headers = [
        _("Mã lĩnh vực"),
        _("Lĩnh vực"),
        _("Thứ hạng"),
        _("Mã bản ghi"),
        _("Ngày tiếp nhận"),
        _("Hạn"),
        _("Ngày hoàn thành"),
        _("Đúng hạn"),
        _("Đầy đủ"),
        _("Căn cứ pháp lý đúng"),
        _("Phiếu xin lỗi"),
        _("Chất lượng"),
        _("Có sai lệch"),
        _("Loại sai lệch"),
        _("Ghi chú"),
        _("Người kiểm tra"),
    ]
    ws = out.sheet(
        _("Phiếu kiểm tra"), headers, [12, 28, 9, 22, 13, 13, 13, 12, 12, 12, 26, 12, 11, 28, 40, 20]
    )
    r = 0
    for r, item in enumerate(items, start=1):
        review = getattr(item, "review", None)
        values = [
            item.stratum.field_code,
            item.stratum.field_name,
            item.rank,
            item.record_code,
            *_record_dates(item),
        ]
        if review is not None:
            values += [
                review.get_on_time_display(),
                review.get_complete_display(),
                review.get_legal_basis_correct_display(),
                review.get_apology_slip_display(),
                review.get_quality_display(),
                _("Có") if review.deviation else _("Không"),
                review.get_deviation_type_display() if review.deviation else "",
                review.notes,
                str(review.reviewed_by or ""),
            ]
        out.row(ws, r, values)
    last = max(r, 1) + 200
    lists = [
        (7, Tristate.labels),
        (8, Tristate.labels),
        (9, Tristate.labels),
        (10, ApologySlip.labels),
        (11, ReviewQuality.labels),
        (12, [_("Có"), _("Không")]),
        (13, DeviationType.labels),
    ]
    for col, labels in lists:
        ws.data_validation(1, col, last, col, {"validate": "list", "source": [str(x) for x in labels]})
    return out.response(f"phieu-kiem-tra-mau-{sample.pk}.xlsx")


def results_workbook(sample, results) -> HttpResponse:
    out = _Book()
    ws = out.sheet(
        _("Kết quả"),
        [
            _("Lĩnh vực"),
            _("Số bản ghi"),
            _("Cỡ mẫu"),
            _("Đã kiểm tra"),
            _("Sai lệch"),
            _("Tỷ lệ sai lệch"),
            _("Giới hạn trên"),
            _("Mức chấp nhận được"),
            _("Nhận xét"),
        ],
        [30, 12, 10, 12, 10, 14, 14, 16, 100],
    )
    ws.set_column(5, 7, 14, out.book.add_format({"num_format": "0.0%"}))
    r = 0
    for r, result in enumerate(results.fields, start=1):
        s, ev = result.stratum, result.evaluation
        out.row(
            ws,
            r,
            [
                s.field_name,
                s.population_size,
                s.sample_size,
                s.reviewed,
                s.deviations,
                ev.deviation_rate if ev else None,
                ev.upper_deviation_limit if ev else None,
                float(sample.tolerable_rate),
                result.sentence,
            ],
        )
    c = results.combined
    out.row(
        ws,
        r + 1,
        [
            _("Toàn bộ (gia quyền)"),
            sample.population_size,
            results.sample_size,
            c.reviewed,
            c.deviations,
            c.deviation_rate,
            c.upper_deviation_limit,
            float(sample.tolerable_rate),
            results.combined_sentence,
        ],
    )
    return out.response(f"ket-qua-mau-{sample.pk}.xlsx")
