"""RedisConversationLocks on a real Redis (two registries = two processes), its fencing
tokens, and the PostgreSQL advisory-lock fallback when Redis is down."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine

from ree.errors import Conflict
from ree.infra.redis_cache import redis_client
from ree.infra.redis_lock import FENCE_TTL_MS, AdvisoryLocks, RedisConversationLocks

pytest.importorskip("redis", reason="redis not installed (pip install 'ree[redis]')")

DEADLOCK_GUARD_S = 20.0


@pytest.fixture
def client(redis_url: str) -> Iterator[Any]:
    conn = redis_client(redis_url)
    yield conn
    conn.close()


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    from services import drop_prefix, unique_prefix

    mine = unique_prefix("lock")
    yield mine
    drop_prefix(redis_url, mine)


async def test_two_registries_exclude_each_other(client: Any, prefix: str) -> None:
    nodes = [RedisConversationLocks(client, prefix=prefix) for _ in range(2)]
    inside = 0
    most_inside = 0
    done: list[int] = []

    async def turn(n: int) -> None:
        nonlocal inside, most_inside
        async with nodes[n % 2].acquire("c1", timeout_s=DEADLOCK_GUARD_S):
            inside += 1
            most_inside = max(most_inside, inside)
            await asyncio.sleep(0.002)
            inside -= 1
            done.append(n)

    await asyncio.gather(*(turn(n) for n in range(12)))
    assert most_inside == 1
    assert sorted(done) == list(range(12))
    assert client.exists(f"{prefix}lock:c1") == 0
    # In one registry, arrival order is kept (first in, first out).
    assert [n for n in done if n % 2 == 0] == list(range(0, 12, 2))


async def test_fencing_tokens_increase(client: Any, prefix: str) -> None:
    locks = RedisConversationLocks(client, prefix=prefix)
    tokens = []
    for _ in range(3):
        async with locks.acquire("c2") as token:
            tokens.append(token)
    assert all(isinstance(t, int) for t in tokens)
    assert tokens == sorted(tokens) and len(set(tokens)) == 3
    assert 0 < client.pttl(f"{prefix}fence:c2") <= FENCE_TTL_MS


async def test_bounded_wait_then_conflict(client: Any, prefix: str) -> None:
    holder, waiter = (RedisConversationLocks(client, prefix=prefix) for _ in range(2))
    async with holder.acquire("c3"):
        with pytest.raises(Conflict, match="busy"):
            async with waiter.acquire("c3", timeout_s=0.2):
                pytest.fail("entered a held lock")
    async with waiter.acquire("c3", timeout_s=1.0) as token:
        assert token is not None


async def test_release_never_frees_someone_elses_lock(client: Any, prefix: str) -> None:
    locks = RedisConversationLocks(client, prefix=prefix)
    key = f"{prefix}lock:c4"
    async with locks.acquire("c4"):
        client.set(key, "another-holder")  # our lease ran out and someone else took it
    assert client.get(key) == b"another-holder"
    client.delete(key)


@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[Any]:
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    yield engine
    engine.dispose()


async def test_redis_down_falls_back_to_advisory_lock(private_redis: Any, pg_engine: Any) -> None:
    fallback = AdvisoryLocks(pg_engine)
    nodes = [
        RedisConversationLocks(redis_client(private_redis.url), fallback=fallback) for _ in range(2)
    ]
    private_redis.stop()
    inside = 0
    most_inside = 0

    async def turn(n: int) -> None:
        nonlocal inside, most_inside
        async with nodes[n % 2].acquire("c5", timeout_s=DEADLOCK_GUARD_S) as token:
            assert token is None
            inside += 1
            most_inside = max(most_inside, inside)
            await asyncio.sleep(0.005)
            inside -= 1

    try:
        await asyncio.gather(*(turn(n) for n in range(6)))
        assert most_inside == 1
        assert nodes[0].fallbacks + nodes[1].fallbacks == 6
        async with nodes[0].acquire("c6"):
            with pytest.raises(Conflict):
                async with nodes[1].acquire("c6", timeout_s=0.2):
                    pytest.fail("entered a held advisory lock")
    finally:
        fallback.close()


def test_lease_must_be_sane(client: Any) -> None:
    with pytest.raises(ValueError):
        RedisConversationLocks(client, lease_ms=10)
