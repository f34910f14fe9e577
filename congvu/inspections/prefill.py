"""Pre-filling head/deputy checklist items with the performance engine's figures, frozen.

For each head and deputy who held the post during the period under review (appointments in force
at the unit or at a unit it absorbed), the records in their charge are:
- the head (người đứng đầu): every task and dossier of the unit received during their tenure within
  the period — the head answers for the whole agency;
- a deputy (cấp phó): the records in the fields of their portfolio (appointment fields), plus the tasks
  that name them as responsible, received during their tenure within the period.

`compute_snapshot` asks the engine (`congvu.metrics.engine.compute_metrics`) for the figures and the
database for the ids of the records behind each count, and returns plain JSON: the as-of date and the
figures (with each count's number of records), and apart from them the id lists — both stored on the
item, so later imports never change it and the links to the records keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Case, ExpressionWrapper, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from congvu.org.models import Appointment, AppointmentRole
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.registers.models import Dossier, Task

BUCKETS = ("done_on_time", "done_late", "open_in_time", "open_overdue", "no_deadline")
PROGRESS = ("total", *BUCKETS, "on_time_rate", "late_days_mean", "late_days_median", "late_days_max")

FIGURE_LABELS = {
    "total": _("Tổng số"),
    "done_on_time": _("Hoàn thành đúng hạn"),
    "done_late": _("Hoàn thành quá hạn"),
    "open_in_time": _("Đang thực hiện trong hạn"),
    "open_overdue": _("Đang thực hiện quá hạn"),
    "no_deadline": _("Không thời hạn"),
    "on_time_rate": _("Tỷ lệ đúng hạn"),
    "late_days_mean": _("Số ngày chậm bình quân"),
    "late_days_median": _("Số ngày chậm (trung vị)"),
    "late_days_max": _("Số ngày chậm nhiều nhất"),
    "receipt_to_handling_mean": _("Tiếp nhận → xử lý (ngày làm việc, bình quân)"),
    "handling_to_advice_mean": _("Xử lý → tham mưu (ngày làm việc, bình quân)"),
    "receipt_to_advice_mean": _("Tiếp nhận → tham mưu (ngày làm việc, bình quân)"),
    "quality_passed": _("Đạt chất lượng"),
    "quality_failed": _("Không đạt"),
    "quality_pass_rate": _("Tỷ lệ đạt"),
    "quality_returned": _("Trả lại để chỉnh sửa"),
    "returned_total": _("Số lần bị trả lại"),
    "proactive_count": _("Chủ động tham mưu"),
}
RATE_FIGURES = frozenset({"on_time_rate", "quality_pass_rate"})


def _records_behind(figure: str, register: str, as_of: date) -> Q:
    """The records behind a countable figure, exactly as the engine counts them."""
    from congvu.metrics import engine

    if hasattr(engine, "figure_q"):
        return engine.figure_q(figure, register, as_of)
    # The engine's documented minimum: the buckets; quality and initiative by their definitions.
    if figure in ("total", *BUCKETS):
        return engine.bucket_q(figure, as_of)
    done = Q(received_on__lte=as_of, completed_on__lte=as_of)
    verdict = {"quality_passed": "passed", "quality_failed": "failed", "quality_returned": "returned"}
    if figure in verdict:
        return done & Q(quality=verdict[figure])
    if figure == "returned_total":
        return Q(received_on__lte=as_of, returned_count__gt=0)
    if figure == "proactive_count":
        return Q(received_on__lte=as_of, proactive=True)
    raise ValueError(figure)


# metric -> list of (group key, label, register, record filter, figures shown, figures with id lists)
METRIC_GROUPS: dict[str, list[tuple[str, str, str, Q, tuple[str, ...], tuple[str, ...]]]] = {
    "tasks_progress": [
        ("all", _("Nhiệm vụ được giao"), "tasks", Q(), PROGRESS, ("total", *BUCKETS)),
    ],
    "tasks_stages": [
        (
            "all",
            _("Nhiệm vụ được giao"),
            "tasks",
            Q(),
            ("total", "receipt_to_handling_mean", "handling_to_advice_mean", "receipt_to_advice_mean"),
            ("total",),
        ),
    ],
    "tasks_quality": [
        (
            "all",
            _("Nhiệm vụ được giao"),
            "tasks",
            Q(),
            (
                "total",
                "quality_passed",
                "quality_failed",
                "quality_returned",
                "quality_pass_rate",
                "returned_total",
            ),
            ("total", "quality_passed", "quality_failed", "quality_returned", "returned_total"),
        ),
    ],
    "tasks_proactive": [
        (
            "central",
            _("Do Trung ương giao"),
            "tasks",
            Q(authority="central"),
            ("total", "done_on_time", "done_late", "open_overdue", "on_time_rate", "proactive_count"),
            ("total", "done_late", "open_overdue", "proactive_count"),
        ),
        (
            "party_standing",
            _("Do Ban Thường vụ / Thường trực Tỉnh ủy giao"),
            "tasks",
            Q(authority="party_standing"),
            ("total", "done_on_time", "done_late", "open_overdue", "on_time_rate", "proactive_count"),
            ("total", "done_late", "open_overdue", "proactive_count"),
        ),
        (
            "party_committee",
            _("Do Tỉnh ủy giao"),
            "tasks",
            Q(authority="party_committee"),
            ("total", "done_on_time", "done_late", "open_overdue", "on_time_rate", "proactive_count"),
            ("total", "done_late", "open_overdue", "proactive_count"),
        ),
        (
            "all",
            _("Tất cả nhiệm vụ"),
            "tasks",
            Q(),
            ("total", "proactive_count"),
            ("total", "proactive_count"),
        ),
    ],
    "legal_documents": [
        (
            "legal_normative",
            _("Văn bản quy phạm pháp luật"),
            "tasks",
            Q(product_type="legal_normative"),
            ("total", *BUCKETS, "on_time_rate", "quality_failed", "returned_total"),
            ("total", *BUCKETS, "quality_failed"),
        ),
        (
            "council_submission",
            _("Nội dung trình HĐND tỉnh"),
            "tasks",
            Q(product_type="council_submission"),
            ("total", *BUCKETS, "on_time_rate", "quality_failed", "returned_total"),
            ("total", *BUCKETS, "quality_failed"),
        ),
    ],
    "dossiers": [
        ("all", _("Hồ sơ thủ tục hành chính"), "dossiers", Q(), PROGRESS, ("total", *BUCKETS)),
    ],
}


@dataclass
class LeaderScope:
    """One head or deputy and the slice of the period they held the post."""

    appointment: Appointment
    subject: str  # "head" | "deputy"
    period_from: date
    period_to: date


def leader_scopes(*, unit_id: int, period_from: date, period_to: date) -> list[LeaderScope]:
    """Heads and deputies in force at any time in the period, at the unit or a unit it absorbed;
    heads first, then deputies, each by start date."""
    appointments = (
        Appointment.objects.filter(
            unit_id__in=unit_with_predecessor_ids(unit_id),
            role__in=[AppointmentRole.HEAD, AppointmentRole.DEPUTY],
            start__lte=period_to,
        )
        .filter(Q(end__isnull=True) | Q(end__gte=period_from))
        .select_related("official", "unit")
        .prefetch_related("fields")
        .annotate(
            head_first=Case(
                When(role=AppointmentRole.HEAD, then=Value(0)), default=1, output_field=IntegerField()
            )
        )
        .order_by("head_first", "start", "pk")
    )
    return [
        LeaderScope(
            appointment=a,
            subject="head" if a.role == AppointmentRole.HEAD else "deputy",
            period_from=max(period_from, a.start),
            period_to=min(period_to, a.end) if a.end else period_to,
        )
        for a in appointments
    ]


def leader_records(scope: LeaderScope, as_of: date) -> tuple[QuerySet, QuerySet]:
    """(tasks, dossiers) in the leader's charge, received in their slice of the period and by `as_of`."""
    appointment = scope.appointment
    units = unit_with_predecessor_ids(appointment.unit_id)
    last = min(scope.period_to, as_of)
    tasks = Task.objects.filter(unit_id__in=units, received_on__gte=scope.period_from, received_on__lte=last)
    dossiers = Dossier.objects.filter(
        unit_id__in=units, received_on__gte=scope.period_from, received_on__lte=last
    )
    if scope.subject == "deputy":
        field_ids = [f.pk for f in appointment.fields.all()]
        tasks = tasks.filter(Q(field_id__in=field_ids) | Q(responsible_id=appointment.official_id))
        dossiers = dossiers.filter(field_id__in=field_ids)
    return tasks, dossiers


