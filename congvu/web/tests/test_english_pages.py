"""English mode: the main pages carry no untranslated Vietnamese. Vietnamese is recognised by its
diacritic letters; words that come from the data (every text value stored in the database: unit
names, titles, seeded catalogues, the checklist template) are not the interface and are left out.
Numbers follow the language too: the verification page in Vietnamese has no English paragraph."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse

from congvu.inspections import services
from congvu.inspections.tests import conftest as insp_conftest
from congvu.inspections.tests.conftest import move

leaders = insp_conftest.leaders
surprise = insp_conftest.surprise
_media_in_tmp = insp_conftest._media_in_tmp

VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]"
)
WORD = re.compile(r"\w+")
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-confirm", "value"}


@pytest.fixture(autouse=True)
def _vietnamese_after(settings):
    """The locale middleware activates English for the test thread: give later tests Vietnamese back."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


class _Text(HTMLParser):
    """The text a reader sees: text nodes outside script and style, and the attributes shown."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value and not (tag == "input" and name == "value"):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _data_words() -> set[str]:
    """Every word of every text value in the database (lower case), and of the days the `holidays`
    package names (the calendar shows them as its data, the decree's names)."""
    from congvu.workdays.defaults import default_days

    words: set[str] = set()
    for day in default_days(date(2020, 1, 1), date(2030, 12, 31)).values():
        words.update(w.lower() for w in WORD.findall(day.name))
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        if not names:
            continue
        for row in model._base_manager.values_list(*names):
            for value in row:
                if value:
                    words.update(w.lower() for w in WORD.findall(str(value)))
    return words


def _untranslated(html: str, data: set[str]) -> list[str]:
    parser = _Text()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for word in WORD.findall(part):
            if VIETNAMESE.search(word) and word.lower() not in data:
                found.append(f"{word} ← “{part.strip()[:90]}”")
    return found


@pytest.fixture
def province(personas, leaders, surprise):
    """An inspection on site with checklists, a finding and a recommendation, so the pages show
    their tables and forms, not only their empty states."""
    import importlib

    importlib.import_module("congvu.inspections.migrations.0002_seed_checklist_template").seed(apps, None)
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    services.finding_record(
        actor=personas.inspector,
        inspection=surprise,
        description="Chậm giải quyết hồ sơ cấp phép xây dựng",
        category="shortcoming",
        severity="medium",
        responsible=leaders["deputy"],
    )
    services.document_request_create(
        actor=personas.inspector,
        inspection=surprise,
        title="Sổ theo dõi văn bản đến",
        due_on=date(2030, 1, 31),
    )
    return surprise


def _pages(inspection, unit_code) -> list[str]:
    named = [
        "home",
        "org:tree",
        "org:officials",
        "org:fields",
        "workdays:calendar",
        "registers:tasks",
        "registers:dossiers",
        "registers:imports",
        "registers:procedures",
        "metrics:overview",
        "metrics:tthc",
        "inspections:list",
        "inspections:notices",
        "sampling:list",
        "sampling:how_to_verify",
        "documents:home",
        "evaluation:home",
        "proposals:list",
        "planning:home",
        "audit:list",
    ]
    urls = []
    for name in named:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    urls.append(reverse("metrics:unit", args=[unit_code]))
    detail = reverse("inspections:detail", args=[inspection.pk])
    for tab in ("overview", "team", "checklist", "documents", "findings", "remediation"):
        urls.append(f"{detail}?tab={tab}")
    return urls


def test_main_pages_in_english_have_no_untranslated_vietnamese(client, personas, province):
    client.force_login(personas.lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = _data_words()
    problems = {}
    for url in _pages(province, personas.unit.code):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "en"
        found = _untranslated(response.content.decode(), data)
        if found:
            problems[url] = sorted(set(found))[:8]
    assert not problems, "\n".join(f"{url}: {words}" for url, words in problems.items())


def test_the_check_finds_an_untranslated_label():
    # the detector itself: a label outside the data is caught, a data value is not
    html = "<p>Phát hiện</p><td>Sở Xây dựng</td>"
    assert _untranslated(html, {"sở", "xây", "dựng"}) == ["Phát ← “Phát hiện”", "hiện ← “Phát hiện”"]


def test_vietnamese_verification_page_has_no_english_paragraph(client, personas):
    client.force_login(personas.lead)
    vietnamese = client.get(reverse("sampling:how_to_verify")).content.decode()
    assert 'data-testid="english"' not in vietnamese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("sampling:how_to_verify")).content.decode()
    assert 'data-testid="english"' in english


@pytest.mark.parametrize(
    ("language", "rate", "count", "days", "points", "limit"),
    [("vi", "81,5%", "4.000", "2,5", "94,33", "3,5%"), ("en", "81.5%", "4,000", "2.5", "94.33", "3.5%")],
)
def test_numbers_follow_the_language(language, rate, count, days, points, limit):
    from django.utils import translation

    from congvu.evaluation.templatetags.evaluation_tags import exact
    from congvu.metrics.formatting import format_value
    from congvu.sampling.stats import format_limit
    from congvu.web.templatetags.congvu_tags import num, percent

    with translation.override(language):
        assert format_value(0.815, "rate") == rate == percent(0.815)
        assert format_value(4000, "count") == count == num(4000)
        assert format_value(2.5, "days") == days == num(2.5)
        assert exact("283/3") == points
        assert format_limit(0.0341) == limit
