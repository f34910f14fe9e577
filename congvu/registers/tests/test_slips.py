"""Control slips (phiếu kiểm soát): the import of hand-overs, each side's share of the time and the
step that made a dossier late, on the dossier page."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from congvu.core.models import AuditEvent
from congvu.registers.models import Dossier, HandOver
from congvu.registers.slips import dossier_steps, parse_datetime, slips_import
from congvu.registers.tests.conftest import write_csv

pytestmark = pytest.mark.django_db

HEADER = [
    "STT",
    "Mã hồ sơ",
    "Bên giao",
    "Bên nhận",
    "Thời gian giao nhận",
    "Người giao",
    "Người nhận",
    "Kết quả",
]
DESK, LAND, LEAD = "Bộ phận tiếp nhận và trả kết quả", "Phòng Quản lý đất đai", "Lãnh đạo Sở"
ROWS = [
    [1, "HS-1", DESK, LAND, "08 giờ 00 phút, ngày 06/01/2025", "Lan", "Minh", ""],
    [2, "HS-1", LAND, LEAD, "10 giờ 00 phút, ngày 13/01/2025", "Minh", "Hùng", "Quá hạn"],
    [3, "HS-1", LEAD, DESK, "16 giờ 00 phút, ngày 14/01/2025", "Hùng", "Lan", "Đúng hạn"],
    [4, "HS-2", DESK, LAND, "07/01/2025 08:00", "Lan", "Minh", ""],
    [5, "HS-2", LAND, DESK, "08/01/2025 15:30", "Minh", "Lan", "Trước hạn"],
]
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def dossiers(org):
    for code in ("HS-1", "HS-2"):
        Dossier.objects.create(
            source="import",
            external_code=code,
            unit=org.unit,
            field=org.land,
            procedure="Đăng ký biến động",
            received_on=datetime(2025, 1, 6).date(),
            due_on=datetime(2025, 1, 10).date(),
        )
    return org


def test_times_as_slips_write_them():
    assert parse_datetime("08 giờ 30 phút, ngày 06/01/2025") == datetime(2025, 1, 6, 8, 30, tzinfo=ZONE)
    assert parse_datetime("8h30 ngày 6/1/2025") == datetime(2025, 1, 6, 8, 30, tzinfo=ZONE)
    assert parse_datetime("06/01/2025 08:30:00") == datetime(2025, 1, 6, 8, 30, tzinfo=ZONE)
    assert parse_datetime("2025-01-06 08:30") == datetime(2025, 1, 6, 8, 30, tzinfo=ZONE)
    assert "không đúng định dạng" in parse_datetime("sáng thứ hai")
    assert "không tồn tại" in parse_datetime("31/02/2025 08:00")


def test_slips_import_and_the_late_step_is_the_one_the_receiver_marked(dossiers, tmp_path):
    result = slips_import(actor="test", path=write_csv(tmp_path / "p.csv", HEADER, ROWS))

    assert (result.stored, result.rows, result.dossiers) == (True, 5, 2)
    assert AuditEvent.objects.filter(action="handovers.import").count() == 1
    steps = dossier_steps(dossier=Dossier.objects.get(external_code="HS-1"))
    # The land office held it 06/01 08:00 → 13/01 10:00 (5 working days: 07–10/01 and 13/01; 170 h
    # of clock time), the director 13/01 10:00 → 14/01 16:00 (1 working day; 30 h).
    shares = {s["holder"]: (s["working_days"], s["hours"], s["percent"]) for s in steps["shares"]}
    assert shares == {LAND: (5, 170.0, 85.0), LEAD: (1, 30.0, 15.0)}
    assert steps["late_step"].holder == LAND
    assert dossier_steps(dossier=Dossier.objects.get(external_code="HS-2"))["late_step"] is None


def test_a_reimported_slip_replaces_the_chain(dossiers, tmp_path):
    slips_import(actor="test", path=write_csv(tmp_path / "p.csv", HEADER, ROWS))
    slips_import(actor="test", path=write_csv(tmp_path / "q.csv", HEADER, ROWS[3:]))

    assert HandOver.objects.filter(dossier__external_code="HS-2").count() == 2
    assert HandOver.objects.filter(dossier__external_code="HS-1").count() == 3


def test_bad_rows_are_located_and_nothing_is_stored(dossiers, tmp_path):
    rows = [
        *ROWS,
        [6, "HS-9", DESK, LAND, "07/01/2025 08:00", "", "", ""],  # no such dossier
        [7, "HS-2", "", LAND, "07/01/2025 08:00", "", "", ""],  # no giving side
        [8, "HS-2", LAND, DESK, "hôm qua", "", "", "Tốt"],  # bad time, bad mark
    ]
    result = slips_import(actor="test", path=write_csv(tmp_path / "p.csv", HEADER, rows))

    assert not result.stored and HandOver.objects.count() == 0
    assert {(e["row"], e["letter"]) for e in result.errors} == {(7, "B"), (8, "C"), (9, "E"), (9, "H")}


def test_outsider_cannot_import_slips_of_another_units_dossiers(dossiers, tmp_path):
    result = slips_import(actor=dossiers.personas.outsider, path=write_csv(tmp_path / "p.csv", HEADER, ROWS))

    assert not result.stored and HandOver.objects.count() == 0
    assert all("Không có hồ sơ mã này" in e["message"] for e in result.errors)


def test_cli_import_slips(dossiers, tmp_path):
    out = StringIO()
    call_command("import", "slips", str(write_csv(tmp_path / "p.csv", HEADER, ROWS)), stdout=out)
    assert "Đã lưu 5 lần bàn giao của 2 hồ sơ" in out.getvalue()
    bad = write_csv(tmp_path / "b.csv", HEADER, [[1, "HS-9", DESK, LAND, "07/01/2025 08:00", "", "", ""]])
    with pytest.raises(CommandError, match="không lưu"):
        call_command("import", "slips", str(bad), stdout=StringIO(), stderr=StringIO())


def test_dossier_page_names_the_late_step_and_the_outsider_gets_404(client, dossiers, tmp_path):
    slips_import(actor="test", path=write_csv(tmp_path / "p.csv", HEADER, ROWS))
    pk = Dossier.objects.get(external_code="HS-1").pk
    client.force_login(dossiers.personas.focal)

    html = client.get(f"/registers/dossiers/{pk}/").content.decode()

    assert "Bước làm chậm hồ sơ: <strong>Phòng Quản lý đất đai</strong>" in html
    assert "85,0%" in html
    client.force_login(dossiers.personas.outsider)
    assert client.get(f"/registers/dossiers/{pk}/").status_code == 404
