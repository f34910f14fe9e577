"""Pagination, sort and export links keep the other parameters of the page (issue #12, item 6): they
are built by Django's `{% querystring %}`, and `sort_header` builds its link with the same function."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.paginator import Paginator
from django.db import transaction
from django.template import RequestContext, Template
from django.template.loader import render_to_string

from congvu.core.audit import audit_record

pytestmark = pytest.mark.django_db

SEARCH = "Sở Xây dựng"  # non-ASCII: the links must encode it and the page must read it back


class _Links(HTMLParser):
    """Every <a> of a page: its href and its text."""

    def __init__(self):
        super().__init__()
        self.links: list[list[str]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs).get("href") or "", ""]
            self.links.append(self._open)

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data


def links(html: str) -> dict[str, str]:
    """Link text (stripped) -> href, for the links that only change the query string."""
    parser = _Links()
    parser.feed(html)
    return {text.strip(): href for href, text in parser.links if href.startswith("?")}


def query(href: str) -> dict[str, list[str]]:
    assert href.startswith("?"), href
    return parse_qs(urlsplit(href).query, keep_blank_values=True)


def test_sort_header_keeps_every_other_parameter_and_drops_the_page(rf):
    request = rf.get("/x/", {"q": SEARCH, "unit": ["1", "2"], "sort": "name", "page": "3"})
    template = Template('{% load congvu_tags %}{% sort_header "name" "Tên" %} {% sort_header "unit" "Đơn" %}')
    html = template.render(RequestContext(request, {"sort": "name"}))
    hrefs = links(html)
    assert query(hrefs["Tên ▲"]) == {"q": [SEARCH], "unit": ["1", "2"], "sort": ["-name"]}
    assert query(hrefs["Đơn"]) == {"q": [SEARCH], "unit": ["1", "2"], "sort": ["unit"]}
    assert "&amp;" in html and "Tên ▲" in html  # escaped in the attribute, arrow on the active column

    # The link is exactly what Django's own tag gives for the same change.
    builtin = Template("{% querystring sort='-name' page=None %}").render(RequestContext(request))
    assert f'href="{builtin}"' in html

    desc = template.render(RequestContext(request, {"sort": "-name"}))
    assert query(links(desc)["Tên ▼"])["sort"] == ["name"]


def test_pagination_links_keep_the_other_parameters(rf):
    request = rf.get("/x/", {"q": SEARCH, "unit": ["1", "2"], "sort": "-id", "page": "2"})
    page = Paginator(range(200), 50).get_page(2)
    html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    hrefs = links(html)
    assert {text: query(href)["page"] for text, href in hrefs.items()} == {
        "«": ["1"],
        "‹": ["1"],
        "›": ["3"],
        "»": ["4"],
    }
    for href in hrefs.values():
        assert {k: v for k, v in query(href).items() if k != "page"} == {
            "q": [SEARCH],
            "unit": ["1", "2"],
            "sort": ["-id"],
        }


def test_pagination_without_a_request_query_still_links_pages(rf):
    page = Paginator(range(120), 50).get_page(1)
    html = render_to_string("includes/pagination.html", {"page": page}, request=rf.get("/x/"))
    assert links(html) == {"›": "?page=2", "»": "?page=3"}


def test_audit_list_links_keep_search_filter_and_sort(client, personas):
    with transaction.atomic():
        for i in range(60):
            audit_record(
                actor="test", action="test.querystring", object_type="x", object_id=i, object_repr=SEARCH
            )
    client.force_login(personas.admin)
    params = {"q": SEARCH, "action": "test.querystring", "sort": "-id", "page": "2"}
    response = client.get("/audit/", params)
    html = response.content.decode()
    assert html.count("<code>test.querystring</code>") == 10  # page 2 of 60 rows, 50 a page
    hrefs = links(html)
    filters = {"q": [SEARCH], "action": ["test.querystring"]}
    assert query(hrefs["«"]) == {**filters, "sort": ["-id"], "page": ["1"]}
    assert query(hrefs["‹"]) == {**filters, "sort": ["-id"], "page": ["1"]}
    assert "›" not in hrefs and "»" not in hrefs  # the last page
    assert query(hrefs["# ▼"]) == {**filters, "sort": ["id"]}  # the active column toggles, page dropped
    assert query(hrefs["Người thực hiện"]) == {**filters, "sort": ["actor"]}
    assert query(hrefs["Xuất Excel"]) == {**filters, "sort": ["-id"], "format": ["xlsx"]}

    # Following the link gives the first page of the same search.
    first = client.get("/audit/" + hrefs["«"]).content.decode()
    assert first.count("<code>test.querystring</code>") == 50
    assert query(links(first)["›"]) == {**filters, "sort": ["-id"], "page": ["2"]}


def test_officials_sort_links_keep_the_search(client, personas):
    client.force_login(personas.admin)
    html = client.get("/org/officials/", {"q": "Nguyễn", "page": "1", "sort": "code"}).content.decode()
    hrefs = links(html)
    assert query(hrefs["Mã ▲"]) == {"q": ["Nguyễn"], "sort": ["-code"]}
    assert query(hrefs["Họ và tên"]) == {"q": ["Nguyễn"], "sort": ["name"]}
    assert query(hrefs["Xuất Excel"]) == {"q": ["Nguyễn"], "sort": ["code"], "format": ["xlsx"]}


def test_notices_toggle_keeps_the_other_parameters_and_drops_the_page(client, personas):
    client.force_login(personas.focal)
    all_ = links(client.get("/inspections/notices/", {"page": "2"}).content.decode())
    assert all_["Chỉ chưa đọc"] == "?unread=1"
    unread = links(client.get("/inspections/notices/", {"unread": "1", "page": "2"}).content.decode())
    assert unread["Xem tất cả"] == "?"  # no parameter left: the page itself, not the current URL
    assert query(unread["Xuất Excel"]) == {"unread": ["1"], "format": ["xlsx"]}
