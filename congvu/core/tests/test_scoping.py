import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from congvu.core.scoping import get_visible_or_404
from congvu.org.models import Unit, UnitLineage


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "inspector", "lead", "leadership"])
def test_province_wide_roles_see_every_unit(personas, who):
    user = getattr(personas, who)
    assert set(Unit.objects.visible_to(user)) == set(Unit.objects.all())


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["focal", "unit_head"])
def test_unit_roles_see_only_their_unit(personas, who):
    user = getattr(personas, who)
    assert list(Unit.objects.visible_to(user)) == [personas.unit]


@pytest.mark.django_db
def test_outsider_gets_404_for_another_units_object(personas):
    with pytest.raises(Http404):
        get_visible_or_404(Unit, personas.outsider, pk=personas.unit.pk)
    assert get_visible_or_404(Unit, personas.focal, pk=personas.unit.pk) == personas.unit


@pytest.mark.django_db
def test_missing_and_invisible_look_the_same(personas):
    with pytest.raises(Http404):
        get_visible_or_404(Unit, personas.focal, pk=10**9)
    with pytest.raises(Http404):
        get_visible_or_404(Unit, personas.focal, pk="not-a-number")


@pytest.mark.django_db
def test_anonymous_and_inactive_users_see_nothing(personas):
    assert not Unit.objects.visible_to(AnonymousUser()).exists()
    personas.admin.is_active = False
    assert not Unit.objects.visible_to(personas.admin).exists()


@pytest.mark.django_db
def test_unit_role_sees_the_units_it_absorbed(personas):
    old = Unit.objects.create(code="T-OLD", name="Sở Xây dựng (cũ)", kind="department")
    UnitLineage.objects.create(predecessor=old, successor=personas.unit, event="merge", date="2025-07-01")
    assert set(Unit.objects.visible_to(personas.focal)) == {personas.unit, old}
    assert old not in Unit.objects.visible_to(personas.outsider)


def test_model_without_scope_field_fails_closed():
    from congvu.core.scoping import ScopedQuerySet
    from congvu.org.models import Field

    with pytest.raises(TypeError):
        ScopedQuerySet(model=Field).visible_to(AnonymousUser())


@pytest.mark.django_db
def test_model_without_scope_field_is_an_error_not_a_silent_404(personas):
    """A view that forgot to declare a scope must fail loudly, not answer 404 for everything."""
    from congvu.core.scoping import ScopedQuerySet
    from congvu.org.models import Field

    with pytest.raises(TypeError):
        get_visible_or_404(ScopedQuerySet(model=Field), personas.lead, pk=1)


@pytest.mark.django_db
def test_a_wrongly_typed_lookup_is_a_404(personas):
    with pytest.raises(Http404):
        get_visible_or_404(Unit, personas.lead, pk="abc")


@pytest.mark.django_db
def test_an_official_appears_once_however_many_appointments_in_the_unit(personas):
    from datetime import date

    from congvu.org.models import Appointment, Official

    official = Official.objects.create(code="CB-1", full_name="Nguyễn Văn A")
    for start in (date(2024, 1, 1), date(2025, 1, 1)):
        Appointment.objects.create(
            official=official, unit=personas.unit, role="other", title="Chuyên viên", start=start
        )
    assert list(Official.objects.visible_to(personas.focal)) == [official]
    assert list(Official.objects.visible_to(personas.outsider)) == []
    assert get_visible_or_404(Official, personas.focal, pk=official.pk) == official
    with pytest.raises(Http404):
        get_visible_or_404(Official, personas.outsider, pk=official.pk)
