"""Cache hit rates for retrieval, history and query embeddings are exported in /metrics."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def _count(metrics: str, name: str, cache: str) -> float:
    found = re.search(rf'^{name}{{cache="{cache}"}} (\S+)$', metrics, re.M)
    return float(found.group(1)) if found else 0.0


def test_cache_hit_rates_are_exported(client: TestClient) -> None:
    before = client.get("/metrics").text
    first = client.post("/v1/chat", json={"message": "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ"}).json()
    cid = first["conversation_id"]
    client.post("/v1/chat", json={"message": "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ"})
    client.post("/v1/chat", json={"message": "rẻ hơn chút", "conversation_id": cid})
    client.post("/v1/chat", json={"message": "có hồ bơi không", "conversation_id": cid})
    client.post("/v1/chat", json={"message": "căn hộ yên tĩnh view sông gần trường Quận 7"})
    after = client.get("/metrics").text
    for cache in ("retrieval", "history"):
        hits = _count(after, "ree_cache_hits_total", cache)
        assert hits > _count(before, "ree_cache_hits_total", cache), cache
    lookups = _count(after, "ree_cache_hits_total", "embeddings") + _count(
        after, "ree_cache_misses_total", "embeddings"
    )
    assert lookups > 0
