"""Writes to samples, each in one transaction with its audit event (STYLE §3).

The seed is never readable from the database before the draw: the row holds it encrypted with a key
kept outside (`sealing.py`), and audit events of a sample not yet drawn carry its commitment only.
A further draw over a population already drawn for the same inspection needs a recorded reason
(`same_population_draws`); a draw over more than `settings.SAMPLING_BACKGROUND_RECORDS` records runs
in the background worker (`tasks.sample_draw_job`) with progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congvu.core.audit import audit_record, snapshot
from congvu.core.permissions import require_role
from congvu.core.text import nfc
from congvu.core.workers import heartbeat
from congvu.inspections.models import Inspection
from congvu.org.models import Appointment, AppointmentRole
from congvu.org.selectors import official_in_charge, unit_with_predecessor_ids
from congvu.sampling import draw, policy, sealing, stats
from congvu.sampling.models import (
    Register,
    Review,
    Sample,
    SampleItem,
    SamplePopulation,
    SampleStatus,
    SampleStratum,
    SizeMethod,
)
from congvu.sampling.planning import SizePlan
from congvu.sampling.population import Population, read_population, register_model

WRITE_ROLES = ("inspector", "lead")
REVIEW_FIELDS = [
    "on_time",
    "complete",
    "legal_basis_correct",
    "apology_slip",
    "quality",
    "deviation",
    "deviation_type",
    "notes",
    "evidence_name",
    "evidence_sha256",
    "finding",
]


def _public(sample: Sample) -> dict:
    """The sample's snapshot for the audit trail, without the seed until it is revealed."""
    data = snapshot(sample)
    data.pop("seed_sealed", None)
    if not sample.is_drawn:
        data.pop("seed", None)
    for progress in ("draw_done", "draw_total", "draw_heartbeat_at"):
        data.pop(progress, None)
    return data


def _rate(value, name: str) -> Decimal:
    try:
        return stats.parse_rate(value, name).quantize(Decimal("0.0001"))
    except stats.SamplingError as exc:
        raise ValidationError(str(exc)) from None


def _lock(sample: Sample) -> Sample:
    return Sample.objects.select_for_update().select_related("inspection").get(pk=sample.pk)


def _require_work(actor, sample: Sample) -> None:
    require_role(actor, *WRITE_ROLES)
    policy.require_team(actor, sample.inspection)
    problem = policy.working_problem(sample.inspection)
    if problem:
        raise ValidationError(problem)


def _clean_field_sizes(field_sizes: dict | None) -> dict[str, int]:
    result: dict[str, int] = {}
    for key, value in (field_sizes or {}).items():
        code = nfc(str(key)).strip()
        try:
            size = int(value)
        except (TypeError, ValueError):
            size = -1
        if not code or size < 0:
            raise ValidationError(
                _("Cỡ mẫu chỉ định cho lĩnh vực “%(code)s” phải là số nguyên không âm.") % {"code": key}
            )
        result[code] = size
    return result


