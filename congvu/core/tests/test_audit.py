import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from congvu.core.audit import audit_record, audit_verify
from congvu.core.models import AuditEvent


def _record(n):
    for i in range(n):
        with transaction.atomic():
            audit_record(
                actor="test", action="thing.touch", object_type="demo.thing", object_id=i, after={"i": i}
            )


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_intact_chain_verifies():
    _record(5)
    result = audit_verify()
    assert result.ok and result.checked == 5
    call_command("audit", "verify")


@pytest.mark.django_db
def test_each_event_carries_the_previous_hash():
    _record(3)
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == ""
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash


@pytest.mark.django_db
def test_edited_row_breaks_the_chain_and_is_named():
    _record(5)
    target = AuditEvent.objects.order_by("id")[2]
    _raw(f"UPDATE {AuditEvent._meta.db_table} SET action = %s WHERE id = %s", ["thing.forged", target.pk])
    result = audit_verify()
    assert not result.ok
    assert result.broken_event_id == target.pk
    with pytest.raises(CommandError, match=f"#{target.pk}"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_edited_payload_is_detected():
    _record(3)
    target = AuditEvent.objects.order_by("id")[0]
    _raw(f"UPDATE {AuditEvent._meta.db_table} SET after = %s WHERE id = %s", ['{"i": 99}', target.pk])
    assert audit_verify().broken_event_id == target.pk


@pytest.mark.django_db
def test_deleted_middle_row_names_the_next_event():
    _record(5)
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    _raw(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [ids[1]])
    result = audit_verify()
    assert not result.ok and result.broken_event_id == ids[2]


@pytest.mark.django_db
def test_deleted_last_row_is_detected():
    _record(4)
    last = AuditEvent.objects.order_by("-id").first()
    _raw(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [last.pk])
    result = audit_verify()
    assert not result.ok
    assert result.broken_event_id == last.pk


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit_record(actor="test", action="x", object_type="y")


@pytest.mark.django_db(transaction=True)  # the test database, copied outside a transaction
def test_cli_exit_code_is_non_zero_when_broken(tmp_path):
    """The real `congvu audit verify` process, on a file database we tamper with."""
    import os
    import sqlite3
    import subprocess
    import sys

    from congvu.core.testing import copy_test_database_to_sqlite

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CONGVU_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-m", "congvu.cli"]
    copy_test_database_to_sqlite(tmp_path / "db.sqlite3", env=env)  # a migrated database
    # A few audited writes through the services (the demo province would take a minute here), then
    # `congvu audit verify` through the script's entry point in the same process (one Django boot,
    # ~3.5 s of CPU, fewer): its exit status is the process's.
    writes = (
        "import sys, django; django.setup()\n"
        "from congvu.org.services import unit_create\n"
        "for i in range(4): unit_create(actor='test', code=f'U{i}', name=f'Đơn vị {i}', kind='department')\n"
        "sys.argv = ['congvu', 'audit', 'verify']\n"
        "from congvu.cli import main; main()\n"
    )
    ok = subprocess.run(
        [sys.executable, "-c", writes],
        env={**env, "DJANGO_SETTINGS_MODULE": "congvu.settings"},
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert "nguyên vẹn: 4 sự kiện" in ok.stdout, ok.stdout  # the four events written were checked
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        db.execute("UPDATE core_auditevent SET actor_label = 'someone else' WHERE id = 3")
    broken = subprocess.run([*cli, "audit", "verify"], env=env, capture_output=True, text=True)
    assert broken.returncode != 0
    assert "#3" in broken.stderr
