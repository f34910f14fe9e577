"""Pages of the registers: task and dossier lists and details, imports (upload, history, one run
with its errors and progress) and the import templates."""

from datetime import date, datetime
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from congvu.core.filters import filter_list
from congvu.core.permissions import require_role
from congvu.core.scoping import get_visible_or_404
from congvu.core.tables import export_refused, paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.core.workers import background_worker_silence
from congvu.metrics.bodies import cached_body
from congvu.metrics.cache import paginate_records
from congvu.registers.columns import REGISTERS
from congvu.registers.filters import DossierFilter, ImportRunFilter, TaskFilter
from congvu.registers.forms import ImportForm
from congvu.registers.imports import IMPORT_ROLES
from congvu.registers.models import Dossier, ImportRun, Task
from congvu.registers.sample_file import build_template
from congvu.registers.selectors import (
    dossier_list,
    dossier_timeline,
    import_run_list,
    record_lateness,
    task_list,
)
from congvu.registers.services import import_run_submit
from congvu.registers.slips import dossier_steps

ERRORS_PER_PAGE = 50

_TASK_SORTS = {
    "code": "external_code",
    "received": "received_on",
    "due": "due_on",
    "completed": "completed_on",
    "unit": "unit__name",
    "authority": "authority",
}
_DOSSIER_SORTS = {
    "code": "external_code",
    "received": "received_on",
    "due": "due_on",
    "completed": "completed_on",
    "returned": "returned_on",
    "unit": "unit__name",
    "procedure": "procedure",
}
_RUN_SORTS = {"created_at": "created_at", "file": "file_name", "status": "status", "rows": "rows_total"}
_HIDDEN_FIELDS = {"id", "content_folded", "procedure_folded", "import_run"}


def _export(model, qs, filename: str, sheet: str):
    """Every field of the filtered rows, with Vietnamese headers, through a constant-memory writer."""
    fields = [f for f in model._meta.concrete_fields if f.name not in _HIDDEN_FIELDS]
    headers = [str(f.verbose_name).capitalize() for f in fields]
    related = [f.name for f in fields if f.is_relation]
    names = {f.name: f for f in fields}

    def value(obj, name):
        field = names[name]
        if field.is_relation:
            target = getattr(obj, name)
            return str(target) if target else ""
        if field.choices:
            return getattr(obj, f"get_{name}_display")()
        raw = getattr(obj, name)
        if isinstance(raw, bool):
            return _("Có") if raw else ""
        return raw

    rows = (
        [value(obj, f.name) for f in fields] for obj in qs.select_related(*related).iterator(chunk_size=2000)
    )
    return xlsx_response(filename, headers, rows, sheet=sheet)


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _detail_rows(obj) -> list[tuple[str, str]]:
    """(label, shown value) for every field a user reads, in model order; dates as dd/mm/yyyy."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.name in _HIDDEN_FIELDS:
            continue
        value = getattr(obj, f"get_{field.name}_display")() if field.choices else getattr(obj, field.name)
        rows.append((str(field.verbose_name).capitalize(), _display(value)))
    return rows


@login_required
def tasks(request):
    filters = filter_list(TaskFilter, request, task_list(fetched_by=request.user))
    qs, run_id = filters.qs, _run_id(filters)
    qs, sort = sort_queryset(request, qs, _TASK_SORTS, "-received")
    if wants_xlsx(request):
        return export_refused(request, qs.count()) or _export(Task, qs, "nhiem-vu.xlsx", _("Nhiệm vụ"))

    def context() -> dict:
        page = paginate_records(request, qs.select_related("unit", "field", "responsible"), register="tasks")
        _attach_lateness(request, page, "tasks")
        return {"page": page, "sort": sort, "form": filters.form, **_run_filter(request, run_id)}

    body = cached_body(
        request, register="tasks", name="tasks", template="registers/_tasks_body.html", context=context
    )
    return render(request, "registers/tasks.html", {"body": body})


@login_required
def task_detail(request, pk):
    task = get_visible_or_404(
        Task.objects.select_related("unit", "field", "responsible"), request.user, pk=pk
    )
    return render(
        request,
        "registers/record_detail.html",
        {"record": task, "rows": _detail_rows(task), "run": _visible_run(request, task), "kind": "task"},
    )


@login_required
def dossiers(request):
    filters = filter_list(DossierFilter, request, dossier_list(fetched_by=request.user))
    qs, run_id = filters.qs, _run_id(filters)
    qs, sort = sort_queryset(request, qs, _DOSSIER_SORTS, "-received")
    if wants_xlsx(request):
        return export_refused(request, qs.count()) or _export(Dossier, qs, "ho-so.xlsx", _("Hồ sơ"))

    def context() -> dict:
        page = paginate_records(request, qs.select_related("unit", "field", "handler"), register="dossiers")
        _attach_lateness(request, page, "dossiers")
        return {"page": page, "sort": sort, "form": filters.form, **_run_filter(request, run_id)}

    body = cached_body(
        request,
        register="dossiers",
        name="dossiers",
        template="registers/_dossiers_body.html",
        context=context,
    )
    return render(request, "registers/dossiers.html", {"body": body})


def _run_id(filters) -> int | None:
    """The import run the list is narrowed to (?run=), when the value was a valid id."""
    if not filters.is_bound or "run" in filters.errors:
        return None
    return filters.form.cleaned_data.get("run")


def _run_filter(request, run_id: int | None) -> dict:
    """The list filtered to one import run (?run=): its id, and the run itself when the user may see
    it (a run the user may not see filters to nothing and is not named)."""
    if run_id is None:
        return {"run_id": None, "filter_run": None}
    run = ImportRun.objects.visible_to(request.user).filter(pk=run_id).first()
    return {"run_id": run_id, "filter_run": run}


def _attach_lateness(request, page, register: str) -> None:
    """On time / late / overdue and working days late as of today, for the rows of the page."""
    lateness = record_lateness(
        fetched_by=request.user, register=register, pks=[r.pk for r in page], as_of=timezone.localdate()
    )
    for row in page:
        row.lateness_bucket, row.late_days = lateness.get(row.pk, ("", None))


@login_required
def dossier_detail(request, pk):
    dossier = get_visible_or_404(
        Dossier.objects.select_related("unit", "field", "handler"), request.user, pk=pk
    )
    return render(
        request,
        "registers/record_detail.html",
        {
            "record": dossier,
            "rows": _detail_rows(dossier),
            "run": _visible_run(request, dossier),
            "kind": "dossier",
            "timeline": dossier_timeline(dossier=dossier),
            "slip": dossier_steps(dossier=dossier),
        },
    )


def _visible_run(request, record):
    if not record.import_run_id:
        return None
    return ImportRun.objects.visible_to(request.user).filter(pk=record.import_run_id).first()


def _list_query(request):
    """The history's filters: the query string, less `?register=` after an upload (there it only chose
    the upload form's register)."""
    if request.method == "GET":
        return request.GET or None
    query = request.GET.copy()
    query.pop("register", None)
    return query or None


