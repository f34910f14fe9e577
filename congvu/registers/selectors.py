"""Scoped reads of the registers: every queryset starts from `visible_to(fetched_by)`."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from congvu.core.text import fold
from congvu.org.models import Official, Unit
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.registers.models import Dossier, ImportRun, Task


def officials_matching(text: str) -> QuerySet:
    """The officials whose code is `text` or whose name contains it, with or without diacritics."""
    folded = fold(text)
    return Official.objects.filter(Q(code__iexact=text.strip()) | Q(name_folded__contains=folded)).values(
        "pk"
    )


def text_q(model, text: str) -> Q:
    """A task or dossier whose code contains `text`, or whose content (a task) or procedure (a dossier)
    contains it with or without diacritics."""
    folded = "content_folded" if model is Task else "procedure_folded"
    return Q(external_code__icontains=text.strip()) | Q(**{f"{folded}__contains": fold(text)})


def task_list(
    *,
    fetched_by,
    query: str = "",
    unit: Unit | None = None,
    field_id: int | None = None,
    official: str = "",
    authority: str = "",
    product_type: str = "",
) -> QuerySet:
    """Tasks the user may see; `query` matches the code or the content, with or without diacritics;
    `unit` includes the units it absorbed. The list page narrows with `registers.filters.TaskFilter`."""
    qs = Task.objects.visible_to(fetched_by)
    if query:
        qs = qs.filter(text_q(Task, query))
    if unit is not None:
        qs = qs.filter(unit_id__in=unit_with_predecessor_ids(unit.pk))
    if field_id:
        qs = qs.filter(field_id=field_id)
    if official:
        qs = qs.filter(responsible__in=officials_matching(official))
    if authority:
        qs = qs.filter(authority=authority)
    if product_type:
        qs = qs.filter(product_type=product_type)
    return qs


def dossier_list(
    *,
    fetched_by,
    query: str = "",
    unit: Unit | None = None,
    field_id: int | None = None,
    official: str = "",
) -> QuerySet:
    """Dossiers the user may see; `query` matches the code or the procedure, with or without
    diacritics; `unit` includes the units it absorbed. The list page narrows with
    `registers.filters.DossierFilter`."""
    qs = Dossier.objects.visible_to(fetched_by)
    if query:
        qs = qs.filter(text_q(Dossier, query))
    if unit is not None:
        qs = qs.filter(unit_id__in=unit_with_predecessor_ids(unit.pk))
    if field_id:
        qs = qs.filter(field_id=field_id)
    if official:
        qs = qs.filter(handler__in=officials_matching(official))
    return qs


def import_run_list(*, fetched_by, register: str = "") -> QuerySet:
    """Import runs the user may see: province-wide roles all, a unit user those of their unit."""
    qs = ImportRun.objects.visible_to(fetched_by).select_related("created_by", "unit")
    if register:
        qs = qs.filter(register=register)
    return qs


def register_units(*, fetched_by) -> QuerySet:
    """The units a user may filter the registers by (their own and absorbed ones, or all)."""
    return Unit.objects.visible_to(fetched_by).order_by("name")


def dossier_timeline(*, dossier: Dossier) -> list[dict]:
    """What happened to a dossier, in date order: receipt, the events its notes recorded (supplement
    requests, apologies with new dates, stops, withdrawal, rejection), result and return, and the
    appointment date in force. The dossier was fetched through the scope; its events belong to it."""
    from congvu.registers.models import DossierEvent

    items = [{"on": dossier.received_on, "label": _("Tiếp nhận hồ sơ"), "detail": "", "kind": "received"}]
    for event in dossier.events.all():
        detail = event.text
        if event.new_due_on:
            detail = f"{detail} — " if detail else ""
            detail += _("hẹn trả mới %(d)s") % {"d": f"{event.new_due_on:%d/%m/%Y}"}
        items.append(
            {
                "on": event.on or event.new_due_on,
                "label": event.get_kind_display(),
                "detail": detail,
                "kind": event.kind,
            }
        )
    if dossier.completed_on:
        items.append(
            {"on": dossier.completed_on, "label": _("Có kết quả"), "detail": "", "kind": "completed"}
        )
    if dossier.returned_on:
        items.append({"on": dossier.returned_on, "label": _("Trả kết quả"), "detail": "", "kind": "returned"})
    if dossier.due_on:
        late = (dossier.completed_on or dossier.ended_on or dossier.returned_on or date.max) > dossier.due_on
        items.append(
            {
                "on": dossier.due_on,
                "label": _("Hạn trả kết quả đang áp dụng"),
                "detail": _("đã quá hạn") if late and dossier.completed_on else "",
                "kind": "due",
            }
        )
    order = {
        "received": 0,
        **dict.fromkeys(DossierEvent.Kind.values, 1),
        "completed": 2,
        "returned": 3,
        "due": 4,
    }
    items.sort(key=lambda i: (i["on"] or date.max, order[i["kind"]]))
    return items


def record_lateness(*, fetched_by, register: str, pks, as_of) -> dict[int, tuple[str, int | None]]:
    """For the records `pks` the user may see: pk → (bucket as of `as_of`, working days late).
    Bucket: done_on_time, done_late, open_in_time, open_overdue or no_deadline; days late only for
    done_late and open_overdue. Computed in the database with the performance engine's expressions
    (the working-day ordinal table), in one query for a page of records."""
    from congvu.metrics.engine import annotate_lateness, bucket_of

    model = Task if register == "tasks" else Dossier
    qs = model.objects.visible_to(fetched_by).filter(pk__in=list(pks))
    qs = annotate_lateness(qs, as_of).annotate(lateness_bucket=bucket_of(as_of))
    return {pk: (bucket, days) for pk, bucket, days in qs.values_list("pk", "lateness_bucket", "late_days")}
