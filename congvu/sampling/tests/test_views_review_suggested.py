"""The review form of a late record opens with the deviation the register already shows."""

import re

from django.urls import reverse

from congvu.sampling.tests.test_views_review_deviation import _item


def test_the_suggested_review_of_a_late_record_already_shows_the_deviation(client, personas, drawn):
    from datetime import date

    from congvu.registers.models import Dossier
    from congvu.sampling.views import _suggested_review

    item = _item(drawn)
    Dossier.objects.filter(pk=item.dossier_id).update(
        due_on=date(2025, 3, 3), completed_on=date(2025, 3, 10), apology_slip=False
    )
    item.refresh_from_db()
    item = type(item).objects.select_related("dossier").get(pk=item.pk)
    initial = _suggested_review(item)
    assert initial["on_time"] == "no"
    assert initial["deviation"] == "yes" and initial["deviation_type"] == "late"
    client.force_login(personas.inspector)
    page = client.get(reverse("sampling:review", args=[drawn.pk, item.pk])).content.decode()
    assert re.search(r'<input type="radio" name="deviation" value="yes"[^>]*checked', page)
    assert "data-deviation-rules" in page and "review-deviation.js" in page
