"""The official holiday decisions for 2024–2026 that ship with Công vụ (loaded by migration 0003).

Each period is stored day by day as the notice states it ("nghỉ từ … đến hết …", weekends included),
plus the Saturday worked in exchange for a swapped weekday. What is verified, and how:

* 2024 Tết (08/02–14/02) and National Day (31/08–03/09): the Prime Minister's agreement,
  Công văn 8662/VPCP-KGVX of 03/11/2023 (cited by the Kon Tum provincial portal; the Ministry of
  Labour's notice of 22/11/2023 that relays it is cited as both 5014 and 5015/TB-LĐTBXH, so it is
  not used here).
* 2024 30/4–1/5 (27/04–01/05, Monday 29/04 off, Saturday 04/05 worked): Công văn 2450/VPCP-KGVX of
  12/04/2024.
* 2025 Tết (25/01–02/02), 30/4–1/5 (30/04–04/05, Friday 02/05 off, Saturday 26/04 worked) and
  National Day (30/08–02/09): Công văn 8726/VPCP-KGVX of 26/11/2024 (the Ministry of Labour's
  notice relaying it, 6150/TB-BLĐTBXH, is cited by the `holidays` package; its date is not verified).
* 2026 New Year (01/01–04/01, Friday 02/01 off, Saturday 10/01 worked): Công văn 12729/VPCP-KGVX of
  25/12/2025 — the `holidays` package does not know this swap.
* 2026 Tết (14/02–22/02) and National Day (29/08–02/09, Monday 31/08 off, Saturday 22/08 worked):
  Thông báo 9441/TB-BNV of the Ministry of Home Affairs, 16/10/2025.

Not stored, left to the package's defaults (statutory, no yearly decision found): New Year 2024 and
2025, Hùng Kings' day (18/04/2024, 07/04/2025, 26/04/2026 a Sunday → Monday 27/04/2026 in lieu),
30/4–1/5/2026 (Thursday–Friday), and Ngày Văn hóa Việt Nam 24/11/2026. The last is an assumption:
Politburo Resolution 80-NQ/TW chose 24/11 as a paid day off and Government Resolution 30/NQ-CP
(02/2026) asks for the Labour Code amendment, but the amendment itself could not be confirmed. An
administrator who learns otherwise records a `working_day` decision for that date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from congvu.workdays.models import DayKind


@dataclass(frozen=True)
class OfficialPeriod:
    name: str
    first: date
    last: date
    document_number: str
    document_date: date | None
    swaps: tuple[tuple[date, date], ...] = ()  # (weekday given off, Saturday worked instead)


D = date
PERIODS: tuple[OfficialPeriod, ...] = (
    # 2024
    OfficialPeriod(
        "Tết Nguyên đán Giáp Thìn", D(2024, 2, 8), D(2024, 2, 14), "8662/VPCP-KGVX", D(2023, 11, 3)
    ),
    OfficialPeriod(
        "Ngày Chiến thắng và Quốc tế Lao động",
        D(2024, 4, 27),
        D(2024, 5, 1),
        "2450/VPCP-KGVX",
        D(2024, 4, 12),
        swaps=((D(2024, 4, 29), D(2024, 5, 4)),),
    ),
    OfficialPeriod("Quốc khánh", D(2024, 8, 31), D(2024, 9, 3), "8662/VPCP-KGVX", D(2023, 11, 3)),
    # 2025
    OfficialPeriod("Tết Nguyên đán Ất Tỵ", D(2025, 1, 25), D(2025, 2, 2), "8726/VPCP-KGVX", D(2024, 11, 26)),
    OfficialPeriod(
        "Ngày Chiến thắng và Quốc tế Lao động",
        D(2025, 4, 30),
        D(2025, 5, 4),
        "8726/VPCP-KGVX",
        D(2024, 11, 26),
        swaps=((D(2025, 5, 2), D(2025, 4, 26)),),
    ),
    OfficialPeriod("Quốc khánh", D(2025, 8, 30), D(2025, 9, 2), "8726/VPCP-KGVX", D(2024, 11, 26)),
    # 2026
    OfficialPeriod(
        "Tết Dương lịch",
        D(2026, 1, 1),
        D(2026, 1, 4),
        "12729/VPCP-KGVX",
        D(2025, 12, 25),
        swaps=((D(2026, 1, 2), D(2026, 1, 10)),),
    ),
    OfficialPeriod("Tết Nguyên đán Bính Ngọ", D(2026, 2, 14), D(2026, 2, 22), "9441/TB-BNV", D(2025, 10, 16)),
    OfficialPeriod(
        "Quốc khánh",
        D(2026, 8, 29),
        D(2026, 9, 2),
        "9441/TB-BNV",
        D(2025, 10, 16),
        swaps=((D(2026, 8, 31), D(2026, 8, 22)),),
    ),
)


def official_rows(periods: tuple[OfficialPeriod, ...] = PERIODS) -> list[dict]:
    """The periods as CalendarDay field values, one dict per date."""
    rows = []
    for period in periods:
        doc = {"document_number": period.document_number, "document_date": period.document_date}
        given_off = dict(period.swaps)
        day = period.first
        while day <= period.last:
            name = period.name
            if day in given_off:
                name = f"{period.name} (nghỉ hoán đổi, làm bù thứ Bảy {given_off[day]:%d/%m/%Y})"
            rows.append({"date": day, "kind": DayKind.DAY_OFF, "name": name, **doc})
            day += timedelta(days=1)
        for off, worked in period.swaps:
            name = f"Làm bù cho ngày nghỉ {off:%d/%m/%Y} ({period.name})"
            rows.append({"date": worked, "kind": DayKind.WORKING_DAY, "name": name, **doc})
    return rows


def load_official(calendar_day_model) -> list:
    """Insert the official rows whose date has no decision yet; never overwrite one.

    Takes the model so that a migration can pass its historical model. Returns the rows created."""
    taken = set(calendar_day_model.objects.values_list("date", flat=True))
    new = [calendar_day_model(**row) for row in official_rows() if row["date"] not in taken]
    return calendar_day_model.objects.bulk_create(new)
