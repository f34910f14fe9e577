"""Writes of the year-end evaluation, each in one transaction with its audit event (STYLE §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core.audit import audit_record, snapshot
from congvu.core.permissions import require_role
from congvu.core.scoping import visible_unit_ids
from congvu.core.text import nfc
from congvu.evaluation.models import (
    Band,
    CatalogueItem,
    ConclusionKind,
    DisciplineForm,
    DisciplineRecord,
    OverrideConclusion,
    PeriodKind,
    PeriodSheet,
    ProductSource,
    QuotaGroupMember,
    RuleSetAssignment,
    SheetProduct,
    SheetRole,
    SheetStatus,
    TaskExcuse,
    UnitEvaluationSetting,
    UnitYearRating,
    YearResult,
    fraction_text,
)
from congvu.evaluation.rules import RuleSetError, parse_fraction
from congvu.evaluation.scoring import ScoringError
from congvu.evaluation.selectors import (
    discipline_flags,
    head_rating,
    head_rating_for,
    lineages,
    official_unit_on,
    override_bases,
    portfolio_codes,
    portfolios_by_unit,
    posts_by_unit,
    rule_set_assignments_all,
    rule_set_code_for,
    year_figures,
)
from congvu.evaluation.sheets import (
    NewProduct,
    catalogue_weight,
    open_counts_by_unit,
    period_bounds,
    score_period,
    sheet_rules,
    task_product_rows,
)
from congvu.inspections.locking import check_version, lock_row
from congvu.org.models import Appointment, Field, Official, Unit
from congvu.org.selectors import unit_with_predecessor_ids

#: Who records decisions taken by the competent level (the Chairman's, the Director's, a head's).
PROVINCE_RECORDERS = ("admin", "lead", "leadership")


def _require_unit_actor(actor, unit_id: int) -> None:
    """Unit heads act only inside their own unit; province recorders anywhere."""
    require_role(actor, *PROVINCE_RECORDERS, "unit_head")
    ids = visible_unit_ids(actor)
    if ids is not None and unit_id not in ids:
        raise PermissionDenied(_("Cán bộ không thuộc đơn vị của bạn."))


@transaction.atomic
def discipline_record(
    *,
    actor,
    official,
    form: str,
    effective_date: date,
    decision_number: str,
    decision_date: date,
    public_duty_violation: bool,
    source_description: str = "",
) -> DisciplineRecord:
    """Record a discipline decision (or a nhắc nhở / phê bình measure) against an official. The record
    belongs to the unit the official worked in on the effective date; from khiển trách up, for a
    public-duty violation, it forces "không hoàn thành" for that year (decree-335 §5.2)."""
    if form not in DisciplineForm.values:
        raise ValidationError({"form": _("Hình thức kỷ luật “%(form)s” không hợp lệ.") % {"form": form}})
    if not effective_date:
        raise ValidationError({"effective_date": _("Chưa nhập ngày có hiệu lực.")})
    unit_id = official_unit_on(official_id=official.pk, day=effective_date)
    if unit_id is None:
        raise ValidationError(
            {
                "official": _("%(name)s không có bổ nhiệm nào đến ngày %(day)s.")
                % {"name": official, "day": effective_date.strftime("%d/%m/%Y")}
            }
        )
    _require_unit_actor(actor, unit_id)
    record = DisciplineRecord(
        official=official,
        unit_id=unit_id,
        form=form,
        effective_date=effective_date,
        decision_number=nfc(decision_number or "").strip(),
        decision_date=decision_date,
        public_duty_violation=bool(public_duty_violation),
        source_description=nfc(source_description or "").strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record.full_clean()
    record.save()
    _rescore_open_sheets(official.pk, effective_date)
    audit_record(actor=actor, action="evaluation.discipline_record", obj=record, after=snapshot(record))
    return record


@transaction.atomic
def conclusion_record(
    *,
    actor,
    official,
    kind: str,
    document_number: str,
    document_date: date,
    authority: str,
    handled_unit: str = "",
    summary: str = "",
) -> OverrideConclusion:
    """Record a conclusion that forces "không hoàn thành" for the year of its document (Art. 20(4)(b)
    degradation; (d) corruption or waste handled in a unit a leader directly manages). The unit
    corruption conclusion is refused for an official who held no head's or deputy's post that day."""
    if kind not in ConclusionKind.values:
        raise ValidationError({"kind": _("Nội dung kết luận “%(kind)s” không hợp lệ.") % {"kind": kind}})
    if not document_date:
        raise ValidationError({"document_date": _("Chưa nhập ngày văn bản kết luận.")})
    unit_id = official_unit_on(official_id=official.pk, day=document_date)
    if unit_id is None:
        raise ValidationError(
            {
                "official": _("%(name)s không có bổ nhiệm nào đến ngày %(day)s.")
                % {"name": official, "day": document_date.strftime("%d/%m/%Y")}
            }
        )
    _require_unit_actor(actor, unit_id)
    if kind == ConclusionKind.UNIT_CORRUPTION:
        post = posts_by_unit(unit_ids=[unit_id], start=document_date, end=document_date)
        role = post.get(unit_id, {}).get(official.pk, ("staff", ""))[0]
        if role not in ("head", "deputy"):
            raise ValidationError(
                {
                    "kind": _(
                        "%(name)s không giữ chức vụ lãnh đạo, quản lý ngày %(day)s: điểm d khoản 4 Điều 20 "
                        "chỉ áp dụng với công chức lãnh đạo, quản lý."
                    )
                    % {"name": official, "day": document_date.strftime("%d/%m/%Y")}
                }
            )
    conclusion = OverrideConclusion(
        official=official,
        unit_id=unit_id,
        kind=kind,
        document_number=nfc(document_number or "").strip(),
        document_date=document_date,
        authority=nfc(authority or "").strip(),
        handled_unit=nfc(handled_unit or "").strip(),
        summary=nfc(summary or "").strip(),
        created_by=_actor_or_none(actor),
    )
    conclusion.full_clean()
    conclusion.save()
    _rescore_open_sheets(official.pk, document_date)
    audit_record(
        actor=actor, action="evaluation.conclusion_record", obj=conclusion, after=snapshot(conclusion)
    )
    return conclusion


@transaction.atomic
def unit_rating_record(*, actor, unit, year: int, band: str, decision_document: str) -> UnitYearRating:
    """Record (or change) the unit's own classification for the year, with its document. Read by the
    year computation when the rule set caps a head at his unit's band (`head_not_above_unit`)."""
    require_role(actor, *PROVINCE_RECORDERS)
    rating = UnitYearRating.objects.select_for_update().filter(unit=unit, year=year).first()
    before = snapshot(rating)
    rating = rating or UnitYearRating(unit=unit, year=year)
    rating.band = band
    rating.decision_document = nfc(decision_document or "").strip()
    rating.recorded_by = _actor_or_none(actor)
    rating.full_clean(validate_unique=False)
    rating.save()
    audit_record(
        actor=actor, action="evaluation.unit_rating_record", obj=rating, before=before, after=snapshot(rating)
    )
    return rating


