"""`congvu backup` / `congvu restore`: the round trip on the configured database (SQLite or
PostgreSQL) restores into a fresh database, identical row for row, with the audit chain intact;
archives of another vendor, another format or with damaged members are refused before anything is
replaced; the operator confirms unless --yes is given."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from congvu.accounts.models import User
from congvu.core.backup import FORMAT_VERSION, _count_tables, _table_names
from congvu.org.models import Unit

CLI = [sys.executable, "-m", "congvu.cli"]


def _source_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _count_tables(cursor, _table_names(cursor, connection.vendor))


class _FreshDatabase:
    """An empty database of the configured vendor, with its DATABASE_URL and a direct connection."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            conf = connection.settings_dict
            self.name = f"{conf['NAME']}_restore_{uuid.uuid4().hex[:8]}"
            self.params = {**connection.get_connection_params()}
            self._admin("CREATE DATABASE {}")
            auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
            host = f"{conf.get('HOST') or 'localhost'}:{conf.get('PORT') or 5432}"
            self.url = f"postgres://{auth}@{host}/{self.name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        params = {**self.params, "dbname": "postgres", "autocommit": True}
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params) as admin:
            admin.execute(sql.format(f'"{self.name}"'))

    def counts(self) -> dict[str, int]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as db:
                return _count_tables(db.cursor(), _table_names(db.cursor(), "sqlite"))
        import psycopg

        params = {**self.params, "dbname": self.name}
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params) as db, db.cursor() as cursor:
            return _count_tables(cursor, _table_names(cursor, "postgresql"))

    def drop(self) -> None:
        if self.vendor != "sqlite":
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_identically_with_audit_chain(personas, tmp_path, settings):
    """Committed data (pg_dump and the restore run in other processes), so transactional."""
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = settings.MEDIA_ROOT / "inspections" / "1" / "biên bản.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 evidence \x00\xff")
    archive = tmp_path / "backups" / "congvu.tar.gz"

    call_command("backup", str(archive), stdout=io.StringIO())
    source = _source_counts()
    assert source["core_auditevent"] > 0 and source["accounts_user"] == User.objects.count() > 0
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"] == source
    assert manifest["audit_head"]["count"] == source["core_auditevent"]
    assert manifest["created_at"]

    fresh = _FreshDatabase(tmp_path)
    try:
        env = {
            **os.environ,
            "DATABASE_URL": fresh.url,
            "CONGVU_VAR_DIR": str(tmp_path / "var"),
            "CONGVU_MEDIA_ROOT": str(tmp_path / "restored-media"),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        restore = subprocess.run(
            [*CLI, "restore", str(archive), "--yes"], env=env, capture_output=True, text=True
        )
        assert restore.returncode == 0, restore.stderr
        assert "khớp bản sao lưu" in restore.stdout
        assert fresh.counts() == source
        verify = subprocess.run([*CLI, "audit", "verify"], env=env, capture_output=True, text=True)
        assert verify.returncode == 0, verify.stderr
        assert f"{source['core_auditevent']} sự kiện" in verify.stdout
        restored = tmp_path / "restored-media" / "inspections" / "1" / "biên bản.pdf"
        assert restored.read_bytes() == evidence.read_bytes()
    finally:
        fresh.drop()


def _archive(tmp_path, *, vendor=None, version=FORMAT_VERSION, members=None, tamper=None):
    """A hand-made archive: a stand-in database member and a manifest whose hashes match, unless
    `tamper` names a member whose bytes are changed after hashing."""
    vendor = vendor or connection.vendor
    members = members or {"database.sqlite3" if vendor == "sqlite" else "database.dump": b"not really"}
    manifest = {
        "format_version": version,
        "vendor": vendor,
        "created_at": "2026-12-01T08:00:00+00:00",
        "tables": {},
        "audit_head": {"last_event_id": None, "hash": "", "count": 0},
        "members": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    path = tmp_path / f"hand-{uuid.uuid4().hex[:6]}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
            if name == tamper:
                data = data + b"!"
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _restore(path, **kwargs):
    call_command("restore", str(path), stdout=io.StringIO(), **kwargs)


def test_restore_refuses_an_archive_of_the_other_database_vendor(db, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(CommandError, match="không thể khôi phục chéo"):
        _restore(_archive(tmp_path, vendor=other), yes=True)


def test_restore_refuses_another_format_version(db, tmp_path):
    with pytest.raises(CommandError, match="định dạng phiên bản 99"):
        _restore(_archive(tmp_path, version=99), yes=True)


def test_restore_refuses_a_truncated_archive_and_replaces_nothing(personas, tmp_path):
    good = _archive(tmp_path)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(CommandError, match="bị hỏng"):
        _restore(truncated, yes=True)
    assert Unit.objects.filter(code="T-SXD").exists()


def test_restore_refuses_a_member_that_does_not_match_its_hash(personas, tmp_path):
    name = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"
    with pytest.raises(CommandError, match=f"{name} không khớp mã băm"):
        _restore(_archive(tmp_path, tamper=name), yes=True)
    assert Unit.objects.filter(code="T-SXD").exists()


def test_restore_refuses_a_file_that_is_not_an_archive(db, tmp_path):
    path = tmp_path / "notes.tar.gz"
    path.write_text("không phải bản sao lưu")
    with pytest.raises(CommandError, match="bị hỏng"):
        _restore(path, yes=True)


def test_restore_refuses_a_media_path_that_climbs_out_of_media_root(db, tmp_path):
    name = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"
    path = _archive(tmp_path, members={name: b"x", "media/../../etc/cron.d/evil": b"* * * * * root sh"})
    with pytest.raises(CommandError, match="đường dẫn không hợp lệ"):
        _restore(path, yes=True)


def test_restore_asks_for_confirmation_and_no_keeps_the_data(personas, tmp_path, monkeypatch):
    archive = _archive(tmp_path)
    asked = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "no")
    with pytest.raises(CommandError, match="Đã hủy"):
        _restore(archive)
    assert "sẽ bị thay thế" in asked[0]
    assert Unit.objects.filter(code="T-SXD").exists()


def test_restore_without_a_terminal_needs_yes(db, tmp_path, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(CommandError, match="--yes"):
        _restore(_archive(tmp_path))


def test_backup_inside_an_open_transaction_is_refused_rather_than_waiting(db, tmp_path):
    with pytest.raises(CommandError, match="giao dịch đang mở"):
        call_command("backup", str(tmp_path / "b.tar.gz"), stdout=io.StringIO())
