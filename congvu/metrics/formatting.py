"""How the engine's rows are shown: the columns of each register, in tables, CLI output and Excel."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from congvu.core.numbers import number, percent

# (row key, header, kind) — kind: count, rate, days, text.
COMMON_COLUMNS = [
    ("total", _("Tổng số"), "count"),
    ("done_on_time", _("Hoàn thành đúng hạn"), "count"),
    ("done_late", _("Hoàn thành quá hạn"), "count"),
    ("open_in_time", _("Đang thực hiện trong hạn"), "count"),
    ("open_overdue", _("Đang thực hiện quá hạn"), "count"),
    ("no_deadline", _("Không thời hạn"), "count"),
    ("on_time_rate", _("Tỷ lệ đúng hạn"), "rate"),
    ("late_days_mean", _("Chậm TB (ngày LV)"), "days"),
    ("late_days_median", _("Chậm trung vị (ngày LV)"), "days"),
    ("late_days_max", _("Chậm tối đa (ngày LV)"), "days"),
]
TASK_COLUMNS = [
    ("receipt_to_handling_mean", _("Tiếp nhận → xử lý (ngày LV)"), "days"),
    ("handling_to_advice_mean", _("Xử lý → tham mưu (ngày LV)"), "days"),
    ("receipt_to_advice_mean", _("Tiếp nhận → tham mưu (ngày LV)"), "days"),
    ("quality_passed", _("Chất lượng đạt"), "count"),
    ("quality_failed", _("Không đạt"), "count"),
    ("quality_returned", _("Trả lại chỉnh sửa"), "count"),
    ("quality_pass_rate", _("Tỷ lệ đạt"), "rate"),
    ("returned_total", _("Số lần trả lại"), "count"),
    ("proactive_count", _("Chủ động tham mưu"), "count"),
]
DOSSIER_COLUMNS = [
    ("receipt_to_completion_mean", _("Tiếp nhận → hoàn thành (ngày LV)"), "days"),
    ("completion_to_return_mean", _("Hoàn thành → trả kết quả (ngày LV)"), "days"),
    ("late_with_apology", _("Trễ có phiếu xin lỗi"), "count"),
]


def columns_for(register: str, detail: bool = True) -> list[tuple[str, object, str]]:
    if not detail:
        return COMMON_COLUMNS
    return COMMON_COLUMNS + (TASK_COLUMNS if register == "tasks" else DOSSIER_COLUMNS)


def format_value(value, kind: str) -> str:
    """Display in the active language (Vietnamese 4.000 and 81,5%; English 4,000 and 81.5%):
    percentages, days with at most two decimals, a dash for 'no figure'."""
    if value is None:
        return "—"
    if kind == "rate":
        return percent(value)
    if kind == "days":
        return number(value, 2, trim=True) if isinstance(value, float) else number(value)
    if kind == "count":
        return number(value)
    return str(value)


# The ranking's columns after the rank and the unit: (row key, header, kind, ?sort= key or "",
# the figure a cell opens in the records list or ""). "interval" is the Wilson interval (two bounds).
RANKING_COLUMNS = [
    ("judged", _("Số được đánh giá (n)"), "count", "n", "on_time_rate"),
    ("done_on_time", _("Hoàn thành đúng hạn"), "count", "on_time", "done_on_time"),
    ("on_time_rate", _("Tỷ lệ đúng hạn"), "rate", "rate", "on_time_rate"),
    ("wilson", _("Khoảng tin cậy Wilson 95%"), "interval", "", ""),
    ("total", _("Tổng số"), "count", "total", "total"),
    ("done_late", _("Hoàn thành quá hạn"), "count", "done_late", "done_late"),
    ("open_in_time", _("Đang thực hiện trong hạn"), "count", "", "open_in_time"),
    ("open_overdue", _("Đang thực hiện quá hạn"), "count", "open_overdue", "open_overdue"),
    ("no_deadline", _("Không thời hạn"), "count", "", "no_deadline"),
    ("late_days_mean", _("Chậm TB (ngày LV)"), "days", "late_mean", "late_days_mean"),
    ("late_days_median", _("Chậm trung vị (ngày LV)"), "days", "", "late_days_median"),
    ("late_days_max", _("Chậm tối đa (ngày LV)"), "days", "late_max", "late_days_max"),
]
