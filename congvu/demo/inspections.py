"""Demo step: annual plans and inspections in every state of the workflow, built through the services.

The 2026 plan (approved) inspects the second half of 2025 — the new province's first half-year — in
Sở Xây dựng and Xã Càng Long (the units of the demo accounts `daumoi.sxd` / `daumoi.xa`, looked up
through those users) and in five other departments; a surprise inspection is under way at Sở Xây dựng;
the 2027 plan is still a draft. Each inspection is moved through `inspection_transition` by the role
the workflow table names, so its history and audit trail read like real work. The departments without
demo accounts get a focal point and a head with unusable passwords (they act, nobody logs in as them).
Dates are fixed, so the same seed builds the same province whatever day it runs.
"""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from congvu.accounts.models import Role, User
from congvu.accounts.services import user_create
from congvu.inspections import services
from congvu.inspections.models import ChecklistItem, Inspection
from congvu.inspections.workflow import InspectionStatus as S
from congvu.org.models import Unit, UnitKind

PERIOD = (date(2025, 7, 1), date(2025, 12, 31))

# The order of the workflow, for a scheduled inspection; each demo inspection stops at one status.
SCHEDULED_PATH = [
    S.DECIDED,
    S.NOTIFIED,
    S.SELF_REPORT_RECEIVED,
    S.ON_SITE,
    S.MINUTES_SIGNED,
    S.CONCLUDED,
    S.REMEDIATION,
    S.CLOSED,
]

# unit name (current department) -> (plan month, the status its inspection is left in)
OTHER_DEPARTMENTS = [
    ("Sở Tư pháp", 3, S.CLOSED),
    ("Sở Tài chính", 4, S.CONCLUDED),
    ("Sở Y tế", 5, S.MINUTES_SIGNED),
    ("Sở Công Thương", 6, S.SELF_REPORT_RECEIVED),
    ("Sở Giáo dục và Đào tạo", 8, S.DECIDED),
    ("Sở Nông nghiệp và Môi trường", 11, S.DRAFT),
]

# Invented people for the departments without demo accounts: (focal point, head).
UNIT_PEOPLE = [
    ("Lê Thị Mỹ Duyên", "Trần Quốc Bảo"),
    ("Nguyễn Ngọc Hân", "Phan Văn Lực"),
    ("Đỗ Thị Thanh Trúc", "Huỳnh Minh Đức"),
    ("Võ Thị Kim Yến", "Lâm Hoàng Nam"),
    ("Trương Thị Hồng Nhung", "Dương Văn Hải"),
    ("Cao Thị Bích Phượng", "Kiều Văn Thắng"),
]

FAILED_NOTES = [
    "Một số công chức không đeo thẻ khi làm việc.",
    "Chưa niêm yết đầy đủ thủ tục hành chính mới ban hành.",
    "Lịch công tác tuần chưa được cập nhật trên cổng thông tin.",
    "Hồ sơ lưu trữ chưa được sắp xếp theo danh mục.",
]


def _pdf(title: str) -> SimpleUploadedFile:
    """A small, valid PDF standing for a scanned document (ASCII text only, as PDF base fonts need)."""
    text = title.encode("ascii", "ignore").decode()
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    name = "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:60] or "tai-lieu"
    return SimpleUploadedFile(f"{name}.pdf", bytes(out), content_type="application/pdf")


def _department(name: str) -> Unit | None:
    return (
        Unit.objects.filter(name=name, kind=UnitKind.DEPARTMENT)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=PERIOD[1]))
        .order_by("-valid_from", "pk")
        .first()
    )


def _unit_users(ctx, unit: Unit, index: int) -> tuple[User, User]:
    focal = User.objects.filter(unit=unit, role=Role.FOCAL).order_by("pk").first()
    head = User.objects.filter(unit=unit, role=Role.UNIT_HEAD).order_by("pk").first()
    focal_name, head_name = UNIT_PEOPLE[index % len(UNIT_PEOPLE)]
    slug = (unit.abbreviation or unit.code).lower().replace(" ", "")
    if focal is None:
        focal = user_create(
            actor=ctx.actor,
            username=f"daumoi.{slug}",
            password=None,
            role=Role.FOCAL,
            unit=unit,
            full_name=focal_name,
        )
    if head is None:
        head = user_create(
            actor=ctx.actor,
            username=f"thutruong.{slug}",
            password=None,
            role=Role.UNIT_HEAD,
            unit=unit,
            full_name=head_name,
        )
    return focal, head


