"""Builds the demo province, deterministically from a seed, through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from congvu.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from congvu.accounts.services import user_create
from congvu.org.models import Unit, UnitKind
from congvu.org.services import unit_create

SCALES = ("small", "medium", "large")


@dataclass
class DemoContext:
    seed: int
    scale: str
    rng: random.Random
    actor: str = "demo"


def build_demo(*, seed: int = 2025, scale: str = "medium", log=print) -> DemoContext:
    ctx = DemoContext(seed=seed, scale=scale, rng=random.Random(seed))
    with transaction.atomic():
        _minimal_org(ctx)
        _accounts(ctx)
    log("Đã tạo tỉnh trình diễn.")
    return ctx


def _minimal_org(ctx: DemoContext) -> None:
    province = unit_create(actor=ctx.actor, code="DEMO-UBND", name="UBND tỉnh Vĩnh Long", kind=UnitKind.PPC)
    unit_create(
        actor=ctx.actor,
        code="DEMO-SXD",
        name="Sở Xây dựng",
        kind=UnitKind.DEPARTMENT,
        parent=province,
        abbreviation="SXD",
    )
    unit_create(
        actor=ctx.actor,
        code="DEMO-SNV",
        name="Sở Nội vụ",
        kind=UnitKind.DEPARTMENT,
        parent=province,
        abbreviation="SNV",
    )
    unit_create(actor=ctx.actor, code="DEMO-XA", name="Xã Long Đức", kind=UnitKind.COMMUNE, parent=province)


def _accounts(ctx: DemoContext) -> None:
    for username, role, unit_code, full_name in DEMO_ACCOUNTS:
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        user_create(
            actor=ctx.actor,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            unit=unit,
            full_name=full_name,
            is_superuser=(role == "admin"),
        )
