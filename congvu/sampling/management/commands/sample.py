"""`congvu sample …`: sample sizes, evaluation, ISO 2859-1 and verification of a draw.

Rates (--confidence, --tolerable, --expected) accept a fraction or a percentage: 0.95 and 95 both mean
95 %; a value of 1 or more is read as a percentage, a value below 1 as a fraction, and a trailing %
forces a percentage ("0.5%" is half a percent).

    congvu sample size --confidence 95 --tolerable 5 --expected 1 [--population N] --format json
    congvu sample evaluate --n 59 --deviations 1 --confidence 0.95 [--tolerable 5] --format json
    congvu sample iso --lot 1000 [--level II] --format json
    congvu sample verify ID [--registers]
    congvu sample draw ID --user USERNAME [--reason TEXT]
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from congvu.sampling import stats


def _rate(value: str, name: str):
    try:
        return stats.parse_rate(value, name)
    except stats.SamplingError as exc:
        raise CommandError(str(exc)) from None


def _percent(rate: float) -> str:
    return f"{rate * 100:.2f}%"


class Command(BaseCommand):
    help = (
        "Chọn mẫu: cỡ mẫu (size), đánh giá (evaluate), ISO 2859-1 (iso), kiểm chứng (verify), rút mẫu (draw)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)

        size = sub.add_parser("size", help="attribute sample size (AICPA Appendix A method)")
        size.add_argument("--confidence", required=True, help="0.95 or 95")
        size.add_argument("--tolerable", required=True, help="tolerable deviation rate: 0.05 or 5")
        size.add_argument("--expected", default="0", help="expected deviation rate: 0.01 or 1 (default 0)")
        size.add_argument("--population", type=int, help="finite population size: hypergeometric")
        size.add_argument("--format", choices=["json", "table"], default="table")

        ev = sub.add_parser("evaluate", help="upper deviation limit (Clopper-Pearson, one-sided)")
        ev.add_argument("--n", type=int, required=True, help="records reviewed")
        ev.add_argument("--deviations", type=int, required=True, help="deviations found")
        ev.add_argument("--confidence", required=True)
        ev.add_argument("--tolerable", help="compare the upper limit with this rate")
        ev.add_argument("--population", type=int, help="population size: n ≥ population means a census")
        ev.add_argument("--format", choices=["json", "table"], default="table")

        iso = sub.add_parser("iso", help="ISO 2859-1 code letter and sample size")
        iso.add_argument("--lot", type=int, required=True, help="lot (population) size")
        iso.add_argument("--level", choices=["I", "II", "III"], default="II")
        iso.add_argument("--format", choices=["json", "table"], default="table")

        verify = sub.add_parser("verify", help="re-derive a drawn sample and compare")
        verify.add_argument("sample_id", type=int)
        verify.add_argument(
            "--registers",
            action="store_true",
            help="also compare the frozen population with the registers as they are now",
        )

        draw = sub.add_parser("draw", help="draw a committed sample (reveals its seed)")
        draw.add_argument("sample_id", type=int)
        draw.add_argument("--user", required=True, help="username of the inspector or lead drawing")
        draw.add_argument(
            "--reason", default="", help="why, when the inspection's population was already drawn"
        )

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _emit(self, data: dict, fmt: str, lines: list[str]) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(lines))

    def _size(self, *, confidence, tolerable, expected, population, format, **_):
        try:
            result = stats.attribute_sample_size(
                confidence=_rate(confidence, "--confidence"),
                tolerable=_rate(tolerable, "--tolerable"),
                expected=_rate(expected, "--expected"),
                population=population,
            )
        except stats.SamplingError as exc:
            raise CommandError(str(exc)) from None
        lines = [
            f"Cỡ mẫu: {result.sample_size} ({result.expected_deviations} sai lệch dự kiến)",
            f"Phương pháp: {result.method}"
            + (f", tổng thể {result.population}" if result.population else "")
            + (" — kiểm tra toàn bộ" if result.census else ""),
            f"Độ tin cậy {_percent(result.confidence)}, "
            f"sai lệch chấp nhận được {_percent(result.tolerable_rate)}, "
            f"dự kiến {_percent(result.expected_rate)}; rủi ro đạt được {result.achieved_risk:.4f}",
        ]
        self._emit(result.as_dict(), format, lines)

    def _evaluate(self, *, n, deviations, confidence, tolerable, population, format, **_):
        try:
            result = stats.evaluate(
                n=n,
                deviations=deviations,
                confidence=_rate(confidence, "--confidence"),
                tolerable=_rate(tolerable, "--tolerable") if tolerable is not None else None,
                population=population,
            )
        except stats.SamplingError as exc:
            raise CommandError(str(exc)) from None
        data = result.as_dict()
        data["upper_deviation_limit_percent_aicpa"] = stats.aicpa_percent(result.upper_deviation_limit)
        lines = [
            f"Tỷ lệ sai lệch của mẫu: {_percent(result.deviation_rate)} ({deviations}/{n})",
            f"Giới hạn trên ({_percent(result.confidence)}): {_percent(result.upper_deviation_limit)}",
        ]
        if result.acceptable is not None:
            lines.append(
                "Không vượt mức chấp nhận được" if result.acceptable else "Vượt mức sai lệch chấp nhận được"
            )
        self._emit(data, format, lines)

    def _iso(self, *, lot, level, format, **_):
        try:
            result = stats.iso2859_sample_size(lot, level)
        except stats.SamplingError as exc:
            raise CommandError(str(exc)) from None
        lines = [
            f"Cỡ lô {result.lot_size}, mức kiểm tra {result.level}: chữ mã {result.code_letter}, "
            f"cỡ mẫu {result.sample_size}" + (" (kiểm tra toàn bộ lô)" if result.full_inspection else "")
        ]
        self._emit(result.as_dict(), format, lines)

    def _verify(self, *, sample_id, registers, **_):
        from congvu.sampling.verification import sample_verify

        report = sample_verify(sample_id=sample_id, against_registers=registers)
        for line in report.lines:
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("Mẫu không khớp: " + "; ".join(report.problems))
        self.stdout.write(
            self.style.SUCCESS(f"Mẫu #{sample_id} khớp: rút lại từ hạt giống cho đúng kết quả.")
        )

    def _draw(self, *, sample_id, user, reason="", **_):
        from django.core.exceptions import PermissionDenied, ValidationError

        from congvu.accounts.models import User
        from congvu.sampling.models import Sample
        from congvu.sampling.services import sample_draw

        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"Không có người dùng đang hoạt động tên “{user}”.")
        sample = Sample.objects.visible_to(actor).filter(pk=sample_id).first()
        if sample is None:
            raise CommandError(f"Không có mẫu #{sample_id} (hoặc người dùng không được xem).")
        try:
            sample = sample_draw(actor=actor, sample=sample, reason=reason)
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise CommandError("; ".join(messages)) from None
        if sample.status == "queued":
            self.stdout.write(
                f"Mẫu #{sample.pk}: tổng thể {sample.draw_total} bản ghi, đang rút trong tiến trình nền "
                "(congvu db_worker)."
            )
            return
        self.stdout.write(
            f"Đã rút mẫu #{sample.pk}: {sample.items.count()} hồ sơ; hạt giống {sample.seed}; "
            f"mã băm tổng thể {sample.population_sha256}."
        )
