"""Shared base models and the tamper-evident audit trail (nhật ký kiểm toán)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congvu.core.scoping import ScopedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One recorded write. Each event carries the hash of the one before it, so editing or
    deleting any row breaks the chain that `congvu audit verify` walks."""

    created_at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # an account may be deleted; its events must stay untouched
    )
    actor_label = models.CharField(_("người thực hiện (tên)"), max_length=200, blank=True)
    action = models.CharField(_("hành động"), max_length=100, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    # The unit the object belongs to, so unit-scoped readers could be shown their own history.
    unit_id = models.BigIntegerField(_("đơn vị"), null=True, blank=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    prev_hash = models.CharField(_("mã băm trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64, unique=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The single row that remembers the newest event, so that deleting the last events is
    detected too. Locked for update while an event is appended, which keeps the chain linear."""

    last_event_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64, blank=True, default="")
    count = models.BigIntegerField(default=0)
    # The id of the newest event that changed data (every action but a user's own access: sign-in,
    # sign-out, second factor, password, session, API tokens — `audit.ACCESS_ACTION_PREFIXES`): what
    # cached figures and page bodies are keyed on, so that a morning of sign-ins does not make every
    # cached figure of the province be computed again.
    last_data_event_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")

    def __str__(self) -> str:
        return f"#{self.last_event_id} ({self.count})"
