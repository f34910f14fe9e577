"""A small world for the API tests: every persona with a token, records, an inspection of the
personas' unit taken to remediation (a finding, a recommendation, a remediation report, a drawn
sample), and the same kinds of objects at the outsider's unit, which the unit roles must never see."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from congvu.api.services import token_create
from congvu.conftest import shared_fixture
from congvu.inspections import services as insp
from congvu.inspections.models import Inspection
from congvu.org.models import Field
from congvu.registers.models import Dossier, Task
from congvu.registers.tests.conftest import org  # noqa: F401 - the registers' small organisation, for imports
from congvu.sampling import services as sampling

ROLES = ("admin", "inspector", "lead", "leadership", "focal", "unit_head", "outsider")
PERIOD = (date(2025, 1, 1), date(2025, 6, 30))


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_rate_limit_unless_asked(settings):
    settings.API_RATE_LIMIT_REQUESTS = 100_000


@dataclass
class World:
    personas: object
    tokens: dict
    mine: dict = field(default_factory=dict)  # objects of the personas' unit
    theirs: dict = field(default_factory=dict)  # objects of the outsider's unit


def _records(unit, prefix: str, fld: Field) -> tuple[Task, Dossier]:
    for i in range(6):
        received = PERIOD[0] + timedelta(days=7 * i)
        Dossier.objects.create(
            source="dvc",
            external_code=f"{prefix}-HS-{i:02d}",
            unit=unit,
            field=fld,
            procedure="Cấp giấy phép xây dựng",
            received_on=received,
            due_on=received + timedelta(days=10),
            completed_on=received + timedelta(days=8 + i % 4),
        )
    for i in range(3):
        Task.objects.create(
            source="vb",
            external_code=f"{prefix}-NV-{i:02d}",
            content=f"Tham mưu kế hoạch số {i}",
            authority="ppc",
            unit=unit,
            field=fld,
            received_on=PERIOD[0] + timedelta(days=20 * i),
            due_on=PERIOD[0] + timedelta(days=20 * i + 15),
        )
    return Task.objects.filter(unit=unit).first(), Dossier.objects.filter(unit=unit).first()


def _on_site(personas, unit, title) -> Inspection:
    inspection = insp.inspection_create(
        actor=personas.lead,
        kind="surprise",
        unit=unit,
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        decision_number=f"{title[:5]}/QĐ-SNV",
        decision_date=date(2025, 7, 2),
    )
    insp.team_member_add(actor=personas.lead, inspection=inspection, user=personas.lead, role="head")
    insp.team_member_add(actor=personas.lead, inspection=inspection, user=personas.inspector, role="member")
    insp.inspection_transition(actor=personas.lead, inspection=inspection, to_status="decided")
    return insp.inspection_transition(actor=personas.inspector, inspection=inspection, to_status="on_site")


def _to_remediation(personas, inspection: Inspection) -> None:
    insp.checklist_instantiate(actor=personas.inspector, inspection=inspection)
    for sheet in inspection.checklists.all():
        insp.checklist_save(
            actor=personas.inspector,
            checklist=sheet,
            entries=[(i.pk, i.version, "passed", "") for i in sheet.items.all()],
        )
    insp.inspection_transition(actor=personas.inspector, inspection=inspection, to_status="minutes_signed")


def _build(personas, unit, prefix, fld, reporter) -> dict:
    task, dossier = _records(unit, prefix, fld)
    inspection = _on_site(personas, unit, f"{prefix} kiểm tra")
    sample = sampling.sample_create(
        actor=personas.inspector,
        inspection=inspection,
        title=f"Mẫu {prefix}",
        register="dossiers",
        size_method="fixed",
        fixed_size=3,
        min_per_field=1,
    )
    sample = sampling.sample_draw(actor=personas.inspector, sample=sample)
    finding = insp.finding_record(
        actor=personas.inspector,
        inspection=inspection,
        description=f"{prefix}: hồ sơ trễ hạn không có phiếu xin lỗi",
        category="shortcoming",
        severity="medium",
        dossiers=[dossier],
    )
    finding = insp.finding_send(actor=personas.lead, finding=finding)
    finding = insp.finding_confirm(actor=personas.lead, finding=finding, note="Đơn vị thừa nhận")
    _to_remediation(personas, inspection)
    recommendation = insp.recommendation_create(
        actor=personas.inspector,
        inspection=inspection,
        kind="reminder",
        addressee=f"Giám đốc {unit.name}",
        content="Chấn chỉnh việc giải quyết hồ sơ",
        deadline=date(2025, 9, 1),
    )
    insp.inspection_update(
        actor=personas.lead,
        inspection=inspection,
        expected_version=None,
        conclusion_number=f"{prefix}/TB-SNV",
        conclusion_date=date(2025, 8, 1),
    )
    insp.inspection_transition(actor=personas.lead, inspection=inspection, to_status="concluded")
    insp.inspection_transition(actor=personas.inspector, inspection=inspection, to_status="remediation")
    report = insp.remediation_report_create(
        actor=reporter, recommendation=recommendation, response_text=f"{prefix}: đã chấn chỉnh"
    )
    return {
        "task": task,
        "dossier": dossier,
        "inspection": inspection,
        "sample": sample,
        "finding": finding,
        "recommendation": recommendation,
        "report": report,
        "unit": unit,
    }


@shared_fixture
def world(personas) -> World:
    fld = Field.objects.create(code="XD-API", name="Xây dựng (API)")
    tokens = {}
    for role in ROLES:
        tokens[role] = token_create(actor="test", user=getattr(personas, role), name="kiểm thử")[1]
    return World(
        personas=personas,
        tokens=tokens,
        mine=_build(personas, personas.unit, "SXD", fld, personas.focal),
        theirs=_build(personas, personas.other_unit, "STP", fld, personas.outsider),
    )


@pytest.fixture
def api(client):
    """GET/POST as a token: `api.get(token, path, **params)`."""

    class Api:
        def get(self, token, path, **params):
            return client.get(f"/api/v1{path}", params, HTTP_AUTHORIZATION=f"Bearer {token}")

        def post(self, token, path, data=None, **kwargs):
            if "content_type" not in kwargs and not any(hasattr(v, "read") for v in (data or {}).values()):
                kwargs["content_type"] = "application/json"
            return client.post(f"/api/v1{path}", data or {}, HTTP_AUTHORIZATION=f"Bearer {token}", **kwargs)

    return Api()
