from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congvu.org.models import Field
from congvu.registers.models import AssigningAuthority, ImportRun, ProductType
from congvu.registers.selectors import register_units

DEFAULT_SOURCE = "import"
ACCEPTED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".ods"}
# Binary workbooks are not measured before reading (registers.guard): saved again as .xlsx they are.
BINARY_SUFFIXES = {".xls", ".xlsb"}


class RegisterFilterForm(forms.Form):
    """The filters of a register list (GET). Units offered are those the user may see."""

    q = forms.CharField(label=_("Tìm"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=None, required=False, empty_label=_("Mọi đơn vị")
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.order_by("name"),
        required=False,
        empty_label=_("Mọi lĩnh vực"),
    )
    official = forms.CharField(label=_("Cán bộ"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = register_units(fetched_by=user)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "query": data["q"].strip(),
            "unit": data["unit"],
            "field_id": data["field"].pk if data["field"] else None,
            "official": data["official"].strip(),
        }


class TaskFilterForm(RegisterFilterForm):
    authority = forms.ChoiceField(
        label=_("Cơ quan giao"),
        choices=[("", _("Mọi cơ quan giao")), *AssigningAuthority.choices],
        required=False,
    )
    product_type = forms.ChoiceField(
        label=_("Loại sản phẩm"), choices=[("", _("Mọi loại sản phẩm")), *ProductType.choices], required=False
    )

    def filters(self) -> dict:
        result = super().filters()
        if result:
            result["authority"] = self.cleaned_data["authority"]
            result["product_type"] = self.cleaned_data["product_type"]
        return result


class ImportForm(forms.Form):
    register = forms.ChoiceField(label=_("Sổ"), choices=ImportRun.Register.choices)
    file = forms.FileField(
        label=_("Tệp dữ liệu"), help_text=_("CSV hoặc Excel (.xlsx) theo tệp mẫu; tệp lớn chạy nền.")
    )
    # An advanced option (the page folds it away): most units import from one system and never change it.
    source = forms.SlugField(
        label=_("Nguồn dữ liệu"),
        max_length=50,
        initial=DEFAULT_SOURCE,
        required=False,
        help_text=_(
            "Để trống hoặc giữ “import” nếu đơn vị chỉ nhập từ một hệ thống. Cùng nguồn và cùng mã thì "
            "cập nhật dòng đã có; nhập từ hệ thống khác (mã có thể trùng) thì đặt một nguồn riêng, ví dụ "
            "“motcua-2024” (chữ thường, số, dấu gạch)."
        ),
    )
    dry_run = forms.BooleanField(label=_("Chạy thử (chỉ kiểm tra, không lưu)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV hoặc Excel (.xlsx) theo tệp mẫu, tối đa %(mb)s MB; tệp lớn chạy nền."
        ) % {"mb": settings.IMPORT_MAX_UPLOAD_MB}

    def clean_source(self) -> str:
        return self.cleaned_data["source"] or DEFAULT_SOURCE

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix in BINARY_SUFFIXES:
            raise forms.ValidationError(
                _("Không nhận tệp Excel nhị phân (%(suffix)s): hãy lưu lại dưới dạng .xlsx hoặc CSV.")
                % {"suffix": suffix}
            )
        if suffix not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(_("Chỉ nhận tệp CSV hoặc Excel (.csv, .xlsx, .ods)."))
        if upload.size == 0:
            raise forms.ValidationError(_("Tệp rỗng."))
        from congvu.registers.guard import upload_size_error

        too_large = upload_size_error(upload.size)
        if too_large:
            raise forms.ValidationError(too_large)
        return upload
