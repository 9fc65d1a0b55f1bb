"""MemoryCache: TTL expiry, LRU eviction, stats and metrics, thread safety; cache_key stability."""

from __future__ import annotations

import threading

import pytest
from prometheus_client import REGISTRY

from ree.infra.cache import Cache, MemoryCache, cache_key
from ree.models import Feature, Filters, PropertyType


class Clock:
    """A manual clock: time moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _metric(name: str, cache: str) -> float:
    value = REGISTRY.get_sample_value(name, {"cache": cache})
    return 0.0 if value is None else value


def test_is_a_cache() -> None:
    assert isinstance(MemoryCache(), Cache)


def test_value_lives_until_its_ttl() -> None:
    clock = Clock()
    cache = MemoryCache(max_items=10, clock=clock)
    cache.set("k", b"v", ttl_s=5)
    clock.now += 4.999
    assert cache.get("k") == b"v"
    clock.now += 0.001
    assert cache.get("k") is None
    assert len(cache) == 0
    assert cache.stats()["expirations"] == 1


def test_each_entry_has_its_own_ttl() -> None:
    clock = Clock()
    cache = MemoryCache(clock=clock)
    cache.set("short", b"1", ttl_s=1)
    cache.set("long", b"2", ttl_s=100)
    clock.now += 50
    assert (cache.get("short"), cache.get("long")) == (None, b"2")


def test_set_refreshes_value_and_ttl() -> None:
    clock = Clock()
    cache = MemoryCache(clock=clock)
    cache.set("k", b"old", ttl_s=1)
    cache.set("k", b"new", ttl_s=10)
    clock.now += 5
    assert cache.get("k") == b"new"


def test_non_positive_ttl_stores_nothing() -> None:
    cache = MemoryCache()
    cache.set("k", b"v", ttl_s=60)
    cache.set("k", b"w", ttl_s=0)
    assert cache.get("k") is None
    cache.set("j", b"v", ttl_s=-1)
    assert len(cache) == 0


def test_least_recently_used_is_evicted() -> None:
    cache = MemoryCache(max_items=3)
    for key in "abc":
        cache.set(key, key.encode(), ttl_s=60)
    assert cache.get("a") == b"a"  # a is now the most recently used; b the least
    cache.set("d", b"d", ttl_s=60)
    assert cache.get("b") is None
    assert [cache.get(k) for k in "acd"] == [b"a", b"c", b"d"]
    assert len(cache) == 3
    assert cache.stats()["evictions"] == 1


def test_delete_and_clear() -> None:
    cache = MemoryCache()
    cache.set("a", b"1", ttl_s=60)
    cache.set("b", b"2", ttl_s=60)
    cache.delete("a")
    cache.delete("never-there")
    assert (cache.get("a"), cache.get("b")) == (None, b"2")
    cache.clear()
    assert cache.get("b") is None


def test_stats_count_hits_and_misses_and_export_metrics() -> None:
    name = "test-stats"
    hits0, misses0 = _metric("ree_cache_hits_total", name), _metric("ree_cache_misses_total", name)
    cache = MemoryCache(name=name)
    cache.set("a", b"1", ttl_s=60)
    for key in ("a", "a", "zz", "a", "yy"):
        cache.get(key)
    stats = cache.stats()
    assert (stats["hits"], stats["misses"], stats["items"]) == (3, 2, 1)
    assert _metric("ree_cache_hits_total", name) - hits0 == 3
    assert _metric("ree_cache_misses_total", name) - misses0 == 2


def test_invalid_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="max_items"):
        MemoryCache(max_items=0)


def test_threads_never_exceed_capacity_or_lose_counts() -> None:
    cache = MemoryCache(max_items=50, name="test-threads")
    rounds, workers = 500, 4

    def work(w: int) -> None:
        for i in range(rounds):
            key = f"{w}:{i % 80}"
            if cache.get(key) is None:
                cache.set(key, str(i).encode(), ttl_s=60)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = cache.stats()
    assert stats["hits"] + stats["misses"] == rounds * workers
    assert stats["items"] == len(cache) <= 50


def test_cache_key_is_stable_across_processes() -> None:
    # A literal pins the scheme: the same parts give this key on every machine and run.
    assert cache_key("search", {"q": "căn hộ Quận 7", "limit": 10}) == (
        "507ee7d975a5216564a5183efbe078bd"
    )


def test_cache_key_ignores_dict_order_and_set_order() -> None:
    assert cache_key({"a": 1, "b": [1, 2]}) == cache_key({"b": [1, 2], "a": 1})
    assert cache_key({"x", "y", "z"}) == cache_key({"z", "x", "y"})


def test_cache_key_tells_parts_apart() -> None:
    keys = {
        cache_key("ab"),
        cache_key("a", "b"),
        cache_key(["a", "b"]),
        cache_key("ab", None),
        cache_key(1),
        cache_key("1"),
        cache_key(1.5),
        cache_key({"a": 1}),
        cache_key({"a": 2}),
    }
    assert len(keys) == 9
    assert all(len(k) == 32 for k in keys)


def test_cache_key_reads_models_and_enums_as_json() -> None:
    filters = Filters(property_types=[PropertyType.APARTMENT], features=[Feature.POOL])
    as_json = {"property_types": ["apartment"], "features": ["pool"]}
    assert cache_key(filters) == cache_key(filters.model_dump(mode="json"))
    assert cache_key(PropertyType.APARTMENT) == cache_key("apartment")
    assert cache_key(filters) != cache_key(as_json)  # the dump has every field, unset ones too
    assert cache_key(Filters(price_max=1)) != cache_key(Filters(price_max=2))


def test_cache_key_rejects_what_it_cannot_serialise() -> None:
    with pytest.raises(TypeError):
        cache_key(object())
