"""Exports write imported text as text (issue #14, item 3): a task's content, a dossier's code or a
rejected cell that reads "http://…", "mailto:…" or "external:C:\\…\\calc.exe" is not a live link in
the register exports, the drill-down behind a figure, the import-error export or the templates."""

import pytest
from django.urls import reverse

from congvu.core.testing import LINK_LIKE_TEXTS, xlsx_links, xlsx_rows, xlsx_text
from congvu.registers.imports import import_file
from congvu.registers.models import ImportRun
from congvu.registers.sample_file import build_template
from congvu.registers.tests.conftest import DOSSIER_HEADER, TASK_HEADER, dossier, task, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def link_like(org, tmp_path):
    """Tasks whose content and document number, and dossiers whose procedure, are link-like text."""
    tasks = [task(f"NV-{i}", content=text, number=text) for i, text in enumerate(LINK_LIKE_TEXTS)]
    dossiers = [dossier(f"HS-{i}", procedure=text) for i, text in enumerate(LINK_LIKE_TEXTS)]
    for register, header, rows in (("tasks", TASK_HEADER, tasks), ("dossiers", DOSSIER_HEADER, dossiers)):
        run = import_file(
            actor="test", register=register, path=write_csv(tmp_path / f"{register}.csv", header, rows)
        )
        assert run.status == "stored", run.errors
    return org


def _assert_text_only(response):
    rows = xlsx_rows(response)
    assert xlsx_links(response) == []
    text = xlsx_text(rows)
    for value in LINK_LIKE_TEXTS:
        assert value in text  # written, as the very text imported
    return rows


@pytest.mark.parametrize("list_page", ["registers:tasks", "registers:dossiers"])
def test_register_exports_write_links_as_text(client, link_like, list_page):
    client.force_login(link_like.personas.focal)
    _assert_text_only(client.get(reverse(list_page), {"format": "xlsx"}))
    client.force_login(link_like.personas.outsider)
    assert "NV-0" not in xlsx_text(xlsx_rows(client.get(reverse(list_page), {"format": "xlsx"})))


@pytest.mark.parametrize("register", ["tasks", "dossiers"])
def test_the_drill_down_export_writes_links_as_text(client, link_like, register):
    client.force_login(link_like.personas.focal)
    params = {"register": register, "unit": "T-SXD", "from": "01/01/2025", "to": "31/12/2025"}
    response = client.get(reverse("metrics:records"), {**params, "as_of": "31/12/2025", "format": "xlsx"})
    rows = _assert_text_only(response)
    assert len(rows) == 1 + len(LINK_LIKE_TEXTS)
    client.force_login(link_like.personas.outsider)
    outsider = client.get(reverse("metrics:records"), {**params, "as_of": "31/12/2025", "format": "xlsx"})
    assert outsider.status_code == 404


def test_the_import_error_export_writes_rejected_values_as_text(client, org, tmp_path):
    rows = [dossier(f"HS-{i}", received=text) for i, text in enumerate(LINK_LIKE_TEXTS)]
    client.force_login(org.personas.focal)
    upload = write_csv(tmp_path / "loi.csv", DOSSIER_HEADER, rows)
    with upload.open("rb") as fh:
        client.post(reverse("registers:imports"), {"register": "dossiers", "file": fh, "source": "import"})
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    _assert_text_only(client.get(reverse("registers:import", args=[run.pk]), {"format": "xlsx"}))
    client.force_login(org.personas.outsider)
    assert client.get(reverse("registers:import", args=[run.pk]), {"format": "xlsx"}).status_code == 404


@pytest.mark.parametrize("register", ["tasks", "dossiers"])
def test_the_import_templates_have_no_links(register):
    assert xlsx_links(build_template(register)) == []
