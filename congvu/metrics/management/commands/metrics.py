"""`congvu metrics`: the performance engine from the command line (DESIGN "The congvu command")."""

from __future__ import annotations

import argparse
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.metrics.engine import GROUPINGS, REGISTERS, compute_metrics, ordinal_on, register_model
from congvu.metrics.formatting import columns_for, format_value
from congvu.metrics.selectors import UnitLookupError, filter_records, resolve_unit


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(text)s” không phải ngày dạng ISO (ví dụ 2025-01-31).") % {"text": text}
        ) from None


class Command(BaseCommand):
    help = _(
        "Chỉ số thực hiện nhiệm vụ của một đơn vị (hoặc mọi đơn vị với --unit all): đúng hạn, quá hạn, "
        "số ngày làm việc chậm, thời gian xử lý, chất lượng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--unit", required=True, help=_("mã hoặc tên đơn vị (không phân biệt dấu); 'all': mọi đơn vị")
        )
        parser.add_argument("--from", dest="date_from", type=iso_date, help=_("nhận từ ngày (ISO)"))
        parser.add_argument("--to", dest="date_to", type=iso_date, help=_("nhận đến ngày (ISO)"))
        parser.add_argument(
            "--as-of", dest="as_of", type=iso_date, help=_("ngày báo cáo (mặc định: hôm nay)")
        )
        parser.add_argument(
            "--by", choices=GROUPINGS, help=_("nhóm theo người phụ trách, lĩnh vực, tháng, đơn vị")
        )
        parser.add_argument(
            "--register", choices=REGISTERS, default="tasks", help=_("sổ: tasks hoặc dossiers")
        )
        predecessors = parser.add_mutually_exclusive_group()
        predecessors.add_argument(
            "--with-predecessors",
            dest="with_predecessors",
            action="store_true",
            default=True,
            help=_("tính cả các đơn vị tiền thân đã sáp nhập vào đơn vị (mặc định)"),
        )
        predecessors.add_argument(
            "--no-predecessors",
            dest="with_predecessors",
            action="store_false",
            help=_("chỉ tính bản ghi của chính đơn vị"),
        )
        parser.add_argument("--format", choices=("json", "table"), default="table")

    def handle(self, *args, **options):
        register = options["register"]
        as_of = options["as_of"] or timezone.localdate()
        date_from, date_to = options["date_from"], options["date_to"]
        if date_from and date_to and date_from > date_to:
            raise CommandError(
                _("--from %(a)s sau --to %(b)s: khoảng thời gian rỗng.") % {"a": date_from, "b": date_to}
            )
        by = options["by"]
        unit = None
        if options["unit"].strip().lower() == "all":
            by = by or "unit"
        else:
            try:
                unit = resolve_unit(options["unit"])
            except UnitLookupError as exc:
                raise CommandError(str(exc)) from None
        records = filter_records(
            register_model(register).objects.all(),
            register=register,
            unit=unit,
            with_predecessors=options["with_predecessors"],
            date_from=date_from,
            date_to=date_to,
        )
        if ordinal_on(as_of) is None:
            self.stderr.write(
                _(
                    "Cảnh báo: ngày báo cáo %(day)s nằm ngoài bảng ngày làm việc; "
                    "số ngày quá hạn không tính được."
                )
                % {"day": as_of.isoformat()}
            )
        rows = compute_metrics(register=register, records=records, as_of=as_of, by=by)
        context = {
            "register": register,
            "unit": unit.code if unit else None,
            "as_of": as_of.isoformat(),
            "date_from": date_from.isoformat() if date_from else None,
            "date_to": date_to.isoformat() if date_to else None,
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps([{**context, **row} for row in rows], ensure_ascii=False, indent=1))
        else:
            self.stdout.write(self._table(rows, register, unit, as_of, date_from, date_to, by))

    def _table(self, rows, register, unit, as_of, date_from, date_to, by) -> str:
        title = _("Nhiệm vụ được giao") if register == "tasks" else _("Hồ sơ TTHC")
        scope = unit.name if unit else _("Mọi đơn vị")
        period = ""
        if date_from or date_to:
            period = _(", nhận từ %(a)s đến %(b)s") % {
                "a": f"{date_from:%d/%m/%Y}" if date_from else "…",
                "b": f"{date_to:%d/%m/%Y}" if date_to else "…",
            }
        lines = [f"{title} — {scope} — {_('tính đến ngày')} {as_of:%d/%m/%Y}{period}"]
        if not rows or (by is None and not rows[0]["total"]):
            lines.append(_("Không có bản ghi nào."))
            return "\n".join(lines)
        columns = columns_for(register)
        # One line per figure and one column per group: readable in a terminal even with 20 figures.
        headers = [str(_("Chỉ tiêu"))] + [str(row["label"]) for row in rows]
        body = [
            [str(header)] + [format_value(row[key], kind) for row in rows] for key, header, kind in columns
        ]
        if len(rows) > 8:
            # Many groups: one line per group instead.
            headers = [str(_("Nhóm"))] + [str(header) for _key, header, _kind in columns]
            body = [
                [str(row["label"])] + [format_value(row[key], kind) for key, _h, kind in columns]
                for row in rows
            ]
        widths = [max(len(line[i]) for line in [headers, *body]) for i in range(len(headers))]

        def render(cells: list[str]) -> str:
            return "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(cells)
            )

        lines.append(render(headers))
        lines.append("  ".join("-" * w for w in widths))
        lines.extend(render(line) for line in body)
        return "\n".join(lines)
