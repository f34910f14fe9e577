"""What each kind of document says, built from the data through the owning apps' selectors.

`build_context(kind, target, issuer, fetched_by, blocks, number, issued_on)` returns the dict a
template is rendered with: the common header and footer fields (issuing body, number line, place and
date, summary, recipients, signer) and the kind's own data. A block the team edited replaces its
default; a block left alone is recomputed from the data each time the draft is produced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.documents.kinds import INSPECTION, PLAN, get_kind
from congvu.inspections import selectors as inspection_selectors
from congvu.inspections.prefill import FIGURE_LABELS, RATE_FIGURES
from congvu.inspections.workflow import status_label


@dataclass
class Target:
    """What a document is about: one inspection, one annual plan, or one year."""

    kind: str  # INSPECTION, PLAN or YEAR
    inspection: object | None = None
    plan: object | None = None
    year: int | None = None

    @property
    def ref(self) -> str:
        if self.kind == INSPECTION:
            return f"inspection:{self.inspection.pk}"
        if self.kind == PLAN:
            return f"plan:{self.plan.pk}"
        return f"year:{self.year}"

    @property
    def unit(self):
        return self.inspection.unit if self.inspection is not None else None

    @property
    def year_of(self) -> int:
        if self.kind == INSPECTION:
            return (self.inspection.decision_date or self.inspection.period_to).year
        if self.kind == PLAN:
            return self.plan.year
        return self.year


# --- Formatting (Decree 30/2020 and the UI's dd/mm/yyyy) ----------------------------------


def dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def place_date_line(place: str, day: date | None, year: int | None = None) -> str:
    """ "Vĩnh Long, ngày 05 tháng 3 năm 2026": a leading zero for days 1–9 and for months 1 and 2
    only (Decree 30/2020, Appendix I). A draft has no date yet: blanks to be filled at signing."""
    if day is None:
        return f"{place}, ngày      tháng      năm {year or ''}".rstrip()
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(number: int | None, number_code: str, abbreviation: str) -> str:
    """ "Số: 15/QĐ-SNV"; a draft leaves the number blank."""
    shown = str(number) if number else "      "
    return f"Số: {shown}/{number_code}-{abbreviation}"


def format_figure(name: str, value) -> str:
    if value is None:
        return "—"
    if name in RATE_FIGURES:
        return f"{float(value) * 100:.1f}%".replace(".", ",")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return str(value)


def snapshot_text(snapshot: dict | None) -> str:
    """The frozen figures of a head/deputy item as one line per group, with their as-of date."""
    if not snapshot:
        return ""
    parts = []
    for group in snapshot.get("groups", []):
        figures = "; ".join(
            f"{FIGURE_LABELS.get(name, name)}: {format_figure(name, value)}"
            for name, value in group.get("figures", {}).items()
        )
        parts.append(f"{group.get('label', '')}: {figures}")
    as_of = snapshot.get("as_of")
    if as_of:
        parts.append(_("(số liệu chốt đến ngày %(day)s)") % {"day": dmy(date.fromisoformat(as_of))})
    return " ".join(parts)


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- Pieces shared by the inspection kinds ------------------------------------------------


def _members(fetched_by, inspection) -> list[dict]:
    return [
        {
            "index": i,
            "name": m.user.full_name or m.user.get_username(),
            "organisation": f", {m.organisation}" if m.organisation else "",
            "role": m.get_role_display(),
            "is_head": m.role == "head",
        }
        for i, m in enumerate(inspection_selectors.team_for(fetched_by=fetched_by, inspection=inspection), 1)
    ]


def _findings(fetched_by, inspection, confirmed_only: bool) -> list[dict]:
    qs = inspection_selectors.findings_for(fetched_by=fetched_by, inspection=inspection).exclude(
        status="withdrawn"
    )
    if confirmed_only:
        qs = qs.filter(status="confirmed")
    return [
        {
            # the finding's own number, as on the findings tab (withdrawn ones leave a gap)
            "index": f.display_number,
            "category": f.get_category_display(),
            "severity": f.get_severity_display().lower(),
            "description": f.description,
            "responsible": _(" — Người chịu trách nhiệm: %(name)s.") % {"name": f.responsible}
            if f.responsible_id
            else "",
            "official": f.responsible,
        }
        for f in qs
    ]


def _recommendations(fetched_by, inspection) -> list[dict]:
    rows = []
    for i, r in enumerate(
        inspection_selectors.recommendations_for(fetched_by=fetched_by, inspection=inspection).order_by(
            "deadline", "pk"
        ),
        1,
    ):
        addressee = r.addressee + (f" ({r.official})" if r.official_id else "")
        rows.append(
            {
                "index": i,
                "kind": r.get_kind_display(),
                "addressee": addressee,
                "content": r.content,
                "deadline": dmy(r.deadline) if r.deadline else _("Không thời hạn"),
                # the content as a sentence, with its deadline when it has one
                "sentence": r.content.strip().rstrip(".;")
                + (_("; thời hạn thực hiện: %(day)s.") % {"day": dmy(r.deadline)} if r.deadline else "."),
                "official": r.official,
            }
        )
    return rows


def _leader_sheets(fetched_by, inspection) -> list:
    return [
        c
        for c in inspection_selectors.checklists_for(fetched_by=fetched_by, inspection=inspection)
        if c.subject in ("head", "deputy")
    ]


def _sample_results(fetched_by, inspection) -> list[str]:
    from congvu.sampling import selectors as sampling_selectors

    out = []
    for sample in sampling_selectors.sample_list(fetched_by=fetched_by, inspection_id=inspection.pk):
        if not sample.is_drawn:
            continue
        results = sampling_selectors.sample_results(sample=sample)
        out.append(f"{sample.title}: {results.combined_sentence}")
        out.extend(f"{sample.title} — {field.sentence}" for field in results.fields)
    return out


def _sample_draws(fetched_by, inspection) -> list[dict]:
    """Every draw of the inspection's samples, oldest first: a repeated draw shows with its reason."""
    from congvu.sampling import selectors as sampling_selectors

    return [
        {
            "title": s.title,
            "at": timezone.localtime(s.drawn_at).strftime("%H:%M %d/%m/%Y"),
            "by": (s.drawn_by.get_full_name() or s.drawn_by.username) if s.drawn_by_id else "…",
            "population": s.population_size,
            "word": s.record_word,
            "commitment": s.seed_commitment,
            "reason": _("; rút mẫu lại, lý do: %(reason)s") % {"reason": s.draw_reason}
            if s.draw_reason
            else "",
        }
        for s in sampling_selectors.inspection_draws(fetched_by=fetched_by, inspection=inspection)
    ]


