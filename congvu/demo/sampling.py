"""Demo step: verifiable random samples of the inspected units' dossiers, at the stages the team would
have reached, built through the sampling services.

The inspections step leaves inspections in every state; sampling work is possible only while an
inspection works (`sampling.policy`), so the samples go to those, one per stage of the story:

* minutes signed — sample drawn and every dossier reviewed; the register's late dossiers are late
  (with or without the apology slip), a few others incomplete or citing a wrong legal basis; up to
  two deviations have become findings, and the unit now sees the reviews (the minutes are signed);
* on site (the surprise inspection) — sample drawn, most of it reviewed, one deviation already a
  finding, and the field with the most deviations extended by a few dossiers still to review;
* self-report received — sample drawn before going on site, so the unit can prepare the dossiers;
* notified — commitment published in the notice, the draw waits for the first day on site.

Attribute sampling (95 % confidence, 5 % tolerable, 0–1 % expected) gives 59–93 dossiers per sample,
allocated to the fields in proportion with at least a few each, so the medium demo stays fast.

A real sample's seed is secret (`secrets`); the demo's seeds come from `ctx.rng` instead, so the same
demo seed draws the same dossiers and tells the same story. Everything else goes through the services
with the team's own accounts, so every step is in the audit chain.
"""

from __future__ import annotations

from datetime import date, timedelta

from congvu.accounts.models import User
from congvu.demo.inspections import _pdf
from congvu.inspections.models import Inspection
from congvu.inspections.workflow import InspectionStatus as S
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.registers.models import Dossier
from congvu.sampling import services
from congvu.sampling.models import ApologySlip, DeviationType, ReviewQuality, SampleItem, Tristate
from congvu.sampling.policy import WORKING_STATUSES

# inspection status -> how far its sample has gone (at most one sample per stage, in this order).
STAGES = [
    (S.MINUTES_SIGNED, "reviewed"),
    (S.ON_SITE, "reviewing"),
    (S.SELF_REPORT_RECEIVED, "drawn"),
    (S.NOTIFIED, "committed"),
]
# stage -> (expected deviation rate, minimum per field)
SIZES = {"reviewed": ("0.01", 3), "reviewing": ("0", 2), "drawn": ("0", 2), "committed": ("0.01", 2)}
REVIEWED_SHARE = 0.7  # of the sample still under review
INCOMPLETE_RATE = 0.02  # dossiers the register shows on time, found incomplete in the file
LEGAL_BASIS_RATE = 0.01  # … or citing a wrong legal basis

INCOMPLETE_NOTES = [
    "Hồ sơ lưu thiếu Phiếu kiểm soát quá trình giải quyết hồ sơ.",
    "Hồ sơ lưu thiếu Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
    "Thành phần hồ sơ thiếu bản sao giấy tờ theo quy định; không có Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.",
    "Tờ khai không có chữ ký của người nộp; cán bộ tiếp nhận vẫn tiếp nhận và giải quyết.",
]
LEGAL_BASIS_NOTES = [
    "Văn bản giải quyết viện dẫn văn bản quy phạm pháp luật đã hết hiệu lực.",
    "Văn bản giải quyết viện dẫn thẩm quyền của Ủy ban nhân dân cấp huyện, đã chấm dứt hoạt động từ "
    "01/7/2025.",
    "Căn cứ pháp lý ghi theo thủ tục cũ, chưa cập nhật thủ tục hành chính mới được công bố.",
]


def _has_dossiers(inspection: Inspection) -> bool:
    return Dossier.objects.filter(
        unit_id__in=unit_with_predecessor_ids(inspection.unit_id),
        received_on__range=(inspection.period_from, inspection.period_to),
    ).exists()


def _targets() -> list[tuple[Inspection, str]]:
    """The first inspection (by id) with dossiers to sample in each stage's status."""
    found = []
    for status, stage in STAGES:
        if status not in WORKING_STATUSES:
            continue
        for inspection in Inspection.objects.filter(status=status).order_by("pk"):
            if _has_dossiers(inspection):
                found.append((inspection, stage))
                break
    return found


def _team(inspection: Inspection, lead: User, inspector: User) -> tuple[User, User]:
    """(who publishes the commitment: the team's head, who draws and reviews: a member or the head)."""
    head = inspection.team.filter(role="head").select_related("user").first()
    head_user = head.user if head else lead
    member = inspection.team.filter(user=inspector).exists()
    return head_user, inspector if member else head_user