@login_required
def imports(request):
    can_import = request.user.has_role(*IMPORT_ROLES)
    form = ImportForm(initial={"register": request.GET.get("register", "tasks")})
    if request.method == "POST":
        require_role(request.user, *IMPORT_ROLES)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            run = import_run_submit(
                actor=request.user,
                register=data["register"],
                upload=data["file"],
                dry_run=data["dry_run"],
                source=data["source"],
            )
            return redirect("registers:import", pk=run.pk)
    filters = ImportRunFilter(
        _list_query(request), queryset=import_run_list(fetched_by=request.user), request=request
    )
    qs = filters.qs
    qs, sort = sort_queryset(request, qs, _RUN_SORTS, "-created_at")
    if wants_xlsx(request):
        rows = (
            (
                r.pk,
                r.created_at,
                r.get_register_display(),
                r.file_name,
                str(r.created_by or ""),
                str(r.unit or ""),
                r.source,
                r.get_status_display(),
                r.rows_total,
                r.created_count,
                r.updated_count,
                r.unchanged_count,
                r.error_count,
                r.sha256,
            )
            for r in qs.iterator(chunk_size=2000)
        )
        headers = [
            "#",
            _("Thời điểm"),
            _("Sổ"),
            _("Tên tệp"),
            _("Người nhập"),
            _("Đơn vị"),
            _("Nguồn"),
            _("Trạng thái"),
            _("Số dòng"),
            _("Thêm mới"),
            _("Cập nhật"),
            _("Không đổi"),
            _("Số lỗi"),
            "SHA-256",
        ]
        return xlsx_response("lan-nhap.xlsx", headers, rows, sheet=_("Lần nhập"))
    return render(
        request,
        "registers/imports.html",
        {
            "form": form,
            "can_import": can_import,
            "page": paginate(request, qs),
            "sort": sort,
            "filters": filters.form,
            "worker_silence": background_worker_silence(),
        },
    )


