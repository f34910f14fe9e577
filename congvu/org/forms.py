"""Forms of the organisation pages. Dates are typed dd/mm/yyyy (the active format module)."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from congvu.org.models import AppointmentRole, Field, LineageEvent, Sex, StaffType, Unit, UnitKind
from congvu.org.services import NewUnit

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "class": "form-control", "inputmode": "numeric"}
)


class DayForm(forms.Form):
    """The `?date=` of the tree and unit pages."""

    date = forms.DateField(label=_("Ngày"), required=False, widget=DATE_WIDGET)


class _UnitChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.code}"


class _ParentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.code}"


def _open_units():
    """Units still in existence (no end date): the only ones a merge, split or rename can close."""
    return Unit.objects.filter(valid_to__isnull=True).order_by("kind", "name")


def _grouped(units, empty: bool) -> list:
    """Choices grouped by kind (province bodies first, then departments, then communes and wards)."""
    order = [k for k, _label in UnitKind.choices]
    groups: dict[str, list] = {}
    for unit in sorted(units, key=lambda u: (order.index(u.kind), u.name_folded)):
        groups.setdefault(unit.get_kind_display(), []).append((unit.pk, f"{unit.name} — {unit.code}"))
    return ([("", "---------")] if empty else []) + list(groups.items())


class LineageForm(forms.Form):
    """One merge, split or rename: the predecessors close the day before `date`."""

    event = forms.ChoiceField(label=_("Sự kiện"), choices=LineageEvent.choices)
    date = forms.DateField(
        label=_("Ngày hiệu lực"), widget=DATE_WIDGET, help_text=_("ngày đầu tiên của đơn vị kế thừa")
    )
    document = forms.CharField(label=_("Văn bản quyết định"), max_length=200, required=False)
    predecessors = _UnitChoice(
        label=_("Đơn vị tiền thân"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10, "class": "form-select"}),
        help_text=_("sẽ hết hiệu lực vào ngày trước ngày hiệu lực"),
    )
    successors = _UnitChoice(
        label=_("Đơn vị kế thừa đã có"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6, "class": "form-select"}),
        help_text=_("đơn vị tiếp tục tồn tại và nhận thêm (sáp nhập vào)"),
    )
    new_code = forms.CharField(label=_("Mã đơn vị mới"), max_length=40, required=False)
    new_name = forms.CharField(label=_("Tên đơn vị mới"), max_length=255, required=False)
    new_kind = forms.ChoiceField(
        label=_("Loại đơn vị mới"), choices=[("", "---------"), *UnitKind.choices], required=False
    )
    new_abbreviation = forms.CharField(label=_("Viết tắt"), max_length=30, required=False)
    new_parent = _ParentChoice(
        label=_("Đơn vị cấp trên của đơn vị mới"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("để trống: cấp trên chung của các đơn vị tiền thân"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = list(_open_units())
        for name in ("predecessors", "successors", "new_parent"):
            self.fields[name].queryset = _open_units()
            self.fields[name].widget.choices = _grouped(units, empty=name == "new_parent")
        for name in ("event", "document", "new_code", "new_name", "new_kind", "new_abbreviation"):
            self.fields[name].widget.attrs.setdefault(
                "class", "form-select" if name in ("event", "new_kind") else "form-control"
            )
        self.fields["new_parent"].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        code, name = data.get("new_code", "").strip(), data.get("new_name", "").strip()
        if bool(code) != bool(name):
            raise forms.ValidationError(_("Đơn vị mới cần cả mã và tên."))
        if code and not data.get("new_kind"):
            self.add_error("new_kind", _("Chọn loại đơn vị mới."))
        if code and Unit.objects.filter(code=code).exists():
            self.add_error("new_code", _("Mã %(code)s đã được dùng cho một đơn vị khác.") % {"code": code})
        data["new_units"] = (
            [
                NewUnit(
                    code=code,
                    name=name,
                    kind=data.get("new_kind"),
                    parent=data.get("new_parent"),
                    abbreviation=data.get("new_abbreviation", "").strip(),
                )
            ]
            if code
            else []
        )
        return data


class OfficialForm(forms.Form):
    code = forms.CharField(label=_("Mã cán bộ"), max_length=40)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    staff_type = forms.ChoiceField(
        label=_("Loại"), choices=StaffType.choices, initial=StaffType.CIVIL_SERVANT
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    birth_date = forms.DateField(label=_("Ngày sinh"), required=False, widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Sex.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name in ("staff_type", "sex") else "form-control"


class OfficialPersonalForm(forms.Form):
    """Birth date and sex of an existing official (cadre planning reads the retirement date)."""

    birth_date = forms.DateField(label=_("Ngày sinh"), required=False, widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Sex.choices], required=False)


class AppointmentForm(forms.Form):
    unit = _ParentChoice(label=_("Đơn vị"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Vị trí"), choices=AppointmentRole.choices)
    title = forms.CharField(label=_("Chức danh"), max_length=200)
    start = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET, required=False)
    fields = forms.ModelMultipleChoiceField(
        label=_("Lĩnh vực phụ trách"),
        queryset=Field.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "class": "form-select"}),
    )
    decision = forms.CharField(label=_("Quyết định"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Current units first, then the former ones, the most recently closed first.
        self.fields["unit"].queryset = Unit.objects.order_by(
            F("valid_to").desc(nulls_first=True), "kind", "name"
        )
        for name in ("unit", "role"):
            self.fields[name].widget.attrs["class"] = "form-select"
        for name in ("title", "decision"):
            self.fields[name].widget.attrs["class"] = "form-control"


class AppointmentEndForm(forms.Form):
    end = forms.DateField(label=_("Ngày kết thúc"), widget=DATE_WIDGET)
