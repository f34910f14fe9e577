"""The services and views packages keep their old import surface, and the scope check still reads
every views module of the package."""

from pathlib import Path

import congvu
from congvu.core.tests.test_views_use_scopes import _view_modules
from congvu.inspections import services, views


def test_the_scope_check_reads_every_module_of_the_views_package():
    package = Path(views.__file__).parent
    modules = {p.name for p in package.glob("*.py")}
    assert {"tabs.py", "checklists.py", "evidence.py", "responses.py", "findings.py"} <= modules
    scanned = {p for p in _view_modules() if p.parent == package}
    assert scanned == set(package.glob("*.py"))


def test_every_public_service_is_still_reachable_from_the_package():
    for name in services.__all__:
        assert getattr(services, name) is not None, name
    # a name used by other apps and by tests, looked up on the package
    assert services.notification_send.__module__ == "congvu.inspections.services.notices"
    assert services._GUARDS["decision"] is services.lifecycle._GUARDS["decision"]
    assert Path(congvu.__file__).parent in Path(services.__file__).parents
