"""Sampling pages: list, plan and commitment, draw, extension, reviews, results, verification.

Every sample is fetched through the scope (another unit's sample is a 404); actions are for the
inspection's team (a 403 for anyone else who can see the sample)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.filters import filter_list
from congvu.core.permissions import require_role, role_required
from congvu.core.scoping import get_visible_or_404
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.metrics.bodies import cached_body
from congvu.sampling import exports, guide, policy, selectors, services
from congvu.sampling.filters import SampleFilter, SampleItemFilter
from congvu.sampling.forms import (
    CommitmentForm,
    ExtendForm,
    FindingForm,
    ReviewForm,
    SampleForm,
    deviations_from_answers,
)
from congvu.sampling.models import ApologySlip, Review, SampleStatus, SampleStratum, Tristate
from congvu.sampling.verification import sample_verify

_LIST_SORTS = {
    "id": "pk",
    "created": "created_at",
    "title": "title",
    "unit": "unit__name",
    "status": "status",
    "drawn": "drawn_at",
    "items": "item_count",
}
_ITEM_SORTS = {
    "field": "stratum__field_code",
    "rank": "rank",
    "code": "record_code",
    "extension": "extension",
}


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _can_work(user, sample) -> bool:
    return user.has_role(*services.WRITE_ROLES) and policy.can_work(user, sample)


def _require_work(user, sample) -> None:
    require_role(user, *services.WRITE_ROLES)
    policy.require_team(user, sample.inspection)


@login_required
def sample_list(request):
    filters = filter_list(SampleFilter, request, selectors.sample_list(fetched_by=request.user))
    qs, sort = sort_queryset(request, filters.qs, _LIST_SORTS, "-created")
    if wants_xlsx(request):
        rows = (
            (
                s.pk,
                s.title,
                str(s.unit),
                str(s.inspection),
                s.get_register_display(),
                s.period_from,
                s.period_to,
                s.get_status_display(),
                s.drawn_at,
                s.population_size,
                s.item_count,
                s.reviewed_count,
                s.deviation_count,
                s.seed_commitment,
                s.draw_reason,
            )
            for s in qs
        )
        headers = [
            "#",
            _("Tên mẫu"),
            _("Đơn vị"),
            _("Cuộc kiểm tra"),
            _("Sổ"),
            _("Từ ngày"),
            _("Đến ngày"),
            _("Trạng thái"),
            _("Rút mẫu lúc"),
            _("Tổng thể"),
            _("Cỡ mẫu"),
            _("Đã kiểm tra"),
            _("Sai lệch"),
            _("Mã cam kết"),
            _("Lý do rút mẫu lại"),
        ]
        return xlsx_response("mau-kiem-tra.xlsx", headers, rows, sheet=_("Mẫu kiểm tra"))
    return render(
        request,
        "sampling/list.html",
        {
            "page": paginate(request, qs),
            "sort": sort,
            "filters": filters.form,
            "can_create": request.user.has_role(*services.WRITE_ROLES),
        },
    )


@role_required(*services.WRITE_ROLES)
def sample_create(request):
    inspections = selectors.inspections_for_sampling(fetched_by=request.user)
    initial = {"inspection": request.GET.get("inspection")}
    form = SampleForm(request.POST or None, inspections=inspections, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = services.sample_create(
                actor=request.user,
                inspection=data["inspection"],
                title=data["title"],
                register=data["register"],
                size_method=data["size_method"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                fixed_size=data["fixed_size"],
                confidence=data["confidence"] if data["confidence"] is not None else "0.95",
                tolerable_rate=data["tolerable_rate"] if data["tolerable_rate"] is not None else "0.05",
                expected_rate=data["expected_rate"] if data["expected_rate"] is not None else "0",
                finite_population=data["finite_population"],
                allocation=data["allocation"],
                min_per_field=data["min_per_field"],
                field_sizes=data["field_sizes"],
                commitment_reference=data["commitment_reference"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(
                request,
                _("Đã lập mẫu #%(pk)s. Ghi mã cam kết vào thông báo hoặc biên bản trước khi rút mẫu.")
                % {"pk": sample.pk},
            )
            return redirect("sampling:detail", pk=sample.pk)
    return render(request, "sampling/form.html", {"form": form})


@login_required
def sample_detail(request, pk):
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    user = request.user
    show_reviews = policy.can_see_reviews(user, sample)

    def context() -> dict:
        draws = list(selectors.population_draws(fetched_by=user, sample=sample))
        return {
            "sample": sample,
            "can_work": _can_work(user, sample),
            "is_team": policy.is_team(user, sample.inspection),
            "show_reviews": show_reviews,
            "commitment_form": CommitmentForm(initial={"commitment_reference": sample.commitment_reference}),
            "work_problem": policy.working_problem(sample.inspection),
            "draws": draws,
            "earlier_draws": [d for d in draws if d.pk != sample.pk],
            "reason_min": services.REDRAW_REASON_MIN_LENGTH,
        }

    if not sample.is_drawn:  # a preview of the register, or a draw in progress: rendered every time

        def preview_context() -> dict:
            preview, message = selectors.population_preview(sample=sample)
            return {**context(), "preview": preview, "preview_message": message}

        return _detail_page(request, sample, preview_context, cacheable=False)
    item_filters = filter_list(
        SampleItemFilter,
        request,
        selectors.sample_items(fetched_by=user, sample=sample),
        show_reviews=show_reviews,
    )
    items, sort = sort_queryset(request, item_filters.qs, _ITEM_SORTS, "field")
    if sort.lstrip("-") == "field":
        items = items.order_by(
            "-stratum__field_code" if sort.startswith("-") else "stratum__field_code", "rank"
        )
    if wants_xlsx(request):
        with_population = sample.population_size <= exports.POPULATION_SHEET_LIMIT
        rows = services.population_rows(sample) if with_population else None
        strata = list(selectors.strata_with_counts(sample=sample))
        return exports.sample_workbook(sample, items, strata, rows)

    def drawn_context() -> dict:
        strata = list(selectors.strata_with_counts(sample=sample))
        return {
            **context(),
            "strata": strata,
            "page": paginate(request, items),
            "sort": sort,
            "filters": item_filters.form,
        }

    return _detail_page(request, sample, drawn_context)


def _detail_page(request, sample, context, *, cacheable: bool = True):
    """The sample's page; its body depends on the user (may they work on it, see the reviews) and on
    the register the sample was drawn from (the drawn records' current state)."""
    body = cached_body(
        request,
        register=sample.register,
        name="sample",
        template="sampling/_detail_body.html",
        context=context,
        personal=True,
        cacheable=cacheable,
    )
    return render(request, "sampling/detail.html", {"sample": sample, "body": body})


@login_required
@require_POST
def sample_commitment(request, pk):
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    _require_work(request.user, sample)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.sample_set_commitment_reference(
                actor=request.user, sample=sample, reference=form.cleaned_data["commitment_reference"]
            )
            messages.success(request, _("Đã ghi nơi công bố mã cam kết."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect("sampling:detail", pk=sample.pk)


@login_required
@require_POST
def sample_draw(request, pk):
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    _require_work(request.user, sample)
    try:
        sample = services.sample_draw(
            actor=request.user, sample=sample, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if sample.status == SampleStatus.QUEUED:
            messages.info(
                request,
                _("Tổng thể có %(N)s %(word)s: mẫu đang được rút trong tiến trình nền.")
                % {"N": sample.draw_total, "word": sample.record_word},
            )
            return redirect("sampling:detail", pk=sample.pk)
        messages.success(
            request,
            _("Đã rút mẫu: %(n)s %(word)s từ %(N)s; hạt giống đã được công bố.")
            % {"n": sample.items.count(), "word": sample.record_word, "N": sample.population_size},
        )
    return redirect("sampling:detail", pk=sample.pk)


@login_required
def draw_progress(request, pk):
    """The htmx progress fragment of a background draw; once it ends, the page reloads."""
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    if sample.status != SampleStatus.QUEUED:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "sampling/_draw_progress.html", {"sample": sample})


@login_required
@require_POST
def sample_extend(request, pk, stratum_pk):
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    stratum = get_visible_or_404(SampleStratum.objects.filter(sample=sample), request.user, pk=stratum_pk)
    _require_work(request.user, sample)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Lĩnh vực %(f)s: nhập cỡ mẫu mới là số nguyên dương.") % {"f": stratum.field_name}
        )
    else:
        try:
            added = services.sample_extend(
                actor=request.user, stratum=stratum, new_size=form.cleaned_data["new_size"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request,
                _("Lĩnh vực %(f)s: đã thêm %(n)s %(word)s tiếp theo trong thứ tự xếp hạng.")
                % {"f": stratum.field_name, "n": len(added), "word": sample.record_word},
            )
    return redirect("sampling:detail", pk=sample.pk)


def _suggested_review(item) -> dict:
    """Pre-filled answers from the register (the team confirms them)."""
    record = item.record
    initial = {
        "deviation": "no",
        "quality": "passed",
        "complete": Tristate.YES,
        "legal_basis_correct": Tristate.YES,
    }
    if record is None:
        return initial
    if record.due_on and record.completed_on:
        late = record.completed_on > record.due_on
        initial["on_time"] = Tristate.NO if late else Tristate.YES
        if late and item.dossier_id:
            initial["apology_slip"] = (
                ApologySlip.PRESENT if item.dossier.apology_slip else ApologySlip.MISSING
            )
        else:
            initial["apology_slip"] = ApologySlip.NOT_NEEDED
    shown = deviations_from_answers(initial)
    if shown:  # the flag follows the answers, as the form will
        initial["deviation"], initial["deviation_type"] = "yes", shown[0]
    return initial


def _review_initial(review: Review) -> dict:
    data = {
        name: getattr(review, name)
        for name in (
            "on_time",
            "complete",
            "legal_basis_correct",
            "apology_slip",
            "quality",
            "deviation_type",
            "notes",
        )
    }
    data["deviation"] = "yes" if review.deviation else "no"
    return data


def _next_pending(sample, item):
    return (
        sample.items.filter(review__isnull=True)
        .exclude(pk=item.pk)
        .order_by("stratum__field_code", "rank")
        .first()
    )


@login_required
def review(request, pk, item_pk):
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    item = selectors.sample_item_get(fetched_by=request.user, sample=sample, pk=item_pk)
    if not policy.can_see_reviews(request.user, sample):
        raise PermissionDenied(_("Đơn vị xem kết quả kiểm tra mẫu sau khi biên bản được ký."))
    existing = (
        Review.objects.visible_to(request.user)
        .filter(item=item)
        .select_related("finding", "reviewed_by")
        .first()
    )
    can_work = _can_work(request.user, sample)
    if request.method == "POST":
        _require_work(request.user, sample)
        form = ReviewForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.review_record(
                    actor=request.user,
                    item=item,
                    on_time=data["on_time"],
                    complete=data["complete"],
                    legal_basis_correct=data["legal_basis_correct"],
                    apology_slip=data["apology_slip"],
                    quality=data["quality"],
                    deviation=data["deviation"],
                    deviation_type=data["deviation_type"],
                    notes=data["notes"],
                    evidence=data["evidence"],
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("Đã lưu kết quả kiểm tra %(code)s.") % {"code": item.record_code})
                following = _next_pending(sample, item) if "next" in request.POST else None
                if following:
                    return redirect("sampling:review", pk=sample.pk, item_pk=following.pk)
                return redirect("sampling:review", pk=sample.pk, item_pk=item.pk)
    else:
        form = ReviewForm(initial=_review_initial(existing) if existing else _suggested_review(item))
    finding_form = None
    if existing and existing.deviation and not existing.finding_id and can_work:
        finding_form = FindingForm(initial={"description": services.default_finding_description(existing)})
    return render(
        request,
        "sampling/review.html",
        {
            "sample": sample,
            "item": item,
            "record": item.record,
            "review": existing,
            "form": form,
            "finding_form": finding_form,
            "can_work": can_work,
        },
    )


@login_required
@require_POST
def review_finding(request, pk, item_pk):
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    item = selectors.sample_item_get(fetched_by=request.user, sample=sample, pk=item_pk)
    _require_work(request.user, sample)
    existing = get_visible_or_404(Review.objects.filter(item=item), request.user, item=item)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            finding = services.review_to_finding(
                actor=request.user,
                review=existing,
                category=form.cleaned_data["category"],
                severity=form.cleaned_data["severity"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request,
                _("Đã ghi phát hiện #%(f)s (dự thảo) cho cuộc kiểm tra.") % {"f": finding.display_number},
            )
    else:
        messages.error(request, _("Nhập đủ loại, mức độ và nội dung phát hiện."))
    return redirect("sampling:review", pk=sample.pk, item_pk=item.pk)


@login_required
def review_evidence(request, pk, item_pk):
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    item = selectors.sample_item_get(fetched_by=request.user, sample=sample, pk=item_pk)
    if not policy.can_see_reviews(request.user, sample):
        raise PermissionDenied
    existing = Review.objects.visible_to(request.user).filter(item=item).exclude(evidence="").first()
    if existing is None:
        raise Http404
    return FileResponse(existing.evidence.open("rb"), as_attachment=True, filename=existing.evidence_name)


@login_required
def results(request, pk):
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    if not policy.can_see_reviews(request.user, sample):
        raise PermissionDenied(_("Đơn vị xem kết quả kiểm tra mẫu sau khi biên bản được ký."))
    if not sample.is_drawn:
        messages.info(request, _("Mẫu chưa được rút: chưa có kết quả."))
        return redirect("sampling:detail", pk=sample.pk)
    outcome = selectors.sample_results(sample=sample)
    if wants_xlsx(request):
        return exports.results_workbook(sample, outcome)
    return render(request, "sampling/results.html", {"sample": sample, "results": outcome})


@login_required
def worksheet(request, pk):
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    if not sample.is_drawn:
        raise Http404
    if not policy.can_see_reviews(request.user, sample):
        raise PermissionDenied
    items = selectors.sample_items(fetched_by=request.user, sample=sample).order_by(
        "stratum__field_code", "rank"
    )
    return exports.worksheet_workbook(sample, items)


@login_required
def population(request, pk):
    """The frozen population exactly as hashed (UTF-8 bytes)."""
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    if not sample.is_drawn:
        raise Http404
    text = sample.population.text
    response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{guide.population_file_name(sample)}"'
    return response


@login_required
def verify(request, pk):
    sample = selectors.sample_get(fetched_by=request.user, pk=pk)
    report = None
    if sample.is_drawn and request.GET.get("check"):
        report = sample_verify(sample_id=sample.pk)
    template = "sampling/_verify_report.html" if request.htmx and report else "sampling/verify.html"
    return render(
        request,
        template,
        {
            "sample": sample,
            "steps": guide.steps(sample),
            "english": guide.ENGLISH,
            "report": report,
            "population_url": _population_url(sample),
            "file_name": guide.population_file_name(sample),
        },
    )


def _population_url(sample) -> str:
    return reverse("sampling:population", args=[sample.pk]) if sample.is_drawn else ""


@login_required
def how_to_verify(request):
    return render(
        request,
        "sampling/verify.html",
        {"sample": None, "steps": guide.steps(None), "english": guide.ENGLISH},
    )


@login_required
def calculator(request):
    """Sample size and upper limit, as `congvu sample size|evaluate` give them."""
    from congvu.sampling import stats

    size = evaluation = None
    error = ""
    try:
        if request.GET.get("tolerable"):
            size = stats.attribute_sample_size(
                confidence=stats.parse_rate(request.GET.get("confidence") or "95", _("Độ tin cậy")),
                tolerable=stats.parse_rate(request.GET["tolerable"], _("Tỷ lệ chấp nhận được")),
                expected=stats.parse_rate(request.GET.get("expected") or "0", _("Tỷ lệ dự kiến")),
                population=int(request.GET["population"]) if request.GET.get("population") else None,
            )
        if request.GET.get("n"):
            evaluation = stats.evaluate(
                n=int(request.GET["n"]),
                deviations=int(request.GET.get("deviations") or 0),
                confidence=stats.parse_rate(request.GET.get("confidence") or "95", _("Độ tin cậy")),
            )
    except stats.SamplingError as exc:
        error = str(exc)
    except ValueError:
        error = _("Cỡ tổng thể, cỡ mẫu và số sai lệch phải là số nguyên.")
    return render(
        request,
        "sampling/calculator.html",
        {
            "size": size,
            "evaluation": evaluation,
            "error": error,
            "limit_percent": stats.format_limit(evaluation.upper_deviation_limit) if evaluation else "",
        },
    )
