"""Year-end evaluation records (đánh giá, xếp loại chất lượng): discipline decisions, the year's
classification of each official, the rule set chosen per year and staff type, the product catalogue
with its conversion factors, and the monthly or quarterly sheets with their products.

Scoring itself is pure and lives in `rules.py` / `scoring.py`; these models hold what was entered,
what the registers gave and what was frozen on approval. Totals are stored as exact fraction text
("1787/20") beside a rounded decimal kept only for sorting and display.
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.scoping import ScopedQuerySet

USER = settings.AUTH_USER_MODEL


class Band(models.TextChoices):
    EXCELLENT = "xuat_sac", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "tot", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "hoan_thanh", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "khong_hoan_thanh", _("Không hoàn thành nhiệm vụ")


class RuleSetCode(models.TextChoices):
    ND335_2025 = "nd335_2025", _("Nghị định 335/2025/NĐ-CP (thang điểm 100)")
    ND90_2020 = "nd90_2020", _("Nghị định 90/2020/NĐ-CP, sửa đổi bởi 48/2023/NĐ-CP")


def fraction_text(value: Fraction | None) -> str:
    """Exact storage of a total: "p/q" (or "p" when whole); empty for none."""
    if value is None:
        return ""
    if not isinstance(value, Fraction):  # a Fraction already: no copy (a province writes ~10^6 of them)
        value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def parse_fraction(text: str) -> Fraction | None:
    return Fraction(text) if text else None


# --- Discipline ---------------------------------------------------------------------------


class DisciplineForm(models.TextChoices):
    """Decree 172/2025 disciplinary forms, plus the two non-disciplinary administrative measures
    (nhắc nhở, phê bình) that are recorded but never force "không hoàn thành" (decree-335 §5.2)."""

    REPRIMAND = "khien_trach", _("Khiển trách")
    WARNING = "canh_cao", _("Cảnh cáo")
    DISMISSAL_FROM_POST = "cach_chuc", _("Cách chức")
    DISMISSAL = "buoc_thoi_viec", _("Buộc thôi việc")
    REMINDER = "nhac_nho", _("Nhắc nhở (không phải hình thức kỷ luật)")
    CRITICISM = "phe_binh", _("Phê bình (không phải hình thức kỷ luật)")


#: "khiển trách trở lên" — the forms that count under Art. 20(4)(c).
DISCIPLINARY_FORMS = frozenset(
    {
        DisciplineForm.REPRIMAND,
        DisciplineForm.WARNING,
        DisciplineForm.DISMISSAL_FROM_POST,
        DisciplineForm.DISMISSAL,
    }
)


class DisciplineRecord(models.Model):
    """A discipline decision (quyết định kỷ luật) or administrative measure against an official,
    owned by the unit the official worked in on the effective date."""

    official = models.ForeignKey(
        "org.Official", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="discipline_records"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("đơn vị công tác của cán bộ vào ngày có hiệu lực"),
    )
    form = models.CharField(_("hình thức"), max_length=20, choices=DisciplineForm.choices)
    effective_date = models.DateField(_("ngày có hiệu lực"))
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decision_date = models.DateField(_("ngày quyết định"))
    public_duty_violation = models.BooleanField(_("vi phạm liên quan đến hoạt động công vụ"), default=False)
    source_description = models.TextField(_("căn cứ, nguồn"), blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("người ghi"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["-effective_date", "-pk"]
        indexes = [models.Index(fields=["official", "effective_date"], name="discipline_official_idx")]
        constraints = [
            models.CheckConstraint(
                name="discipline_decided_before_effect",
                condition=Q(effective_date__gte=models.F("decision_date")),
                violation_error_message=_("Ngày có hiệu lực không được trước ngày quyết định."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.official} ({self.decision_number})"

    @property
    def triggers_override(self) -> bool:
        """Art. 20(4)(c): khiển trách or higher, for a violation related to public duties."""
        return self.form in DISCIPLINARY_FORMS and self.public_duty_violation


class ConclusionKind(models.TextChoices):
    """The two overrides of Art. 20(4) other than discipline; the values are the engine's flags."""

    DEGRADATION = (
        "degradation_concluded",
        _(
            "Bị cấp có thẩm quyền kết luận có biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống "
            "(Điều 20 khoản 4 điểm b)"
        ),
    )
    UNIT_CORRUPTION = (
        "unit_corruption_handled",
        _(
            "Cơ quan, đơn vị thuộc thẩm quyền phụ trách, quản lý trực tiếp liên quan đến tham ô, tham nhũng, "
            "lãng phí và bị xử lý (Điều 20 khoản 4 điểm d, chỉ với lãnh đạo, quản lý)"
        ),
    )


