"""Forms of the sampling pages. They parse and check input; the services do the writing."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.sampling import stats
from congvu.sampling.models import (
    Allocation,
    ApologySlip,
    DeviationType,
    Register,
    ReviewQuality,
    SizeMethod,
    Tristate,
)

_FIELD_SIZE_LINE = re.compile(r"^\s*([^=:\s]+)\s*[=:]\s*(\d+)\s*$")


class BootstrapForm(forms.Form):
    """Bootstrap 5 classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class RateField(forms.CharField):
    """A rate typed as 95, 95% or 0.95."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return stats.parse_rate(value, str(self.label))
        except stats.SamplingError as exc:
            raise forms.ValidationError(str(exc)) from None


class SampleForm(BootstrapForm):
    inspection = forms.ModelChoiceField(queryset=None, label=_("Cuộc kiểm tra"))
    title = forms.CharField(label=_("Tên mẫu"), max_length=300, required=False)
    register = forms.ChoiceField(label=_("Chọn từ sổ"), choices=Register.choices, initial=Register.DOSSIERS)
    period_from = forms.DateField(
        label=_("Tiếp nhận từ ngày"), required=False, help_text=_("dd/mm/yyyy; trống: theo thời kỳ kiểm tra")
    )
    period_to = forms.DateField(label=_("Tiếp nhận đến ngày"), required=False)
    size_method = forms.ChoiceField(
        label=_("Cách xác định cỡ mẫu"), choices=SizeMethod.choices, initial=SizeMethod.ATTRIBUTE
    )
    fixed_size = forms.IntegerField(label=_("Cỡ mẫu cố định"), min_value=1, required=False)
    confidence = RateField(label=_("Độ tin cậy"), initial="95%", required=False)
    tolerable_rate = RateField(label=_("Tỷ lệ sai lệch chấp nhận được"), initial="5%", required=False)
    expected_rate = RateField(label=_("Tỷ lệ sai lệch dự kiến"), initial="0%", required=False)
    finite_population = forms.BooleanField(
        label=_("Hiệu chỉnh tổng thể hữu hạn (phân phối siêu bội) cho lĩnh vực ít hồ sơ"), required=False
    )
    allocation = forms.ChoiceField(label=_("Phân bổ cho các lĩnh vực"), choices=Allocation.choices)
    min_per_field = forms.IntegerField(label=_("Tối thiểu mỗi lĩnh vực"), min_value=0, initial=1)
    field_sizes = forms.CharField(
        label=_("Cỡ mẫu chỉ định theo lĩnh vực"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "dat-dai=30\nho-tich=20"}),
        help_text=_("mỗi dòng MÃ_LĨNH_VỰC=SỐ; chỉ dùng khi phân bổ riêng cho từng lĩnh vực"),
    )
    commitment_reference = forms.CharField(
        label=_("Mã cam kết sẽ ghi tại"),
        max_length=300,
        required=False,
        help_text=_("ví dụ: Thông báo số 12/TB-SNV; có thể bổ sung sau"),
    )

    def __init__(self, *args, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections

    def clean_field_sizes(self):
        result = {}
        for number, line in enumerate((self.cleaned_data.get("field_sizes") or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = _FIELD_SIZE_LINE.match(line)
            if not match:
                raise forms.ValidationError(
                    _("Dòng %(n)s: “%(line)s” không đúng dạng MÃ=SỐ.") % {"n": number, "line": line.strip()}
                )
            result[match.group(1)] = int(match.group(2))
        return result

    def clean(self):
        data = super().clean()
        if data.get("size_method") == SizeMethod.FIXED and not data.get("fixed_size"):
            self.add_error("fixed_size", _("Nhập cỡ mẫu cố định."))
        if data.get("size_method") == SizeMethod.ATTRIBUTE:
            for name in ("confidence", "tolerable_rate"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Cần nhập cho chọn mẫu thuộc tính."))
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class CommitmentForm(BootstrapForm):
    commitment_reference = forms.CharField(label=_("Mã cam kết đã ghi tại"), max_length=300, required=False)


class ExtendForm(BootstrapForm):
    new_size = forms.IntegerField(label=_("Cỡ mẫu mới"), min_value=1)


_RADIO = forms.RadioSelect(attrs={"class": "form-check-input"})

# The deviation each failing answer shows, in the order the review form asks: the "deviation" flag
# follows the answers instead of being typed independently (review-deviation.js mirrors this rule).
ANSWER_DEVIATIONS = (
    ("on_time", Tristate.NO, DeviationType.LATE),
    ("complete", Tristate.NO, DeviationType.INCOMPLETE),
    ("legal_basis_correct", Tristate.NO, DeviationType.LEGAL_BASIS),
    ("apology_slip", ApologySlip.MISSING, DeviationType.NO_APOLOGY),
    ("quality", ReviewQuality.FAILED, DeviationType.QUALITY),
)
# Deviations no answer asks about: the team names them itself.
UNASKED_DEVIATIONS = (DeviationType.PROCEDURE, DeviationType.OTHER)


def deviations_from_answers(data) -> list[str]:
    """The deviation types the review's answers show (empty when every answer is in order)."""
    return [str(kind) for name, failing, kind in ANSWER_DEVIATIONS if data.get(name) == failing]


