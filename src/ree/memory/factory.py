"""Choose the conversation store once, from configuration (`REE_DATABASE_URL`)."""

from __future__ import annotations

import importlib.util

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ree.config import Settings
from ree.errors import InvalidInput, Unavailable
from ree.memory.base import ConversationStore
from ree.memory.sqlite import SqlMemory

__all__ = ["open_memory"]

_POSTGRES_BACKENDS = frozenset({"postgresql", "postgres"})


def open_memory(settings: Settings) -> ConversationStore:
    """The store for `settings.memory_url`: SQLite by default, PostgreSQL when configured.

    Raises `Unavailable` for a PostgreSQL URL when `psycopg` is not installed (or the server
    cannot be reached), and `InvalidInput` for a URL of any other kind.
    """
    url = settings.memory_url
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise InvalidInput("REE_DATABASE_URL is not a database URL") from exc
    if backend == "sqlite":
        return SqlMemory(url)
    if backend in _POSTGRES_BACKENDS:
        if importlib.util.find_spec("psycopg") is None:
            raise Unavailable(
                "REE_DATABASE_URL points at PostgreSQL but the psycopg driver is not installed: "
                "pip install 'ree[postgres]'"
            )
        return SqlMemory(url)
    raise InvalidInput(
        f"REE_DATABASE_URL backend {backend!r} is not supported: use sqlite:/// or postgresql://"
    )
