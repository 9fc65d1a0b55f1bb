"""SqlMemory on a real PostgreSQL server: the same contract as SQLite.

The server comes from the session fixture `postgres_url` (tests/services.py): the URL in
`REE_TEST_POSTGRES_URL`, a throwaway database on 127.0.0.1:5432, or a throwaway embedded
server; the tests skip only when none of those can be had.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from ree.memory.base import ConversationStore
from ree.memory.sqlite import SqlMemory
from ree.testing.memory_contract import ConversationStoreContract


class TestSqlMemoryPostgres(ConversationStoreContract):
    """The contract on one PostgreSQL database shared by every test."""

    @pytest.fixture
    def store(self, postgres_url: str) -> Iterator[ConversationStore]:
        memory = SqlMemory(postgres_url)
        yield memory
        memory.close()


def test_json_columns_are_jsonb(postgres_url: str) -> None:
    memory = SqlMemory(postgres_url)
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
