"""Forms: they parse and validate input (dates as dd/mm/yyyy); the services do the writes."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congvu.documents.kinds import NUMBER_CODES, Kind, kind_choices
from congvu.documents.models import Issuer
from congvu.org.models import Unit


class BlocksForm(forms.Form):
    """The text blocks a kind's template exposes, each prefilled with what the draft says now."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, spec: Kind, **kwargs):
        super().__init__(*args, **kwargs)
        for block in spec.blocks:
            widget = (
                forms.Textarea(attrs={"rows": 4, "class": "form-control"})
                if block.multiline
                else forms.TextInput(attrs={"class": "form-control"})
            )
            self.fields[block.name] = forms.CharField(
                label=block.label, required=False, widget=widget, strip=False, max_length=20_000
            )

    def blocks(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class IssueForm(forms.Form):
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "class": "form-control"}),
    )

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày ban hành không được sau hôm nay."))
        return day


class IssuerForm(forms.ModelForm):
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.all(), widget=forms.Select(attrs={"class": "form-select"})
    )

    class Meta:
        model = Issuer
        fields = [
            "unit",
            "superior",
            "name",
            "abbreviation",
            "place",
            "signer_title",
            "signer_name",
            "is_default",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("unit", "is_default"):
                field.widget.attrs.setdefault("class", "form-control")


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=kind_choices())
    file = forms.FileField(
        label=_("Tệp mẫu DOCX"), widget=forms.ClearableFileInput(attrs={"accept": ".docx"})
    )


class CounterForm(forms.Form):
    """Where a sequence continues from (numbers given on paper before the registry was used)."""

    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    number_code = forms.ChoiceField(label=_("Loại văn bản"), choices=[(c, c) for c in NUMBER_CODES])
    last_number = forms.IntegerField(label=_("Số cuối đã cấp"), min_value=0)
