import pytest

from congvu.sampling import draw

SEED = "0123456789abcdef" * 4


def test_new_seed_is_64_hex_characters_and_differs_each_time():
    a, b = draw.new_seed(), draw.new_seed()
    assert draw.is_valid_seed(a) and draw.is_valid_seed(b)
    assert a != b


def test_commitment_is_what_sha256sum_prints_for_the_seed_text():
    # `printf '%s' "$SEED" | sha256sum`, run once with coreutils.
    assert draw.seed_commitment(SEED) == "a8ae6e6ee929abea3afcfc5258c8ccd6f85273e0d4626d26c7279f3250f77c8e"


def test_rank_value_is_what_openssl_prints():
    # `printf '%s' "$CODE" | openssl dgst -sha256 -hmac "$SEED"`, run once with OpenSSL 3.0.
    assert draw.rank_value(SEED, "HS-2025-000123") == (
        "5fb82e9db96421ef2e2fb41f65489821fe8d28f6f6259dbe4c510fbf6558d979"
    )
    assert (
        draw.rank_value(SEED, "Đất-01") == "ffd89e1427677897db8290c35aa29d9c134ee07d2c0de57a3d835197eda7fe4e"
    )


def test_rank_value_is_hmac_sha256_rfc_4231_case_2():
    assert draw.rank_value("Jefe", "what do ya want for nothing?") == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )


def _records():
    return [
        draw.PopulationRecord("HT", "b-2"),
        draw.PopulationRecord("DD", "z-1"),
        draw.PopulationRecord("HT", "B-1"),
        draw.PopulationRecord("DD", "Đ-9"),
        draw.PopulationRecord("-", "x"),
    ]


def test_population_text_is_sorted_by_field_then_code_in_code_point_order():
    text = draw.population_text(draw.canonical_records(_records()))
    assert text == "-\tx\nDD\tz-1\nDD\tĐ-9\nHT\tB-1\nHT\tb-2\n"
    assert draw.parse_population_text(text) == [
        ("-", "x"),
        ("DD", "z-1"),
        ("DD", "Đ-9"),
        ("HT", "B-1"),
        ("HT", "b-2"),
    ]


def test_population_hash_changes_when_one_record_changes():
    records = draw.canonical_records(_records())
    before = draw.population_sha256(draw.population_text(records))
    records[1] = draw.PopulationRecord("DD", "z-2")
    assert draw.population_sha256(draw.population_text(records)) != before


def test_parse_refuses_an_unsorted_or_malformed_population():
    with pytest.raises(draw.PopulationError):
        draw.parse_population_text("HT\tb\nDD\ta\n")
    with pytest.raises(draw.PopulationError):
        draw.parse_population_text("HT b\n")
    with pytest.raises(draw.PopulationError):
        draw.parse_population_text("HT\tb")


@pytest.mark.parametrize("code", ["", "a\tb", "a\nb"])
def test_codes_that_cannot_be_written_canonically_are_refused(code):
    with pytest.raises(draw.PopulationError):
        draw.canonical_records([draw.PopulationRecord("HT", code)])


def test_duplicate_codes_are_refused():
    with pytest.raises(draw.PopulationError):
        draw.canonical_records([draw.PopulationRecord("HT", "a"), draw.PopulationRecord("DD", "a")])


def test_record_code_names_the_source_only_when_codes_repeat():
    assert draw.record_code(" HS-1 ", "dvc", duplicated=False) == "HS-1"
    assert draw.record_code("HS-1", "dvc", duplicated=True) == "HS-1@dvc"


def test_selection_takes_the_lowest_rank_values_per_field():
    population = {"DD": [f"DD-{i}" for i in range(30)], "HT": [f"HT-{i}" for i in range(10)]}
    chosen = draw.select(SEED, population, {"DD": 5, "HT": 3})
    for field, ranked in chosen.items():
        expected = sorted(population[field], key=lambda code: draw.rank_value(SEED, code))
        assert [r.code for r in ranked] == expected[: len(ranked)]
        assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert len(chosen["DD"]) == 5 and len(chosen["HT"]) == 3


def test_a_larger_sample_keeps_the_smaller_one_as_its_start():
    codes = [f"HS-{i:04d}" for i in range(200)]
    small = draw.select(SEED, {"DD": codes}, {"DD": 10})["DD"]
    large = draw.select(SEED, {"DD": codes}, {"DD": 25})["DD"]
    assert large[:10] == small


def test_another_seed_draws_another_sample():
    codes = [f"HS-{i:04d}" for i in range(200)]
    a = draw.select(SEED, {"DD": codes}, {"DD": 10})["DD"]
    b = draw.select("f" * 64, {"DD": codes}, {"DD": 10})["DD"]
    assert [r.code for r in a] != [r.code for r in b]
