"""Writes of the documents app (STYLE §3): keyword-only, one transaction each, `full_clean()` before
saving and an audit event in the same transaction.

A draft keeps only the blocks the team changed; everything else is recomputed from the data each time
the draft is produced. Issuing takes the next number from the registry (row-locked), renders the DOCX
once, stores it with its SHA-256 and never renders it again; the PDF is converted from those bytes by
the background worker."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core.audit import audit_record, snapshot
from congvu.documents import policy, rendering
from congvu.documents.contexts import Target, build_context, data_and_defaults
from congvu.documents.kinds import INSPECTION, PLAN, YEAR, get_kind
from congvu.documents.models import (
    Document,
    DocumentStatus,
    DocumentTemplate,
    Issuer,
    NumberCounter,
    PdfStatus,
)
from congvu.documents.selectors import active_template, issuer_default

MAX_BLOCK_LENGTH = 20_000
AUDIT_FIELDS = ["kind", "status", "number", "number_year", "number_code", "code", "issued_on", "docx_sha256"]


def target_of(document: Document) -> Target:
    if document.inspection_id:
        return Target(INSPECTION, inspection=document.inspection)
    if document.plan_id:
        return Target(PLAN, plan=document.plan)
    return Target(YEAR, year=document.year)


def template_for(*, issuer: Issuer, kind: str) -> tuple[bytes, str]:
    """The issuing body's active template of this kind, else the default shipped with the app."""
    uploaded = active_template(issuer=issuer, kind=kind)
    if uploaded is not None:
        with uploaded.file.open("rb") as fh:
            data = fh.read()
    else:
        data = rendering.default_template_bytes(kind)
    return data, rendering.sha256(data)


def document_render(
    *, document: Document, fetched_by, number: int | None = None, issued_on: date | None = None
) -> tuple[bytes, str]:
    """The DOCX of a draft as it reads now (from the data and the team's blocks): (bytes, template
    SHA-256). An issued document is never rendered again: its stored bytes are the document."""
    template, template_sha = template_for(issuer=document.issuer, kind=document.kind)
    context = build_context(
        kind=document.kind,
        target=target_of(document),
        issuer=document.issuer,
        fetched_by=fetched_by,
        edited=document.blocks,
        number=number,
        issued_on=issued_on,
    )
    return rendering.render_docx(template, context), template_sha


def template_preview(*, issuer: Issuer, kind: str, target: Target | None, fetched_by) -> bytes:
    """The issuing body's current template of `kind` filled from `target`'s data (no number, no
    date), for an administrator to look at before and after replacing it. Nothing is stored. Fields
    the data does not know stay empty rather than failing."""
    template, _sha = template_for(issuer=issuer, kind=kind)
    context = {}
    if target is not None:
        context = build_context(kind=kind, target=target, issuer=issuer, fetched_by=fetched_by, edited={})
    return rendering.render_docx(template, context, lenient=True)


def document_draft_open(*, actor, kind: str, target: Target, issuer: Issuer | None = None) -> Document:
    """The open draft of this kind for this inspection, plan or year; a new one when there is none."""
    spec = get_kind(kind)
    if spec is None:
        raise ValidationError(_("Loại văn bản «%(kind)s» không có.") % {"kind": kind})
    if target.kind not in spec.targets:
        raise ValidationError(_("Văn bản «%(label)s» không lập cho đối tượng này.") % {"label": spec.label})
    policy.require(
        policy.can_draft(actor, target), _("Chỉ Đoàn kiểm tra hoặc lãnh đạo kiểm tra được soạn văn bản.")
    )
    issuer = issuer or issuer_default()
    if issuer is not None and kind == "proposal":
        data_and_defaults(kind, target, issuer, actor)  # refuses when there is no report to propose from
    if issuer is None:
        raise ValidationError(
            _(
                "Chưa khai báo cơ quan ban hành văn bản: quản trị hệ thống cần khai báo ở trang "
                "«Cơ quan ban hành»."
            )
        )
    with transaction.atomic():
        existing = Document.objects.filter(
            kind=kind, target_ref=target.ref, status=DocumentStatus.DRAFT
        ).first()
        if existing is not None:
            return existing
        label = {
            INSPECTION: lambda: target.inspection.unit.name,
            PLAN: lambda: str(target.plan.year),
            YEAR: lambda: str(target.year),
        }[target.kind]()
        document = Document(
            kind=kind,
            issuer=issuer,
            inspection=target.inspection,
            plan=target.plan,
            year=target.year if target.kind == YEAR else None,
            target_ref=target.ref,
            addressed_unit=target.unit,
            title=f"{spec.label} — {label}"[:400],
            number_code=spec.number_code,
            created_by=actor,
        )
        document.full_clean()
        document.save()
        audit_record(
            actor=actor, action="document.draft", obj=document, after=snapshot(document, AUDIT_FIELDS)
        )
    return document