def _inspection_base(fetched_by, inspection, issuer) -> dict:
    members = _members(fetched_by, inspection)
    head = next((m for m in members if m["is_head"]), None)
    return {
        "unit_name": inspection.unit.name,
        "inspection_title": inspection.title,
        "content": inspection.content or inspection.title,
        "period_from": dmy(inspection.period_from),
        "period_to": dmy(inspection.period_to),
        "decision_number": inspection.decision_number or "…",
        "decision_date": dmy(inspection.decision_date),
        "members": members,
        "team_head": head["name"] if head else "…",
    }


# --- Each kind: its data and the defaults of its blocks -----------------------------------


def _plan_data(fetched_by, target, issuer) -> tuple[dict, dict]:
    plan = target.plan
    items = [
        {
            "index": i,
            "unit": item.unit.name,
            "month": f"Tháng {item.month:02d}/{plan.year}"
            if item.month <= 2
            else f"Tháng {item.month}/{plan.year}",
            "period": f"{dmy(item.period_from)} – {dmy(item.period_to)}" if item.period_from else "…",
            "content": item.content,
        }
        for i, item in enumerate(inspection_selectors.plan_items_for(fetched_by=fetched_by, plan=plan), 1)
    ]
    data = {"year": plan.year, "items": items, "plan_content": lines(plan.content)}
    defaults = {
        "summary": _("Kiểm tra công vụ năm %(year)s") % {"year": plan.year},
        "purpose": _(
            "Kiểm tra việc thực hiện nhiệm vụ, quyền hạn được giao của cơ quan, đơn vị; chú trọng kiểm tra "
            "chuyên sâu người đứng đầu và từng cấp phó theo Công văn số 5712/UBND-NC.\n"
            "Việc kiểm tra bảo đảm khách quan, đúng quy định, không gây cản trở hoạt động của đơn vị."
        ),
        "organisation": _(
            "Các cơ quan, đơn vị có tên trong Kế hoạch chuẩn bị báo cáo, hồ sơ, tài liệu theo yêu cầu "
            "của Đoàn kiểm tra."
        ),
        "recipients": _("UBND tỉnh (b/c);\nCác cơ quan, đơn vị được kiểm tra;\nLưu: VT."),
    }
    return data, defaults


