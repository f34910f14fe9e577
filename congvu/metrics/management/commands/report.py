"""`congvu report tthc`: the periodic TTHC report (Biểu 06a/06b) and the 766 progress score of a unit
or of the province, from the command line (contract in issue #13)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from congvu.metrics.management.commands.metrics import iso_date
from congvu.metrics.selectors import UnitLookupError, filter_records, resolve_unit
from congvu.metrics.tthc import CHOICES, DEFAULT, KEYS, LABELS, Conventions, tthc_report
from congvu.registers.models import Dossier


class Command(BaseCommand):
    help = _(
        "Báo cáo tình hình, kết quả giải quyết TTHC (Biểu 06a/06b) và điểm Tiến độ giải quyết theo "
        "QĐ 766/QĐ-TTg: `congvu report tthc --unit U --from D --to D [--as-of D] [--by field] "
        "--format json|table`."
    )

    def add_arguments(self, parser):
        parser.add_argument("report", choices=["tthc"])
        parser.add_argument("--unit", required=True, help=_("mã hoặc tên đơn vị; 'all': toàn tỉnh"))
        parser.add_argument("--from", dest="date_from", type=iso_date, required=True)
        parser.add_argument("--to", dest="date_to", type=iso_date, required=True)
        parser.add_argument("--as-of", dest="as_of", type=iso_date, help=_("ngày báo cáo (mặc định: --to)"))
        parser.add_argument("--by", choices=["field"], help=_("thêm một dòng cho mỗi lĩnh vực"))
        parser.add_argument("--format", choices=("json", "table"), default="table")
        for name, choices in CHOICES.items():
            parser.add_argument(
                f"--{name}",
                choices=sorted(choices),
                default=getattr(DEFAULT, name),
                help=_("quy ước tính (mặc định: %(d)s)") % {"d": getattr(DEFAULT, name)},
            )

    def handle(self, *args, date_from, date_to, as_of, by, **options):
        if date_from > date_to:
            raise CommandError(
                _("--from %(a)s sau --to %(b)s: khoảng thời gian rỗng.") % {"a": date_from, "b": date_to}
            )
        unit = None
        if options["unit"].strip().lower() != "all":
            try:
                unit = resolve_unit(options["unit"])
            except UnitLookupError as exc:
                raise CommandError(str(exc)) from None
        conventions = Conventions(**{name: options[name] for name in CHOICES})
        records = filter_records(Dossier.objects.all(), register="dossiers", unit=unit)
        result = tthc_report(
            records=records, date_from=date_from, date_to=date_to, as_of=as_of, by=by, conventions=conventions
        )
        total = result["total"]
        output = {
            "unit": unit.code if unit else "all",
            "unit_name": unit.name if unit else _("Toàn tỉnh"),
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "as_of": result["as_of"].isoformat(),
            "conventions": conventions.as_dict(),
            "total": {key: total[key] for key in KEYS},
            "score_766": total["score_766"],
            "score_766_numerator": total["score_766_numerator"],
            "score_766_denominator": total["score_766_denominator"],
        }
        if by == "field":
            output["fields"] = [
                {"field": row["code"], "field_name": row["label"], **{key: row[key] for key in KEYS}}
                for row in result["rows"]
            ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(self._table(output, conventions))

    def _table(self, output: dict, conventions: Conventions) -> str:
        lines = [
            _("Tình hình, kết quả giải quyết TTHC — %(unit)s — từ %(a)s đến %(b)s (ngày báo cáo %(r)s)")
            % {
                "unit": output["unit_name"],
                "a": _vn(output["from"]),
                "b": _vn(output["to"]),
                "r": _vn(output["as_of"]),
            }
        ]
        groups = ["received"] * 4 + ["solved"] * 4 + ["in_progress"] * 3
        group_names = {
            "received": _("Nhận"),
            "solved": _("Đã giải quyết"),
            "in_progress": _("Đang giải quyết"),
        }
        headers = [_("Lĩnh vực")] + [
            f"{group_names[g]}: {LABELS[k]}" for g, k in zip(groups, KEYS, strict=True)
        ]
        rows = [[_("Tổng cộng")] + [str(output["total"][k]) for k in KEYS]]
        for row in output.get("fields", []):
            rows.append([row["field_name"]] + [str(row[k]) for k in KEYS])
        # One line per figure, one column per row of the form: fits a terminal.
        body = [[headers[i + 1]] + [r[i + 1] for r in rows] for i in range(len(KEYS))]
        head = [_("Chỉ tiêu")] + [r[0] for r in rows]
        widths = [max(len(str(line[i])) for line in [head, *body]) for i in range(len(head))]

        def render(cells):
            return "  ".join(
                str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(cells)
            )

        lines += [render(head), "  ".join("-" * w for w in widths), *map(render, body)]
        score = output["score_766"]
        lines.append(
            _("Điểm Tiến độ giải quyết (QĐ 766): %(s)s / 20 = 20 × %(n)s / %(d)s")
            % {
                "s": "—" if score is None else f"{score:.2f}".replace(".", ","),
                "n": output["score_766_numerator"],
                "d": output["score_766_denominator"],
            }
        )
        lines.append(_("Quy ước: ") + "; ".join(conventions.described()) + ".")
        return "\n".join(lines)


def _vn(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
