"""Forms of the Director's report pages: they parse input (dates dd/mm/yyyy); the services validate
the rules and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.inspections.forms import DATE_WIDGET, BootstrapMixin
from congvu.inspections.models import Finding, FindingStatus
from congvu.org.models import Appointment, Official, Unit
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.proposals.models import (
    ALL_VALUES,
    DecisionOutcome,
    ProposalKind,
    ReportKind,
)


def _date(label, required=False):
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET)


class ReportCreateForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportKind.choices, widget=forms.RadioSelect)
    inspection = forms.ModelChoiceField(label=_("Cuộc kiểm tra đã kết luận"), queryset=None, required=False)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-check-input"
        self.fields["inspection"].queryset = inspections
        self.fields["inspection"].label_from_instance = lambda i: (
            f"{i.unit.name} — {i.title} ({i.conclusion_number or i.get_status_display()})"
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportKind.INSPECTION and not data.get("inspection"):
            self.add_error("inspection", _("Chọn cuộc kiểm tra đã có thông báo kết luận."))
        if data.get("kind") == ReportKind.YEAR and not data.get("year"):
            self.add_error("year", _("Nhập năm của báo cáo tổng hợp."))
        return data


class ReportEditForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Trích yếu"), max_length=300)
    number = forms.CharField(label=_("Số, ký hiệu báo cáo"), max_length=100, required=False)
    report_date = _date(_("Ngày báo cáo"))
    summary = forms.CharField(
        label=_("Nhận xét, đánh giá chung"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


def _report_units(report) -> list[Unit]:
    from congvu.proposals.services import report_inspections

    seen, units = set(), []
    for inspection in report_inspections(report):
        if inspection.unit_id not in seen:
            seen.add(inspection.unit_id)
            units.append(inspection.unit)
    return units


def _report_findings(report):
    from congvu.proposals.services import report_inspections

    return (
        Finding.objects.filter(
            inspection__in=[i.pk for i in report_inspections(report)], status=FindingStatus.CONFIRMED
        )
        .select_related("responsible", "inspection")
        .order_by("pk")
    )


def _finding_label(f: Finding) -> str:
    who = f" — {f.responsible}" if f.responsible_id else ""
    return f"{f.inspection.title} — #{f.display_number} {f.description[:100]}{who}"


class ProposalForm(BootstrapMixin, forms.Form):
    """A proposal added by the lead: kind, the unit concerned and (for discipline and classification)
    the official, what is proposed, the year, the reasons and the findings behind it."""

    kind = forms.ChoiceField(label=_("Loại đề xuất"), choices=ProposalKind.choices)
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    official = forms.ModelChoiceField(
        label=_("Cán bộ"),
        queryset=Official.objects.none(),
        required=False,
        help_text=_("Để trống: đề xuất về đơn vị"),
    )
    value = forms.ChoiceField(label=_("Nội dung đề xuất"), choices=[("", "—"), *ALL_VALUES.items()])
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2000, max_value=2100)
    reasons = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    public_duty_violation = forms.BooleanField(
        label=_("Vi phạm trong thi hành công vụ"), required=False, initial=True
    )
    findings = forms.ModelMultipleChoiceField(
        label=_("Phát hiện liên quan"), queryset=Finding.objects.none(), required=False
    )

    def __init__(self, *args, report, **kwargs):
        kwargs["initial"] = {"year": report.year, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        units = _report_units(report)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("name")
        unit_ids = set()
        for unit in units:
            unit_ids |= unit_with_predecessor_ids(unit.pk)
        self.fields["official"].queryset = Official.objects.filter(
            pk__in=Appointment.objects.filter(unit_id__in=unit_ids).values("official_id")
        ).order_by("full_name")
        self.fields["official"].label_from_instance = lambda o: f"{o.full_name} ({o.code})"
        self.fields["findings"].queryset = _report_findings(report)
        self.fields["findings"].label_from_instance = _finding_label


class ProposalEditForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.ChoiceField(label=_("Nội dung đề xuất"))
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2000, max_value=2100)
    reasons = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    public_duty_violation = forms.BooleanField(label=_("Vi phạm trong thi hành công vụ"), required=False)
    findings = forms.ModelMultipleChoiceField(
        label=_("Phát hiện liên quan"), queryset=Finding.objects.none(), required=False
    )

    def __init__(self, *args, proposal, **kwargs):
        from congvu.proposals.models import VALUES_BY_KIND

        super().__init__(*args, **kwargs)
        self.fields["value"].choices = list(VALUES_BY_KIND[proposal.kind].items())
        self.fields["findings"].queryset = _report_findings(proposal.report)
        self.fields["findings"].label_from_instance = _finding_label


class DecisionForm(BootstrapMixin, forms.Form):
    """The Chairman's decision on one proposal, with the deciding document."""

    outcome = forms.ChoiceField(label=_("Ý kiến của Chủ tịch UBND tỉnh"), choices=DecisionOutcome.choices)
    value = forms.ChoiceField(label=_("Nội dung quyết định (khi quyết định khác đề xuất)"), required=False)
    document_number = forms.CharField(label=_("Số, ký hiệu văn bản"), max_length=100)
    document_date = _date(_("Ngày văn bản"), required=True)
    signed_by = forms.CharField(
        label=_("Người ký"), max_length=200, help_text=_("ví dụ: Chủ tịch UBND tỉnh Nguyễn Văn A")
    )
    effective_date = _date(_("Ngày có hiệu lực (kỷ luật; để trống: ngày văn bản)"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, proposal, **kwargs):
        from congvu.proposals.services import allowed_decision_values

        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [("", "—"), *allowed_decision_values(proposal).items()]
