"""Helpers of the second factor: recovery codes (generation, hashing) and the enrolment QR code."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import qrcode
import qrcode.image.svg
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper without mistakes


def new_recovery_code() -> str:
    """16 characters of a 32-letter alphabet (80 random bits), shown as XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalize_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_recovery_code(code: str) -> str:
    salt = secrets.token_hex(8)
    digest = hashlib.sha256((salt + normalize_recovery_code(code)).encode()).hexdigest()
    return f"sha256${salt}${digest}"


def recovery_code_matches(code: str, stored: str) -> bool:
    try:
        _algorithm, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.sha256((salt + normalize_recovery_code(code)).encode()).hexdigest()
    return hmac.compare_digest(candidate, digest)


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def qr_svg(text: str) -> str:
    """The QR code as inline SVG, drawn here (no external service sees the secret)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def secret_text(device: TOTPDevice) -> str:
    """The key in base32 (what an authenticator app asks for when typed by hand), in groups of 4."""
    import base64

    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))
