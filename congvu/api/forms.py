from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Tên mã truy cập"), max_length=100, help_text=_("ví dụ: đồng bộ phần mềm một cửa")
    )
    expires_on = forms.DateField(
        label=_("Hết hạn ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy; bỏ trống: không hết hạn"),
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Ngày hết hạn phải sau hôm nay."))
        return day

    def expires_at(self) -> datetime | None:
        """The end of the chosen day, local time (the token works through that whole day)."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.max))
