"""The register lists at scale: the total from the rollups (exact, no COUNT of the register), and deep
pages sought from a known boundary instead of an OFFSET — the same rows as OFFSET gives, in every sort
order and both directions, NULL dates included, on SQLite and PostgreSQL."""

import random
import re
from datetime import date, timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congvu.core.tables import sort_queryset
from congvu.metrics.cache import RecordPaginator, cached_count, data_version_bump, rollup_count
from congvu.org.models import Unit
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.registers.imports import import_file
from congvu.registers.selectors import dossier_list, task_list
from congvu.registers.tests.conftest import DOSSIER_HEADER, TASK_HEADER, dossier, task, write_csv
from congvu.registers.views import _DOSSIER_SORTS, _TASK_SORTS

pytestmark = pytest.mark.django_db

UNITS = ["T-SXD", "T-STP", "T-SGTVT"]
FIELDS = ["xay-dung", "dat-dai"]
N = 37  # not a multiple of the page size: the last page is short


def _day(d: date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


def _load(tmp_path, n: int = N, seed: int = 11) -> None:
    """n dossiers and n tasks: few receipt dates (ties), some without a deadline, open ones (no
    completion, no return), some completed but not returned."""
    rng = random.Random(seed)
    dossiers, tasks = [], []
    for i in range(n):
        received = date(2025, 1, 6) + timedelta(days=rng.randrange(4))
        due = None if rng.random() < 0.25 else received + timedelta(days=rng.randrange(3, 12))
        completed = None if rng.random() < 0.3 else received + timedelta(days=rng.randrange(0, 15))
        returned = None if completed is None or rng.random() < 0.3 else completed + timedelta(days=1)
        unit, field = UNITS[rng.randrange(3)], FIELDS[rng.randrange(2)]
        dossiers.append(
            dossier(
                f"LP-{rng.randrange(1000):03d}-{i}",
                unit=unit,
                field=field,
                procedure=rng.choice(["Cấp giấy phép xây dựng", "Đăng ký đất đai", "Chứng thực"]),
                received=_day(received),
                due=_day(due),
                completed=_day(completed),
                returned=_day(returned),
                status="Đã trả kết quả" if returned else "Đang xử lý",
            )
        )
        tasks.append(
            task(
                f"LP-{i}",
                unit=unit,
                field=field,
                received=_day(received),
                due=_day(due),
                completed=_day(completed),
            )
        )
    for register, header, rows in (("dossiers", DOSSIER_HEADER, dossiers), ("tasks", TASK_HEADER, tasks)):
        run = import_file(
            actor="test", register=register, path=write_csv(tmp_path / f"{register}.csv", header, rows)
        )
        assert run.status == "stored", run.errors


def _lists(org, user):
    """(register, list, whether the rollups can count it): the user's scope, narrowed to a unit and
    its predecessors as the unit filter does, or by something the rollups do not hold."""
    sxd, stp = unit_with_predecessor_ids(org.unit.pk), unit_with_predecessor_ids(org.other.pk)
    dossiers, tasks = dossier_list(fetched_by=user), task_list(fetched_by=user)
    return [
        ("dossiers", dossiers, True),
        ("dossiers", dossiers.filter(unit_id__in=sxd), True),
        ("dossiers", dossiers.filter(unit_id__in=stp), True),
        ("dossiers", dossiers.filter(unit_id=org.old.pk), True),
        ("dossiers", dossiers.filter(field_id=org.construction.pk), False),
        ("dossiers", dossiers.filter(external_code__icontains="LP-1"), False),
        ("dossiers", dossiers.filter(unit_id__in=sxd, field_id=org.land.pk), False),
        ("dossiers", dossiers.filter(unit__in=Unit.objects.filter(code="T-SXD")), False),
        ("dossiers", dossiers.exclude(unit_id__in=sxd), False),
        ("tasks", tasks, True),
        ("tasks", tasks.filter(unit_id__in=sxd), True),
        ("tasks", tasks.filter(completed_on__isnull=True), False),
    ]


@pytest.mark.parametrize("who", ["lead", "focal", "outsider"])
def test_the_total_from_the_rollups_is_the_exact_count(org, tmp_path, who):
    _load(tmp_path)
    user = getattr(org.personas, who)
    covered = 0
    for register, qs, by_rollups in _lists(org, user):
        qs = qs.order_by("-received_on", "-pk")
        expected = qs.count()
        if qs.query.is_empty():
            assert cached_count(register=register, queryset=qs) == 0
            continue
        total = rollup_count(register=register, queryset=qs)
        if by_rollups:
            assert total == expected, (register, str(qs.query))
            covered += expected > 0
        else:
            assert total is None  # another filter: the rollups cannot say
        assert cached_count(register=register, queryset=qs) == expected
    assert covered >= 2


def test_stale_rollups_are_not_used_for_the_total(org, tmp_path):
    _load(tmp_path)
    qs = dossier_list(fetched_by=org.personas.lead)
    assert rollup_count(register="dossiers", queryset=qs) == qs.count()

    data_version_bump(register="dossiers")  # a write the rollups were not rebuilt for

    assert rollup_count(register="dossiers", queryset=qs) is None
    assert cached_count(register="dossiers", queryset=qs) == qs.count()


def test_first_visit_of_the_list_does_not_count_the_register(client, org, tmp_path):
    """The province-wide list's total is the rollups' sum: they count the open dossiers too."""
    _load(tmp_path)
    client.force_login(org.personas.lead)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registers:dossiers"))
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if re.search(r'COUNT\(\*\).* FROM "registers_dossier"', q["sql"])]
    assert counts == []
    assert any("registerrollup" in q["sql"] for q in queries)
    assert f"{N} dòng" in response.content.decode()