def _decision_data(fetched_by, target, issuer) -> tuple[dict, dict]:
    inspection = target.inspection
    data = _inspection_base(fetched_by, inspection, issuer)
    data["deciding_authority"] = f"{issuer.signer_title} {issuer.name}".upper()
    plan_line = ""
    if inspection.plan_item_id:
        plan = inspection.plan_item.plan
        plan_line = _("Căn cứ Kế hoạch %(number)s kiểm tra công vụ năm %(year)s;") % {
            "number": f"số {plan.number}" if plan.number else "",
            "year": plan.year,
        }
    defaults = {
        "summary": _("Về việc thành lập Đoàn kiểm tra công vụ tại %(unit)s") % {"unit": inspection.unit.name},
        "legal_basis": "\n".join(
            x
            for x in [
                _("Căn cứ Luật Cán bộ, công chức; Luật Viên chức;"),
                _(
                    "Căn cứ Công văn số 5712/UBND-NC ngày 18/12/2023 của UBND tỉnh về nâng cao chất lượng "
                    "kiểm tra công vụ;"
                ),
                plan_line.replace("  ", " "),
                _("Theo đề nghị của Chánh Thanh tra Sở."),
            ]
            if x
        ),
        "duties": _(
            "Trưởng đoàn phân công nhiệm vụ cho các thành viên; Đoàn kiểm tra làm việc theo chế độ kiêm "
            "nhiệm, kết thúc nhiệm vụ khi có thông báo kết luận kiểm tra."
        ),
        "recipients": _("Như Điều 3;\nLưu: VT."),
    }
    return data, defaults


def _notice_data(fetched_by, target, issuer) -> tuple[dict, dict]:
    from congvu.sampling import selectors as sampling_selectors

    inspection = target.inspection
    data = _inspection_base(fetched_by, inspection, issuer)
    data["issuer_title"] = issuer.unit.name
    data["requests"] = [
        {"title": r.title, "due": _(" (hạn %(day)s)") % {"day": dmy(r.due_on)} if r.due_on else ""}
        for r in inspection_selectors.document_requests_for(fetched_by=fetched_by, inspection=inspection)
    ]
    data["samples"] = [
        {
            "title": s.title,
            "commitment": s.seed_commitment,
            "shown_at": timezone.localtime(s.commitment_shown_at).strftime("%H:%M %d/%m/%Y")
            if s.commitment_shown_at
            else "…",
            "reference": _("; ghi tại: %(ref)s") % {"ref": s.commitment_reference}
            if s.commitment_reference
            else "",
        }
        for s in sampling_selectors.sample_list(fetched_by=fetched_by, inspection_id=inspection.pk).order_by(
            "pk"
        )
    ]
    due = inspection.self_report_due
    defaults = {
        "summary": _("Về việc kiểm tra công vụ tại %(unit)s") % {"unit": inspection.unit.name},
        "schedule": _(
            "Đoàn kiểm tra làm việc trực tiếp tại trụ sở %(unit)s; thời gian cụ thể Trưởng đoàn "
            "thông báo sau."
        )
        % {"unit": inspection.unit.name},
        "requests_note": (
            _("Đề nghị %(unit)s gửi báo cáo tự kiểm tra trước ngày %(day)s.")
            % {"unit": inspection.unit.name, "day": dmy(due)}
            if due
            else ""
        ),
        "recipients": _("%(unit)s;\nThành viên Đoàn kiểm tra;\nLưu: VT.") % {"unit": inspection.unit.name},
    }
    return data, defaults


def _checklist_rows(sheet) -> list[dict]:
    rows = []
    for i, item in enumerate(sheet.items.all(), 1):
        notes = " ".join(x for x in [snapshot_text(item.snapshot), item.notes] if x)
        rows.append(
            {
                "index": i,
                "text": item.text,
                "result": item.get_result_display() if item.result else _("Chưa đánh giá"),
                "notes": notes,
            }
        )
    return rows


