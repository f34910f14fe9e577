"""Demo step: a minimal organisation and the demo accounts (the real province replaces it)."""

from congvu.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from congvu.accounts.services import user_create
from congvu.org.models import Unit, UnitKind
from congvu.org.services import unit_create


def build(ctx) -> None:
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
