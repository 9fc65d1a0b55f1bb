"""HistoryCachingStore: the store contract, versioned keys, write-through, Redis sharing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ree.errors import Conflict
from ree.infra.cache import MemoryCache
from ree.memory.base import ConversationStore, Turn
from ree.memory.cached import HistoryCache, HistoryCachingStore
from ree.memory.sqlite import SqlMemory
from ree.models import ConversationState
from ree.testing.memory_contract import ConversationStoreContract


def _turn(i: int) -> Turn:
    return Turn(f"message {i}", f"answer {i}", "search", ConversationState())


class TestHistoryCachingStoreContract(ConversationStoreContract):
    """The wrapper passes the same contract as the store it wraps."""

    @pytest.fixture
    def store(self) -> Iterator[ConversationStore]:
        memory = HistoryCachingStore(SqlMemory("sqlite://"), HistoryCache(MemoryCache()))
        yield memory
        memory.close()


@pytest.fixture
def cached() -> Iterator[tuple[HistoryCachingStore, MemoryCache]]:
    cache = MemoryCache(name="history-test")
    store = HistoryCachingStore(SqlMemory("sqlite://"), HistoryCache(cache, limit=3))
    yield store, cache
    store.close()


def test_read_twice_is_one_miss_then_a_hit(cached: tuple[HistoryCachingStore, MemoryCache]) -> None:
    store, cache = cached
    conv = store.create()
    store.inner.append_turn(conv.id, _turn(1), 0)  # bypass the wrapper: nothing cached yet
    assert store.cached_pairs(conv.id, 1) == [("message 1", "answer 1")]
    assert store.cached_pairs(conv.id, 1) == [("message 1", "answer 1")]
    assert cache.stats()["hits"] == 1 and cache.stats()["misses"] == 1


def test_write_moves_the_entry_to_the_new_version(
    cached: tuple[HistoryCachingStore, MemoryCache],
) -> None:
    store, cache = cached
    conv = store.create()
    for i in range(5):
        assert store.append_turn(conv.id, _turn(i), i) == i + 1
        before = cache.stats()["misses"]
        expected = [(f"message {j}", f"answer {j}") for j in range(max(0, i - 2), i + 1)]
        assert store.cached_pairs(conv.id, i + 1) == expected  # the limit (3) holds
        assert cache.stats()["misses"] == before  # written through: a hit
    assert len(cache) == 1  # old versions were deleted on write
    assert store.cached_pairs(conv.id, 5) == [
        (t.user_message, t.answer) for t in store.history(conv.id, 3)
    ]


def test_stale_write_changes_nothing(cached: tuple[HistoryCachingStore, MemoryCache]) -> None:
    store, _ = cached
    conv = store.create()
    store.append_turn(conv.id, _turn(1), 0)
    with pytest.raises(Conflict):
        store.append_turn(conv.id, _turn(2), 0)
    assert store.cached_pairs(conv.id, 1) == [("message 1", "answer 1")]


def test_delete_forgets_and_a_new_conversation_with_the_id_starts_empty(
    cached: tuple[HistoryCachingStore, MemoryCache],
) -> None:
    store, cache = cached
    conv = store.create(conversation_id="c-reused")
    store.append_turn(conv.id, _turn(1), 0)
    assert store.delete(conv.id)
    assert len(cache) == 0
    again = store.create(conversation_id="c-reused")
    store.inner.append_turn(again.id, _turn(9), 0)
    assert store.cached_pairs(again.id, 1) == [("message 9", "answer 9")]


def test_a_version_the_store_does_not_hold_is_not_cached(
    cached: tuple[HistoryCachingStore, MemoryCache],
) -> None:
    store, cache = cached
    conv = store.create()
    store.inner.append_turn(conv.id, _turn(1), 0)
    store.cached_pairs(conv.id, 7)  # a caller with a wrong version
    assert len(cache) == 0


def test_two_nodes_share_history_through_redis(redis_url: str) -> None:
    import uuid

    from ree.infra.redis_cache import RedisCache, redis_client

    client = redis_client(redis_url)
    prefix = f"ree-test-{uuid.uuid4().hex[:8]}:"
    db = SqlMemory("sqlite://")
    node_a = HistoryCachingStore(db, HistoryCache(RedisCache(client, "history", prefix)))
    cache_b = RedisCache(client, "history", prefix)
    node_b = HistoryCachingStore(db, HistoryCache(cache_b))
    try:
        conv = node_a.create()
        node_a.append_turn(conv.id, _turn(1), 0)
        node_a.append_turn(conv.id, _turn(2), 1)
        assert node_b.cached_pairs(conv.id, 2) == [
            ("message 1", "answer 1"),
            ("message 2", "answer 2"),
        ]
        assert cache_b.stats() == {"hits": 1, "misses": 0, "errors": 0, "bypassed": 0}
    finally:
        cache_b.clear()
        db.close()
        client.close()
