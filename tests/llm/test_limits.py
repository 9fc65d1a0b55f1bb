"""Token buckets, daily budgets and cooldowns, in-process and on a real Redis."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ree.errors import RateLimited
from ree.llm.limits import Limiter, MemoryBuckets, MemoryCooldowns, RedisBuckets, RedisCooldowns


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_requests_per_minute_refill_over_time() -> None:
    clock = Clock()
    limiter = Limiter(MemoryBuckets(clock), requests_per_min=3)
    for _ in range(3):
        limiter.admit("u", 10)
    with pytest.raises(RateLimited) as info:
        limiter.admit("u", 10)
    assert info.value.retry_after_s == pytest.approx(20.0)
    limiter.admit("other", 10)  # per subject
    clock.now += 20
    limiter.admit("u", 10)


def test_tokens_per_minute_and_daily_budget() -> None:
    limiter = Limiter(MemoryBuckets(Clock()), tokens_per_min=1000, tokens_per_day=1500)
    limiter.admit("u", 900)
    with pytest.raises(RateLimited):
        limiter.admit("u", 200)
    limiter.spent("u", 1400)
    with pytest.raises(RateLimited, match="daily"):
        limiter.admit("u", 200)


def test_memory_cooldowns_expire() -> None:
    clock = Clock()
    cool = MemoryCooldowns(clock)
    cool.cool("d", 5)
    assert cool.cooling("d")
    clock.now += 5.1
    assert not cool.cooling("d")


@pytest.fixture()
def redis_client(redis_url: str) -> Iterator[Any]:
    import redis

    from services import drop_prefix, unique_prefix

    prefix = unique_prefix("llm")
    client = redis.Redis.from_url(redis_url)
    client.ree_prefix = prefix  # type: ignore[attr-defined]
    yield client
    drop_prefix(redis_url, prefix)
    client.close()


def test_redis_buckets_are_shared_between_limiters(redis_client: Any) -> None:
    prefix = redis_client.ree_prefix
    one = Limiter(RedisBuckets(redis_client, prefix), requests_per_min=2, tokens_per_day=100)
    two = Limiter(RedisBuckets(redis_client, prefix), requests_per_min=2, tokens_per_day=100)
    one.admit("k", 1)
    two.admit("k", 1)
    with pytest.raises(RateLimited) as info:
        one.admit("k", 1)
    assert 0 < info.value.retry_after_s <= 30
    two.spent("k", 95)
    with pytest.raises(RateLimited, match="daily"):
        Limiter(RedisBuckets(redis_client, prefix), tokens_per_day=100).admit("k", 10)


def test_redis_cooldowns_are_seen_by_every_replica(redis_client: Any) -> None:
    prefix = redis_client.ree_prefix
    RedisCooldowns(redis_client, prefix).cool("dep", 5)
    assert RedisCooldowns(redis_client, prefix).cooling("dep")
    assert not RedisCooldowns(redis_client, prefix).cooling("other")