class ReviewForm(BootstrapForm):
    on_time = forms.ChoiceField(label=_("Giải quyết đúng hạn"), choices=Tristate.choices, widget=_RADIO)
    complete = forms.ChoiceField(label=_("Hồ sơ đầy đủ thành phần"), choices=Tristate.choices, widget=_RADIO)
    legal_basis_correct = forms.ChoiceField(
        label=_("Căn cứ pháp lý đúng"), choices=Tristate.choices, widget=_RADIO
    )
    apology_slip = forms.ChoiceField(
        label=_("Phiếu xin lỗi khi quá hạn"), choices=ApologySlip.choices, widget=_RADIO
    )
    quality = forms.ChoiceField(
        label=_("Chất lượng giải quyết"), choices=ReviewQuality.choices, widget=_RADIO
    )
    deviation = forms.TypedChoiceField(
        label=_("Có sai lệch"),
        choices=[("no", _("Không")), ("yes", _("Có"))],
        coerce=lambda value: value == "yes",
        widget=_RADIO,
        help_text=_(
            "Theo các câu trả lời ở trên: một câu trả lời không đạt là có sai lệch. Chỉ tự chọn “Có” cho "
            "sai quy trình, thẩm quyền hoặc sai lệch khác."
        ),
    )
    deviation_type = forms.ChoiceField(
        label=_("Loại sai lệch"), choices=[("", "—")] + list(DeviationType.choices), required=False
    )
    notes = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.FileField(label=_("Tệp minh chứng"), required=False)

    def clean(self):
        data = super().clean()
        shown = deviations_from_answers(data)
        chosen = data.get("deviation_type") or ""
        if shown:
            # A failing answer is a deviation whatever the flag said; its type is one the answers
            # show, or one they cannot show (procedure, other).
            data["deviation"] = True
            if chosen and chosen not in shown and chosen not in UNASKED_DEVIATIONS:
                self.add_error(
                    "deviation_type",
                    _("“%(type)s” không khớp các câu trả lời; các câu trả lời cho thấy: %(shown)s.")
                    % {
                        "type": DeviationType(chosen).label,
                        "shown": ", ".join(str(DeviationType(kind).label) for kind in shown),
                    },
                )
            elif not chosen:
                data["deviation_type"] = shown[0]
        elif chosen and chosen not in UNASKED_DEVIATIONS:
            self.add_error(
                "deviation_type",
                _("“%(type)s” không khớp các câu trả lời: không câu trả lời nào cho thấy sai lệch này.")
                % {"type": DeviationType(chosen).label},
            )
        elif data.get("deviation") and not chosen:
            self.add_error(
                "deviation_type",
                _(
                    "Các câu trả lời không cho thấy sai lệch nào: có sai lệch thì phải chọn loại sai lệch "
                    "(sai quy trình, thẩm quyền hoặc khác), nếu không thì chọn “Không”."
                ),
            )
        elif chosen:
            data["deviation"] = True  # a deviation the answers cannot show, named by the team
        if data.get("deviation") is False:
            data["deviation_type"] = ""
        return data

    def rules(self) -> str:
        """The answer → deviation rule as JSON for review-deviation.js."""
        import json

        return json.dumps(
            {
                "answers": [[name, str(failing), str(kind)] for name, failing, kind in ANSWER_DEVIATIONS],
                "unasked": [str(kind) for kind in UNASKED_DEVIATIONS],
            }
        )


class FindingForm(BootstrapForm):
    category = forms.ChoiceField(label=_("Loại phát hiện"), choices=())
    severity = forms.ChoiceField(label=_("Mức độ"), choices=())
    description = forms.CharField(label=_("Nội dung phát hiện"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from congvu.inspections.models import FindingCategory, Severity

        self.fields["category"].choices = FindingCategory.choices
        self.fields["category"].initial = FindingCategory.SHORTCOMING
        self.fields["severity"].choices = Severity.choices
        self.fields["severity"].initial = Severity.MEDIUM
