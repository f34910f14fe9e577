"""Whole-installation backup and restore: the database and the uploaded files in one archive.

An archive is a gzip'd tar with three kinds of member:

- `manifest.json`: format version, database vendor, created at, row counts per table, the audit
  head (hash, count, last event), and the SHA-256 of every other member;
- `database.sqlite3` (SQLite, a copy made by the online backup API) or `database.dump` (PostgreSQL,
  `pg_dump -Fc`);
- `media/…`: every file under MEDIA_ROOT (evidence, import files, documents).

The counts and the audit head describe exactly the copied database: on SQLite they are read from the
copy, on PostgreSQL inside the repeatable-read transaction whose snapshot `pg_dump --snapshot` dumps.
Restore refuses an archive of another vendor, of another format version, or one whose members do not
match their hashes, before anything is replaced; afterwards it checks the row counts against the
manifest and the audit chain.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
VENDOR_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Vietnamese)."""


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    tables: int
    rows: int
    media_files: int
    audit_events: int
    mismatches: list[str] = field(default_factory=list)


# --- shared helpers -----------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_tables(cursor, table_names: list[str]) -> dict[str, int]:
    counts = {}
    for name in sorted(table_names):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # noqa: S608 - names from introspection
        counts[name] = cursor.fetchone()[0]
    return counts


def _table_names(cursor, vendor: str) -> list[str]:
    """The same list on both sides of a round trip: the tables, not views or SQLite's own."""
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return [row[0] for row in cursor.fetchall()]


def _audit_head(cursor, table_names: list[str]) -> dict[str, Any]:
    if "core_audithead" not in table_names:  # a database never migrated
        return {"last_event_id": None, "hash": "", "count": 0}
    cursor.execute("SELECT last_event_id, last_hash, count FROM core_audithead WHERE id = 1")
    row = cursor.fetchone()
    if row is None:
        return {"last_event_id": None, "hash": "", "count": 0}
    return {"last_event_id": row[0], "hash": row[1], "count": row[2]}


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database: the password never shows in `ps`."""
    conf = connection.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if conf.get(key):
            env[var] = str(conf[key])
    env["PGDATABASE"] = connection.settings_dict["NAME"]
    return env


def _run_pg_tool(args: list[str]) -> None:
    tool = args[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"Không tìm thấy chương trình {tool}: cài gói postgresql-client (tools/system-packages)."
        )
    proc = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BackupError(f"{tool} thất bại (mã {proc.returncode}): {proc.stderr.strip()[:2000]}")


# --- backup -------------------------------------------------------------------------------


def _snapshot_sqlite(target: Path) -> tuple[dict[str, int], dict[str, Any]]:
    connection.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        connection.connection.backup(dest)
        dest.commit()
        cursor = dest.cursor()
        names = _table_names(cursor, "sqlite")
        return _count_tables(cursor, names), _audit_head(cursor, names)
    finally:
        dest.close()


def _snapshot_postgresql(target: Path) -> tuple[dict[str, int], dict[str, Any]]:
    """Counts and dump from one snapshot: a repeatable-read transaction exports it, pg_dump uses it."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            names = _table_names(cursor, "postgresql")
            counts = _count_tables(cursor, names)
            head = _audit_head(cursor, names)
            _run_pg_tool(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--no-owner", f"--file={target}"]
            )
        raw.rollback()
    finally:
        raw.close()
    return counts, head


def backup_create(*, path: Path) -> dict[str, Any]:
    """Write the archive to `path` (atomically: a temporary name, renamed when complete)."""
    vendor = connection.vendor
    if connection.in_atomic_block:
        # SQLite's backup would wait forever on the open write transaction of its own connection.
        raise BackupError("Không thể sao lưu trong một giao dịch đang mở.")
    if vendor not in DB_MEMBER:
        raise BackupError(f"Hệ quản trị cơ sở dữ liệu {vendor} không được hỗ trợ.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="congvu-backup-") as tmp:
        db_file = Path(tmp) / DB_MEMBER[vendor]
        if vendor == "sqlite":
            counts, head = _snapshot_sqlite(db_file)
        else:
            counts, head = _snapshot_postgresql(db_file)
        members: dict[str, str] = {DB_MEMBER[vendor]: _sha256_file(db_file)}
        media_root = _media_root()
        media_files: list[tuple[Path, str]] = []
        if media_root.is_dir():
            for file in sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()):
                arcname = "media/" + file.relative_to(media_root).as_posix()
                media_files.append((file, arcname))
        manifest: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "tables": counts,
            "audit_head": head,
            "members": members,
        }
        partial = path.with_name(path.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(db_file, arcname=DB_MEMBER[vendor])
                for file, arcname in media_files:
                    # Hash what goes into the archive, read once, so a file changing meanwhile
                    # cannot leave a hash that does not match its member.
                    data = file.read_bytes()
                    members[arcname] = hashlib.sha256(data).hexdigest()
                    info = tar.gettarinfo(str(file), arcname=arcname)
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
                blob = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(blob)
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(blob))
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# --- restore ------------------------------------------------------------------------------