def document_draft_save(*, actor, document: Document, blocks: dict, expected_version: int) -> Document:
    """Store the team's text blocks. A block equal to what the data gives is not stored, so it keeps
    following the data."""
    spec = get_kind(document.kind)
    policy.require(policy.can_draft(actor, target_of(document)), _("Chỉ Đoàn kiểm tra được sửa dự thảo."))
    names = {b.name for b in spec.blocks}
    unknown = sorted(set(blocks) - names)
    if unknown:
        raise ValidationError(_("Mục không có trong mẫu: %(names)s.") % {"names": ", ".join(unknown)})
    labels = {b.name: b.label for b in spec.blocks}
    errors = {}
    for name, value in blocks.items():
        if not isinstance(value, str):
            errors[name] = _("«%(label)s» phải là văn bản.") % {"label": labels[name]}
        elif len(value) > MAX_BLOCK_LENGTH:
            errors[name] = _("«%(label)s» dài quá %(max)s ký tự.") % {
                "label": labels[name],
                "max": MAX_BLOCK_LENGTH,
            }
    if errors:
        raise ValidationError(errors)
    _data, defaults = data_and_defaults(document.kind, target_of(document), document.issuer, actor)
    edited = {
        name: value.replace("\r\n", "\n").strip()
        for name, value in blocks.items()
        if value.replace("\r\n", "\n").strip() != (defaults.get(name) or "").strip()
    }
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != DocumentStatus.DRAFT:
            raise ValidationError(_("Văn bản đã ban hành, không sửa được nữa."))
        if locked.version != expected_version:
            raise ValidationError(_("Dự thảo vừa được người khác sửa; hãy tải lại trang rồi sửa tiếp."))
        before = dict(locked.blocks)
        locked.blocks = {**{k: v for k, v in locked.blocks.items() if k not in blocks}, **edited}
        locked.version += 1
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor, action="document.draft_save", obj=locked, before=before, after=locked.blocks
        )
    return locked


def _next_number(issuer: Issuer, year: int, number_code: str) -> int:
    """The next number of the registry, under a row lock held until the issuing transaction ends.
    Never below a number already given (a lost counter cannot make a number come back)."""
    lookup = {"issuer": issuer, "year": year, "number_code": number_code}
    counter = NumberCounter.objects.select_for_update().filter(**lookup).first()
    if counter is None:
        try:
            with transaction.atomic():
                NumberCounter.objects.create(**lookup)
        except IntegrityError:
            pass  # created meanwhile by another issue: lock that row instead
        counter = NumberCounter.objects.select_for_update().get(**lookup)
    given = Document.objects.filter(issuer=issuer, number_year=year, number_code=number_code).aggregate(
        m=Max("number")
    )["m"]
    counter.last_number = max(counter.last_number, given or 0) + 1
    counter.full_clean()
    counter.save(update_fields=["last_number"])
    return counter.last_number


