"""The PostgreSQL schema: Alembic migrations, monthly partitions, partition pruning."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, text
from typer.testing import CliRunner

from ree.cli_db import db_app
from ree.memory.base import Turn
from ree.memory.postgres import current_revision, ensure_partitions, head_revision, partitions
from ree.memory.sqlite import SqlMemory
from ree.models import ConversationState

pytest.importorskip("psycopg", reason="psycopg not installed (pip install 'ree[postgres]')")


@pytest.fixture(scope="module")
def fresh_url(postgres_url: str) -> Iterator[str]:
    """An empty database of this module's own on the session's server."""
    from services import fresh_database

    with fresh_database(postgres_url) as url:
        yield url


@pytest.fixture(scope="module")
def memory(fresh_url: str) -> Iterator[SqlMemory]:
    runner = CliRunner()
    result = runner.invoke(db_app, ["upgrade", "--database-url", fresh_url])
    assert result.exit_code == 0, result.output
    store = SqlMemory(fresh_url)
    yield store
    store.close()


def _month(offset: int, today: date | None = None) -> str:
    today = today or datetime.now(UTC).date()
    index = today.year * 12 + today.month - 1 + offset
    return f"messages_{index // 12:04d}_{index % 12 + 1:02d}"


def test_upgrade_reaches_head_with_partitioned_messages(memory: SqlMemory) -> None:
    with memory.engine.connect() as conn:
        assert current_revision(conn) == head_revision() == "0001"
        strategy = conn.execute(
            text(
                "SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'messages'::regclass"
            )
        ).scalar_one()
        names = partitions(conn)
    assert strategy == "r"
    assert {_month(i) for i in range(4)} <= set(names)


def test_partitions_are_made_ahead_idempotently(memory: SqlMemory) -> None:
    assert ensure_partitions(memory.engine, months_ahead=3) == 0
    assert ensure_partitions(memory.engine, months_ahead=5) == 2
    with memory.engine.connect() as conn:
        assert {_month(4), _month(5)} <= set(partitions(conn))
    with pytest.raises(ValueError):
        ensure_partitions(memory.engine, months_ahead=-1)


def test_rows_in_default_partition_move_to_their_new_month(memory: SqlMemory) -> None:
    cid = memory.create().id
    memory.append_turn(cid, Turn("q", "a", "search", ConversationState()), 0)
    far = datetime(2041, 3, 15, tzinfo=UTC)
    with memory.engine.begin() as conn:
        conn.execute(
            text("UPDATE messages SET created_at = :t WHERE conversation_id = :c"),
            {"t": far, "c": cid},
        )
        assert conn.execute(text("SELECT count(*) FROM messages_default")).scalar_one() == 1
    assert ensure_partitions(memory.engine, 0, date(2041, 3, 1)) == 1
    with memory.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM messages_default")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM messages_2041_03")).scalar_one() == 1
    assert [t.user_message for t in memory.history(cid)] == ["q"]


def test_history_query_prunes_older_partitions(memory: SqlMemory) -> None:
    ensure_partitions(memory.engine, months_ahead=3, from_month=date(2024, 1, 1))
    cid = memory.create().id
    memory.append_turn(cid, Turn("q", "a", "search", ConversationState()), 0)
    seen: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, params: Any, *_rest: Any) -> None:
        if "FROM messages" in statement:
            seen.append((statement, params))

    event.listen(memory.engine, "before_cursor_execute", capture)
    try:
        assert len(memory.history(cid)) == 1
    finally:
        event.remove(memory.engine, "before_cursor_execute", capture)
    statement, params = seen[-1]
    with memory.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        plan = "\n".join(
            row[0]
            for row in raw.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement, params)
        )
    scans = [line for line in plan.splitlines() if " on messages_" in line]
    old = [line for line in scans if " on messages_2024_" in line]
    assert len(old) == 4  # the four 2024 partitions exist...
    assert all("never executed" in line for line in old)  # ...and are pruned at run time
    current = [line for line in scans if f" on {_month(0)} " in line]
    assert current and "actual rows=1" in current[0]
