import pytest
from django.urls import reverse

from congvu.core.models import AuditEvent


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("lead", 200),
        ("inspector", 403),
        ("leadership", 403),
        ("focal", 403),
        ("outsider", 403),
    ],
)
def test_audit_history_is_for_admin_and_lead_only(client, personas, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("audit:list")).status_code == status


@pytest.mark.django_db
def test_audit_history_per_object_and_export(client, personas):
    client.force_login(personas.lead)
    unit = personas.unit
    response = client.get(reverse("audit:object", args=["org.unit", unit.pk]))
    assert response.status_code == 200
    assert "unit.create" in response.content.decode()
    event = AuditEvent.objects.get(object_type="org.unit", object_id=str(unit.pk))
    assert client.get(reverse("audit:detail", args=[event.pk])).status_code == 200
    export = client.get(reverse("audit:list"), {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export.content[:2] == b"PK"
