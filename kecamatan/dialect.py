"""Where PostgreSQL (production) and SQLite (the embedded default) differ, in one place.

Statements elsewhere are written once and take their few vendor-specific pieces from here: date
literals and arithmetic, lists of values, temporary tables, bulk loading and advisory locks.
"""

import contextlib
import csv
import datetime as dt
from collections.abc import Iterable, Iterator

from django.db import connection
from django.utils.dateparse import parse_datetime


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def tables_analyze(cursor, *tables: str) -> None:
    """Refresh the planner's statistics of tables a statement has just rewritten (PostgreSQL;
    SQLite plans without them at our sizes)."""
    if is_postgresql():
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def transaction_settings(cursor, **settings: str) -> None:
    """Planner and commit settings for the rest of this transaction (PostgreSQL's SET LOCAL;
    SQLite has none of them)."""
    if is_postgresql():
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = '{value}'")


def table_cluster(cursor, table: str, *, index: str) -> None:
    """Rewrite a table in the order of one index and refresh its statistics (PostgreSQL)."""
    if is_postgresql():
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # CLUSTER refuses pending checks
        cursor.execute(f"CLUSTER {table} USING {index}")
        cursor.execute(f"ANALYZE {table}")


@contextlib.contextmanager
def read_indexes_rebuilt(cursor, table: str, *, rows_added: int) -> Iterator[None]:
    """Around an INSERT of `rows_added` rows: when they are at least as many as the table
    holds already, its non-unique indexes are dropped first and built again after, in the
    same transaction (PostgreSQL). Building an index sorts once; keeping it up row by row
    inserts at random places, which took 3 of the 5,7 s of a million rows into an empty store.
    The unique indexes stay: they are what refuses a person stored twice. Until the
    transaction ends, readers of the table wait (DROP INDEX locks it): bounded, since the
    table is at most twice the rows being added."""
    if not is_postgresql():
        yield
        return
    # Counts at most rows_added rows, whatever the table's size.
    cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS stored", [rows_added])
    if cursor.fetchone()[0] >= rows_added:
        yield
        return
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisunique ORDER BY 1",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    transaction_settings(cursor, maintenance_work_mem="256MB")
    for _name, definition in indexes:
        cursor.execute(definition)


def sql_date(expression: str) -> str:
    """`expression` as an SQL date (SQLite keeps dates as ISO text already)."""
    return f"CAST({expression} AS date)" if is_postgresql() else expression


def sql_add_days(date: str, days: str) -> str:
    """The date `days` (an integer expression) after `date`."""
    if is_postgresql():
        return f"CAST({date} AS date) + CAST({days} AS integer)"
    return f"date({date}, '+' || CAST({days} AS integer) || ' days')"


def sql_greatest() -> str:
    """The function that returns the largest of its arguments (SQLite's many-argument MAX)."""
    return "GREATEST" if is_postgresql() else "MAX"


def sql_bytewise(expression: str) -> str:
    """`expression` compared byte by byte: sorting a million hex hashes that way is twice as
    fast as by the database's collation, and orders them the same (SQLite always compares so)."""
    return f'{expression} COLLATE "C"' if is_postgresql() else expression


def sql_in(name: str, values: list) -> tuple[str, dict]:
    """`= ANY(%(name)s)` with the list as one parameter, or SQLite's `IN (…)` one per value."""
    if is_postgresql():
        return f"= ANY(%({name})s)", {name: list(values)}
    names = [f"{name}{i}" for i in range(len(values))]
    listed = ", ".join(f"%({n})s" for n in names) or "NULL"
    return f"IN ({listed})", dict(zip(names, values, strict=True))


def sql_in_subquery(subquery: str) -> str:
    """`IN (subquery)`, which PostgreSQL plans from the subquery's estimated size. As
    `= ANY(ARRAY(subquery))` it is run first and taken as a short list, so a page's few regions
    are read through the facts' (region, day) index, where a join to the closure table scanned
    every fact of the kabupaten (a kecamatan's trend: 2,1 → 0,5 ms; a desa's figures computed
    for its page: 4,2 → 2,4 ms)."""
    return f"= ANY(ARRAY({subquery}))" if is_postgresql() else f"IN ({subquery})"


def date_from_db(value) -> dt.date | None:
    """A date column as a date: SQLite hands raw SQL's dates back as ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def datetime_from_db(value) -> dt.datetime | None:
    """A datetime column as an aware datetime: SQLite hands raw SQL's back as UTC text."""
    if isinstance(value, str):
        return parse_datetime(value).replace(tzinfo=dt.UTC)
    return value


def temp_table_create(cursor, name: str, columns: str) -> None:
    """A temporary table dropped at commit on PostgreSQL (SQLite's lives with the connection:
    callers drop it themselves)."""
    on_commit = " ON COMMIT DROP" if is_postgresql() else ""
    cursor.execute(f"CREATE TEMP TABLE {name} ({columns}){on_commit}")


def temp_table_create_as(cursor, name: str, select: str) -> None:
    on_commit = " ON COMMIT DROP" if is_postgresql() else ""
    cursor.execute(f"CREATE TEMP TABLE {name}{on_commit} AS {select}")


def copy_csv_into(cursor, table: str, chunks: Iterable[str]) -> None:
    """Bulk-load CSV text (an iterator of chunks) into a table: COPY on PostgreSQL, batched
    inserts on SQLite. Memory stays at one chunk either way."""
    if is_postgresql():
        cursor.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)", _ChunkReader(chunks))
        return
    insert = None
    for chunk in chunks:
        rows = list(csv.reader(chunk.splitlines()))
        if rows:
            insert = insert or f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(rows[0]))})"
            cursor.executemany(insert, rows)


class _ChunkReader:
    """A file-like view of an iterator of strings, for psycopg2's copy_expert."""

    def __init__(self, chunks: Iterable[str]):
        self.chunks = iter(chunks)
        self.pending = ""

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self.pending) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            self.pending += chunk
        if size < 0:
            text, self.pending = self.pending, ""
        else:
            text, self.pending = self.pending[:size], self.pending[size:]
        return text

    readline = read


def transaction_lock(key: int) -> None:
    """Wait for and hold an advisory lock until the transaction ends (PostgreSQL; SQLite
    serialises writers by itself)."""
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@contextlib.contextmanager
def session_lock(kind: int, key: int) -> Iterator[bool]:
    """Try an advisory lock held by this database session, freed by the server the moment the
    process dies; yields whether it was taken. Always taken on SQLite (one process)."""
    if not is_postgresql():
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [kind, key])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [kind, key])
