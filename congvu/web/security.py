"""Security headers on every page, download and export (issue #14 item 6).

- Content-Security-Policy: scripts, styles, images, fonts and requests only from the application's own
  origin; no inline script, no `on…=` handler, no eval, no plugin, no framing, forms posting only back
  to the application. Every script is a vendored static file (STYLE.md §10), so the policy is enforced;
  CONGVU_CSP_REPORT_ONLY=true sends it as Content-Security-Policy-Report-Only instead, to try a change.
  Inline `style="…"` attributes stay allowed (style-src-attr): they cannot run code.
- Permissions-Policy: the browser features the application never uses are switched off.
- Cache-Control: no-store on everything Django renders (pages of a signed-in user, evidence files,
  Excel and Word exports, the API): nothing personal stays in a shared workstation's cache or a proxy.
  Static files never reach this middleware (WhiteNoise answers them first) and stay cacheable.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

HTMX_INDICATOR_STYLE = "sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk="
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # htmx adds one inline <style> for its request indicator: that exact element, by its hash
        # (a new htmx version with other text shows as a violation in test_browser_csp).
        f"style-src 'self' '{HTMX_INDICATOR_STYLE}'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",  # Bootstrap draws its form arrows and check marks as data: SVG
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp_header = (
            "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(self.csp_header, CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        patch_cache_control(response, no_store=True)
        return response
