"""The pickers of the scorecard pages: register, receipt period, report date, predecessors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    def __init__(self, **kwargs):
        super().__init__(
            format="%d/%m/%Y",
            attrs={"class": "form-control form-control-sm", "placeholder": "dd/mm/yyyy", "size": 10},
            **kwargs,
        )


class ScorecardFilterForm(forms.Form):
    register = forms.ChoiceField(
        label=_("Sổ"),
        choices=[("tasks", _("Nhiệm vụ được giao")), ("dossiers", _("Hồ sơ TTHC"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    date_from = forms.DateField(
        label=_("Nhận từ ngày"), required=False, input_formats=DATE_INPUTS, widget=DateInput()
    )
    date_to = forms.DateField(
        label=_("đến ngày"), required=False, input_formats=DATE_INPUTS, widget=DateInput()
    )
    as_of = forms.DateField(
        label=_("Tính đến ngày"), required=False, input_formats=DATE_INPUTS, widget=DateInput()
    )
    pred = forms.ChoiceField(
        label=_("Đơn vị tiền thân"),
        choices=[("1", _("Tính cả đơn vị tiền thân")), ("0", _("Chỉ đơn vị này"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Ngày kết thúc khoảng phải từ ngày bắt đầu trở đi."))
        return data


@dataclass(frozen=True)
class Filters:
    """What every scorecard and drill-down page is computed for."""

    register: str
    date_from: date | None
    date_to: date | None
    as_of: date
    with_predecessors: bool

    @classmethod
    def from_request(cls, request) -> tuple[Filters, ScorecardFilterForm]:
        """The filters in the query string; a bad value is reported on the form and left at its
        default, so the page still shows figures."""
        form = ScorecardFilterForm(request.GET)
        form.is_valid()
        data = form.cleaned_data
        return (
            cls(
                register=data.get("register") or "tasks",
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                as_of=data.get("as_of") or timezone.localdate(),
                with_predecessors=(data.get("pred") or "1") == "1",
            ),
            form,
        )

    def query(self) -> dict[str, str]:
        """The filters as query parameters, for links between the pages."""
        params = {"register": self.register, "as_of": f"{self.as_of:%d/%m/%Y}"}
        if self.date_from:
            params["date_from"] = f"{self.date_from:%d/%m/%Y}"
        if self.date_to:
            params["date_to"] = f"{self.date_to:%d/%m/%Y}"
        if not self.with_predecessors:
            params["pred"] = "0"
        return params

    def record_filters(self) -> dict:
        return {"date_from": self.date_from, "date_to": self.date_to}


RANKING_SORT_CHOICES = [
    "rank",
    "unit",
    "n",
    "on_time",
    "rate",
    "low",
    "high",
    "total",
    "done_late",
    "open_overdue",
    "late_mean",
    "late_max",
]


class RankingForm(forms.Form):
    """The ranking's own parameters, validated (a hand-edited value never reaches the page): the
    direction, the column sort (a whitelist) and the minimum number of judged records."""

    order = forms.ChoiceField(
        label=_("Thứ tự xếp hạng"),
        choices=[("best", _("Tốt nhất trước")), ("worst", _("Kém nhất trước"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    min_records = forms.IntegerField(
        label=_("Số hồ sơ tối thiểu để xếp hạng"),
        min_value=0,
        max_value=10_000_000,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "size": 6, "min": 0}),
    )
    sort = forms.ChoiceField(
        choices=[(key, key) for s in RANKING_SORT_CHOICES for key in (s, f"-{s}")], required=False
    )


@dataclass(frozen=True)
class RankingParams:
    worst_first: bool
    min_records: int
    sort: str

    @classmethod
    def from_request(cls, request) -> tuple[RankingParams, RankingForm]:
        """The ranking's parameters; a bad value is reported on the form (the sort silently) and
        left at its default."""
        from django.conf import settings

        form = RankingForm(request.GET)
        form.fields["min_records"].widget.attrs["placeholder"] = str(settings.RANKING_MIN_RECORDS)
        form.is_valid()
        data = form.cleaned_data
        min_records = data.get("min_records")
        return (
            cls(
                worst_first=data.get("order") == "worst",
                min_records=settings.RANKING_MIN_RECORDS if min_records is None else min_records,
                sort=data.get("sort") or "rank",
            ),
            form,
        )
