"""The 766 rule on supplement requests, on hand-counted dossiers: "Nếu hồ sơ đang yêu cầu bổ sung,
công dân chưa quay lại bổ sung hồ sơ thì lấy ngày cán bộ yêu cầu bổ sung hồ sơ là Thời gian kết thúc
xử lý … trừ trường hợp 'Yêu cầu bổ sung hồ sơ' hơn 01 lần thì tính quá hạn" (official-forms.md §5).

Period Q1/2025 (F = 01/01, T = C = 31/03). Requests are DossierEvents (as the importer stores them
from the notes); `waiting_since` is the latest request, `waiting_until` the papers' arrival.

    P   03/02, due 15/02, one request 10/02, waiting: end = 10/02, on time      pending ✓  always ✓
    P2  10/02, due 15/02, one request 20/02, waiting: end = 20/02, late         pending ✗  always ✗
    Q   04/02, due 28/02, requests 06/02 and 12/02, waiting (end 12/02 ≤ due)   pending ✗  always ✗
    R   05/02, due 10/03, requests 07/02 and 14/02, supplied 20/02, result 05/03
                                                                                pending ✓  always ✗
    S   06/02, due 10/04, requests 08/02 and 02/04 (after C), open in time      pending ✓  always ✓
    U   07/02, no due date, requests 09/02 and 16/02, waiting                   pending ✗  always ✗
    W   08/02, due 28/02, requests 09/02 and 11/02, withdrawn 20/02             pending ✓  always ✗

Without the exception all but P2 would be on time (6 of 7).
"""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from congvu.metrics.tthc import DEFINITION_766, KEYS, Conventions, tthc_report
from congvu.registers.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db

F, T = date(2025, 1, 1), date(2025, 3, 31)
Q1 = "date_from=01/01/2025&date_to=31/03/2025"


def d(day: str) -> date:
    dd, mm, yy = day.split("/")
    return date(int(yy), int(mm), int(dd))


SPECS = {
    "P": (
        {"received_on": "03/02/2025", "due_on": "15/02/2025", "waiting_since": "10/02/2025"},
        ["10/02/2025"],
    ),
    "P2": (
        {"received_on": "10/02/2025", "due_on": "15/02/2025", "waiting_since": "20/02/2025"},
        ["20/02/2025"],
    ),
    "Q": (
        {"received_on": "04/02/2025", "due_on": "28/02/2025", "waiting_since": "12/02/2025"},
        ["06/02/2025", "12/02/2025"],
    ),
    "R": (
        {
            "received_on": "05/02/2025",
            "due_on": "10/03/2025",
            "waiting_since": "14/02/2025",
            "waiting_until": "20/02/2025",
            "completed_on": "05/03/2025",
        },
        ["07/02/2025", "14/02/2025"],
    ),
    "S": (
        {"received_on": "06/02/2025", "due_on": "10/04/2025", "waiting_since": "02/04/2025"},
        ["08/02/2025", "02/04/2025"],
    ),
    "U": ({"received_on": "07/02/2025", "waiting_since": "16/02/2025"}, ["09/02/2025", "16/02/2025"]),
    "W": (
        {
            "received_on": "08/02/2025",
            "due_on": "28/02/2025",
            "waiting_since": "11/02/2025",
            "ending": "withdrawn",
            "ended_on": "20/02/2025",
        },
        ["09/02/2025", "11/02/2025"],
    ),
}


@pytest.fixture
def requested(personas):
    from congvu.org.models import Field

    construction = Field.objects.get(code="xay-dung")
    for code, (spec, requests) in SPECS.items():
        values = {k: (d(v) if k.endswith("_on") or k.startswith("waiting") else v) for k, v in spec.items()}
        dossier = Dossier.objects.create(
            source="test",
            external_code=code,
            unit=personas.unit,
            field=construction,
            procedure="Cấp giấy phép xây dựng",
            **values,
        )
        for on in requests:
            DossierEvent.objects.create(
                dossier=dossier,
                kind=DossierEvent.Kind.SUPPLEMENT_REQUEST,
                on=d(on),
                text=f"Yêu cầu bổ sung {on}",
            )
    return personas


def report(**kw):
    return tthc_report(records=Dossier.objects.all(), date_from=F, date_to=T, **kw)


def on_time_766(conventions: Conventions) -> set[str]:
    """The dossiers the 766 numerator counts, one report per dossier (the codes, not just a count)."""
    return {
        code
        for code in SPECS
        if tthc_report(
            records=Dossier.objects.filter(external_code=code),
            date_from=F,
            date_to=T,
            conventions=conventions,
        )["total"]["score_766_numerator"]
        == 1
    }


