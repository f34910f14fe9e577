"""The seed at rest: encrypted with a key outside the database until the draw, revealed and checked
against its commitment at the draw; a wrong key stops the draw (issue #14 item 11)."""

import json
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import connection

from congvu.core.models import AuditEvent
from congvu.sampling import draw, sealing, services
from congvu.sampling.models import Sample, SampleItem, SampleStatus
from congvu.sampling.tests.conftest import make_sample

pytestmark = pytest.mark.django_db


def _raw_row(sample) -> tuple[str, ...]:
    """Every column of the sample's row as the database holds it (no model, no decryption)."""
    table = connection.ops.quote_name(Sample._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [sample.pk])
        return tuple("" if value is None else str(value) for value in cursor.fetchone())


def _raw_seed_columns(sample) -> tuple[str, str]:
    table = connection.ops.quote_name(Sample._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seed, seed_sealed FROM {table} WHERE id = %s", [sample.pk])
        return cursor.fetchone()


def test_the_plain_seed_is_nowhere_in_the_database_before_the_draw(personas, inspection):
    sample = make_sample(personas, inspection)
    seed = sealing.unseal(sample.seed_sealed)
    assert draw.seed_commitment(seed) == sample.seed_commitment
    plain, sealed = _raw_seed_columns(sample)
    assert plain == "" and sealed and seed not in sealed
    assert not any(seed in value for value in _raw_row(sample))
    events = AuditEvent.objects.filter(object_id=str(sample.pk))  # nor in the audit trail
    assert events.exists() and not any(seed in json.dumps([e.before, e.after]) for e in events)


def test_the_draw_reveals_the_seed_and_verify_still_works(personas, inspection, records):
    sample = make_sample(personas, inspection)
    seed = sealing.unseal(sample.seed_sealed)
    sample = services.sample_draw(actor=personas.inspector, sample=sample)
    assert _raw_seed_columns(sample) == (seed, "")
    out = StringIO()
    call_command("sample", "verify", str(sample.pk), stdout=out)
    assert f"Hạt giống: {seed}" in out.getvalue() and "khớp" in out.getvalue()


def test_the_database_refuses_a_plain_seed_before_the_draw(personas, inspection):
    sample = make_sample(personas, inspection)
    sample.seed = sealing.unseal(sample.seed_sealed)
    with pytest.raises(ValidationError, match="Hạt giống chỉ được lưu dạng mã hóa"):
        sample.full_clean()


def test_a_wrong_key_stops_the_draw_with_a_clear_error(personas, inspection, records, settings):
    sample = make_sample(personas, inspection)
    settings.SAMPLING_KEY = Fernet.generate_key().decode()
    with pytest.raises(ValidationError, match="Không giải mã được hạt giống bằng khóa hiện tại"):
        services.sample_draw(actor=personas.inspector, sample=sample)
    sample.refresh_from_db()
    assert sample.status == SampleStatus.COMMITTED and sample.seed == ""
    assert not SampleItem.objects.filter(sample=sample).exists()


def test_a_sealed_seed_that_does_not_match_the_commitment_is_not_drawn(personas, inspection, records):
    sample = make_sample(personas, inspection)
    Sample.objects.filter(pk=sample.pk).update(seed_sealed=sealing.seal(draw.new_seed()))
    with pytest.raises(ValidationError, match="không khớp với mã cam kết"):
        services.sample_draw(actor=personas.inspector, sample=sample)
    assert not SampleItem.objects.filter(sample=sample).exists()


def test_unseal_refuses_a_damaged_token():
    token = sealing.seal("a" * 64)
    assert sealing.unseal(token) == "a" * 64
    with pytest.raises(sealing.SealError):
        sealing.unseal(token[:-4] + "AAAA")
    with pytest.raises(sealing.SealError):
        sealing.unseal("")


def test_the_key_comes_from_the_environment_or_a_private_file(monkeypatch, tmp_path):
    import congvu.settings as project_settings

    monkeypatch.setattr(project_settings, "VAR_DIR", tmp_path)
    monkeypatch.delenv("CONGVU_SAMPLING_KEY", raising=False)
    key = project_settings._sampling_key()
    assert (tmp_path / "sampling_key").stat().st_mode & 0o777 == 0o600
    assert project_settings._sampling_key() == key  # generated once
    assert sealing.unseal(sealing.seal("b" * 64, key=key), key=key) == "b" * 64
    other = Fernet.generate_key().decode()
    monkeypatch.setenv("CONGVU_SAMPLING_KEY", other)
    assert project_settings._sampling_key() == other
    monkeypatch.setenv("CONGVU_SAMPLING_KEY", "not-a-key")
    with pytest.raises(ImproperlyConfigured, match="CONGVU_SAMPLING_KEY"):
        project_settings._sampling_key()
