"""Replay of realistic chat traffic: turn latency with cold and warm caches, cache hit rates.

    .venv/bin/python bench/bench_replay.py [--n 10000] [--sessions 150] [--max-seconds 240]
                                           [--redis redis://127.0.0.1:6379/0]

Traffic generator: a pool of distinct opening questions (`realistic_queries`: places,
budgets, rooms, features, vi and en), drawn with Zipf-like frequency (weight 1/rank^s, s=1.1:
a few popular questions dominate, a long tail is asked once). Each session opens with one,
then 0-3 follow-ups ("rẻ hơn chút", "có hồ bơi không", "căn thứ 2 thế nào"...), also skewed.

Phases on one index (`bench_retrieval.build(n)`, reused from bench/.data):
1. cold: a fresh assistant (empty retrieval, history and query-embedding caches) replays
   trace A; hit rates here are what a node sees from the first request;
2. warm: the same assistant replays trace B (same distribution, another seed);
3. no cache: a fresh assistant with every cache TTL at 0 replays trace B (the baseline).
Hit rates come from the `ree_cache_hits_total` / `ree_cache_misses_total` counters, per
cache (retrieval, history, embeddings). With `--redis`, the caches and locks are in Redis.
Writes bench/results/replay.json (replay-redis.json with --redis). Bounded by --max-seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import time
import uuid
from dataclasses import dataclass
from typing import Any

from prometheus_client import REGISTRY

from bench_retrieval import build
from common import WORK, percentiles, realistic_queries, write_result
from ree.chat.service import Assistant
from ree.config import Settings
from ree.search.embedder import default_embedder

CACHES = ("retrieval", "history", "embeddings")
FOLLOW_UPS = [
    "rẻ hơn chút",
    "có hồ bơi không",
    "căn thứ 2 thế nào",
    "còn ở Bình Thạnh?",
    "so sánh căn 1 và căn 3",
    "căn này giá có hợp lý không?",
    "cheaper please",
    "diện tích lớn hơn được không",
]


@dataclass(slots=True)
class Session:
    opener: str
    follow_ups: list[str]


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    """Weights 1/rank^s for ranks 1..n."""
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


def sessions(pool: list[str], count: int, seed: int) -> list[Session]:
    """`count` sessions: a Zipf-drawn opener and 0-3 skewed follow-ups each."""
    rng = random.Random(seed)
    openers = rng.choices(pool, weights=zipf_weights(len(pool)), k=count)
    follow_weights = zipf_weights(len(FOLLOW_UPS), 0.8)
    out = []
    for opener in openers:
        k = rng.choices([0, 1, 2, 3], weights=[0.35, 0.35, 0.2, 0.1])[0]
        out.append(Session(opener, rng.choices(FOLLOW_UPS, weights=follow_weights, k=k)))
    return out


def counters() -> dict[str, tuple[float, float]]:
    """(hits, misses) per cache, summed over in-process and Redis labels."""
    out = {}
    for cache in CACHES:
        hits = misses = 0.0
        for label in (cache, f"redis-{cache}"):
            hits += REGISTRY.get_sample_value("ree_cache_hits_total", {"cache": label}) or 0.0
            misses += REGISTRY.get_sample_value("ree_cache_misses_total", {"cache": label}) or 0.0
        out[cache] = (hits, misses)
    return out


def hit_rates(before: dict[str, tuple[float, float]]) -> dict[str, Any]:
    after = counters()
    out: dict[str, Any] = {}
    total_hits = total = 0.0
    for cache in CACHES:
        hits = after[cache][0] - before[cache][0]
        lookups = hits + after[cache][1] - before[cache][1]
        out[cache] = {"hits": int(hits), "lookups": int(lookups), "rate": _rate(hits, lookups)}
        total_hits += hits
        total += lookups
    out["all"] = {"hits": int(total_hits), "lookups": int(total), "rate": _rate(total_hits, total)}
    return out


def _rate(hits: float, lookups: float) -> float:
    return round(hits / lookups, 3) if lookups else 0.0


async def replay(assistant: Assistant, trace: list[Session], deadline: float) -> dict[str, Any]:
    """Play `trace` turn by turn; latencies of openers and follow-ups, and hit rates."""
    before = counters()
    opener_ms: list[float] = []
    follow_ms: list[float] = []
    played = 0
    for session in trace:
        if time.monotonic() > deadline:
            break
        first = await assistant.turns.handle(session.opener)
        opener_ms.append(first.timings_ms["total"])
        for message in session.follow_ups:
            r = await assistant.turns.handle(message, first.conversation_id)
            follow_ms.append(r.timings_ms["total"])
        played += 1
    every = opener_ms + follow_ms
    return {
        "sessions": played,
        "turns": len(every),
        "turn": percentiles(every),
        "opener": percentiles(opener_ms),
        "follow_up": percentiles(follow_ms) if follow_ms else None,
        "hit_rate": hit_rates(before),
    }


def open_assistant(base: Settings, name: str, redis: str | None, **extra: Any) -> Assistant:
    """A fresh assistant on the index with its own memory and empty caches."""
    memory_dir = WORK / f"replay-{name}"
    shutil.rmtree(memory_dir, ignore_errors=True)
    memory_dir.mkdir(parents=True)
    default_embedder.cache_clear()  # a new embedder: empty query LRU
    settings = Settings(
        data_dir=base.data_dir,
        database_url=f"sqlite:///{memory_dir}/ree.db",
        demo_listings=0,
        jobs_embedded=False,
        redis_url=redis,
        redis_prefix=f"ree-bench-{uuid.uuid4().hex[:8]}:",
        **extra,
    )
    return Assistant.open(settings)


def drop_keys(settings: Settings) -> None:
    """Delete the bench's own Redis keys (its unique prefix)."""
    if not settings.redis_url:
        return
    from ree.infra.redis_cache import redis_client

    client = redis_client(settings.redis_url)
    try:
        keys = list(client.scan_iter(match=settings.redis_prefix + "*", count=500))
        for start in range(0, len(keys), 500):
            client.unlink(*keys[start : start + 500])
    finally:
        client.close()


