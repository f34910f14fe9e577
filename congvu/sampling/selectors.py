"""Scoped reads of samples (STYLE §4). Another unit's sample is never returned (404 in views); the
inspected unit sees its samples only after the draw and once it has been told of the inspection."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, When

from congvu.core.scoping import get_visible_or_404
from congvu.core.text import fold
from congvu.inspections.models import Inspection
from congvu.inspections.selectors import inspections_visible
from congvu.sampling import stats
from congvu.sampling.models import DeviationType, Review, Sample, SampleItem, SampleStatus, SampleStratum


def samples_visible(fetched_by) -> QuerySet:
    """Samples of the units the user sees, of inspections the user may open; the inspected unit sees a
    sample only once it is drawn."""
    qs = Sample.objects.visible_to(fetched_by)
    if getattr(fetched_by, "is_unit_role", False):
        qs = qs.filter(status=SampleStatus.DRAWN, inspection__in=inspections_visible(fetched_by))
    return qs


def sample_text_q(query: str) -> Q:
    """A sample whose name or inspection's title contains `query`, or its unit's name, with or
    without diacritics."""
    return (
        Q(title__icontains=query)
        | Q(unit__name__icontains=query)
        | Q(unit__name_folded__contains=fold(query))
        | Q(inspection__title__icontains=query)
    )


def sample_list(
    *, fetched_by, query: str = "", status: str = "", register: str = "", inspection_id: int | None = None
) -> QuerySet:
    qs = samples_visible(fetched_by).select_related("unit", "inspection")
    if status:
        qs = qs.filter(status=status)
    if register:
        qs = qs.filter(register=register)
    if inspection_id:
        qs = qs.filter(inspection_id=inspection_id)
    if query:
        qs = qs.filter(sample_text_q(query))
    reviewed = Count("items__review", distinct=True)
    deviations = Count("items__review", filter=Q(items__review__deviation=True), distinct=True)
    if getattr(fetched_by, "is_unit_role", False):
        # The unit sees review counts only once the minutes are signed (policy.UNIT_SEES_REVIEWS).
        from congvu.sampling.policy import UNIT_SEES_REVIEWS

        shown = Q(inspection__status__in=UNIT_SEES_REVIEWS)
        reviewed = Case(When(shown, then=reviewed), default=None)
        deviations = Case(When(shown, then=deviations), default=None)
    return qs.annotate(
        item_count=Count("items", distinct=True), reviewed_count=reviewed, deviation_count=deviations
    )


def sample_get(*, fetched_by, pk: int) -> Sample:
    return get_visible_or_404(
        samples_visible(fetched_by).select_related("unit", "inspection"), fetched_by, pk=pk
    )


def population_draws(*, fetched_by, sample: Sample) -> QuerySet:
    """Every draw over this sample's population in its inspection, this one included, in the order
    they were made — as far as the user sees samples (the unit: once drawn). No page, command or
    service deletes a sample, so a repeated draw always shows beside the earlier ones."""
    return (
        samples_visible(fetched_by)
        .filter(sample.same_population_q(), status__in=[SampleStatus.QUEUED, SampleStatus.DRAWN])
        .select_related("drawn_by", "draw_requested_by")
        .order_by("drawn_at", "pk")
    )


def inspection_draws(*, fetched_by, inspection) -> QuerySet:
    """Every draw of an inspection's samples the user sees, oldest first (for the minutes)."""
    return (
        samples_visible(fetched_by)
        .filter(inspection=inspection, status=SampleStatus.DRAWN)
        .select_related("drawn_by")
        .order_by("drawn_at", "pk")
    )


def inspections_for_sampling(*, fetched_by) -> QuerySet:
    """Inspections the user may create a sample for: all for a lead, their team's for an inspector."""
    from congvu.sampling.policy import CREATE_STATUSES

    qs = Inspection.objects.visible_to(fetched_by).filter(status__in=CREATE_STATUSES).select_related("unit")
    if fetched_by.has_role("lead"):
        return qs
    if fetched_by.has_role("inspector"):
        return qs.filter(team__user=fetched_by).distinct()
    return qs.none()


def sample_items(*, fetched_by, sample: Sample) -> QuerySet:
    """The drawn records of a sample, with their review; the sample's page narrows them with
    `sampling.filters.SampleItemFilter`."""
    return (
        SampleItem.objects.visible_to(fetched_by)
        .filter(sample=sample)
        .select_related("stratum", "dossier", "task", "review")
    )


def sample_item_get(*, fetched_by, sample: Sample, pk: int) -> SampleItem:
    return get_visible_or_404(
        SampleItem.objects.filter(sample=sample).select_related(
            "stratum", "dossier__field", "task__field", "sample"
        ),
        fetched_by,
        pk=pk,
    )


