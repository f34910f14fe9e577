"""Writes of the registers: imports submitted from the web page (the import engine itself, and the
`import_file` API, are in `imports.py`)."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from congvu.core.audit import audit_record, snapshot
from congvu.core.text import fold
from congvu.org.models import Field, Unit
from congvu.registers.guard import upload_size_error
from congvu.registers.imports import file_sha256, import_run_execute, import_scope
from congvu.registers.models import ImportRun, Procedure
from congvu.registers.readers import sniff_rows

# An upload above either threshold runs as a background job with a progress bar; below, inline.
BACKGROUND_ROWS = 5_000
BACKGROUND_BYTES = 1_000_000


def runs_in_background(*, path, size: int) -> bool:
    """Large by size, or by rows (counted only for a small file: never a cell read, see guard)."""
    return size > BACKGROUND_BYTES or sniff_rows(path) > BACKGROUND_ROWS


def import_run_submit(
    *,
    actor,
    register: str,
    upload: UploadedFile,
    dry_run: bool = False,
    source: str = "import",
    unit: Unit | None = None,
) -> ImportRun:
    """Store an uploaded register file with its ImportRun, then import it: inline when small, else
    as a background job enqueued once the run is committed. Returns the run (finished when inline).

    The file is written only together with its run: if the run cannot be saved, the file is
    deleted. Nothing here reads a cell: a spreadsheet is measured by `guard.check_workbook`, and a
    hostile one is refused (and recorded, with its file) by the import itself."""
    unit = import_scope(actor=actor, unit=unit)
    too_large = upload_size_error(upload.size)
    if too_large:
        raise ValidationError({"file": too_large})
    run = ImportRun(
        register=register,
        created_by=actor,
        unit=unit,
        file_name=upload.name[:255],
        source=source,
        dry_run=dry_run,
        status=ImportRun.Status.PENDING,
    )
    run.file.save(upload.name, upload, save=False)
    try:
        run.sha256, run.file_size = file_sha256(run.file.path)
        run.full_clean()
        with transaction.atomic():
            run.save()
    except BaseException:
        run.file.storage.delete(run.file.name)
        raise
    if runs_in_background(path=run.file.path, size=run.file_size):
        transaction.on_commit(lambda: _enqueue(run.pk))
        return run
    return import_run_execute(run=run, path=run.file.path, actor=actor, dry_run=dry_run)


def _enqueue(run_id: int) -> None:
    from congvu.registers.tasks import import_run_job

    result = import_run_job.enqueue(run_id)
    ImportRun.objects.filter(pk=run_id).update(job_id=str(result.id)[:64])


def import_run_process(*, run_id: int) -> ImportRun:
    """The background job's work: run a pending import recorded by `import_run_submit`."""
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    if run.status != ImportRun.Status.PENDING:
        return run  # already run (a retried job must not import twice)
    return import_run_execute(
        run=run, path=run.file.path, actor=run.created_by or "system", dry_run=run.dry_run
    )


# --- The procedure catalogue (danh mục thủ tục hành chính) ------------------------------------


def _catalogue_guard(actor) -> None:
    if getattr(actor, "is_authenticated", False) and not actor.has_role("admin"):
        raise PermissionDenied("Chỉ quản trị hệ thống được sửa danh mục thủ tục hành chính.")


def procedure_save(
    *, actor, procedure: Procedure | None = None, name: str, code: str = "", field: Field
) -> Procedure:
    """Add a procedure to the catalogue, or correct one (name, TTHC code, field); audited."""
    _catalogue_guard(actor)
    name = " ".join(unicodedata.normalize("NFC", name).split())
    code = code.strip()
    with transaction.atomic():
        before = snapshot(procedure, ["name", "code", "field_id"]) if procedure else None
        procedure = procedure or Procedure()
        procedure.name, procedure.code, procedure.field = name, code, field
        procedure.name_folded = fold(name)
        twin = Procedure.objects.filter(name_folded=procedure.name_folded).exclude(pk=procedure.pk).first()
        if twin is not None:
            raise ValidationError({"name": f"Danh mục đã có thủ tục “{twin.name}” (lĩnh vực {twin.field})."})
        if code and Procedure.objects.filter(code=code).exclude(pk=procedure.pk).exists():
            raise ValidationError({"code": f"Mã TTHC “{code}” đã dùng cho một thủ tục khác."})
        procedure.full_clean()
        procedure.save()
        audit_record(
            actor=actor,
            action="procedure.save",
            obj=procedure,
            before=before,
            after=snapshot(procedure, ["name", "code", "field_id"]),
        )
    return procedure


def procedure_map(*, actor, names: dict[str, Field]) -> list[Procedure]:
    """Give each procedure name an import did not know its field, all at once (one transaction,
    one audit event per name); the next import of the same file finds them."""
    _catalogue_guard(actor)
    with transaction.atomic():
        return [procedure_save(actor=actor, name=name, field=field) for name, field in names.items()]
