"""The Director's report to the PPC Chairman and the Chairman's decisions (DOMAIN §1 item 2, §2 step 8).

A `DirectorReport` (báo cáo của Giám đốc Sở Nội vụ) covers one concluded inspection or one year. It
assembles the results (per unit and per head/deputy) and carries `Proposal` rows: handling forms
(DOMAIN §2), discipline under Decree 172/2025/NĐ-CP — always a *proposal* here — and the proposed
year-end classification. The Chairman's `Decision` is recorded per proposal (accepted, changed,
rejected) with its document; a decided discipline or classification flows into the official's year
record through the evaluation app's services.

Who records a decision: a user with the *leadership* role (the Chairman or a vice chairman), or the
inspection *lead* on the Chairman's behalf (DoHA enters the Chairman's signed document, a common
practice). Either way the deciding document's number and date are required, the signer is named,
and `on_behalf` says which of the two it was.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from congvu.core.scoping import ScopedQuerySet

USER = settings.AUTH_USER_MODEL


class ReportKind(models.TextChoices):
    INSPECTION = "inspection", _("Theo cuộc kiểm tra")
    YEAR = "year", _("Tổng hợp năm")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã trình Chủ tịch UBND tỉnh")
    DECIDED = "decided", _("Chủ tịch UBND tỉnh đã quyết định")


class ProposalKind(models.TextChoices):
    HANDLING = "handling", _("Hình thức xử lý")
    DISCIPLINE = "discipline", _("Đề nghị kỷ luật")
    CLASSIFICATION = "classification", _("Đề xuất xếp loại")


# Handling forms, mildest first (DOMAIN §2); the codes are the recommendations' kinds.
HANDLING_FORMS = {
    "correction": _("Chấn chỉnh"),
    "reminder": _("Nhắc nhở"),
    "criticism": _("Phê bình"),
    "self_criticism": _("Kiểm điểm, rút kinh nghiệm"),
}
# Discipline forms of Decree 172/2025/NĐ-CP, in the evaluation app's codes.
DISCIPLINE_FORMS = {
    "khien_trach": _("Khiển trách"),
    "canh_cao": _("Cảnh cáo"),
    "cach_chuc": _("Cách chức"),
    "buoc_thoi_viec": _("Buộc thôi việc"),
}
# Year-end classification bands, in the evaluation app's codes.
BANDS = {
    "xuat_sac": _("Hoàn thành xuất sắc nhiệm vụ"),
    "tot": _("Hoàn thành tốt nhiệm vụ"),
    "hoan_thanh": _("Hoàn thành nhiệm vụ"),
    "khong_hoan_thanh": _("Không hoàn thành nhiệm vụ"),
}
VALUES_BY_KIND = {
    ProposalKind.HANDLING: HANDLING_FORMS,
    ProposalKind.DISCIPLINE: DISCIPLINE_FORMS,
    ProposalKind.CLASSIFICATION: BANDS,
}
ALL_VALUES = {**HANDLING_FORMS, **DISCIPLINE_FORMS, **BANDS}
# A recommendation's discipline kind -> the discipline form proposed.
RECOMMENDATION_TO_DISCIPLINE = {
    "reprimand": "khien_trach",
    "warning": "canh_cao",
    "dismissal": "cach_chuc",
    "forced_resignation": "buoc_thoi_viec",
}
# The Chairman may decide a milder, non-disciplinary form on a discipline proposal.
DISCIPLINE_DECISION_VALUES = {**DISCIPLINE_FORMS, "reminder": HANDLING_FORMS["reminder"]}
DISCIPLINE_DECISION_VALUES["criticism"] = HANDLING_FORMS["criticism"]
# Decided handling forms of an official that the evaluation app records (never an override).
HANDLING_TO_RECORD = {"reminder": "nhac_nho", "criticism": "phe_binh"}


def value_label(value: str) -> str:
    return str(ALL_VALUES.get(value, value)) if value else ""


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportQuerySet":
        """Province-wide roles read every report. A unit role sees a report only once it has been
        submitted and only when the Chairman has decided a proposal concerning its unit (or a unit it
        absorbed); what it may read inside is narrowed by the selectors. Anyone else sees nothing."""
        from congvu.core.scoping import visible_unit_ids

        ids = visible_unit_ids(user)
        if ids is None:
            return self.all()
        if not ids:
            return self.none()
        decided_here = Proposal.objects.filter(report=OuterRef("pk"), unit_id__in=ids, decision__isnull=False)
        return self.exclude(status=ReportStatus.DRAFT).filter(Exists(decided_here))


class DirectorReport(models.Model):
    """The Director's report and proposals to the PPC Chairman (báo cáo kết quả kiểm tra công vụ và đề
    xuất xử lý), for one concluded inspection or for a year. Draft (the lead edits) → submitted →
    decided (every proposal has the Chairman's decision). On submission the assembled results are
    frozen in `frozen_context`, so the report the Chairman read never changes."""

    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=ReportKind.choices)
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("cuộc kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="director_reports",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("trích yếu"), max_length=300)
    number = models.CharField(_("số, ký hiệu báo cáo"), max_length=100, blank=True)
    report_date = models.DateField(_("ngày báo cáo"), null=True, blank=True)
    summary = models.TextField(_("nhận xét, đánh giá chung"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    frozen_context = models.JSONField(_("kết quả chốt khi trình"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("người lập"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        USER,
        verbose_name=_("người trình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    decided_at = models.DateTimeField(_("quyết định xong lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo, đề xuất lên Chủ tịch")
        verbose_name_plural = _("báo cáo, đề xuất lên Chủ tịch")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="report_inspection_matches_kind",
                condition=Q(kind="inspection", inspection__isnull=False)
                | Q(kind="year", inspection__isnull=True),
                violation_error_message=_(
                    "Báo cáo theo cuộc kiểm tra phải gắn với một cuộc kiểm tra; báo cáo năm thì không."
                ),
            ),
            models.UniqueConstraint(
                fields=["inspection"],
                condition=Q(inspection__isnull=False),
                name="report_once_per_inspection",
                violation_error_message=_("Cuộc kiểm tra này đã có báo cáo."),
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(kind="year"),
                name="report_once_per_year",
                violation_error_message=_("Năm này đã có báo cáo tổng hợp."),
            ),
            models.CheckConstraint(
                name="report_year_range",
                condition=Q(year__gte=2000, year__lte=2100),
                violation_error_message=_("Năm phải từ 2000 đến 2100."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT


class ProposalOrigin(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Từ kiến nghị của đoàn")
    EVALUATION = "evaluation", _("Từ kết quả đánh giá năm")
    LEAD = "lead", _("Lãnh đạo kiểm tra nhập")


class Proposal(models.Model):
    """One proposal to the Chairman about an official or, with no official, about a unit: a handling
    form, a discipline form (Decree 172/2025, a proposal only) or a year-end classification. `unit` is
    always the unit concerned (the official's unit in the inspection), which scopes it."""

    report = models.ForeignKey(
        DirectorReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="proposals"
    )
    kind = models.CharField(_("loại đề xuất"), max_length=15, choices=ProposalKind.choices)
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    official = models.ForeignKey(
        "org.Official",
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.CharField(_("nội dung đề xuất"), max_length=20, choices=list(ALL_VALUES.items()))
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    reasons = models.TextField(_("lý do"), blank=True)
    public_duty_violation = models.BooleanField(
        _("vi phạm trong thi hành công vụ"),
        default=True,
        help_text=_(
            "Kỷ luật từ khiển trách trở lên vì vi phạm công vụ làm cán bộ bị xếp loại không hoàn thành."
        ),
    )
    findings = models.ManyToManyField(
        "inspections.Finding", verbose_name=_("phát hiện liên quan"), blank=True, related_name="+"
    )
    recommendations = models.ManyToManyField(
        "inspections.Recommendation", verbose_name=_("kiến nghị liên quan"), blank=True, related_name="+"
    )
    origin = models.CharField(_("nguồn"), max_length=15, choices=ProposalOrigin.choices)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    created_by = models.ForeignKey(
        USER, verbose_name=_("người lập"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("đề xuất")
        verbose_name_plural = _("đề xuất")
        ordering = ["report", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="proposal_value_fits_kind",
                condition=Q(kind="handling", value__in=list(HANDLING_FORMS))
                | Q(kind="discipline", value__in=list(DISCIPLINE_FORMS))
                | Q(kind="classification", value__in=list(BANDS)),
                violation_error_message=_("Nội dung đề xuất không thuộc loại đề xuất đã chọn."),
            ),
            models.CheckConstraint(
                name="proposal_names_official",
                condition=Q(kind="handling") | Q(official__isnull=False),
                violation_error_message=_("Đề nghị kỷ luật và đề xuất xếp loại phải nêu cán bộ."),
            ),
        ]

    def __str__(self) -> str:
        who = self.official or self.unit
        return f"{self.get_kind_display()}: {who} — {value_label(self.value)}"

    @property
    def value_label(self) -> str:
        return value_label(self.value)


class DecisionOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Đồng ý")
    CHANGED = "changed", _("Quyết định khác đề xuất")
    REJECTED = "rejected", _("Không đồng ý")


class Decision(models.Model):
    """The Chairman's decision on one proposal, with the deciding document (số, ngày). `value` is what
    was decided (the proposal's value when accepted, the new one when changed, empty when rejected).
    The rows it wrote into the evaluation app's year record are linked for the trail."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("đề xuất"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("ý kiến của Chủ tịch"), max_length=10, choices=DecisionOutcome.choices)
    value = models.CharField(
        _("nội dung quyết định"),
        max_length=20,
        blank=True,
        choices=list(ALL_VALUES.items()),
    )
    document_number = models.CharField(_("số, ký hiệu văn bản quyết định"), max_length=100)
    document_date = models.DateField(_("ngày văn bản"))
    signed_by = models.CharField(_("người ký"), max_length=200)
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("người ghi nhận"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf = models.BooleanField(
        _("lãnh đạo kiểm tra ghi thay"),
        default=False,
        help_text=_("Lãnh đạo kiểm tra ghi nhận quyết định đã ký của Chủ tịch UBND tỉnh."),
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"))
    # What the decision wrote into the official's year record (evaluation app).
    discipline_record = models.ForeignKey(
        "evaluation.DisciplineRecord",
        verbose_name=_("bản ghi kỷ luật"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year_result = models.ForeignKey(
        "evaluation.YearResult",
        verbose_name=_("kết quả xếp loại năm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "proposal__unit_id"

    class Meta:
        verbose_name = _("quyết định của Chủ tịch")
        verbose_name_plural = _("quyết định của Chủ tịch")
        ordering = ["proposal", "pk"]
        constraints = [
            models.CheckConstraint(
                name="decision_value_fits_outcome",
                condition=Q(outcome="rejected", value="") | (~Q(outcome="rejected") & ~Q(value="")),
                violation_error_message=_("Quyết định khác đề xuất phải ghi nội dung quyết định."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} — {self.document_number}"

    @property
    def value_label(self) -> str:
        return value_label(self.value)
