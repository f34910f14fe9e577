"""Forms of the evaluation pages. Dates are typed dd/mm/yyyy; numbers accept a decimal comma."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.evaluation.models import Band, ConclusionKind, DisciplineForm, PeriodKind, RuleSetCode
from congvu.registers.models import ProductType

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "class": "form-control", "inputmode": "numeric"}
)
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class GenerateForm(forms.Form):
    period_kind = forms.ChoiceField(
        label=_("Loại kỳ"), choices=PeriodKind.choices, widget=forms.Select(attrs=SELECT)
    )
    period_number = forms.IntegerField(
        label=_("Kỳ"), min_value=1, max_value=12, widget=forms.NumberInput(attrs=TEXT)
    )
    as_of = forms.DateField(label=_("Số liệu tính đến ngày"), required=False, widget=DATE_WIDGET)


class ExcuseForm(forms.Form):
    document = forms.CharField(
        label=_("Số, ký hiệu văn bản xác nhận"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    document_date = forms.DateField(label=_("Ngày văn bản"), required=False, widget=DATE_WIDGET)


class ManualProductForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    title = forms.CharField(label=_("Nội dung"), max_length=500, widget=forms.TextInput(attrs=TEXT))
    weight = forms.DecimalField(
        label=_("Hệ số quy đổi"),
        min_value=0.01,
        max_digits=6,
        decimal_places=2,
        initial=1,
        localize=True,
        widget=forms.TextInput(attrs=TEXT),
    )
    completed = forms.BooleanField(label=_("Hoàn thành"), required=False)
    on_time = forms.BooleanField(label=_("Đúng hạn"), required=False)
    quality_ok = forms.BooleanField(label=_("Đạt chất lượng"), required=False)
    delays = forms.IntegerField(
        label=_("Số lần chậm"), min_value=0, initial=0, widget=forms.NumberInput(attrs=TEXT)
    )
    quality_failures = forms.IntegerField(
        label=_("Số lần đánh giá chưa đạt"), min_value=0, initial=0, widget=forms.NumberInput(attrs=TEXT)
    )


class DecideForm(forms.Form):
    band = forms.ChoiceField(label=_("Mức xếp loại"), choices=Band.choices, widget=forms.Select(attrs=SELECT))
    decision_document = forms.CharField(
        label=_("Văn bản quyết định"), max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )


class DisciplineFormForm(forms.Form):
    official_code = forms.CharField(label=_("Mã cán bộ"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    form = forms.ChoiceField(
        label=_("Hình thức"), choices=DisciplineForm.choices, widget=forms.Select(attrs=SELECT)
    )
    effective_date = forms.DateField(label=_("Ngày có hiệu lực"), widget=DATE_WIDGET)
    decision_number = forms.CharField(
        label=_("Số quyết định"), max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DATE_WIDGET)
    public_duty_violation = forms.BooleanField(
        label=_("Vi phạm liên quan đến hoạt động công vụ"), required=False
    )
    source_description = forms.CharField(
        label=_("Căn cứ, nguồn"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )


class RuleSetAssignmentForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT)
    )
    staff_type = forms.ChoiceField(
        label=_("Loại cán bộ"),
        choices=[
            ("civil_servant", _("Công chức")),
            ("public_employee", _("Viên chức")),
            ("cadre", _("Cán bộ")),
        ],
        widget=forms.Select(attrs=SELECT),
    )
    unit_code = forms.CharField(
        label=_("Mã đơn vị (trống: toàn tỉnh)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    rule_set = forms.ChoiceField(
        label=_("Bộ quy tắc"), choices=RuleSetCode.choices, widget=forms.Select(attrs=SELECT)
    )
    overrides = forms.JSONField(
        label=_("Tham số điều chỉnh (JSON)"),
        required=False,
        initial=dict,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4, "class": "form-control font-monospace"}),
    )
    basis = forms.CharField(
        label=_("Căn cứ"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )


class CatalogueItemForm(forms.Form):
    name = forms.CharField(
        label=_("Tên sản phẩm/công việc"), max_length=300, widget=forms.TextInput(attrs=TEXT)
    )
    position = forms.CharField(
        label=_("Vị trí việc làm (trống: mọi vị trí)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    product_type = forms.ChoiceField(
        label=_("Loại sản phẩm"),
        choices=[("", _("Mọi loại")), *ProductType.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    weight = forms.DecimalField(
        label=_("Hệ số quy đổi"),
        min_value=0.01,
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs=TEXT),
    )
    active = forms.BooleanField(label=_("Đang áp dụng"), required=False, initial=True)


class ConclusionForm(forms.Form):
    official_code = forms.CharField(label=_("Mã cán bộ"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    kind = forms.ChoiceField(
        label=_("Nội dung kết luận"), choices=ConclusionKind.choices, widget=forms.Select(attrs=SELECT)
    )
    document_number = forms.CharField(
        label=_("Số văn bản kết luận"), max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    document_date = forms.DateField(label=_("Ngày văn bản"), widget=DATE_WIDGET)
    authority = forms.CharField(label=_("Cấp kết luận"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    handled_unit = forms.CharField(
        label=_("Đơn vị bị xử lý (điểm d)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    summary = forms.CharField(
        label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )


class UnitRatingForm(forms.Form):
    band = forms.ChoiceField(
        label=_("Xếp loại của đơn vị"), choices=Band.choices, widget=forms.Select(attrs=SELECT)
    )
    decision_document = forms.CharField(
        label=_("Văn bản quyết định"), max_length=200, widget=forms.TextInput(attrs=TEXT)
    )


class QuotaGroupForm(forms.Form):
    official_code = forms.CharField(label=_("Mã cán bộ"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    group = forms.CharField(
        label=_("Nhóm nhiệm vụ tương đồng"),
        max_length=100,
        required=False,
        help_text=_("để trống: nhóm theo chức danh"),
        widget=forms.TextInput(attrs=TEXT),
    )


def _count(label, initial=0, required=False):
    return forms.IntegerField(
        label=label, min_value=0, initial=initial, required=required, widget=forms.NumberInput(attrs=TEXT)
    )


class Nd90ConditionsForm(forms.Form):
    """The conditions of Decree 90/2020 (as amended by 48/2023) an evaluator checks for one official."""

    official_code = forms.CharField(label=_("Mã cán bộ"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    general_criteria_level = forms.ChoiceField(
        label=_("Tiêu chí chung (Điều 3 khoản 1–4)"),
        choices=[("tot", _("Thực hiện tốt")), ("dat", _("Đạt")), ("khong_dat", _("Không đạt"))],
        widget=forms.Select(attrs=SELECT),
    )
    tasks_total = _count(_("Số tiêu chí/nhiệm vụ được giao"), required=True, initial=None)
    tasks_completed = _count(_("Số hoàn thành"), required=True, initial=None)
    tasks_on_time_quality = _count(_("Số đúng tiến độ, chất lượng, hiệu quả"), required=True, initial=None)
    tasks_exceeded = _count(_("Số hoàn thành vượt mức"))
    unit_targets_total = _count(_("Lãnh đạo: số chỉ tiêu, nhiệm vụ của đơn vị/lĩnh vực"))
    unit_targets_completed = _count(_("Lãnh đạo: số chỉ tiêu hoàn thành"))
    unit_targets_on_time_quality = _count(_("Lãnh đạo: số chỉ tiêu đúng tiến độ, chất lượng"))
    unit_targets_exceeded = _count(_("Lãnh đạo: số chỉ tiêu vượt mức"))
    subunits_total = _count(_("Lãnh đạo: số đơn vị thuộc quyền"))
    subunits_completed_or_better = _count(_("Lãnh đạo: số đơn vị hoàn thành trở lên"))
    subunits_good_or_better = _count(_("Lãnh đạo: số đơn vị tốt trở lên"))
    months_worked = _count(_("Số tháng công tác trong năm"), initial=12)
    leave_months = _count(_("Số tháng nghỉ"))
    maternity_leave = forms.BooleanField(label=_("Nghỉ thai sản"), required=False)
