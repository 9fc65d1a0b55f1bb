"""`SqlMemory`: the conversation store on SQLAlchemy 2 Core (SQLite embedded, PostgreSQL later).

The SQL is portable; what differs per dialect is only how the engine is made
(`_ENGINE_SETUP`) and the JSON column types (`ree.memory.schema`).

`append_turn` is a compare-and-set in one transaction::

    UPDATE conversations SET version = version + 1, state = ?, updated_at = ?
     WHERE id = ? AND version = ?
    -- no row: stale writer -> Conflict (or NotFound when the conversation is gone)
    INSERT INTO messages (conversation_id, seq = new version, role, content, created_at)

The store is safe to share between threads (FastAPI's threadpool): the engine owns a
connection pool and every call checks a connection out for its own transaction.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import (
    Connection,
    Engine,
    ScalarSelect,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ree.errors import Conflict, InvalidInput, NotFound, Unavailable
from ree.memory.base import Conversation, Turn
from ree.memory.schema import MAX_ID_CHARS, ROLE_TURN, conversations, create_schema, messages
from ree.models import ConversationState

__all__ = ["SQLITE_BUSY_TIMEOUT_MS", "SqlMemory", "after_version_update"]

_log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another writer's lock before failing."""


after_version_update: Callable[[], None] | None = None
"""A test hook: called inside `append_turn`'s transaction between its two statements (the
version update and the turn insert), e.g. to kill the process there. None in production."""

HISTORY_CLOCK_SKEW = timedelta(days=1)
"""On partitioned tables, history reads only turns stamped after the conversation's start
minus this margin (so partitions older than the conversation are pruned)."""


