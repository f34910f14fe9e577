"""Forms: they parse and validate input (dates as dd/mm/yyyy); the services do the writes."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congvu.accounts.models import Role, User
from congvu.inspections.files import allowed_extensions, max_bytes
from congvu.inspections.models import (
    ChecklistItem,
    EvidenceKind,
    FindingCategory,
    FindingStatus,
    InspectionKind,
    ItemResult,
    PlanItem,
    PlanStatus,
    RecommendationKind,
    Severity,
    TeamRole,
)
from congvu.org.models import Appointment, AppointmentRole, Official, Unit
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.registers.models import Dossier, Task
from congvu.registers.selectors import dossier_list, task_list

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "class": "form-control"})


def _date(label, required=False):
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET)


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates can render `{{ field }}` plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


def current_units():
    today = timezone.localdate()
    return Unit.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).order_by("name")


class PlanForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    number = forms.CharField(label=_("Số kế hoạch"), max_length=100, required=False)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    content = forms.CharField(
        label=_("Nội dung, phương pháp, tổ chức thực hiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanItemForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    month = forms.TypedChoiceField(
        label=_("Tháng"), coerce=int, choices=[(m, f"{m:02d}") for m in range(1, 13)]
    )
    content = forms.CharField(
        label=_("Nội dung kiểm tra"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    period_from = _date(_("Thời kỳ từ ngày"))
    period_to = _date(_("đến ngày"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = current_units()


class InspectionCreateForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=InspectionKind.choices)
    plan_item = forms.ModelChoiceField(
        label=_("Đơn vị trong kế hoạch (kiểm tra theo kế hoạch)"),
        queryset=PlanItem.objects.none(),
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị được kiểm tra (kiểm tra đột xuất)"), queryset=Unit.objects.none(), required=False
    )
    title = forms.CharField(label=_("Tên cuộc kiểm tra"), max_length=300, required=False)
    content = forms.CharField(
        label=_("Nội dung kiểm tra"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    period_from = _date(_("Thời kỳ kiểm tra từ ngày"))
    period_to = _date(_("đến ngày"))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)
    decision_date = _date(_("Ngày quyết định"))
    self_report_due = _date(_("Hạn gửi báo cáo tự kiểm tra"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = (
            PlanItem.objects.filter(plan__status=PlanStatus.APPROVED)
            .select_related("plan", "unit")
            .order_by("-plan__year", "month", "unit__name")
        )
        self.fields["plan_item"].label_from_instance = lambda i: (
            f"{i.plan.year} — {i.unit} (tháng {i.month:02d})"
        )
        self.fields["unit"].queryset = current_units()

    def clean(self):
        data = super().clean()
        if data.get("kind") == InspectionKind.SCHEDULED and not data.get("plan_item"):
            self.add_error("plan_item", _("Kiểm tra theo kế hoạch: hãy chọn đơn vị trong kế hoạch."))
        if data.get("kind") == InspectionKind.SURPRISE:
            if not data.get("unit"):
                self.add_error("unit", _("Kiểm tra đột xuất: hãy chọn đơn vị."))
            for name in ("period_from", "period_to"):
                if not data.get(name):
                    self.add_error(name, _("Hãy nhập thời kỳ kiểm tra."))
        return data


class InspectionEditForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Tên cuộc kiểm tra"), max_length=300)
    content = forms.CharField(
        label=_("Nội dung kiểm tra"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100, required=False)
    decision_date = _date(_("Ngày quyết định"))
    period_from = _date(_("Thời kỳ kiểm tra từ ngày"), required=True)
    period_to = _date(_("đến ngày"), required=True)
    self_report_due = _date(_("Hạn gửi báo cáo tự kiểm tra"))
    conclusion_number = forms.CharField(label=_("Số thông báo kết luận"), max_length=100, required=False)
    conclusion_date = _date(_("Ngày thông báo kết luận"))
    conclusion_summary = forms.CharField(
        label=_("Tóm tắt kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TransitionForm(forms.Form):
    to_status = forms.CharField(max_length=30)
    note = forms.CharField(required=False, max_length=2000)


class TeamMemberForm(BootstrapMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Người"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Vai trò trong đoàn"), choices=TeamRole.choices)
    organisation = forms.CharField(label=_("Cơ quan công tác"), max_length=200, required=False)

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = User.objects.filter(role__in=[Role.INSPECTOR, Role.LEAD], is_active=True).order_by("full_name")
        if inspection is not None:
            qs = qs.exclude(pk__in=inspection.team.values("user_id"))
        self.fields["user"].queryset = qs
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.get_role_display()})"


class DocumentRequestForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Tài liệu yêu cầu"), max_length=300)
    due_on = _date(_("Hạn cung cấp"))
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResponseForm(BootstrapMixin, forms.Form):
    response_text = forms.CharField(
        label=_("Nội dung trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def leader_officials(inspection):
    """Heads and deputies of the unit (or the units it absorbed) during the period under review."""
    appointments = Appointment.objects.filter(
        unit_id__in=unit_with_predecessor_ids(inspection.unit_id),
        role__in=[AppointmentRole.HEAD, AppointmentRole.DEPUTY],
        start__lte=inspection.period_to,
    ).filter(Q(end__isnull=True) | Q(end__gte=inspection.period_from))
    return Official.objects.filter(pk__in=appointments.values("official_id")).order_by("full_name")


class FindingForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("Nội dung phát hiện"), widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("Loại"), choices=FindingCategory.choices)
    severity = forms.ChoiceField(label=_("Mức độ"), choices=Severity.choices, initial=Severity.MEDIUM)
    responsible = forms.ModelChoiceField(
        label=_("Người chịu trách nhiệm (người đứng đầu, cấp phó)"),
        queryset=Official.objects.none(),
        required=False,
    )
    checklist_items = forms.ModelMultipleChoiceField(
        label=_("Mục kiểm tra liên quan"),
        queryset=ChecklistItem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    # Chosen through the record picker (a search over the inspected unit's registers); the
    # querysets below accept only records of that unit the user may see.
    # (hidden widgets: the template renders the picker's checkboxes, never a select of a whole register)
    tasks = forms.ModelMultipleChoiceField(
        label=_("Nhiệm vụ liên quan"),
        queryset=Task.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    dossiers = forms.ModelMultipleChoiceField(
        label=_("Hồ sơ liên quan"),
        queryset=Dossier.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, inspection, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = task_list(fetched_by=user, unit=inspection.unit)
        self.fields["dossiers"].queryset = dossier_list(fetched_by=user, unit=inspection.unit)
        self.fields["responsible"].queryset = leader_officials(inspection)
        self.fields["checklist_items"].queryset = ChecklistItem.objects.filter(
            checklist__inspection=inspection
        ).select_related("checklist")
        self.fields["checklist_items"].label_from_instance = lambda i: (
            f"{i.checklist.title} — {i.order}. {i.text}"
        )

    def picked(self, name: str) -> list:
        """The records already chosen in the picker (the posted ones, or the saved ones)."""
        if self.is_bound:
            ids = [v for v in self.data.getlist(self.add_prefix(name)) if str(v).isdigit()]
        else:
            ids = [getattr(v, "pk", v) for v in self.initial.get(name) or ()]
        return list(self.fields[name].queryset.filter(pk__in=ids).order_by("external_code")) if ids else []

    @property
    def picked_tasks(self) -> list:
        return self.picked("tasks")

    @property
    def picked_dossiers(self) -> list:
        return self.picked("dossiers")


class RecommendationForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Hình thức"), choices=RecommendationKind.choices)
    addressee = forms.CharField(label=_("Đối tượng kiến nghị"), max_length=300)
    content = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = _date(_("Hạn thực hiện"))
    finding = forms.ModelChoiceField(label=_("Phát hiện"), queryset=None, required=False)
    official = forms.ModelChoiceField(
        label=_("Cán bộ liên quan (bắt buộc với đề nghị kỷ luật)"),
        queryset=Official.objects.none(),
        required=False,
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = inspection.findings.exclude(status=FindingStatus.WITHDRAWN)
        self.fields["official"].queryset = leader_officials(inspection)


class ChecklistResultField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=[("", "—"), *ItemResult.choices], required=False, **kwargs)


class EvidenceForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Tệp"))
    kind = forms.ChoiceField(label=_("Loại"), choices=EvidenceKind.choices, initial=EvidenceKind.EVIDENCE)
    description = forms.CharField(label=_("Mô tả"), max_length=300, required=False)
    target = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(allowed_extensions())
        self.fields["file"].help_text = _("Tối đa %(mb)d MB; nhận: %(ext)s") % {
            "mb": max_bytes() // 1024 // 1024,
            "ext": ", ".join(allowed_extensions()),
        }
