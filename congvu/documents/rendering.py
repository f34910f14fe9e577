"""Turning a template and a context into DOCX bytes (docxtpl), checking an uploaded template, and
converting DOCX to PDF with LibreOffice headless."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
from pathlib import Path

import jinja2
from django.utils.translation import gettext as _
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

DEFAULT_DIR = Path(__file__).resolve().parent / "templates_docx"
SOFFICE_TIMEOUT = 180  # seconds; a first start builds the profile


class TemplateProblem(Exception):
    """A template that cannot be used; the message names the line that is wrong."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def default_template_path(kind: str) -> Path:
    return DEFAULT_DIR / f"{kind}.docx"


def default_template_bytes(kind: str) -> bytes:
    return default_template_path(kind).read_bytes()


def render_docx(template: bytes, context: dict, lenient: bool = False) -> bytes:
    """Render a docxtpl template; every value is XML-escaped (autoescape), so text with & or < is safe.
    `lenient`: a field the context lacks (even `a.b.c`) renders empty — for previews and dry runs of
    an uploaded template, whose fields may not all be known."""
    tpl = DocxTemplate(io.BytesIO(template))
    env = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=True) if lenient else None
    tpl.render(context, jinja_env=env, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# --- Checking an uploaded template --------------------------------------------------------

# docxtpl's tags that act on the enclosing paragraph, row, cell or run: {%p …%}, {%tr …%}, {{r …}}.
_DOCXTPL_PREFIX = re.compile(r"(\{[{%])(p|tr|tc|r)\s")
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")


def _paragraph_texts(data: bytes) -> list[str]:
    """Every paragraph of the body (tables included), headers and footers, as one line each: the
    lines a person sees in Word, so a syntax error can name the line they must fix."""
    from lxml import etree

    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(
            (n for n in archive.namelist() if _PARTS.match(n)), key=lambda n: (n != "word/document.xml", n)
        )
        for name in names:
            root = etree.fromstring(archive.read(name))
            for p in root.iter(qn("w:p")):
                texts.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return texts


def check_template(data: bytes) -> None:
    """Raise TemplateProblem unless `data` is a DOCX whose Jinja fields parse. The message gives the
    line (paragraph) that is wrong, counted as Word shows the document: body first, then headers and
    footers."""
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        texts = _paragraph_texts(data)
    except Exception:  # python-docx and zipfile raise many kinds for a file that is not a DOCX
        raise TemplateProblem(_("Tệp tải lên không phải là tệp DOCX hợp lệ.")) from None
    env = jinja2.Environment(autoescape=True)
    source = "\n".join(_DOCXTPL_PREFIX.sub(r"\1 ", text) for text in texts)
    try:
        env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        line = texts[exc.lineno - 1] if exc.lineno and 0 < exc.lineno <= len(texts) else ""
        raise TemplateProblem(
            _("Mẫu có lỗi cú pháp ở dòng %(n)s: «%(text)s» — %(error)s")
            % {"n": exc.lineno, "text": line.strip()[:200], "error": exc.message}
        ) from None
    # What docxtpl itself will compile (after joining tags split across runs).
    try:
        env.from_string(tpl.patch_xml(tpl.get_xml()))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(_("Mẫu có lỗi cú pháp: %(error)s") % {"error": exc.message}) from None


# --- PDF through LibreOffice --------------------------------------------------------------

_soffice_lock = threading.Lock()


def soffice_path() -> str | None:
    """LibreOffice's command when it is installed on this machine."""
    return shutil.which("soffice") or shutil.which("libreoffice")


class PdfUnavailable(Exception):
    pass


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert with `soffice --headless --convert-to pdf`. Each process has its own LibreOffice
    profile (a second instance on the same profile would hand the job to the first and fail), and
    one conversion at a time per process."""
    command = soffice_path()
    if not command:
        raise PdfUnavailable(_("Máy chủ chưa cài LibreOffice (soffice) nên chưa chuyển được sang PDF."))
    profile = Path(tempfile.gettempdir()) / f"congvu-lo-profile-{os.getpid()}"
    with _soffice_lock, tempfile.TemporaryDirectory(prefix="congvu-pdf-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(docx)
        result = subprocess.run(
            [
                command,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(source),
            ],
            capture_output=True,
            timeout=SOFFICE_TIMEOUT,
            check=False,
        )
        target = Path(work) / "document.pdf"
        if result.returncode != 0 or not target.exists():
            detail = (result.stderr or result.stdout or b"").decode(errors="replace").strip()[-500:]
            raise RuntimeError(
                _("LibreOffice không chuyển được tệp sang PDF: %(detail)s") % {"detail": detail}
            )
        return target.read_bytes()
