"""Builds the demo province, deterministically from a seed, through the services.

Each area contributes a step module with `build(ctx)`, run in order inside one transaction."""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

SCALES = ("small", "medium", "large")

# The areas, in dependency order. Each module has build(ctx: DemoContext) -> None.
STEPS = [
    "congvu.demo.org",  # units with lineage, fields, officials, appointments, accounts
    "congvu.demo.calendar",  # the working-day calendar and its ordinal table
    "congvu.demo.registers",  # tasks and dossiers
    "congvu.demo.inspections",  # plans and inspections in every state
    "congvu.demo.sampling",  # drawn and reviewed samples of the inspections' dossiers
    "congvu.demo.evaluation",  # Sở Xây dựng: 2025 under Decree 90/48, 2026 quarterly sheets under Decree 335
    "congvu.demo.proposals",  # the Director's reports and the Chairman's decisions (after evaluation)
    "congvu.demo.planning",  # Sở Xây dựng: cadre planning for 2031–2036, checked on the review date
    "congvu.demo.documents",  # Sở Nội vụ as issuing body: an issued notice, a draft of minutes
]


@dataclass
class DemoContext:
    seed: int
    scale: str
    rng: random.Random
    log: Callable[[str], None]
    actor: str = "demo"
    data: dict = field(default_factory=dict)  # what one step hands to the next


def build_demo(*, seed: int = 2025, scale: str = "medium", log=print) -> DemoContext:
    ctx = DemoContext(seed=seed, scale=scale, rng=random.Random(seed), log=log)
    for name in STEPS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # that area is not built yet
        with transaction.atomic():
            module.build(ctx)
    log("Đã tạo tỉnh trình diễn.")
    return ctx
