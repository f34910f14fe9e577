"""In Debian's chromium, under the enforced Content-Security-Policy (#14 item 6): the pages load and
work — htmx search, the scorecard's chart, the language switch — and the browser reports no violation."""

import re

import pytest

from congvu.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_work_under_the_policy_without_a_single_violation(live_server, page, personas):
    problems = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.fill("#id_username", "p-focal")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=todo]")

    # htmx: the officials' search replaces the table as one types.
    page.goto(f"{live_server.url}/org/officials/")
    with page.expect_response(lambda r: "/org/officials/?q=" in r.url):
        page.fill("input[name=q]", "zzz-nobody")
    # Waited for from Python: wait_for_function's string predicate runs through the page's eval,
    # which this very policy forbids once the first poll fails (CI saw it, stop 18).
    page.wait_for_url(re.compile(r"[?&]q=zzz-nobody"))

    # Chart.js draws the scorecard's chart from a static script.
    page.goto(f"{live_server.url}/metrics/units/{personas.unit.code}/")
    page.wait_for_load_state("networkidle")

    for path in ("/registers/dossiers/", "/registers/imports/", "/accounts/password/"):
        assert page.goto(f"{live_server.url}{path}").status == 200

    # The API's Swagger UI (vendored by django-ninja) renders its operations.
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)

    # The language switch submits itself from a static script (no inline onchange).
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"

    assert problems == [], "\n".join(problems)