def _commitment_reference(inspection: Inspection, n: int) -> str:
    day = (inspection.decision_date or inspection.period_to) + timedelta(days=3)
    if inspection.kind == "surprise":
        return (
            f"Biên bản làm việc ngày {day:%d/%m/%Y} của Đoàn kiểm tra theo Quyết định số "
            f"{inspection.decision_number}"
        )
    return (
        f"Thông báo số {n:02d}/TB-ĐKT ngày {day:%d/%m/%Y} của Đoàn kiểm tra theo Quyết định số "
        f"{inspection.decision_number}"
    )


def _title(inspection: Inspection) -> str:
    start, end = inspection.period_from, inspection.period_to
    return (
        f"Hồ sơ thủ tục hành chính tiếp nhận từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} — {inspection.unit.name}"
    )


def _review_values(ctx, dossier: Dossier, as_of: date) -> dict:
    """The team's answers for one dossier: dates and apology slip as the register shows them (what
    the review page suggests), completeness and legal basis as found in the file."""
    values = {
        "on_time": Tristate.YES,
        "complete": Tristate.YES,
        "legal_basis_correct": Tristate.YES,
        "apology_slip": ApologySlip.NOT_NEEDED,
        "quality": ReviewQuality.PASSED,
        "deviation": False,
        "deviation_type": "",
        "notes": "",
    }
    due, done = dossier.due_on, dossier.completed_on
    late_days = None
    if due and done:
        late_days = (done - due).days if done > due else None
    elif due and not done:
        if due < as_of:
            late_days = (as_of - due).days
        else:
            values["on_time"] = Tristate.NOT_APPLICABLE
    if late_days is not None:
        values["on_time"] = Tristate.NO
        still_open = "; đến ngày kiểm tra chưa có kết quả" if not done else ""
        if dossier.apology_slip:
            values.update(
                apology_slip=ApologySlip.PRESENT,
                deviation=True,
                deviation_type=DeviationType.LATE,
                notes=f"Quá hạn {late_days} ngày{still_open}; có Phiếu xin lỗi và hẹn lại ngày trả kết quả.",
            )
        else:
            values.update(
                apology_slip=ApologySlip.MISSING,
                deviation=True,
                deviation_type=DeviationType.NO_APOLOGY,
                notes=f"Quá hạn {late_days} ngày{still_open}; không có Phiếu xin lỗi và hẹn lại ngày trả kết "
                "quả theo quy định.",
            )
    roll = ctx.rng.random()
    if roll < LEGAL_BASIS_RATE:
        values.update(legal_basis_correct=Tristate.NO, quality=ReviewQuality.FAILED)
        note = ctx.rng.choice(LEGAL_BASIS_NOTES)
        if not values["deviation"]:
            values.update(deviation=True, deviation_type=DeviationType.LEGAL_BASIS, notes=note)
        else:
            values["notes"] += " " + note
    elif roll < LEGAL_BASIS_RATE + INCOMPLETE_RATE:
        values["complete"] = Tristate.NO
        note = ctx.rng.choice(INCOMPLETE_NOTES)
        if not values["deviation"]:
            values.update(deviation=True, deviation_type=DeviationType.INCOMPLETE, notes=note)
        else:
            values["notes"] += " " + note
    return values


def _review(ctx, actor: User, items: list[SampleItem], as_of: date, *, ensure_deviation: bool) -> list:
    """Review the items in order; if none shows a deviation and one is wanted for the story, the last
    on-time dossier turns out incomplete."""
    plans = [(item, _review_values(ctx, item.dossier, as_of)) for item in items]
    if ensure_deviation and plans and not any(v["deviation"] for _i, v in plans):
        values = plans[-1][1]
        values.update(
            complete=Tristate.NO,
            deviation=True,
            deviation_type=DeviationType.INCOMPLETE,
            notes=ctx.rng.choice(INCOMPLETE_NOTES),
        )
    reviews = []
    for item, values in plans:
        evidence = None
        if values["deviation_type"] == DeviationType.NO_APOLOGY:
            evidence = _pdf(f"Giay tiep nhan va hen tra ket qua {item.record_code}")
        reviews.append(services.review_record(actor=actor, item=item, evidence=evidence, **values))
    return reviews


