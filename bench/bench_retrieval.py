"""Retrieval benchmark: understand + hybrid search with filters + rerank, on N demo listings.

Also measures index build throughput, index size on disk and RSS while serving.
Usage: python bench/bench_retrieval.py --n 10000 [--queries 300]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from ree.chat.understand import understand
from ree.ingest.demo import generate
from ree.ingest.pipeline import ingest

from common import WORK, dir_mb, percentiles, realistic_queries, rss_mb, timed, write_result
from ree.config import Settings
from ree.search.factory import open_search
from ree.search.rerank import FitReranker


def build(n: int) -> tuple[Settings, dict[str, float]]:
    settings = Settings(data_dir=WORK / f"retrieval-{n}")
    search = open_search(settings)
    info: dict[str, float] = {}
    if search.count() < n:
        t = time.perf_counter()
        now = datetime(2026, 11, 20, tzinfo=UTC)
        report = ingest(generate(n, seed=1, now=now), search, batch_size=512)
        info["build_s"] = round(time.perf_counter() - t, 1)
        info["build_listings_per_s"] = round(report.written / info["build_s"], 1)
    info["index_mb"] = dir_mb(settings.index_dir)
    search.close()
    return settings, info


def run(n: int, queries: int) -> None:
    settings, info = build(n)
    rss_before = rss_mb()
    search = open_search(settings)
    reranker = FitReranker()
    texts = realistic_queries(queries)
    for q in texts[:20]:  # warm the process (imports, page cache), not the query cache
        u = understand(q)
        search.search(u.query_text or None, u.filters, limit=settings.retrieve_depth)
    cold, warm, understand_ms = [], [], []
    for sample in (cold, warm):  # second pass: query embeddings cached, as for repeated questions
        for q in texts:
            t = time.perf_counter()
            u, ms = timed(understand, q)
            result = search.search(u.query_text or None, u.filters, limit=settings.retrieve_depth)
            reranker.run(result.hits, u.filters, u.language)
            sample.append((time.perf_counter() - t) * 1000)
            understand_ms.append(ms)
    total_s = sum(cold) / 1000
    write_result(
        f"retrieval-{n}",
        {
            "listings": search.count(),
            **info,
            "retrieval_cold_embedding": percentiles(cold),
            "retrieval_warm_embedding": percentiles(warm),
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
    args = parser.parse_args()
    run(args.n, args.queries)
