"""Cadre-planning entries (quy hoạch cán bộ): who is planned for which leadership title, for which term,
by which decision, and whether they are still in planning."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from congvu.core.scoping import ScopedQuerySet


class PlannedRole(models.TextChoices):
    HEAD = "head", _("Người đứng đầu")
    DEPUTY = "deputy", _("Cấp phó")


class PlanningStatus(models.TextChoices):
    IN = "in", _("Trong quy hoạch")
    OUT = "out", _("Đã đưa ra khỏi quy hoạch")


class PlanningEntry(models.Model):
    """One person planned for one title (a role at a unit) for one term, by a decision (quyết định phê
    duyệt quy hoạch). Taken out of planning by a later decision, with the reason."""

    official = models.ForeignKey(
        "org.Official", verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="planning_entries"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị của chức danh"),
        on_delete=models.PROTECT,
        related_name="planning_entries",
    )
    role = models.CharField(_("chức danh quy hoạch"), max_length=10, choices=PlannedRole.choices)
    term = models.CharField(_("nhiệm kỳ"), max_length=9, help_text=_("Ví dụ 2026-2031"))
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=100)
    decision_date = models.DateField(_("ngày quyết định"))
    woman_retires_at_60 = models.BooleanField(
        _("nữ được nghỉ hưu ở tuổi 60"), default=False, help_text=_("NĐ 83/2022, NĐ 99/2024")
    )
    status = models.CharField(
        _("tình trạng"), max_length=3, choices=PlanningStatus.choices, default=PlanningStatus.IN
    )
    out_date = models.DateField(_("ngày đưa ra khỏi quy hoạch"), null=True, blank=True)
    out_decision = models.CharField(_("quyết định đưa ra"), max_length=100, blank=True)
    out_reason = models.TextField(_("lý do đưa ra"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("quy hoạch cán bộ")
        verbose_name_plural = _("quy hoạch cán bộ")
        ordering = ["term", "unit_id", "role", "official__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "unit", "role", "term"], name="planning_once_per_title_term"
            ),
            models.CheckConstraint(
                name="planning_out_has_date_and_reason",
                condition=models.Q(status="in")
                | (models.Q(out_date__isnull=False) & ~models.Q(out_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.get_role_display()} {self.unit} ({self.term})"
