"""The seed at rest (niêm phong hạt giống): until the draw the database holds only the seed encrypted
with Fernet (AES-128-CBC + HMAC-SHA256) and its public SHA-256 commitment. The key is outside the
database (`settings.SAMPLING_KEY`: `CONGVU_SAMPLING_KEY` or `var/sampling_key`), so a copy of the
database alone — a backup, a read-only account, a leaked dump — does not tell anyone the seed before
the draw."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.translation import gettext as _


class SealError(ValueError):
    """The sealed seed cannot be opened with the key in force (wrong or changed key, damaged text)."""


def _fernet(key: str | None = None) -> Fernet:
    return Fernet((key or settings.SAMPLING_KEY).encode("ascii"))


def seal(seed: str, *, key: str | None = None) -> str:
    return _fernet(key).encrypt(seed.encode("ascii")).decode("ascii")


def unseal(token: str, *, key: str | None = None) -> str:
    """The seed, or SealError: never a wrong seed (Fernet authenticates the ciphertext)."""
    if not token:
        raise SealError(_("Không có hạt giống đã mã hóa để mở."))
    try:
        return _fernet(key).decrypt(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError, ValueError):
        raise SealError(
            _(
                "Không giải mã được hạt giống bằng khóa hiện tại (CONGVU_SAMPLING_KEY hoặc "
                "var/sampling_key): khóa đã bị thay đổi hoặc dữ liệu bị sửa. Không rút mẫu; hãy dùng "
                "lại đúng khóa đã mã hóa hạt giống."
            )
        ) from None