@login_required
def import_detail(request, pk):
    run = get_visible_or_404(ImportRun.objects.select_related("created_by", "unit"), request.user, pk=pk)
    if wants_xlsx(request):
        rows = (
            (e.get("row") or "", e.get("letter", ""), e.get("column", ""), e.get("value", ""), e["message"])
            for e in run.errors
        )
        headers = [_("Dòng"), _("Cột (Excel)"), _("Tên cột"), _("Giá trị"), _("Lỗi")]
        return xlsx_response(f"loi-lan-nhap-{run.pk}.xlsx", headers, rows, sheet=_("Lỗi"))
    errors = Paginator(run.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    records_url = ""
    if run.status == ImportRun.Status.STORED and (run.created_count or run.updated_count):
        records_url = f"{reverse(f'registers:{run.register}')}?run={run.pk}"
    suggested = run.suggested_register
    return render(
        request,
        "registers/import_detail.html",
        {
            "run": run,
            "page": errors,
            "running": run.status in _RUNNING,
            "records_url": records_url,
            "resolutions": resolution_lines(run),
            "switch_to": REGISTERS[suggested] if suggested and run.file else None,
            "can_import": request.user.has_role(*IMPORT_ROLES),
            **_worker_silence(run),
        },
    )


def resolution_lines(run: ImportRun) -> list[str]:
    """How the responsible official of the file's rows was found, in plain words, one line per way
    (`ImportRun.resolutions`, counted by the importer)."""
    if run.status not in (ImportRun.Status.STORED, ImportRun.Status.DRY_RUN) or not run.resolutions:
        return []
    tasks = run.register == ImportRun.Register.TASKS
    who = _("người phụ trách") if tasks else _("người xử lý hồ sơ")
    day = _("ngày giao (ngày văn bản giao, hoặc ngày nhận)") if tasks else _("ngày tiếp nhận hồ sơ")
    texts = {
        "code": lambda n: ngettext(
            "%(n)s dòng: %(who)s ghi trong tệp, xác định theo mã cán bộ.",
            "%(n)s dòng: %(who)s ghi trong tệp, xác định theo mã cán bộ.",
            n,
        ),
        "name": lambda n: ngettext(
            "%(n)s dòng: %(who)s ghi bằng họ tên, xác định theo họ tên (chỉ một cán bộ có họ tên này).",
            "%(n)s dòng: %(who)s ghi bằng họ tên, xác định theo họ tên (chỉ một cán bộ có họ tên này).",
            n,
        ),
        "name_at_unit": lambda n: ngettext(
            "%(n)s dòng: %(who)s ghi bằng họ tên mà nhiều cán bộ cùng mang; chọn người từng được bổ "
            "nhiệm ở đơn vị của dòng.",
            "%(n)s dòng: %(who)s ghi bằng họ tên mà nhiều cán bộ cùng mang; chọn người từng được bổ "
            "nhiệm ở đơn vị của dòng.",
            n,
        ),
        "field_deputy": lambda n: ngettext(
            "%(n)s dòng: tệp để trống %(who)s; xác định là cấp phó được phân công phụ trách lĩnh vực "
            "của dòng vào %(day)s.",
            "%(n)s dòng: tệp để trống %(who)s; xác định là cấp phó được phân công phụ trách lĩnh vực "
            "của dòng vào %(day)s.",
            n,
        ),
        "head": lambda n: ngettext(
            "%(n)s dòng: tệp để trống %(who)s và không có cấp phó phụ trách lĩnh vực của dòng; xác "
            "định là người đứng đầu đơn vị vào %(day)s.",
            "%(n)s dòng: tệp để trống %(who)s và không có cấp phó phụ trách lĩnh vực của dòng; xác "
            "định là người đứng đầu đơn vị vào %(day)s.",
            n,
        ),
        "unresolved": lambda n: ngettext(
            "%(n)s dòng: không xác định được — tệp để trống %(who)s và đơn vị không có lãnh đạo vào "
            "%(day)s; ghi nhận không có người chịu trách nhiệm.",
            "%(n)s dòng: không xác định được — tệp để trống %(who)s và đơn vị không có lãnh đạo vào "
            "%(day)s; ghi nhận không có người chịu trách nhiệm.",
            n,
        ),
    }
    return [
        texts[key](n) % {"n": formats.number_format(n, force_grouping=True), "who": who, "day": day}
        for key, n in ((k, run.resolutions.get(k, 0)) for k in texts)
        if n
    ]


@login_required
@require_POST
def import_switch(request, pk):
    """Import the file of a run refused as the other register's file into that register (one click
    from the refusal): a new run with its own copy of the file, through the same service."""
    run = get_visible_or_404(ImportRun, request.user, pk=pk)
    require_role(request.user, *IMPORT_ROLES)
    register = run.suggested_register
    if not register or not run.file:
        raise Http404
    with run.file.open("rb") as fh:
        new = import_run_submit(
            actor=request.user,
            register=register,
            upload=File(fh, name=Path(run.file_name).name),
            dry_run=run.dry_run,
            source=run.source,
        )
    return redirect("registers:import", pk=new.pk)


_RUNNING = {ImportRun.Status.PENDING, ImportRun.Status.RUNNING}


@login_required
def import_progress(request, pk):
    """The htmx progress fragment; once the run ends, the page reloads to show its result."""
    run = get_visible_or_404(ImportRun, request.user, pk=pk)
    if run.status not in _RUNNING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request, "registers/_import_progress.html", {"run": run, "running": True, **_worker_silence(run)}
    )


def _worker_silence(run) -> dict:
    """A run waiting for the background worker shows when no worker has taken work lately."""
    return {"worker_silence": background_worker_silence() if run.status == ImportRun.Status.PENDING else None}


@login_required
def template(request, register):
    if register not in REGISTERS:
        raise Http404
    response = HttpResponse(
        build_template(register),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = "mau-nhap-nhiem-vu.xlsx" if register == "tasks" else "mau-nhap-ho-so.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
