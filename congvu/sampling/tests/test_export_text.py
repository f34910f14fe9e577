"""The sampling workbooks write text as text (issue #14, item 3): a record code, a field name or a
reviewer's note reading "http://…", "mailto:…" or "external:C:\\…\\calc.exe" is not a live link."""

from types import SimpleNamespace as Fake

from congvu.core.testing import LINK_LIKE_TEXTS, xlsx_links, xlsx_rows, xlsx_text
from congvu.sampling.exports import results_workbook, worksheet_workbook

SAMPLE = Fake(pk=7, population_size=40, tolerable_rate=0.05)


def _stratum(text):
    return Fake(field_code=text, field_name=text, population_size=10, sample_size=2, reviewed=2, deviations=0)


def _assert_text_only(response):
    assert xlsx_links(response) == []
    text = xlsx_text(xlsx_rows(response))
    assert all(value in text for value in LINK_LIKE_TEXTS)


def test_the_review_worksheet_writes_links_as_text():
    items = [
        Fake(stratum=_stratum(text), rank=i, record_code=text, record=None, review=None)
        for i, text in enumerate(LINK_LIKE_TEXTS, start=1)
    ]
    _assert_text_only(worksheet_workbook(SAMPLE, items))


def test_the_results_workbook_writes_links_as_text():
    evaluation = Fake(deviation_rate=0.0, upper_deviation_limit=0.03)
    fields = [Fake(stratum=_stratum(text), evaluation=evaluation, sentence=text) for text in LINK_LIKE_TEXTS]
    combined = Fake(reviewed=8, deviations=0, deviation_rate=0.0, upper_deviation_limit=0.02)
    results = Fake(fields=fields, combined=combined, sample_size=8, combined_sentence=LINK_LIKE_TEXTS[0])
    _assert_text_only(results_workbook(SAMPLE, results))
