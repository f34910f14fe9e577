"""The periodic report of administrative-procedure results (Biểu 06a/06b/VPCP/KSTT, Circular
01/2020/TT-VPCP) and the national progress indicator of Decision 766/QĐ-TTg (Tiến độ giải quyết, 20
points), computed from the dossier register (`shared/domain/official-forms.md` §4, §5).

Everything is one grouped query (conditional counts), the same SQL on SQLite and PostgreSQL.

Period [F, T], report date R; the cut-off C = min(T, R): what happened after C is not known yet.
A dossier's end: its result (`completed_on`); a rejection (từ chối giải quyết) is a result timed at
`coalesce(completed_on, ended_on)`; a withdrawal ends it at `ended_on` without a result. A dossier is
*suspended* at C when it is stopped (dừng giải quyết, `ended_on` ≤ C) or waiting for a supplement
(`waiting_since` ≤ C and not yet supplied by C).

* in the report: received by C and not ended before F;
* (4) online / (5) in person or by post: received in [F, C], by `channel` (no channel: (5));
  (6) carried over: received before F; (3) = (4) + (5) + (6);
* (7) solved: result in [F, C]; (8) early: result before the due date; (10) late: after it; (9) on
  time: the rest (on the due date, or no due date);
* (11) in progress: no result and not withdrawn by C; (13) overdue: due date before C; (12) in time:
  the rest. Lateness is a date comparison with the appointment date, as the form's systems do; the
  working days entered when "Hẹn trả kết quả" was computed.

The conventions that differ between systems are explicit settings (`Conventions`); the defaults are
the Thanh Hóa system's (official-forms.md §4), under which (3) = (7) + (11) holds:

* `withdrawn`: "on_time" (default) — a withdrawal in the period is solved on time (label "Đúng hạn
  (bao gồm cả hồ sơ trả lại/xin rút)"); "apart" — outside (7) and (11), counted apart (OpenCPS);
* `suspended`: "in_time" (default) — suspended dossiers are in progress within the deadline whatever
  their due date ("bao gồm cả hồ sơ chờ bổ sung"); "by_due" — judged by their due date like the others;
  "apart" — outside (11), counted apart (OpenCPS);
* `early`: "before_due" (default) — early is a result dated before the due date; "none" — no early
  column: every result by the due date is on time (the 766 rules).

766 progress (chỉ số 2.1, Tiến độ giải quyết): score = 20 × on-time / received and processed in the
period, where received = (3) and a dossier is on time when its end is on or before its due date (or
it has none): a result or a rejection at its date, a withdrawal or a stop at `ended_on`, a dossier
waiting for a supplement at the request date, an open dossier at C (so: due date ≥ C). These rules
are fixed by the indicator, whatever the report's conventions above, which touch only the form.

More than one supplement request (official-forms.md §5): "Nếu hồ sơ đang yêu cầu bổ sung, công dân
chưa quay lại bổ sung hồ sơ thì lấy ngày cán bộ yêu cầu bổ sung hồ sơ là Thời gian kết thúc xử lý …
trừ trường hợp 'Yêu cầu bổ sung hồ sơ' hơn 01 lần thì tính quá hạn." The requests are the dossier's
`DossierEvent`s of kind "supplement_request" dated on or before C (each a request the register's
notes record; a request after C is not known yet), counted by a correlated COUNT subquery. The
text leaves one thing open, a convention of the 766 score only (the form's figures never change):

* `supplements`: "pending" (default) — the exception is part of the sentence about a dossier still
  waiting for the papers, so a dossier waiting at C after more than one request is overdue, and once
  the papers came (or the dossier ended) the other rules judge it; the rule for a supplied dossier
  ("Thời gian kết thúc xử lý = … − Thời gian bổ sung hồ sơ") names no exception. "always" — more
  than one request makes the dossier overdue whatever became of it (a penalty on asking twice:
  desks are to ask for everything missing at once), read from the same words by some systems.
  [Inferred: the source is an administrator's unofficial note; neither reading is confirmed.]"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from congvu.core.text import fold
from congvu.registers.models import DossierEvent

# The figures of the form, in its column order (3)…(13), as the CLI names them.
KEYS = (
    "received",
    "received_online",
    "received_direct",
    "carried_over",
    "solved",
    "solved_early",
    "solved_on_time",
    "solved_late",
    "in_progress",
    "in_progress_in_time",
    "in_progress_overdue",
)
EXTRA = ("withdrawn_apart", "suspended_apart", "score_numerator")

LABELS = {
    "received": _("Tổng số"),
    "received_online": _("Trực tuyến"),
    "received_direct": _("Trực tiếp, dịch vụ bưu chính"),
    "carried_over": _("Từ kỳ trước"),
    "solved": _("Tổng số"),
    "solved_early": _("Trước hạn"),
    "solved_on_time": _("Đúng hạn"),
    "solved_late": _("Quá hạn"),
    "in_progress": _("Tổng số"),
    "in_progress_in_time": _("Trong hạn"),
    "in_progress_overdue": _("Quá hạn"),
}

CHOICES = {
    "withdrawn": {
        "on_time": _("hồ sơ công dân rút tính là đã giải quyết đúng hạn"),
        "apart": _("hồ sơ công dân rút không tính vào đã giải quyết, đang giải quyết; đếm riêng"),
    },
    "suspended": {
        "in_time": _("hồ sơ chờ bổ sung, dừng giải quyết tính là đang giải quyết trong hạn"),
        "by_due": _("hồ sơ chờ bổ sung, dừng giải quyết xét theo ngày hẹn trả như hồ sơ khác"),
        "apart": _("hồ sơ chờ bổ sung, dừng giải quyết không tính vào đang giải quyết; đếm riêng"),
    },
    "early": {
        "before_due": _("trước hạn: có kết quả trước ngày hẹn trả; đúng hạn: đúng ngày hẹn trả"),
        "none": _("không tách cột trước hạn: có kết quả đến hết ngày hẹn trả là đúng hạn"),
    },
    "supplements": {
        "pending": _("chỉ số 766: hồ sơ đang chờ bổ sung mà đã bị yêu cầu bổ sung hơn 01 lần tính quá hạn"),
        "always": _(
            "chỉ số 766: hồ sơ đã bị yêu cầu bổ sung hơn 01 lần luôn tính quá hạn, kể cả khi đã bổ "
            "sung hoặc đã kết thúc"
        ),
    },
}

DEFINITION_766 = _(
    "Chỉ số Tiến độ giải quyết (QĐ 766/QĐ-TTg, tối đa 20 điểm) = 20 × số hồ sơ đã xử lý và đang xử "
    "lý trước hạn, đúng hạn, trong hạn trong kỳ / tổng số hồ sơ tiếp nhận và xử lý trong kỳ (tiếp nhận "
    "mới và từ kỳ trước). Hồ sơ đã kết thúc (có kết quả, từ chối, công dân rút, dừng giải quyết) đúng hạn "
    "khi ngày kết thúc không sau ngày hẹn trả; hồ sơ đang chờ bổ sung tính đến ngày yêu cầu bổ sung, "
    "trừ hồ sơ đã bị yêu cầu bổ sung hơn 01 lần: tính quá hạn (xem quy ước tính); hồ sơ đang giải "
    "quyết trong hạn khi ngày hẹn trả không trước cuối kỳ báo cáo."
)


@dataclass(frozen=True)
class Conventions:
    withdrawn: str = "on_time"
    suspended: str = "in_time"
    early: str = "before_due"
    supplements: str = "pending"

    def __post_init__(self):
        for name, value in asdict(self).items():
            if value not in CHOICES[name]:
                raise ValueError(f"{name} must be one of {sorted(CHOICES[name])}, not {value!r}")

    def described(self) -> list[str]:
        return [str(CHOICES[name][value]) for name, value in asdict(self).items()]

    def as_dict(self) -> dict:
        return asdict(self)


DEFAULT = Conventions()


# Never true (the receipt date is required): a figure a convention leaves empty. Not `pk__in=[]`,
# which Django turns into "the whole query is empty".
NOTHING = Q(received_on__isnull=True)


def _conditions(date_from: date, cut: date, conventions: Conventions) -> dict[str, Q]:
    """The Q of each figure, on a queryset annotated by `_annotated`."""
    due = Q(due_on__isnull=False)
    solved = Q(t_solved__isnull=False, t_solved__lte=cut)
    early = solved & due & Q(t_solved__lt=F("due_on")) if conventions.early == "before_due" else NOTHING
    late = solved & due & Q(t_solved__gt=F("due_on"))
    withdrawn = Q(t_solved__isnull=True, t_withdrawn__isnull=False, t_withdrawn__lte=cut)
    open_ = ~solved & ~withdrawn
    stopped = Q(ending="stopped", ended_on__isnull=False, ended_on__lte=cut)
    waiting = Q(waiting_since__isnull=False, waiting_since__lte=cut) & (
        Q(waiting_until__isnull=True) | Q(waiting_until__gt=cut)
    )
    suspended = open_ & (stopped | waiting)
    new = Q(received_on__gte=date_from)
    online = new & Q(channel="online")
    in_progress = open_ & ~suspended if conventions.suspended == "apart" else open_
    overdue = open_ & due & Q(due_on__lt=cut)
    if conventions.suspended != "by_due":
        overdue &= ~suspended
    solved_all = solved | withdrawn if conventions.withdrawn == "on_time" else solved
    on_time = solved_all & ~early & ~late
    # 766: ended on or before the due date, at the end the rules name; more than one supplement
    # request is overdue (`_annotated` counts them where the `supplements` reading applies).
    by_due = (~due | Q(due_on__gte=F("t_end_766"))) & Q(supplement_requests_766__lte=1)
    return {
        "received": Q(),
        "received_online": online,
        "received_direct": new & ~online,
        "carried_over": ~new,
        "solved": solved_all,
        "solved_early": early,
        "solved_on_time": on_time,
        "solved_late": late,
        "in_progress": in_progress,
        "in_progress_in_time": in_progress & ~overdue,
        "in_progress_overdue": overdue,
        "withdrawn_apart": withdrawn if conventions.withdrawn == "apart" else NOTHING,
        "suspended_apart": suspended if conventions.suspended == "apart" else NOTHING,
        "score_numerator": by_due,
    }


def _annotated(records: QuerySet, date_from: date, cut: date, conventions: Conventions = DEFAULT) -> QuerySet:
    """The dossiers in the report, with their result date, withdrawal date and 766 end date, and the
    supplement requests the 766 rule counts (0 where the `supplements` reading does not look)."""
    solved = Case(
        When(ending="rejected", then=Coalesce("completed_on", "ended_on")),
        When(ending="withdrawn", then=Value(None, output_field=DateField())),
        default=F("completed_on"),
        output_field=DateField(),
    )
    withdrawn = Case(When(ending="withdrawn", then=F("ended_on")), default=None, output_field=DateField())
    qs = records.annotate(t_solved=solved, t_withdrawn=withdrawn).filter(received_on__lte=cut)
    # Not ended before F. Written positively: NOT over a NULL date would drop the open dossiers.
    qs = qs.filter(
        Q(t_solved__gte=date_from)
        | Q(t_solved__isnull=True, t_withdrawn__isnull=True)
        | Q(t_solved__isnull=True, t_withdrawn__gte=date_from)
    )
    waiting = Q(waiting_since__isnull=False, waiting_since__lte=cut) & (
        Q(waiting_until__isnull=True) | Q(waiting_until__gt=cut)
    )
    ended = (  # in the order the 766 end is taken: a result, a withdrawal, a stop
        Q(t_solved__isnull=False, t_solved__lte=cut),
        Q(t_withdrawn__isnull=False, t_withdrawn__lte=cut),
        Q(ending="stopped", ended_on__isnull=False, ended_on__lte=cut),
    )
    end_766 = Case(
        *(When(q, then=F(at)) for q, at in zip(ended, ("t_solved", "t_withdrawn", "ended_on"), strict=True)),
        When(waiting, then=F("waiting_since")),
        default=Value(cut, output_field=DateField()),
        output_field=DateField(),
    )
    requests = Coalesce(_requests_by(cut), Value(0), output_field=IntegerField())
    if conventions.supplements == "pending":
        # Only a dossier still waiting at C (the branch of end_766 that takes the request date); the
        # CASE runs the subquery for those rows alone.
        requests = Case(
            *(When(q, then=Value(0)) for q in ended),
            When(waiting, then=requests),
            default=Value(0),
            output_field=IntegerField(),
        )
    return qs.annotate(t_end_766=end_766, supplement_requests_766=requests)


def _requests_by(cut: date) -> Subquery:
    """The number of supplement requests (Mẫu 02) of the outer dossier dated on or before `cut`."""
    return Subquery(
        DossierEvent.objects.filter(
            dossier=OuterRef("pk"), kind=DossierEvent.Kind.SUPPLEMENT_REQUEST, on__lte=cut
        )
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def _finish(row: dict) -> dict:
    received, numerator = row["received"], row["score_numerator"]
    row["score_766"] = round(20 * numerator / received, 2) if received else None
    row["score_766_numerator"] = numerator
    row["score_766_denominator"] = received
    del row["score_numerator"]
    return row


GROUPS = {"field": "field_id", "unit": "unit_id"}


def tthc_report(
    *,
    records: QuerySet,
    date_from: date,
    date_to: date,
    as_of: date | None = None,
    by: str | None = None,
    conventions: Conventions = DEFAULT,
) -> dict:
    """{"total": row, "rows": [row per field or unit]} over `records` (a scoped, filtered Dossier
    queryset). A row: the KEYS, `withdrawn_apart`, `suspended_apart`, `score_766` (None without a
    dossier) with `score_766_numerator` and `score_766_denominator`; grouped rows also `key`."""
    if date_from > date_to:
        raise ValueError("date_from after date_to")
    cut = min(date_to, as_of or date_to)
    conditions = _conditions(date_from, cut, conventions)
    aggregates = {name: Count("pk", filter=q) if q else Count("pk") for name, q in conditions.items()}
    qs = _annotated(records, date_from, cut, conventions)
    total = _finish(qs.aggregate(**aggregates))
    rows = []
    if by is not None:
        column = GROUPS[by]
        grouped = qs.order_by().values(column).annotate(**aggregates)
        for item in grouped:
            key = item.pop(column)
            rows.append({"key": key, **_finish(item)})
        _label(by, rows)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "as_of": as_of or date_to,
        "cut": cut,
        "by": by,
        "conventions": conventions,
        "total": total,
        "rows": rows,
    }


def _label(by: str, rows: list[dict]) -> None:
    from congvu.org.models import Field, Unit

    model = Field if by == "field" else Unit
    names = {
        pk: (code, name)
        for pk, code, name in model.objects.filter(pk__in=[r["key"] for r in rows]).values_list(
            "pk", "code", "name"
        )
    }
    for r in rows:
        r["code"], r["label"] = names.get(r["key"], ("", "—"))
    rows.sort(key=lambda r: fold(r["label"]))  # Vietnamese order: "Đất đai" before "Xây dựng"