def test_a_unit_users_list_is_summed_from_the_rollups_too(client, org, tmp_path):
    """A list of a few units (ROLLUP_MIN_UNITS: one is enough) sums the units' rollup rows, read from
    an index, instead of counting their records."""
    _load(tmp_path)
    client.force_login(org.personas.focal)  # T-SXD and the T-SGTVT it absorbed
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registers:dossiers"))
    counts = [q["sql"] for q in queries if re.search(r'COUNT\(\*\).* FROM "registers_dossier"', q["sql"])]
    assert counts == []
    assert any("registerrollup" in q["sql"] for q in queries)
    expected = dossier_list(fetched_by=org.personas.focal).count()
    assert f"{expected} dòng" in response.content.decode()


def _sorted(register: str, user, sort: str):
    request = RequestFactory().get("/", {"sort": sort})
    if register == "dossiers":
        return sort_queryset(request, dossier_list(fetched_by=user), _DOSSIER_SORTS, "-received")[0]
    return sort_queryset(request, task_list(fetched_by=user), _TASK_SORTS, "-received")[0]


SORTS = [
    ("dossiers", key)
    for name in ("received", "due", "completed", "returned", "code", "unit", "procedure")
    for key in (name, f"-{name}")
] + [("tasks", key) for name in ("received", "due", "completed", "authority") for key in (name, f"-{name}")]


@pytest.mark.parametrize("register, sort", SORTS)
def test_every_page_sought_is_the_page_offset_gives(org, tmp_path, register, sort):
    _load(tmp_path)
    qs = _sorted(register, org.personas.lead, sort).select_related("unit", "field")
    per_page = 4
    expected = [[row.pk for row in page] for page in Paginator(qs, per_page)]
    pages = len(expected)
    assert pages == 10

    def visit(number: int) -> list[int]:
        paginator = RecordPaginator(qs, per_page, register=register)
        paginator.near_rows = 0  # seek every page (the lists seek below NEAR_ROWS rows)
        return [row.pk for row in paginator.page(number)]

    order = random.Random(sort).sample(range(1, pages + 1), pages)  # jumps: the ends, then known pages
    order += list(range(1, pages + 1)) + list(range(pages, 0, -1)) + [5, 5]
    for number in order:
        assert visit(number) == expected[number - 1], (sort, number)

    # Every page next to a known one is sought from its boundary: no OFFSET at all.
    with CaptureQueriesContext(connection) as queries:
        for number in range(1, pages + 1):
            assert visit(number) == expected[number - 1]
    assert not [q["sql"] for q in queries if "OFFSET" in q["sql"]]


def test_a_unit_user_pages_through_their_units_only(org, tmp_path):
    _load(tmp_path)
    qs = _sorted("dossiers", org.personas.focal, "-due")
    expected = [[row.pk for row in page] for page in Paginator(qs, 3)]
    for number in (len(expected), 2, 1, len(expected) - 1):
        paginator = RecordPaginator(qs, 3, register="dossiers")
        paginator.near_rows = 0
        assert [row.pk for row in paginator.page(number)] == expected[number - 1]


def test_deep_pages_of_the_list_view_show_the_rows_offset_gives(client, org, tmp_path, monkeypatch):
    monkeypatch.setattr(RecordPaginator, "near_rows", 0)
    _load(tmp_path, n=130)
    client.force_login(org.personas.lead)
    codes = list(_sorted("dossiers", org.personas.lead, "-due").values_list("external_code", flat=True))
    for number in (3, 2, 1, 2):
        html = client.get(reverse("registers:dossiers"), {"page": number, "sort": "-due"}).content.decode()
        assert set(re.findall(r"LP-\d{3}-\d+", html)) == set(codes[(number - 1) * 50 : number * 50])


def test_the_pager_has_a_page_number_box_keeping_the_other_parameters(client, org, tmp_path):
    _load(tmp_path, n=130)
    client.force_login(org.personas.lead)
    html = client.get(reverse("registers:dossiers"), {"page": 2, "sort": "-due"}).content.decode()
    box = re.search(r'<form method="get" class="page-link.*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="sort" value="-due">' in box
    assert 'name="page" value="2" min="1" max="3"' in box
    assert 'name="page" type="hidden"' not in box and box.count('name="page"') == 1
