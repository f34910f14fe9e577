"""Demo step: cadre planning at the Department of Construction (Sở Xây dựng) for the term 2031–2036.

* The department's head, deputies and a few specialists get a birth date and sex (the demo province's
  officials have none), deterministically from the seed; one deputy is old enough to fail the age
  condition for 2031–2036; a woman deputy is marked entitled to retire at 60.
* Every deputy is planned for head and two specialists for deputy (decision of 20/03/2026).
* The conditions are checked on the review date; anyone a discipline decision takes out at once
  (a specialist reprimanded in 2026 by the evaluation step, when it ran) is taken out with the reason.
Classifications come from the evaluation step when it ran; years without a result show as unknown.
"""

from __future__ import annotations

from datetime import date

from congvu.org.models import AppointmentRole, Unit
from congvu.org.selectors import appointments_on
from congvu.org.services import official_personal_update
from congvu.planning.rules import FAILED
from congvu.planning.selectors import check_entries
from congvu.planning.services import planning_entry_create, planning_entry_take_out

TERM = "2031-2036"
DECISION = ("35-QĐ/BCSĐ", date(2026, 3, 20))
REVIEW = date(2026, 11, 27)  # the registers' last day


def _birth(ctx, first: int, last: int) -> date:
    return date(ctx.rng.randint(first, last), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))


def _sex(official) -> str:
    """The demo names carry it: "Thị" is a woman's middle name; the rest are read as men."""
    return "nu" if " Thị " in f" {official.full_name} " else "nam"


def build(ctx) -> None:
    unit = Unit.objects.filter(code="VL-SXD").first()
    if unit is None:
        return
    in_post = list(appointments_on(unit.pk, REVIEW).select_related("official").order_by("start", "pk"))
    heads = [a.official for a in in_post if a.role == AppointmentRole.HEAD][:1]
    deputies = [a.official for a in in_post if a.role == AppointmentRole.DEPUTY][:3]
    others = [a.official for a in in_post if a.role == AppointmentRole.OTHER]
    # The evaluation step's specialists when it ran (CV04 is reprimanded in October 2026, after his
    # planning decision of March), else the first others in post.
    by_code = {o.code: o for o in others}
    specialists = [by_code[c] for c in ("SXD-CV01", "SXD-CV04") if c in by_code] or others[:2]

    for official in heads:
        official_personal_update(
            actor=ctx.actor, official=official, birth_date=_birth(ctx, 1967, 1970), sex="nam"
        )
    for i, official in enumerate(deputies):
        # The first is too old for a full term from 03/2031; the others are younger.
        birth = _birth(ctx, 1968, 1970) if i == 0 else _birth(ctx, 1974, 1980)
        official_personal_update(actor=ctx.actor, official=official, birth_date=birth, sex=_sex(official))
    for official in specialists:
        official_personal_update(
            actor=ctx.actor, official=official, birth_date=_birth(ctx, 1982, 1988), sex=_sex(official)
        )

    number, decided = DECISION
    entries = []
    for official in deputies:
        official.refresh_from_db()
        entries.append(
            planning_entry_create(
                actor=ctx.actor,
                official=official,
                unit=unit,
                role="head",
                term=TERM,
                decision_number=number,
                decision_date=decided,
                woman_retires_at_60=official.sex == "nu",
            )
        )
    for official in specialists:
        entries.append(
            planning_entry_create(
                actor=ctx.actor,
                official=official,
                unit=unit,
                role="deputy",
                term=TERM,
                decision_number=number,
                decision_date=decided,
            )
        )
    taken_out = 0
    for entry in entries:
        check = check_entries([entry], on=REVIEW)[entry.pk]
        if check.out_now:
            reason = "; ".join(f.text for f in check.flags if f.status == FAILED and f.takes_out == "now")
            planning_entry_take_out(actor=ctx.actor, entry=entry, out_date=REVIEW, reason=reason)
            taken_out += 1
    ctx.data["planning_unit"] = unit
    ctx.log(
        f"Quy hoạch cán bộ: {len(entries)} người quy hoạch nhiệm kỳ {TERM} tại {unit.name}, "
        f"{taken_out} đưa ra."
    )
