"""Scoped reads for the scorecards: which records a figure is computed over, and which unit or
official a page may show. Views and the CLI build their querysets here and hand them to the engine."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from congvu.core.scoping import get_visible_or_404
from congvu.core.text import fold
from congvu.metrics.cache import cached_figures
from congvu.metrics.engine import compute_buckets, compute_metrics, official_field, register_model
from congvu.org.models import Official, Unit
from congvu.org.selectors import unit_with_predecessor_ids


class UnitLookupError(LookupError):
    """No unit, or more than one, matches what the operator typed. The message is for the user."""


def filter_records(
    qs: QuerySet,
    *,
    register: str,
    unit: Unit | None = None,
    with_predecessors: bool = True,
    official: Official | None = None,
    official_missing: bool = False,
    field_id: int | None = None,
    month: date | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet:
    """Narrow a Task/Dossier queryset: the unit (with the units it absorbed, by default), the
    official scored for the records (or records scored to nobody), the field (0: records without a
    field), the month of receipt and the receipt period."""
    if unit is not None:
        ids = unit_with_predecessor_ids(unit.pk) if with_predecessors else {unit.pk}
        qs = qs.filter(unit_id__in=ids)
    if official is not None:
        qs = qs.filter(**{official_field(register): official})
    if official_missing:
        qs = qs.filter(**{f"{official_field(register)}__isnull": True})
    if field_id is not None:
        qs = qs.filter(field_id=field_id) if field_id else qs.filter(field__isnull=True)
    if month is not None:
        qs = qs.annotate(_month=TruncMonth("received_on")).filter(_month=month.replace(day=1))
    if date_from is not None:
        qs = qs.filter(received_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(received_on__lte=date_to)
    return qs


def metric_records(*, fetched_by, register: str, **filters) -> QuerySet:
    """The records of `register` the user may see, narrowed by `filter_records`' filters."""
    qs = register_model(register).objects.visible_to(fetched_by)
    return filter_records(qs, register=register, **filters)


def province_ranking(
    *,
    fetched_by,
    register: str,
    as_of: date,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[list[dict], dict]:
    """The units the user may see ranked by on-time rate (xếp hạng đơn vị), and the row of all of
    them together; from the figures cache (`congvu.metrics.cache`). Units without a judged record
    come last, without a rank."""

    def compute() -> tuple[list[dict], dict]:
        records = metric_records(
            fetched_by=fetched_by, register=register, date_from=date_from, date_to=date_to
        )
        rows = compute_buckets(register=register, records=records, as_of=as_of, by="unit", with_total=True)
        total = rows.pop()  # all visible units together
        rows.sort(
            key=lambda r: (r["on_time_rate"] is None, -(r["on_time_rate"] or 0), -r["total"], r["label"])
        )
        rank = 0
        for row in rows:  # the units' rows (a few hundred), not records
            row["folded"] = fold(row["label"] or "")  # for the page's search
            if row["on_time_rate"] is not None:
                rank += 1
                row["rank"] = rank
        return rows, total

    params = {"as_of": as_of, "from": date_from, "to": date_to}
    return cached_figures(
        fetched_by=fetched_by, register=register, name="ranking", params=params, compute=compute
    )


def scorecard_figures(
    *,
    fetched_by,
    register: str,
    as_of: date,
    groupings: tuple[str, ...],
    unit: Unit | None = None,
    official: Official | None = None,
    with_predecessors: bool = True,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict[str, list[dict]]:
    """A unit's or an official's scorecard (bảng chỉ số): {"summary": [row], grouping: rows, …},
    the full figures of `compute_metrics`, from the figures cache."""

    def compute() -> dict[str, list[dict]]:
        records = metric_records(
            fetched_by=fetched_by,
            register=register,
            unit=unit,
            official=official,
            with_predecessors=with_predecessors,
            date_from=date_from,
            date_to=date_to,
        )
        figures = {"summary": compute_metrics(register=register, records=records, as_of=as_of)}
        for by in groupings:
            figures[by] = compute_metrics(register=register, records=records, as_of=as_of, by=by)
        return figures

    params = {
        "as_of": as_of,
        "from": date_from,
        "to": date_to,
        "unit": unit.pk if unit else None,
        "official": official.pk if official else None,
        "pred": with_predecessors,
        "groupings": ",".join(groupings),
    }
    return cached_figures(
        fetched_by=fetched_by, register=register, name="scorecard", params=params, compute=compute
    )


def scorecard_unit(*, fetched_by, code: str) -> Unit:
    """The unit of a scorecard page; another unit's is a 404."""
    return get_visible_or_404(Unit, fetched_by, code=code)


def scorecard_official(*, fetched_by, code: str) -> Official:
    """The official of a scorecard page: one the user may see (appointed in a visible unit), or one
    scored for records the user may see (a handler without a leadership post). Else a 404."""
    from django.http import Http404

    from congvu.registers.models import Dossier, Task

    official = Official.objects.filter(code=code).first()
    if official is None:
        raise Http404
    if Official.objects.visible_to(fetched_by).filter(pk=official.pk).exists():
        return official
    scored = Task.objects.visible_to(fetched_by).filter(responsible=official).exists() or (
        Dossier.objects.visible_to(fetched_by).filter(handler=official).exists()
    )
    if not scored:
        raise Http404
    return official


def leaders_of(*, fetched_by, unit: Unit, day: date) -> QuerySet:
    """Heads and deputies of the unit in post on `day` (người đứng đầu, cấp phó), for the links to
    their scorecards."""
    from congvu.org.models import Appointment, AppointmentRole

    return (
        Appointment.objects.visible_to(fetched_by)
        .filter(unit=unit, role__in=(AppointmentRole.HEAD, AppointmentRole.DEPUTY), start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("official")
        .prefetch_related("fields")
        .order_by("role", "start")
    )


def resolve_unit(text: str) -> Unit:
    """The unit an operator names on the command line: its code (any case), else its name without
    regard to diacritics or case, exactly, else as a unique part of the name."""
    text = (text or "").strip()
    if not text:
        raise UnitLookupError(_("Chưa nêu đơn vị (--unit)."))
    by_code = list(Unit.objects.filter(code__iexact=text))
    if len(by_code) == 1:
        return by_code[0]
    folded = fold(text)
    exact = list(Unit.objects.filter(name_folded=folded))
    if len(exact) == 1:
        return exact[0]
    candidates = exact or list(Unit.objects.filter(name_folded__contains=folded)[:11])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UnitLookupError(_("Không tìm thấy đơn vị “%(text)s” (theo mã hoặc tên).") % {"text": text})
    listed = "; ".join(f"{u.code} — {u.name}" for u in candidates[:10])
    more = "; …" if len(candidates) > 10 else ""
    raise UnitLookupError(
        _("“%(text)s” khớp với nhiều đơn vị: %(units)s. Hãy ghi mã đơn vị.")
        % {"text": text, "units": listed + more}
    )