@transaction.atomic
def quota_group_set(*, actor, official, unit, year: int, group: str) -> QuotaGroupMember | None:
    """Put an official in a group of similar posts for the year's excellent quota (Art. 20(5)); an
    empty group removes the choice, and the job title is the group again."""
    _require_unit_actor_roles(actor, unit.pk, ("unit_head", "lead", "admin"))
    if official_unit_on(official_id=official.pk, day=date(year, 12, 31)) != unit.pk and not (
        posts_by_unit(unit_ids=[unit.pk], start=date(year, 1, 1), end=date(year, 12, 31))
        .get(unit.pk, {})
        .get(official.pk)
    ):
        raise ValidationError(
            {"official": _("%(name)s không công tác tại đơn vị trong năm.") % {"name": official}}
        )
    member = QuotaGroupMember.objects.select_for_update().filter(official=official, year=year).first()
    before = snapshot(member)
    group = nfc(group or "").strip()
    if not group:
        if member is not None:
            audit_record(actor=actor, action="evaluation.quota_group_clear", obj=member, before=before)
            member.delete()
        return None
    member = member or QuotaGroupMember(official=official, year=year)
    member.unit = unit
    member.group = group
    member.updated_by = _actor_or_none(actor)
    member.full_clean(validate_unique=False)
    member.save()
    audit_record(
        actor=actor, action="evaluation.quota_group_set", obj=member, before=before, after=snapshot(member)
    )
    return member


@transaction.atomic
def year_result_decide(
    *, actor, official, year: int, band: str, decision_document: str, note: str = ""
) -> YearResult:
    """Record the competent level's final classification of an official for a year (the Chairman's
    for heads of province-managed units, the unit head's for deputies and staff). The computed figures,
    if any, stay as they are; the decided band is the classification from now on."""
    if band not in Band.values:
        raise ValidationError({"band": _("Mức xếp loại “%(band)s” không hợp lệ.") % {"band": band}})
    decision_document = nfc(decision_document or "").strip()
    if not decision_document:
        raise ValidationError({"decision_document": _("Chưa nhập văn bản quyết định xếp loại.")})
    result = (
        YearResult.objects.select_for_update().filter(official=official, year=year).order_by("pk").first()
    )
    before = snapshot(result)
    if result is None:
        unit_id = official_unit_on(official_id=official.pk, day=date(year, 12, 31))
        if unit_id is None:
            raise ValidationError(
                {
                    "official": _("%(name)s không công tác ở đơn vị nào trong năm %(year)d.")
                    % {"name": official, "year": year}
                }
            )
        result = YearResult(
            official=official,
            year=year,
            unit_id=unit_id,
            rule_set=rule_set_code_for(official=official, year=year, unit_id=unit_id),
        )
    if not result.role:  # decided before any computation: the post held during the year
        post = posts_by_unit(unit_ids=[result.unit_id], start=date(year, 1, 1), end=date(year, 12, 31))
        result.role = post.get(result.unit_id, {}).get(official.pk, ("", ""))[0]
    rating = (
        head_rating_for(official=official, year=year, unit_id=result.unit_id)
        if result.role == "head"
        else None
    )
    if rating is not None and not rating.by_chairman:
        # A sub-unit's head: rated by the head of its agency (or recorded by the province).
        _require_unit_actor(actor, rating.agency_id)
    else:
        _require_unit_actor(actor, result.unit_id)
        if actor.role == "unit_head" and rating is not None:
            raise PermissionDenied(
                _("Người đứng đầu đơn vị do Chủ tịch UBND tỉnh xếp loại; thủ trưởng đơn vị không ghi được.")
            )
    result.decided_band = band
    result.decision_document = decision_document
    result.decision_note = nfc(note or "").strip()
    result.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    result.decided_at = timezone.now()
    if result.pk:
        result.version += 1
    result.full_clean()
    result.save()
    audit_record(
        actor=actor, action="evaluation.year_result_decide", obj=result, before=before, after=snapshot(result)
    )
    return result


# --- Period sheets ------------------------------------------------------------------------

SHEET_FIELDS = ["status", "self_general_points", "general_points", "unity_ok", "note", "total", "band"]


def _actor_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_sheet(sheet: PeriodSheet, expected_version: int | None) -> PeriodSheet:
    current = lock_row(PeriodSheet, sheet.pk)
    check_version(current, expected_version, SHEET_FIELDS)
    return current


def _require_sheet_actor(actor, sheet: PeriodSheet, step: str) -> None:
    """Who acts at each step (decree-335 §7; Decree 90 Art. 16 kept): the unit enters the
    self-assessment; the unit head reviews and approves deputies' and staff's sheets. A head's sheet
    follows `head_rating`: the head of a unit managed by the province is reviewed by the Director of
    Home Affairs (the proposal) and approved by the Chairman; the head of a sub-unit is reviewed and
    approved by the head of its agency, like staff."""
    head = sheet.role == SheetRole.HEAD
    rating = (
        head_rating(unit_id=sheet.unit_id, reading=(sheet.rules or {}).get("head_rating", "by_unit"))
        if head
        else None
    )
    by_chairman = rating is not None and rating.by_chairman
    roles = {
        "self": ("focal", "unit_head", "admin"),
        "review": ("lead", "admin") if by_chairman else ("unit_head", "admin"),
        "approve": ("leadership", "admin") if by_chairman else ("unit_head", "admin"),
    }[step]
    if step == "self" and by_chairman:
        roles = (*roles, "lead")
    acting_unit = sheet.unit_id
    if rating is not None and not rating.by_chairman and step != "self":
        acting_unit = rating.agency_id  # the agency's head, never the sub-unit's own head
    _require_unit_actor_roles(actor, acting_unit, roles)


def _require_unit_actor_roles(actor, unit_id: int, roles) -> None:
    require_role(actor, *roles)
    ids = visible_unit_ids(actor)
    if ids is not None and unit_id not in ids:
        raise PermissionDenied(_("Cán bộ không thuộc đơn vị của bạn."))


def _refuse_frozen(sheet: PeriodSheet) -> None:
    if sheet.is_frozen:
        raise ValidationError(_("Phiếu %(sheet)s đã được phê duyệt; số liệu đã cố định.") % {"sheet": sheet})


SCORE_FIELDS = ["score", "total", "total_display", "band_by_score", "band", "unit_all_on_time"]


_PRODUCT_COLUMNS = [
    "sheet",
    "source",
    "task",
    "code",
    "title",
    "field",
    "weight",
    "assigned",
    "completed",
    "on_time",
    "quality_ok",
    "delays",
    "quality_failures",
    "due_on",
    "completed_on",
    "excuse_document",
    "excuse_date",
    "directed",
]


