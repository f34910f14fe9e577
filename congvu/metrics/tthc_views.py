"""The TTHC report page: Biểu 06a (one unit, a row per field) or 06b (the province, a row per unit),
the 766 progress score next to the project's own on-time rate, and the Excel file laid out like the
form (three header rows with merged cells, the column numbers)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congvu.core.numbers import number
from congvu.core.tables import new_workbook, wants_xlsx
from congvu.metrics.engine import compute_buckets
from congvu.metrics.forms import DATE_INPUTS, DateInput
from congvu.metrics.selectors import metric_records, scorecard_unit
from congvu.metrics.tthc import CHOICES, DEFAULT, DEFINITION_766, KEYS, Conventions, tthc_report
from congvu.registers.selectors import register_units


def _last_quarter(today: date) -> tuple[date, date]:
    first_month = (today.month - 1) // 3 * 3 + 1
    end = date(today.year, first_month, 1) - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


class TthcForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("Đơn vị"), required=False)
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), input_formats=DATE_INPUTS, widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("đến ngày"), input_formats=DATE_INPUTS, widget=DateInput())
    as_of = forms.DateField(
        label=gettext_lazy("Ngày báo cáo"), required=False, input_formats=DATE_INPUTS, widget=DateInput()
    )
    withdrawn = forms.ChoiceField(
        label=gettext_lazy("Hồ sơ công dân rút"), choices=CHOICES["withdrawn"].items()
    )
    suspended = forms.ChoiceField(
        label=gettext_lazy("Hồ sơ chờ bổ sung, dừng giải quyết"), choices=CHOICES["suspended"].items()
    )
    early = forms.ChoiceField(label=gettext_lazy("Trước hạn, đúng hạn"), choices=CHOICES["early"].items())
    supplements = forms.ChoiceField(
        label=gettext_lazy("Yêu cầu bổ sung hơn 01 lần (766)"), choices=CHOICES["supplements"].items()
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Ngày kết thúc kỳ báo cáo phải từ ngày bắt đầu trở đi."))
        return data


@login_required
def tthc(request):
    user = request.user
    start, end = _last_quarter(timezone.localdate())
    defaults = {
        "date_from": f"{start:%d/%m/%Y}",
        "date_to": f"{end:%d/%m/%Y}",
        **{name: getattr(DEFAULT, name) for name in CHOICES},
    }
    form = TthcForm({**defaults, **request.GET.dict()})
    if not form.is_valid():
        form_errors = True
        data = TthcForm(defaults)
        data.is_valid()
        data = data.cleaned_data
    else:
        form_errors = False
        data = form.cleaned_data
    code = (data.get("unit") or "").strip()
    if not code and user.is_unit_role:
        code = user.unit.code
    unit = scorecard_unit(fetched_by=user, code=code) if code else None  # another unit's: 404
    conventions = Conventions(**{name: data[name] for name in CHOICES})
    result = tthc_report(
        records=metric_records(fetched_by=user, register="dossiers", unit=unit),
        date_from=data["date_from"],
        date_to=data["date_to"],
        as_of=data.get("as_of"),
        by="field" if unit else "unit",
        conventions=conventions,
    )
    own = compute_buckets(
        register="dossiers",
        records=metric_records(
            fetched_by=user,
            register="dossiers",
            unit=unit,
            date_from=data["date_from"],
            date_to=result["cut"],
        ),
        as_of=result["cut"],
    )[0]
    if wants_xlsx(request):
        return _xlsx(result, unit, conventions)
    for row in [*result["rows"], result["total"]]:
        row["cells"] = [row[key] for key in KEYS]
    return render(
        request,
        "metrics/tthc.html",
        {
            "form": form,
            "form_errors": form_errors,
            "unit": unit,
            "units": register_units(fetched_by=user),
            "result": result,
            "keys": KEYS,
            "own": own,
            "definition_766": DEFINITION_766,
            "conventions": conventions.described(),
            "query": request.GET.urlencode(),
        },
    )


def _title(unit) -> str:
    return "Biểu số 06a/VPCP/KSTT" if unit else "Biểu số 06b/VPCP/KSTT"


def _xlsx(result: dict, unit, conventions: Conventions) -> HttpResponse:
    """The form's layout: title block, three header rows with merged cells, (1)…(13), the rows, the
    total, then the conventions and the 766 score."""
    buffer = io.BytesIO()
    book = new_workbook(buffer, in_memory=True)
    ws = book.add_worksheet("06a" if unit else "06b")
    bold = book.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 12})
    center = book.add_format({"align": "center", "font_name": "Times New Roman", "font_size": 12})
    head = book.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "font_name": "Times New Roman",
            "font_size": 11,
        }
    )
    numbers = book.add_format(
        {"italic": True, "border": 1, "align": "center", "font_name": "Times New Roman"}
    )
    cell = book.add_format({"border": 1, "font_name": "Times New Roman", "text_wrap": True})
    count = book.add_format({"border": 1, "align": "center", "font_name": "Times New Roman"})
    total_fmt = book.add_format(
        {"border": 1, "bold": True, "align": "center", "font_name": "Times New Roman"}
    )
    note = book.add_format(
        {"italic": True, "font_name": "Times New Roman", "text_wrap": True, "valign": "top"}
    )
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 12, 11)
    who = unit.name if unit else _("Toàn tỉnh")
    ws.merge_range(0, 0, 0, 4, _title(unit), bold)
    ws.merge_range(0, 8, 0, 12, _("Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"), center)
    ws.merge_range(
        1,
        0,
        1,
        12,
        _("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"),
        bold,
    )
    ws.merge_range(
        2,
        0,
        2,
        12,
        _("(Từ ngày %(a)s đến ngày %(b)s; ngày báo cáo %(r)s)")
        % {
            "a": f"{result['date_from']:%d/%m/%Y}",
            "b": f"{result['date_to']:%d/%m/%Y}",
            "r": f"{result['as_of']:%d/%m/%Y}",
        },
        center,
    )
    ws.write(3, 0, _("Đơn vị báo cáo: %(u)s") % {"u": who})
    ws.merge_range(3, 9, 3, 12, _("Đơn vị tính: Số hồ sơ TTHC"), center)
    r = 5
    ws.merge_range(r, 0, r + 2, 0, _("STT"), head)
    ws.merge_range(r, 1, r + 2, 1, _("Lĩnh vực giải quyết") if unit else _("Đơn vị"), head)
    ws.merge_range(r, 2, r, 5, _("Số hồ sơ nhận giải quyết"), head)
    ws.merge_range(r, 6, r, 9, _("Số hồ sơ đã giải quyết"), head)
    ws.merge_range(r, 10, r, 12, _("Số hồ sơ đang giải quyết"), head)
    ws.merge_range(r + 1, 2, r + 2, 2, _("Tổng số"), head)
    ws.merge_range(r + 1, 3, r + 1, 4, _("Trong đó (số mới tiếp nhận)"), head)
    ws.write(r + 2, 3, _("Trực tuyến"), head)
    ws.write(r + 2, 4, _("Trực tiếp, dịch vụ bưu chính"), head)
    ws.merge_range(r + 1, 5, r + 2, 5, _("Từ kỳ trước"), head)
    for col, label in (
        (6, _("Tổng số")),
        (7, _("Trước hạn")),
        (8, _("Đúng hạn")),
        (9, _("Quá hạn")),
        (10, _("Tổng số")),
        (11, _("Trong hạn")),
        (12, _("Quá hạn")),
    ):
        ws.merge_range(r + 1, col, r + 2, col, label, head)
    ws.set_row(r + 1, 30)
    ws.set_row(r + 2, 45)
    for col in range(13):
        ws.write(r + 3, col, f"({col + 1})", numbers)
    r += 4
    for i, row in enumerate(result["rows"], start=1):
        ws.write(r, 0, i, count)
        ws.write(r, 1, row["label"], cell)
        for col, key in enumerate(KEYS, start=2):
            ws.write_number(r, col, row[key], count)
        r += 1
    ws.write(r, 0, "", total_fmt)
    ws.write(r, 1, _("Tổng cộng"), total_fmt)
    for col, key in enumerate(KEYS, start=2):
        ws.write_number(r, col, result["total"][key], total_fmt)
    r += 2
    total = result["total"]
    score = number(total["score_766"], 2)
    lines = [
        _("Quy ước tính: ") + "; ".join(conventions.described()) + ".",
        _("Điểm Tiến độ giải quyết (QĐ 766/QĐ-TTg): %(s)s / 20 = 20 × %(n)s / %(d)s.")
        % {"s": score, "n": total["score_766_numerator"], "d": total["score_766_denominator"]},
        str(DEFINITION_766),
    ]
    if total["withdrawn_apart"] or total["suspended_apart"]:
        lines.append(
            _("Đếm riêng: %(w)s hồ sơ công dân rút; %(s)s hồ sơ chờ bổ sung, dừng giải quyết.")
            % {"w": total["withdrawn_apart"], "s": total["suspended_apart"]}
        )
    for text in lines:
        ws.merge_range(r, 0, r, 12, text, note)
        ws.set_row(r, 30 if len(text) > 120 else 16)
        r += 1
    ws.fit_to_pages(1, 0)
    ws.set_landscape()
    book.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"bieu-06a-{unit.code}.xlsx" if unit else "bieu-06b.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