def _minutes_data(fetched_by, target, issuer) -> tuple[dict, dict]:
    inspection = target.inspection
    data = _inspection_base(fetched_by, inspection, issuer)
    sheets = list(inspection_selectors.checklists_for(fetched_by=fetched_by, inspection=inspection))
    data["checklists"] = [{"title": s.title, "rows": _checklist_rows(s)} for s in sheets]
    data["leaders"] = [
        {
            "name": s.official.full_name if s.official_id else s.title,
            "title": s.appointment.title if s.appointment_id else s.get_subject_display(),
            "period": f"{dmy(s.period_from)} – {dmy(s.period_to)}",
        }
        for s in sheets
        if s.subject in ("head", "deputy")
    ]
    data["sample_results"] = _sample_results(fetched_by, inspection)
    data["sample_draws"] = _sample_draws(fetched_by, inspection)
    data["findings"] = _findings(fetched_by, inspection, confirmed_only=False)
    defaults = {
        "summary": _("Kiểm tra công vụ tại %(unit)s") % {"unit": inspection.unit.name},
        "place_time": _(
            "Hôm nay, ngày …/…/…, tại trụ sở %(unit)s, Đoàn kiểm tra công vụ tiến hành lập biên "
            "bản kiểm tra như sau:"
        )
        % {"unit": inspection.unit.name},
        "unit_opinion": "",
        "signer_authority": _("TRƯỞNG ĐOÀN KIỂM TRA"),
        "signer_title": "",
        "signer_name": data["team_head"] if data["team_head"] != "…" else "",
        "recipients": _("%(unit)s;\nThành viên Đoàn kiểm tra;\nLưu: Hồ sơ Đoàn kiểm tra.")
        % {"unit": inspection.unit.name},
    }
    return data, defaults


def _responsible(findings: list[dict], recommendations: list[dict]) -> list[dict]:
    """The officials named by the findings and recommendations, once each, with what concerns them."""
    by_official: dict[int, dict] = {}
    for f in findings:
        if f["official"] is not None:
            entry = by_official.setdefault(f["official"].pk, {"official": f["official"], "what": []})
            entry["what"].append(_("hạn chế số %(n)s") % {"n": f["index"]})
    for r in recommendations:
        if r["official"] is not None:
            entry = by_official.setdefault(r["official"].pk, {"official": r["official"], "what": []})
            entry["what"].append(_("thực hiện kiến nghị số %(n)s") % {"n": r["index"]})
    return [
        {
            "name": e["official"].full_name,
            "title": "",
            "what": _("chịu trách nhiệm về ") + ", ".join(e["what"]),
        }
        for e in by_official.values()
    ]


def _conclusion_data(fetched_by, target, issuer) -> tuple[dict, dict]:
    inspection = target.inspection
    data = _inspection_base(fetched_by, inspection, issuer)
    data["issuer_title"] = issuer.unit.name
    data["findings"] = _findings(fetched_by, inspection, confirmed_only=True)
    data["recommendations"] = _recommendations(fetched_by, inspection)
    data["responsible"] = _responsible(data["findings"], data["recommendations"])
    defaults = {
        "summary": _("Kết luận kiểm tra công vụ tại %(unit)s") % {"unit": inspection.unit.name},
        "assessment": inspection.conclusion_summary,
        "closing": _(
            "Đề nghị %(unit)s tổ chức thực hiện các kiến nghị trên và báo cáo kết quả khắc phục "
            "đúng thời hạn."
        )
        % {"unit": inspection.unit.name},
        "recipients": _("%(unit)s;\nUBND tỉnh (b/c);\nLưu: VT, Đoàn kiểm tra.")
        % {"unit": inspection.unit.name},
    }
    return data, defaults


def _leader_results(fetched_by, inspection) -> list[dict]:
    rows = []
    for sheet in _leader_sheets(fetched_by, inspection):
        items = list(sheet.items.all())
        assessed = [i for i in items if i.result]
        passed = sum(1 for i in assessed if i.result == "passed")
        figures = next((snapshot_text(i.snapshot) for i in items if i.snapshot), "")
        summary = _("%(passed)s/%(total)s nội dung đạt.") % {"passed": passed, "total": len(items)}
        rows.append(
            {
                "name": sheet.official.full_name if sheet.official_id else sheet.title,
                "title": sheet.appointment.title if sheet.appointment_id else sheet.get_subject_display(),
                "summary": f"{summary} {figures}".strip(),
            }
        )
    return rows


