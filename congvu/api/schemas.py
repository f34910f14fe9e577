"""The API's typed shapes (they are the OpenAPI 3.1 document). Foreign keys are ids."""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated, Any

from ninja import ModelSchema, Schema
from pydantic import Field, StringConstraints, create_model

from congvu.inspections.models import Finding, Inspection, Recommendation
from congvu.registers.models import Dossier, ImportRun, Task
from congvu.sampling.models import Sample


class Error(Schema):
    """An error: `detail` is a message, or the messages per field (validation)."""

    detail: Any


class TaskOut(ModelSchema):
    class Meta:
        model = Task
        fields = [
            "id", "source", "external_code", "content", "authority", "document_number", "document_date",
            "unit", "field", "product_type", "responsible", "responsible_resolution", "received_on",
            "handled_on", "advised_on", "due_on", "completed_on", "quality", "returned_count", "proactive",
        ]  # fmt: skip


class DossierOut(ModelSchema):
    class Meta:
        model = Dossier
        fields = [
            "id", "source", "external_code", "unit", "field", "procedure", "handler",
            "responsible_resolution", "received_on", "due_on", "completed_on", "returned_on", "status",
            "apology_slip", "channel", "ending", "ended_on", "waiting_since", "waiting_until",
        ]  # fmt: skip


# A field named `register` shadows pydantic's `ABCMeta.register` (class registration for abstract base
# classes, which no schema uses): it is declared required explicitly — else it would take that method
# as its default — and the warning about it is silenced for these classes only.
@contextmanager
def _register_field_allowed():
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r'Field name "register" in ".*" shadows', category=UserWarning
        )
        yield


with _register_field_allowed():

    class ImportRunOut(ModelSchema):
        register: str = Field(...)

        class Meta:
            model = ImportRun
            fields = [
                "id", "register", "unit", "created_at", "finished_at", "file_name", "file_size", "sha256",
                "source", "status", "dry_run", "rows_total", "rows_done", "created_count", "updated_count",
                "unchanged_count", "error_count", "errors", "resolutions",
            ]  # fmt: skip


class InspectionOut(ModelSchema):
    class Meta:
        model = Inspection
        fields = [
            "id", "kind", "unit", "title", "content", "decision_number", "decision_date", "period_from",
            "period_to", "self_report_due", "conclusion_number", "conclusion_date", "conclusion_summary",
            "status", "version",
        ]  # fmt: skip


class FindingOut(ModelSchema):
    tasks: list[int]
    dossiers: list[int]

    class Meta:
        model = Finding
        fields = [
            "id", "inspection", "description", "category", "severity", "responsible", "status", "source",
            "status_note", "created_at", "version",
        ]  # fmt: skip

    @staticmethod
    def resolve_tasks(obj) -> list[int]:
        return sorted(t.pk for t in obj.tasks.all())

    @staticmethod
    def resolve_dossiers(obj) -> list[int]:
        return sorted(d.pk for d in obj.dossiers.all())


# Text without NUL or other control characters (tab and line breaks allowed), as the pages' forms.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$", max_length=20_000)]


# A database id (an absurd one is a 422, never an overflow in the database).
RecordId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class FindingIn(Schema):
    description: Text
    category: str
    severity: str = "medium"
    responsible: RecordId | None = None
    tasks: list[RecordId] = Field(default=[], max_length=1000)
    dossiers: list[RecordId] = Field(default=[], max_length=1000)


class RecommendationOut(ModelSchema):
    class Meta:
        model = Recommendation
        fields = [
            "id", "inspection", "finding", "kind", "addressee", "official", "content", "deadline", "status",
            "done_at", "version",
        ]  # fmt: skip


class RemediationReportOut(Schema):
    """A remediation report; its text is shown to the inspection team only once the unit head has
    approved it (as on the page), else `response_text` is null."""

    id: int
    recommendation: int
    response_text: str | None
    response_status: str
    submitted_at: datetime | None
    approved_at: datetime | None
    review_status: str
    review_note: str
    reviewed_at: datetime | None
    created_at: datetime
    version: int


class RemediationReportIn(Schema):
    response_text: Text
    submit: bool = False


with _register_field_allowed():

    class SampleOut(ModelSchema):
        """A sample. The seed itself is never given out here: only its published commitment."""

        register: str = Field(...)

        class Meta:
            model = Sample
            fields = [
                "id", "inspection", "unit", "title", "register", "period_from", "period_to", "size_method",
                "fixed_size", "confidence", "tolerable_rate", "expected_rate", "allocation", "min_per_field",
                "seed_commitment", "status", "drawn_at", "population_size", "population_sha256", "created_at",
            ]  # fmt: skip


class SampleItemOut(Schema):
    """A drawn record: its field, rank and code, and the dossier or task it points to. The review
    is not given here (the unit sees reviews only once the minutes are signed: see the page)."""

    id: int
    field_code: str
    rank: int
    record_code: str
    dossier: int | None
    task: int | None


with _register_field_allowed():

    class MetricsOut(Schema):
        """The engine's figures, row by row, exactly as `congvu metrics --format json` prints them."""

        register: str = Field(...)
        unit: str | None
        as_of: date
        date_from: date | None
        date_to: date | None
        by: str | None
        warnings: list[str]
        rows: list[dict[str, Any]]


_pages: dict[type, type] = {}


def page_of(item: type) -> type:
    """The paginated list of `item`: {count, limit, offset, items}."""
    if item not in _pages:
        _pages[item] = create_model(
            f"{item.__name__.removesuffix('Out')}Page",
            __base__=Schema,
            count=(int, ...),
            limit=(int, ...),
            offset=(int, ...),
            items=(list[item], ...),
        )
    return _pages[item]