@transaction.atomic
def sample_create(
    *,
    actor,
    inspection,
    title: str,
    register: str,
    size_method: str,
    period_from=None,
    period_to=None,
    fixed_size: int | None = None,
    confidence="0.95",
    tolerable_rate="0.05",
    expected_rate="0",
    finite_population: bool = False,
    allocation: str = stats.PROPORTIONAL,
    min_per_field: int = 1,
    field_sizes: dict | None = None,
    commitment_reference: str = "",
    seed: str | None = None,
) -> Sample:
    """Plan a sample of the inspection's unit and commit to a fresh secret seed: its SHA-256 is shown
    now, to be written into the notice or the minutes before the draw.

    `seed` is for the deterministic demo province only; real samples always take a fresh
    `secrets` seed, and the commitment makes either kind verifiable the same way."""
    require_role(actor, *WRITE_ROLES)
    policy.require_team(actor, inspection)
    problem = policy.working_problem(inspection, creating=True)
    if problem:
        raise ValidationError(problem)
    seed = seed or draw.new_seed()
    sample = Sample(
        inspection=inspection,
        unit_id=inspection.unit_id,
        title=nfc(title or "").strip()
        or _("Mẫu %(what)s — %(unit)s")
        % {
            "what": Register(register).label.lower() if register in Register.values else "",
            "unit": inspection.unit,
        },
        register=register,
        period_from=period_from or inspection.period_from,
        period_to=period_to or inspection.period_to,
        size_method=size_method,
        fixed_size=fixed_size if size_method == SizeMethod.FIXED else None,
        confidence=_rate(confidence, _("Độ tin cậy")),
        tolerable_rate=_rate(tolerable_rate, _("Tỷ lệ sai lệch chấp nhận được")),
        expected_rate=_rate(expected_rate, _("Tỷ lệ sai lệch dự kiến")),
        finite_population=finite_population,
        allocation=allocation,
        min_per_field=min_per_field,
        field_sizes=_clean_field_sizes(field_sizes),
        seed="",
        seed_sealed=sealing.seal(seed),
        seed_commitment=draw.seed_commitment(seed),
        commitment_shown_at=timezone.now(),
        commitment_reference=nfc(commitment_reference).strip(),
        created_by=actor,
    )
    sample.full_clean()
    if size_method == SizeMethod.ATTRIBUTE:
        try:  # refuse now, not at the draw, a plan that has no sample size
            SizePlan.of(sample).size_for(1_000_000)
        except stats.SamplingError as exc:
            raise ValidationError(str(exc)) from None
    sample.save()
    audit_record(actor=actor, action="sample.create", obj=sample, after=_public(sample))
    return sample


@transaction.atomic
def sample_set_commitment_reference(*, actor, sample: Sample, reference: str) -> Sample:
    """Record where the commitment was published (notice or minutes number)."""
    sample = _lock(sample)
    require_role(actor, *WRITE_ROLES)
    policy.require_team(actor, sample.inspection)
    before = _public(sample)
    sample.commitment_reference = nfc(reference).strip()
    sample.full_clean()
    sample.save(update_fields=["commitment_reference"])
    audit_record(
        actor=actor, action="sample.commitment_reference", obj=sample, before=before, after=_public(sample)
    )
    return sample


# A further draw over a population already drawn for the inspection needs a reason this long at least.
REDRAW_REASON_MIN_LENGTH = 20
DRAWING = (SampleStatus.QUEUED, SampleStatus.DRAWN)


def same_population_draws(sample: Sample):
    """The other samples of the same inspection drawn, or being drawn, over the same population.

    A sample's population is every record of one register (dossiers or tasks) of the inspected unit
    (with the units it absorbed) received within the sample's period, stratified by field — always by
    every field, so the register and the period alone decide which records can be drawn (allocation,
    sizes, confidence and title decide how many, not from what). Two samples of one inspection are
    therefore over the same population when they are of the same register and their periods share at
    least one day: a record can then fall into both, so shifting the period by a day does not get round
    the rule. Unscoped: the rule is the services' business; pages list draws through the selectors."""
    return (
        Sample.objects.filter(sample.same_population_q(), status__in=DRAWING)
        .exclude(pk=sample.pk)
        .order_by("drawn_at", "pk")
    )


def _check_reason(sample: Sample, reason: str) -> str:
    """The reason to keep: required for a further draw, none for the first."""
    earlier = list(same_population_draws(sample).values_list("pk", flat=True))
    if not earlier:
        return ""
    reason = nfc(reason or "").strip()
    if len(reason) < REDRAW_REASON_MIN_LENGTH:
        raise ValidationError(
            _(
                "Lý do rút mẫu lại: tổng thể này của cuộc kiểm tra đã được rút mẫu (%(samples)s). Rút "
                "thêm một lần phải ghi lý do, ít nhất %(n)s ký tự; lý do được hiển thị cho đơn vị được "
                "kiểm tra và lãnh đạo, và ghi vào biên bản."
            )
            % {"samples": ", ".join(f"#{pk}" for pk in earlier), "n": REDRAW_REASON_MIN_LENGTH}
        )
    return reason