def _report_data(fetched_by, target, issuer) -> tuple[dict, dict]:
    inspection = target.inspection
    data = _inspection_base(fetched_by, inspection, issuer)
    data["leader_results"] = _leader_results(fetched_by, inspection)
    data["sample_results"] = _sample_results(fetched_by, inspection)
    data["findings"] = _findings(fetched_by, inspection, confirmed_only=True)
    data["recommendations"] = _recommendations(fetched_by, inspection)
    defaults = {
        "summary": _("Kết quả kiểm tra công vụ tại %(unit)s") % {"unit": inspection.unit.name},
        "assessment": inspection.conclusion_summary,
        "proposals": "",
        "recipients": _("Chủ tịch UBND tỉnh (b/c);\nLưu: VT, Đoàn kiểm tra."),
    }
    return data, defaults


def _year_report_data(fetched_by, target, issuer) -> tuple[dict, dict]:
    from django.db.models import Count, Q

    year = target.year
    today = timezone.localdate()
    qs = (
        inspection_selectors.inspection_list(fetched_by=fetched_by, year=year)
        .annotate(
            n_findings=Count("findings", filter=~Q(findings__status="withdrawn"), distinct=True),
            n_recommendations=Count("recommendations", distinct=True),
        )
        .order_by("period_to", "pk")
    )
    rows, totals = (
        [],
        {
            "inspections": 0,
            "scheduled": 0,
            "surprise": 0,
            "findings": 0,
            "recommendations": 0,
        },
    )
    for i, insp in enumerate(qs, 1):
        rows.append(
            {
                "index": i,
                "unit": insp.unit.name,
                "kind": insp.get_kind_display(),
                "decision": f"{insp.decision_number} ({dmy(insp.decision_date)})"
                if insp.decision_number
                else "…",
                "status": status_label(insp.status),
                "findings": insp.n_findings,
                "recommendations": insp.n_recommendations,
            }
        )
        totals["inspections"] += 1
        totals[insp.kind] += 1
        totals["findings"] += insp.n_findings
        totals["recommendations"] += insp.n_recommendations
    from congvu.inspections.models import Recommendation

    recs = Recommendation.objects.filter(inspection__in=qs.values("pk"))
    totals["recommendations_done"] = recs.filter(status="done").count()
    totals["recommendations_open"] = recs.filter(status__in=["open", "reported"]).count()
    totals["recommendations_overdue"] = recs.filter(status="open", deadline__lt=today).count()
    data = {"year": year, "inspections": rows, "totals": totals, "issuer_title": issuer.unit.name}
    defaults = {
        "summary": _("Tổng hợp kết quả công tác kiểm tra công vụ năm %(year)s") % {"year": year},
        "assessment": "",
        "next_year": "",
        "recipients": _("Chủ tịch UBND tỉnh (b/c);\nLưu: VT."),
    }
    return data, defaults


def _proposal_rows(rows: list[dict]) -> list[dict]:
    out = []
    for i, p in enumerate(rows, 1):
        who = p["official"] or p["unit"]
        if p["official"]:
            who = f"{p['official']} ({p['unit']})"
        decision = p.get("decision")
        out.append(
            {
                "index": i,
                "who": who,
                "value": p["value_label"],
                "reasons": p["reasons"],
                "decision": f"{decision['outcome_label']}: {decision['value_label']}" if decision else "",
            }
        )
    return out


def _result_lines(units: list[dict]) -> list[str]:
    lines_ = []
    for unit in units:
        for insp in unit.get("inspections", []):
            leaders = "; ".join(
                _("%(name)s (%(title)s) %(passed)s/%(total)s nội dung đạt")
                % {
                    "name": leader["name"],
                    "title": leader["title"] or leader["subject_label"],
                    "passed": leader["counts"].get("passed", 0),
                    "total": sum(leader["counts"].values()),
                }
                for leader in insp.get("leaders", [])
            )
            lines_.append(
                _(
                    "%(unit)s — %(title)s (quyết định %(decision)s): %(findings)s hạn chế, thiếu sót, "
                    "vi phạm được xác nhận; %(recs)s kiến nghị.%(leaders)s"
                )
                % {
                    "unit": unit["name"],
                    "title": insp["title"],
                    "decision": insp["decision_number"] or "…",
                    "findings": len(insp.get("findings", [])),
                    "recs": len(insp.get("recommendations", [])),
                    "leaders": f" {leaders}." if leaders else "",
                }
            )
    return lines_


