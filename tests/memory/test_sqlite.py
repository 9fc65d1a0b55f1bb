"""SqlMemory on SQLite: the shared contract, plus what only the embedded backend promises."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ree.errors import Conflict, InvalidInput
from ree.memory.base import ConversationStore, Turn
from ree.memory.sqlite import SqlMemory
from ree.models import ConversationState
from ree.testing.memory_contract import ConversationStoreContract, rich_state


class TestSqlMemoryFile(ConversationStoreContract):
    """The contract on a SQLite file in a folder that does not exist yet."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[ConversationStore]:
        memory = SqlMemory(f"sqlite:///{tmp_path / 'nested' / 'ree.db'}")
        yield memory
        memory.close()


class TestSqlMemoryInMemory(ConversationStoreContract):
    """The contract on an in-memory SQLite database (shared by all threads of the store)."""

    @pytest.fixture
    def store(self) -> Iterator[ConversationStore]:
        memory = SqlMemory("sqlite://")
        yield memory
        memory.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "a" / "b" / "ree.db"


@pytest.fixture
def memory(db_path: Path) -> Iterator[SqlMemory]:
    store = SqlMemory(f"sqlite:///{db_path}")
    yield store
    store.close()


def _turn(text_: str, state: ConversationState | None = None) -> Turn:
    return Turn(text_, f"re: {text_}", "search", state or ConversationState())


def test_creates_file_and_folders(memory: SqlMemory, db_path: Path) -> None:
    assert db_path.is_file()
    with sqlite3.connect(db_path) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        mode = raw.execute("PRAGMA journal_mode").fetchone()[0]
    assert {"conversations", "messages"} <= tables
    assert mode == "wal"


def test_connections_enforce_foreign_keys_and_wait_for_locks(memory: SqlMemory) -> None:
    with memory.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() >= 1000


def test_orphan_and_duplicate_turns_are_rejected_by_schema(memory: SqlMemory) -> None:
    cid = memory.create().id
    memory.append_turn(cid, _turn("one"), expected_version=0)
    insert = text(
        "INSERT INTO messages (conversation_id, seq, role, content, created_at) "
        "VALUES (:cid, :seq, 'turn', '{}', '2025-01-01 00:00:00')"
    )
    for cid_, seq in ((cid, 1), ("no-such-conversation", 1)):
        with pytest.raises(IntegrityError), memory.engine.begin() as conn:
            conn.execute(insert, {"cid": cid_, "seq": seq})
    assert [t.user_message for t in memory.history(cid)] == ["one"]


def test_data_survives_reopen(db_path: Path) -> None:
    first = SqlMemory(f"sqlite:///{db_path}")
    cid = first.create(user_id="u").id
    first.append_turn(cid, _turn("persist", rich_state()), expected_version=0)
    first.close()
    second = SqlMemory(f"sqlite:///{db_path}")
    try:
        got = second.get(cid)
        assert got is not None
        assert (got.version, got.state) == (1, rich_state())
        assert [t.user_message for t in second.history(cid)] == ["persist"]
    finally:
        second.close()


def test_two_stores_on_one_file_never_lose_a_turn(db_path: Path) -> None:
    """Two engines (as two API workers would hold) writing one conversation at once."""
    stores = [SqlMemory(f"sqlite:///{db_path}") for _ in range(2)]
    cid = stores[0].create().id
    errors: list[BaseException] = []

    def write(w: int) -> None:
        store = stores[w % 2]
        try:
            for i in range(15):
                while True:
                    current = store.get(cid)
                    assert current is not None
                    try:
                        store.append_turn(cid, _turn(f"{w}:{i}"), current.version)
                        break
                    except Conflict:
                        continue
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    turns = stores[1].history(cid, limit=100)
    for store in stores:
        store.close()
    assert errors == []
    assert [t.seq for t in turns] == list(range(1, 61))
    assert len({t.user_message for t in turns}) == 60


def test_unreadable_stored_state_falls_back_to_empty(memory: SqlMemory) -> None:
    cid = memory.create().id
    memory.append_turn(cid, _turn("x", rich_state()), expected_version=0)
    with memory.engine.begin() as conn:
        conn.execute(
            text("UPDATE conversations SET state = :s WHERE id = :id"),
            {"s": '{"language": "klingon"}', "id": cid},
        )
    got = memory.get(cid)
    assert got is not None
    assert got.state == ConversationState()
    assert got.version == 1


def test_meta_that_is_not_json_is_rejected_and_nothing_written(memory: SqlMemory) -> None:
    cid = memory.create().id
    bad = Turn("q", "a", "search", ConversationState(), meta={"when": object()})
    with pytest.raises(InvalidInput, match="JSON"):
        memory.append_turn(cid, bad, expected_version=0)
    got = memory.get(cid)
    assert got is not None
    assert got.version == 0
    assert memory.history(cid) == []


@pytest.mark.parametrize("bad_id", ["", "x" * 129])
def test_conversation_id_length_is_checked(memory: SqlMemory, bad_id: str) -> None:
    with pytest.raises(InvalidInput):
        memory.create(conversation_id=bad_id)


def test_negative_history_limit_is_invalid(memory: SqlMemory) -> None:
    with pytest.raises(InvalidInput):
        memory.history(memory.create().id, limit=-1)


def test_unsupported_url_is_invalid() -> None:
    with pytest.raises(InvalidInput, match="mysql"):
        SqlMemory("mysql://localhost/ree")