def _insert_products(products: list[tuple[PeriodSheet, NewProduct]]) -> None:
    """INSERT the register's products with one executemany: building a model instance per task and
    bulk_create's preparation were most of the time of a province run (measured). The values are the
    ones `task_product_rows` and the catalogue produced, checked by the table's constraints."""
    if not products:
        return
    connection = transaction.get_connection()
    meta = SheetProduct._meta
    fields = [meta.get_field(name) for name in _PRODUCT_COLUMNS]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    weight = meta.get_field("weight")
    day = connection.ops.adapt_datefield_value
    rows = [
        (
            sheet.pk,
            product.source,
            product.task_id,
            product.code,
            product.title,
            product.field_id,
            weight.get_db_prep_save(product.weight, connection),
            product.assigned,
            product.completed,
            product.on_time,
            product.quality_ok,
            product.delays,
            product.quality_failures,
            day(product.due_on),
            day(product.completed_on),
            product.excuse_document,
            day(product.excuse_date),
            product.directed,
        )
        for sheet, product in products
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])


def _bulk_set(sheets: list[PeriodSheet], fields: list[str]) -> None:
    """UPDATE … WHERE id = %s for many rows in one executemany. Django's bulk_update builds a CASE per
    field and row and spent ~6 s of Python on 450 sheets × 13 fields (measured); this takes
    milliseconds. Values go through each field's own database preparation (JSON, decimals, dates)."""
    if not sheets:
        return
    connection = transaction.get_connection()
    meta = PeriodSheet._meta
    columns = [meta.get_field(name) for name in fields]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        connection.ops.quote_name(meta.db_table),
        ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in columns),
        connection.ops.quote_name(meta.pk.column),
    )
    rows = [
        [f.get_db_prep_save(getattr(sheet, f.attname), connection) for f in columns] + [sheet.pk]
        for sheet in sheets
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _score(unit_id: int, sheets: list[PeriodSheet], lineage, products_of=None) -> None:
    """Score the sheets of one unit and period in memory (leaders read their subordinates)."""
    if not sheets:
        return
    deputy_ids = [s.official_id for s in sheets if s.role == SheetRole.DEPUTY]
    portfolios = portfolio_codes(official_ids=deputy_ids, unit_id=unit_id, day=sheets[0].end)
    try:
        score_period(
            unit_ids=lineage,
            sheets=sheets,
            portfolios=portfolios,
            field_codes=dict(Field.objects.values_list("id", "code")),
            products_of=products_of,
            discipline_of=_period_discipline([s.official_id for s in sheets], sheets[0].start, sheets[0].end),
        )
    except (ScoringError, RuleSetError) as exc:
        raise ValidationError({exc.field: exc.message}) from None


def _rescore_open_sheets(official_id: int, day: date) -> None:
    """A new override record changes the not-yet-approved sheets whose period holds its date."""
    periods = (
        PeriodSheet.objects.filter(official_id=official_id, start__lte=day, end__gte=day)
        .exclude(status=SheetStatus.APPROVED)
        .values_list("unit_id", "year", "period_kind", "period_number")
        .distinct()
    )
    for unit_id, year, kind, number in list(periods):
        _rescore(unit_id, year, kind, number)


def _period_discipline(official_ids, start: date, end: date) -> dict:
    """official id -> the engine's override flags from the records dated within the period."""
    bases = override_bases(official_ids=official_ids, since=start, until=end)
    return {official_id: discipline_flags(items) for official_id, items in bases.items()}


def _rescore(unit_id: int, year: int, period_kind: str, period_number: int) -> list[PeriodSheet]:
    """Score every sheet of the unit's period again and save the non-approved ones."""
    sheets = list(
        PeriodSheet.objects.filter(
            unit_id=unit_id, year=year, period_kind=period_kind, period_number=period_number
        )
        .select_related("official")
        .prefetch_related("products")
    )
    _score(unit_id, sheets, unit_with_predecessor_ids(unit_id))
    _bulk_set([s for s in sheets if s.status != SheetStatus.APPROVED], SCORE_FIELDS)
    return sheets


def _period(year: int, period_kind: str, period_number, as_of: date | None) -> tuple[date, date, date]:
    if period_kind not in PeriodKind.values:
        raise ValidationError({"period_kind": _("Loại kỳ phải là tháng hoặc quý.")})
    try:
        start, end = period_bounds(year, period_kind, int(period_number))
    except (ValueError, TypeError):
        raise ValidationError({"period_number": _("Kỳ đánh giá không hợp lệ.")}) from None
    as_of = min(as_of or timezone.localdate(), date(year, 12, 31))
    if as_of < start:
        raise ValidationError({"as_of": _("Kỳ %(n)s/%(y)s chưa bắt đầu.") % {"n": period_number, "y": year}})
    return start, end, as_of


@transaction.atomic
def sheets_generate(
    *, actor, unit, year: int, period_number: int, period_kind: str | None = None, as_of: date | None = None
) -> list[PeriodSheet]:
    """Make (or refresh) the sheets of every official who held a post at the unit during the period,
    with their task products from the register, and score them. Approved sheets are frozen and left
    alone; a refreshed sheet keeps its hand-entered products, its points and its excuse documents."""
    _require_unit_actor_roles(actor, unit.pk, ("focal", "unit_head", "lead", "admin"))
    if period_kind is None:
        setting = UnitEvaluationSetting.objects.filter(unit=unit).first()
        period_kind = setting.period_kind if setting else PeriodKind.QUARTER
    start, end, as_of = _period(year, period_kind, period_number, as_of)
    if not posts_by_unit(unit_ids=[unit.pk], start=start, end=end):
        raise ValidationError(_("Đơn vị không có cán bộ nào được bổ nhiệm trong kỳ."))
    made = _generate(actor, [unit], year, period_kind, int(period_number), start, end, as_of)
    return made.get(unit.pk, [])


@transaction.atomic
def sheets_generate_province(
    *, actor, year: int, period_number: int, period_kind: str = PeriodKind.QUARTER, as_of: date | None = None
) -> dict[int, list[PeriodSheet]]:
    """`sheets_generate` for every unit whose period is `period_kind` (quarterly when unset), in one
    pass: a fixed number of queries for the whole province."""
    require_role(actor, "lead", "admin")
    start, end, as_of = _period(year, period_kind, period_number, as_of)
    monthly = set(
        UnitEvaluationSetting.objects.filter(period_kind=PeriodKind.MONTH).values_list("unit_id", flat=True)
    )
    unit_ids = (
        Appointment.objects.filter(start__lte=end)
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .values_list("unit_id", flat=True)
        .distinct()
    )
    units = [
        u
        for u in Unit.objects.filter(pk__in=unit_ids)
        if (u.pk in monthly) == (period_kind == PeriodKind.MONTH)
    ]
    return _generate(actor, units, year, period_kind, int(period_number), start, end, as_of)


def _generate(
    actor, units, year, period_kind, period_number, start, end, as_of
) -> dict[int, list[PeriodSheet]]:
    """The sheets of the units' officials for one period, from the register: every read is one query
    for all the units, the sheets are scored in memory, then written in bulk."""
    unit_by_id = {u.pk: u for u in units}
    posts = posts_by_unit(unit_ids=list(unit_by_id), start=start, end=end)
    lineage = lineages(unit_ids=list(unit_by_id))
    period = {"year": year, "period_kind": period_kind, "period_number": period_number}
    official_ids = {oid for unit_posts in posts.values() for oid in unit_posts}
    # Every sheet of the units' period (approved ones take part as subordinates) and any sheet the
    # officials hold elsewhere for the same period (left alone: one sheet per official and period).
    existing = list(
        PeriodSheet.objects.select_for_update()
        .filter(Q(unit_id__in=list(unit_by_id)) | Q(official_id__in=list(official_ids)), **period)
        .select_related("official")
        .order_by("pk")  # no outer join: lock the sheets only
    )
    held = {s.official_id: s for s in existing}
    officials = {o.pk: o for o in Official.objects.filter(pk__in=list(official_ids))}
    assignments = rule_set_assignments_all(year=year)
    rules_cache: dict = {}
    new_sheets, refresh = [], []
    for unit_id, unit_posts in posts.items():
        for official_id, (role, position) in unit_posts.items():
            sheet = held.get(official_id)
            if sheet is not None and (sheet.is_frozen or sheet.unit_id != unit_id):
                continue
            official = officials[official_id]
            assignment = assignments.get((unit_id, official.staff_type)) or assignments.get(
                (None, official.staff_type)
            )
            code = (
                assignment.rule_set
                if assignment
                else rule_set_code_for(official=official, year=year, on=start, assignment=False)
            )
            key = (code, assignment.pk if assignment else None)
            if key not in rules_cache:
                try:
                    rules_cache[key] = sheet_rules(
                        code, assignment.overrides if assignment else None
                    ).to_mapping()
                except RuleSetError as exc:
                    raise ValidationError({exc.field: exc.message}) from None
            if sheet is None:
                sheet = PeriodSheet(
                    official=official, unit=unit_by_id[unit_id], start=start, end=end, **period
                )
                held[official_id] = sheet
                new_sheets.append(sheet)
            else:
                sheet.version += 1
                refresh.append(sheet)
            sheet.role, sheet.position, sheet.rule_set = role, position[:200], code
            sheet.rules, sheet.as_of, sheet.updated_by = rules_cache[key], as_of, _actor_or_none(actor)
            # Foreign keys come from rows just read; the rest is checked without a query per row.
            sheet.clean_fields(
                exclude=["official", "unit", "updated_by", "self_assessed_by", "reviewed_by", "approved_by"]
            )
    changing = new_sheets + refresh
    by_official = {s.official_id: s for s in changing}
    refresh_ids = {s.pk for s in refresh}
    unit_sheets: dict[int, list[PeriodSheet]] = {}
    for sheet in [s for s in existing if s.unit_id in unit_by_id and s.pk not in refresh_ids] + changing:
        unit_sheets.setdefault(sheet.unit_id, []).append(sheet)
    # The products: kept ones (hand-entered, and those of sheets not refreshed), fresh ones from the
    # register with the excuses recorded on their tasks (one fact for the official's own product and
    # every leader's directed copy).
    kept: dict[int, list[SheetProduct]] = {}
    # A refreshed sheet's register products are replaced: only its hand-entered ones are read (the
    # excuses live on the tasks), not a model instance per task of the province.
    old_ids = [s.pk for sheets in unit_sheets.values() for s in sheets if s.pk and s.pk not in refresh_ids]
    kept_products = SheetProduct.objects.filter(
        Q(sheet_id__in=old_ids) | Q(sheet_id__in=list(refresh_ids), source=ProductSource.MANUAL)
    )
    for product in kept_products.order_by("pk"):
        kept.setdefault(product.sheet_id, []).append(product)
    every_unit = set().union(*lineage.values()) if lineage else set()
    excuses: dict[int, tuple[str, date | None]] = {
        task_id: (document, day)
        for task_id, document, day in TaskExcuse.objects.filter(unit_id__in=list(every_unit)).values_list(
            "task_id", "document", "document_date"
        )
    }
    catalogue: dict[int, dict] = {}
    for item in CatalogueItem.objects.filter(unit_id__in=list(unit_by_id), active=True):
        catalogue.setdefault(item.unit_id, {})[(item.position, item.product_type)] = item.weight
    new_products: dict[int, list[SheetProduct]] = {}
    for row in task_product_rows(
        official_ids=list(by_official),
        unit_ids=every_unit,
        start=start,
        end=end,
        as_of=as_of,
    ):
        sheet = by_official[row["responsible_id"]]
        if row["unit_id"] not in lineage[sheet.unit_id]:
            continue  # a task of another unit: it belongs to the official's sheet there
        document, day = excuses.get(row["id"], ("", None))
        new_products.setdefault(row["responsible_id"], []).append(
            NewProduct(
                task_id=row["id"],
                code=row["external_code"][:100],
                title=row["content"][:500],
                field_id=row["field_id"],
                weight=catalogue_weight(
                    catalogue.get(sheet.unit_id, {}), sheet.position, row["product_type"]
                ),
                completed=row["is_completed"],
                on_time=row["is_on_time"],
                quality_ok=row["is_quality_ok"],
                delays=row["delay_count"],
                quality_failures=row["failure_count"],
                due_on=row["due_on"],
                completed_on=row["completed_on"],
                excuse_document=document,
                excuse_date=day,
            )
        )
    portfolios = portfolios_by_unit(unit_ids=list(unit_by_id), day=end)
    _add_directed_products(
        [s for s in changing if s.role != SheetRole.STAFF],
        lineage,
        portfolios,
        new_products,
        excuses,
        catalogue,
        start,
        end,
        as_of,
    )
    open_counts = open_counts_by_unit(lineages=lineage, start=start, end=end, as_of=as_of)
    field_codes = dict(Field.objects.values_list("id", "code"))
    discipline_of = _period_discipline(
        [s.official_id for sheets in unit_sheets.values() for s in sheets], start, end
    )
    for unit_id, sheets in unit_sheets.items():
        try:
            score_period(
                unit_ids=lineage[unit_id],
                sheets=sheets,
                portfolios={oid: codes for (uid, oid), codes in portfolios.items() if uid == unit_id},
                field_codes=field_codes,
                products_of={
                    s.official_id: kept.get(s.pk, []) + new_products.get(s.official_id, []) for s in sheets
                },
                open_counts=open_counts[unit_id],
                discipline_of=discipline_of,
            )
        except (ScoringError, RuleSetError) as exc:
            raise ValidationError({exc.field: exc.message}) from None
    # Writes: the sheets, then their products.
    PeriodSheet.objects.bulk_create(new_sheets, batch_size=500)
    _bulk_set(
        refresh, ["role", "position", "rule_set", "rules", "as_of", "version", "updated_by", *SCORE_FIELDS]
    )
    SheetProduct.objects.filter(sheet__in=refresh, source=ProductSource.TASK).delete()
    products = [(by_official[official_id], p) for official_id, items in new_products.items() for p in items]
    _insert_products(products)
    others = [
        s
        for sheets in unit_sheets.values()
        for s in sheets
        if s.official_id not in by_official and s.status != SheetStatus.APPROVED
    ]
    _bulk_set(others, SCORE_FIELDS)
    single = len(units) == 1
    audit_record(
        actor=actor,
        action="evaluation.sheets_generate",
        object_type="evaluation.periodsheet",
        object_id=f"{units[0].pk if single else 'province'}:{year}:{period_kind}:{period_number}",
        object_repr=f"{units[0] if single else _('Toàn tỉnh')} — {period_kind} {period_number}/{year}",
        unit_id=units[0].pk if single else None,
        after={
            "units": len(units),
            "created": len(new_sheets),
            "refreshed": len(refresh),
            "products": len(products),
            "as_of": as_of,
        },
    )
    result: dict[int, list[PeriodSheet]] = {}
    for sheet in changing:
        result.setdefault(sheet.unit_id, []).append(sheet)
    return result


def _add_directed_products(leaders, lineage, portfolios, new_products, excuses, catalogue, start, end, as_of):
    """A leader's directed products (`leader_products` = "own_and_directed", decree-335 §4): every
    task of the unit's period held by someone else (a deputy: in his portfolio fields on the period's
    last day), marked `directed`. One query for all the leaders' units."""
    leaders = [s for s in leaders if s.rules.get("leader_products", "own_and_directed") == "own_and_directed"]
    if not leaders:
        return
    unit_ids = set().union(*(lineage[s.unit_id] for s in leaders))
    rows_by_unit: dict[int, list[dict]] = {}
    for row in task_product_rows(official_ids=None, unit_ids=unit_ids, start=start, end=end, as_of=as_of):
        rows_by_unit.setdefault(row["unit_id"], []).append(row)
    field_ids = dict(Field.objects.values_list("code", "id"))
    for sheet in leaders:
        fields = None
        if sheet.role == SheetRole.DEPUTY:
            codes = portfolios.get((sheet.unit_id, sheet.official_id), frozenset())
            fields = {field_ids[c] for c in codes if c in field_ids}
        unit_catalogue = catalogue.get(sheet.unit_id, {})
        rows = [row for member in lineage[sheet.unit_id] for row in rows_by_unit.get(member, ())]
        for row in rows:
            if row["responsible_id"] == sheet.official_id:
                continue
            if fields is not None and row["field_id"] not in fields:
                continue
            document, day = excuses.get(row["id"], ("", None))
            new_products.setdefault(sheet.official_id, []).append(
                NewProduct(
                    task_id=row["id"],
                    code=row["external_code"][:100],
                    title=row["content"][:500],
                    field_id=row["field_id"],
                    weight=catalogue_weight(unit_catalogue, sheet.position, row["product_type"]),
                    completed=row["is_completed"],
                    on_time=row["is_on_time"],
                    quality_ok=row["is_quality_ok"],
                    delays=row["delay_count"],
                    quality_failures=row["failure_count"],
                    due_on=row["due_on"],
                    completed_on=row["completed_on"],
                    excuse_document=document,
                    excuse_date=day,
                    directed=True,
                )
            )


def _clean_points(points: dict, rules_mapping: dict, field: str) -> dict[str, str]:
    """General points as exact text, each within its criterion's maximum."""
    split = rules_mapping.get("general_split") or {}
    cleaned: dict[str, str] = {}
    for name, raw in (points or {}).items():
        if raw in (None, ""):
            continue
        if isinstance(raw, str):
            raw = raw.strip().replace(",", ".")  # a decimal comma, as typed in Vietnamese
        try:
            value = parse_fraction(raw, f"{field}.{name}")
        except RuleSetError as exc:
            raise ValidationError(
                {field: _("Tiêu chí %(name)s: %(msg)s.") % {"name": name, "msg": exc.message}}
            ) from None
        maximum = parse_fraction(split[name], name) if name in split else None
        if split and maximum is None:
            raise ValidationError(
                {field: _("“%(name)s” không phải tiêu chí chung của quy chế.") % {"name": name}}
            )
        if value < 0 or (maximum is not None and value > maximum):
            raise ValidationError(
                {
                    field: _("Tiêu chí %(name)s: điểm phải từ 0 đến %(max)s.")
                    % {"name": name, "max": split[name]}
                }
            )
        cleaned[name] = fraction_text(value)
    return cleaned


@transaction.atomic
def sheet_self_assess(
    *, actor, sheet: PeriodSheet, general_points: dict, note: str = "", expected_version: int | None = None
) -> PeriodSheet:
    """The official's self-assessment: the general-criteria points proposed (entered by the unit)."""
    sheet = _lock_sheet(sheet, expected_version)
    _require_sheet_actor(actor, sheet, "self")
    _refuse_frozen(sheet)
    if sheet.status not in (SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED):
        raise ValidationError(_("Phiếu đã được nhận xét; trả lại phiếu trước khi tự đánh giá lại."))
    before = snapshot(sheet)
    sheet.self_general_points = _clean_points(general_points, sheet.rules, "self_general_points")
    sheet.note = nfc(note or "").strip() or sheet.note
    sheet.status = SheetStatus.SELF_ASSESSED
    sheet.self_assessed_by, sheet.self_assessed_at = _actor_or_none(actor), timezone.now()
    return _save_sheet(actor, sheet, before, "evaluation.sheet_self_assess")


@transaction.atomic
def sheet_review(
    *,
    actor,
    sheet: PeriodSheet,
    general_points: dict,
    unity_ok: bool = True,
    note: str = "",
    expected_version: int | None = None,
) -> PeriodSheet:
    """The evaluator's points (the direct manager's; for a head, the Director's proposal)."""
    sheet = _lock_sheet(sheet, expected_version)
    _require_sheet_actor(actor, sheet, "review")
    _refuse_frozen(sheet)
    if sheet.status != SheetStatus.SELF_ASSESSED:
        raise ValidationError(_("Chỉ nhận xét được phiếu đã tự đánh giá."))
    before = snapshot(sheet)
    sheet.general_points = _clean_points(general_points, sheet.rules, "general_points")
    sheet.unity_ok = bool(unity_ok)
    sheet.note = nfc(note or "").strip() or sheet.note
    sheet.status = SheetStatus.REVIEWED
    sheet.reviewed_by, sheet.reviewed_at = _actor_or_none(actor), timezone.now()
    return _save_sheet(actor, sheet, before, "evaluation.sheet_review")


@transaction.atomic
def sheet_approve(*, actor, sheet: PeriodSheet, expected_version: int | None = None) -> PeriodSheet:
    """Approve and freeze: the score, the products with their figures and record ids, and the rule set
    parameters are copied into `snapshot`; nothing on the sheet changes afterwards."""
    sheet = _lock_sheet(sheet, expected_version)
    _require_sheet_actor(actor, sheet, "approve")
    _refuse_frozen(sheet)
    if sheet.status != SheetStatus.REVIEWED:
        raise ValidationError(_("Chỉ phê duyệt được phiếu đã nhận xét."))
    before = snapshot(sheet)
    _rescore(sheet.unit_id, sheet.year, sheet.period_kind, sheet.period_number)
    sheet.refresh_from_db()
    if not sheet.total and sheet.rules.get("regime") == "points":
        raise ValidationError(_("Phiếu chưa có điểm; không phê duyệt được."))
    sheet.snapshot = {
        "as_of": sheet.as_of.isoformat(),
        "rule_set": sheet.rule_set,
        "rules": sheet.rules,
        "general_points": sheet.general_points or sheet.self_general_points,
        "score": sheet.score,
        "products": [
            {
                "code": p.code,
                "task_id": p.task_id,
                "source": p.source,
                "weight": str(p.weight),
                "completed": p.completed,
                "on_time": p.on_time,
                "quality_ok": p.quality_ok,
                "delays": p.delays,
                "quality_failures": p.quality_failures,
                "due_on": p.due_on.isoformat() if p.due_on else None,
                "completed_on": p.completed_on.isoformat() if p.completed_on else None,
                "excuse_document": p.excuse_document,
                "excuse_date": p.excuse_date.isoformat() if p.excuse_date else None,
                "directed": p.directed,
            }
            for p in sheet.products.order_by("pk")
        ],
    }
    sheet.status = SheetStatus.APPROVED
    sheet.approved_by, sheet.approved_at = _actor_or_none(actor), timezone.now()
    return _save_sheet(actor, sheet, before, "evaluation.sheet_approve", rescore=False)


@transaction.atomic
def sheet_return(
    *, actor, sheet: PeriodSheet, reason: str, expected_version: int | None = None
) -> PeriodSheet:
    """Send a sheet back to the unit (to draft), with the reason; an approved sheet stays frozen."""
    sheet = _lock_sheet(sheet, expected_version)
    try:
        _require_sheet_actor(actor, sheet, "review")
    except PermissionDenied:
        _require_sheet_actor(actor, sheet, "approve")
    _refuse_frozen(sheet)
    reason = nfc(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Chưa nhập lý do trả lại.")})
    before = snapshot(sheet)
    sheet.status = SheetStatus.DRAFT
    sheet.note = reason
    return _save_sheet(actor, sheet, before, "evaluation.sheet_return")


def _save_sheet(actor, sheet: PeriodSheet, before: dict, action: str, rescore: bool = True) -> PeriodSheet:
    sheet.version += 1
    sheet.updated_by = _actor_or_none(actor)
    sheet.full_clean()
    sheet.save()
    if rescore:
        _rescore(sheet.unit_id, sheet.year, sheet.period_kind, sheet.period_number)
        sheet.refresh_from_db()
    audit_record(actor=actor, action=action, obj=sheet, before=before, after=snapshot(sheet))
    return sheet


def _require_product_edit(actor, sheet: PeriodSheet) -> None:
    _require_sheet_actor(actor, sheet, "self")
    _refuse_frozen(sheet)
    if sheet.status == SheetStatus.REVIEWED:
        raise ValidationError(_("Phiếu đã được nhận xét; trả lại phiếu trước khi sửa sản phẩm."))


@transaction.atomic
def product_excuse(
    *,
    actor,
    product: SheetProduct,
    document: str,
    document_date: date | None,
    expected_version: int | None = None,
) -> SheetProduct:
    """Record (or, with an empty document, withdraw) the competent level's confirmation that a
    product's delay or error had an objective cause: its number and date, never a bare flag.

    For a product of the task register the confirmation belongs to the task (`TaskExcuse`): the same
    fact on the official's sheet and on every leader's directed copy, so it is written to every sheet
    holding the task that is not approved yet, and their periods are scored again. Approved sheets
    stay as they were frozen. A hand-entered product keeps its excuse on itself."""
    sheet = _lock_sheet(product.sheet, expected_version)
    _require_product_edit(actor, sheet)
    document = nfc(document or "").strip()
    if document and not document_date:
        raise ValidationError({"excuse_date": _("Chưa nhập ngày của văn bản xác nhận.")})
    before = snapshot(product)
    day = document_date if document else None
    copies: list[int] = []
    if product.task_id:
        excuse = TaskExcuse.objects.select_for_update().filter(task_id=product.task_id).first()
        if excuse is not None and not document:
            excuse.delete()
        elif document:
            excuse = excuse or TaskExcuse(task_id=product.task_id, unit_id=product.task.unit_id)
            excuse.document, excuse.document_date = document, day
            excuse.recorded_by = _actor_or_none(actor)
            excuse.full_clean(validate_unique=False)
            excuse.save()
        copies = list(
            SheetProduct.objects.filter(task_id=product.task_id)
            .exclude(pk=product.pk)
            .exclude(sheet__status=SheetStatus.APPROVED)
            .values_list("sheet_id", flat=True)
        )
    product.excuse_document = document
    product.excuse_date = day
    product.full_clean()
    product.save()
    if copies:
        SheetProduct.objects.filter(task_id=product.task_id, sheet_id__in=copies).update(
            excuse_document=document, excuse_date=day
        )
        others = PeriodSheet.objects.filter(pk__in=copies).exclude(
            unit_id=sheet.unit_id,
            year=sheet.year,
            period_kind=sheet.period_kind,
            period_number=sheet.period_number,
        )
        periods = set(others.values_list("unit_id", "year", "period_kind", "period_number"))
        PeriodSheet.objects.filter(pk__in=copies).update(
            version=F("version") + 1, updated_by=_actor_or_none(actor), updated_at=timezone.now()
        )
        for period in periods:
            _rescore(*period)
    _touch(actor, sheet)
    audit_record(
        actor=actor,
        action="evaluation.product_excuse",
        obj=product,
        unit_id=sheet.unit_id,
        before=before,
        after={**snapshot(product), "same_task_sheet_ids": copies},
    )
    return product


@transaction.atomic
def product_add_manual(
    *,
    actor,
    sheet: PeriodSheet,
    code: str,
    title: str,
    weight,
    completed: bool,
    on_time: bool,
    quality_ok: bool,
    delays: int = 0,
    quality_failures: int = 0,
    field=None,
    expected_version: int | None = None,
) -> SheetProduct:
    """A product the registers do not hold, entered by hand."""
    sheet = _lock_sheet(sheet, expected_version)
    _require_product_edit(actor, sheet)
    code = nfc(code or "").strip()
    if not code:
        raise ValidationError({"code": _("Chưa nhập mã sản phẩm.")})
    if sheet.products.filter(code=code).exists():
        raise ValidationError({"code": _("Mã “%(code)s” đã có trong phiếu.") % {"code": code}})
    try:
        weight = Decimal(str(weight))
    except InvalidOperation:
        raise ValidationError({"weight": _("Hệ số quy đổi phải là một số.")}) from None
    product = SheetProduct(
        sheet=sheet,
        source=ProductSource.MANUAL,
        code=code,
        title=nfc(title or "").strip(),
        field=field,
        weight=weight,
        completed=bool(completed),
        on_time=bool(completed and on_time),
        quality_ok=bool(completed and quality_ok),
        delays=delays,
        quality_failures=quality_failures,
    )
    product.full_clean()
    product.save()
    _touch(actor, sheet)
    audit_record(
        actor=actor,
        action="evaluation.product_add",
        obj=product,
        unit_id=sheet.unit_id,
        after=snapshot(product),
    )
    return product


@transaction.atomic
def product_remove_manual(*, actor, product: SheetProduct, expected_version: int | None = None) -> None:
    sheet = _lock_sheet(product.sheet, expected_version)
    _require_product_edit(actor, sheet)
    if product.source != ProductSource.MANUAL:
        raise ValidationError(_("Sản phẩm từ sổ theo dõi nhiệm vụ không xóa được trên phiếu."))
    before = snapshot(product)
    product.delete()
    _touch(actor, sheet)
    audit_record(
        actor=actor,
        action="evaluation.product_remove",
        object_type="evaluation.sheetproduct",
        object_id=before["id"],
        object_repr=before["code"],
        unit_id=sheet.unit_id,
        before=before,
    )


def _touch(actor, sheet: PeriodSheet) -> None:
    PeriodSheet.objects.filter(pk=sheet.pk).update(
        version=F("version") + 1, updated_by=_actor_or_none(actor), updated_at=timezone.now()
    )
    _rescore(sheet.unit_id, sheet.year, sheet.period_kind, sheet.period_number)


# --- The year -----------------------------------------------------------------------------


def _exact_decimal(value: Fraction) -> Decimal:
    return round(Decimal(value.numerator) / Decimal(value.denominator), 2)


@transaction.atomic
def year_compute(
    *, actor, unit, year: int, organisation_recognised_outstanding: bool = False
) -> list[YearResult]:
    """The year of every official of the unit from the approved sheets: the mean of the periods
    worked, the band, the discipline override, then the excellent quota within the agency and within
    each group of similar posts (the job title). Those over the quota are moved to "tốt" and flagged;
    ties at the cut are flagged for the evaluator. Decided bands are kept as they are."""
    _require_unit_actor_roles(actor, unit.pk, ("unit_head", "lead", "admin"))
    try:
        figures = year_figures(
            unit_id=unit.pk,
            year=year,
            organisation_recognised_outstanding=organisation_recognised_outstanding,
        )
    except ScoringError as exc:
        raise ValidationError({exc.field: exc.message}) from None
    if not figures:
        raise ValidationError(
            _("Chưa có phiếu đánh giá nào của năm %(year)d được phê duyệt.") % {"year": year}
        )
    people = figures
    existing = {
        r.official_id: r
        for r in YearResult.objects.select_for_update()
        .filter(year=year, official_id__in=list(people))
        .order_by("pk")
    }
    now = timezone.now()
    saved = []
    for official_id, person in people.items():
        ys = person.year
        result = existing.get(official_id) or YearResult(official_id=official_id, year=year)
        before = snapshot(result) if result.pk else None
        result.unit = unit
        result.rule_set = person.rule_set
        result.role = person.role
        result.quota_group = person.quota_group[:100]
        result.periods = ys.periods
        result.total = fraction_text(ys.total)
        result.total_display = _exact_decimal(ys.total)
        result.band_by_score = ys.band_by_score
        result.override = ys.override or ""
        result.over_quota = person.over_quota
        result.quota_tie = person.quota_tie
        result.computed_band = person.band
        result.explanation = {
            "periods": person.periods,
            "year": [
                {"kind": line.kind, "text": line.text, "points": fraction_text(line.points)}
                for line in ys.explanation
            ],
            "quota": person.quota_lines,
            "quota_groups": person.quota_groups,
            "override_basis": person.override_basis,
            "organisation_recognised_outstanding": organisation_recognised_outstanding,
        }
        result.computed_at = now
        if result.pk:
            result.version += 1
        result.full_clean(validate_unique=False)
        result.save()
        audit_record(
            actor=actor,
            action="evaluation.year_compute",
            obj=result,
            before=before,
            after={
                "total": result.total,
                "computed_band": result.computed_band,
                "override": result.override,
                "over_quota": result.over_quota,
                "version": result.version,
            },
        )
        saved.append(result)
    return saved


ND90_COUNTS = (
    "tasks_total",
    "tasks_completed",
    "tasks_on_time_quality",
    "tasks_exceeded",
    "unit_targets_total",
    "unit_targets_completed",
    "unit_targets_on_time_quality",
    "unit_targets_exceeded",
    "subunits_total",
    "subunits_completed_or_better",
    "subunits_good_or_better",
    "months_worked",
    "leave_months",
)


@transaction.atomic
def year_conditions_record(*, actor, official, year: int, conditions: dict) -> YearResult:
    """Rate an official by conditions (Decree 90/2020 as amended by 48/2023) through `score_nd90`:
    the evaluator's counts and verdicts, the year's discipline and conclusions as overrides, then the
    excellent quota over the unit's officials rated by conditions that year (places by the engine;
    who keeps them is the evaluator's, so the candidates beyond the places are flagged provisionally).
    Refused, naming the field, when the year's rule set scores by points or a count is impossible."""
    from congvu.evaluation.rules import rule_set_for
    from congvu.evaluation.scoring import Nd90Input, apply_quota_to_bands, score_nd90
    from congvu.evaluation.selectors import rule_set_assignments

    unit_id = official_unit_on(official_id=official.pk, day=date(year, 12, 31))
    if unit_id is None:
        raise ValidationError(
            {
                "official": _("%(name)s không công tác ở đơn vị nào trong năm %(year)d.")
                % {"name": official, "year": year}
            }
        )
    _require_unit_actor_roles(actor, unit_id, ("unit_head", "lead", "admin"))
    assignment = rule_set_assignments(year=year, unit_id=unit_id).get(official.staff_type)
    code = (
        assignment.rule_set
        if assignment
        else rule_set_code_for(official=official, year=year, unit_id=unit_id)
    )
    try:
        rules = rule_set_for(code, (assignment.overrides if assignment else None) or None)
    except RuleSetError as exc:
        raise ValidationError({exc.field: exc.message}) from None
    if rules.regime != "conditions":
        raise ValidationError(
            {
                "rule_set": _(
                    "Năm %(year)d của %(name)s xếp loại theo điểm (%(code)s), không theo điều kiện."
                )
                % {"year": year, "name": official, "code": code}
            }
        )
    post = posts_by_unit(unit_ids=[unit_id], start=date(year, 1, 1), end=date(year, 12, 31))
    role = post.get(unit_id, {}).get(official.pk, ("staff", ""))
    cleaned: dict = {}
    for name in ND90_COUNTS:
        raw = conditions.get(name, 12 if name == "months_worked" else 0)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({name: _("“%(v)s” không phải số nguyên.") % {"v": raw}}) from None
        cleaned[name] = value
    cleaned["general_criteria_level"] = conditions.get("general_criteria_level", "")
    cleaned["maternity_leave"] = bool(conditions.get("maternity_leave"))
    bases = override_bases(official_ids=[official.pk], since=date(year, 1, 1), until=date(year, 12, 31))
    person_bases = bases.get(official.pk, [])
    try:
        scored = score_nd90(
            Nd90Input(role=role[0], discipline=discipline_flags(person_bases), **cleaned), rules
        )
    except ScoringError as exc:
        raise ValidationError({exc.field.removeprefix("conditions."): exc.message}) from None
    result = (
        YearResult.objects.select_for_update().filter(official=official, year=year).order_by("pk").first()
    )
    before = snapshot(result)
    result = result or YearResult(official=official, year=year)
    result.unit_id = unit_id
    result.rule_set = code
    result.role = role[0]
    result.quota_group = (role[1] or "")[:100]
    result.periods = 0
    result.total, result.total_display, result.band_by_score = "", None, ""
    result.override = scored.override or ""
    result.conditions = cleaned
    result.computed_band = scored.band or ""
    result.over_quota = result.quota_tie = False
    result.explanation = {
        "periods": [],
        "year": [{"kind": line.kind, "text": line.text, "points": "0"} for line in scored.explanation],
        "quota": [],
        "override_basis": [
            f"Bị xếp loại không hoàn thành nhiệm vụ do {b.text}"
            for b in person_bases
            if b.flag == scored.override
        ],
        "band_by_conditions": scored.band or "",
    }
    result.computed_at = timezone.now()
    if result.pk:
        result.version += 1
    result.full_clean(validate_unique=False)
    result.save()
    _nd90_quota(unit_id, year, rules, apply_quota_to_bands)
    result.refresh_from_db()
    audit_record(
        actor=actor,
        action="evaluation.year_conditions_record",
        obj=result,
        before=before,
        after={"conditions": cleaned, "computed_band": result.computed_band, "override": result.override},
    )
    return result


def _nd90_quota(unit_id: int, year: int, rules, apply_quota_to_bands) -> None:
    """The quota over the unit's officials rated by conditions in the year: within the agency and
    within each group of similar posts (the agency's choice, else the job title), through the same
    grouping as the points path (`apply_quota_by_group`)."""
    from congvu.evaluation.scoring import apply_quota_by_group, quota_group_name

    results = list(
        YearResult.objects.select_for_update()
        .filter(unit_id=unit_id, year=year)
        .exclude(conditions={})
        .select_related("official")
        .order_by("official__code")
    )
    # Someone not classified (working time) takes no part in the quota.
    results = [r for r in results if r.explanation.get("band_by_conditions")]
    if not results:
        return
    posts = posts_by_unit(unit_ids=[unit_id], start=date(year, 1, 1), end=date(year, 12, 31)).get(unit_id, {})
    chosen = dict(
        QuotaGroupMember.objects.filter(
            year=year, official_id__in=[r.official_id for r in results]
        ).values_list("official_id", "group")
    )
    for r in results:
        r.quota_group = quota_group_name(chosen.get(r.official_id), posts.get(r.official_id, ("", ""))[1])[
            :100
        ]
    outcomes = apply_quota_by_group(
        [(r.official.code, r.quota_group, r.explanation["band_by_conditions"]) for r in results],
        lambda members: apply_quota_to_bands(members, organisation_recognised_outstanding=False, rules=rules),
    )
    for r in results:
        outcome = outcomes[r.official.code]
        r.over_quota, r.quota_tie = outcome.over_quota, outcome.tie
        r.computed_band = "tot" if r.over_quota else r.explanation["band_by_conditions"]
        r.explanation = {**r.explanation, "quota": outcome.lines, "quota_groups": outcome.groups}
        r.save(update_fields=["over_quota", "quota_tie", "computed_band", "explanation", "quota_group"])


# --- Settings: rule sets, catalogue, period ----------------------------------------------


@transaction.atomic
def rule_set_assignment_save(
    *,
    actor,
    year: int,
    staff_type: str,
    rule_set: str,
    overrides: dict | None = None,
    unit=None,
    basis: str = "",
    expected_version: int | None = None,
) -> RuleSetAssignment:
    """Choose the rule set (and parameters differing from its defaults) for a year and staff type,
    province-wide or for one unit. The parameters are validated by `RuleSet.from_mapping`; a bad one
    is refused naming it, and nothing is stored."""
    require_role(actor, "admin", "lead")
    overrides = overrides or {}
    if not isinstance(overrides, dict):
        raise ValidationError({"overrides": _("Tham số điều chỉnh phải là một đối tượng JSON.")})
    try:
        sheet_rules(rule_set, {k: v for k, v in overrides.items() if k != "code"} or None)
    except RuleSetError as exc:
        raise ValidationError(
            {"overrides": _("Tham số “%(field)s”: %(msg)s.") % {"field": exc.field, "msg": exc.message}}
        ) from None
    assignment = (
        RuleSetAssignment.objects.select_for_update()
        .filter(year=year, staff_type=staff_type, unit=unit)
        .order_by("pk")
        .first()
    )
    before = snapshot(assignment)
    if assignment is None:
        assignment = RuleSetAssignment(year=year, staff_type=staff_type, unit=unit)
    else:
        check_version(assignment, expected_version, ["rule_set", "overrides", "basis"])
        assignment.version += 1
    assignment.rule_set = rule_set
    assignment.overrides = overrides
    assignment.basis = nfc(basis or "").strip()
    assignment.updated_by = _actor_or_none(actor)
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    audit_record(
        actor=actor,
        action="evaluation.rule_set_assign",
        obj=assignment,
        unit_id=getattr(unit, "pk", None),
        before=before,
        after=snapshot(assignment),
    )
    return assignment


@transaction.atomic
def catalogue_item_save(
    *,
    actor,
    unit,
    name: str,
    weight,
    position: str = "",
    product_type: str = "",
    active: bool = True,
    item: CatalogueItem | None = None,
    expected_version: int | None = None,
) -> CatalogueItem:
    """Add or change a product of the unit's catalogue with its conversion factor."""
    _require_unit_actor_roles(actor, unit.pk, ("unit_head", "lead", "admin"))
    if item is not None:
        item = lock_row(CatalogueItem, item.pk)
        check_version(item, expected_version, ["name", "weight", "position", "product_type", "active"])
        if item.unit_id != unit.pk:
            raise PermissionDenied
        before = snapshot(item)
        item.version += 1
    else:
        item, before = CatalogueItem(unit=unit), None
    try:
        item.weight = Decimal(str(weight).replace(",", "."))
    except InvalidOperation:
        raise ValidationError({"weight": _("Hệ số quy đổi phải là một số.")}) from None
    item.name = nfc(name or "").strip()
    item.position = nfc(position or "").strip()
    item.product_type = product_type or ""
    item.active = bool(active)
    item.updated_by = _actor_or_none(actor)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor, action="evaluation.catalogue_save", obj=item, before=before, after=snapshot(item)
    )
    return item


@transaction.atomic
def unit_setting_save(*, actor, unit, period_kind: str) -> UnitEvaluationSetting:
    """The unit's monitoring period: monthly or quarterly."""
    _require_unit_actor_roles(actor, unit.pk, ("unit_head", "lead", "admin"))
    setting = UnitEvaluationSetting.objects.select_for_update().filter(unit=unit).first()
    before = snapshot(setting)
    setting = setting or UnitEvaluationSetting(unit=unit)
    setting.period_kind = period_kind
    setting.updated_by = _actor_or_none(actor)
    setting.full_clean()
    setting.save()
    audit_record(
        actor=actor,
        action="evaluation.unit_setting_save",
        obj=setting,
        before=before,
        after=snapshot(setting),
    )
    return setting