def _proposal_data(fetched_by, target, issuer) -> tuple[dict, dict]:
    """The tờ trình is written from the Director's report and proposals (the proposals app), through
    its selector `report_context`."""
    from django.core.exceptions import ValidationError

    from congvu.proposals import selectors as proposal_selectors
    from congvu.proposals.models import ReportKind

    if target.kind == INSPECTION:
        report = proposal_selectors.report_for_inspection(fetched_by=fetched_by, inspection=target.inspection)
        about = _("sau kiểm tra công vụ tại %(unit)s") % {"unit": target.inspection.unit.name}
    else:
        report = (
            proposal_selectors.reports_visible(fetched_by)
            .filter(kind=ReportKind.YEAR, year=target.year)
            .order_by("-pk")
            .first()
        )
        about = _("qua công tác kiểm tra công vụ năm %(year)s") % {"year": target.year}
    if report is None:
        raise ValidationError(
            _(
                "Chưa có báo cáo, đề xuất của Giám đốc lên Chủ tịch UBND tỉnh %(about)s: hãy lập ở trang "
                "«Báo cáo, đề xuất» trước khi soạn tờ trình."
            )
            % {"about": about}
        )
    ctx = proposal_selectors.report_context(report, fetched_by=fetched_by)
    head = ctx["report"]
    data = {
        "issuer_title": issuer.unit.name,
        "report_title": head["title"],
        "report_reference": (
            _("Báo cáo số %(number)s ngày %(day)s") % {"number": head["number"], "day": head["report_date"]}
            if head["number"]
            else head["title"]
        ),
        "result_lines": _result_lines(ctx["units"]),
        "handling": _proposal_rows(ctx["handling"]),
        "discipline": _proposal_rows(ctx["discipline"]),
        "classification": _proposal_rows(ctx["classification"]),
    }
    defaults = {
        "summary": _("Đề xuất xử lý, xếp loại %(about)s") % {"about": about},
        "basis": head["summary"],
        "closing": "",
        "recipients": _("Như trên;\nLưu: VT, TTr."),
    }
    return data, defaults


BUILDERS = {
    "plan": _plan_data,
    "decision": _decision_data,
    "notice": _notice_data,
    "minutes": _minutes_data,
    "conclusion": _conclusion_data,
    "report": _report_data,
    "year-report": _year_report_data,
    "proposal": _proposal_data,
}


def data_and_defaults(kind: str, target: Target, issuer, fetched_by) -> tuple[dict, dict]:
    """The kind's data and the defaults of every block it exposes (signer from the issuing body)."""
    data, defaults = BUILDERS[kind](fetched_by, target, issuer)
    spec = get_kind(kind)
    defaults.setdefault("signer_authority", issuer.signer_title.upper())
    defaults.setdefault("signer_title", "")
    defaults.setdefault("signer_name", issuer.signer_name)
    for block in spec.blocks:
        defaults.setdefault(block.name, "")
    return data, defaults


def effective_blocks(defaults: dict, edited: dict) -> dict:
    """Each block's text: what the team typed if they changed it, else the default from the data."""
    return {name: edited.get(name, value) for name, value in defaults.items()}


def build_context(
    *,
    kind: str,
    target: Target,
    issuer,
    fetched_by,
    edited: dict,
    number: int | None = None,
    issued_on: date | None = None,
) -> dict:
    spec = get_kind(kind)
    data, defaults = data_and_defaults(kind, target, issuer, fetched_by)
    blocks = effective_blocks(defaults, edited)
    context = {
        "superior": issuer.superior.upper(),
        "issuer_name": issuer.name.upper(),
        "number_line": number_line(number, spec.number_code, issuer.abbreviation),
        "place_date": place_date_line(issuer.place, issued_on, target.year_of),
        "kind_heading": spec.heading,
        **data,
    }
    for block in spec.blocks:
        value = blocks.get(block.name, "")
        if block.name == "summary" or not block.multiline:
            context[block.name] = value.strip()
        else:
            context[block.name] = lines(value)
    return context
