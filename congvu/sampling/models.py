"""Verifiable random samples of records (chọn mẫu ngẫu nhiên có thể kiểm chứng), their review and
evaluation. The statistics are in `stats.py`, the draw procedure in `draw.py`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.scoping import ScopedQuerySet
from congvu.sampling.draw import PROCEDURE

USER = settings.AUTH_USER_MODEL


class Register(models.TextChoices):
    DOSSIERS = "dossiers", _("Hồ sơ thủ tục hành chính")
    TASKS = "tasks", _("Nhiệm vụ được giao")


class SizeMethod(models.TextChoices):
    FIXED = "fixed", _("Cỡ mẫu cố định")
    ATTRIBUTE = "attribute", _("Chọn mẫu thuộc tính (bảng AICPA)")
    ISO2859 = "iso2859", _("ISO 2859-1, mức kiểm tra chung II")


class Allocation(models.TextChoices):
    PROPORTIONAL = "proportional", _("Tỷ lệ với số hồ sơ của từng lĩnh vực")
    EQUAL = "equal", _("Chia đều cho các lĩnh vực")
    PER_FIELD = "per_field", _("Cỡ mẫu riêng cho từng lĩnh vực")


class SampleStatus(models.TextChoices):
    COMMITTED = "committed", _("Đã công bố cam kết, chờ rút mẫu")
    QUEUED = "queued", _("Đang rút mẫu (tiến trình nền)")
    DRAWN = "drawn", _("Đã rút mẫu")


class Sample(models.Model):
    """A random sample of the inspected unit's records for the period under review (mẫu kiểm tra),
    stratified by field (lĩnh vực).

    The seed is generated at creation and kept secret: until the draw the row holds only the seed
    encrypted with a key outside the database (`seed_sealed`, see `sealing.py`) and its SHA-256
    commitment, which is shown to go into the notice or the minutes. At the draw the population is
    frozen (`SamplePopulation`) and the seed revealed (`seed`), so anyone can redo the draw (`draw.py`).

    A further draw over the same population of the same inspection records its reason
    (`draw_reason`); see `services.same_population_draws` for what "same population" means."""

    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("cuộc kiểm tra"),
        on_delete=models.PROTECT,
        related_name="samples",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên mẫu"), max_length=300)
    register = models.CharField(_("sổ chọn mẫu"), max_length=10, choices=Register.choices)
    period_from = models.DateField(_("tiếp nhận từ ngày"))
    period_to = models.DateField(_("tiếp nhận đến ngày"))
    size_method = models.CharField(_("cách xác định cỡ mẫu"), max_length=10, choices=SizeMethod.choices)
    fixed_size = models.PositiveIntegerField(_("cỡ mẫu cố định"), null=True, blank=True)
    confidence = models.DecimalField(_("độ tin cậy"), max_digits=5, decimal_places=4, default="0.9500")
    tolerable_rate = models.DecimalField(
        _("tỷ lệ sai lệch chấp nhận được"), max_digits=5, decimal_places=4, default="0.0500"
    )
    expected_rate = models.DecimalField(
        _("tỷ lệ sai lệch dự kiến"), max_digits=5, decimal_places=4, default="0.0000"
    )
    finite_population = models.BooleanField(
        _("hiệu chỉnh tổng thể hữu hạn (siêu bội)"),
        default=False,
        help_text=_("dùng phân phối siêu bội: cỡ mẫu nhỏ hơn cho lĩnh vực ít hồ sơ"),
    )
    allocation = models.CharField(
        _("phân bổ cho các lĩnh vực"),
        max_length=12,
        choices=Allocation.choices,
        default=Allocation.PROPORTIONAL,
    )
    min_per_field = models.PositiveIntegerField(_("tối thiểu mỗi lĩnh vực"), default=1)
    field_sizes = models.JSONField(
        _("cỡ mẫu chỉ định theo lĩnh vực"), default=dict, blank=True, help_text=_("mã lĩnh vực → cỡ mẫu")
    )
    seed = models.CharField(
        _("hạt giống"), max_length=64, blank=True, editable=False, help_text=_("trống đến khi rút mẫu")
    )
    seed_sealed = models.TextField(
        _("hạt giống đã mã hóa"), blank=True, editable=False, help_text=_("Fernet; xóa khi rút mẫu")
    )
    seed_commitment = models.CharField(_("cam kết (SHA-256 của hạt giống)"), max_length=64, editable=False)
    commitment_shown_at = models.DateTimeField(_("công bố cam kết lúc"))
    commitment_reference = models.CharField(
        _("cam kết ghi tại"),
        max_length=300,
        blank=True,
        help_text=_("số thông báo hoặc biên bản ghi mã cam kết"),
    )
    procedure = models.CharField(_("thủ tục rút mẫu"), max_length=40, default=PROCEDURE, editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SampleStatus.choices, default=SampleStatus.COMMITTED
    )
    drawn_at = models.DateTimeField(_("rút mẫu lúc"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        USER,
        verbose_name=_("người rút mẫu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    draw_reason = models.TextField(
        _("lý do rút mẫu lại"),
        blank=True,
        help_text=_("bắt buộc khi tổng thể này của cuộc kiểm tra đã được rút mẫu trước đó"),
    )
    draw_requested_by = models.ForeignKey(
        USER,
        verbose_name=_("người yêu cầu rút mẫu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    draw_requested_at = models.DateTimeField(_("yêu cầu rút mẫu lúc"), null=True, blank=True)
    draw_done = models.PositiveIntegerField(_("số bản ghi đã xếp hạng"), default=0)
    draw_total = models.PositiveIntegerField(_("số bản ghi cần xếp hạng"), default=0)
    draw_error = models.TextField(_("lỗi của lần rút mẫu nền"), blank=True)
    # Written every IMPORT_HEARTBEAT_SECONDS by the worker drawing a queued sample; a queued draw silent
    # for longer than IMPORT_STALE_SECONDS had its worker die (`samples_fail_stale`).
    draw_heartbeat_at = models.DateTimeField(_("tín hiệu sống của lần rút mẫu nền"), null=True, blank=True)
    population_size = models.PositiveIntegerField(_("số bản ghi của tổng thể"), default=0)
    population_sha256 = models.CharField(_("SHA-256 của danh sách tổng thể"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("người tạo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("mẫu kiểm tra")
        verbose_name_plural = _("mẫu kiểm tra")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status"], name="sample_unit_status_idx")]
        constraints = [
            models.CheckConstraint(
                name="sample_period_range",
                condition=Q(period_to__gte=models.F("period_from")),
                violation_error_message=_("Thời kỳ chọn mẫu: ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                name="sample_fixed_size_given",
                condition=~Q(size_method="fixed") | Q(fixed_size__gte=1),
                violation_error_message=_("Cỡ mẫu cố định phải từ 1 trở lên."),
            ),
            models.CheckConstraint(
                name="sample_rates_make_sense",
                condition=Q(confidence__gte="0.5", confidence__lt=1)
                & Q(tolerable_rate__gt=0, tolerable_rate__lt=1)
                & Q(expected_rate__gte=0, expected_rate__lt=models.F("tolerable_rate")),
                violation_error_message=_(
                    "Độ tin cậy phải từ 50%% đến dưới 100%%; tỷ lệ dự kiến phải nhỏ hơn tỷ lệ chấp nhận được."
                ),
            ),
            models.CheckConstraint(
                name="sample_drawn_is_frozen",
                condition=~Q(status="drawn") | (Q(drawn_at__isnull=False) & ~Q(population_sha256="")),
                violation_error_message=_("Mẫu đã rút phải có thời điểm rút và mã băm tổng thể."),
            ),
            models.CheckConstraint(
                name="sample_seed_sealed_until_drawn",
                condition=(Q(status="drawn") & ~Q(seed="") & Q(seed_sealed=""))
                | (~Q(status="drawn") & Q(seed="") & ~Q(seed_sealed="")),
                violation_error_message=_(
                    "Hạt giống chỉ được lưu dạng mã hóa trước khi rút mẫu, và dạng công khai sau khi rút."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_drawn(self) -> bool:
        return self.status == SampleStatus.DRAWN

    @property
    def revealed_seed(self) -> str:
        """The seed, once drawn; nobody sees it before (the row holds it only encrypted)."""
        return self.seed if self.is_drawn else ""

    @property
    def is_redraw(self) -> bool:
        return bool(self.draw_reason)

    def same_population_q(self) -> Q:
        """Samples of this inspection over the same population: the same register and a period sharing
        at least one day (see `services.same_population_draws`)."""
        return Q(
            inspection_id=self.inspection_id,
            register=self.register,
            period_from__lte=self.period_to,
            period_to__gte=self.period_from,
        )

    @property
    def record_word(self) -> str:
        return str(_("hồ sơ")) if self.register == Register.DOSSIERS else str(_("nhiệm vụ"))


class SamplePopulation(models.Model):
    """The population frozen at the draw (danh sách tổng thể): the canonical text that was hashed, and
    the register ids of its lines in the same order."""

    sample = models.OneToOneField(
        Sample, verbose_name=_("mẫu"), on_delete=models.CASCADE, related_name="population"
    )
    text = models.TextField(_("danh sách tổng thể (văn bản chuẩn)"))
    record_ids = models.JSONField(_("mã bản ghi theo từng dòng"), default=list)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "sample__unit_id"

    class Meta:
        verbose_name = _("tổng thể đã cố định")
        verbose_name_plural = _("tổng thể đã cố định")

    def __str__(self) -> str:
        return f"{self.sample_id}"


class SampleStratum(models.Model):
    """One field of the sample (tầng: lĩnh vực) with its population and sample size."""

    sample = models.ForeignKey(Sample, verbose_name=_("mẫu"), on_delete=models.CASCADE, related_name="strata")
    field = models.ForeignKey(
        "org.Field",
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    field_code = models.CharField(_("mã lĩnh vực"), max_length=40)
    field_name = models.CharField(_("tên lĩnh vực"), max_length=255)
    population_size = models.PositiveIntegerField(_("số bản ghi của lĩnh vực"))
    planned_size = models.PositiveIntegerField(_("cỡ mẫu khi rút"))
    sample_size = models.PositiveIntegerField(_("cỡ mẫu hiện tại"))

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "sample__unit_id"

    class Meta:
        verbose_name = _("lĩnh vực của mẫu")
        verbose_name_plural = _("lĩnh vực của mẫu")
        ordering = ["sample", "field_code"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "field_code"], name="stratum_field_once"),
            models.CheckConstraint(
                name="stratum_size_within_population",
                condition=Q(sample_size__lte=models.F("population_size"))
                & Q(planned_size__lte=models.F("sample_size")),
                violation_error_message=_("Cỡ mẫu của lĩnh vực không được vượt số bản ghi của lĩnh vực."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field_name} ({self.sample_size}/{self.population_size})"


class SampleItem(models.Model):
    """A drawn record (bản ghi được chọn) with its place in its field's ranking."""

    sample = models.ForeignKey(Sample, verbose_name=_("mẫu"), on_delete=models.CASCADE, related_name="items")
    stratum = models.ForeignKey(
        SampleStratum, verbose_name=_("lĩnh vực"), on_delete=models.CASCADE, related_name="items"
    )
    rank = models.PositiveIntegerField(_("thứ hạng trong lĩnh vực"))
    record_code = models.CharField(_("mã bản ghi"), max_length=200)
    rank_value = models.CharField(_("giá trị xếp hạng (HMAC-SHA256)"), max_length=64)
    dossier = models.ForeignKey(
        "registers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    task = models.ForeignKey(
        "registers.Task",
        verbose_name=_("nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extension = models.PositiveSmallIntegerField(
        _("đợt"), default=0, help_text=_("0: rút mẫu ban đầu; 1, 2…: các lần mở rộng mẫu")
    )

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "sample__unit_id"

    class Meta:
        verbose_name = _("bản ghi được chọn")
        verbose_name_plural = _("bản ghi được chọn")
        ordering = ["stratum__field_code", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["stratum", "rank"], name="sample_item_rank_once"),
            models.UniqueConstraint(fields=["sample", "record_code"], name="sample_item_code_once"),
        ]

    def __str__(self) -> str:
        return self.record_code

    @property
    def record(self):
        return self.dossier or self.task


