import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone

from congvu.core.shared_cache import cached_body

TODO_LIMIT = 10


def _first(qs, limit: int = TODO_LIMIT) -> tuple[list, bool]:
    """At most `limit` rows and whether there are more (one query, no count)."""
    rows = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit


def _todo(user, today) -> dict:
    """What this user must do next, by role: the focal point's open answers and remediation with
    their deadlines, the unit head's answers to approve, the team's checklist items and draft
    findings, the lead's blocked steps. Each list is a scoped selector (inspections.selectors)."""
    from congvu.inspections import selectors

    todo: dict = {}
    if user.has_role("focal"):
        requests, more_requests = _first(selectors.unit_open_requests(user))
        explanations, more_explanations = _first(selectors.unit_open_explanations(user))
        remediation, more_remediation = _first(selectors.unit_open_remediation(user))
        for row in requests + explanations:
            row.is_overdue = bool(row.due_on and row.due_on < today)
        for rec in remediation:
            rec.is_overdue = bool(rec.deadline and rec.deadline < today)
        todo.update(
            requests=requests,
            more_requests=more_requests,
            explanations=explanations,
            more_explanations=more_explanations,
            remediation=remediation,
            more_remediation=more_remediation,
        )
    if user.has_role("unit_head"):
        todo["approvals"] = selectors.answers_awaiting_approval(user)
    if user.has_role("inspector", "lead"):
        todo["checklist_items"], todo["more_checklist_items"] = _first(selectors.items_without_result(user))
        todo["findings"], todo["more_findings"] = _first(selectors.draft_findings(user))
    if user.has_role("lead"):
        blocked = selectors.blocked_steps(user)
        todo["blocked"], todo["more_blocked"] = blocked[:TODO_LIMIT], len(blocked) - TODO_LIMIT
    todo["empty"] = not any(v for k, v in todo.items() if not k.startswith("more_"))
    return todo


@login_required
def home(request):
    """The home page says what the user must do next (their to-do list, by role), what is overdue,
    and the inspections in progress."""
    from congvu.inspections.selectors import inspection_list
    from congvu.inspections.workflow import InspectionStatus

    def context() -> dict:
        in_progress = inspection_list(fetched_by=request.user).exclude(
            status__in=[InspectionStatus.DRAFT, InspectionStatus.CLOSED]
        )
        return {
            "todo": _todo(request.user, timezone.localdate()),
            "inspections_in_progress": in_progress.select_related("unit").order_by("-pk")[:8],
            "inspections_in_progress_count": in_progress.count(),
        }

    # The to-do list is the user's own (their teams, their checklist items): a body per user.
    body = cached_body(request, name="home", template="web/_home_body.html", context=context, personal=True)
    return render(request, "web/home.html", {"body": body})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # A bare render: the failure may be the database, which context processors would touch.
    # Django calls this for any unhandled exception, raised by a view or by a middleware (a session
    # read is often the first query), so the database being down is recognised here: a 503 page
    # that says so, instead of the generic error (issue #14 item 10).
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("errors/503_database.html").render(), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
