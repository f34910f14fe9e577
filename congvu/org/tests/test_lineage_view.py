import pytest
from django.urls import reverse

from congvu.org.models import Unit, UnitLineage

pytestmark = pytest.mark.django_db
URL = reverse("org:lineage_record")


@pytest.mark.parametrize("who", ["inspector", "lead", "leadership", "focal", "unit_head", "outsider"])
def test_only_admin_may_record_lineage(client, org, who):
    client.force_login(getattr(org.personas, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"event": "rename", "date": "01/07/2025"}).status_code == 403


def test_admin_records_a_rename_in_one_step(client, org):
    client.force_login(org.personas.admin)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            "event": "rename",
            "date": "01/07/2025",
            "document": "QĐ 99/QĐ-UBND",
            "predecessors": [org.other.pk],
            "new_code": "T-STP2",
            "new_name": "Sở Tư pháp tỉnh Mới",
            "new_kind": "department",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("org:unit", args=["T-STP2"])
    org.other.refresh_from_db()
    assert str(org.other.valid_to) == "2025-06-30"
    assert UnitLineage.objects.filter(
        predecessor=org.other, successor__code="T-STP2", event="rename"
    ).exists()
    assert Unit.objects.get(code="T-STP2").parent == org.other.parent


def test_form_errors_are_vietnamese_and_nothing_is_written(client, org):
    client.force_login(org.personas.admin)
    response = client.post(
        URL, {"event": "merge", "date": "01/07/2025", "predecessors": [org.other.pk], "new_code": "X"}
    )
    assert response.status_code == 200 and "cần cả mã và tên" in response.content.decode()
    response = client.post(
        URL,
        {"event": "split", "date": "01/07/2025", "predecessors": [org.other.pk], "successors": [org.unit.pk]},
    )
    assert "Chia tách" in response.content.decode()
    org.other.refresh_from_db()
    assert org.other.valid_to is None
