"""The staging table of an import and the set-based merge into the register.

Phase 1 writes every validated row, as a tuple of plain values, into a temporary table: SQLite
`executemany`, PostgreSQL `COPY` (psycopg 3). Phase 2 compares it with the register in SQL (created /
updated / unchanged) and upserts from it in one statement:
`INSERT … SELECT … ON CONFLICT (source, external_code) DO UPDATE SET … WHERE <something changed>`.
The same statements mean the same on both databases; only null-safe comparison (`IS NOT` / `IS
DISTINCT FROM`), column types and the bulk-load loader differ.

A large load into a register it outgrows (more new rows than the table holds) drops the register's
secondary indexes — and on PostgreSQL its foreign keys — before the upsert and rebuilds them after,
in the same transaction, from their own definitions in the catalogue: building an index from sorted
rows and validating a foreign key with one join are several times faster than maintaining them row
by row (PostgreSQL manual, "Populating a Database"). Readers on SQLite (WAL) keep their snapshot; on
PostgreSQL they wait for the commit, which is acceptable for a first load. A smaller but still large
load on PostgreSQL (FOREIGN_KEY_RATIO) drops and re-adds only the foreign keys, for the same reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import ExitStack, suppress
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections

# Above this many staged rows (and at least as many as the register holds), rebuild indexes after.
BULK_ROWS = 50_000
# Statistics after an import that wrote this many rows (`Stage._analyze`; `_rebuild` does it too).
ANALYZE_ROWS = 1_000
SQLITE_ANALYSIS_LIMIT = 400  # rows sampled per index
# PostgreSQL: a merge of at least BULK_ROWS rows and 1/FOREIGN_KEY_RATIO of the register drops its
# foreign keys and re-adds them after (one validating join each) instead of queuing four deferred
# checks per row for the commit. Measured by benchmarks/scale.py (1M rows into 2M, loaded machine):
# ~50 s of checks at commit; re-adding the four keys took 4.9 s at 2M rows, so ~2.5 s per million.
FOREIGN_KEY_RATIO = 20
DUPLICATE_LOOKUP_LIMIT = 2_000  # repeated codes looked up one by one; beyond, one grouping pass
_SQLITE_CACHE_KIB = 65_536  # page cache while merging: the register's indexes stay in memory


@dataclass(frozen=True)
class StageColumn:
    name: str  # staging and register column
    sql_type: str  # text, bigint, integer, date, boolean
    group: str | None  # the file column whose presence lets this column be updated; None: always
    compare: bool = True  # a difference makes the row "updated"


_SQLITE_TYPES = {
    "text": "TEXT",
    "bigint": "INTEGER",
    "integer": "INTEGER",
    "date": "TEXT",
    "boolean": "INTEGER",
}


class Stage:
    """A temporary table holding (rowno, code, *columns) for one import, on Django's connection."""

    def __init__(self, *, table: str, columns: Sequence[StageColumn], stamp_column: str | None = None):
        self.table = table  # the register's table
        self.columns = list(columns)
        self.stamp_column = stamp_column  # e.g. updated_at, set to the merge time
        self.name = f"registers_stage_{uuid.uuid4().hex[:12]}"
        self.vendor = connection.vendor
        self.rows = 0
        self.sorted = True  # rows arrived in code order: no sort needed before the merge
        self._created = False
        self._copy = None  # PostgreSQL: one COPY stream for the whole of phase 1
        self._progress_connection = None
        self._extra_tables: list[str] = []

    # --- phase 1 ---------------------------------------------------------------------------

    def create(self) -> None:
        connection.ensure_connection()
        q = connection.ops.quote_name
        if self.vendor == "postgresql":
            cols = ", ".join(f"{q(c.name)} {c.sql_type}" for c in self.columns)
            sql = f"CREATE TEMPORARY TABLE {q(self.name)} (rowno integer, code text, {cols})"
        else:
            cols = ", ".join(f"{q(c.name)} {_SQLITE_TYPES[c.sql_type]}" for c in self.columns)
            sql = f"CREATE TEMP TABLE {q(self.name)} (rowno INTEGER, code TEXT, {cols})"
        with connection.cursor() as cursor:
            cursor.execute(sql)
        self._created = True

    def write(self, rows: list[tuple]) -> None:
        """Append rows (rowno, code, *columns).

        PostgreSQL: rows go into one COPY stream kept open until `finish`, so the server loads them
        while Python validates the next ones. SQLite: outside a transaction each batch commits on its
        own into the temporary database, so the register stays unlocked meanwhile."""
        if not rows:
            return
        raw = connection.connection
        if self.vendor == "postgresql":
            if self._copy is None:
                self._stack = ExitStack()
                cursor = self._stack.enter_context(raw.cursor())
                self._copy = self._stack.enter_context(cursor.copy(f'COPY "{self.name}" FROM STDIN'))
            write_row = self._copy.write_row
            for row in rows:
                write_row(row)
        else:
            marks = ", ".join("?" * (len(self.columns) + 2))
            autocommit = not connection.in_atomic_block
            if autocommit:
                raw.execute("BEGIN")
            raw.executemany(f'INSERT INTO "{self.name}" VALUES ({marks})', rows)
            if autocommit:
                raw.execute("COMMIT")
        self.rows += len(rows)

    def finish(self) -> None:
        """End phase 1: close the COPY stream (PostgreSQL); on SQLite, index the codes when the rows
        did not come in code order, so that the merge fills the register's unique index in order."""
        if self._copy is not None:
            self._copy = None
            self._stack.close()
        if self._progress_connection is not None:
            self._progress_connection.close()
            self._progress_connection = None
        if self.vendor == "sqlite" and not self.sorted:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE INDEX "{self.name}_code" ON "{self.name}" (code)')

    def abort(self) -> None:
        """Phase 1 failed half-way: end an open COPY stream so that the connection is usable again."""
        if self._copy is not None:
            self._copy = None
            error = RuntimeError("import aborted")
            with suppress(Exception):
                self._stack.__exit__(RuntimeError, error, None)
        if self._progress_connection is not None:
            with suppress(Exception):
                self._progress_connection.close()
            self._progress_connection = None

    def report(self, sql: str, params: list) -> bool:
        """Write a progress update during phase 1, committed at once. On PostgreSQL the COPY stream
        holds Django's connection, so this goes through a second connection. False when it cannot."""
        if connection.in_atomic_block:
            return False  # inside the caller's transaction nobody else could see it anyway
        if self.vendor != "postgresql" or self._copy is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
            return True
        if self._progress_connection is None:
            self._progress_connection = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._progress_connection.cursor() as cursor:
            cursor.execute(sql, params)
        return True

    def duplicates(self, codes: set[str], limit: int) -> list[tuple[int, str, int]]:
        """(rowno, code, first rowno) for every repeat of the given codes (those Python saw twice):
        a lookup of a few codes, or one grouping pass when there are many (a file pasted twice)."""
        if len(codes) > DUPLICATE_LOOKUP_LIMIT:
            sql = f"""
                SELECT s.rowno, s.code, d.first FROM "{self.name}" s
                JOIN (SELECT code, MIN(rowno) AS first FROM "{self.name}" WHERE code IS NOT NULL
                      GROUP BY code HAVING COUNT(*) > 1) d ON d.code = s.code
                WHERE s.rowno > d.first ORDER BY s.rowno LIMIT %s"""
            with connection.cursor() as cursor:
                cursor.execute(sql, [limit])
                return list(cursor.fetchall())
        found: list[tuple[int, str, int]] = []
        first: dict[str, int] = {}
        ordered = sorted(codes)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            with connection.cursor() as cursor:
                cursor.execute(
                    f'SELECT rowno, code FROM "{self.name}" WHERE code IN ({marks}) ORDER BY rowno', chunk
                )
                for rowno, code in cursor.fetchall():
                    if code in first:
                        found.append((rowno, code, first[code]))
                    else:
                        first[code] = rowno
            if len(found) >= limit:
                break
        return sorted(found)[:limit]

    def owned_elsewhere(self, *, source: str, allowed_unit_ids: Sequence[int], limit: int) -> list[tuple]:
        """(rowno, code) of rows whose code the register already holds for a unit outside the set."""
        marks = ", ".join(["%s"] * len(allowed_unit_ids))
        sql = f"""
            SELECT s.rowno, s.code FROM "{self.name}" s
            JOIN "{self.table}" t ON t.source = %s AND t.external_code = s.code
            WHERE t.unit_id NOT IN ({marks}) ORDER BY s.rowno LIMIT %s"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [source, *allowed_unit_ids, limit])
            return list(cursor.fetchall())

    # --- phase 2 ---------------------------------------------------------------------------

    def _distinct(self, left: str, right: str) -> str:
        op = "IS DISTINCT FROM" if self.vendor == "postgresql" else "IS NOT"
        return f"{left} {op} {right}"

    def _changed(self, target: str, other: str, groups: set[str]) -> str:
        terms = [
            self._distinct(f'{target}."{c.name}"', f'{other}."{c.name}"')
            for c in self.columns
            if c.compare and (c.group is None or c.group in groups)
        ]
        return " OR ".join(terms) or "FALSE"

    def counts(self, *, source: str, groups: set[str]) -> tuple[int, int, int]:
        """(created, updated, unchanged) that merging would give, computed by the database."""
        if self.vendor == "postgresql" and connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
        sql = f"""
            SELECT COUNT(*), COALESCE(SUM(CASE WHEN {self._changed("t", "s", groups)} THEN 1 ELSE 0 END), 0)
            FROM "{self.name}" s JOIN "{self.table}" t ON t.source = %s AND t.external_code = s.code"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [source])
            matched, changed = cursor.fetchone()
        return self.rows - matched, changed, matched - changed

    def changed_ids(self, *, source: str, groups: set[str]) -> str:
        """Keep, in a temporary table (dropped with the stage), the ids of the register's rows the merge
        is about to change: matched by code, and different. Returns its name. The rollups take their
        contribution out before the merge and put it back after (`congvu.registers.rollups.RollupDelta`)."""
        name = f"{self.name}_changed"
        temporary = "TEMPORARY" if self.vendor == "postgresql" else "TEMP"
        with connection.cursor() as cursor:
            cursor.execute(
                f'CREATE {temporary} TABLE "{name}" AS SELECT t.id FROM "{self.name}" s '
                f'JOIN "{self.table}" t ON t.source = %s AND t.external_code = s.code '
                f"WHERE {self._changed('t', 's', groups)}",
                [source],
            )
        self._extra_tables.append(name)
        return name

    def lock(self) -> None:
        """PostgreSQL, large loads: keep other writers out from the counts to the commit, so that what
        was counted is what gets merged (readers go on). SQLite's write transaction does this already."""
        if self.vendor == "postgresql" and self.rows >= BULK_ROWS:
            with connection.cursor() as cursor:
                cursor.execute(f'LOCK TABLE "{self.table}" IN SHARE ROW EXCLUSIVE MODE')

    def merge(
        self,
        *,
        source: str,
        groups: set[str],
        import_run_id: int,
        stamp=None,
        bulk: bool,
        all_new: bool = False,
    ) -> int:
        """Insert new rows and update changed ones (only the columns the file carries). Runs inside
        the caller's transaction, after `lock` and `counts`. Returns the number of rows written.

        A bulk load on PostgreSQL whose rows are all new also drops the (source, external_code)
        unique constraint and inserts without ON CONFLICT: rebuilding that index from sorted rows
        costs a fraction of a million checked insertions, and re-adding it still proves uniqueness."""
        target = self.table
        names = [c.name for c in self.columns]
        insert_cols = ", ".join(f'"{n}"' for n in names)
        select_cols = ", ".join(f's."{n}"' for n in names)
        updated = [
            f'"{c.name}" = excluded."{c.name}"' for c in self.columns if c.group is None or c.group in groups
        ]
        updated.append('"import_run_id" = excluded."import_run_id"')
        params: list = [source, import_run_id]
        extra_cols, extra_vals = '"import_run_id"', "%s"
        if self.stamp_column:
            extra_cols += f', "{self.stamp_column}"'
            extra_vals += ", %s"
            params.append(stamp)
            updated.append(f'"{self.stamp_column}" = excluded."{self.stamp_column}"')
        # SQLite: rows in code order fill the unique index sequentially (exports usually are in
        # order already). PostgreSQL keeps the index in shared buffers; sorting wide rows costs more.
        # "WHERE true" keeps SQLite's parser from reading ON CONFLICT as part of the SELECT.
        order = "ORDER BY s.code" if self.vendor == "sqlite" and not self.sorted else ""
        plain = bulk and all_new and self.vendor == "postgresql"
        sql = f"""
            INSERT INTO "{target}" ("source", "external_code", {insert_cols}, {extra_cols})
            SELECT %s, s.code, {select_cols}, {extra_vals} FROM "{self.name}" s WHERE true {order}"""
        if not plain:
            sql += f"""
            ON CONFLICT ("source", "external_code") DO UPDATE SET {", ".join(updated)}
            WHERE {self._changed(f'"{target}"', "excluded", groups)}"""
        # Parameter order follows the statement: source, import run, stamp.
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SET LOCAL work_mem = '64MB'")  # the joins and the index rebuild
            if bulk:
                rebuild = self._drop_for_bulk_load(cursor, unique=plain)
            elif self._wants_foreign_keys_dropped(cursor):
                rebuild = self._drop_for_bulk_load(cursor, with_indexes=False)
            else:
                rebuild = None
            cursor.execute(sql, params)
            written = cursor.rowcount
            if rebuild is not None:
                self._rebuild(cursor, rebuild)
            elif written >= ANALYZE_ROWS:
                self._analyze(cursor)
        return written

    def _analyze(self, cursor) -> None:
        """Statistics for what was just written, so that the pages' and the figures' plans see the
        register as it is now. SQLite keeps none unless asked: without them it reads a list page's
        50 rows through the unit index (every record of the user's units) instead of by their keys,
        32 ms instead of 0.3 ms on the large demo; sampled (`analysis_limit`), about 80 ms on 1M
        dossiers. PostgreSQL's autovacuum may be off, or minutes late."""
        if self.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        cursor.execute(f'ANALYZE "{self.table}"')

    def vacuum(self, *, written: int) -> None:
        """PostgreSQL, after the commit of a large merge (BULK_ROWS rows written or more): `VACUUM`
        the register (its statistics were taken in the merge's transaction, `_analyze`). It marks the
        new rows' pages all-visible, so that index-only scans stay index-only — the figures' (a unit's
        scorecard, the ranking's live part) and the next import's join on the merge key, which
        otherwise visits the table for every one of the register's rows (measured: 11–26 s per
        1M-row file at 6–10M dossiers, autovacuum off; 1.4 s once vacuumed). Autovacuum would do it
        only after 20% of the table is new, or never when it is off. It reads only the pages not yet
        all-visible: under 4 s for the whole 10M-row register vacuumed for the first time. Not inside
        a transaction (tests), and never failing the import.

        The rollups too (`congvu.registers.rollups`), with their statistics: the import rewrote the
        rows of every unit and month it touched, and a unit's figures read its rows through an index
        that the dead ones and a planner without statistics (a fresh table) would slow down."""
        if self.vendor != "postgresql" or written < BULK_ROWS or connection.in_atomic_block:
            return
        from congvu.registers.models import RegisterRollup, ScorecardRollup

        rollups = ", ".join(f'"{model._meta.db_table}"' for model in (RegisterRollup, ScorecardRollup))
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f'VACUUM "{self.table}"')
            cursor.execute(f"VACUUM (ANALYZE) {rollups}")

    def wants_bulk_load(self) -> bool:
        if self.rows < BULK_ROWS:
            return False
        # Counts at most rows + 1 records: a register of millions is not counted to the end.
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM (SELECT 1 FROM "{self.table}" LIMIT %s) r', [self.rows + 1])
            existing = cursor.fetchone()[0]
        return self.rows >= existing

    def _wants_foreign_keys_dropped(self, cursor) -> bool:
        """PostgreSQL, a merge that is not a bulk load but large for the register (see
        FOREIGN_KEY_RATIO; the register's size is the planner's estimate, kept by the ANALYZE after
        every large merge). Like the bulk load, it then holds the register exclusively until the
        commit."""
        if self.vendor != "postgresql" or self.rows < BULK_ROWS:
            return False
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [self.table])
        estimate = max(cursor.fetchone()[0], 0)  # -1: never analysed
        return self.rows * FOREIGN_KEY_RATIO >= estimate

    def _drop_for_bulk_load(self, cursor, unique: bool = False, with_indexes: bool = True) -> dict:
        """Drop the register's secondary indexes (with `with_indexes`) and PostgreSQL foreign keys,
        and with `unique` its unique constraints; return what to rebuild."""
        if self.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks may block ALTER TABLE
            cursor.execute("SET LOCAL maintenance_work_mem = '128MB'")
            cursor.execute(
                """SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
                   JOIN pg_class c ON c.oid = i.indexrelid
                   WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary""",
                [self.table],
            )
            indexes = cursor.fetchall() if with_indexes else []
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = ANY(%s)",
                [self.table, ["f", "u"] if unique else ["f"]],
            )
            constraints = cursor.fetchall()
            for name, _definition in constraints:
                cursor.execute(f'ALTER TABLE "{self.table}" DROP CONSTRAINT "{name}"')
        else:
            cursor.execute("PRAGMA cache_size")
            self._cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [self.table],
            )
            indexes = cursor.fetchall()
            constraints = []
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        return {"indexes": indexes, "constraints": constraints}

    def _rebuild(self, cursor, dropped: dict) -> None:
        for _name, definition in dropped["indexes"]:
            cursor.execute(definition)
        for name, definition in dropped["constraints"]:
            cursor.execute(f'ALTER TABLE "{self.table}" ADD CONSTRAINT "{name}" {definition}')
        if self.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute(f"PRAGMA cache_size = {self._cache_size}")
        # Fresh statistics for the pages and the metrics right away: a register that just grew
        # several-fold has none that fit.
        self._analyze(cursor)

    def drop(self) -> None:
        self.abort()
        if not self._created:
            return
        self._created = False
        if connection.connection is None:
            return  # the connection is gone, and its temporary table with it
        with connection.cursor() as cursor:
            for name in [self.name, *self._extra_tables]:
                cursor.execute(f'DROP TABLE IF EXISTS "{name}"')
        self._extra_tables = []
