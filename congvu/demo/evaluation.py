"""Demo step: the year-end evaluation of the Department of Construction (Sở Xây dựng), through the
evaluation services with the demo accounts.

* Four specialists (chuyên viên) join the department's leaders and its focal point, and the department
  imports its internal task register for 2025–2026 (through the importer, as a unit does): a few tasks
  per person and quarter, most on time, some late, some returned for corrections.
* 2025 is rated under Decree 90/2020 + 48/2023: bands by conditions from each person's 2025 tasks
  (`score_nd90`), recorded as the competent level's decisions (the Chairman for the head).
* 2026 is rated under Decree 335/2025, quarterly: Q1 and Q2 approved; Q3 in every state (draft,
  self-assessed, reviewed, approved), one late product excused by its confirming document; Q4 just
  generated. Two specialists score 90 or more in a group of four rated good or better: no excellent
  place at 20 %, so both are over the quota and the evaluator must decide. One specialist has a
  reprimand for a public-duty violation in 2026: "không hoàn thành" whatever the score.
* The year is computed for the department; the results stay undecided for the Chairman's proposals
  (the next step).
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path

from django.db.models import Count, F, Q

from congvu.accounts.models import User
from congvu.evaluation import services
from congvu.evaluation.models import PeriodSheet, SheetStatus, YearResult
from congvu.org.models import Appointment, AppointmentRole, Official
from congvu.org.services import appointment_create, official_create
from congvu.registers.imports import import_file
from congvu.registers.models import Task

SOURCE = "demo-danh-gia"
AS_OF = date(2026, 11, 27)  # the registers' last day
SPECIALISTS = [
    ("SXD-CV01", "Trần Minh Khoa", "strong"),
    ("SXD-CV02", "Lê Thị Bích Ngọc", "strong"),
    ("SXD-CV03", "Đặng Văn Lộc", "average"),
    ("SXD-CV04", "Huỳnh Thanh Tâm", "weak"),
]
TITLE = "Chuyên viên phòng Quản lý xây dựng"
HEADER = [
    "Mã nhiệm vụ",
    "Nội dung",
    "Cơ quan giao",
    "Đơn vị chủ trì",
    "Lĩnh vực",
    "Loại sản phẩm",
    "Ngày nhận",
    "Hạn hoàn thành",
    "Ngày hoàn thành",
    "Chất lượng",
    "Số lần trả lại",
    "Người phụ trách",
]
CONTENT = [
    "Báo cáo tình hình cấp phép xây dựng {q}",
    "Tham mưu văn bản hướng dẫn quản lý chất lượng công trình {q}",
    "Kiểm tra công tác nghiệm thu công trình {q}",
    "Dự thảo quyết định phê duyệt đơn giá xây dựng {q}",
    "Tổng hợp ý kiến góp ý dự thảo quy hoạch {q}",
]
PRODUCTS = ["report", "admin_document", "other", "legal_normative", "report"]


def _staff(ctx, unit) -> list[Official]:
    made = []
    for code, name, _profile in SPECIALISTS:
        official = Official.objects.filter(code=code).first() or official_create(
            actor=ctx.actor, code=code, full_name=name
        )
        appointment_create(
            actor=ctx.actor,
            official=official,
            unit=unit,
            role=AppointmentRole.OTHER,
            title=TITLE,
            start=date(2025, 7, 1),
            decision="Quyết định điều động, phân công 01/7/2025",
        )
        made.append(official)
    return made


def _quarters():
    for year, quarters in ((2025, (3, 4)), (2026, (1, 2, 3, 4))):
        for q in quarters:
            start = date(year, 3 * q - 2, 1)
            yield year, q, start


def _task_rows(ctx, unit, people: list[tuple[Official, str]], fields: dict[int, list[str]], tenure):
    """A few tasks per person and quarter; the profile sets how often they are late or returned."""
    rng = ctx.rng
    late_p = {"strong": 0.0, "average": 0.25, "weak": 0.5, "leader": 0.15}
    n = 0
    for year, q, start in _quarters():
        for official, profile in people:
            for _i in range(rng.randint(3, 4)):
                received = start + timedelta(days=rng.randint(0, 40))
                if not tenure[official.pk][0] <= received <= (tenure[official.pk][1] or AS_OF):
                    continue  # tasks only while in post
                n += 1
                due = received + timedelta(days=rng.randint(15, 40))
                completed = due - timedelta(days=rng.randint(0, 10))
                if rng.random() < late_p[profile]:
                    completed = due + timedelta(days=rng.randint(1, 12))
                quality, returned = "Đạt", "0"
                if profile != "strong" and rng.random() < late_p[profile]:
                    quality, returned = "Trả lại", "1"
                if completed > AS_OF:
                    completed, quality, returned = None, "", ""
                k = rng.randrange(len(CONTENT))
                yield [
                    f"SXD-NB-{year}-{n:04d}",
                    CONTENT[k].format(q=f"quý {q}/{year}"),
                    "ppc",
                    unit.code,
                    rng.choice(fields[official.pk]) if fields.get(official.pk) else "",
                    PRODUCTS[k],
                    received.strftime("%d/%m/%Y"),
                    due.strftime("%d/%m/%Y"),
                    completed.strftime("%d/%m/%Y") if completed else "",
                    quality,
                    returned,
                    official.code,
                ]


def _import_tasks(ctx, unit, focal, people, fields, tenure) -> int:
    with tempfile.TemporaryDirectory(prefix="congvu-demo-eval-") as tmp:
        path = Path(tmp) / "so-theo-doi-nhiem-vu-noi-bo-sxd.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(_task_rows(ctx, unit, people, fields, tenure))
        run = import_file(
            actor=focal, register="tasks", path=path, file_name=path.name, source=SOURCE, unit=unit
        )
    if run.status != "stored":
        raise RuntimeError(f"demo evaluation tasks rejected: {run.errors[:5]}")
    return run.created_count


def _rate_2025(unit, people, roles, head, director, chairman) -> None:
    """Decree 90/48: the band by conditions from each person's 2025 tasks, then the decision."""
    counts = {
        row["responsible_id"]: row
        for row in Task.objects.filter(unit=unit, responsible__in=[p for p, _ in people], due_on__year=2025)
        .values("responsible_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(completed_on__isnull=False)),
            good=Count(
                "id", filter=Q(completed_on__lte=F("due_on")) & ~Q(quality="returned") & ~Q(quality="failed")
            ),
        )
    }
    for official, _profile in people:
        c = counts.get(official.pk)
        if not c:
            continue
        conditions = {
            "general_criteria_level": "tot",
            "tasks_total": c["total"],
            "tasks_completed": c["done"],
            "tasks_on_time_quality": c["good"],
            "tasks_exceeded": 0,
            "unit_targets_total": c["total"],
            "unit_targets_completed": c["done"],
            "unit_targets_on_time_quality": c["good"],
            "months_worked": 6,
        }
        # Rated in the app (the year page explains each condition and the quota) ...
        services.year_conditions_record(actor=director, official=official, year=2025, conditions=conditions)
    # ... then decided on the bands after the unit's quota.
    for official, _profile in people:
        rated = YearResult.objects.filter(official=official, year=2025).first()
        if rated is None or not rated.computed_band:
            continue
        actor = chairman if official == head else director
        services.year_result_decide(
            actor=actor,
            official=official,
            year=2025,
            band=rated.computed_band,
            decision_document=(
                "Quyết định 512/QĐ-UBND ngày 12/12/2025"
                if official == head
                else "Quyết định 88/QĐ-SXD ngày 12/12/2025"
            ),
            note="Xếp loại theo Nghị định 90/2020/NĐ-CP, 48/2023/NĐ-CP: "
            + "; ".join(line["text"] for line in rated.explanation["year"][:4]),
        )


