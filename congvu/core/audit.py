"""Writing and verifying the audit chain.

Each event's hash is SHA-256 over the previous hash and a canonical JSON of the event's content
(sorted keys, UTC timestamps to the microsecond). `audit_record` is called by every service inside
its own transaction, so an event exists exactly when the write it describes does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from congvu.core.models import AuditEvent, AuditHead


def to_json(value: Any) -> Any:
    """Plain JSON values (dates as ISO strings, decimals as strings), as they come back from the DB."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(instance: models.Model | None, fields: list[str] | None = None) -> dict | None:
    """The concrete field values of a row, JSON-ready, for before/after."""
    if instance is None:
        return None
    data = model_to_dict(instance, fields=fields)
    for field in instance._meta.concrete_fields:
        if fields and field.name not in fields:
            continue
        if isinstance(field, models.FileField):
            data[field.name] = getattr(instance, field.attname).name or ""
        elif field.name not in data:
            data[field.name] = getattr(instance, field.attname)
    data["id"] = instance.pk
    return to_json(data)


def _canonical(event: AuditEvent) -> str:
    payload = {
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "unit_id": event.unit_id,
        "before": event.before,
        "after": event.after,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# A user's own access — signing in and out, the second factor, the password, the session, API tokens
# — changes no data a page shows of the registers, the organisation or the inspections; the head's
# `last_data_event_id` skips these events (the chain itself records every event).
ACCESS_ACTION_PREFIXES = ("user.", "api_token.")


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256((event.prev_hash + "\n" + _canonical(event)).encode()).hexdigest()


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    unit_id: int | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)[:300]
        if unit_id is None:
            unit_id = _unit_of(obj)
    # The head row comes from a migration; a flushed test database lacks it, so create it then.
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        created_at=timezone.now().astimezone(UTC),
        actor=actor_obj,
        actor_label=(actor_obj.get_username() if actor_obj else str(actor or "system"))[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=object_repr[:300],
        unit_id=unit_id,
        before=to_json(before),
        after=to_json(after),
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.last_event_id = event.pk
    head.last_hash = event.hash
    head.count += 1
    if not action.startswith(ACCESS_ACTION_PREFIXES):
        head.last_data_event_id = event.pk
    head.save(update_fields=["last_event_id", "last_hash", "count", "last_data_event_id"])
    return event


def _unit_of(obj: models.Model) -> int | None:
    field = getattr(type(obj), "scope_unit_field", None)
    if not field:
        return None
    value: Any = obj
    for part in field.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value if isinstance(value, int) else getattr(value, "pk", None)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_event_id: int | None = None
    reason: str = ""


def audit_verify() -> VerifyResult:
    """Walk the chain in id order; report the first event that does not fit."""
    prev_hash = ""
    checked = 0
    last_id = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev_hash:
            return VerifyResult(
                False, checked, event.pk, "mã băm trước không khớp: một sự kiện trước nó đã bị xóa hoặc sửa"
            )
        if event_hash(event) != event.hash:
            return VerifyResult(False, checked, event.pk, "nội dung sự kiện đã bị sửa")
        prev_hash = event.hash
        last_id = event.pk
        checked += 1
    head = AuditHead.objects.filter(pk=1).first() or AuditHead(count=0)
    if head.last_event_id != last_id or head.last_hash != prev_hash or head.count != checked:
        broken = (last_id or 0) + 1
        return VerifyResult(
            False,
            checked,
            broken,
            f"chuỗi kết thúc ở #{last_id} nhưng đầu chuỗi ghi #{head.last_event_id} "
            f"({head.count} sự kiện): các sự kiện cuối đã bị xóa",
        )
    return VerifyResult(True, checked)