class OverrideConclusion(models.Model):
    """A conclusion of the competent level (kết luận) that forces "không hoàn thành" for the year of its
    document: concluded degradation (Art. 20(4)(b)), or, for a leader, corruption or waste handled in a
    unit he directly manages (Art. 20(4)(d)). Owned by the unit the official worked in on that date;
    the deciding document is required, never a bare flag."""

    official = models.ForeignKey(
        "org.Official",
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="override_conclusions",
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("nội dung kết luận"), max_length=30, choices=ConclusionKind.choices)
    document_number = models.CharField(_("số văn bản kết luận"), max_length=100)
    document_date = models.DateField(_("ngày văn bản"))
    authority = models.CharField(_("cấp kết luận"), max_length=200)
    handled_unit = models.CharField(
        _("đơn vị bị xử lý"),
        max_length=300,
        blank=True,
        help_text=_(
            "cơ quan, đơn vị thuộc quyền quản lý trực tiếp liên quan đến tham ô, tham nhũng, lãng phí"
        ),
    )
    summary = models.TextField(_("tóm tắt"), blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("người ghi"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("kết luận buộc không hoàn thành")
        verbose_name_plural = _("kết luận buộc không hoàn thành")
        ordering = ["-document_date", "-pk"]
        indexes = [models.Index(fields=["official", "document_date"], name="conclusion_official_idx")]
        constraints = [
            models.CheckConstraint(
                name="conclusion_unit_corruption_names_unit",
                condition=~Q(kind="unit_corruption_handled") | ~Q(handled_unit=""),
                violation_error_message=_(
                    "Kết luận về tham ô, tham nhũng, lãng phí phải nêu đơn vị bị xử lý."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.document_number}"


class UnitYearRating(models.Model):
    """A unit's own classification for a year (xếp loại chất lượng cơ quan, đơn vị), with its deciding
    document: read when the rule set says a head is not rated above his unit (`head_not_above_unit`)."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    band = models.CharField(_("mức xếp loại đơn vị"), max_length=20, choices=Band.choices)
    decision_document = models.CharField(_("văn bản quyết định"), max_length=200)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("người ghi"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("xếp loại đơn vị trong năm")
        verbose_name_plural = _("xếp loại đơn vị trong năm")
        ordering = ["-year", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unit_year_rating_once")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}: {self.get_band_display()}"


class QuotaGroupMember(models.Model):
    """An official's group of similar posts for the excellent quota in a year (nhóm công chức có nhiệm
    vụ tương đồng, Art. 20(5)), set by the agency. Without a row the group is the job title."""

    official = models.ForeignKey(
        "org.Official", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="quota_groups"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    group = models.CharField(_("nhóm nhiệm vụ tương đồng"), max_length=100)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("người sửa"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("nhóm tính tỷ lệ xuất sắc")
        verbose_name_plural = _("nhóm tính tỷ lệ xuất sắc")
        ordering = ["-year", "group"]
        constraints = [models.UniqueConstraint(fields=["official", "year"], name="quota_group_once_a_year")]

    def __str__(self) -> str:
        return f"{self.official} — {self.year}: {self.group}"


# --- The year's classification ------------------------------------------------------------


class YearResult(models.Model):
    """An official's classification for a year (kết quả xếp loại chất lượng năm): what the sheets
    computed (total, band by score, override, quota) and what the competent level decided. The decided
    band is the final classification; until it exists the computed band stands, marked undecided."""

    official = models.ForeignKey(
        "org.Official", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="year_results"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    rule_set = models.CharField(_("bộ quy tắc"), max_length=20, choices=RuleSetCode.choices)
    role = models.CharField(_("vị trí"), max_length=10, blank=True)
    quota_group = models.CharField(_("nhóm nhiệm vụ tương đồng"), max_length=100, blank=True)
    periods = models.PositiveSmallIntegerField(_("số kỳ đánh giá"), default=0)
    total = models.CharField(
        _("tổng điểm (chính xác)"),
        max_length=60,
        blank=True,
        help_text=_("phân số p/q; trống: không chấm điểm"),
    )
    total_display = models.DecimalField(_("tổng điểm"), max_digits=7, decimal_places=2, null=True, blank=True)
    band_by_score = models.CharField(_("mức theo điểm"), max_length=20, choices=Band.choices, blank=True)
    override = models.CharField(_("lý do không hoàn thành"), max_length=40, blank=True)
    computed_band = models.CharField(_("mức tính được"), max_length=20, choices=Band.choices, blank=True)
    over_quota = models.BooleanField(_("vượt tỷ lệ xuất sắc"), default=False)
    quota_tie = models.BooleanField(_("đồng điểm ở ngưỡng tỷ lệ"), default=False)
    explanation = models.JSONField(_("diễn giải"), default=list, blank=True)
    conditions = models.JSONField(
        _("điều kiện xếp loại (Nghị định 90/48)"),
        default=dict,
        blank=True,
        help_text=_("các điều kiện người đánh giá nhập khi bộ quy tắc xếp loại theo điều kiện"),
    )
    computed_at = models.DateTimeField(_("tính lúc"), null=True, blank=True)
    decided_band = models.CharField(_("mức quyết định"), max_length=20, choices=Band.choices, blank=True)
    decision_document = models.CharField(_("văn bản quyết định"), max_length=200, blank=True)
    decision_note = models.TextField(_("ghi chú"), blank=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name=_("người ghi quyết định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("kết quả xếp loại năm")
        verbose_name_plural = _("kết quả xếp loại năm")
        ordering = ["-year", "official__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["official", "year"], name="year_result_one_per_year"),
            models.CheckConstraint(
                name="year_result_decision_has_document",
                condition=Q(decided_band="") | ~Q(decision_document=""),
                violation_error_message=_("Mức xếp loại quyết định phải kèm văn bản quyết định."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.year}"

    @property
    def band(self) -> str:
        """The final classification: the decided band, else the computed one."""
        return self.decided_band or self.computed_band

    @property
    def is_decided(self) -> bool:
        return bool(self.decided_band)

    @property
    def total_fraction(self) -> Fraction | None:
        return parse_fraction(self.total)

    def get_band_display(self) -> str:
        return str(Band(self.band).label) if self.band else ""


# --- Rule sets as data --------------------------------------------------------------------


class RuleSetAssignment(models.Model):
    """Which rule set rates a staff type in a year (bộ quy tắc áp dụng), for the whole province or one
    unit, with the parameters that differ from the rule set's defaults (validated through
    `RuleSet.from_mapping`). Without a row, `default_rule_set_code` decides (decree-335 §9)."""

    year = models.PositiveSmallIntegerField(_("năm"))
    staff_type = models.CharField(
        _("loại cán bộ"),
        max_length=20,
        choices=[
            ("cadre", _("Cán bộ")),
            ("civil_servant", _("Công chức")),
            ("public_employee", _("Viên chức")),
        ],
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("trống: áp dụng cho toàn tỉnh"),
    )
    rule_set = models.CharField(_("bộ quy tắc"), max_length=20, choices=RuleSetCode.choices)
    overrides = models.JSONField(_("tham số điều chỉnh"), default=dict, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("người sửa"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("bộ quy tắc áp dụng")
        verbose_name_plural = _("bộ quy tắc áp dụng")
        ordering = ["-year", "staff_type", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "staff_type", "unit"], name="rule_assignment_unit_unique"
            ),
            models.UniqueConstraint(
                fields=["year", "staff_type"],
                condition=Q(unit__isnull=True),
                name="rule_assignment_province_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} — {self.get_staff_type_display()}: {self.get_rule_set_display()}"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")


class UnitEvaluationSetting(models.Model):
    """A unit's choice of monitoring period (theo dõi, đánh giá hằng tháng hoặc hằng quý, Art. 14)."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="evaluation_setting"
    )
    period_kind = models.CharField(
        _("kỳ đánh giá"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER
    )
    updated_by = models.ForeignKey(
        USER, verbose_name=_("người sửa"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("thiết lập đánh giá của đơn vị")
        verbose_name_plural = _("thiết lập đánh giá của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_period_kind_display()}"


# --- Product catalogue --------------------------------------------------------------------


class CatalogueItem(models.Model):
    """A product in a unit's catalogue (danh mục sản phẩm/công việc) for a job position, with its
    conversion factor to standard products (hệ số quy đổi, Art. 13). A task of the register takes the
    factor of the most specific row: same position and product type, then same type for every position,
    then the position's default, then 1."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(
        _("vị trí việc làm"), max_length=200, blank=True, help_text=_("trống: mọi vị trí của đơn vị")
    )
    product_type = models.CharField(
        _("loại sản phẩm"),
        max_length=20,
        blank=True,
        help_text=_("loại sản phẩm của nhiệm vụ trong sổ theo dõi; trống: mọi loại"),
    )
    name = models.CharField(_("tên sản phẩm/công việc"), max_length=300)
    weight = models.DecimalField(_("hệ số quy đổi"), max_digits=6, decimal_places=2)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("người sửa"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("sản phẩm trong danh mục")
        verbose_name_plural = _("danh mục sản phẩm")
        ordering = ["unit", "position", "product_type", "name"]
        constraints = [
            models.CheckConstraint(
                name="catalogue_weight_positive",
                condition=Q(weight__gt=0),
                violation_error_message=_("Hệ số quy đổi phải lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (× {self.weight})"


# --- Period sheets --------------------------------------------------------------------------


class SheetRole(models.TextChoices):
    STAFF = "staff", _("Công chức không giữ chức vụ lãnh đạo")
    DEPUTY = "deputy", _("Cấp phó")
    HEAD = "head", _("Người đứng đầu")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Đã lập từ sổ theo dõi")
    SELF_ASSESSED = "self_assessed", _("Đã tự đánh giá")
    REVIEWED = "reviewed", _("Đã nhận xét, đề xuất")
    APPROVED = "approved", _("Đã phê duyệt")


class PeriodSheet(models.Model):
    """An official's monitoring sheet for one month or quarter (phiếu theo dõi, đánh giá): products from
    the task register and by hand, the general-criteria points, the score. Frozen when approved: the
    figures and the ids of the records behind them are kept in `snapshot`, and nothing changes after."""

    official = models.ForeignKey(
        "org.Official", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="period_sheets"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    period_kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    period_number = models.PositiveSmallIntegerField(_("kỳ"))
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    role = models.CharField(_("vị trí"), max_length=10, choices=SheetRole.choices)
    position = models.CharField(_("chức danh, vị trí việc làm"), max_length=200, blank=True)
    rule_set = models.CharField(_("bộ quy tắc"), max_length=20, choices=RuleSetCode.choices)
    rules = models.JSONField(_("tham số bộ quy tắc"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=15, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    self_general_points = models.JSONField(_("điểm tiêu chí chung tự chấm"), default=dict, blank=True)
    general_points = models.JSONField(_("điểm tiêu chí chung được đánh giá"), default=dict, blank=True)
    unity_ok = models.BooleanField(_("đoàn kết nội bộ (tiêu chí e) đạt"), default=True)
    unit_all_on_time = models.BooleanField(
        _("đơn vị hoàn thành mọi nhiệm vụ đúng hạn, đạt chất lượng"), default=False
    )
    as_of = models.DateField(_("số liệu tính đến ngày"))
    total = models.CharField(_("tổng điểm (chính xác)"), max_length=60, blank=True)
    total_display = models.DecimalField(_("tổng điểm"), max_digits=7, decimal_places=2, null=True, blank=True)
    band_by_score = models.CharField(_("mức theo điểm"), max_length=20, choices=Band.choices, blank=True)
    band = models.CharField(_("mức"), max_length=20, choices=Band.choices, blank=True)
    score = models.JSONField(_("kết quả chấm điểm"), default=dict, blank=True)
    snapshot = models.JSONField(_("số liệu cố định khi phê duyệt"), default=dict, blank=True)
    note = models.TextField(_("nhận xét"), blank=True)
    self_assessed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    self_assessed_at = models.DateTimeField(_("tự đánh giá lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("nhận xét lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("phiếu đánh giá kỳ")
        verbose_name_plural = _("phiếu đánh giá kỳ")
        ordering = ["-year", "-period_number", "official__full_name"]
        indexes = [
            models.Index(
                fields=["unit", "year", "period_kind", "period_number"], name="sheet_unit_period_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "year", "period_kind", "period_number"], name="sheet_one_per_period"
            ),
            models.CheckConstraint(
                name="sheet_period_number_range",
                condition=Q(period_number__gte=1, period_number__lte=12),
                violation_error_message=_("Kỳ đánh giá phải từ 1 đến 12."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.period_label}"

    @property
    def period_label(self) -> str:
        word = _("Tháng") if self.period_kind == PeriodKind.MONTH else _("Quý")
        return f"{word} {self.period_number}/{self.year}"

    @property
    def is_frozen(self) -> bool:
        return self.status == SheetStatus.APPROVED

    @property
    def total_fraction(self) -> Fraction | None:
        return parse_fraction(self.total)


class ProductSource(models.TextChoices):
    TASK = "task", _("Sổ theo dõi nhiệm vụ")
    MANUAL = "manual", _("Nhập tay")


class SheetProduct(models.Model):
    """One product/job of a sheet (sản phẩm/công việc): a task of the register assigned to the official,
    or one entered by hand. An excuse (nguyên nhân khách quan được xác nhận) is its confirming document,
    never a bare flag."""

    sheet = models.ForeignKey(
        PeriodSheet, verbose_name=_("phiếu"), on_delete=models.CASCADE, related_name="products"
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=ProductSource.choices)
    task = models.ForeignKey(
        "registers.Task",
        verbose_name=_("nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("mã"), max_length=100)
    title = models.CharField(_("nội dung"), max_length=500)
    field = models.ForeignKey(
        "org.Field",
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.DecimalField(_("hệ số quy đổi"), max_digits=6, decimal_places=2, default=1)
    assigned = models.BooleanField(_("được giao"), default=True)
    completed = models.BooleanField(_("hoàn thành"), default=False)
    on_time = models.BooleanField(_("đúng hạn"), default=False)
    quality_ok = models.BooleanField(_("đạt chất lượng"), default=False)
    delays = models.PositiveSmallIntegerField(_("số lần chậm"), default=0)
    quality_failures = models.PositiveSmallIntegerField(_("số lần đánh giá chưa đạt"), default=0)
    due_on = models.DateField(_("hạn"), null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    excuse_document = models.CharField(
        _("văn bản xác nhận nguyên nhân khách quan"), max_length=200, blank=True
    )
    excuse_date = models.DateField(_("ngày văn bản xác nhận"), null=True, blank=True)
    directed = models.BooleanField(
        _("nhiệm vụ chỉ đạo"),
        default=False,
        help_text=_("nhiệm vụ của công chức thuộc quyền mà lãnh đạo chỉ đạo, điều hành (Điều 15)"),
    )

    class Meta:
        verbose_name = _("sản phẩm của phiếu")
        verbose_name_plural = _("sản phẩm của phiếu")
        ordering = ["source", "due_on", "code"]
        constraints = [
            models.CheckConstraint(
                name="sheet_product_excuse_dated",
                condition=Q(excuse_document="") | Q(excuse_date__isnull=False),
                violation_error_message=_("Văn bản xác nhận nguyên nhân khách quan phải có ngày."),
            ),
            models.CheckConstraint(
                name="sheet_product_weight_positive",
                condition=Q(weight__gt=0),
                violation_error_message=_("Hệ số quy đổi phải lớn hơn 0."),
            ),
            models.UniqueConstraint(
                fields=["sheet", "task"], condition=Q(task__isnull=False), name="sheet_task_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title[:60]}"

    @property
    def excused(self) -> bool:
        return bool(self.excuse_document)


class TaskExcuse(models.Model):
    """The competent level's confirmation that a task's delay or quality failure had an objective cause
    (nguyên nhân khách quan được cấp có thẩm quyền xác nhận, decree-335 §3.6): its document and date,
    never a bare flag. It belongs to the task of the register, so it is one fact wherever the task is a
    product: the official's own sheet and every leader's directed copy of it take it when they are
    scored. An approved sheet keeps what it froze; an excuse recorded after its approval is shown
    beside it, not applied."""

    task = models.OneToOneField(
        "registers.Task", verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("đơn vị của nhiệm vụ trong sổ theo dõi"),
    )
    document = models.CharField(_("văn bản xác nhận nguyên nhân khách quan"), max_length=200)
    document_date = models.DateField(_("ngày văn bản xác nhận"))
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("người ghi"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("xác nhận nguyên nhân khách quan của nhiệm vụ")
        verbose_name_plural = _("xác nhận nguyên nhân khách quan của nhiệm vụ")
        ordering = ["-document_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="task_excuse_has_document",
                condition=~Q(document=""),
                violation_error_message=_("Chưa nhập số văn bản xác nhận."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} ngày {self.document_date.strftime('%d/%m/%Y')}"
