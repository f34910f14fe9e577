"""Biểu 06a/06b and the 766 progress score on hand-counted dossiers, for each convention setting.

Period Q1/2025 (F = 01/01, T = 31/03). The dossiers, with what each one is under the default
(Thanh Hóa) conventions and for 766:

    A  carried over (received 20/12/2024), result 08/01 before due 10/01: solved early      766 ✓
    B  received and solved in December 2024: not in the report
    C  online 05/01, due 20/01, result 20/01: solved on time                                766 ✓
    D  06/01, due 20/01, result 25/01: solved late                                          766 ✗
    E  01/02, due 10/04, open: in progress in time                                          766 ✓
    F  02/02, due 01/03, open: in progress overdue                                          766 ✗
    G  03/02, due 20/02, withdrawn 10/02: solved on time (default)                          766 ✓
    H  04/02, due 15/02, waiting for a supplement since 10/02: in progress in time          766 ✓
    I  05/02, due 25/02, stopped 01/03: in progress in time                                 766 ✗
    J  01/03, due 10/03, rejected 05/03: solved early                                       766 ✓
    K  received 02/04, after the period: not in the report
    L  land, 10/01, no due date, result 15/01: solved on time                               766 ✓
    M  10/02, due 20/02, result 05/04 (after the period): in progress overdue               766 ✗
"""

from datetime import date

import pytest

from congvu.metrics.tthc import KEYS, Conventions, tthc_report
from congvu.registers.models import Dossier

pytestmark = pytest.mark.django_db

F, T = date(2025, 1, 1), date(2025, 3, 31)


def d(day: str) -> date:
    dd, mm, yy = day.split("/")
    return date(int(yy), int(mm), int(dd))


@pytest.fixture
def world(personas):
    from congvu.org.models import Field

    construction = Field.objects.get(code="xay-dung")
    land = Field.objects.get(code="dat-dai")
    specs = {
        "A": {"received_on": d("20/12/2024"), "due_on": d("10/01/2025"), "completed_on": d("08/01/2025")},
        "B": {"received_on": d("01/12/2024"), "due_on": d("20/12/2024"), "completed_on": d("15/12/2024")},
        "C": {
            "received_on": d("05/01/2025"),
            "due_on": d("20/01/2025"),
            "completed_on": d("20/01/2025"),
            "channel": "online",
        },
        "D": {
            "received_on": d("06/01/2025"),
            "due_on": d("20/01/2025"),
            "completed_on": d("25/01/2025"),
            "channel": "direct",
        },
        "E": {"received_on": d("01/02/2025"), "due_on": d("10/04/2025")},
        "F": {"received_on": d("02/02/2025"), "due_on": d("01/03/2025")},
        "G": {
            "received_on": d("03/02/2025"),
            "due_on": d("20/02/2025"),
            "ending": "withdrawn",
            "ended_on": d("10/02/2025"),
        },
        "H": {"received_on": d("04/02/2025"), "due_on": d("15/02/2025"), "waiting_since": d("10/02/2025")},
        "I": {
            "received_on": d("05/02/2025"),
            "due_on": d("25/02/2025"),
            "ending": "stopped",
            "ended_on": d("01/03/2025"),
        },
        "J": {
            "received_on": d("01/03/2025"),
            "due_on": d("10/03/2025"),
            "ending": "rejected",
            "ended_on": d("05/03/2025"),
        },
        "K": {"received_on": d("02/04/2025"), "due_on": d("20/04/2025")},
        "L": {"received_on": d("10/01/2025"), "completed_on": d("15/01/2025"), "field": land},
        "M": {"received_on": d("10/02/2025"), "due_on": d("20/02/2025"), "completed_on": d("05/04/2025")},
    }
    for code, spec in specs.items():
        spec.setdefault("field", construction)
        Dossier.objects.create(
            source="test", external_code=code, unit=personas.unit, procedure="Thủ tục", **spec
        )
    return personas


def figures(row) -> dict:
    return {k: row[k] for k in KEYS}


def report(**kw):
    return tthc_report(records=Dossier.objects.all(), date_from=F, date_to=T, **kw)


def test_default_thanh_hoa_conventions_match_the_hand_count(world):
    total = report()["total"]

    assert figures(total) == {
        "received": 11,
        "received_online": 1,
        "received_direct": 9,
        "carried_over": 1,
        "solved": 6,  # A C D J L + the withdrawn G
        "solved_early": 2,  # A J
        "solved_on_time": 3,  # C L G
        "solved_late": 1,  # D
        "in_progress": 5,  # E F H I M
        "in_progress_in_time": 3,  # E, and the suspended H I
        "in_progress_overdue": 2,  # F M
    }
    assert total["received"] == total["solved"] + total["in_progress"]


def test_766_score_counts_every_end_at_its_date(world):
    total = report()["total"]

    assert (total["score_766_numerator"], total["score_766_denominator"]) == (7, 11)  # A C E G H J L
    assert total["score_766"] == 12.73