def run(n: int, count: int, pool_size: int, max_seconds: float, redis: str | None) -> None:
    base, _ = build(n)
    pool = list(dict.fromkeys(realistic_queries(pool_size * 3, seed=21)))[:pool_size]
    trace_a, trace_b = sessions(pool, count, seed=1), sessions(pool, count, seed=2)
    deadline = time.monotonic() + max_seconds
    phase_budget = max_seconds / 3
    results: dict[str, Any] = {}
    assistant = open_assistant(base, "cached", redis)
    try:
        results["cold"] = asyncio.run(replay(assistant, trace_a, time.monotonic() + phase_budget))
        results["warm"] = asyncio.run(replay(assistant, trace_b, time.monotonic() + phase_budget))
    finally:
        assistant.close()
        drop_keys(assistant.settings)
    baseline = open_assistant(
        base, "nocache", redis, cache_ttl_s=0, history_cache_ttl_s=0, embedding_cache_ttl_s=0
    )
    try:
        results["no_cache"] = asyncio.run(replay(baseline, trace_b, deadline))
    finally:
        baseline.close()
        drop_keys(baseline.settings)
    write_result(
        "replay-redis" if redis else "replay",
        {
            "listings": n,
            "backend": "redis" if redis else "in-process",
            "distinct_openers": len(pool),
            "zipf_s": 1.1,
            **results,
            "note": (
                "generation is tier extractive; turn totals include understand, retrieve ‖ "
                "history, rerank, verify and the SQLite save; the no_cache run still has the "
                "embedder's in-process LRU (it is part of the embedder)"
            ),
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=150)
    parser.add_argument("--pool", type=int, default=120, help="distinct opening questions")
    parser.add_argument("--max-seconds", type=float, default=240.0)
    parser.add_argument("--redis", default=None, help="Redis URL: caches and locks in Redis")
    args = parser.parse_args()
    run(args.n, args.sessions, args.pool, args.max_seconds, args.redis)