class Walker:
    """Moves one demo inspection along the workflow, doing at each step what the people would do."""

    def __init__(
        self, ctx, inspection: Inspection, lead: User, inspector: User, focal: User, head: User, n: int
    ):
        self.ctx, self.inspection = ctx, inspection
        self.lead, self.inspector, self.focal, self.head = lead, inspector, focal, head
        self.n = n  # the inspection's number, for document numbers

    def move(self, to_status: str, actor: User, note: str = "") -> None:
        self.inspection = services.inspection_transition(
            actor=actor, inspection=self.inspection, to_status=to_status, note=note
        )

    def walk(self, path: list[str], stop: str) -> Inspection:
        for status in path:
            if self.inspection.status == stop:
                break
            getattr(self, f"before_{status}", lambda: None)()
            actor = {S.DECIDED: self.lead, S.CONCLUDED: self.lead, S.CLOSED: self.lead}.get(
                status, self.inspector
            )
            if status == S.SELF_REPORT_RECEIVED:
                actor = self.focal
            self.move(status, actor)
            getattr(self, f"after_{status}", lambda: None)()
        return self.inspection

    # --- what happens around each move ---------------------------------------------------

    def after_decided(self) -> None:
        services.evidence_upload(
            actor=self.lead,
            inspection=self.inspection,
            uploaded_file=_pdf(f"Quyet dinh kiem tra cong vu so {self.inspection.decision_number}"),
            kind="decision",
            description="Quyết định thành lập Đoàn kiểm tra",
        )

    def after_notified(self) -> None:
        services.document_request_create(
            actor=self.inspector,
            inspection=self.inspection,
            title="Sổ theo dõi nhiệm vụ được giao 6 tháng cuối năm 2025",
            due_on=date(2026, self.inspection.decision_date.month, 20),
        )

    def before_self_report_received(self) -> None:
        request = self.inspection.document_requests.get(is_self_report=True)
        services.unit_response_save(
            actor=self.focal,
            response=request,
            expected_version=request.version,
            response_text="Đơn vị đã tự kiểm tra theo nội dung Kế hoạch; kèm báo cáo tự kiểm tra.",
        )
        services.evidence_upload(
            actor=self.focal,
            inspection=self.inspection,
            uploaded_file=_pdf("Bao cao tu kiem tra cong vu"),
            document_request=request,
        )
        services.unit_response_submit(actor=self.focal, response=request)
        services.unit_response_approve(actor=self.head, response=request)

    def after_on_site(self) -> None:
        services.checklist_instantiate(actor=self.inspector, inspection=self.inspection)

    def before_minutes_signed(self) -> None:
        fill_checklists(self.ctx, self.inspection, self.inspector)

    def after_minutes_signed(self) -> None:
        services.evidence_upload(
            actor=self.inspector,
            inspection=self.inspection,
            uploaded_file=_pdf("Bien ban kiem tra cong vu"),
            kind="minutes",
            description="Biên bản kiểm tra có chữ ký của Đoàn và đơn vị",
        )
        record_findings(self)

    def before_concluded(self) -> None:
        for finding in self.inspection.findings.filter(status="sent"):
            explanation = finding.explanation
            services.unit_response_save(
                actor=self.focal,
                response=explanation,
                expected_version=explanation.version,
                response_text="Đơn vị tiếp thu; nguyên nhân do thay đổi nhân sự sau sắp xếp bộ máy.",
            )
            services.unit_response_submit(actor=self.focal, response=explanation)
            services.unit_response_approve(actor=self.head, response=explanation)
            services.finding_confirm(
                actor=self.inspector, finding=finding, note="Đơn vị đã giải trình, tiếp thu."
            )
        for finding in self.inspection.findings.filter(status="draft"):
            services.finding_confirm(actor=self.inspector, finding=finding)
        self.inspection = services.inspection_update(
            actor=self.lead,
            inspection=self.inspection,
            expected_version=None,
            conclusion_number=f"{40 + self.n}/TB-SNV",
            conclusion_date=date(2026, min(12, self.inspection.decision_date.month + 1), 10),
            conclusion_summary="Đơn vị cơ bản chấp hành tốt kỷ luật, kỷ cương hành chính; còn hạn chế.",
        )

    def after_concluded(self) -> None:
        services.evidence_upload(
            actor=self.lead,
            inspection=self.inspection,
            uploaded_file=_pdf(f"Thong bao ket luan {self.inspection.conclusion_number}"),
            kind="conclusion",
        )

    def before_closed(self) -> None:
        for rec in self.inspection.recommendations.filter(status="open"):
            remediate(self, rec, accept=True)


