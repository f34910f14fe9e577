"""Evidence file checks: size, extension and magic bytes must agree; SHA-256 of the content.

A renamed executable with a ".pdf" name is refused because its first bytes are not a PDF's; an
Office file must be a ZIP that holds the part its extension promises (word/, xl/, ppt/)."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES_DEFAULT = 20 * 1024 * 1024

_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
_JPEG = (b"\xff\xd8\xff",)
_PNG = (b"\x89PNG\r\n\x1a\n",)

# extension -> (content type, accepted leading bytes, ZIP part that must exist or None)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...], str | None]] = {
    ".pdf": ("application/pdf", _PDF, None),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP, "word/"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP, "xl/"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP, "ppt/"),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP, "content.xml"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP, "content.xml"),
    ".doc": ("application/msword", _OLE, None),
    ".xls": ("application/vnd.ms-excel", _OLE, None),
    ".jpg": ("image/jpeg", _JPEG, None),
    ".jpeg": ("image/jpeg", _JPEG, None),
    ".png": ("image/png", _PNG, None),
}


def max_bytes() -> int:
    return int(getattr(settings, "CONGVU_EVIDENCE_MAX_BYTES", MAX_BYTES_DEFAULT))


def allowed_extensions() -> list[str]:
    return sorted(ALLOWED)


@dataclass
class CheckedFile:
    extension: str
    content_type: str
    size: int
    sha256: str


def check_upload(uploaded) -> CheckedFile:
    """Validate an uploaded file (Django UploadedFile); raise ValidationError in Vietnamese that says
    which file and why. Leaves the file positioned at its start."""
    name = uploaded.name or ""
    ext = PurePath(name).suffix.lower()
    if ext not in ALLOWED:
        raise ValidationError(
            _("Tệp “%(name)s”: loại tệp %(ext)s không được phép. Chỉ nhận: %(allowed)s.")
            % {"name": name, "ext": ext or _("(không có đuôi)"), "allowed": ", ".join(allowed_extensions())}
        )
    size = uploaded.size or 0
    limit = max_bytes()
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name})
    if size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” dung lượng %(size).1f MB, vượt giới hạn %(limit)d MB.")
            % {"name": name, "size": size / 1024 / 1024, "limit": limit // 1024 // 1024}
        )
    content_type, magics, zip_part = ALLOWED[ext]
    uploaded.seek(0)
    head = uploaded.read(16)
    if not any(head.startswith(m) for m in magics):
        raise ValidationError(
            _("Tệp “%(name)s”: nội dung không phải tệp %(ext)s (đuôi tệp không khớp với nội dung).")
            % {"name": name, "ext": ext}
        )
    if zip_part is not None:
        uploaded.seek(0)
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            names = []
        if not any(n == zip_part or n.startswith(zip_part) for n in names):
            raise ValidationError(
                _("Tệp “%(name)s”: nội dung không phải tệp %(ext)s hợp lệ.") % {"name": name, "ext": ext}
            )
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(extension=ext, content_type=content_type, size=size, sha256=digest.hexdigest())
