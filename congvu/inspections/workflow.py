"""The inspection status workflow as data: the one place where statuses and moves are configured.

DOMAIN §2 says steps 3 and 5–8 are common practice rather than a national rule, so an administrator
may change this table (add, drop or rename a step) without touching the services: the service
`inspection_transition` only reads it.

Each transition names:
- ``from`` / ``to``: statuses (keys of STATUSES);
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

from django.utils.translation import gettext_lazy as _

# Status key -> label, in workflow order.
STATUSES: dict[str, str] = {
    "draft": _("Dự thảo"),
    "decided": _("Đã có quyết định"),
    "notified": _("Đã thông báo"),
    "self_report_received": _("Đã nhận báo cáo tự kiểm tra"),
    "on_site": _("Đang kiểm tra trực tiếp"),
    "minutes_signed": _("Đã ký biên bản"),
    "concluded": _("Đã có kết luận"),
    "remediation": _("Đang khắc phục"),
    "closed": _("Đã kết thúc"),
}

INITIAL_STATUS = "draft"

# Statuses in which the inspected unit knows of the inspection (and so may see it). A surprise
# inspection is disclosed only when the team arrives on site.
DISCLOSED_STATUSES: dict[str, frozenset[str]] = {
    "scheduled": frozenset(
        {
            "notified",
            "self_report_received",
            "on_site",
            "minutes_signed",
            "concluded",
            "remediation",
            "closed",
        }
    ),
    "surprise": frozenset({"on_site", "minutes_signed", "concluded", "remediation", "closed"}),
}

# Statuses in which the team works the checklist and records findings.
WORKING_STATUSES = frozenset({"decided", "notified", "self_report_received", "on_site", "minutes_signed"})
# Statuses in which recommendations are followed up.
FOLLOW_UP_STATUSES = frozenset({"concluded", "remediation"})

BOTH = ("scheduled", "surprise")

TRANSITIONS: dict[str, dict] = {
    "decide": {
        "from": "draft",
        "to": "decided",
        "by": "lead",
        "kinds": BOTH,
        "guards": ("decision", "team_head"),
        "label": _("Ban hành quyết định kiểm tra"),
    },
    "notify": {
        "from": "decided",
        "to": "notified",
        "by": "team",
        "kinds": ("scheduled",),
        "guards": (),
        "label": _("Gửi thông báo kiểm tra cho đơn vị"),
    },
    "submit_self_report": {
        "from": "notified",
        "to": "self_report_received",
        "by": "unit",
        "kinds": ("scheduled",),
        "guards": ("self_report_approved",),
        "label": _("Gửi báo cáo tự kiểm tra"),
    },
    "start_on_site": {
        "from": "self_report_received",
        "to": "on_site",
        "by": "team",
        "kinds": ("scheduled",),
        "guards": (),
        "label": _("Bắt đầu kiểm tra trực tiếp"),
    },
    "start_surprise": {
        "from": "decided",
        "to": "on_site",
        "by": "team",
        "kinds": ("surprise",),
        "guards": (),
        "label": _("Bắt đầu kiểm tra đột xuất"),
    },
    "sign_minutes": {
        "from": "on_site",
        "to": "minutes_signed",
        "by": "team",
        "kinds": BOTH,
        "guards": ("checklist_complete",),
        "label": _("Ký biên bản kiểm tra"),
    },
    "conclude": {
        "from": "minutes_signed",
        "to": "concluded",
        "by": "lead",
        "kinds": BOTH,
        "guards": ("conclusion", "findings_final"),
        "label": _("Ban hành thông báo kết luận"),
    },
    "start_remediation": {
        "from": "concluded",
        "to": "remediation",
        "by": "team",
        "kinds": BOTH,
        "guards": ("has_recommendations",),
        "label": _("Theo dõi khắc phục"),
    },
    "close_without_remediation": {
        "from": "concluded",
        "to": "closed",
        "by": "lead",
        "kinds": BOTH,
        "guards": ("recommendations_done",),
        "label": _("Kết thúc (không có kiến nghị phải khắc phục)"),
    },
    "close": {
        "from": "remediation",
        "to": "closed",
        "by": "lead",
        "kinds": BOTH,
        "guards": ("recommendations_done",),
        "label": _("Kết thúc cuộc kiểm tra"),
    },
}


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
