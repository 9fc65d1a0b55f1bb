"""RedisCache on a real Redis: the Cache protocol, its namespace, metrics, and Redis down."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client import REGISTRY

from ree.infra.cache import Cache, cache_key
from ree.infra.redis_cache import RedisCache, redis_client

pytest.importorskip("redis", reason="redis not installed (pip install 'ree[redis]')")


@pytest.fixture
def client(redis_url: str) -> Iterator[Any]:
    conn = redis_client(redis_url)
    yield conn
    conn.close()


@pytest.fixture
def cache(client: Any, redis_url: str) -> Iterator[RedisCache]:
    from services import drop_prefix, unique_prefix

    prefix = unique_prefix("cache")
    yield RedisCache(client, name="test", prefix=prefix)
    drop_prefix(redis_url, prefix)


def _metric(name: str, label: str) -> float:
    return REGISTRY.get_sample_value(name, {"cache": label}) or 0.0


def test_satisfies_the_cache_protocol(cache: RedisCache) -> None:
    assert isinstance(cache, Cache)
    assert cache.ping()


def test_get_set_delete_round_trip(cache: RedisCache, client: Any) -> None:
    key = cache_key("q", {"district": "Quận 7"})
    assert cache.get(key) is None
    payload = "giá 3,2 tỷ".encode() + bytes(range(256))
    cache.set(key, payload, ttl_s=60)
    assert cache.get(key) == payload
    ttl_ms = client.pttl(cache.namespace + key)
    assert 0 < ttl_ms <= 60_000
    cache.delete(key)
    assert cache.get(key) is None
    assert cache.stats() == {"hits": 1, "misses": 2, "errors": 0, "bypassed": 0}


def test_zero_ttl_drops_the_key(cache: RedisCache) -> None:
    cache.set("k", b"v", ttl_s=60)
    cache.set("k", b"w", ttl_s=0)
    assert cache.get("k") is None


def test_clear_touches_only_its_namespace(cache: RedisCache, client: Any) -> None:
    other = RedisCache(client, name="other", prefix=cache.namespace.split("cache:")[0])
    for i in range(1200):
        cache.set(f"k{i}", b"x", ttl_s=60)
    other.set("keep", b"y", ttl_s=60)
    cache.clear()
    assert cache.get("k0") is None
    assert cache.get("k1199") is None
    assert other.get("keep") == b"y"
    other.clear()


def test_hits_and_misses_reach_prometheus(cache: RedisCache) -> None:
    hits0 = _metric("ree_cache_hits_total", "redis-test")
    misses0 = _metric("ree_cache_misses_total", "redis-test")
    cache.set("a", b"1", ttl_s=60)
    cache.get("a")
    cache.get("a")
    cache.get("b")
    assert _metric("ree_cache_hits_total", "redis-test") == hits0 + 2
    assert _metric("ree_cache_misses_total", "redis-test") == misses0 + 1


def test_redis_down_is_bypassed_not_an_error(private_redis: Any) -> None:
    now = [0.0]
    cache = RedisCache(
        redis_client(private_redis.url), name="down", retry_after_s=5.0, clock=lambda: now[0]
    )
    cache.set("a", b"1", ttl_s=60)
    assert cache.get("a") == b"1"
    private_redis.stop()
    assert cache.get("a") is None  # a miss: one failed call...
    cache.set("a", b"2", ttl_s=60)  # ...then bypassed without touching the network
    cache.delete("a")
    cache.clear()
    assert not cache.ping()
    stats = cache.stats()
    assert (stats["hits"], stats["misses"], stats["errors"]) == (1, 1, 1)
    assert stats["bypassed"] == 4
    now[0] = 10.0  # past retry_after_s: tried again, fails again, still no exception
    assert cache.get("a") is None
    assert cache.stats()["errors"] == 2
