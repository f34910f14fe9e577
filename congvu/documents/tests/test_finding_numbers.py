"""Documents number a finding as every page does (its display number, withdrawn ones leaving a gap)."""

from congvu.inspections import services
from congvu.inspections.tests import conftest as insp_conftest
from congvu.inspections.tests.conftest import move

surprise = insp_conftest.surprise  # the inspections app's fixture, reused


def _record(personas, inspection, text):
    return services.finding_record(
        actor=personas.inspector,
        inspection=inspection,
        description=text,
        category="limitation",
        severity="low",
    )


def test_document_context_uses_the_findings_own_number(personas, surprise):
    from congvu.documents.contexts import _findings

    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    _record(personas, surprise, "Một")
    withdrawn = _record(personas, surprise, "Hai")
    services.finding_withdraw(actor=personas.inspector, finding=withdrawn, note="trùng")
    _record(personas, surprise, "Ba")
    rows = _findings(personas.inspector, surprise, confirmed_only=False)
    assert [(r["index"], r["description"]) for r in rows] == [("1", "Một"), ("3", "Ba")]