def test_766_rules_do_not_follow_the_report_conventions(world):
    other = Conventions(withdrawn="apart", suspended="apart", early="none")
    assert report(conventions=other)["total"]["score_766_numerator"] == 7


def test_withdrawn_apart_leaves_them_out_of_solved(world):
    total = report(conventions=Conventions(withdrawn="apart"))["total"]

    assert (total["solved"], total["solved_on_time"], total["withdrawn_apart"]) == (5, 2, 1)
    assert total["in_progress"] == 5


def test_suspended_by_due_date_judges_them_like_the_others(world):
    total = report(conventions=Conventions(suspended="by_due"))["total"]

    assert (total["in_progress"], total["in_progress_in_time"], total["in_progress_overdue"]) == (5, 1, 4)


def test_suspended_apart_leaves_them_out_of_in_progress(world):
    total = report(conventions=Conventions(suspended="apart"))["total"]

    assert (total["in_progress"], total["in_progress_in_time"], total["in_progress_overdue"]) == (3, 1, 2)
    assert total["suspended_apart"] == 2


def test_no_early_column_puts_early_results_on_time(world):
    total = report(conventions=Conventions(early="none"))["total"]

    assert (total["solved_early"], total["solved_on_time"], total["solved_late"]) == (0, 5, 1)


def test_per_field_rows_add_up_to_the_total(world):
    result = report(by="field")

    rows = {r["code"]: figures(r) for r in result["rows"]}
    assert rows["dat-dai"] == {
        **dict.fromkeys(KEYS, 0),
        "received": 1,
        "received_direct": 1,
        "solved": 1,
        "solved_on_time": 1,
    }
    assert rows["xay-dung"]["received"] == 10
    for key in KEYS:
        assert sum(r[key] for r in rows.values()) == result["total"][key]


def test_a_result_after_the_report_date_is_not_known_yet(world):
    total = report(as_of=date(2025, 1, 22))["total"]

    # In the report by 22/01: A C D L. D's result (25/01) is not known: overdue since its due 20/01.
    assert figures(total) | {} == {
        **dict.fromkeys(KEYS, 0),
        "received": 4,
        "received_online": 1,
        "received_direct": 2,
        "carried_over": 1,
        "solved": 3,
        "solved_early": 1,
        "solved_on_time": 2,
        "in_progress": 1,
        "in_progress_overdue": 1,
    }


def test_a_supplied_supplement_no_longer_suspends(world):
    Dossier.objects.filter(external_code="H").update(waiting_until=d("20/02/2025"))

    total = report()["total"]

    # H is again an ordinary open dossier, due 15/02: overdue; for 766 its end is the period's end.
    assert (total["in_progress_in_time"], total["in_progress_overdue"]) == (2, 3)
    assert total["score_766_numerator"] == 6


def test_unknown_convention_is_refused():
    with pytest.raises(ValueError):
        Conventions(withdrawn="sometimes")


# --- congvu report tthc ------------------------------------------------------------------------


def run(*args):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("report", "tthc", *args, stdout=out)
    return out.getvalue()


def test_cli_json_has_exactly_the_contract_keys(world):
    import json

    out = json.loads(
        run(
            "--unit",
            "T-SXD",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--by",
            "field",
            "--format",
            "json",
        )
    )

    assert set(out["total"]) == set(KEYS)
    assert out["total"]["received"] == 11 and out["total"]["solved_late"] == 1
    assert (out["score_766"], out["score_766_numerator"], out["score_766_denominator"]) == (12.73, 7, 11)
    assert {f["field"]: set(f) - {"field", "field_name"} for f in out["fields"]} == {
        "dat-dai": set(KEYS),
        "xay-dung": set(KEYS),
    }
    assert out["conventions"] == {
        "withdrawn": "on_time",
        "suspended": "in_time",
        "early": "before_due",
        "supplements": "pending",
    }


def test_cli_conventions_and_as_of(world):
    import json

    out = json.loads(
        run("--unit", "so xay dung", "--from", "2025-01-01", "--to", "2025-03-31", "--as-of", "2025-01-22",
            "--early", "none", "--format", "json")
    )  # fmt: skip
    assert (out["total"]["received"], out["total"]["solved_early"], out["total"]["solved_on_time"]) == (
        4,
        0,
        3,
    )
    assert out["as_of"] == "2025-01-22"


def test_cli_table_shows_the_score_and_the_conventions(world):
    out = run("--unit", "T-SXD", "--from", "2025-01-01", "--to", "2025-03-31")

    assert "12,73 / 20 = 20 × 7 / 11" in out
    assert "hồ sơ công dân rút tính là đã giải quyết đúng hạn" in out


def test_cli_another_units_records_are_not_counted(world):
    import json

    out = json.loads(run("--unit", "T-STP", "--from", "2025-01-01", "--to", "2025-03-31", "--format", "json"))
    assert out["total"]["received"] == 0 and out["score_766"] is None


def test_cli_refuses_an_empty_period(world):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="khoảng thời gian rỗng"):
        run("--unit", "T-SXD", "--from", "2025-03-31", "--to", "2025-01-01")