def fill_checklists(ctx, inspection: Inspection, actor: User) -> None:
    """Every item answered. A head/deputy item with frozen figures fails when they show late, overdue
    or rejected work; an observed item fails now and then (deterministic from the seed)."""
    for sheet in inspection.checklists.all():
        entries = []
        for item in sheet.items.all():
            if item.snapshot:
                problems = _figure_problems(item.snapshot)
                entries.append(
                    (item.pk, item.version, "failed" if problems else "passed", "; ".join(problems))
                )
            elif ctx.rng.random() < 0.15:
                entries.append((item.pk, item.version, "failed", ctx.rng.choice(FAILED_NOTES)))
            else:
                entries.append((item.pk, item.version, "passed", ""))
        services.checklist_save(actor=actor, checklist=sheet, entries=entries)


def _figure_problems(snapshot: dict) -> list[str]:
    """'Nhiệm vụ được giao: 93 đang quá hạn, 142 hoàn thành quá hạn' for each group with late,
    overdue or rejected work."""
    problems = []
    for group in snapshot.get("groups", []):
        figures = group.get("figures", {})
        parts = [
            f"{figures[key]} {text}"
            for key, text in (
                ("open_overdue", "đang quá hạn"),
                ("done_late", "hoàn thành quá hạn"),
                ("quality_failed", "không đạt chất lượng"),
            )
            if figures.get(key)
        ]
        if parts:
            problems.append(f"{group['label']}: {', '.join(parts)}")
    return problems


def record_findings(w: Walker) -> None:
    items = list(
        ChecklistItem.objects.filter(checklist__inspection=w.inspection, result="failed").order_by("pk")[:2]
    )
    head_sheet = w.inspection.checklists.filter(subject="head").first()
    first = services.finding_record(
        actor=w.inspector,
        inspection=w.inspection,
        description="Việc chấp hành kỷ luật, kỷ cương hành chính còn hạn chế: "
        + (items[0].notes if items else "một số công chức chưa đeo thẻ khi làm việc."),
        category="limitation",
        severity="low",
        checklist_items=items,
        source="Phiếu kiểm tra",
    )
    services.finding_send(actor=w.inspector, finding=first)
    item = head_sheet.items.filter(metric="tasks_progress").first() if head_sheet else None
    problems = _figure_problems(item.snapshot) if item is not None and item.snapshot else []
    if problems:
        services.finding_record(
            actor=w.inspector,
            inspection=w.inspection,
            description="Nhiệm vụ được giao chậm so với thời hạn: " + "; ".join(problems) + ".",
            category="shortcoming",
            severity="medium",
            responsible=head_sheet.official,
            checklist_items=[item],
            source="Số liệu chốt của người đứng đầu",
        )
    services.recommendation_create(
        actor=w.inspector,
        inspection=w.inspection,
        kind="correction",
        addressee=f"Thủ trưởng {w.inspection.unit.name}",
        content="Chấn chỉnh việc chấp hành thời giờ làm việc, đeo thẻ công chức; báo cáo kết quả khắc phục.",
        deadline=date(2026, min(12, w.inspection.decision_date.month + 2), 15),
        finding=first,
    )
    services.recommendation_create(
        actor=w.inspector,
        inspection=w.inspection,
        kind="self_criticism",
        addressee=f"Lãnh đạo {w.inspection.unit.name}",
        content="Tổ chức kiểm điểm, rút kinh nghiệm đối với việc chậm thực hiện nhiệm vụ được giao.",
        deadline=date(2026, min(12, w.inspection.decision_date.month + 2), 28),
    )


def remediate(w: Walker, rec, *, accept: bool) -> None:
    report = services.remediation_report_create(
        actor=w.focal, recommendation=rec, response_text="Đơn vị đã triển khai khắc phục; kèm minh chứng."
    )
    services.evidence_upload(
        actor=w.focal,
        inspection=w.inspection,
        uploaded_file=_pdf("Bao cao khac phuc"),
        remediation_report=report,
    )
    services.unit_response_submit(actor=w.focal, response=report)
    services.unit_response_approve(actor=w.head, response=report)
    if accept:
        services.remediation_review(actor=w.inspector, report=report, accept=True)


