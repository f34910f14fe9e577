"""The head/deputy checklist's records page names the step the control slip marked late."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from congvu.inspections.tests.test_prefill_snapshot import records, sheets, weekdays  # noqa: F401
from congvu.registers.models import HandOver

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def test_deputys_late_dossier_shows_the_late_step_and_the_outsider_gets_404(client, personas, request):
    sheet = request.getfixturevalue("sheets")["deputy"]
    late = request.getfixturevalue("records")["dossiers"]["late"]
    for seq, (a, b, day, mark) in enumerate(
        [
            ("Bộ phận một cửa", "Phòng Quản lý xây dựng", 3, ""),
            ("Phòng Quản lý xây dựng", "Lãnh đạo Sở", 11, "late"),
            ("Lãnh đạo Sở", "Bộ phận một cửa", 12, "on_time"),
        ],
        start=1,
    ):
        HandOver.objects.create(
            dossier=late,
            seq=seq,
            from_side=a,
            to_side=b,
            handed_at=datetime(2025, 2, day, 9, tzinfo=ZONE),
            mark=mark,
        )
    item = sheet.items.get(metric="dossiers")
    url = reverse("inspections:item_records", args=[item.pk, "all", "total"])
    client.force_login(personas.inspector)

    page = client.get(url).content.decode()

    assert "Bước làm chậm (phiếu kiểm soát)" in page
    assert '<td data-testid="late-step">Phòng Quản lý xây dựng</td>' in page
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
