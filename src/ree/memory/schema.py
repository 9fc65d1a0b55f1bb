"""The conversation memory tables, in SQLAlchemy 2 Core, portable across SQLite and PostgreSQL.

    conversations   id (pk), user_id, version, state (JSON), created_at, updated_at
    messages        id (pk), conversation_id (fk, cascade), seq, role, content (JSON),
                    created_at; unique (conversation_id, seq)

A conversation's `version` counts its turns; the turn that made version `n` is stored with
`seq = n`. One `messages` row holds one whole exchange (`role = "turn"`): its `content` is the
user message, the answer, the intent, the state after the turn and free-form meta.

Dialect-specific choices live here and nowhere else: JSON columns become JSONB on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeEngine

__all__ = [
    "MAX_ID_CHARS",
    "ROLE_TURN",
    "conversations",
    "create_schema",
    "messages",
    "metadata",
]

MAX_ID_CHARS = 128
"""The longest conversation id accepted (uuid4 hex ids are 32)."""

ROLE_TURN = "turn"
"""The `messages.role` of a row holding one user message with its answer."""

metadata = MetaData()


def _json() -> TypeEngine[Any]:
    return JSON().with_variant(postgresql.JSONB(), "postgresql")


conversations = Table(
    "conversations",
    metadata,
    Column("id", String(MAX_ID_CHARS), primary_key=True),
    Column("user_id", String(MAX_ID_CHARS), nullable=True),
    Column("version", Integer, nullable=False, default=0),
    Column("state", _json(), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_conversations_user_id", "user_id"),
    Index("ix_conversations_updated_at", "updated_at"),
)

messages = Table(
    "messages",
    metadata,
    Column(
        "id",
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    Column(
        "conversation_id",
        String(MAX_ID_CHARS),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("seq", Integer, nullable=False),
    Column("role", String(16), nullable=False),
    Column("content", _json(), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("conversation_id", "seq", name="uq_messages_conversation_seq"),
)


def create_schema(engine: Engine) -> None:
    """Create the memory tables and indexes that do not exist yet (idempotent)."""
    metadata.create_all(engine, checkfirst=True)