def _to_findings(actor: User, reviews: list, how_many: int) -> int:
    """Turn the weightiest deviations into findings, different kinds first: a missing apology slip is a
    violation, a faulty file a shortcoming, lateness with the slip a limitation."""
    weight = {
        DeviationType.NO_APOLOGY: ("violation", "medium", 0),
        DeviationType.LEGAL_BASIS: ("shortcoming", "medium", 1),
        DeviationType.INCOMPLETE: ("shortcoming", "low", 2),
        DeviationType.LATE: ("limitation", "low", 3),
    }
    ranked = sorted(
        (r for r in reviews if r.deviation and r.deviation_type in weight),
        key=lambda r: (weight[r.deviation_type][2], r.item.stratum.field_code, r.item.rank),
    )
    chosen, types = [], set()
    for review in ranked:  # different kinds of deviation first, then the rest
        if len(chosen) < how_many and review.deviation_type not in types:
            chosen.append(review)
            types.add(review.deviation_type)
    for review in ranked:
        if len(chosen) < how_many and review not in chosen:
            chosen.append(review)
    for review in chosen:
        category, severity, _rank = weight[review.deviation_type]
        services.review_to_finding(actor=actor, review=review, category=category, severity=severity)
    return len(chosen)


def _items(sample) -> list[SampleItem]:
    return list(
        SampleItem.objects.filter(sample=sample)
        .select_related("dossier", "stratum")
        .order_by("stratum__field_code", "rank")
    )


def build(ctx) -> None:
    lead = User.objects.get(username="truongdoan")
    inspector = User.objects.get(username="kiemtra")
    counts = {"samples": 0, "drawn": 0, "items": 0, "reviews": 0, "deviations": 0, "findings": 0}
    for n, (inspection, stage) in enumerate(_targets(), start=21):
        head, worker = _team(inspection, lead, inspector)
        expected, minimum = SIZES[stage]
        sample = services.sample_create(
            actor=head,
            inspection=inspection,
            title=_title(inspection),
            register="dossiers",
            size_method="attribute",
            confidence="0.95",
            tolerable_rate="0.05",
            expected_rate=expected,
            allocation="proportional",
            min_per_field=minimum,
            # Demo seeds come from the demo's generator: the same demo seed draws the same records.
            seed=f"{ctx.rng.getrandbits(256):064x}",
        )
        services.sample_set_commitment_reference(
            actor=head, sample=sample, reference=_commitment_reference(inspection, n)
        )
        counts["samples"] += 1
        if stage == "committed":
            continue
        sample = services.sample_draw(actor=worker, sample=sample, background=False)
        counts["drawn"] += 1
        items = _items(sample)
        counts["items"] += len(items)
        if stage == "drawn":
            continue
        as_of = (inspection.decision_date or inspection.period_to) + timedelta(days=20)
        if stage == "reviewed":
            reviews = _review(ctx, worker, items, as_of, ensure_deviation=True)
            counts["findings"] += _to_findings(worker, reviews, 2)
        else:
            # Field by field, the first ranks of each: the team is part-way through.
            by_field: dict[int, list[SampleItem]] = {}
            for item in items:
                by_field.setdefault(item.stratum_id, []).append(item)
            todo = [
                item
                for field_items in by_field.values()
                for item in field_items[: max(1, round(len(field_items) * REVIEWED_SHARE))]
            ]
            reviews = _review(ctx, worker, todo, as_of, ensure_deviation=True)
            counts["findings"] += _to_findings(worker, reviews, 1)
            _extend_worst_field(worker, reviews)
        counts["reviews"] += len(reviews)
        counts["deviations"] += sum(r.deviation for r in reviews)
    ctx.log(
        f"Chọn mẫu: {counts['samples']} mẫu ({counts['drawn']} đã rút, {counts['items']} hồ sơ được chọn), "
        f"{counts['reviews']} hồ sơ đã kiểm tra, {counts['deviations']} sai lệch, "
        f"{counts['findings']} phát hiện từ mẫu."
    )


def _extend_worst_field(actor: User, reviews: list) -> None:
    """Deviations piling up in one field: the team draws a few more of its dossiers (same ranking)."""
    deviations: dict[int, int] = {}
    for review in reviews:
        if review.deviation:
            deviations[review.item.stratum_id] = deviations.get(review.item.stratum_id, 0) + 1
    for stratum_id, _count in sorted(deviations.items(), key=lambda kv: (-kv[1], kv[0])):
        stratum = next(r.item.stratum for r in reviews if r.item.stratum_id == stratum_id)
        stratum.refresh_from_db()
        room = stratum.population_size - stratum.sample_size
        if room > 0:
            services.sample_extend(actor=actor, stratum=stratum, new_size=stratum.sample_size + min(5, room))
            return
