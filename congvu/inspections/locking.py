"""Optimistic locking: two people editing the same row never overwrite each other silently.

Every editable row carries a `version`; the form sends back the version it was built from; the service
locks the row, and refuses the save when the version moved on, saying who changed what since. The
state at the user's version is read back from the audit chain (each update records its after-state,
version included), so the message can show each changed field as "old → new"."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from congvu.core.models import AuditEvent


class StaleEditError(ValidationError):
    """The row changed since the user loaded it; `changes` lists (label, before, after)."""

    def __init__(self, message: str, changes: list[tuple[str, str, str]]):
        super().__init__(message, code="stale")
        self.changes = changes


def _display(instance: models.Model, name: str, value) -> str:
    if value in (None, ""):
        return "—"
    field = instance._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def lock_row(model: type[models.Model], pk: int) -> models.Model:
    """Re-read a row under a row lock (PostgreSQL); SQLite serialises writers with IMMEDIATE."""
    return model.objects.select_for_update().get(pk=pk)


def check_version(current: models.Model, expected_version: int | None, fields: list[str]) -> None:
    """Raise StaleEditError when `current.version` is not `expected_version`."""
    if expected_version is None or int(expected_version) == current.version:
        return
    expected_version = int(expected_version)
    base_event = (
        AuditEvent.objects.filter(
            object_type=current._meta.label_lower,
            object_id=str(current.pk),
            after__version=expected_version,
        )
        .order_by("-id")
        .first()
    )
    base = (base_event.after or {}) if base_event else {}
    changes: list[tuple[str, str, str]] = []
    for name in fields:
        now = getattr(current, current._meta.get_field(name).attname)
        if isinstance(now, models.Model):
            now = now.pk
        if name in base and str(base[name] or "") != str(now if now is not None else ""):
            label = str(current._meta.get_field(name).verbose_name)
            changes.append((label, _display(current, name, base[name]), _display(current, name, now)))
    who = getattr(current, "updated_by", None) or getattr(current, "approved_by", None) or ""
    when = getattr(current, "updated_at", None)
    when_text = formats.date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT") if when else ""
    parts = [
        _(
            "Không lưu được: nội dung này đã được %(who)s sửa lúc %(when)s trong khi bạn đang sửa "
            "(bạn sửa từ phiên bản %(mine)d, hiện là phiên bản %(now)d)."
        )
        % {
            "who": who or _("người khác"),
            "when": when_text or "—",
            "mine": expected_version,
            "now": current.version,
        }
    ]
    if changes:
        parts.append(
            _("Đã thay đổi: %(changes)s.")
            % {"changes": "; ".join(f"{label}: «{old}» → «{new}»" for label, old, new in changes)}
        )
    parts.append(_("Nội dung bạn nhập chưa được lưu; hãy xem bản mới nhất rồi nhập lại."))
    raise StaleEditError(" ".join(parts), changes)
