"""The inspection status workflow as data: the one place where statuses and moves are configured.

DOMAIN §2 says steps 3 and 5–8 are common practice rather than a national rule, so an administrator
may change this table (add, drop or rename a step) without touching the services: the service
`inspection_transition` only reads it.

Each transition names:
- ``from`` / ``to``: statuses (members of `InspectionStatus`);
- ``by``: who may make the move — ``"lead"`` (an inspection lead, role *lead*), ``"team"`` (a member
  of this inspection's team, or a lead), ``"unit"`` (the inspected unit's focal point or head);
- ``kinds``: the inspection kinds the move applies to (scheduled, surprise);
- ``guards``: names of checks in `services._GUARDS` that must pass (e.g. a decision number before
  "decided");
- ``label``: the button text.

Surprise inspections (đột xuất, không báo trước) skip the notice *and* the self-report: the team
arrives unannounced, so "decided → on site" is their move. The unit can still be asked for a
self-report through a document request, but it does not gate the workflow.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionStatus(models.TextChoices):
    """An inspection's statuses, in workflow order (the model field's choices)."""

    DRAFT = "draft", _("Dự thảo")
    DECIDED = "decided", _("Đã có quyết định")
    NOTIFIED = "notified", _("Đã thông báo")
    SELF_REPORT_RECEIVED = "self_report_received", _("Đã nhận báo cáo tự kiểm tra")
    ON_SITE = "on_site", _("Đang kiểm tra trực tiếp")
    MINUTES_SIGNED = "minutes_signed", _("Đã ký biên bản")
    CONCLUDED = "concluded", _("Đã có kết luận")
    REMEDIATION = "remediation", _("Đang khắc phục")
    CLOSED = "closed", _("Đã kết thúc")


S = InspectionStatus

# Status key -> label, in workflow order.
STATUSES: dict[str, str] = dict(InspectionStatus.choices)

INITIAL_STATUS = S.DRAFT

# --- Every set of statuses the code asks about, defined here once ------------------------------

# Statuses in which the inspected unit knows of the inspection (and so may see it). A surprise
# inspection is disclosed only when the team arrives on site.
DISCLOSED_STATUSES: dict[str, frozenset[str]] = {
    "scheduled": frozenset(
        {
            S.NOTIFIED,
            S.SELF_REPORT_RECEIVED,
            S.ON_SITE,
            S.MINUTES_SIGNED,
            S.CONCLUDED,
            S.REMEDIATION,
            S.CLOSED,
        }
    ),
    "surprise": frozenset({S.ON_SITE, S.MINUTES_SIGNED, S.CONCLUDED, S.REMEDIATION, S.CLOSED}),
}

# Statuses in which the team works the checklist and records findings.
WORKING_STATUSES = frozenset({S.DECIDED, S.NOTIFIED, S.SELF_REPORT_RECEIVED, S.ON_SITE, S.MINUTES_SIGNED})
# Statuses in which recommendations are followed up.
FOLLOW_UP_STATUSES = frozenset({S.CONCLUDED, S.REMEDIATION})
# Statuses in which recommendations may be written (from the on-site visit to the follow-up).
RECOMMENDATION_STATUSES = frozenset({S.ON_SITE, S.MINUTES_SIGNED, S.CONCLUDED, S.REMEDIATION})
# Statuses once the conclusion is issued: findings are final.
CONCLUDED_STATUSES = frozenset({S.CONCLUDED, S.REMEDIATION, S.CLOSED})
# Statuses once the minutes are signed by both sides: the unit sees the checklist results (and the
# sampled records' reviews).
SIGNED_STATUSES = frozenset({S.MINUTES_SIGNED, S.CONCLUDED, S.REMEDIATION, S.CLOSED})
# Statuses in which the inspection can still be worked on (everything but closed).
OPEN_STATUSES = frozenset(InspectionStatus.values) - {S.CLOSED}
# Statuses of an inspection under way (decided, not yet closed).
IN_PROGRESS_STATUSES = OPEN_STATUSES - {S.DRAFT}

BOTH = ("scheduled", "surprise")

TRANSITIONS: dict[str, dict] = {
    "decide": {
        "from": S.DRAFT,
        "to": S.DECIDED,
        "by": "lead",
        "kinds": BOTH,
        "guards": ("decision", "team_head"),
        "label": _("Ban hành quyết định kiểm tra"),
    },
    "notify": {
        "from": S.DECIDED,
        "to": S.NOTIFIED,
        "by": "team",
        "kinds": ("scheduled",),
        "guards": (),
        "label": _("Gửi thông báo kiểm tra cho đơn vị"),
    },
    "submit_self_report": {
        "from": S.NOTIFIED,
        "to": S.SELF_REPORT_RECEIVED,
        "by": "unit",
        "kinds": ("scheduled",),
        "guards": ("self_report_approved",),
        "label": _("Gửi báo cáo tự kiểm tra"),
    },
    "start_on_site": {
        "from": S.SELF_REPORT_RECEIVED,
        "to": S.ON_SITE,
        "by": "team",
        "kinds": ("scheduled",),
        "guards": (),
        "label": _("Bắt đầu kiểm tra trực tiếp"),
    },
    "start_surprise": {
        "from": S.DECIDED,
        "to": S.ON_SITE,
        "by": "team",
        "kinds": ("surprise",),
        "guards": (),
        "label": _("Bắt đầu kiểm tra đột xuất"),
    },
    "sign_minutes": {
        "from": S.ON_SITE,
        "to": S.MINUTES_SIGNED,
        "by": "team",
        "kinds": BOTH,
        "guards": ("checklist_complete",),
        "label": _("Ký biên bản kiểm tra"),
    },
    "conclude": {
        "from": S.MINUTES_SIGNED,
        "to": S.CONCLUDED,
        "by": "lead",
        "kinds": BOTH,
        "guards": ("conclusion", "findings_final"),
        "label": _("Ban hành thông báo kết luận"),
    },
    "start_remediation": {
        "from": S.CONCLUDED,
        "to": S.REMEDIATION,
        "by": "team",
        "kinds": BOTH,
        "guards": ("has_recommendations",),
        "label": _("Theo dõi khắc phục"),
    },
    "close_without_remediation": {
        "from": S.CONCLUDED,
        "to": S.CLOSED,
        "by": "lead",
        "kinds": BOTH,
        "guards": ("recommendations_done",),
        "label": _("Kết thúc (không có kiến nghị phải khắc phục)"),
    },
    "close": {
        "from": S.REMEDIATION,
        "to": S.CLOSED,
        "by": "lead",
        "kinds": BOTH,
        "guards": ("recommendations_done",),
        "label": _("Kết thúc cuộc kiểm tra"),
    },
}


def statuses_for(kind: str) -> list[tuple[str, str]]:
    """The statuses an inspection of `kind` passes through, in workflow order (a surprise inspection
    skips the notice and the self-report)."""
    reached = {INITIAL_STATUS} | {t["to"] for t in TRANSITIONS.values() if kind in t["kinds"]}
    return [(key, label) for key, label in STATUSES.items() if key in reached]


def status_label(status: str) -> str:
    return str(STATUSES.get(status, status))


def transitions_from(status: str, kind: str) -> list[tuple[str, dict]]:
    """The moves out of `status` for an inspection of `kind`, in table order."""
    return [(name, t) for name, t in TRANSITIONS.items() if t["from"] == status and kind in t["kinds"]]


def find_transition(from_status: str, to_status: str, kind: str) -> tuple[str, dict] | None:
    for name, t in TRANSITIONS.items():
        if t["from"] == from_status and t["to"] == to_status and kind in t["kinds"]:
            return name, t
    return None
