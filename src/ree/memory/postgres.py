"""PostgreSQL specifics of the conversation memory: migrations and monthly partitions.

The schema is made by the Alembic migrations in `ree.memory.migrations` (`ree db upgrade`,
or automatically when a `SqlMemory` opens a PostgreSQL URL). `messages` is partitioned by
month on `created_at`; `ensure_partitions` (the SQL function
`ree_create_message_partitions`) creates the partitions ahead of time, and the scheduler
calls it with the cleanup job.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import ProgrammingError

__all__ = [
    "MIGRATION_LOCK_KEY",
    "PARTITIONS_AHEAD",
    "alembic_config",
    "current_revision",
    "ensure_partitions",
    "head_revision",
    "partitions",
    "upgrade_schema",
]

MIGRATION_LOCK_KEY = 0x5245_4501
"""The advisory lock every migrating process takes first (one migrates, the others wait)."""

PARTITIONS_AHEAD = 3
"""Months of `messages` partitions kept ready beyond the current one."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the packaged migrations, bound to `connection` when given."""
    config = Config()
    config.set_main_option("script_location", "ree.memory:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration revision shipped with this package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the packaged migrations have no head revision")
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at, or None before the first migration."""
    if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
        return None
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except ProgrammingError:
        return None


def upgrade_schema(engine: Engine, revision: str = "head") -> str | None:
    """Migrate the database to `revision` (default the newest); returns the revision reached.

    Safe to call from many processes at once: they queue on an advisory lock, and a
    database already at the head costs one query.
    """
    with engine.connect() as conn:
        if revision == "head" and current_revision(conn) == head_revision():
            return head_revision()
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        command.upgrade(alembic_config(conn), revision)
        return current_revision(conn)


def ensure_partitions(
    engine: Engine, months_ahead: int = PARTITIONS_AHEAD, from_month: date | None = None
) -> int:
    """Create the `messages` partitions from `from_month` (default: this month) to
    `months_ahead` months later; returns how many were missing and made."""
    if months_ahead < 0:
        raise ValueError(f"months_ahead must be >= 0, got {months_ahead}")
    query = text("SELECT ree_create_message_partitions(:ahead, :start)")
    with engine.begin() as conn:
        made = conn.execute(query, {"ahead": months_ahead, "start": from_month}).scalar_one()
    return int(made)


def partitions(conn: Connection) -> list[str]:
    """The names of the monthly `messages` partitions, oldest first (default excluded)."""
    query = text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'messages'::regclass AND c.relname <> 'messages_default' "
        "ORDER BY c.relname"
    )
    return [str(name) for name in conn.execute(query).scalars()]
