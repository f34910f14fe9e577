"""The register lists' rendered bodies come from the shared cache (`metrics.bodies`): never another
scope's, and never older than the last write — an import (the data version) or any audited write
(the audit head), such as a new unit offered by the unit filter."""

import pytest
from django.urls import reverse

from congvu.org.services import unit_create
from congvu.registers.tests.test_query_counts import _load

pytestmark = pytest.mark.django_db


def _codes(response) -> set[str]:
    return {row.external_code for row in response.context["page"]} if "page" in response.context else set()


def test_a_list_cached_for_the_province_is_not_served_to_a_unit(client, org, tmp_path):
    _load(tmp_path, 0, 6)  # QC-0 … QC-5 over T-SXD, T-STP and T-SGTVT (absorbed by T-SXD)
    url = reverse("registers:dossiers")
    client.force_login(org.personas.lead)
    province = client.get(url).content.decode()
    assert "QC-1" in province  # T-STP's

    client.force_login(org.personas.focal)
    unit = client.get(url)

    assert "QC-1" not in unit.content.decode()
    assert _codes(unit) == {"QC-0", "QC-2", "QC-3", "QC-5"}


def test_a_list_is_rendered_again_after_any_audited_write(client, org, tmp_path):
    _load(tmp_path, 0, 3)
    url = reverse("registers:tasks")
    client.force_login(org.personas.lead)
    assert "Sở Thử Nghiệm Mới" not in client.get(url).content.decode()
    assert "page" not in client.get(url).context  # the body came from the cache

    unit_create(actor="test", code="T-MOI", name="Sở Thử Nghiệm Mới", kind="department")

    again = client.get(url)
    assert "page" in again.context
    assert "Sở Thử Nghiệm Mới" in again.content.decode()  # offered by the unit filter
