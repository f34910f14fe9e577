"""Every view fetches unit-owned rows through the scope (STYLE §7): a test that fails when a view module
names `Model.objects` of a scoped model anywhere but in `Model.objects.visible_to(...)` or inside
`get_visible_or_404(...)`. Reading the source is deliberate: a forgotten scope shows no symptom until an
outsider finds the URL."""

import ast
from pathlib import Path

from django.apps import apps

import congvu

ROOT = Path(congvu.__file__).parent


def _view_modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        if rel.name == "views.py" or "views" in rel.parts[:-1] or rel.name.startswith("views_"):
            yield path


def _unscoped_uses(path: Path, scoped: set[str], root: Path = ROOT.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def inside_get_visible_or_404(node) -> bool:
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "get_visible_or_404":
                return True
        return False

    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in scoped
        ):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.attr == "visible_to":
            continue
        if inside_get_visible_or_404(node):
            continue
        found.append(f"{path.relative_to(root)}:{node.lineno} {node.value.id}.objects")
    return found


def test_views_read_unit_owned_models_only_through_their_scope():
    scoped = {model.__name__ for model in apps.get_models() if getattr(model, "scope_unit_field", None)}
    assert "Dossier" in scoped and "Finding" in scoped  # the check sees the models it guards
    offenders = [use for path in _view_modules() for use in _unscoped_uses(path, scoped)]
    assert offenders == [], "views query unit-owned models without their scope:\n" + "\n".join(offenders)


def test_the_check_catches_an_unscoped_query(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text("def v(request, pk):\n    return Dossier.objects.get(pk=pk)\n", encoding="utf-8")
    ok = tmp_path / "views_ok.py"
    ok.write_text(
        "def v(request, pk):\n"
        "    a = Dossier.objects.visible_to(request.user).get(pk=pk)\n"
        "    return get_visible_or_404(Dossier.objects.select_related('unit'), request.user, pk=pk)\n",
        encoding="utf-8",
    )
    assert _unscoped_uses(bad, {"Dossier"}, root=tmp_path) == ["views.py:2 Dossier.objects"]
    assert _unscoped_uses(ok, {"Dossier"}, root=tmp_path) == []
