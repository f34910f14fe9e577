"""Planning conditions computed by hand at their boundaries (cadre-planning.md §2–§5)."""

from datetime import date

import pytest

from congvu.planning.rules import (
    FAILED,
    HELD,
    OUT_AT_REVIEW,
    OUT_NOW,
    UNKNOWN,
    Candidate,
    DisciplineFact,
    PlanningRuleError,
    PlanningSettings,
    Post,
    Title,
    add_months,
    check_planning,
    months_left,
    retirement_age_months,
    retirement_date,
)

DEFAULTS = PlanningSettings()


@pytest.mark.parametrize(
    ("birth", "sex", "months"),
    [
        # NĐ 135 Appendix I: a man born 01/1961 retires at 60y3m (04/2021); born 10/1961 he would reach
        # 60y3m only in 01/2022, when the age is already 60y6m → 60y6m (04/2022).
        (date(1961, 1, 15), "nam", 60 * 12 + 3),
        (date(1961, 10, 15), "nam", 60 * 12 + 6),
        # Men reach 62 from 2028 on: born 1966 → 62.
        (date(1966, 5, 1), "nam", 62 * 12),
        # A man born 1955 retired in 2015, at 60.
        (date(1955, 6, 1), "nam", 60 * 12),
        # Women: born 01/1966 → 55y4m in 2021 (05/2021).
        (date(1966, 1, 10), "nu", 55 * 12 + 4),
        # Born 01/1970: 2026 age 57y0m → 01/2027 (too late for 2026); 2027 age 57y4m → 05/2027 ✓.
        (date(1970, 1, 10), "nu", 57 * 12 + 4),
        # Women reach 60 from 2035 on: born 1976 → 60.
        (date(1976, 3, 1), "nu", 60 * 12),
    ],
)
def test_retirement_age_follows_the_yearly_steps(birth, sex, months):
    assert retirement_age_months(birth_date=birth, sex=sex) == months


def test_woman_entitled_to_retire_at_60():
    assert retirement_age_months(birth_date=date(1970, 1, 10), sex="nu", woman_retires_at_60=True) == 720
    assert retirement_date(birth_date=date(1970, 1, 10), sex="nu", woman_retires_at_60=True) == date(
        2030, 1, 10
    )


def test_add_months_clips_to_the_end_of_the_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(1964, 2, 29), 62 * 12) == date(2026, 2, 28)


def test_man_born_in_the_cut_month_has_exactly_one_term_left():
    # cadre-planning.md §2: a man planned as đối tượng 1 for 2031–2036 (reference 03/2031, retires at 62)
    # must be born in 03/1974 or later: 744 − (57 × 12 + 0) = 60 months; born 02/1974: 59.
    assert months_left(birth_date=date(1974, 3, 31), sex="nam", on=date(2031, 3, 1)) == 60
    assert months_left(birth_date=date(1974, 2, 28), sex="nam", on=date(2031, 3, 1)) == 59
    # As đối tượng 2 (120 months): born 03/1979 → 744 − 624 = 120.
    assert months_left(birth_date=date(1979, 3, 1), sex="nam", on=date(2031, 3, 1)) == 120


def candidate(**kwargs):
    base = {
        "official_id": 1,
        "birth_date": date(1974, 3, 1),
        "sex": "nam",
        "woman_retires_at_60": False,
        "posts": (Post(unit_id=10, unit_kind="department", role="deputy"),),
        "classifications": {2023: "tot", 2024: "xuat_sac", 2025: "tot"},
        "discipline": (),
        "titles_in_planning": 1,
    }
    return Candidate(**{**base, **kwargs})


HEAD_2031 = Title(unit_id=10, unit_kind="department", role="head", term="2031-2036", planned_count=2)


def flag(check, code):
    return next(f for f in check.flags if f.code == code)


def test_deputy_planned_head_next_term_holds_every_condition():
    check = check_planning(candidate(), HEAD_2031, on=date(2026, 3, 15), settings=DEFAULTS)
    assert check.object_level == 1
    assert check.reference_date == date(2031, 3, 1)
    assert check.months_left == 60
    assert check.status == HELD
    assert not check.out_now


def test_one_month_too_old_fails_age_at_the_next_review():
    check = check_planning(
        candidate(birth_date=date(1974, 2, 1)), HEAD_2031, on=date(2026, 3, 15), settings=DEFAULTS
    )
    age = flag(check, "age")
    assert (age.status, age.takes_out) == (FAILED, OUT_AT_REVIEW)
    assert "59 tháng" in age.text


def test_staff_planned_head_is_object_2_and_needs_two_terms():
    staff = (Post(unit_id=10, unit_kind="department", role="other"),)
    ok = check_planning(
        candidate(posts=staff, birth_date=date(1979, 3, 1)), HEAD_2031, on=date(2026, 3, 1), settings=DEFAULTS
    )
    assert ok.object_level == 2
    assert flag(ok, "age").status == HELD  # 120 months
    short = check_planning(
        candidate(posts=staff, birth_date=date(1979, 2, 1)), HEAD_2031, on=date(2026, 3, 1), settings=DEFAULTS
    )
    assert flag(short, "age").status == FAILED  # 119 months


def test_current_term_age_is_checked_at_the_review_date():
    title = Title(unit_id=10, unit_kind="department", role="head", term="2026-2031", planned_count=1)
    check = check_planning(candidate(), title, on=date(2027, 2, 1), settings=DEFAULTS)
    assert check.reference_date == date(2027, 2, 1)
    # 744 − (52 × 12 + 11) = 744 − 635 = 109
    assert check.months_left == 109


