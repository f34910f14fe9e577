"""The data migration seals the seeds of samples not yet drawn and leaves drawn ones revealed; its
reverse opens them again (issue #14 item 11)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from congvu.sampling import draw, sealing

pytestmark = [pytest.mark.transactional, pytest.mark.django_db(transaction=True)]

BEFORE = [("sampling", "0002_sealed_seed_and_redraws")]
AFTER = [("sampling", "0004_seed_sealed_until_drawn")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_undrawn_seeds_are_sealed_and_drawn_ones_stay_revealed(personas):
    from congvu.inspections.models import Inspection

    inspection = Inspection.objects.create(
        kind="surprise",
        unit=personas.unit,
        title="Kiểm tra",
        status="on_site",
        period_from="2025-01-01",
        period_to="2025-06-30",
    )
    try:
        apps = _migrate(BEFORE)
        Sample = apps.get_model("sampling", "Sample")
        undrawn_seed, drawn_seed = draw.new_seed(), draw.new_seed()
        common = {
            "inspection_id": inspection.pk,
            "unit_id": personas.unit.pk,
            "title": "M",
            "register": "dossiers",
            "period_from": "2025-01-01",
            "period_to": "2025-06-30",
            "size_method": "fixed",
            "fixed_size": 1,
            "commitment_shown_at": "2025-07-01T00:00:00Z",
        }
        undrawn = Sample.objects.create(
            **common, seed=undrawn_seed, seed_commitment=draw.seed_commitment(undrawn_seed)
        )
        drawn = Sample.objects.create(
            **common,
            seed=drawn_seed,
            seed_commitment=draw.seed_commitment(drawn_seed),
            status="drawn",
            drawn_at="2025-07-02T00:00:00Z",
            population_sha256="0" * 64,
        )
        apps = _migrate(AFTER)
        Sample = apps.get_model("sampling", "Sample")
        row = Sample.objects.get(pk=undrawn.pk)
        assert row.seed == "" and sealing.unseal(row.seed_sealed) == undrawn_seed
        row = Sample.objects.get(pk=drawn.pk)
        assert (row.seed, row.seed_sealed) == (drawn_seed, "")
        apps = _migrate(BEFORE)
        row = apps.get_model("sampling", "Sample").objects.get(pk=undrawn.pk)
        assert (row.seed, row.seed_sealed) == (undrawn_seed, "")
    finally:  # the whole project at its latest migrations again, not just this one: later
        # migrations (0005 and on, other apps') would be left unapplied for the tests that follow
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
