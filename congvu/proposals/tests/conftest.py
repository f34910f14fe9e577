"""A concluded surprise inspection of the personas' unit with confirmed findings naming the head and
the deputy, a discipline recommendation, a criticism of the head and a correction for the unit; and a
computed (not decided) 2025 year result for the head."""

from datetime import date

from congvu.conftest import shared_fixture
from congvu.inspections import services as inspections
from congvu.inspections.tests.conftest import (  # noqa: F401  (fixtures)
    _media_in_tmp,
    fill_checklists,
    leaders,
    move,
    surprise,
)
from congvu.sampling import services as sampling
from congvu.sampling.tests.conftest import make_dossiers, make_sample


@shared_fixture
def concluded(personas, surprise, leaders):  # noqa: F811
    lead, inspector = personas.lead, personas.inspector
    move(lead, surprise, "decided")
    move(inspector, surprise, "on_site")
    make_dossiers(personas.unit, "XD", 12)
    sample = sampling.sample_draw(
        actor=inspector, sample=make_sample(personas, surprise, fixed_size=5, min_per_field=1)
    )
    sampling.review_record(
        actor=inspector,
        item=sample.items.order_by("pk").first(),
        on_time="no",
        complete="yes",
        legal_basis_correct="yes",
        apology_slip="missing",
        quality="passed",
        deviation=True,
        deviation_type="no_apology",
    )
    inspections.checklist_instantiate(actor=inspector, inspection=surprise)
    fill_checklists(inspector, surprise)
    late = inspections.finding_record(
        actor=inspector,
        inspection=surprise,
        description="Chậm tham mưu 3 văn bản quy phạm pháp luật lĩnh vực xây dựng",
        category="violation",
        severity="high",
        responsible=leaders["deputy"],
    )
    absent = inspections.finding_record(
        actor=inspector,
        inspection=surprise,
        description="Không kiểm tra giờ giấc làm việc tại bộ phận một cửa",
        category="shortcoming",
        severity="medium",
        responsible=leaders["head"],
    )
    dropped = inspections.finding_record(
        actor=inspector,
        inspection=surprise,
        description="Thiếu lịch công tác tuần",
        category="limitation",
        severity="low",
    )
    for finding in (late, absent):
        inspections.finding_confirm(actor=inspector, finding=finding)
    inspections.finding_withdraw(actor=inspector, finding=dropped, note="Đơn vị đã xuất trình lịch")
    move(inspector, surprise, "minutes_signed")
    discipline = inspections.recommendation_create(
        actor=inspector,
        inspection=surprise,
        kind="reprimand",
        addressee="Chủ tịch UBND tỉnh",
        official=leaders["deputy"],
        content="Đề nghị xem xét kỷ luật khiển trách Phó Giám đốc phụ trách lĩnh vực xây dựng",
        finding=late,
    )
    criticism = inspections.recommendation_create(
        actor=inspector,
        inspection=surprise,
        kind="criticism",
        addressee="Giám đốc Sở Xây dựng",
        official=leaders["head"],
        content="Phê bình Giám đốc vì buông lỏng quản lý giờ giấc",
        finding=absent,
        deadline=date(2025, 9, 30),
    )
    correction = inspections.recommendation_create(
        actor=inspector,
        inspection=surprise,
        kind="correction",
        addressee="Sở Xây dựng",
        content="Chấn chỉnh việc niêm yết thủ tục hành chính",
        deadline=date(2025, 9, 30),
    )
    inspections.inspection_update(
        actor=lead,
        inspection=surprise,
        expected_version=None,
        conclusion_number="30/TB-SNV",
        conclusion_date=date(2025, 8, 1),
    )
    move(lead, surprise, "concluded")
    surprise.refresh_from_db()
    return {
        "inspection": surprise,
        "late": late,
        "absent": absent,
        "dropped": dropped,
        "discipline": discipline,
        "criticism": criticism,
        "correction": correction,
        "sample": sample,
        **leaders,
    }


@shared_fixture
def head_year_result(personas, leaders):  # noqa: F811
    from congvu.evaluation.models import YearResult

    return YearResult.objects.create(
        official=leaders["head"],
        year=2025,
        unit=personas.unit,
        rule_set="nd90_2020",
        role="head",
        computed_band="tot",
    )


@shared_fixture
def report(personas, concluded, head_year_result):
    from congvu.proposals import services

    return services.report_create(actor=personas.lead, kind="inspection", inspection=concluded["inspection"])
