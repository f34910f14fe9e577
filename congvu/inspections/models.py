"""Public-service inspections (kiểm tra công vụ): annual plans, inspections and their teams,
checklists with frozen figures, document requests, findings, recommendations, remediation,
evidence files and notices. DOMAIN §1–§2."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.scoping import ScopedQuerySet
from congvu.inspections.workflow import CONCLUDED_STATUSES, INITIAL_STATUS, InspectionStatus

USER = settings.AUTH_USER_MODEL


# --- Annual plan --------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã phê duyệt")


class InspectionPlan(models.Model):
    """Annual plan (Kế hoạch kiểm tra công vụ năm N): the units, months and content of the year's
    scheduled inspections. Drafted by inspectors or the lead, approved by the inspection lead.
    A province-wide document: units see only the plan items about themselves."""

    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.CharField(_("số kế hoạch"), max_length=100, blank=True)
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    content = models.TextField(_("nội dung, phương pháp, tổ chức thực hiện"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("người lập"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="plan_year_range",
                condition=Q(year__gte=2000, year__lte=2100),
                violation_error_message=_("Năm kế hoạch phải từ 2000 đến 2100."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    """One unit in the annual plan: the month of the inspection, its content and period under review."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="items"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.PositiveSmallIntegerField(_("tháng kiểm tra"))
    content = models.TextField(_("nội dung kiểm tra"), blank=True)
    period_from = models.DateField(_("thời kỳ kiểm tra từ"), null=True, blank=True)
    period_to = models.DateField(_("thời kỳ kiểm tra đến"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("đơn vị trong kế hoạch")
        verbose_name_plural = _("đơn vị trong kế hoạch")
        ordering = ["plan", "month", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit"],
                name="plan_item_unit_once",
                violation_error_message=_("Đơn vị này đã có trong kế hoạch."),
            ),
            models.CheckConstraint(
                name="plan_item_month_range",
                condition=Q(month__gte=1, month__lte=12),
                violation_error_message=_("Tháng kiểm tra phải từ 1 đến 12."),
            ),
            models.CheckConstraint(
                name="plan_item_period_range",
                condition=Q(period_from__isnull=True)
                | Q(period_to__isnull=True)
                | Q(period_to__gte=models.F("period_from")),
                violation_error_message=_("Thời kỳ kiểm tra: ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.month:02d}/{self.plan.year}"


# --- Inspection ---------------------------------------------------------------------------


class InspectionKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Theo kế hoạch")
    SURPRISE = "surprise", _("Đột xuất")


class Inspection(models.Model):
    """One public-service inspection of a unit (cuộc kiểm tra công vụ), scheduled from a plan item
    or a surprise; its status moves only through `services.inspection_transition` (see workflow.py)."""

    kind = models.CharField(_("hình thức"), max_length=10, choices=InspectionKind.choices)
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("thuộc kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên cuộc kiểm tra"), max_length=300)
    content = models.TextField(_("nội dung kiểm tra"), blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    period_from = models.DateField(_("thời kỳ kiểm tra từ"))
    period_to = models.DateField(_("thời kỳ kiểm tra đến"))
    self_report_due = models.DateField(_("hạn gửi báo cáo tự kiểm tra"), null=True, blank=True)
    conclusion_number = models.CharField(_("số thông báo kết luận"), max_length=100, blank=True)
    conclusion_date = models.DateField(_("ngày thông báo kết luận"), null=True, blank=True)
    conclusion_summary = models.TextField(_("tóm tắt kết luận"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=30, choices=InspectionStatus.choices, default=INITIAL_STATUS
    )
    status_changed_at = models.DateTimeField(_("đổi trạng thái lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("người tạo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("cuộc kiểm tra")
        verbose_name_plural = _("cuộc kiểm tra")
        ordering = ["-period_to", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status"], name="inspection_unit_status_idx"),
            models.Index(fields=["status"], name="inspection_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="inspection_period_range",
                condition=Q(period_to__gte=models.F("period_from")),
                violation_error_message=_("Thời kỳ kiểm tra: ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                name="inspection_scheduled_has_plan_item",
                condition=Q(kind="surprise") | Q(plan_item__isnull=False),
                violation_error_message=_(
                    "Cuộc kiểm tra theo kế hoạch phải gắn với một đơn vị trong kế hoạch."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == InspectionStatus.CLOSED

    @property
    def is_concluded(self) -> bool:
        """The conclusion is issued (findings are final)."""
        return self.status in CONCLUDED_STATUSES


class StatusChange(models.Model):
    """One move of an inspection's status (lịch sử trạng thái), shown as its history. The same move
    is in the audit chain."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("cuộc kiểm tra"), on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=30)
    to_status = models.CharField(_("sang trạng thái"), max_length=30)
    actor = models.ForeignKey(
        USER,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("người thực hiện (tên)"), max_length=200, blank=True)
    at = models.DateTimeField(_("thời điểm"))
    note = models.TextField(_("ghi chú"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "inspection__unit_id"

    class Meta:
        verbose_name = _("chuyển trạng thái")
        verbose_name_plural = _("lịch sử trạng thái")
        ordering = ["inspection", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.from_status} → {self.to_status}"


class TeamRole(models.TextChoices):
    HEAD = "head", _("Trưởng đoàn")
    DEPUTY = "deputy", _("Phó trưởng đoàn")
    MEMBER = "member", _("Thành viên")
    SECRETARY = "secretary", _("Thư ký")


class TeamMember(models.Model):
    """A member of the inspection team (thành viên Đoàn kiểm tra) with their role in it."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("cuộc kiểm tra"), on_delete=models.CASCADE, related_name="team"
    )
    user = models.ForeignKey(USER, verbose_name=_("người"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò trong đoàn"), max_length=10, choices=TeamRole.choices)
    organisation = models.CharField(
        _("cơ quan công tác"), max_length=200, blank=True, help_text=_("ví dụ: Thanh tra tỉnh")
    )

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "inspection__unit_id"

    class Meta:
        verbose_name = _("thành viên đoàn")
        verbose_name_plural = _("đoàn kiểm tra")
        ordering = ["inspection", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "user"],
                name="team_member_once",
                violation_error_message=_("Người này đã có trong đoàn."),
            ),
            models.UniqueConstraint(
                fields=["inspection"],
                condition=Q(role="head"),
                name="team_one_head",
                violation_error_message=_("Đoàn đã có trưởng đoàn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


# --- Checklists ---------------------------------------------------------------------------


class ChecklistSubject(models.TextChoices):
    UNIT = "unit", _("Cơ quan, đơn vị")
    HEAD = "head", _("Người đứng đầu")
    DEPUTY = "deputy", _("Cấp phó")


class ChecklistTemplate(models.Model):
    """A versioned checklist template (mẫu phiếu kiểm tra). A new version is a new row; an
    inspection keeps the version it was instantiated from."""

    code = models.CharField(_("mã mẫu"), max_length=40)
    version = models.PositiveSmallIntegerField(_("phiên bản"))
    title = models.CharField(_("tên mẫu"), max_length=300)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("mẫu phiếu kiểm tra")
        verbose_name_plural = _("mẫu phiếu kiểm tra")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="checklist_template_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class ChecklistSection(models.Model):
    """A section of a template; `subject` says whether it is checked once for the unit or once for
    the head and each deputy (the directive's in-depth content)."""

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("mẫu phiếu"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("tên phần"), max_length=300)
    subject = models.CharField(
        _("áp dụng cho"),
        max_length=10,
        choices=[("unit", _("Cơ quan, đơn vị")), ("leader", _("Người đứng đầu và từng cấp phó"))],
    )

    class Meta:
        verbose_name = _("phần của mẫu phiếu")
        verbose_name_plural = _("các phần của mẫu phiếu")
        ordering = ["template", "order"]

    def __str__(self) -> str:
        return self.title


class ChecklistTemplateItem(models.Model):
    """One question of a template. `metric` names the group of figures the engine pre-fills for a
    head/deputy item (see prefill.METRIC_GROUPS); empty for items checked by observation."""

    section = models.ForeignKey(
        ChecklistSection, verbose_name=_("phần"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.CharField(_("nội dung kiểm tra"), max_length=500)
    guidance = models.TextField(_("hướng dẫn"), blank=True)
    metric = models.CharField(_("nhóm số liệu tự động"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("mục của mẫu phiếu")
        verbose_name_plural = _("các mục của mẫu phiếu")
        ordering = ["section", "order"]

    def __str__(self) -> str:
        return self.text


class Checklist(models.Model):
    """A checklist instantiated for one inspection: once for the unit, and once for the head and
    each deputy who held the post during the period under review (from the appointments in force)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("cuộc kiểm tra"), on_delete=models.CASCADE, related_name="checklists"
    )
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("mẫu phiếu"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("đối tượng"), max_length=10, choices=ChecklistSubject.choices)
    official = models.ForeignKey(
        "org.Official",
        verbose_name=_("người được kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appointment = models.ForeignKey(
        "org.Appointment",
        verbose_name=_("bổ nhiệm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    period_from = models.DateField(_("từ ngày"))
    period_to = models.DateField(_("đến ngày"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "inspection__unit_id"

    class Meta:
        verbose_name = _("phiếu kiểm tra")
        verbose_name_plural = _("phiếu kiểm tra")
        ordering = ["inspection", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "appointment"],
                condition=Q(appointment__isnull=False),
                name="checklist_once_per_appointment",
            ),
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(subject="unit"), name="checklist_one_unit_sheet"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemResult(models.TextChoices):
    PASSED = "passed", _("Đạt")
    FAILED = "failed", _("Không đạt")
    NOT_APPLICABLE = "not_applicable", _("Không áp dụng")


class ChecklistItem(models.Model):
    """One checked point of an inspection's checklist. For head/deputy items with a `metric`, the
    engine's figures for the period are frozen into `snapshot` (with the as-of date and each count's
    size) and the ids of the records behind each figure into `snapshot_ids`, so later imports never
    change what the team saw and its links keep opening the same records. The id lists live in their
    own column so pages that show only the figures never load them."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("phiếu kiểm tra"), on_delete=models.CASCADE, related_name="items"
    )
    section_title = models.CharField(_("phần"), max_length=300)
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.CharField(_("nội dung kiểm tra"), max_length=500)
    guidance = models.TextField(_("hướng dẫn"), blank=True)
    metric = models.CharField(_("nhóm số liệu tự động"), max_length=30, blank=True)
    result = models.CharField(_("kết quả"), max_length=15, choices=ItemResult.choices, blank=True)
    notes = models.TextField(_("ghi chú, nhận xét"), blank=True)
    snapshot = models.JSONField(_("số liệu chốt"), null=True, blank=True)
    snapshot_ids = models.JSONField(
        _("mã bản ghi sau từng số liệu"),
        null=True,
        blank=True,
        help_text=_("{nhóm: {số liệu: [mã nhiệm vụ/hồ sơ]}}"),
    )
    snapshot_as_of = models.DateField(_("số liệu tính đến ngày"), null=True, blank=True)
    snapshot_taken_at = models.DateTimeField(_("chốt số liệu lúc"), null=True, blank=True)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("người sửa"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "checklist__inspection__unit_id"

    class Meta:
        verbose_name = _("mục kiểm tra")
        verbose_name_plural = _("mục kiểm tra")
        ordering = ["checklist", "order"]

    def __str__(self) -> str:
        return self.text


# --- Unit participation -------------------------------------------------------------------


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Đơn vị đang soạn")
    SUBMITTED = "submitted", _("Chờ thủ trưởng duyệt")
    APPROVED = "approved", _("Đã duyệt, gửi đoàn")


class UnitResponse(models.Model):
    """What the inspected unit writes: prepared by the focal point, submitted for approval, approved
    by the unit head; the team sees it as final only once approved."""

    response_text = models.TextField(_("nội dung trả lời"), blank=True)
    response_status = models.CharField(
        _("tình trạng trả lời"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        USER,
        verbose_name=_("người trình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    return_note = models.TextField(_("ý kiến khi trả lại"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        abstract = True

    @property
    def is_final(self) -> bool:
        return self.response_status == ResponseStatus.APPROVED


class DocumentRequest(UnitResponse):
    """A document the team asks the unit for, with a due date (yêu cầu cung cấp hồ sơ, tài liệu).
    The self-report (báo cáo tự kiểm tra) is one of them, flagged `is_self_report`."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("cuộc kiểm tra"),
        on_delete=models.CASCADE,
        related_name="document_requests",
    )
    title = models.CharField(_("tài liệu yêu cầu"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    due_on = models.DateField(_("hạn cung cấp"), null=True, blank=True)
    is_self_report = models.BooleanField(_("là báo cáo tự kiểm tra"), default=False)
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "inspection__unit_id"

    class Meta:
        verbose_name = _("yêu cầu tài liệu")
        verbose_name_plural = _("yêu cầu tài liệu")
        ordering = ["inspection", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(is_self_report=True), name="one_self_report_request"
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- Findings, recommendations, remediation -----------------------------------------------


class FindingCategory(models.TextChoices):
    LIMITATION = "limitation", _("Hạn chế")
    SHORTCOMING = "shortcoming", _("Thiếu sót")
    VIOLATION = "violation", _("Vi phạm")


class Severity(models.TextChoices):
    LOW = "low", _("Nhẹ")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Nghiêm trọng")


class FindingStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SENT = "sent", _("Đã gửi đơn vị giải trình")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    WITHDRAWN = "withdrawn", _("Đã rút")


class Finding(models.Model):
    """A finding (phát hiện: hạn chế, thiếu sót, vi phạm) with the head or deputy responsible and
    links to what proves it (checklist items, tasks, dossiers, files). Draft → sent for explanation
    → confirmed or withdrawn. Sampling records a sampled record's deviation through
    `services.finding_record`."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("cuộc kiểm tra"), on_delete=models.CASCADE, related_name="findings"
    )
    # The finding's number within its inspection (1, 2, 3, … in the order recorded), given once by
    # `services.finding_record` and never reused: pages, exports, documents and proposals all show
    # `display_number`, so "phát hiện số 3" is the same finding everywhere.
    number = models.PositiveIntegerField(_("số thứ tự"), editable=False)
    description = models.TextField(_("nội dung phát hiện"))
    category = models.CharField(_("loại"), max_length=12, choices=FindingCategory.choices)
    severity = models.CharField(_("mức độ"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    responsible = models.ForeignKey(
        "org.Official",
        verbose_name=_("người chịu trách nhiệm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.DRAFT
    )
    source = models.CharField(
        _("nguồn phát hiện"), max_length=200, blank=True, help_text=_("ví dụ: chọn mẫu #12, phiếu kiểm tra")
    )
    tasks = models.ManyToManyField(
        "registers.Task", verbose_name=_("nhiệm vụ liên quan"), blank=True, related_name="+"
    )
    dossiers = models.ManyToManyField(
        "registers.Dossier", verbose_name=_("hồ sơ liên quan"), blank=True, related_name="+"
    )
    checklist_items = models.ManyToManyField(
        ChecklistItem, verbose_name=_("mục kiểm tra liên quan"), blank=True, related_name="findings"
    )
    status_note = models.TextField(_("ghi chú trạng thái"), blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("người ghi"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("người sửa"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "inspection__unit_id"

    class Meta:
        verbose_name = _("phát hiện")
        verbose_name_plural = _("phát hiện")
        ordering = ["inspection", "number"]
        indexes = [models.Index(fields=["inspection", "status"], name="finding_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="finding_number_unique"),
        ]

    def __str__(self) -> str:
        return self.description[:120]

    @property
    def display_number(self) -> str:
        """The one number a finding is known by (in its inspection): "3"."""
        return str(self.number)


class FindingExplanation(UnitResponse):
    """The unit's explanation of a draft finding (giải trình), approved by the unit head before
    the team sees it."""

    finding = models.OneToOneField(
        Finding, verbose_name=_("phát hiện"), on_delete=models.CASCADE, related_name="explanation"
    )
    due_on = models.DateField(_("hạn giải trình"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "finding__inspection__unit_id"

    class Meta:
        verbose_name = _("giải trình")
        verbose_name_plural = _("giải trình")

    def __str__(self) -> str:
        return f"{_('Giải trình')}: {self.finding}"


class RecommendationKind(models.TextChoices):
    # Handling forms (DOMAIN §2), mildest first.
    CORRECTION = "correction", _("Chấn chỉnh")
    REMINDER = "reminder", _("Nhắc nhở")
    CRITICISM = "criticism", _("Phê bình")
    SELF_CRITICISM = "self_criticism", _("Kiểm điểm, rút kinh nghiệm")
    # Discipline forms of Decree 172/2025/NĐ-CP: proposals to the PPC Chairman, not decisions.
    REPRIMAND = "reprimand", _("Đề nghị kỷ luật: khiển trách")
    WARNING = "warning", _("Đề nghị kỷ luật: cảnh cáo")
    DISMISSAL = "dismissal", _("Đề nghị kỷ luật: cách chức")
    FORCED_RESIGNATION = "forced_resignation", _("Đề nghị kỷ luật: buộc thôi việc")


DISCIPLINE_KINDS = frozenset({"reprimand", "warning", "dismissal", "forced_resignation"})


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    REPORTED = "reported", _("Đơn vị đã báo cáo khắc phục")
    DONE = "done", _("Đã hoàn thành")
    PROPOSED = "proposed", _("Đã trình Chủ tịch UBND tỉnh")


class Recommendation(models.Model):
    """A recommendation (kiến nghị): a handling form addressed to the unit or an official, with a
    deadline for remediation; or a discipline proposal (Decree 172/2025) to the PPC Chairman."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("cuộc kiểm tra"), on_delete=models.CASCADE, related_name="recommendations"
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("phát hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=RecommendationKind.choices)
    addressee = models.CharField(_("đối tượng kiến nghị"), max_length=300)
    official = models.ForeignKey(
        "org.Official",
        verbose_name=_("cán bộ liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("nội dung kiến nghị"))
    deadline = models.DateField(_("hạn thực hiện"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("người lập"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "inspection__unit_id"

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        ordering = ["inspection", "deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="recommendation_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.content[:100]}"

    @property
    def is_discipline(self) -> bool:
        return self.kind in DISCIPLINE_KINDS


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Chờ đoàn xem xét")
    ACCEPTED = "accepted", _("Đoàn chấp nhận")
    RETURNED = "returned", _("Đoàn trả lại")


class RemediationReport(UnitResponse):
    """The unit's remediation report on one recommendation (báo cáo khắc phục), with evidence;
    approved by the unit head, then accepted or returned by the team. A returned report stays
    in the history; the unit writes a new one."""

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("kiến nghị"), on_delete=models.CASCADE, related_name="reports"
    )
    review_status = models.CharField(
        _("kết quả xem xét"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_note = models.TextField(_("ý kiến của đoàn"), blank=True)
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("người lập"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "recommendation__inspection__unit_id"

    class Meta:
        verbose_name = _("báo cáo khắc phục")
        verbose_name_plural = _("báo cáo khắc phục")
        ordering = ["recommendation", "pk"]

    def __str__(self) -> str:
        return f"{_('Báo cáo khắc phục')} #{self.pk}"


# --- Evidence files -----------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    DECISION = "decision", _("Quyết định kiểm tra")
    NOTICE = "notice", _("Thông báo kiểm tra")
    MINUTES = "minutes", _("Biên bản kiểm tra")
    CONCLUSION = "conclusion", _("Thông báo kết luận")
    EVIDENCE = "evidence", _("Tài liệu, minh chứng")


def evidence_upload_to(instance, filename: str) -> str:
    # The original name is kept in the row; the stored name is random so nothing is guessable.
    import uuid
    from pathlib import PurePath

    ext = PurePath(filename).suffix.lower()
    return f"inspections/{instance.inspection_id}/{uuid.uuid4().hex}{ext}"


class Evidence(models.Model):
    """A stored file (tệp minh chứng) with its SHA-256, attached to the inspection itself or to one of
    its checklist items, document requests, findings, explanations or remediation reports.
    Downloads go through a view scoped like the inspection."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("cuộc kiểm tra"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(
        _("loại"), max_length=12, choices=EvidenceKind.choices, default=EvidenceKind.EVIDENCE
    )
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    checklist_item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("mục kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    document_request = models.ForeignKey(
        DocumentRequest,
        verbose_name=_("yêu cầu tài liệu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("phát hiện"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    explanation = models.ForeignKey(
        FindingExplanation,
        verbose_name=_("giải trình"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    remediation_report = models.ForeignKey(
        RemediationReport,
        verbose_name=_("báo cáo khắc phục"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    uploaded_by = models.ForeignKey(
        USER,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "inspection__unit_id"

    class Meta:
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")
        ordering = ["inspection", "pk"]
        indexes = [models.Index(fields=["sha256"], name="evidence_sha256_idx")]

    def __str__(self) -> str:
        return self.original_name


# --- Notices and reminders ----------------------------------------------------------------


class Notification(models.Model):
    """An in-app notice (thông báo) to one user, with a link; `key` makes a reminder idempotent."""

    user = models.ForeignKey(
        USER, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("nội dung"), max_length=500)
    link = models.CharField(_("liên kết"), max_length=500, blank=True)
    is_read = models.BooleanField(_("đã đọc"), default=False)
    key = models.CharField(_("khóa chống trùng"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "is_read"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_key_once"
            )
        ]

    def __str__(self) -> str:
        return self.text


class ReminderLog(models.Model):
    """One day's reminder about one item with a deadline — a recommendation, a document request
    (the self-report included) or an explanation: at most one per item per day, whether sent by
    `congvu remind` (sent_by empty) or by the inspection lead from the page."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("kiến nghị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    document_request = models.ForeignKey(
        DocumentRequest,
        verbose_name=_("yêu cầu tài liệu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    explanation = models.ForeignKey(
        FindingExplanation,
        verbose_name=_("giải trình"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("cuộc kiểm tra"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("ngày nhắc"))
    recipients = models.JSONField(_("người nhận"), default=list)
    emails_sent = models.PositiveIntegerField(_("số thư đã gửi"), default=0)
    sent_by = models.ForeignKey(
        USER,
        verbose_name=_("người gửi nhắc"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "inspection__unit_id"

    class Meta:
        verbose_name = _("lần nhắc hạn")
        verbose_name_plural = _("nhắc hạn")
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "day"], name="reminder_once_per_day"),
            models.UniqueConstraint(fields=["document_request", "day"], name="reminder_request_once_per_day"),
            models.UniqueConstraint(fields=["explanation", "day"], name="reminder_explanation_once_per_day"),
            models.CheckConstraint(
                name="reminder_one_item",
                condition=Q(
                    recommendation__isnull=False, document_request__isnull=True, explanation__isnull=True
                )
                | Q(recommendation__isnull=True, document_request__isnull=False, explanation__isnull=True)
                | Q(recommendation__isnull=True, document_request__isnull=True, explanation__isnull=False),
                violation_error_message=_("Một lần nhắc hạn chỉ về một nội dung."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.day}"