class Tristate(models.TextChoices):
    YES = "yes", _("Có")
    NO = "no", _("Không")
    NOT_APPLICABLE = "na", _("Không áp dụng")


class ApologySlip(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Không cần (giải quyết đúng hạn)")
    PRESENT = "present", _("Có phiếu xin lỗi và hẹn lại")
    MISSING = "missing", _("Quá hạn nhưng không có phiếu xin lỗi")


class ReviewQuality(models.TextChoices):
    PASSED = "passed", _("Đạt")
    FAILED = "failed", _("Không đạt")


class DeviationType(models.TextChoices):
    LATE = "late", _("Giải quyết quá hạn")
    INCOMPLETE = "incomplete", _("Hồ sơ không đầy đủ")
    LEGAL_BASIS = "legal_basis", _("Căn cứ pháp lý không đúng")
    NO_APOLOGY = "no_apology", _("Quá hạn không có phiếu xin lỗi")
    QUALITY = "quality", _("Chất lượng giải quyết không đạt")
    PROCEDURE = "procedure", _("Sai quy trình hoặc thẩm quyền")
    OTHER = "other", _("Khác")


def review_evidence_upload_to(instance, filename: str) -> str:
    # The stored name is random; the original name is kept on the row.
    import uuid
    from pathlib import PurePath

    return f"sampling/{instance.item.sample_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Review(models.Model):
    """The team's review of one drawn record (phiếu kiểm tra hồ sơ được chọn)."""

    item = models.OneToOneField(
        SampleItem, verbose_name=_("bản ghi được chọn"), on_delete=models.CASCADE, related_name="review"
    )
    on_time = models.CharField(_("đúng hạn"), max_length=3, choices=Tristate.choices)
    complete = models.CharField(_("đầy đủ thành phần"), max_length=3, choices=Tristate.choices)
    legal_basis_correct = models.CharField(_("căn cứ pháp lý đúng"), max_length=3, choices=Tristate.choices)
    apology_slip = models.CharField(
        _("phiếu xin lỗi khi quá hạn"),
        max_length=12,
        choices=ApologySlip.choices,
        default=ApologySlip.NOT_NEEDED,
    )
    quality = models.CharField(_("chất lượng"), max_length=8, choices=ReviewQuality.choices)
    deviation = models.BooleanField(_("có sai lệch"))
    deviation_type = models.CharField(
        _("loại sai lệch"), max_length=12, choices=DeviationType.choices, blank=True
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    evidence = models.FileField(
        _("tệp minh chứng"), upload_to=review_evidence_upload_to, blank=True, max_length=255
    )
    evidence_name = models.CharField(_("tên tệp minh chứng"), max_length=255, blank=True)
    evidence_sha256 = models.CharField(_("SHA-256 của tệp minh chứng"), max_length=64, blank=True)
    finding = models.ForeignKey(
        "inspections.Finding",
        verbose_name=_("phát hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name=_("người kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("kiểm tra lúc"))

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "item__sample__unit_id"

    class Meta:
        verbose_name = _("kết quả kiểm tra bản ghi")
        verbose_name_plural = _("kết quả kiểm tra bản ghi")
        ordering = ["item"]
        constraints = [
            models.CheckConstraint(
                name="review_deviation_has_type",
                condition=(Q(deviation=True) & ~Q(deviation_type=""))
                | (Q(deviation=False) & Q(deviation_type="")),
                violation_error_message=_(
                    "Có sai lệch thì phải chọn loại sai lệch; không sai lệch thì để trống."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}: {_('có sai lệch') if self.deviation else _('không sai lệch')}"