def _open_seed(sample: Sample) -> str:
    """Decrypt the sealed seed and check it against the published commitment."""
    try:
        seed = sealing.unseal(sample.seed_sealed)
    except sealing.SealError as exc:
        raise ValidationError(str(exc)) from None
    if not draw.is_valid_seed(seed) or draw.seed_commitment(seed) != sample.seed_commitment:
        raise ValidationError(_("Hạt giống không khớp với mã cam kết đã công bố: không được rút mẫu."))
    return seed


def _population_count(sample: Sample) -> int:
    return (
        register_model(sample.register)
        .objects.filter(
            unit_id__in=unit_with_predecessor_ids(sample.unit_id),
            received_on__range=(sample.period_from, sample.period_to),
        )
        .count()
    )


@dataclass
class PreparedDraw:
    """Everything a draw writes, computed from the seed and the population (no writes)."""

    population: Population
    populations: dict[str, int]
    sizes: dict[str, int]
    chosen: dict[str, list[draw.Ranked]]


def _prepare_draw(
    sample: Sample, seed: str, progress: Callable[[int, int], None] | None = None
) -> PreparedDraw:
    """Read the population and rank it (`draw.select`, field by field to report progress)."""
    try:
        population = read_population(
            unit_id=sample.unit_id,
            register=sample.register,
            period_from=sample.period_from,
            period_to=sample.period_to,
        )
    except draw.PopulationError as exc:
        raise ValidationError(str(exc)) from None
    if not population.records:
        raise ValidationError(
            _("Không có %(word)s nào của %(unit)s tiếp nhận từ %(a)s đến %(b)s: không có gì để chọn mẫu.")
            % {
                "word": sample.record_word,
                "unit": sample.unit,
                "a": date_format(sample.period_from, "SHORT_DATE_FORMAT"),
                "b": date_format(sample.period_to, "SHORT_DATE_FORMAT"),
            }
        )
    populations = population.sizes()
    try:
        sizes = SizePlan.of(sample).sizes(populations)
    except stats.SamplingError as exc:
        raise ValidationError(str(exc)) from None
    codes: dict[str, list[str]] = {}
    for record in population.records:
        codes.setdefault(record.field_code, []).append(record.code)
    chosen: dict[str, list[draw.Ranked]] = {}
    done, total = 0, len(population.records)
    for field_code in sorted(codes):
        chosen.update(draw.select(seed, {field_code: codes[field_code]}, sizes))
        done += len(codes[field_code])
        if progress:
            progress(done, total)
    return PreparedDraw(population, populations, sizes, chosen)


def _write_draw(*, actor, sample: Sample, seed: str, prepared: PreparedDraw, reason: str) -> Sample:
    """Store a prepared draw and reveal the seed; runs inside the caller's transaction, the sample
    locked."""
    population = prepared.population
    ids = {record.code: record.record_id for record in population.records}
    text = population.text
    SamplePopulation.objects.create(
        sample=sample, text=text, record_ids=[r.record_id for r in population.records]
    )
    id_field = "dossier_id" if sample.register == Register.DOSSIERS else "task_id"
    items = []
    for field_code in sorted(prepared.chosen):
        info = population.fields[field_code]
        stratum = SampleStratum(
            sample=sample,
            field_id=info.field_id,
            field_code=field_code,
            field_name=info.name,
            population_size=prepared.populations[field_code],
            planned_size=prepared.sizes[field_code],
            sample_size=prepared.sizes[field_code],
        )
        stratum.full_clean()
        stratum.save()
        for ranked in prepared.chosen[field_code]:
            item = SampleItem(
                sample=sample,
                stratum=stratum,
                rank=ranked.rank,
                record_code=ranked.code,
                rank_value=ranked.value,
                extension=0,
                **{id_field: ids[ranked.code]},
            )
            # Field checks only: the foreign keys were just read or created (no query per item).
            item.clean_fields(exclude=["sample", "stratum", "dossier", "task"])
            items.append(item)
    SampleItem.objects.bulk_create(items, batch_size=1000)

    earlier = list(same_population_draws(sample).values_list("pk", flat=True))
    sample.status = SampleStatus.DRAWN
    sample.seed = seed
    sample.seed_sealed = ""
    sample.draw_reason = reason
    sample.draw_error = ""
    sample.draw_done = sample.draw_total = len(population.records)
    sample.drawn_at = timezone.now()
    sample.drawn_by = actor
    sample.population_size = len(population.records)
    sample.population_sha256 = draw.population_sha256(text)
    sample.full_clean()
    sample.save()
    after = _public(sample)
    after["sizes"] = prepared.sizes
    after["populations"] = prepared.populations
    if earlier:
        after["earlier_draws"] = earlier
    audit_record(actor=actor, action="sample.redraw" if earlier else "sample.draw", obj=sample, after=after)
    return sample


