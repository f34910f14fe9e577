"""The sheet page of a leader shows where d, đ and e come from; the outsider gets 404."""

import pytest

from congvu.evaluation.tests.test_leader_products import _generate, q1  # noqa: F401, F811 - fixture

pytestmark = pytest.mark.django_db


def test_sheet_page_shows_the_sources_of_d_dd_and_e(client, personas, people, q1):  # noqa: F811
    from django.urls import reverse

    sheets = _generate(personas)
    client.force_login(personas.unit_head)
    page = client.get(reverse("evaluation:sheet", args=[sheets["O-DEP"].pk])).content.decode()
    assert 'data-testid="leader-sources"' in page
    assert "Lê Văn Chuyên" in page  # construction: counted
    assert "Phạm Thị Viên" in page and "không (ngoài lĩnh vực phụ trách)" in page  # planning
    assert "S-1" in page and "S-2" not in page.split('data-testid="leader-sources"')[1]  # đ: S-1 late
    assert "chỉ đạo" in page
    staff_page = client.get(reverse("evaluation:sheet", args=[sheets["O-CV1"].pk])).content.decode()
    assert 'data-testid="leader-sources"' not in staff_page
    client.force_login(personas.outsider)
    assert client.get(reverse("evaluation:sheet", args=[sheets["O-DEP"].pk])).status_code == 404
