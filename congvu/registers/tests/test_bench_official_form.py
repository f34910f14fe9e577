"""The benchmark's official-form file (`benchmarks/generate.py`, issue #13 item 7) goes through the real
importer and yields the same dossiers as the template file of the same rows: `make bench` compares the
two import rates, so both files must be the same work."""

import pytest

from benchmarks import generate as g
from benchmarks.steps import procedure_catalogue, reference_data
from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, DossierEvent, ImportRun

pytestmark = pytest.mark.django_db

ROWS = 50
COMPARED = (
    "unit__code",
    "field__code",
    "procedure",
    "handler__code",
    "received_on",
    "due_on",
    "completed_on",
    "returned_on",
    "ending",
    "ended_on",
    "waiting_since",
    "waiting_until",
)


def test_the_benchmark_writes_the_form_header_the_demo_writes():
    from congvu.demo.registers import _OfficialForm

    assert (g.OFFICIAL_TOP, g.OFFICIAL_SUB) == (_OfficialForm.TOP, _OfficialForm.SUB)


def test_every_procedure_has_one_field():
    procedures = g.official_procedures()
    assert len({name for _field, name in procedures}) == len(procedures) == 3 * g.FIELDS


def test_official_form_file_yields_the_same_dossiers_as_the_template(tmp_path):
    reference_data()
    procedure_catalogue()
    rows = list(g.official_rows(ROWS))
    template, form = tmp_path / "template.csv", tmp_path / "form.csv"
    g.write_csv(template, g.OFFICIAL_HEADER, iter(rows))
    assert g.write_official_csv(form, iter(rows)) == ROWS
    lines = form.read_text(encoding="utf-8").splitlines()
    assert lines[3] == "SỔ THEO DÕI HỒ SƠ" and lines[-2] == ',,,,,,,,,,,"(Ký, ghi rõ họ tên)"'

    runs = {
        source: import_file(actor="test", register="dossiers", path=path, source=source)
        for source, path in (("template", template), ("form", form))
    }

    for run in runs.values():
        assert (run.status, run.error_count, run.created_count) == (ImportRun.Status.STORED, 0, ROWS), (
            run.errors
        )
    assert any("Sổ theo dõi hồ sơ theo mẫu" in note for note in runs["form"].notes)
    assert not any("Sổ theo dõi hồ sơ theo mẫu" in note for note in runs["template"].notes)
    assert any("chân sổ" in note for note in runs["form"].notes)  # the footer lines were skipped

    def stored(source):
        return {
            code: values
            for code, *values in Dossier.objects.filter(source=source).values_list("external_code", *COMPARED)
        }

    def events(source):
        return sorted(
            DossierEvent.objects.filter(dossier__source=source).values_list(
                "dossier__external_code", "kind", "on", "new_due_on"
            )
        )

    from_template, from_form = stored("template"), stored("form")
    assert set(from_template) == {row[0] for row in rows}
    assert from_form == from_template
    # The form names the unit by name and no field: both were resolved, to the generator's codes.
    first = rows[0]
    assert from_form[first[0]][:3] == [first[1], first[2], first[3]]
    assert sum(values[3] is not None for values in from_form.values()) == ROWS  # handlers resolved
    assert events("form") == events("template")
    assert len(events("form")) >= 4  # the 50 rows carry supplement requests in their notes