def test_pending_reading_counts_a_waiting_dossier_asked_twice_overdue(requested):
    assert on_time_766(Conventions()) == {"P", "R", "S", "W"}
    total = report()["total"]
    assert (total["score_766_numerator"], total["score_766_denominator"], total["score_766"]) == (4, 7, 11.43)


def test_one_pending_request_ends_the_clock_at_the_request_date(requested):
    # P: due 15/02 before C; only the request date 10/02 makes it on time. P2: requested 20/02, late.
    assert "P" in on_time_766(Conventions()) and "P2" not in on_time_766(Conventions())


def test_always_reading_counts_every_dossier_asked_twice_overdue(requested):
    assert on_time_766(Conventions(supplements="always")) == {"P", "S"}
    total = report(conventions=Conventions(supplements="always"))["total"]
    assert (total["score_766_numerator"], total["score_766"]) == (2, 5.71)


def test_a_request_after_the_cut_off_is_not_counted(requested):
    # S's second request (02/04) is after 31/03; reported as of 10/04 (period to 30/04) it counts.
    assert "S" in on_time_766(Conventions(supplements="always"))
    later = tthc_report(
        records=Dossier.objects.filter(external_code="S"),
        date_from=F,
        date_to=date(2025, 4, 30),
        as_of=date(2025, 4, 10),
    )
    assert later["total"]["score_766_numerator"] == 0


def test_the_form_figures_do_not_change_with_the_reading(requested):
    expected = {
        "received": 7,
        "received_online": 0,
        "received_direct": 7,
        "carried_over": 0,
        "solved": 2,  # R, and the withdrawn W
        "solved_early": 1,  # R: 05/03 before 10/03
        "solved_on_time": 1,  # W
        "solved_late": 0,
        "in_progress": 5,  # P P2 Q S U
        "in_progress_in_time": 5,  # waiting dossiers count in time (default), S due after C, U no due
        "in_progress_overdue": 0,
    }
    for reading in ("pending", "always"):
        total = report(conventions=Conventions(supplements=reading))["total"]
        assert {k: total[k] for k in KEYS} == expected, reading


def test_grouped_rows_apply_the_rule_too(requested):
    rows = report(by="field")["rows"]
    assert [(r["code"], r["score_766_numerator"], r["score_766_denominator"]) for r in rows] == [
        ("xay-dung", 4, 7)
    ]


def test_unknown_reading_is_refused():
    with pytest.raises(ValueError):
        Conventions(supplements="sometimes")


def run(*args):
    out = StringIO()
    call_command(
        "report", "tthc", "--unit", "T-SXD", "--from", "2025-01-01", "--to", "2025-03-31", *args, stdout=out
    )
    return out.getvalue()


def test_cli_reports_the_rule_and_takes_the_reading(requested):
    out = json.loads(run("--format", "json"))
    assert (out["score_766_numerator"], out["score_766_denominator"]) == (4, 7)
    assert out["conventions"]["supplements"] == "pending"

    out = json.loads(run("--supplements", "always", "--format", "json"))
    assert (out["score_766_numerator"], out["conventions"]["supplements"]) == (2, "always")

    table = run()
    assert "11,43 / 20 = 20 × 4 / 7" in table
    assert "hồ sơ đang chờ bổ sung mà đã bị yêu cầu bổ sung hơn 01 lần tính quá hạn" in table


def test_page_shows_the_rule_and_the_reading(client, requested):
    client.force_login(requested.focal)

    html = client.get(f"/metrics/tthc/?{Q1}").content.decode()
    assert "trừ hồ sơ đã bị yêu cầu bổ sung hơn 01 lần: tính quá hạn" in str(DEFINITION_766)
    assert "trừ hồ sơ đã bị yêu cầu bổ sung hơn 01 lần: tính quá hạn" in html
    assert "= 20 × 4 / 7" in html
    assert 'name="supplements"' in html

    html = client.get(f"/metrics/tthc/?{Q1}&supplements=always").content.decode()
    assert "= 20 × 2 / 7" in html
    assert "luôn tính quá hạn" in html


def test_outsider_gets_404_for_the_unit(client, requested):
    client.force_login(requested.outsider)
    assert client.get(f"/metrics/tthc/?{Q1}&unit=T-SXD").status_code == 404
