"""Bounded growth: expire old turns and idle conversations, archiving them first if asked.

`expire(engine, cutoff, sink)` removes every turn stamped before `cutoff` and every
conversation idle since before it. On PostgreSQL a monthly partition lying wholly before
the cutoff is archived, then detached and dropped (no row-by-row delete, no bloat); the
rest (the month the cutoff falls in, the default partition, SQLite) goes by `DELETE`.
Archiving happens before deletion and is at-least-once: a run interrupted between the two
archives those rows again on the next run, never loses them.

`cleanup` (TTL, default 30 days) and `archive` (default 90 days, a sink required) are the
two scheduled jobs built on it (`ree memory cleanup|archive`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import Connection, Engine, delete, select, text

from ree.memory.archive import ArchiveSink
from ree.memory.schema import conversations, messages

__all__ = ["ExpiryReport", "archive", "cleanup", "expire", "partition_end", "partition_start"]

_ROW_BATCH = 2_000


@dataclass(slots=True)
class ExpiryReport:
    """What one `expire` run did."""

    cutoff: datetime
    dropped_partitions: list[str] = field(default_factory=list)
    deleted_turns: int = 0
    deleted_conversations: int = 0
    archived_turns: int = 0
    archive_files: list[str] = field(default_factory=list)


def cleanup(
    engine: Engine, ttl_days: int, sink: ArchiveSink | None = None, now: datetime | None = None
) -> ExpiryReport:
    """Delete what is older than `ttl_days` (archived first when `sink` is given)."""
    return expire(engine, _cutoff(ttl_days, now), sink)


def archive(
    engine: Engine, after_days: int, sink: ArchiveSink, now: datetime | None = None
) -> ExpiryReport:
    """Move what is older than `after_days` to `sink`, then delete it from the database."""
    return expire(engine, _cutoff(after_days, now), sink)


def expire(engine: Engine, cutoff: datetime, sink: ArchiveSink | None) -> ExpiryReport:
    """Remove turns before `cutoff` and conversations idle since before it (see module doc)."""
    report = ExpiryReport(cutoff=cutoff)
    if engine.dialect.name == "postgresql":
        _drop_old_partitions(engine, cutoff, sink, report)
    with engine.begin() as conn:
        if sink is not None:
            rows = _rows(conn, cutoff)
            stamp = cutoff.strftime("%Y%m%dT%H%M%S")
            _archive(sink, f"messages_before_{stamp}.jsonl.gz", rows, report)
        gone = conn.execute(delete(messages).where(messages.c.created_at < cutoff))
        report.deleted_turns += max(gone.rowcount, 0)
        idle = conn.execute(delete(conversations).where(conversations.c.updated_at < cutoff))
        report.deleted_conversations = max(idle.rowcount, 0)
    return report


def partition_start(name: str) -> datetime:
    """The inclusive lower bound of partition `messages_YYYY_MM` (UTC)."""
    year, month = (int(part) for part in name.removeprefix("messages_").split("_"))
    return datetime(year, month, 1, tzinfo=UTC)


def partition_end(name: str) -> datetime:
    """The exclusive upper bound of partition `messages_YYYY_MM` (UTC)."""
    year, month = (int(part) for part in name.removeprefix("messages_").split("_"))
    return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


def _drop_old_partitions(
    engine: Engine, cutoff: datetime, sink: ArchiveSink | None, report: ExpiryReport
) -> None:
    from ree.memory.postgres import partitions

    with engine.connect() as conn:
        names = [name for name in partitions(conn) if partition_end(name) <= cutoff]
    for name in names:
        with engine.begin() as conn:
            if sink is not None:
                rows = _rows(conn, partition_end(name), partition_start(name))
                _archive(sink, f"{name}.jsonl.gz", rows, report)
            count = conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            conn.execute(text(f'ALTER TABLE messages DETACH PARTITION "{name}"'))
            conn.execute(text(f'DROP TABLE "{name}"'))
        report.dropped_partitions.append(name)
        report.deleted_turns += int(count)


def _archive(sink: ArchiveSink, name: str, rows: Iterator[bytes], report: ExpiryReport) -> None:
    first = next(rows, None)
    if first is None:
        return
    location, count = sink.write(name, _chain(first, rows))
    report.archive_files.append(location)
    report.archived_turns += count


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _rows(conn: Connection, upper: datetime, lower: datetime | None = None) -> Iterator[bytes]:
    """The turns stamped in [lower, upper) as JSON lines, with their conversation's owner."""
    query = (
        select(
            messages.c.conversation_id,
            conversations.c.user_id,
            messages.c.seq,
            messages.c.role,
            messages.c.content,
            messages.c.created_at,
        )
        .select_from(messages.outerjoin(conversations))
        .where(messages.c.created_at < upper)
        .order_by(messages.c.conversation_id, messages.c.seq)
    )
    if lower is not None:
        query = query.where(messages.c.created_at >= lower)
    result = conn.execute(query, execution_options={"yield_per": _ROW_BATCH})
    for row in result:
        record = {str(key): value for key, value in row._mapping.items()}  # keys: str subclass
        stamp = record["created_at"]
        stamp = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
        record["created_at"] = stamp.isoformat()
        yield orjson.dumps(record)


def _cutoff(days: int, now: datetime | None) -> datetime:
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    return (now or datetime.now(UTC)) - timedelta(days=days)
