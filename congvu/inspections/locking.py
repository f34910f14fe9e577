"""Optimistic locking: two people editing the same row never overwrite each other silently.

Every editable row carries a `version`; the form sends back the version it was built from; the service
locks the row, and refuses the save when the version moved on, saying who changed what since. The
state at the user's version is read back from the audit chain (each update records its after-state,
version included), so the message can show each changed field as "old → new".

`locked_change` is the one sequence every edit of a versioned row goes through: lock the row, run the
caller's checks, check the submitted version, snapshot before, let the caller change the row, then
`full_clean` + save with the version moved on, and `audit_record(before, after)`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from congvu.core.audit import audit_record, snapshot
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


class LockedChange:
    """The row being changed inside `locked_change`: `obj` (locked), `before` (its snapshot).

    The caller may `save()` early (e.g. to set many-to-many links or write a dependent row before the
    audit event), `unchanged()` to leave the row as it is (no save, no audit), and put extra keys in
    `after_extra` (merged into the audited after-state)."""

    def __init__(self, obj: models.Model, before: dict, *, clean: bool, update_fields: Sequence[str] | None):
        self.obj = obj
        self.before = before
        self.after_extra: dict = {}
        self.saved = False
        self.skipped = False
        self._clean = clean
        self._update_fields = update_fields

    def unchanged(self) -> None:
        self.skipped = True

    def save(self) -> None:
        if self.saved:
            return
        self.obj.version += 1
        if self._clean:
            self.obj.full_clean()
        if self._update_fields is not None:
            self.obj.save(update_fields=[*self._update_fields])
        else:
            self.obj.save()
        self.saved = True


@contextmanager
def locked_change(
    target: type[models.Model] | models.Model,
    pk: int | None = None,
    *,
    actor,
    action: str,
    fields: Sequence[str] | Callable[[models.Model], dict],
    expected_version: int | None = None,
    compare: Sequence[str] | None = None,
    check: Callable[[models.Model], None] | None = None,
    clean: bool = True,
    update_fields: Sequence[str] | None = None,
) -> Iterator[LockedChange]:
    """Lock → check → check version → snapshot → change (the `with` body) → full_clean + save with
    version+1 → audit. Call it inside the service's transaction.

    `target`: a model class (the row `pk` is locked here) or a row the caller has locked already.
    `check(obj)` runs after the lock and before the version check (the caller's permission and state
    checks, so their refusals come first, as before). `compare`: the fields named in a stale-edit
    refusal; without it, no version check. `fields`: the audited fields, or a function giving the
    snapshot. An exception in the body (or a refused `full_clean`) saves nothing and audits nothing."""
    obj = lock_row(target, pk) if isinstance(target, type) else target
    if check is not None:
        check(obj)
    if compare is not None:
        check_version(obj, expected_version, list(compare))
    take = fields if callable(fields) else (lambda o: snapshot(o, list(fields)))
    change = LockedChange(obj, take(obj), clean=clean, update_fields=update_fields)
    yield change
    if change.skipped:
        return
    change.save()
    audit_record(
        actor=actor, action=action, obj=obj, before=change.before, after={**take(obj), **change.after_extra}
    )
