from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.workdays.models import DayKind

# Dates are typed dd/mm/yyyy (the active format module also accepts ISO), as on the other pages.
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class CalendarDayForm(forms.Form):
    """One official decision. The date is fixed once the row exists (editing another date is a new row)."""

    date = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("Loại"), choices=DayKind.choices)
    name = forms.CharField(label=_("Tên ngày"), max_length=200)
    document_number = forms.CharField(
        label=_("Số văn bản"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ 2450/VPCP-KGVX; để trống nếu chưa có văn bản."),
    )
    document_date = forms.DateField(label=_("Ngày văn bản"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, fixed_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_date is not None:
            self.fields["date"].disabled = True
            self.initial["date"] = fixed_date
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class CalculatorForm(forms.Form):
    """The page's count / add calculator; the same arithmetic as `congvu calendar count|add`."""

    op = forms.ChoiceField(choices=[("count", "count"), ("add", "add")])
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)
    n = forms.IntegerField(required=False, min_value=-5000, max_value=5000)

    def clean(self):
        data = super().clean()
        needed = ("start", "end") if data.get("op") == "count" else ("start", "n")
        for name in needed:
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("Cần nhập giá trị này."))
        return data
