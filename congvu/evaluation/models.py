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
