"""Re-deriving a drawn sample from its seed and frozen population (`congvu sample verify ID`).

Checks, in order: the seed matches the commitment published before the draw; the frozen population
matches its SHA-256; seed, commitment and population hash match the draw's event in the audit chain;
the population's counts per field match the sample's fields; and each field's drawn records are
exactly the first n of the ranking redone from the seed. Optionally, the frozen population is
compared with the registers as they are now (records imported or corrected since the draw)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from congvu.core.models import AuditEvent
from congvu.sampling import draw
from congvu.sampling.models import Sample, SamplePopulation
from congvu.sampling.population import read_population

_SHOWN = 5


@dataclass
class VerifyReport:
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> None:
        self.ok = False
        self.problems.append(problem)


def _few(codes) -> str:
    codes = list(codes)
    more = len(codes) - _SHOWN
    return ", ".join(codes[:_SHOWN]) + (_(" và %(n)s mã khác") % {"n": more} if more > 0 else "")


def sample_verify(*, sample_id: int, against_registers: bool = False) -> VerifyReport:
    report = VerifyReport()
    sample = Sample.objects.filter(pk=sample_id).first()
    if sample is None:
        report.fail(_("không có mẫu #%(pk)s") % {"pk": sample_id})
        return report
    if not sample.is_drawn:
        report.fail(_("mẫu #%(pk)s chưa được rút") % {"pk": sample_id})
        return report
    report.lines.append(_("Mẫu #%(pk)s: %(title)s") % {"pk": sample.pk, "title": sample.title})
    report.lines.append(_("Cam kết: %(c)s") % {"c": sample.seed_commitment})
    report.lines.append(_("Hạt giống: %(s)s") % {"s": sample.seed})
    report.lines.append(_("SHA-256 tổng thể: %(h)s") % {"h": sample.population_sha256})

    if not draw.is_valid_seed(sample.seed) or draw.seed_commitment(sample.seed) != sample.seed_commitment:
        report.fail(_("hạt giống không khớp với mã cam kết đã công bố"))

    population = SamplePopulation.objects.filter(sample=sample).first()
    if population is None:
        report.fail(_("không còn danh sách tổng thể đã cố định"))
        return report
    actual_hash = draw.population_sha256(population.text)
    if actual_hash != sample.population_sha256:
        report.fail(
            _("danh sách tổng thể đã bị thay đổi: SHA-256 hiện là %(a)s, khi rút mẫu là %(b)s")
            % {"a": actual_hash, "b": sample.population_sha256}
        )

    event = (
        AuditEvent.objects.filter(
            action="sample.draw", object_type="sampling.sample", object_id=str(sample.pk)
        )
        .order_by("-id")
        .first()
    )
    if event is None:
        report.fail(_("không tìm thấy sự kiện rút mẫu trong nhật ký"))
    else:
        recorded = event.after or {}
        for key, label in (
            ("seed", _("hạt giống")),
            ("seed_commitment", _("mã cam kết")),
            ("population_sha256", _("mã băm tổng thể")),
        ):
            if recorded.get(key) != getattr(sample, key):
                report.fail(
                    _("%(what)s của mẫu khác với nhật ký rút mẫu (sự kiện #%(id)s)")
                    % {"what": label, "id": event.pk}
                )

    try:
        rows = draw.parse_population_text(population.text)
    except draw.PopulationError as exc:
        report.fail(str(exc))
        return report
    groups = draw.group_by_field(rows)
    strata = {s.field_code: s for s in sample.strata.all()}
    if set(groups) != set(strata):
        report.fail(
            _("các lĩnh vực của tổng thể (%(a)s) khác các lĩnh vực của mẫu (%(b)s)")
            % {"a": ", ".join(sorted(groups)), "b": ", ".join(sorted(strata))}
        )
    drawn: dict[str, list[tuple[str, str]]] = {}
    for stratum_code, code, value in sample.items.order_by("stratum__field_code", "rank").values_list(
        "stratum__field_code", "record_code", "rank_value"
    ):
        drawn.setdefault(stratum_code, []).append((code, value))
    for field_code, stratum in sorted(strata.items()):
        codes = groups.get(field_code, [])
        if len(codes) != stratum.population_size:
            report.fail(
                _("lĩnh vực %(f)s: tổng thể có %(a)s bản ghi, mẫu ghi %(b)s")
                % {"f": field_code, "a": len(codes), "b": stratum.population_size}
            )
        expected = [(r.code, r.value) for r in draw.ranking(sample.seed, codes)[: stratum.sample_size]]
        got = drawn.get(field_code, [])
        if expected != got:
            missing = [c for c, _v in expected if (c, _v) not in got]
            extra = [c for c, _v in got if (c, _v) not in expected]
            detail = []
            if missing:
                detail.append(_("thiếu %(codes)s") % {"codes": _few(missing)})
            if extra:
                detail.append(_("thừa %(codes)s") % {"codes": _few(extra)})
            if not detail:
                detail.append(_("sai thứ tự"))
            report.fail(
                _("lĩnh vực %(f)s: mẫu rút lại khác mẫu đã lưu (%(d)s)")
                % {"f": field_code, "d": "; ".join(detail)}
            )
        else:
            report.lines.append(
                _("Lĩnh vực %(f)s: %(n)s/%(N)s bản ghi khớp.")
                % {"f": field_code, "n": len(got), "N": len(codes)}
            )

    if against_registers:
        now = read_population(
            unit_id=sample.unit_id,
            register=sample.register,
            period_from=sample.period_from,
            period_to=sample.period_to,
        )
        current = {(r.field_code, r.code) for r in now.records}
        frozen = set(rows)
        if current != frozen:
            added = sorted(f"{f}/{c}" for f, c in current - frozen)
            removed = sorted(f"{f}/{c}" for f, c in frozen - current)
            report.fail(
                _("sổ theo dõi hiện nay khác tổng thể đã cố định: thêm %(a)s, bớt %(r)s")
                % {"a": _few(added) or "0", "r": _few(removed) or "0"}
            )
        else:
            report.lines.append(_("Sổ theo dõi hiện nay vẫn cho đúng tổng thể đã cố định."))
    return report
