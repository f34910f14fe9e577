"""Rows built once for consecutive tests (`shared_fixture`, congvu/conftest.py) stay as isolated as
rows built in each test: a test's writes and its changes to the objects it was given are gone for the
next test, and a test that does not ask for a shared fixture does not find its rows. The tests run in
this order, each after the one that tries to leak into it."""

from congvu.accounts.models import User
from congvu.conftest import shared_fixture
from congvu.org.models import Unit


@shared_fixture
def departments(personas):
    """A shared fixture built on another one: it holds objects of the personas."""
    return {"inspected": personas.unit, "other": personas.other_unit}


def test_a_test_writes_to_the_shared_rows_and_changes_its_objects(personas):
    Unit.objects.filter(pk=personas.unit.pk).update(name="Đổi tên trong phép thử")
    User.objects.create(username="p-leaked")
    personas.focal.full_name = "Đổi trong bộ nhớ"
    personas.unit.children_added = True


def test_the_next_test_finds_neither_the_writes_nor_the_changed_objects(personas):
    assert Unit.objects.get(pk=personas.unit.pk).name == "Sở Xây dựng"
    assert not User.objects.filter(username="p-leaked").exists()
    assert personas.focal.full_name == "p-focal"
    assert not hasattr(personas.unit, "children_added")


def test_the_objects_of_one_test_are_one_copy(personas, departments):
    """The personas of a test and what other shared fixtures hold of them are the same objects, as
    when each test built them."""
    assert departments["inspected"] is personas.unit
    assert personas.focal.unit is personas.unit


def test_a_test_without_the_fixture_finds_none_of_its_rows(db):
    assert not User.objects.filter(username__startswith="p-").exists()
    assert not Unit.objects.filter(code__startswith="T-").exists()