def document_issue(*, actor, document: Document, issued_on: date | None = None) -> Document:
    """Give the draft its number, render it once with that number and date, store the DOCX with its
    SHA-256 and freeze it. The PDF follows in the background when LibreOffice is installed."""
    policy.require(policy.can_issue(actor), _("Chỉ lãnh đạo kiểm tra được ban hành văn bản."))
    issued_on = issued_on or timezone.localdate()
    saved_name = None
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().select_related("issuer__unit").get(pk=document.pk)
            if locked.status != DocumentStatus.DRAFT:
                raise ValidationError(
                    _("Văn bản này đã được ban hành (số %(code)s).") % {"code": locked.code}
                )
            number = _next_number(locked.issuer, issued_on.year, locked.number_code)
            _data, defaults = data_and_defaults(locked.kind, target_of(locked), locked.issuer, actor)
            docx, template_sha = document_render(
                document=locked, fetched_by=actor, number=number, issued_on=issued_on
            )
            # The blocks as issued, all of them: the record of what was signed.
            locked.blocks = {name: locked.blocks.get(name, value) for name, value in defaults.items()}
            locked.status = DocumentStatus.ISSUED
            locked.number, locked.number_year = number, issued_on.year
            locked.code = f"{number}/{locked.number_code}-{locked.issuer.abbreviation}"
            locked.issued_on, locked.issued_by, locked.issued_at = issued_on, actor, timezone.now()
            locked.template_sha256 = template_sha
            locked.docx.save(f"{locked.kind}-{number}.docx", ContentFile(docx), save=False)
            saved_name = locked.docx.name
            locked.docx_sha256 = rendering.sha256(docx)
            pdf_ready = rendering.soffice_path() is not None
            locked.pdf_status = PdfStatus.PENDING if pdf_ready else PdfStatus.UNAVAILABLE
            locked.version += 1
            locked.full_clean()
            locked.save()
            audit_record(
                actor=actor, action="document.issue", obj=locked, after=snapshot(locked, AUDIT_FIELDS)
            )
            _record_on_inspection(actor, locked)
            if pdf_ready:
                transaction.on_commit(lambda: _enqueue_pdf(locked.pk))
    except Exception:
        if saved_name:
            locked.docx.storage.delete(saved_name)  # nothing half-written: no file without its row
        raise
    return locked


# The inspection fields an issued decision or conclusion notice fills in, when still empty.
INSPECTION_NUMBER_FIELDS = {
    "decision": ("decision_number", "decision_date"),
    "conclusion": ("conclusion_number", "conclusion_date"),
}


def _record_on_inspection(actor, document: Document) -> None:
    """An issued decision (conclusion notice) is the inspection's decision (conclusion): its number
    and date go on the inspection through the inspections app's service, unless someone already
    entered them by hand — a number typed from a paper decision is never overwritten."""
    fields = INSPECTION_NUMBER_FIELDS.get(document.kind)
    if fields is None or document.inspection_id is None:
        return
    from congvu.inspections import services as inspection_services
    from congvu.inspections.models import Inspection
    from congvu.inspections.workflow import InspectionStatus

    inspection = Inspection.objects.get(pk=document.inspection_id)
    number_field, date_field = fields
    if getattr(inspection, number_field) or inspection.status == InspectionStatus.CLOSED:
        return
    inspection_services.inspection_update(
        actor=actor,
        inspection=inspection,
        expected_version=None,
        **{number_field: document.code, date_field: document.issued_on},
    )


def _enqueue_pdf(document_id: int) -> None:
    from congvu.documents.tasks import document_pdf_job

    document_pdf_job.enqueue(document_id)


