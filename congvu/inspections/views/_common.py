"""Helpers shared by the inspection pages: the tabs, the call-a-service-and-say-so helper, form errors,
the answer forms and the unsaved text kept in the session."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congvu.inspections.forms import (
    ResponseForm,
)
from congvu.inspections.models import (
    ChecklistItem,
)
from congvu.inspections.prefill import FIGURE_LABELS, RATE_FIGURES

TABS = [
    ("overview", gettext_lazy("Tổng quan, lịch sử")),
    ("team", gettext_lazy("Đoàn kiểm tra")),
    ("checklist", gettext_lazy("Phiếu kiểm tra")),
    ("documents", gettext_lazy("Yêu cầu tài liệu")),
    ("findings", gettext_lazy("Phát hiện, kiến nghị")),
    ("remediation", gettext_lazy("Khắc phục")),
]


TAB_KEYS = {key for key, _label in TABS}


ACTOR_LABELS = {
    "lead": gettext_lazy("lãnh đạo kiểm tra thực hiện"),
    "team": gettext_lazy("Đoàn kiểm tra thực hiện"),
    "unit": gettext_lazy("đơn vị được kiểm tra thực hiện"),
}


STAFF_ROLES = ("inspector", "lead")


def _detail_url(inspection_or_pk, tab: str = "overview") -> str:
    pk = getattr(inspection_or_pk, "pk", inspection_or_pk)
    return f"{reverse('inspections:detail', args=[pk])}?tab={tab}"


def _run(request, call: Callable, success: str) -> bool:
    """Call a service; a refusal becomes an error message (the page says where and why)."""
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def record_url(register: str, pk: int) -> str | None:
    """The register's detail page of a task or dossier, if that page exists yet."""
    name = "registers:task" if register == "tasks" else "registers:dossier"
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _figures_view(item: ChecklistItem, inspection_pk: int) -> list[dict]:
    """The frozen snapshot of an item laid out for the template, with links to the records."""
    snapshot = item.snapshot or {}
    groups = []
    for group in snapshot.get("groups", []):
        figures = []
        counts = group.get("counts", {})
        for name, value in group.get("figures", {}).items():
            url = None
            if counts.get(name):
                url = reverse("inspections:item_records", args=[item.pk, group["key"], name])
            figures.append(
                {
                    "name": name,
                    "label": FIGURE_LABELS.get(name, name),
                    "value": value,
                    "is_rate": name in RATE_FIGURES,
                    "url": url,
                }
            )
        # the group's label was frozen as Vietnamese text: shown through the catalogue
        groups.append({"label": _(group["label"]) if group.get("label") else "", "figures": figures})
    return groups


def _response_form(kind: str, resp, typed: dict) -> ResponseForm:
    """The answer's form; with unsaved typed text, that text on top of the current version (saving
    again is then a conscious overwrite, as the stored text is shown beside it). `resp.flash`: the
    last action was on this answer, so its messages are shown in its box too (where the user is)."""
    resp.flash = typed.get("flash") == f"{kind}-{resp.pk}"
    resp.unsaved_text = None
    if (kind, resp.pk) in typed:
        resp.unsaved_text = typed[(kind, resp.pk)]
        return ResponseForm(initial={"response_text": resp.unsaved_text, "version": resp.version})
    return ResponseForm(initial={"response_text": resp.response_text, "version": resp.version})


_TYPED_KEY = "inspections.unsaved_answers"


_FLASH_KEY = "inspections.last_answer"


def _typed_again(request, kind, response, text: str):
    """Back to the answer's tab with what the user typed still in its box (a refused save): the
    text waits in the session for the next page of this answer, not in the database."""
    pending = request.session.get(_TYPED_KEY, {})
    pending[f"{kind}:{response.pk}"] = text
    request.session[_TYPED_KEY] = pending
    request.session[_FLASH_KEY] = f"{kind}-{response.pk}"
    return redirect(
        _detail_url(_response_inspection_pk(kind, response), _RESPONSE_TAB[kind]) + f"#{kind}-{response.pk}"
    )


def _pop_typed(request) -> dict:
    pending = request.session.pop(_TYPED_KEY, None) or {}
    typed = {}
    for key, text in pending.items():
        kind, _sep, pk = key.partition(":")
        if pk.isdigit():
            typed[(kind, int(pk))] = text
    return typed


_TYPED_CHECKLIST_KEY = "inspections.unsaved_checklist"


_RESPONSE_TAB = {"request": "documents", "explanation": "findings", "report": "remediation"}


def _response_inspection_pk(kind, response) -> int:
    if kind == "request":
        return response.inspection_id
    if kind == "explanation":
        return response.finding.inspection_id
    return response.recommendation.inspection_id
