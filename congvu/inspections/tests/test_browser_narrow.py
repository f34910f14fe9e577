"""In Debian's chromium on a 390 × 844 phone: the checklist, findings and ranking pages never scroll
sideways (wide tables scroll inside themselves), the checklist is a stack of cards with full-width
controls; at 1366 px the top menu stays on one line. Also: the language selector works through the
static script (the Content-Security-Policy blocks inline handlers)."""

from datetime import date

import pytest

from congvu.conftest import browser_login
from congvu.inspections import services
from congvu.inspections.tests.conftest import move

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# What sticks out (for the failure message): elements past the right edge, not inside a scroller.
WIDE = """() => Array.from(document.querySelectorAll('body *')).filter(e => {
  if (e.getBoundingClientRect().right <= window.innerWidth + 1) return false;
  for (let p = e.parentElement; p; p = p.parentElement) {
    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return false;
  }
  return true;
}).slice(0, 6)
  .map(e => e.tagName + '.' + e.className + ' → ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture
def checklist_template(transactional_db):
    """The seeded checklist template, seeded again (see test_browser.py for why)."""
    import importlib

    from django.apps import apps

    importlib.import_module("congvu.inspections.migrations.0002_seed_checklist_template").seed(apps, None)


@pytest.fixture
def on_site(personas, checklist_template):
    from congvu.org.models import Appointment, Official

    head = Official.objects.create(code="O-HEAD", full_name="Nguyễn Văn Giám Đốc")
    Appointment.objects.create(
        official=head, unit=personas.unit, role="head", title="Giám đốc", start=date(2020, 1, 1)
    )
    insp = services.inspection_create(
        actor=personas.lead,
        kind="surprise",
        unit=personas.unit,
        period_from=date(2025, 1, 1),
        period_to=date(2025, 6, 30),
        decision_number="16/QĐ-SNV",
        decision_date=date(2025, 7, 2),
    )
    services.team_member_add(actor=personas.lead, inspection=insp, user=personas.lead, role="head")
    services.team_member_add(actor=personas.lead, inspection=insp, user=personas.inspector, role="member")
    move(personas.lead, insp, "decided")
    move(personas.inspector, insp, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=insp)
    for n in range(3):
        services.finding_record(
            actor=personas.inspector,
            inspection=insp,
            description="Chậm giải quyết hồ sơ cấp phép xây dựng, không có phiếu xin lỗi và hẹn lại "
            * (n + 1),
            category="shortcoming",
            severity="medium",
            responsible=head,
        )
    return insp


def test_phone_pages_do_not_scroll_sideways(live_server, page, personas, on_site):
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, "p-inspector")
    for path in (
        f"/inspections/{on_site.pk}/?tab=checklist",
        f"/inspections/{on_site.pk}/?tab=findings",
        "/metrics/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state()
        assert page.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at 390 px: {page.evaluate(WIDE)}"


def test_phone_checklist_items_are_cards_with_full_width_controls(live_server, page, personas, on_site):
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, "p-inspector")
    page.goto(f"{live_server.url}/inspections/{on_site.pk}/?tab=checklist")
    item = on_site.checklists.get(subject="unit").items.order_by("order").first()
    row = page.locator(f"[data-testid=item-{item.pk}]")
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    card = row.bounding_box()
    select = page.locator(f"[data-testid=result-{item.pk}]").bounding_box()
    notes = page.locator(f"[data-testid=notes-{item.pk}]").bounding_box()
    # the controls take the card's width (less its padding), not a 14 % column
    assert select["width"] >= card["width"] - 40
    assert notes["width"] >= card["width"] - 40


def test_phone_findings_table_keeps_its_first_column_in_view(live_server, page, personas, on_site):
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, "p-inspector")
    page.goto(f"{live_server.url}/inspections/{on_site.pk}/?tab=findings")
    table = page.locator("[data-testid=findings]")
    assert table.evaluate("el => el.scrollWidth > el.clientWidth")  # the rest scrolls inside the table
    first = page.locator("[data-testid=finding-number]").first
    assert first.evaluate("el => getComputedStyle(el).position") == "sticky"
    table.evaluate("el => { el.scrollLeft = 400; }")
    box, frame = first.bounding_box(), table.bounding_box()
    assert box["x"] >= frame["x"] - 1  # still in view after scrolling


def test_top_menu_is_one_line_at_1366(live_server, page, personas):
    page.set_viewport_size({"width": 1366, "height": 768})
    browser_login(page, live_server, "p-lead")  # the lead sees every entry, the audit log included
    tops = page.eval_on_selector_all(
        "nav.navbar .navbar-nav > .nav-item",
        "els => els.map(e => Math.round(e.getBoundingClientRect().top))",
    )
    assert len(tops) >= 6 and len(set(tops)) == 1, tops
    assert page.evaluate(OVERFLOW) <= 0


def test_language_selector_switches_through_the_static_script(live_server, page, personas):
    browser_login(page, live_server, "p-lead")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.evaluate("document.documentElement.lang") == "en"
