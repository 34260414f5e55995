"""What every file that streams into a staging table shares: the CSV text COPY reads, in chunks
(kecamatan/dialect.py)."""

from ..dialect import copy_csv_into, temp_table_create

CHUNK_CHARS = 1 << 16
LINES_PER_CHUNK = 1024  # ~100 KB of activation lines: the same size, counted without a call


class LineBuffer:
    """A write-only text buffer csv.writer fills and the generator drains in chunks."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> str:
        text, self.parts, self.size = "".join(self.parts), [], 0
        return text

    @property
    def full(self) -> bool:
        return self.size > CHUNK_CHARS


def staged_chunks(produce, checker):
    """The chunks `produce` (a generator filling a LineBuffer) yields, then the rest.

    An exception raised out of COPY's read() would come back as a database error
    ("QueryCanceled"): it is kept on the checker, to be raised as itself once COPY has returned.
    """
    out = LineBuffer()
    try:
        yield from produce(out)
    except Exception as exc:  # noqa: BLE001 — re-raised after COPY by the caller
        checker.fatal = exc
    yield out.take()


def stage(cursor, *, staging: str, staged: str, columns: str, chunks) -> None:
    """Load the chunks into a fresh temporary table `staging` (and drop any `staged` left):
    two imports can share a transaction (tests, scripts), so tables are dropped here as well as
    at commit."""
    cursor.execute(f"DROP TABLE IF EXISTS {staged}")
    cursor.execute(f"DROP TABLE IF EXISTS {staging}")
    temp_table_create(cursor, staging, columns)
    copy_csv_into(cursor, staging, chunks)