def _lock_inspection(sample: Sample) -> None:
    # The inspection's row orders the draws of its samples: two draws over the same population
    # cannot both count as the first.
    list(Inspection.objects.select_for_update().filter(pk=sample.inspection_id).values_list("pk"))


@transaction.atomic
def sample_draw(*, actor, sample: Sample, reason: str = "", background: bool = True) -> Sample:
    """Freeze the population, reveal the seed and take the first n records of each field's ranking.

    A further draw over a population already drawn for the inspection (`same_population_draws`) is
    refused without `reason`. Over `settings.SAMPLING_BACKGROUND_RECORDS` records the draw is queued
    for the background worker (enqueued once this transaction commits) and the sample is returned
    with status "queued"; `sample_draw_process` then takes exactly the same records. `background=False`
    draws inline whatever the size (the demo builder, which reviews the items at once)."""
    _lock_inspection(sample)
    sample = _lock(sample)
    _require_work(actor, sample)
    if sample.is_drawn:
        raise ValidationError(
            _("Mẫu đã được rút lúc %(at)s.")
            % {"at": date_format(timezone.localtime(sample.drawn_at), "SHORT_DATETIME_FORMAT")}
        )
    if sample.status == SampleStatus.QUEUED:
        raise ValidationError(_("Mẫu đang được rút trong tiến trình nền: chờ kết quả."))
    reason = _check_reason(sample, reason)
    seed = _open_seed(sample)
    total = _population_count(sample)
    if background and total > settings.SAMPLING_BACKGROUND_RECORDS:
        before = _public(sample)
        sample.status = SampleStatus.QUEUED
        sample.draw_reason = reason
        sample.draw_requested_by = actor
        sample.draw_requested_at = timezone.now()
        sample.draw_done, sample.draw_total = 0, total
        sample.draw_error = ""
        sample.draw_heartbeat_at = None
        sample.full_clean()
        sample.save()
        audit_record(
            actor=actor, action="sample.draw_queued", obj=sample, before=before, after=_public(sample)
        )
        sample_id = sample.pk
        transaction.on_commit(lambda: _enqueue_draw(sample_id))
        return sample
    return _write_draw(
        actor=actor, sample=sample, seed=seed, prepared=_prepare_draw(sample, seed), reason=reason
    )


def _enqueue_draw(sample_id: int) -> None:
    from congvu.sampling.tasks import sample_draw_job

    sample_draw_job.enqueue(sample_id)


