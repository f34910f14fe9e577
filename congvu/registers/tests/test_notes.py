"""Dossier events read from the notes column ("Ghi chú"): what each note records, how it moves the
clock, what cannot be read (reported with its row, never guessed), and re-imports."""

from datetime import date

import pytest

from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, DossierEvent, ImportRun
from congvu.registers.notes import effect, parse
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv
from congvu.registers.tests.test_official_register import official_csv, row


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (
            "Yêu cầu bổ sung ngày 10/02/2025, hẹn trả 25/02/2025",
            [("supplement_request", "2025-02-10", "2025-02-25")],
        ),
        ("Đã bổ sung ngày 12/02/2025", [("supplement_received", "2025-02-12", None)]),
        (
            "Nhận hồ sơ bổ sung 15/02/2025, hẹn trả mới 01/03/2025",
            [("supplement_received", "2025-02-15", "2025-03-01")],
        ),
        ("Xin lỗi, hẹn lại ngày trả 25/01/2025", [("extension", None, "2025-01-25")]),
        ("Phiếu xin lỗi ngày 20/01/2025, hẹn trả 25/01/2025", [("extension", "2025-01-20", "2025-01-25")]),
        ("Gia hạn đến 30/01/2025", [("extension", None, "2025-01-30")]),
        ("Dừng giải quyết từ 01/03/2025", [("stop", "2025-03-01", None)]),
        ("Công dân rút hồ sơ 05/02/2025", [("withdrawal", "2025-02-05", None)]),
        ("Từ chối giải quyết ngày 5/3/2025", [("rejection", "2025-03-05", None)]),
        ("Trả kết quả qua bưu điện", []),
        (
            "Yêu cầu bổ sung 10/02/2025; đã nhận bổ sung 15/02/2025, hẹn trả mới 01/03/2025",
            [("supplement_request", "2025-02-10", None), ("supplement_received", "2025-02-15", "2025-03-01")],
        ),
    ],
)
def test_notes_are_read_as_events(note, expected):
    events, unreadable = parse(note)
    assert [(e.kind, e.on, e.new_due_on) for e in events] == expected
    assert unreadable == ()


@pytest.mark.parametrize(
    ("note", "reason"),
    [
        ("Yêu cầu bổ sung", "không có ngày yêu cầu bổ sung"),
        ("Công dân rút hồ sơ", "không có ngày rút hồ sơ"),
        ("Xin lỗi công dân", "không có ngày hẹn trả mới"),
        ("Dừng giải quyết 10/02/2025 và 12/02/2025", "có nhiều ngày"),
        ("Từ chối giải quyết 31/02/2025", "ngày không tồn tại"),
    ],
)
def test_an_event_without_its_date_is_unreadable_not_guessed(note, reason):
    events, unreadable = parse(note)
    assert events == ()
    assert reason in unreadable[0].reason


def test_the_effect_on_the_clock():
    events, _ = parse("Yêu cầu bổ sung 10/02/2025; đã bổ sung 15/02/2025, hẹn trả mới 01/03/2025")
    assert effect(events) == effect(events).__class__(
        due_on="2025-03-01", waiting_since="2025-02-10", waiting_until="2025-02-15"
    )
    events, _ = parse("Xin lỗi, hẹn lại ngày trả 25/01/2025; công dân rút hồ sơ 27/01/2025")
    clock = effect(events)
    assert (clock.due_on, clock.apology, clock.ending, clock.ended_on) == (
        "2025-01-25",
        True,
        "withdrawn",
        "2025-01-27",
    )