class SqlMemory:
    """A `ConversationStore` on any SQLAlchemy URL this module knows how to set up.

    `SqlMemory("sqlite:///path/ree.db")` creates the file (and its folder) and the tables;
    `sqlite://` keeps everything in memory, for tests, with calls serialised.
    """

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        setup = _ENGINE_SETUP.get(parsed.get_backend_name())
        if setup is None:
            raise InvalidInput(f"conversation memory does not support {parsed.drivername!r} URLs")
        self.url = parsed.render_as_string(hide_password=True)
        self._engine, in_memory = setup(parsed)
        self._serial: contextlib.AbstractContextManager[object] = (
            threading.RLock() if in_memory else contextlib.nullcontext()
        )
        self._prune_history = parsed.get_backend_name() != "sqlite"
        try:
            _SCHEMA_SETUP.get(parsed.get_backend_name(), create_schema)(self._engine)
        except SQLAlchemyError as exc:
            self._engine.dispose()
            raise Unavailable(f"conversation memory at {self.url} is unreachable") from exc

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for maintenance jobs (cleanup, archive) and diagnostics."""
        return self._engine

    def create(
        self, user_id: str | None = None, conversation_id: str | None = None
    ) -> Conversation:
        """Start an empty conversation (version 0); a given id that exists is a `Conflict`."""
        cid = uuid.uuid4().hex if conversation_id is None else _check_id(conversation_id)
        now = _now()
        row = {
            "id": cid,
            "user_id": user_id,
            "version": 0,
            "state": ConversationState().model_dump(mode="json"),
            "created_at": now,
            "updated_at": now,
        }
        try:
            with self._begin() as conn:
                conn.execute(insert(conversations).values(**row))
        except IntegrityError as exc:
            raise Conflict(f"conversation {cid!r} already exists") from exc
        return Conversation(cid, user_id, 0, ConversationState(), now, now)

    def get(self, conversation_id: str) -> Conversation | None:
        """The conversation with its latest state, or None when it does not exist."""
        query = select(conversations).where(conversations.c.id == conversation_id)
        with self._connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        return Conversation(
            id=row["id"],
            user_id=row["user_id"],
            version=row["version"],
            state=_state(row["state"]),
            created_at=_utc(row["created_at"]),
            updated_at=_utc(row["updated_at"]),
        )

    def history(self, conversation_id: str, limit: int = 10) -> list[Turn]:
        """The last `limit` turns, oldest first; an unknown conversation has none."""
        if limit < 0:
            raise InvalidInput(f"history limit must be >= 0, got {limit}")
        if limit == 0:
            return []
        query = (
            select(messages.c.seq, messages.c.content, messages.c.created_at)
            .where(messages.c.conversation_id == conversation_id)
            .where(messages.c.role == ROLE_TURN)
            .order_by(messages.c.seq.desc())
            .limit(limit)
        )
        if self._prune_history:
            query = query.where(messages.c.created_at >= _history_lower_bound(conversation_id))
        with self._connect() as conn:
            rows = conn.execute(query).all()
        return [_turn(seq, content, created) for seq, content, created in reversed(rows)]

    def append_turn(self, conversation_id: str, turn: Turn, expected_version: int) -> int:
        """Store `turn` as turn `expected_version + 1`; returns that new version.

        Raises `Conflict` when the stored version is not `expected_version` (nothing is
        written) and `NotFound` when the conversation does not exist.
        """
        content = _content(turn)
        state = content["state"]
        new_version = expected_version + 1
        now = _now()
        with self._begin() as conn:
            cas = (
                sql_update(conversations)
                .where(conversations.c.id == conversation_id)
                .where(conversations.c.version == expected_version)
                .values(version=conversations.c.version + 1, state=state, updated_at=now)
            )
            if conn.execute(cas).rowcount != 1:
                raise self._cas_failure(conn, conversation_id, expected_version)
            if after_version_update is not None:
                after_version_update()
            row = {
                "conversation_id": conversation_id,
                "seq": new_version,
                "role": ROLE_TURN,
                "content": content,
                "created_at": now,
            }
            conn.execute(insert(messages).values(**row))
        return new_version

    def delete(self, conversation_id: str) -> bool:
        """Remove the conversation and its turns; False when it did not exist."""
        with self._begin() as conn:
            conn.execute(delete(messages).where(messages.c.conversation_id == conversation_id))
            gone = conn.execute(delete(conversations).where(conversations.c.id == conversation_id))
        return gone.rowcount > 0

    def ping(self) -> bool:
        """True when the database answers a trivial query (readiness)."""
        try:
            with self._connect() as conn:
                conn.execute(select(1)).scalar_one()
        except SQLAlchemyError:
            return False
        return True

    def close(self) -> None:
        """Close every pooled connection; the store must not be used afterwards."""
        self._engine.dispose()

    def __repr__(self) -> str:
        return f"SqlMemory({self.url!r})"

    @contextlib.contextmanager
    def _begin(self) -> Iterator[Connection]:
        with self._serial, self._engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def _connect(self) -> Iterator[Connection]:
        with self._serial, self._engine.connect() as conn:
            yield conn

    @staticmethod
    def _cas_failure(conn: Connection, conversation_id: str, expected: int) -> Exception:
        query = select(conversations.c.version).where(conversations.c.id == conversation_id)
        stored = conn.execute(query).scalar_one_or_none()
        if stored is None:
            return NotFound(f"conversation {conversation_id!r} does not exist")
        return Conflict(
            f"conversation {conversation_id!r} is at version {stored}, not {expected}: "
            "another turn was stored first; reload and retry"
        )


def _history_lower_bound(conversation_id: str) -> ScalarSelect[Any]:
    started = select(conversations.c.created_at).where(conversations.c.id == conversation_id)
    return (
        select(func.coalesce(started.scalar_subquery(), func.now()) - HISTORY_CLOCK_SKEW)
    ).scalar_subquery()


def _postgres_schema(engine: Engine) -> None:
    from ree.memory.postgres import upgrade_schema

    upgrade_schema(engine)


_SCHEMA_SETUP: dict[str, Callable[[Engine], None]] = {
    "postgresql": _postgres_schema,
    "postgres": _postgres_schema,
}
"""How each backend gets its tables (default: `create_schema`, i.e. `create_all`)."""


def _check_id(conversation_id: str) -> str:
    if not conversation_id or len(conversation_id) > MAX_ID_CHARS:
        raise InvalidInput(f"a conversation id has 1 to {MAX_ID_CHARS} characters")
    return conversation_id


def _content(turn: Turn) -> dict[str, Any]:
    content: dict[str, Any] = {
        "user_message": turn.user_message,
        "answer": turn.answer,
        "intent": str(turn.intent),
        "state": turn.state.model_dump(mode="json"),
        "meta": turn.meta,
    }
    try:
        orjson.dumps(content)
    except TypeError as exc:
        raise InvalidInput(f"turn meta is not JSON-serialisable: {exc}") from exc
    return content


def _turn(seq: int, content: dict[str, Any], created_at: datetime) -> Turn:
    return Turn(
        user_message=content["user_message"],
        answer=content["answer"],
        intent=content["intent"],
        state=_state(content["state"]),
        meta=dict(content.get("meta") or {}),
        seq=seq,
        created_at=_utc(created_at),
    )


def _state(raw: object) -> ConversationState:
    try:
        return ConversationState.model_validate(raw)
    except ValidationError as exc:
        # A state written by an older schema: keep the conversation usable, start afresh.
        _log.warning("memory.state_discarded errors=%d", exc.error_count())
        return ConversationState()


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json_dumps(obj: object) -> str:
    return orjson.dumps(obj).decode()


EngineSetup = Callable[[URL], tuple[Engine, bool]]
"""Builds the engine for one backend; the flag says the database lives in memory."""


def _sqlite_engine(url: URL) -> tuple[Engine, bool]:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or "mode=memory" in database
    if in_memory:
        engine = create_engine(
            url,
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
        )
    else:
        Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            pool_size=8,
            max_overflow=8,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
        )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine, in_memory


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _postgresql_engine(url: URL) -> tuple[Engine, bool]:
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(
        url,
        pool_size=8,
        max_overflow=8,
        pool_pre_ping=True,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
    )
    return engine, False


_ENGINE_SETUP: dict[str, EngineSetup] = {
    "sqlite": _sqlite_engine,
    "postgresql": _postgresql_engine,
    "postgres": _postgresql_engine,
}
