"""Security headers (#14 item 6): a Content-Security-Policy that allows no inline script, a
Permissions-Policy, and Cache-Control: no-store on signed-in pages and exports (evidence downloads:
congvu/inspections/tests/test_views_evidence_headers.py). Static files stay cacheable."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from congvu.web.security import SecurityHeadersMiddleware


def assert_hardened(response):
    csp = response["Content-Security-Policy"]
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'self'"
    assert "unsafe" not in directives["style-src"]
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_signed_in_page_has_the_policy_and_is_not_stored(client, personas):
    client.force_login(personas.focal)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert_hardened(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["registers:dossiers", "registers:tasks", "metrics:records"])
def test_an_excel_export_is_not_stored(client, personas, url):
    client.force_login(personas.focal)
    response = client.get(reverse(url), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_hardened(response)


def test_the_login_page_and_error_pages_carry_the_policy_too(client):
    assert_hardened(client.get(reverse("login")))
    assert_hardened(client.get("/no-such-page/"))


def test_static_files_are_not_touched(client):
    response = client.get("/static/congvu/app.js")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert "no-store" not in response.get("Cache-Control", "")


def test_report_only_mode_sends_the_policy_under_the_report_only_header(settings):
    settings.CSP_REPORT_ONLY = True
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().get("/"))
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_no_template_has_an_inline_script_or_event_handler():
    """What the policy forbids is not in any template: every <script> has a src (or is JSON data) and
    no tag carries an on…= handler."""
    import re
    from pathlib import Path

    import congvu

    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
    templates = list(Path(congvu.__file__).parent.rglob("templates/**/*.html"))
    assert len(templates) > 100  # the search looks where the templates are
    offenders = [
        f"{path.relative_to(Path(congvu.__file__).parent)}: {m.group(0)[:60]}"
        for path in templates
        for pattern in (inline_script, handler)
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