POINTS = {
    "strong": {"a": "10", "b": "10", "c": "10"},
    "average": {"a": "9", "b": "8", "c": "8"},
    "weak": {"a": "8", "b": "7", "c": "6"},
    "leader": {"a": "9", "b": "9", "c": "8"},
}


def _walk(sheet, profile, target, focal, head_user, director, chairman) -> None:
    """Take one sheet as far as `target` through the workflow, by the people the workflow names."""
    if sheet.status == SheetStatus.APPROVED or target == SheetStatus.DRAFT or sheet.score.get("error"):
        return
    points = POINTS[profile]
    leader_sheet = sheet.role == "head"
    sheet = services.sheet_self_assess(
        actor=head_user if leader_sheet else focal, sheet=sheet, general_points=points
    )
    if target == SheetStatus.SELF_ASSESSED:
        return
    sheet = services.sheet_review(
        actor=director if leader_sheet else head_user, sheet=sheet, general_points=points
    )
    if target == SheetStatus.REVIEWED:
        return
    services.sheet_approve(actor=chairman if leader_sheet else head_user, sheet=sheet)


def build(ctx) -> None:
    units = ctx.data.get("demo_units") or {}
    unit = units.get("department")
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["daumoi.sxd", "giamdoc.sxd", "truongdoan", "chutich"])
    }
    if unit is None or len(users) < 4:
        ctx.log("Đánh giá, xếp loại: chưa có Sở Xây dựng hoặc tài khoản trình diễn, bỏ qua.")
        return
    focal, head_user, director, chairman = (
        users[k] for k in ("daumoi.sxd", "giamdoc.sxd", "truongdoan", "chutich")
    )
    staff = _staff(ctx, unit)
    appointments = Appointment.objects.filter(unit=unit).select_related("official")
    head = next((a.official for a in appointments if a.role == AppointmentRole.HEAD), None)
    profiles = {o.pk: p for o, (_c, _n, p) in zip(staff, SPECIALISTS, strict=True)}
    people = [(a.official, profiles.get(a.official_id, "leader")) for a in appointments]
    portfolios = {
        a.official_id: sorted(a.fields.values_list("code", flat=True))
        for a in appointments
        if a.role == AppointmentRole.DEPUTY
    }
    every = sorted({code for codes in portfolios.values() for code in codes})
    fields = {o.pk: portfolios.get(o.pk) or every for o, _p in people}
    tenure = {a.official_id: (a.start, a.end) for a in appointments}
    created = _import_tasks(ctx, unit, focal, people, fields, tenure)
    services.unit_setting_save(actor=head_user, unit=unit, period_kind="quarter")
    for name, product_type, weight in (
        ("Báo cáo định kỳ, chuyên đề", "report", "1.5"),
        ("Văn bản quy phạm pháp luật", "legal_normative", "2"),
        ("Văn bản hành chính", "admin_document", "1"),
    ):
        services.catalogue_item_save(
            actor=head_user, unit=unit, name=name, product_type=product_type, weight=weight
        )
    roles = {a.official_id: {"head": "head", "deputy": "deputy"}.get(a.role, "staff") for a in appointments}
    _rate_2025(unit, people, roles, head, head_user, chairman)

    profile_of = {o.pk: p for o, p in people}
    for number in (1, 2, 3, 4):
        sheets = services.sheets_generate(
            actor=focal, unit=unit, year=2026, period_number=number, period_kind="quarter", as_of=AS_OF
        )
        states = (
            [SheetStatus.APPROVED] * len(sheets)
            if number < 3
            else ([SheetStatus.DRAFT] * len(sheets) if number == 4 else None)
        )
        if states is None:  # Q3: every state
            cycle = [SheetStatus.APPROVED, SheetStatus.REVIEWED, SheetStatus.SELF_ASSESSED, SheetStatus.DRAFT]
            states = [cycle[i % 4] for i in range(len(sheets))]
        for sheet, target in zip(
            sorted(sheets, key=lambda s: (s.role, s.official.code)), states, strict=True
        ):
            sheet = PeriodSheet.objects.get(pk=sheet.pk)
            if number == 3 and target == SheetStatus.SELF_ASSESSED:
                late = sheet.products.filter(delays__gt=0).first()
                if late is not None:
                    services.product_excuse(
                        actor=focal,
                        product=late,
                        document="Công văn 1520/UBND-KT",
                        document_date=date(2026, 9, 25),
                    )
                    sheet.refresh_from_db()
            _walk(sheet, profile_of[sheet.official_id], target, focal, head_user, director, chairman)

    weak = staff[3]
    services.discipline_record(
        actor=head_user,
        official=weak,
        form="khien_trach",
        effective_date=date(2026, 10, 20),
        decision_number="145/QĐ-SXD",
        decision_date=date(2026, 10, 15),
        public_duty_violation=True,
        source_description="Chậm trình hồ sơ thẩm định nhiều lần, đã được nhắc nhở",
    )
    results = services.year_compute(actor=head_user, unit=unit, year=2026)
    over = sum(r.over_quota for r in results)
    counts = {
        s: PeriodSheet.objects.filter(unit=unit, year=2026, status=s).count() for s in SheetStatus.values
    }
    state_text = ", ".join(f"{SheetStatus(k).label.lower()}: {v}" for k, v in counts.items())
    ctx.data["evaluation_unit"] = unit
    ctx.log(
        f"Đánh giá, xếp loại: Sở Xây dựng — {created} nhiệm vụ nội bộ, năm 2025 theo NĐ 90/48, năm 2026 theo "
        f"NĐ 335 (phiếu quý — {state_text}), {len(results)} kết quả năm, "
        f"{over} người vượt tỷ lệ xuất sắc, 1 kỷ luật khiển trách."
    )
