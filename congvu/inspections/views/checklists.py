"""Checklists: create, refresh figures, save, and the records behind a frozen figure."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.tables import paginate, wants_xlsx, xlsx_response
from congvu.inspections import selectors, services
from congvu.inspections.models import (
    ChecklistItem,
)
from congvu.inspections.prefill import FIGURE_LABELS
from congvu.inspections.views._common import (
    _TYPED_CHECKLIST_KEY,
    _detail_url,
    _run,
    record_url,
)
from congvu.registers.selectors import record_lateness


@require_POST
@login_required
def checklists_create(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    _run(
        request,
        lambda: services.checklist_instantiate(actor=request.user, inspection=inspection),
        _("Đã lập phiếu kiểm tra; số liệu của người đứng đầu, cấp phó đã được chốt."),
    )
    return redirect(_detail_url(inspection, "checklist"))


@require_POST
@login_required
def snapshot_refresh(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    _run(
        request,
        lambda: services.checklist_snapshot_refresh(actor=request.user, inspection=inspection),
        _("Đã chốt lại số liệu theo dữ liệu hiện tại."),
    )
    return redirect(_detail_url(inspection, "checklist"))


@require_POST
@login_required
def checklist_save(request, pk, checklist_pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    sheet = (
        selectors.checklists_for(fetched_by=request.user, inspection=inspection)
        .filter(pk=checklist_pk)
        .first()
    )
    if sheet is None:
        raise Http404
    entries = []
    for item in sheet.items.all():
        if f"version-{item.pk}" not in request.POST:
            continue
        entries.append(
            (
                item.pk,
                request.POST.get(f"version-{item.pk}"),
                request.POST.get(f"result-{item.pk}", ""),
                request.POST.get(f"notes-{item.pk}", ""),
            )
        )
    _run(
        request,
        lambda: services.checklist_save(actor=request.user, checklist=sheet, entries=entries),
        _("Đã lưu phiếu “%(title)s”.") % {"title": sheet.title},
    )
    return redirect(f"{_detail_url(inspection, 'checklist')}#sheet-{sheet.pk}")


def _checklist_entries(request) -> list[tuple[int, str, str, str]]:
    entries = []
    for key in request.POST:
        if not key.startswith("version-") or not key[8:].isdigit():
            continue
        pk = int(key[8:])
        entries.append(
            (
                pk,
                request.POST.get(key),
                request.POST.get(f"result-{pk}", ""),
                request.POST.get(f"notes-{pk}", ""),
            )
        )
    return entries


@require_POST
@login_required
def checklists_save(request, pk):
    """One save for the whole checklist page (every sheet), with the files chosen on its items.
    Back to where the user was: the last item changed, or the first one refused."""
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    sheets = selectors.checklists_for(fetched_by=request.user, inspection=inspection)
    if not sheets.exists():
        raise Http404
    entries = _checklist_entries(request)
    files = {
        int(key[5:]): request.FILES.getlist(key)
        for key in request.FILES
        if key.startswith("file-") and key[5:].isdigit()
    }
    url = _detail_url(inspection, "checklist")
    try:
        saved = services.checklists_save(
            actor=request.user, inspection=inspection, entries=entries, files=files
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if files:
            messages.warning(request, _("Tệp đã chọn chưa được lưu: hãy chọn lại tệp rồi lưu."))
        request.session[_TYPED_CHECKLIST_KEY] = {
            str(item_pk): [result, notes] for item_pk, _v, result, notes in entries
        }
        current = dict(
            ChecklistItem.objects.visible_to(request.user)
            .filter(pk__in=[e[0] for e in entries])
            .values_list("pk", "version")
        )
        stale = [e[0] for e in entries if str(current.get(e[0])) != str(e[1])]
        return redirect(f"{url}#item-{stale[0]}" if stale else f"{url}#checklist-save")
    posted = {int(item_pk): str(version) for item_pk, version, _r, _n in entries}
    changed = [i for i in saved if str(i.version) != posted.get(i.pk)]
    n_files = sum(len(v) for v in files.values())
    messages.success(
        request,
        _("Đã lưu phiếu kiểm tra: %(n)d mục thay đổi, %(f)d tệp.") % {"n": len(changed), "f": n_files},
    )
    # The user was working near the last item they changed: land there, the message beside it.
    target = f"item-{changed[-1].pk}" if changed else "checklist-save"
    return redirect(f"{url}#{target}")


@login_required
def item_records(request, item_pk, group, figure):
    """The records behind one frozen figure: the ids stored in the snapshot, read now (so the list
    is the same one the team saw), each linking to its register page."""
    item = selectors.checklist_item_get(fetched_by=request.user, pk=item_pk)
    inspection = item.checklist.inspection
    snap = item.snapshot or {}
    grp = next((g for g in snap.get("groups", []) if g.get("key") == group), None)
    ids = ((item.snapshot_ids or {}).get(group) or {}).get(figure)
    if grp is None or ids is None:
        raise Http404
    register = grp.get("register", "tasks")
    from congvu.registers.models import Dossier, Task

    model = Task if register == "tasks" else Dossier
    if wants_xlsx(request):
        return _records_xlsx(request, model, register, ids, item, figure)
    page = paginate(request, ids)
    records = {r.pk: r for r in model.objects.visible_to(request.user).filter(pk__in=list(page.object_list))}
    as_of = date.fromisoformat(snap["as_of"]) if snap.get("as_of") else timezone.localdate()
    # on time / late / overdue as of the frozen date, in working days (the engine's expressions)
    lateness = record_lateness(fetched_by=request.user, register=register, pks=records, as_of=as_of)
    for pk, record in records.items():
        record.lateness_bucket, record.late_days = lateness.get(pk, ("", None))
    if register == "dossiers":  # the control slip's late step (phiếu kiểm soát), when there is one
        from congvu.registers.slips import late_steps

        slow = late_steps(dossier_ids=records)
        for pk, record in records.items():
            record.late_step = slow.get(pk, "")
    rows = [
        {"pk": pk, "record": records.get(pk), "url": record_url(register, pk) if pk in records else None}
        for pk in page.object_list
    ]
    return render(
        request,
        "inspections/item_records.html",
        {
            "inspection": inspection,
            "item": item,
            "group": grp,
            "figure_label": FIGURE_LABELS.get(figure, figure),
            "register": register,
            "page": page,
            "rows": rows,
            "as_of": date.fromisoformat(snap["as_of"]) if snap.get("as_of") else None,
            "live_links": _live_links(item, grp, figure),
        },
    )


def _live_links(item: ChecklistItem, group: dict, figure: str) -> list[tuple[str, str]]:
    """Links to the performance engine's live drill-down (`metrics:records`) for the same leader,
    period and figure, if that page exists: the head's whole unit, or each field of a deputy's
    portfolio. Live lists follow later imports; the frozen list on this page does not."""
    try:
        base = reverse("metrics:records")
    except NoReverseMatch:
        return []
    snap = item.snapshot or {}
    sheet = item.checklist
    if sheet.appointment is None or group.get("key") != "all":
        return []
    params = {
        "register": group.get("register", "tasks"),
        "unit": sheet.appointment.unit.code,
        "date_from": sheet.period_from.strftime("%d/%m/%Y"),
        "date_to": sheet.period_to.strftime("%d/%m/%Y"),
        "as_of": date.fromisoformat(snap["as_of"]).strftime("%d/%m/%Y") if snap.get("as_of") else "",
        "bucket": figure,
    }
    if sheet.subject == "head":
        return [(_("Toàn đơn vị"), f"{base}?{urlencode(params)}")]
    return [
        (field.name, f"{base}?{urlencode(params | {'field': field.code})}")
        for field in sheet.appointment.fields.order_by("name")
    ]


def _records_xlsx(request, model, register, ids, item, figure):
    def rows():
        for start in range(0, len(ids), 1000):
            chunk = (
                model.objects.visible_to(request.user).filter(pk__in=ids[start : start + 1000]).order_by("pk")
            )
            for r in chunk:
                if register == "tasks":
                    yield (
                        r.pk,
                        r.external_code,
                        r.content,
                        r.get_authority_display(),
                        r.received_on,
                        r.due_on,
                        r.completed_on,
                        r.get_quality_display(),
                    )
                else:
                    yield (
                        r.pk,
                        r.external_code,
                        r.procedure,
                        r.field_id,
                        r.received_on,
                        r.due_on,
                        r.completed_on,
                        r.status,
                    )

    if register == "tasks":
        headers = [
            "#",
            _("Mã"),
            _("Nội dung"),
            _("Cơ quan giao"),
            _("Ngày nhận"),
            _("Hạn"),
            _("Hoàn thành"),
            _("Chất lượng"),
        ]
    else:
        headers = [
            "#",
            _("Mã hồ sơ"),
            _("Thủ tục"),
            _("Lĩnh vực"),
            _("Ngày tiếp nhận"),
            _("Hạn"),
            _("Hoàn thành"),
            _("Trạng thái"),
        ]
    return xlsx_response(f"so-lieu-chot-{item.pk}-{figure}.xlsx", headers, rows(), sheet=_("Hồ sơ, nhiệm vụ"))
