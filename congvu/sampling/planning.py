"""From a sample's settings and its population per field to a sample size per field."""

from __future__ import annotations

from dataclasses import dataclass

from congvu.sampling import stats


@dataclass(frozen=True)
class SizePlan:
    method: str
    fixed_size: int | None = None
    confidence: object = "0.95"
    tolerable: object = "0.05"
    expected: object = "0"
    finite_population: bool = False
    allocation: str = stats.PROPORTIONAL
    min_per_field: int = 1
    field_sizes: dict | None = None

    @classmethod
    def of(cls, sample) -> SizePlan:
        return cls(
            method=sample.size_method,
            fixed_size=sample.fixed_size,
            confidence=sample.confidence,
            tolerable=sample.tolerable_rate,
            expected=sample.expected_rate,
            finite_population=sample.finite_population,
            allocation=sample.allocation,
            min_per_field=sample.min_per_field,
            field_sizes=sample.field_sizes or {},
        )

    def size_for(self, population: int) -> int:
        """The sample size this method gives for a population of `population` records."""
        if population <= 0:
            return 0
        if self.method == "fixed":
            return min(int(self.fixed_size or 0), population)
        if self.method == "iso2859":
            return stats.iso2859_sample_size(population, "II").sample_size
        result = stats.attribute_sample_size(
            confidence=self.confidence,
            tolerable=self.tolerable,
            expected=self.expected,
            population=population if self.finite_population else None,
        )
        return min(result.sample_size, population)

    def sizes(self, populations: dict[str, int]) -> dict[str, int]:
        """Sample size per field code."""
        if self.allocation == stats.PER_FIELD:
            chosen = {key: self.size_for(n) for key, n in populations.items()}
            for key, n in (self.field_sizes or {}).items():
                if key in chosen:
                    chosen[key] = int(n)
            return stats.allocate(
                populations, method=stats.PER_FIELD, per_field=chosen, minimum=self.min_per_field
            )
        total = self.size_for(sum(populations.values()))
        return stats.allocate(populations, method=self.allocation, total=total, minimum=self.min_per_field)