def review_get(*, fetched_by, sample: Sample, pk: int) -> Review:
    return get_visible_or_404(
        Review.objects.filter(item__sample=sample).select_related("item"), fetched_by, pk=pk
    )


def strata_with_counts(*, sample: Sample) -> QuerySet:
    """The sample's fields with their reviewed and deviation counts, counted by the database."""
    return (
        SampleStratum.objects.filter(sample=sample)
        .annotate(
            drawn=Count("items", distinct=True),
            reviewed=Count("items__review", distinct=True),
            deviations=Count("items__review", filter=Q(items__review__deviation=True), distinct=True),
        )
        .order_by("field_code")
    )


@dataclass
class FieldResult:
    stratum: SampleStratum
    evaluation: stats.Evaluation | None
    sentence: str
    census: bool  # every record of the field was drawn


@dataclass
class SampleResults:
    fields: list[FieldResult]
    combined: stats.CombinedEvaluation
    combined_sentence: str
    deviation_types: list[dict]

    @property
    def sample_size(self) -> int:
        return sum(f.stratum.sample_size for f in self.fields)


def sample_results(*, sample: Sample) -> SampleResults:
    """Deviation rate and upper limit per field and combined, with sentences for the minutes."""
    confidence = float(sample.confidence)
    tolerable = float(sample.tolerable_rate)
    word = sample.record_word
    fields = []
    counts = []
    for stratum in strata_with_counts(sample=sample):
        evaluation = None
        if stratum.reviewed:
            evaluation = stats.evaluate(
                n=stratum.reviewed,
                deviations=stratum.deviations,
                confidence=sample.confidence,
                tolerable=tolerable,
                population=stratum.population_size,
            )
        sentence = stats.evaluation_sentence(
            label=str(stratum.field_name),
            population=stratum.population_size,
            reviewed=stratum.reviewed,
            deviations=stratum.deviations,
            upper_limit=evaluation.upper_deviation_limit if evaluation else None,
            confidence=confidence,
            tolerable=tolerable,
            record_word=word,
            census=bool(evaluation and evaluation.census),
        )
        fields.append(
            FieldResult(stratum, evaluation, sentence, stratum.sample_size >= stratum.population_size)
        )
        counts.append(
            stats.StratumCounts(
                stratum.field_code, stratum.population_size, stratum.reviewed, stratum.deviations
            )
        )
    combined = stats.evaluate_stratified(counts, confidence=sample.confidence, tolerable=tolerable)
    from django.utils.translation import gettext as _

    combined_sentence = stats.evaluation_sentence(
        label=_("Toàn bộ mẫu (gia quyền theo số %(word)s của từng lĩnh vực)") % {"word": word},
        population=sample.population_size,
        reviewed=combined.reviewed,
        deviations=combined.deviations,
        upper_limit=combined.upper_deviation_limit,
        confidence=confidence,
        tolerable=tolerable,
        record_word=word,
        census=combined.reviewed >= sample.population_size > 0,
    )
    if combined.reviewed and combined.deviation_rate is not None:
        combined_sentence += " " + _("Tỷ lệ sai lệch ước tính cho toàn bộ (gia quyền): %(rate)s.") % {
            "rate": stats.format_percent(combined.deviation_rate)
        }
    types = [
        {**row, "label": DeviationType(row["deviation_type"]).label}
        for row in Review.objects.filter(item__sample=sample, deviation=True)
        .values("deviation_type")
        .annotate(count=Count("pk"))
        .order_by("-count", "deviation_type")
    ]
    return SampleResults(fields, combined, combined_sentence, types)


@dataclass
class PreviewRow:
    field_code: str
    field_name: str
    population: int
    planned: int | None


def population_preview(*, sample: Sample) -> tuple[list[PreviewRow], str]:
    """Before the draw: the records per field today (counted by the database) and the sizes the draw
    would give. Returns the rows and a message when the plan gives no size."""
    from django.utils.translation import gettext as _

    from congvu.org.selectors import unit_with_predecessor_ids
    from congvu.sampling.draw import NO_FIELD
    from congvu.sampling.planning import SizePlan
    from congvu.sampling.population import register_model

    counts = (
        register_model(sample.register)
        .objects.filter(
            unit_id__in=unit_with_predecessor_ids(sample.unit_id),
            received_on__range=(sample.period_from, sample.period_to),
        )
        .values("field__code", "field__name")
        .annotate(n=Count("pk"))
        .order_by("field__code")
    )
    rows = [
        PreviewRow(
            c["field__code"] or NO_FIELD, c["field__name"] or _("Chưa xác định lĩnh vực"), c["n"], None
        )
        for c in counts
    ]
    message = ""
    try:
        sizes = SizePlan.of(sample).sizes({r.field_code: r.population for r in rows})
        for r in rows:
            r.planned = sizes.get(r.field_code)
    except stats.SamplingError as exc:
        message = str(exc)
    return rows, message