@pytest.mark.django_db
def test_import_records_the_events_and_moves_the_clock(org, tmp_path):
    notes = [
        "Xin lỗi, hẹn lại ngày trả 25/01/2025",
        "Yêu cầu bổ sung ngày 08/01/2025\nĐã bổ sung ngày 10/01/2025, hẹn trả mới 24/01/2025",
        "Công dân rút hồ sơ ngày 09/01/2025",
        "Yêu cầu bổ sung",
        "Trả qua bưu điện",
    ]
    body = [
        row(i, f"HS-{i}", "Đăng ký khai sinh", "Sở Xây dựng", "06/01/2025", "20/01/2025", note=note)
        for i, note in enumerate(notes, start=1)
    ]
    path = official_csv(tmp_path / "so.csv", body)

    run = import_file(actor="test", register="dossiers", path=path)

    assert run.status == ImportRun.Status.STORED, run.errors
    one, two, three, four = (Dossier.objects.get(external_code=f"HS-{i}") for i in range(1, 5))
    assert (one.due_on, one.apology_slip) == (date(2025, 1, 25), True)
    assert (two.due_on, two.waiting_since, two.waiting_until) == (
        date(2025, 1, 24),
        date(2025, 1, 8),
        date(2025, 1, 10),
    )
    assert (three.ending, three.ended_on) == ("withdrawn", date(2025, 1, 9))
    assert four.due_on == date(2025, 1, 20) and four.waiting_since is None
    assert sorted(DossierEvent.objects.values_list("dossier__external_code", "kind")) == [
        ("HS-1", "extension"),
        ("HS-2", "supplement_received"),
        ("HS-2", "supplement_request"),
        ("HS-3", "withdrawal"),
    ]
    # Row 12 (the data start on row 9): named, with its text and reason.
    assert any("dòng 12: “Yêu cầu bổ sung”" in n and "không có ngày" in n for n in run.notes)

    again = import_file(actor="test", register="dossiers", path=path)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 5)
    assert DossierEvent.objects.count() == 4
    assert set(DossierEvent.objects.values_list("import_run", flat=True)) == {run.pk}


@pytest.mark.django_db
def test_the_projects_template_reads_the_notes_column_too(org, tmp_path):
    header = [*DOSSIER_HEADER, "Ghi chú"]
    path = write_csv(tmp_path / "t.csv", header, [[*dossier("HS-1"), "Từ chối giải quyết ngày 15/01/2025"]])

    run = import_file(actor="test", register="dossiers", path=path)

    assert run.status == ImportRun.Status.STORED, run.errors
    d = Dossier.objects.get()
    assert (d.ending, d.ended_on) == ("rejected", date(2025, 1, 15))


@pytest.mark.django_db
def test_the_dossier_page_shows_the_timeline_and_the_outsider_gets_404(client, org, tmp_path):
    note = "Yêu cầu bổ sung ngày 08/01/2025; đã bổ sung ngày 10/01/2025, hẹn trả mới 24/01/2025"
    body = [
        row(1, "HS-1", "Đăng ký khai sinh", "Sở Xây dựng", "06/01/2025", "20/01/2025", "23/01/2025", note)
    ]
    assert (
        import_file(actor="test", register="dossiers", path=official_csv(tmp_path / "s.csv", body)).status
        == "stored"
    )
    pk = Dossier.objects.get().pk
    client.force_login(org.personas.focal)

    page = client.get(f"/registers/dossiers/{pk}/")

    labels = [(i["on"], str(i["label"])) for i in page.context["timeline"]]
    assert labels == [
        (date(2025, 1, 6), "Tiếp nhận hồ sơ"),
        (date(2025, 1, 8), "Yêu cầu bổ sung hồ sơ"),
        (date(2025, 1, 10), "Nhận hồ sơ bổ sung"),
        (date(2025, 1, 23), "Có kết quả"),
        (date(2025, 1, 23), "Trả kết quả"),
        (date(2025, 1, 24), "Hạn trả kết quả đang áp dụng"),
    ]
    assert "hẹn trả mới 24/01/2025" in page.content.decode()
    client.force_login(org.personas.outsider)
    assert client.get(f"/registers/dossiers/{pk}/").status_code == 404