def sample_draw_process(*, sample_id: int) -> Sample:
    """The background job's work for a queued draw, as the user who asked for it: read and rank the
    population outside the transaction, recording progress, then write everything in one transaction.
    A draw that cannot be made goes back to "committed" with its error shown on the page."""
    sample = Sample.objects.select_related("inspection", "unit", "draw_requested_by").get(pk=sample_id)
    if sample.status != SampleStatus.QUEUED:
        return sample  # already drawn or given up: a retried job does nothing

    def progress(done: int, total: int) -> None:
        Sample.objects.filter(pk=sample_id, status=SampleStatus.QUEUED).update(
            draw_done=done, draw_total=total
        )

    def beat() -> None:
        Sample.objects.filter(pk=sample_id, status=SampleStatus.QUEUED).update(
            draw_heartbeat_at=timezone.now()
        )

    actor = sample.draw_requested_by
    try:
        if actor is None or not actor.is_active:
            raise ValidationError(_("Người yêu cầu rút mẫu không còn hoạt động: hãy yêu cầu rút lại."))
        with heartbeat(beat, name=f"draw-heartbeat-{sample_id}"):
            seed = _open_seed(sample)
            prepared = _prepare_draw(sample, seed, progress)
            with transaction.atomic():
                _lock_inspection(sample)
                locked = _lock(sample)
                if locked.status != SampleStatus.QUEUED:
                    return locked
                _require_work(actor, locked)
                return _write_draw(
                    actor=actor, sample=locked, seed=seed, prepared=prepared, reason=locked.draw_reason
                )
    except (ValidationError, PermissionDenied) as exc:
        return _draw_failed(sample_id, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    except Exception:
        _draw_failed(
            sample_id, _("Lỗi không mong đợi khi rút mẫu trong tiến trình nền; xem nhật ký máy chủ.")
        )
        raise


@transaction.atomic
def _draw_failed(sample_id: int, message: str, *, action: str = "sample.draw_failed", actor=None) -> Sample:
    sample = Sample.objects.select_for_update().get(pk=sample_id)
    if sample.status != SampleStatus.QUEUED:
        return sample
    before = _public(sample)
    sample.status = SampleStatus.COMMITTED
    sample.draw_error = message
    sample.draw_reason = ""
    sample.draw_done = 0
    sample.full_clean()
    sample.save()
    audit_record(
        actor=actor or sample.draw_requested_by,
        action=action,
        obj=sample,
        before=before,
        after=_public(sample),
    )
    return sample


def samples_fail_stale(*, stale_seconds: int | None = None) -> list[int]:
    """Queued draws whose worker died: silent (no heartbeat) for longer than IMPORT_STALE_SECONDS.
    Each goes back to "committed" with the reason shown, so the draw can be asked for again; nothing of
    it was stored (the draw writes in one transaction) and the seed stays sealed. A draw no worker has
    taken yet (no heartbeat) is left waiting: the pages' worker-silence notice covers that case.
    Returns the samples' ids; each in its own transaction, audited."""
    limit = settings.IMPORT_STALE_SECONDS if stale_seconds is None else stale_seconds
    cutoff = timezone.now() - timedelta(seconds=limit)
    stale = list(
        Sample.objects.filter(
            status=SampleStatus.QUEUED, draw_heartbeat_at__isnull=False, draw_heartbeat_at__lte=cutoff
        ).values_list("pk", "draw_heartbeat_at")
    )
    failed = []
    for sample_id, last in stale:
        message = _(
            "Tiến trình nền dừng giữa chừng khi rút mẫu (không có tín hiệu sống từ %(at)s): chưa có gì "
            "được lưu, hạt giống vẫn niêm phong; hãy yêu cầu rút mẫu lại."
        ) % {"at": date_format(timezone.localtime(last), "SHORT_DATETIME_FORMAT")}
        with transaction.atomic():
            current = (
                Sample.objects.select_for_update()
                .filter(pk=sample_id)
                .values_list("status", "draw_heartbeat_at")
            )
            status, beat = current.get()
            if status != SampleStatus.QUEUED or beat is None or beat > cutoff:
                continue  # it beat or finished meanwhile
            _draw_failed(sample_id, message, action="sample.draw_worker_lost", actor="system")
        failed.append(sample_id)
    return failed


def population_rows(sample: Sample) -> list[tuple[str, str, int | None]]:
    """(field, code, record id) per line of the frozen population, after checking its hash."""
    population = SamplePopulation.objects.get(sample=sample)
    if draw.population_sha256(population.text) != sample.population_sha256:
        raise ValidationError(
            _("Danh sách tổng thể đã cố định của mẫu #%(pk)s không còn khớp mã băm: không thể dùng.")
            % {"pk": sample.pk}
        )
    rows = draw.parse_population_text(population.text)
    if len(rows) != len(population.record_ids):
        raise ValidationError(_("Danh sách tổng thể và danh sách mã bản ghi không cùng độ dài."))
    return [(field, code, rid) for (field, code), rid in zip(rows, population.record_ids, strict=True)]


@transaction.atomic
def sample_extend(*, actor, stratum: SampleStratum, new_size: int) -> list[SampleItem]:
    """Raise a field's sample size to `new_size`, adding the next records of the same ranking; the
    records already drawn stay."""
    sample = _lock(stratum.sample)
    _require_work(actor, sample)
    if not sample.is_drawn:
        raise ValidationError(_("Mẫu chưa được rút: chưa thể mở rộng."))
    stratum = SampleStratum.objects.select_for_update().get(pk=stratum.pk, sample=sample)
    if new_size <= stratum.sample_size:
        raise ValidationError(
            _("Lĩnh vực %(field)s: cỡ mẫu mới (%(new)s) phải lớn hơn cỡ mẫu hiện tại (%(old)s).")
            % {"field": stratum.field_name, "new": new_size, "old": stratum.sample_size}
        )
    if new_size > stratum.population_size:
        raise ValidationError(
            _("Lĩnh vực %(field)s chỉ có %(n)s %(word)s: cỡ mẫu không thể là %(new)s.")
            % {
                "field": stratum.field_name,
                "n": stratum.population_size,
                "word": sample.record_word,
                "new": new_size,
            }
        )
    try:
        rows = [(code, rid) for field, code, rid in population_rows(sample) if field == stratum.field_code]
    except draw.PopulationError as exc:
        raise ValidationError(str(exc)) from None
    ids = dict(rows)
    ranked = draw.ranking(sample.seed, ids)
    kept = list(stratum.items.order_by("rank").values_list("record_code", flat=True))
    if [r.code for r in ranked[: len(kept)]] != kept:
        raise ValidationError(
            _("Các bản ghi đã chọn không khớp thứ hạng rút lại từ hạt giống: hãy kiểm chứng mẫu.")
        )
    extension = (sample.items.aggregate(m=Max("extension"))["m"] or 0) + 1
    id_field = "dossier_id" if sample.register == Register.DOSSIERS else "task_id"
    before = {"field": stratum.field_code, "sample_size": stratum.sample_size}
    added = [
        SampleItem(
            sample=sample,
            stratum=stratum,
            rank=r.rank,
            record_code=r.code,
            rank_value=r.value,
            extension=extension,
            **{id_field: ids[r.code]},
        )
        for r in ranked[stratum.sample_size : new_size]
    ]
    SampleItem.objects.bulk_create(added)
    stratum.sample_size = new_size
    stratum.full_clean()
    stratum.save(update_fields=["sample_size"])
    audit_record(
        actor=actor,
        action="sample.extend",
        obj=sample,
        before=before,
        after={"field": stratum.field_code, "sample_size": new_size, "added": [i.record_code for i in added]},
    )
    return added


def _store_evidence(review: Review, evidence) -> None:
    """Size, extension and content must agree (the inspections' evidence rules); keep the SHA-256."""
    from pathlib import PurePath

    from congvu.inspections.files import check_upload

    checked = check_upload(evidence)
    review.evidence = evidence
    review.evidence_name = PurePath(evidence.name or "").name[:255]
    review.evidence_sha256 = checked.sha256


@transaction.atomic
def review_record(
    *,
    actor,
    item: SampleItem,
    on_time: str,
    complete: str,
    legal_basis_correct: str,
    apology_slip: str,
    quality: str,
    deviation: bool,
    deviation_type: str = "",
    notes: str = "",
    evidence=None,
) -> Review:
    """Record (or correct) the team's review of one drawn record."""
    sample = _lock(item.sample)
    _require_work(actor, sample)
    item = SampleItem.objects.get(pk=item.pk, sample=sample)
    review = Review.objects.select_for_update().filter(item=item).first()
    before = snapshot(review, REVIEW_FIELDS) if review else None
    review = review or Review(item=item)
    review.on_time = on_time
    review.complete = complete
    review.legal_basis_correct = legal_basis_correct
    review.apology_slip = apology_slip
    review.quality = quality
    review.deviation = bool(deviation)
    review.deviation_type = deviation_type if deviation else ""
    review.notes = nfc(notes or "").strip()
    review.reviewed_by = actor
    review.reviewed_at = timezone.now()
    if evidence is not None:
        _store_evidence(review, evidence)
    review.full_clean()
    review.save()
    audit_record(
        actor=actor,
        action="sample.review",
        obj=review,
        object_repr=f"{sample} — {item.record_code}",
        unit_id=sample.unit_id,
        before=before,
        after=snapshot(review, REVIEW_FIELDS),
    )
    return review


def responsible_for(item: SampleItem):
    """The head or deputy answerable for a record: the task's leader, or whoever was in charge of the
    dossier's field at its unit when it was received — if that person led the inspected unit (or one
    it absorbed) during the inspection's period."""
    inspection = item.sample.inspection
    if item.task_id:
        official = item.task.responsible
    elif item.dossier_id:
        official, _how = official_in_charge(
            item.dossier.unit_id, item.dossier.field_id, item.dossier.received_on
        )
    else:
        official = None
    if official is None:
        return None
    held = Appointment.objects.filter(
        official=official,
        unit_id__in=unit_with_predecessor_ids(inspection.unit_id),
        role__in=[AppointmentRole.HEAD, AppointmentRole.DEPUTY],
        start__lte=inspection.period_to,
    ).filter(Q(end__isnull=True) | Q(end__gte=inspection.period_from))
    return official if held.exists() else None


def default_finding_description(review: Review) -> str:
    item = review.item
    record = item.record
    parts = [
        _("Qua kiểm tra ngẫu nhiên (mẫu #%(pk)s), %(word)s %(code)s thuộc lĩnh vực %(field)s")
        % {
            "pk": item.sample_id,
            "word": item.sample.record_word,
            "code": item.record_code,
            "field": item.stratum.field_name,
        }
    ]
    if record is not None:
        dates = [
            (_("tiếp nhận"), record.received_on),
            (_("hạn"), record.due_on),
            (_("hoàn thành"), record.completed_on),
        ]
        shown = ", ".join(f"{label} {date_format(d, 'SHORT_DATE_FORMAT')}" for label, d in dates if d)
        if shown:
            parts.append(f"({shown})")
    text = " ".join(parts) + ": " + str(review.get_deviation_type_display()).lower() + "."
    if review.notes:
        text += " " + review.notes
    return text


@transaction.atomic
def review_to_finding(*, actor, review: Review, category: str, severity: str, description: str = ""):
    """Turn a reviewed deviation into a draft finding of the inspection, linked to its record."""
    from congvu.inspections.services import finding_record

    review = Review.objects.select_for_update().select_related("item__sample__inspection").get(pk=review.pk)
    item = review.item
    sample = item.sample
    _require_work(actor, sample)
    if not review.deviation:
        raise ValidationError(
            _("Bản ghi %(code)s không có sai lệch: không có gì để ghi phát hiện.")
            % {"code": item.record_code}
        )
    if review.finding_id:
        raise ValidationError(
            _("Sai lệch của %(code)s đã được ghi thành phát hiện #%(f)s.")
            % {"code": item.record_code, "f": review.finding.display_number}
        )
    if item.record is None:
        raise ValidationError(
            _("%(code)s không còn trong sổ theo dõi: không thể liên kết phát hiện.")
            % {"code": item.record_code}
        )
    finding = finding_record(
        actor=actor,
        inspection=sample.inspection,
        description=nfc(description or "").strip() or default_finding_description(review),
        category=category,
        severity=severity,
        responsible=responsible_for(item),
        tasks=[item.task] if item.task_id else [],
        dossiers=[item.dossier] if item.dossier_id else [],
        source=_("Chọn mẫu #%(pk)s — %(code)s") % {"pk": sample.pk, "code": item.record_code},
    )
    before = snapshot(review, REVIEW_FIELDS)
    review.finding = finding
    review.save(update_fields=["finding"])
    audit_record(
        actor=actor,
        action="sample.review_to_finding",
        obj=review,
        object_repr=f"{sample} — {item.record_code}",
        unit_id=sample.unit_id,
        before=before,
        after=snapshot(review, REVIEW_FIELDS),
    )
    return finding
