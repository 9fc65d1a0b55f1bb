"""`open_memory` picks the backend from `REE_DATABASE_URL` alone."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ree.config import Settings
from ree.errors import InvalidInput, Unavailable
from ree.memory.base import ConversationStore, Turn
from ree.memory.factory import open_memory
from ree.memory.sqlite import SqlMemory
from ree.models import ConversationState

_HAS_PSYCOPG = importlib.util.find_spec("psycopg") is not None


def test_default_is_sqlite_file_in_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = open_memory(Settings(data_dir=data_dir))
    try:
        assert isinstance(store, SqlMemory)
        assert isinstance(store, ConversationStore)
        cid = store.create().id
        store.append_turn(cid, Turn("q", "a", "search", ConversationState()), 0)
        assert (data_dir / "ree.db").is_file()
    finally:
        store.close()


def test_explicit_sqlite_url_wins(tmp_path: Path) -> None:
    db = tmp_path / "elsewhere" / "mem.db"
    store = open_memory(Settings(data_dir=tmp_path / "unused", database_url=f"sqlite:///{db}"))
    try:
        assert store.ping()
        assert db.is_file()
        assert not (tmp_path / "unused" / "ree.db").exists()
    finally:
        store.close()


@pytest.mark.skipif(_HAS_PSYCOPG, reason="psycopg is installed: the missing-driver path is moot")
@pytest.mark.parametrize("url", ["postgresql://ree@127.0.0.1:1/ree", "postgres://127.0.0.1/ree"])
def test_postgres_without_driver_is_unavailable(url: str) -> None:
    with pytest.raises(Unavailable, match="psycopg"):
        open_memory(Settings(database_url=url))


@pytest.mark.skipif(not _HAS_PSYCOPG, reason="psycopg is not installed")
def test_postgres_unreachable_is_unavailable() -> None:
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    url = "postgresql://ree:secret@127.0.0.1:1/ree?connect_timeout=2"
    with pytest.raises(Unavailable) as info:
        open_memory(Settings(database_url=url))
    assert "secret" not in info.value.message


@pytest.mark.parametrize("url", ["mysql://127.0.0.1/ree", "not a url"])
def test_other_urls_are_invalid(url: str) -> None:
    with pytest.raises(InvalidInput, match="REE_DATABASE_URL"):
        open_memory(Settings(database_url=url))
