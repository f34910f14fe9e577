"""`congvu document KIND (--inspection ID | --plan ID | --year Y) [--out FILE] [--pdf] [--issued]`

Writes the current draft of a document, produced now from the data (with the team's edited blocks
when a draft is open), or with --issued the issued copy exactly as stored. --pdf writes PDF instead
of DOCX (LibreOffice headless). Prints the file written and its SHA-256. Reads as an operator who
sees every unit; writes nothing except the stored PDF of an issued document not yet converted.

    congvu document decision --inspection 12 --out qd.docx
    congvu document year-report --year 2025 --pdf
    congvu document conclusion --inspection 12 --issued
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from congvu.accounts.models import User
from congvu.documents import rendering, selectors, services
from congvu.documents.contexts import Target
from congvu.documents.kinds import INSPECTION, KINDS, PLAN, YEAR
from congvu.documents.models import Document, DocumentStatus, PdfStatus
from congvu.inspections.models import Inspection, InspectionPlan

TARGET_WORDS = {INSPECTION: "--inspection ID", PLAN: "--plan ID", YEAR: "--year Y"}


def operator() -> User:
    """The command runs for the operator at the console: a province-wide reader (never saved)."""
    return User(username="congvu-cli", role="admin", is_active=True)


class Command(BaseCommand):
    help = "Văn bản theo Nghị định 30/2020: ghi bản dự thảo hiện tại hoặc bản đã ban hành (DOCX/PDF)."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="one of: " + ", ".join(KINDS))
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--inspection", type=int, help="inspection id")
        group.add_argument("--plan", type=int, help="annual plan id")
        group.add_argument("--year", type=int, help="year (year-report)")
        parser.add_argument("--out", help="output file (default: KIND-TARGET.docx|pdf in the current folder)")
        parser.add_argument("--pdf", action="store_true", help="write PDF (LibreOffice headless)")
        parser.add_argument("--issued", action="store_true", help="the issued copy instead of the draft")

    def handle(self, *args, **opts):
        spec = KINDS.get(opts["kind"])
        if spec is None:
            raise CommandError(f"Loại văn bản «{opts['kind']}» không có. Dùng một trong: {', '.join(KINDS)}.")
        target = self._target(spec, opts)
        reader = operator()
        if opts["issued"]:
            data = self._issued(spec, target, opts["pdf"])
        else:
            data = self._draft(spec, target, reader, opts["pdf"])
        ext = "pdf" if opts["pdf"] else "docx"
        out = Path(opts["out"] or f"{spec.code}-{target.ref.replace(':', '-')}.{ext}")
        try:
            out.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {out}: {exc.strerror}.") from None
        self.stdout.write(f"{out}\t{rendering.sha256(data)}")

    def _target(self, spec, opts) -> Target:
        given = [name for name in (INSPECTION, PLAN, YEAR) if opts.get(name) is not None]
        if not given:
            raise CommandError(
                f"Thiếu đối tượng: văn bản «{spec.code}» cần "
                f"{' hoặc '.join(TARGET_WORDS[t] for t in spec.targets)}."
            )
        if given[0] not in spec.targets:
            raise CommandError(
                f"Văn bản «{spec.code}» lập theo {' hoặc '.join(TARGET_WORDS[t] for t in spec.targets)}, "
                f"không theo {TARGET_WORDS[given[0]]}."
            )
        if given[0] == INSPECTION:
            inspection = Inspection.objects.select_related("unit").filter(pk=opts[INSPECTION]).first()
            if inspection is None:
                raise CommandError(f"Không có cuộc kiểm tra số {opts[INSPECTION]}.")
            return Target(INSPECTION, inspection=inspection)
        if given[0] == PLAN:
            plan = InspectionPlan.objects.filter(pk=opts[PLAN]).first()
            if plan is None:
                raise CommandError(f"Không có kế hoạch kiểm tra số {opts[PLAN]}.")
            return Target(PLAN, plan=plan)
        if not 2000 <= opts[YEAR] <= 2100:
            raise CommandError(f"Năm {opts[YEAR]} không hợp lệ (2000–2100).")
        return Target(YEAR, year=opts[YEAR])

    def _draft(self, spec, target, reader, pdf: bool) -> bytes:
        document = Document.objects.filter(
            kind=spec.code, target_ref=target.ref, status=DocumentStatus.DRAFT
        ).first()
        if document is None:
            issuer = selectors.issuer_default()
            if issuer is None:
                raise CommandError("Chưa khai báo cơ quan ban hành văn bản (trang «Cơ quan ban hành»).")
            # Not saved: the draft as the data gives it, with no edited block.
            document = Document(
                kind=spec.code,
                issuer=issuer,
                inspection=target.inspection,
                plan=target.plan,
                year=target.year,
                target_ref=target.ref,
                number_code=spec.number_code,
            )
        try:
            data, _sha = services.document_render(document=document, fetched_by=reader)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if pdf:
            try:
                return rendering.docx_to_pdf(data)
            except rendering.PdfUnavailable as exc:
                raise CommandError(str(exc)) from None
            except RuntimeError as exc:
                raise CommandError(str(exc)) from None
        return data

    def _issued(self, spec, target, pdf: bool) -> bytes:
        document = (
            Document.objects.filter(kind=spec.code, target_ref=target.ref, status=DocumentStatus.ISSUED)
            .order_by("-issued_on", "-pk")
            .first()
        )
        if document is None:
            raise CommandError(f"Chưa có văn bản «{spec.code}» nào đã ban hành cho {target.ref}.")
        if pdf:
            if document.pdf_status != PdfStatus.DONE:
                document = services.document_pdf_convert(document_id=document.pk)
            if document.pdf_status != PdfStatus.DONE:
                raise CommandError(
                    f"Văn bản {document.code} chưa có bản PDF: {document.get_pdf_status_display()}. "
                    f"{document.pdf_error}".strip()
                )
            with document.pdf.open("rb") as fh:
                return fh.read()
        with document.docx.open("rb") as fh:
            return fh.read()
