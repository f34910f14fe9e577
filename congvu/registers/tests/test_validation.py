"""The cell converters and the header matching the importer relies on."""

from datetime import date, datetime

import pytest

from congvu.registers.columns import REGISTERS, header_key
from congvu.registers.readers import column_letter
from congvu.registers.validation import Bad, parse_bool, parse_count, parse_date


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("31/01/2025", "2025-01-31"),
        ("1/2/2025", "2025-02-01"),
        ("01-02-2025", "2025-02-01"),
        ("01.02.2025 08:15", "2025-02-01"),
        ("2025-02-01", "2025-02-01"),
        ("2025-02-01T08:15:00", "2025-02-01"),
        ("45688", "2025-01-31"),
        (45688.75, "2025-01-31"),
        (date(2025, 1, 31), "2025-01-31"),
        (datetime(2025, 1, 31, 17, 30), "2025-01-31"),
        ("", None),
        ("  ", None),
    ],
)
def test_dates_in_every_accepted_form(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", ["31/02/2025", "hôm qua", "2025/31/01", "12/2025", "01/01/1899", 12.0, True])
def test_impossible_or_unreadable_dates_are_errors(raw):
    assert isinstance(parse_date(raw), Bad)


def test_booleans_and_counts():
    assert [parse_bool(v) for v in ("x", "X", "có", "Co", "1", True, 1.0, "", "không", "0", False)] == [
        True,
        True,
        True,
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert isinstance(parse_bool("maybe"), Bad)
    assert [parse_count(v) for v in ("", "0", "2", 3.0)] == [0, 0, 2, 3]
    assert isinstance(parse_count("-1"), Bad)


def test_headers_match_without_case_diacritics_or_punctuation():
    aliases = REGISTERS["dossiers"].aliases
    for text in ("Ngày tiếp nhận", "NGAY TIEP NHAN", "ngay_tiep_nhan", "Ngày tiếp nhận (dd/mm/yyyy)*"):
        assert aliases[header_key(text)].key == "received_on"
    assert aliases[header_key("STT")] is None  # known, ignored


@pytest.mark.parametrize("register", ["tasks", "dossiers"])
def test_no_alias_names_two_columns(register):
    seen = {}
    for column in REGISTERS[register].columns:
        for name in (column.header, column.key, *column.aliases):
            key = header_key(name)
            assert seen.setdefault(key, column.key) == column.key, name


def test_column_letters():
    assert [column_letter(i) for i in (0, 5, 25, 26, 27, 701, 702)] == [
        "A",
        "F",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_a_file_shown_to_be_tcvn3_also_converts_cells_too_short_to_decide_alone():
    from congvu.registers.validation import TextCleaner

    clean = TextCleaner()
    assert clean("Tèt") == "Tèt"  # alone: could be either, left as is
    for text in ("Së X©y dùng", "§· tr¶ kÕt qu¶", "CÊp giÊy phÐp"):
        clean(text)
    assert clean("Tèt") == "Tốt"
    assert clean("Sở Nội vụ") == "Sở Nội vụ"  # proven Unicode stays
    unicode_file = TextCleaner()
    assert [unicode_file(t) for t in ("Tây Ninh", "Đã trả kết quả", "Tây Ninh")] == [
        "Tây Ninh",
        "Đã trả kết quả",
        "Tây Ninh",
    ]