def document_pdf_request(*, actor, document: Document) -> Document:
    """Ask the worker (again) for the PDF of an issued document, e.g. after LibreOffice was installed."""
    policy.require(policy.can_issue(actor) or actor.has_role("inspector"))
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != DocumentStatus.ISSUED:
            raise ValidationError(_("Chỉ văn bản đã ban hành mới có bản PDF lưu trữ."))
        if locked.pdf_status == PdfStatus.DONE:
            return locked
        before = locked.pdf_status
        ready = rendering.soffice_path() is not None
        locked.pdf_status = PdfStatus.PENDING if ready else PdfStatus.UNAVAILABLE
        locked.pdf_error = ""
        locked.full_clean()
        locked.save(update_fields=["pdf_status", "pdf_error", "updated_at"])
        audit_record(
            actor=actor, action="document.pdf_request", obj=locked, before=before, after=locked.pdf_status
        )
        if ready:
            transaction.on_commit(lambda: _enqueue_pdf(locked.pk))
    return locked


def document_pdf_convert(*, document_id: int) -> Document:
    """The background job's work: convert the stored DOCX (not a new rendering) and store the PDF with
    its SHA-256. LibreOffice runs outside the transaction; the write is short."""
    document = Document.objects.get(pk=document_id)
    if document.status != DocumentStatus.ISSUED or document.pdf_status == PdfStatus.DONE:
        return document
    with document.docx.open("rb") as fh:
        docx = fh.read()
    pdf, status, error = None, PdfStatus.DONE, ""
    try:
        pdf = rendering.docx_to_pdf(docx)
    except rendering.PdfUnavailable as exc:
        status, error = PdfStatus.UNAVAILABLE, str(exc)
    except Exception as exc:  # a crash or timeout of LibreOffice: recorded, the DOCX stays available
        status, error = PdfStatus.FAILED, str(exc)[:2000]
    saved_name = None
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document_id)
            if locked.pdf_status == PdfStatus.DONE:
                return locked
            if pdf is not None:
                locked.pdf.save(f"{locked.kind}-{locked.number}.pdf", ContentFile(pdf), save=False)
                saved_name = locked.pdf.name
                locked.pdf_sha256 = rendering.sha256(pdf)
            locked.pdf_status, locked.pdf_error = status, error
            locked.full_clean()
            locked.save()
            audit_record(
                actor="worker",
                action="document.pdf",
                obj=locked,
                after={"pdf_status": status, "pdf_sha256": locked.pdf_sha256, "error": error[:300]},
            )
    except Exception:
        if saved_name:
            locked.pdf.storage.delete(saved_name)
        raise
    return locked


# --- Issuing bodies and templates ---------------------------------------------------------

ISSUER_FIELDS = ["superior", "name", "abbreviation", "place", "signer_title", "signer_name", "is_default"]


def issuer_save(*, actor, unit, issuer: Issuer | None = None, **fields) -> Issuer:
    """Create or change an issuing body (administrator). Its abbreviation ends every new number."""
    policy.require(
        policy.can_manage_templates(actor), _("Chỉ quản trị hệ thống được khai báo cơ quan ban hành.")
    )
    unknown = set(fields) - set(ISSUER_FIELDS)
    if unknown:
        raise TypeError(f"unknown issuer fields: {sorted(unknown)}")
    with transaction.atomic():
        before = snapshot(issuer) if issuer else None
        issuer = issuer or Issuer()
        issuer.unit = unit
        for name, value in fields.items():
            setattr(issuer, name, value.strip() if isinstance(value, str) else value)
        if issuer.is_default:
            Issuer.objects.exclude(pk=issuer.pk).filter(is_default=True).update(is_default=False)
        issuer.full_clean()
        issuer.save()
        audit_record(
            actor=actor, action="document.issuer_save", obj=issuer, before=before, after=snapshot(issuer)
        )
    return issuer


