"""`congvu calendar count FROM TO | add DATE N | show YEAR | rebuild [--from D] [--to D]`.

`count` and `add` print only the answer on stdout, so scripts can use it; errors go to stderr with a
non-zero exit status."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from congvu.workdays.selectors import (
    CalendarRangeError,
    calendar_year,
    working_days_add,
    working_days_count,
)
from congvu.workdays.services import calendar_rebuild

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(label: str, value: str) -> date:
    try:
        if not _ISO.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{label}: {value!r} không phải ngày dạng YYYY-MM-DD (ví dụ 2025-01-31)."
        ) from None


def _integer(label: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"{label}: {value!r} không phải số nguyên.") from None


class Command(BaseCommand):
    help = "Working-day arithmetic on the official calendar: count, add, show, rebuild."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        count = sub.add_parser("count", help="working days in [FROM, TO], both included")
        count.add_argument("start", metavar="FROM")
        count.add_argument("end", metavar="TO")
        add = sub.add_parser("add", help="the N-th working day after DATE (DATE not counted; N may be < 0)")
        add.add_argument("day", metavar="DATE")
        add.add_argument("n", metavar="N")
        show = sub.add_parser("show", help="the year's days off and worked days, with their documents")
        show.add_argument("year", metavar="YEAR")
        rebuild = sub.add_parser("rebuild", help="recompute the ordinal table (default: 2015–2035)")
        rebuild.add_argument("--from", dest="start", metavar="DATE")
        rebuild.add_argument("--to", dest="end", metavar="DATE")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except CalendarRangeError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def _count(self, *, start, end, **_):
        self.stdout.write(str(working_days_count(_iso_date("FROM", start), _iso_date("TO", end))))

    def _add(self, *, day, n, **_):
        self.stdout.write(working_days_add(_iso_date("DATE", day), _integer("N", n)).isoformat())

    def _show(self, *, year, **_):
        number = _integer("YEAR", year)
        info = calendar_year(number)
        self.stdout.write(f"Năm {number}: {info.working_days} ngày làm việc.")
        self.stdout.write(
            "Theo tháng: " + ", ".join(f"T{m.number} {m.working_days}" for m in info.months) + "."
        )
        for e in info.entries:
            if e.is_decision:
                document = e.document_number or "không ghi số văn bản"
                if e.document_date:
                    document += f" ngày {e.document_date:%d/%m/%Y}"
            else:
                document = "mặc định (Bộ luật Lao động, gói holidays)"
            self.stdout.write(
                f"{e.date:%d/%m/%Y}  {e.weekday_name!s:<8}  {e.kind_label:<22}  {e.name}  [{document}]"
            )

    def _rebuild(self, *, start, end, **_):
        result = calendar_rebuild(
            actor="cli",
            start=_iso_date("--from", start) if start else None,
            end=_iso_date("--to", end) if end else None,
        )
        self.stdout.write(
            f"Đã dựng bảng ngày làm việc {result.first:%d/%m/%Y}–{result.last:%d/%m/%Y}: {result.days} ngày, "
            f"{result.working_days} ngày làm việc ({result.seconds:.2f} giây)."
        )
