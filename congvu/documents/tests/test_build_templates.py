"""The default templates shipped in templates_docx/ are what build_templates.py generates: every part
of each package (document, styles, headers, settings, properties) is the same; only the zip's own
timestamps may differ. Run `python -m congvu.documents.build_templates` after changing the layout."""

import zipfile

import pytest

from congvu.documents import build_templates
from congvu.documents.kinds import KINDS
from congvu.documents.rendering import DEFAULT_DIR


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_kind_has_a_default_template():
    assert {p.stem for p in DEFAULT_DIR.glob("*.docx")} == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_committed_template_equals_what_the_script_builds(kind, tmp_path):
    built = build_templates.build(kind)
    path = tmp_path / f"{kind}.docx"
    built.save(path)
    committed, fresh = parts(DEFAULT_DIR / f"{kind}.docx"), parts(path)
    assert sorted(committed) == sorted(fresh)
    changed = [name for name in committed if committed[name] != fresh[name]]
    assert not changed, f"{kind}.docx differs from build_templates.py in {changed}: regenerate and commit it"