def test_a_year_below_good_in_the_last_three_fails_classification():
    check = check_planning(
        candidate(classifications={2023: "tot", 2024: "hoan_thanh", 2025: "tot"}),
        HEAD_2031,
        on=date(2026, 3, 1),
        settings=DEFAULTS,
    )
    assert flag(check, "classification").status == FAILED
    assert "2024: HTNV" in flag(check, "classification").text


def test_a_missing_year_is_unknown_not_failed():
    check = check_planning(
        candidate(classifications={2024: "tot", 2025: "tot"}),
        HEAD_2031,
        on=date(2026, 3, 1),
        settings=DEFAULTS,
    )
    assert flag(check, "classification").status == UNKNOWN
    assert check.status == UNKNOWN


def test_years_and_threshold_are_settings():
    settings = PlanningSettings.from_mapping(
        {"classification_years": 2, "classification_threshold": "hoan_thanh"}
    )
    check = check_planning(
        candidate(classifications={2023: "khong_hoan_thanh", 2024: "hoan_thanh", 2025: "tot"}),
        HEAD_2031,
        on=date(2026, 3, 1),
        settings=settings,
    )
    assert flag(check, "classification").status == HELD  # only 2024 and 2025 are read


def test_discipline_within_twelve_months_takes_out_now_and_expires_after():
    # Reprimand effective 15/03/2025: in force until 15/03/2026 (12 months).
    fact = (DisciplineFact("khien_trach", date(2025, 3, 15), "12/QĐ-UBND"),)
    inside = check_planning(candidate(discipline=fact), HEAD_2031, on=date(2026, 3, 14), settings=DEFAULTS)
    assert (flag(inside, "discipline").status, flag(inside, "discipline").takes_out) == (FAILED, OUT_NOW)
    assert inside.out_now
    assert "Khiển trách (12/QĐ-UBND, hiệu lực 15/03/2025)" in flag(inside, "discipline").text
    expired = check_planning(candidate(discipline=fact), HEAD_2031, on=date(2026, 3, 15), settings=DEFAULTS)
    assert flag(expired, "discipline").status == HELD


def test_reminder_is_not_discipline_and_dismissal_from_post_lasts_five_years():
    reminder = (DisciplineFact("nhac_nho", date(2026, 1, 5)),)
    assert (
        flag(
            check_planning(candidate(discipline=reminder), HEAD_2031, on=date(2026, 3, 1), settings=DEFAULTS),
            "discipline",
        ).status
        == HELD
    )
    dismissal = (DisciplineFact("cach_chuc", date(2022, 3, 1)),)
    check = check_planning(candidate(discipline=dismissal), HEAD_2031, on=date(2026, 3, 1), settings=DEFAULTS)
    assert flag(check, "discipline").status == FAILED  # 48 months < 60


def test_already_holding_the_title_or_an_equivalent_fails():
    head_here = (Post(unit_id=10, unit_kind="department", role="head"),)
    check = check_planning(candidate(posts=head_here), HEAD_2031, on=date(2026, 3, 1), settings=DEFAULTS)
    assert flag(check, "higher_title").status == FAILED
    assert check.object_level is None
    head_elsewhere = (Post(unit_id=11, unit_kind="department", role="head"),)
    check = check_planning(candidate(posts=head_elsewhere), HEAD_2031, on=date(2026, 3, 1), settings=DEFAULTS)
    assert "tương đương" in flag(check, "higher_title").text


def test_at_most_three_people_per_post_and_three_titles_per_person():
    three = Title(unit_id=10, unit_kind="department", role="head", term="2031-2036", planned_count=3)
    four = Title(unit_id=10, unit_kind="department", role="head", term="2031-2036", planned_count=4)
    assert (
        flag(check_planning(candidate(), three, on=date(2026, 3, 1), settings=DEFAULTS), "title_count").status
        == HELD
    )
    assert (
        flag(check_planning(candidate(), four, on=date(2026, 3, 1), settings=DEFAULTS), "title_count").status
        == FAILED
    )
    # Three deputy posts allow nine.
    deputies = Title(
        unit_id=10, unit_kind="department", role="deputy", term="2031-2036", planned_count=9, posts=3
    )
    staff = (Post(unit_id=10, unit_kind="department", role="other"),)
    check = check_planning(candidate(posts=staff), deputies, on=date(2026, 3, 1), settings=DEFAULTS)
    assert flag(check, "title_count").status == HELD
    check = check_planning(candidate(titles_in_planning=4), HEAD_2031, on=date(2026, 3, 1), settings=DEFAULTS)
    assert flag(check, "person_titles").status == FAILED


def test_unknown_birth_date_leaves_age_undecided():
    check = check_planning(candidate(birth_date=None), HEAD_2031, on=date(2026, 3, 1), settings=DEFAULTS)
    assert flag(check, "age").status == UNKNOWN


def test_bad_settings_fail_loudly_naming_the_key():
    with pytest.raises(PlanningRuleError) as err:
        PlanningSettings.from_mapping({"classification_threshold": "gioi"})
    assert err.value.field == "classification_threshold"
    with pytest.raises(PlanningRuleError):
        PlanningSettings.from_mapping({"max_people": 3})


def test_past_retirement_at_the_reference_date_says_so():
    # A man born 10/1968 retires at 62 in 10/2030, before the reference month 03/2031:
    # 744 − (62 × 12 + 5) = −5 months.
    check = check_planning(
        candidate(birth_date=date(1968, 10, 9)), HEAD_2031, on=date(2026, 3, 1), settings=DEFAULTS
    )
    age = flag(check, "age")
    assert check.months_left == -5
    assert age.status == FAILED
    assert "đã quá tuổi nghỉ hưu (nghỉ hưu 10/2030)" in age.text
