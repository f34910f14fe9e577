"""Writing the working-day ordinal table. Used by the services and by the data migration, which is
why the models are parameters (a migration passes its historical models)."""

from __future__ import annotations

from datetime import date

from django.db import connection

from congvu.workdays.defaults import ordinal_rows

# The range the table covers unless it already covers more (DESIGN: 2015–2035).
DEFAULT_FIRST = date(2015, 1, 1)
DEFAULT_LAST = date(2035, 12, 31)


def lock_calendar(ordinal_model) -> None:
    """Serialise calendar writers for the rest of the transaction; readers are not blocked.

    Two rewrites of the table at once would collide on its primary key in PostgreSQL; SQLite
    transactions here already start IMMEDIATE, which serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ordinal_model._meta.db_table} IN EXCLUSIVE MODE")


def write_ordinal_table(calendar_day_model, ordinal_model, first: date, last: date) -> int:
    """Replace the whole table by [first, last] computed from the defaults and the decisions.

    A full rewrite keeps one code path for every change; it must run inside the caller's
    transaction. The rows go in through COPY on PostgreSQL and one `executemany` on SQLite (DESIGN
    "bulk writes"; on SQLite 7,670 rows take ~15 ms this way, ~170 ms through `bulk_create`).
    Returns the number of working days."""
    decisions = dict(calendar_day_model.objects.filter(date__range=(first, last)).values_list("date", "kind"))
    rows = ordinal_rows(first, last, decisions)
    ordinal_model.objects.all().delete()
    quote, adapt = connection.ops.quote_name, connection.ops.adapt_datefield_value
    meta = ordinal_model._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in ("date", "ordinal", "is_working"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s)",
                [(adapt(d), n, w) for d, n, w in rows],
            )
    return rows[-1][1] if rows else 0