def _corrupt(detail: str) -> BackupError:
    return BackupError(f"Tệp sao lưu bị hỏng hoặc không phải bản sao lưu của Công vụ: {detail}")


def _safe_media_name(name: str) -> PurePosixPath:
    rel = PurePosixPath(name).relative_to("media")
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise _corrupt(f"đường dẫn không hợp lệ {name!r}")
    return rel


def backup_read(*, path: Path, workdir: Path) -> dict[str, Any]:
    """Unpack and check an archive into `workdir`; raises BackupError (nothing replaced yet)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {path}.")
    try:
        with tarfile.open(path, "r:gz") as tar:
            manifest_member = tar.getmember(MANIFEST) if MANIFEST in tar.getnames() else None
            if manifest_member is None:
                raise _corrupt("không có manifest.json")
            manifest = json.loads(tar.extractfile(manifest_member).read().decode())
            if not isinstance(manifest, dict) or "members" not in manifest:
                raise _corrupt("manifest.json không đúng cấu trúc")
            expected: dict[str, str] = manifest["members"]
            seen: set[str] = set()
            for member in tar.getmembers():
                if member.name == MANIFEST:
                    continue
                if member.name not in expected or not member.isfile():
                    raise _corrupt(f"thành phần lạ {member.name!r}")
                if member.name.startswith("media/"):
                    target = workdir / "media" / _safe_media_name(member.name)
                else:
                    target = workdir / PurePosixPath(member.name).name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(member) as src, target.open("wb") as dst:
                    while block := src.read(CHUNK):
                        digest.update(block)
                        dst.write(block)
                if digest.hexdigest() != expected[member.name]:
                    raise _corrupt(f"{member.name} không khớp mã băm SHA-256 trong manifest")
                seen.add(member.name)
            missing = sorted(set(expected) - seen)
            if missing:
                raise _corrupt("thiếu " + ", ".join(missing[:5]))
    except (tarfile.TarError, EOFError, OSError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _corrupt(str(exc) or type(exc).__name__) from None
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"Bản sao lưu có định dạng phiên bản {version}; phiên bản này của Công vụ đọc định dạng "
            f"{FORMAT_VERSION}."
        )
    vendor = manifest.get("vendor")
    if vendor != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là của {VENDOR_LABEL.get(vendor, vendor)}, còn cơ sở dữ liệu đang cấu hình là "
            f"{VENDOR_LABEL.get(connection.vendor, connection.vendor)}: không thể khôi phục chéo."
        )
    if DB_MEMBER[vendor] not in seen:
        raise _corrupt(f"thiếu {DB_MEMBER[vendor]}")
    return manifest


def _current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _count_tables(cursor, _table_names(cursor, connection.vendor))


def describe_target() -> str:
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {conf['NAME']}"
    return f"PostgreSQL {conf.get('HOST') or 'localhost'}:{conf.get('PORT') or 5432}/{conf['NAME']}"


def backup_restore(*, workdir: Path, manifest: dict[str, Any]) -> RestoreResult:
    """Replace the configured database and the uploaded files with the unpacked archive."""
    from congvu.core.audit import audit_verify

    vendor = manifest["vendor"]
    db_file = workdir / DB_MEMBER[vendor]
    if vendor == "sqlite":
        src = sqlite3.connect(db_file)
        try:
            connection.ensure_connection()
            src.backup(connection.connection)
        finally:
            src.close()
    else:
        # Drop what the dump will recreate, then restore it all in one transaction: a failure
        # leaves the database as it was before the restore.
        connection.close()
        _run_pg_tool(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(db_file),
            ]
        )
    connection.close()  # the next query sees the restored schema from a fresh connection

    media_src = workdir / "media"
    media_files = 0
    if media_src.is_dir():
        media_root = _media_root()
        for file in media_src.rglob("*"):
            if file.is_file():
                target = media_root / file.relative_to(media_src)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
                media_files += 1

    counts = _current_counts()
    expected = manifest["tables"]
    mismatches = [
        f"{name}: bản sao lưu {expected.get(name, '—')}, sau khôi phục {counts.get(name, '—')}"
        for name in sorted(set(expected) | set(counts))
        if expected.get(name) != counts.get(name)
    ]
    result = audit_verify()
    if not result.ok:
        mismatches.append(f"chuỗi nhật ký hỏng tại sự kiện #{result.broken_event_id}: {result.reason}")
    return RestoreResult(
        manifest=manifest,
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=media_files,
        audit_events=result.checked,
        mismatches=mismatches,
    )
