from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congvu.registers.models import ImportRun

DEFAULT_SOURCE = "import"
ACCEPTED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".ods"}
# Binary workbooks are not measured before reading (registers.guard): saved again as .xlsx they are.
BINARY_SUFFIXES = {".xls", ".xlsb"}


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