def number_counter_set(
    *, actor, issuer: Issuer, year: int, number_code: str, last_number: int
) -> NumberCounter:
    """Where a sequence continues from, for a body that starts using the registry in the middle of a
    year (numbers up to `last_number` were given on paper). It can only move forward: a number once
    given is never given again."""
    policy.require(policy.can_manage_templates(actor), _("Chỉ quản trị hệ thống được khai báo số đã cấp."))
    from congvu.documents.kinds import NUMBER_CODES

    if number_code not in NUMBER_CODES:
        raise ValidationError({"number_code": _("Loại văn bản «%(code)s» không có.") % {"code": number_code}})
    with transaction.atomic():
        counter = NumberCounter.objects.select_for_update().filter(
            issuer=issuer, year=year, number_code=number_code
        ).first() or NumberCounter(issuer=issuer, year=year, number_code=number_code)
        given = Document.objects.filter(issuer=issuer, number_year=year, number_code=number_code).aggregate(
            m=Max("number")
        )["m"]
        floor = max(counter.last_number, given or 0)
        if last_number < floor:
            raise ValidationError(
                {
                    "last_number": _(
                        "Số %(code)s năm %(year)s đã cấp đến %(floor)s: không lùi lại được (số đã cấp không "
                        "dùng lại)."
                    )
                    % {"code": number_code, "year": year, "floor": floor}
                }
            )
        before = counter.last_number
        counter.last_number = last_number
        counter.full_clean()
        counter.save()
        audit_record(
            actor=actor,
            action="document.number_counter_set",
            obj=counter,
            before={"last_number": before},
            after={"last_number": last_number},
        )
    return counter


def template_upload(*, actor, issuer: Issuer, kind: str, upload) -> DocumentTemplate:
    """Replace the issuing body's template of one kind. A file that is not a DOCX or whose Jinja
    fields do not parse is refused with the line that is wrong, and nothing changes."""
    policy.require(policy.can_manage_templates(actor), _("Chỉ quản trị hệ thống được thay mẫu văn bản."))
    if get_kind(kind) is None:
        raise ValidationError(_("Loại văn bản «%(kind)s» không có.") % {"kind": kind})
    data = upload.read()
    try:
        rendering.check_template(data)
        # A dry run with nothing filled in: an unknown filter or a broken loop shows up here.
        rendering.render_docx(data, {}, lenient=True)
    except rendering.TemplateProblem as exc:
        raise ValidationError({"file": str(exc)}) from None
    except Exception as exc:  # jinja2 runtime errors of the dry run
        raise ValidationError(
            {"file": _("Mẫu không dựng được văn bản: %(error)s") % {"error": exc}}
        ) from None
    saved_name = None
    try:
        with transaction.atomic():
            previous = DocumentTemplate.objects.select_for_update().filter(
                issuer=issuer, kind=kind, is_active=True
            )
            before = [snapshot(t) for t in previous]
            previous.update(is_active=False)
            template = DocumentTemplate(
                issuer=issuer,
                kind=kind,
                original_name=(getattr(upload, "name", "") or f"{kind}.docx")[:255],
                sha256=rendering.sha256(data),
                uploaded_by=actor,
            )
            template.file.save(template.original_name, ContentFile(data), save=False)
            saved_name = template.file.name
            template.full_clean()
            template.save()
            audit_record(
                actor=actor,
                action="document.template_upload",
                obj=template,
                before=before,
                after=snapshot(template),
            )
    except Exception:
        if saved_name:
            template.file.storage.delete(saved_name)
        raise
    return template


def template_reset(*, actor, issuer: Issuer, kind: str) -> None:
    """Go back to the default template shipped with the app (the uploaded ones stay in the history)."""
    policy.require(policy.can_manage_templates(actor))
    with transaction.atomic():
        active = list(
            DocumentTemplate.objects.select_for_update().filter(issuer=issuer, kind=kind, is_active=True)
        )
        if not active:
            return
        DocumentTemplate.objects.filter(pk__in=[t.pk for t in active]).update(is_active=False)
        audit_record(
            actor=actor,
            action="document.template_reset",
            object_type="documents.documenttemplate",
            object_id=active[0].pk,
            object_repr=str(active[0]),
            before=[snapshot(t) for t in active],
        )
