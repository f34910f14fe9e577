"""Reminders of overdue recommendations, document requests and explanations (e-mail and in-app)."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core.audit import audit_record
from congvu.inspections import policy
from congvu.inspections.models import (
    DISCIPLINE_KINDS,
    DocumentRequest,
    FindingExplanation,
    FindingStatus,
    Inspection,
    Recommendation,
    RecommendationStatus,
    ReminderLog,
    ResponseStatus,
)
from congvu.inspections.services._common import (
    _check,
    _link,
    _notify,
    _read_only,
    _unit_users,
    response_link,
)
from congvu.inspections.workflow import (
    FOLLOW_UP_STATUSES,
    InspectionStatus,
)

log = logging.getLogger(__name__)


def overdue_open_recommendations(today: date):
    """Every overdue recommendation, province-wide (for the reminder job, not for pages)."""
    return (
        Recommendation.objects.filter(
            status=RecommendationStatus.OPEN,
            deadline__lt=today,
            inspection__status__in=FOLLOW_UP_STATUSES,
        )
        .select_related("inspection", "inspection__unit")
        .order_by("deadline", "pk")
    )


def _disclosed_open_q(prefix: str) -> Q:
    """Inspections the unit knows of and that are not closed (where it still owes answers)."""
    from congvu.inspections.workflow import DISCLOSED_STATUSES

    q = Q(pk__in=[])
    for kind, statuses in DISCLOSED_STATUSES.items():
        q |= Q(**{f"{prefix}kind": kind, f"{prefix}status__in": statuses - {InspectionStatus.CLOSED}})
    return q


def overdue_document_requests(today: date):
    """Document requests (the self-report included) past their due date and not yet sent to the
    team (not approved by the unit head), province-wide."""
    return (
        DocumentRequest.objects.filter(due_on__lt=today)
        .exclude(response_status=ResponseStatus.APPROVED)
        .filter(_disclosed_open_q("inspection__"))
        .select_related("inspection", "inspection__unit")
        .order_by("due_on", "pk")
    )


def overdue_explanations(today: date):
    """Explanations still owed (finding sent, answer not approved) past their due date."""
    return (
        FindingExplanation.objects.filter(due_on__lt=today, finding__status=FindingStatus.SENT)
        .exclude(response_status=ResponseStatus.APPROVED)
        .filter(_disclosed_open_q("finding__inspection__"))
        .select_related("finding__inspection__unit")
        .order_by("due_on", "pk")
    )


def reminders_send(*, today: date, actor="system") -> dict:
    """Remind the unit's focal points and heads of each overdue recommendation, document request
    (self-report included) and explanation, by e-mail (to those with an address) and in-app; at
    most once per item per day, so cron may run it often."""
    counts = {
        "recommendations": 0,
        "requests": 0,
        "explanations": 0,
        "skipped": 0,
        "emails": 0,
        "notices": 0,
        "failed": 0,
    }
    batches = (
        ("recommendations", overdue_open_recommendations(today)),
        ("requests", overdue_document_requests(today)),
        ("explanations", overdue_explanations(today)),
    )
    for key, qs in batches:
        for item in qs.iterator(chunk_size=500):
            try:
                sent = _remind_one(item=item, today=today, actor=actor)
            except Exception:  # one bad address must not stop the other reminders; retried next run
                log.exception("reminder for %s %s failed", type(item).__name__, item.pk)
                counts["failed"] += 1
                continue
            if sent is None:
                counts["skipped"] += 1
            else:
                counts[key] += 1
                counts["emails"] += sent[0]
                counts["notices"] += sent[1]
    return counts


def _reminder_parts(item, today: date) -> tuple[Inspection, dict, str, str, str]:
    """(inspection, the log row's item field, the text, the link, the audit action) of one item."""
    if isinstance(item, Recommendation):
        inspection, due = item.inspection, item.deadline
        field = {"recommendation": item}
        what = _("Kiến nghị")
        link = _link(inspection, "remediation", f"rec-{item.pk}")
        action = "recommendation.remind"
    elif isinstance(item, DocumentRequest):
        inspection, due = item.inspection, item.due_on
        field = {"document_request": item}
        what = _("Báo cáo tự kiểm tra") if item.is_self_report else _("Yêu cầu tài liệu")
        link = response_link(item)
        action = "documentrequest.remind"
    else:
        inspection, due = item.finding.inspection, item.due_on
        field = {"explanation": item}
        what = _("Giải trình phát hiện")
        link = response_link(item)
        action = "findingexplanation.remind"
    if due is not None and due < today:
        text = _("%(what)s quá hạn %(days)d ngày (hạn %(deadline)s): %(item)s — %(title)s") % {
            "what": what,
            "days": (today - due).days,
            "deadline": due.strftime("%d/%m/%Y"),
            "item": item,
            "title": inspection.title,
        }
    else:
        text = _("Nhắc thực hiện — %(what)s (hạn %(deadline)s): %(item)s — %(title)s") % {
            "what": what,
            "deadline": due.strftime("%d/%m/%Y") if due else "—",
            "item": item,
            "title": inspection.title,
        }
    return inspection, field, text, link, action


@transaction.atomic
def _remind_one(*, item, today: date, actor, sent_by: User | None = None) -> tuple[int, int] | None:
    """One item's reminder for `today`: (e-mails, notices), or None when already sent today."""
    inspection, field, text, link, action = _reminder_parts(item, today)
    users = list(_unit_users(inspection))
    log_row = ReminderLog(
        **field, inspection=inspection, day=today, recipients=[u.username for u in users], sent_by=sent_by
    )
    # The once-a-day constraints are the database's to enforce (a concurrent run may race this one).
    log_row.full_clean(exclude=["recipients"], validate_constraints=False)
    try:
        with transaction.atomic():
            log_row.save()
    except IntegrityError:  # already reminded today (this run, another, or by the lead)
        return None
    emails = sorted({u.email for u in users if u.email})
    if emails:
        send_mail(
            subject=_("[Công vụ] Nhắc hạn: %(unit)s") % {"unit": inspection.unit.name},
            message=f"{text}\n\n{_('Xem chi tiết')}: {settings.SITE_URL}{link}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=emails,
            fail_silently=False,
        )
    kind = next(iter(field))
    prefix = "remind" if kind == "recommendation" else f"remind:{kind}"
    key = f"{prefix}:{item.pk}:{today.isoformat()}"
    notices = _notify(users, text, link, key=key)
    log_row.emails_sent = len(emails)
    log_row.save(update_fields=["emails_sent"])
    audit_record(
        actor=actor,
        action=action,
        obj=item,
        after={
            "day": today.isoformat(),
            "recipients": log_row.recipients,
            "emails": emails,
            "by": getattr(sent_by, "username", "") or "remind",
        },
    )
    return len(emails), notices


@transaction.atomic
def reminder_send(*, actor: User, recommendation: Recommendation, today: date | None = None) -> ReminderLog:
    """The inspection lead reminds the unit of one open recommendation from the remediation tab (by
    e-mail and in-app, audited). At most once per recommendation per day, counting `congvu remind`:
    a second reminder the same day is refused, saying when and by whom the first was sent."""
    today = today or timezone.localdate()
    _read_only(actor)
    if not policy.is_lead(actor):
        raise PermissionDenied(_("Chỉ lãnh đạo kiểm tra được gửi nhắc hạn."))
    recommendation = Recommendation.objects.select_related("inspection", "inspection__unit").get(
        pk=recommendation.pk
    )
    _check(
        recommendation.status == RecommendationStatus.OPEN
        and recommendation.inspection.status in FOLLOW_UP_STATUSES,
        _("Kiến nghị này không còn chờ khắc phục: không cần nhắc."),
    )
    _check(
        recommendation.kind not in DISCIPLINE_KINDS,
        _("Đề nghị xử lý kỷ luật trình Chủ tịch UBND tỉnh: không nhắc đơn vị khắc phục."),
    )
    sent = _remind_one(item=recommendation, today=today, actor=actor, sent_by=actor)
    row = ReminderLog.objects.select_related("sent_by").get(recommendation=recommendation, day=today)
    if sent is None:
        raise ValidationError(
            _("Đã nhắc kiến nghị này hôm nay (%(when)s, %(who)s): mỗi kiến nghị chỉ nhắc một lần mỗi ngày.")
            % {
                "when": timezone.localtime(row.created_at).strftime("%H:%M %d/%m/%Y"),
                "who": row.sent_by or _("nhắc tự động"),
            }
        )
    return row