def build(ctx) -> None:
    lead = User.objects.get(username="truongdoan")
    inspector = User.objects.get(username="kiemtra")
    sxd_focal = User.objects.get(username="daumoi.sxd")
    xa_focal = User.objects.get(username="daumoi.xa")
    sxd, xa = sxd_focal.unit, xa_focal.unit
    sxd_head = User.objects.filter(unit=sxd, role=Role.UNIT_HEAD).order_by("pk").first()
    xa_head = User.objects.filter(unit=xa, role=Role.UNIT_HEAD).order_by("pk").first()

    plan = services.plan_create(
        actor=inspector,
        year=2026,
        number="15/KH-SNV",
        title="Kế hoạch kiểm tra công vụ năm 2026",
        content=(
            "Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính và kiểm tra chuyên sâu việc thực hiện "
            "nhiệm vụ của người đứng đầu, cấp phó (Công văn 5712/UBND-NC). Thời kỳ: 6 tháng cuối năm 2025. "
            "Phương pháp: đơn vị tự kiểm tra, Đoàn kiểm tra trực tiếp, chọn mẫu ngẫu nhiên hồ sơ."
        ),
    )
    targets = [(sxd, 9, S.REMEDIATION, sxd_focal, sxd_head), (xa, 10, S.NOTIFIED, xa_focal, xa_head)]
    for index, (name, month, stop) in enumerate(OTHER_DEPARTMENTS):
        unit = _department(name)
        if unit is None or unit.pk == sxd.pk:
            continue
        focal, head = _unit_users(ctx, unit, index)
        targets.append((unit, month, stop, focal, head))
    items = {}
    for unit, month, _stop, _f, _h in targets:
        items[unit.pk] = services.plan_item_add(
            actor=inspector,
            plan=plan,
            unit=unit,
            month=month,
            content="Kỷ luật, kỷ cương hành chính; thực hiện nhiệm vụ của người đứng đầu, cấp phó.",
            period_from=PERIOD[0],
            period_to=PERIOD[1],
        )
    services.plan_approve(actor=lead, plan=plan)

    counts: dict[str, int] = {}
    for n, (unit, month, stop, focal, head) in enumerate(sorted(targets, key=lambda t: t[1]), start=1):
        inspection = services.inspection_create(
            actor=lead,
            kind="scheduled",
            plan_item=items[unit.pk],
            decision_number=f"{100 + n}/QĐ-SNV",
            decision_date=date(2026, month, 2),
            self_report_due=date(2026, month, 12),
        )
        services.team_member_add(actor=lead, inspection=inspection, user=lead, role="head")
        services.team_member_add(actor=lead, inspection=inspection, user=inspector, role="member")
        walker = Walker(ctx, inspection, lead, inspector, focal, head, n)
        inspection = walker.walk(SCHEDULED_PATH, stop)
        if stop == S.REMEDIATION:
            # The later recommendation reported and accepted; the earlier one left open: overdue on the
            # dashboard once its deadline has passed.
            remediate(walker, inspection.recommendations.order_by("-deadline", "-pk").first(), accept=True)
        counts[stop] = counts.get(stop, 0) + 1

    # A surprise inspection under way at Sở Xây dựng: the team is on site, half the checklist done.
    surprise = services.inspection_create(
        actor=lead,
        kind="surprise",
        unit=sxd,
        title="Kiểm tra đột xuất việc chấp hành giờ giấc tại Bộ phận Một cửa, Sở Xây dựng",
        period_from=date(2026, 1, 1),
        period_to=date(2026, 6, 30),
        decision_number="150/QĐ-SNV",
        decision_date=date(2026, 11, 2),
    )
    services.team_member_add(actor=lead, inspection=surprise, user=inspector, role="head")
    walker = Walker(ctx, surprise, lead, inspector, sxd_focal, sxd_head, 50)
    walker.move(S.DECIDED, lead)
    walker.after_decided()
    walker.move(S.ON_SITE, inspector, note="Đoàn đến lúc 7 giờ 30, không báo trước.")
    services.checklist_instantiate(actor=inspector, inspection=surprise)
    unit_sheet = surprise.checklists.get(subject="unit")
    services.checklist_save(
        actor=inspector,
        checklist=unit_sheet,
        entries=[(i.pk, i.version, "passed", "") for i in unit_sheet.items.order_by("order")[:4]],
    )
    counts[S.ON_SITE] = counts.get(S.ON_SITE, 0) + 1

    draft_plan = services.plan_create(
        actor=inspector, year=2027, title="Kế hoạch kiểm tra công vụ năm 2027 (dự thảo)"
    )
    services.plan_item_add(
        actor=inspector, plan=draft_plan, unit=xa, month=3, content="Kỷ luật, kỷ cương hành chính"
    )

    ctx.log(
        "Kiểm tra: kế hoạch 2026 (đã duyệt, "
        f"{len(targets)} đơn vị), kế hoạch 2027 (dự thảo), {sum(counts.values())} cuộc kiểm tra ("
        + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        + ")."
    )