def _jsonable(value):
    if value is None or isinstance(value, (int, str, bool)):
        return value
    if isinstance(value, float):
        return round(value, 4)
    try:
        return round(float(value), 4)  # Decimal and friends
    except (TypeError, ValueError):
        return str(value)


def ids_behind(records: QuerySet, figures: tuple[str, ...], register: str, as_of: date) -> dict:
    """{figure: [ids of the records behind it, ascending]} for each of `figures`, read in one query:
    the records behind any of them, each with one flag per figure (its condition, as the engine
    counts it) — not one query per figure."""
    if not figures:
        return {}
    conditions = [_records_behind(name, register, as_of) for name in figures]
    flags = {
        f"behind_{n}": ExpressionWrapper(condition, output_field=BooleanField())
        for n, condition in enumerate(conditions)
    }
    # An empty condition is every record, which Q's `|` would drop from the union instead.
    where = Q() if not all(conditions) else reduce(or_, conditions)
    rows = records.filter(where).annotate(**flags).order_by("pk").values_list("pk", *flags)
    ids: dict[str, list[int]] = {name: [] for name in figures}
    for pk, *marks in rows:
        for name, mark in zip(figures, marks, strict=True):
            if mark:
                ids[name].append(pk)
    return ids


def compute_snapshot(
    *,
    metric: str,
    scope: LeaderScope,
    as_of: date,
    scope_records: tuple[QuerySet, QuerySet] | None = None,
) -> tuple[dict, dict]:
    """The frozen figures of one head/deputy item: (snapshot, ids). The snapshot is plain JSON with
    the as-of date, each group's figures from the engine and `counts` (how many records stand behind
    each linkable figure); ids is {group key: {figure: [record ids]}}. `scope_records` is the scope's
    `leader_records(scope, as_of)` when the caller has them already (every item of one sheet)."""
    from congvu.metrics.engine import compute_metrics

    tasks, dossiers = scope_records or leader_records(scope, as_of)
    groups, all_ids = [], {}
    for key, label, register, record_filter, shown, with_ids in METRIC_GROUPS[metric]:
        records = (tasks if register == "tasks" else dossiers).filter(record_filter)
        rows = compute_metrics(register=register, records=records, as_of=as_of)
        row = rows[0] if rows else {}
        figures = {name: _jsonable(row.get(name, 0 if name == "total" else None)) for name in shown}
        ids = ids_behind(records, with_ids, register, as_of)
        counts = {name: len(values) for name, values in ids.items()}
        groups.append(
            {"key": key, "label": str(label), "register": register, "figures": figures, "counts": counts}
        )
        all_ids[key] = ids
    official = scope.appointment.official
    snapshot = {
        "metric": metric,
        "as_of": as_of.isoformat(),
        "from": scope.period_from.isoformat(),
        "to": scope.period_to.isoformat(),
        "official": {"id": official.pk, "name": official.full_name},
        "subject": scope.subject,
        "fields": sorted(f.name for f in scope.appointment.fields.all()) if scope.subject == "deputy" else [],
        "groups": groups,
    }
    return snapshot, all_ids


def snapshot_summary(snapshot: dict | None) -> dict | None:
    """What the audit trail keeps of a snapshot: the figures and the id counts, not the id lists."""
    if not snapshot:
        return None
    return {
        "as_of": snapshot.get("as_of"),
        "groups": [
            {
                "key": g["key"],
                "figures": g["figures"],
                "counts": g.get("counts", {}),
            }
            for g in snapshot.get("groups", [])
        ],
    }
