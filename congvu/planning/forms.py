"""Forms of the planning pages. Dates are typed dd/mm/yyyy (the active format module)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.org.forms import DATE_WIDGET
from congvu.org.models import Official, Unit
from congvu.planning.models import PlannedRole


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.code}"


class PlanningEntryForm(forms.Form):
    official_code = forms.CharField(label=_("Mã cán bộ"), max_length=40)
    unit = _UnitChoice(label=_("Đơn vị của chức danh"), queryset=Unit.objects.order_by("name"))
    role = forms.ChoiceField(label=_("Chức danh quy hoạch"), choices=PlannedRole.choices)
    term = forms.CharField(
        label=_("Nhiệm kỳ"), max_length=9, initial="2031-2036", help_text=_("Ví dụ 2031-2036")
    )
    decision_number = forms.CharField(label=_("Số quyết định phê duyệt"), max_length=100)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DATE_WIDGET)
    woman_retires_at_60 = forms.BooleanField(label=_("Nữ được nghỉ hưu ở tuổi 60"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-check-input" if name == "woman_retires_at_60" else "form-control"
            if name in ("unit", "role"):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)

    def clean_official_code(self):
        code = self.cleaned_data["official_code"].strip()
        official = Official.objects.filter(code=code).first()
        if official is None:
            raise forms.ValidationError(_("Không có cán bộ mã “%(code)s”.") % {"code": code})
        self.cleaned_data["official"] = official
        return code


class TakeOutForm(forms.Form):
    out_date = forms.DateField(label=_("Ngày đưa ra"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.CharField(label=_("Quyết định"), max_length=100, required=False)


class SheetForm(forms.Form):
    term = forms.CharField(label=_("Nhiệm kỳ"), max_length=9, required=False)
    date = forms.DateField(label=_("Ngày rà soát"), required=False, widget=DATE_WIDGET)
