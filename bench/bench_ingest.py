"""Ingest throughput: listings/s per stage and for the whole pipeline, without and with
embeddings, on ../shared/data/batdongsanvn-2024.csv (13,445 rows).

    analysis   read → chunk → extract → classify → complete → price → dedup, all rows in one
               batch (dedup sees every row), nothing written: the pipeline excluding embeddings
               (the price model is first fitted on the rows' portal prices, untimed)
    embedded   the whole pipeline into a real embedded index (tantivy + e5 embeddings) on the
               first --embed-rows rows

Stage times are CPU seconds of this process (`time.process_time`): on a shared, loaded
machine wall time measures the other tenants, CPU time measures the work, and listings per
CPU-second is listings/s/core. Wall time and the load average are reported beside them.
Per-listing p50/p95 (CPU ms) are reported for the per-listing stages (chunk, extract,
complete, price).
Usage: python bench/bench_ingest.py [--rows 13445] [--embed-rows 1000]
Skips (with the reason, exit 0) when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from itertools import islice
from pathlib import Path

from common import WORK, percentiles, write_result
from ree.ingest.loaders import read_listings
from ree.ingest.pipeline import STAGES, Analysis, IngestPipeline, IngestReport
from ree.listings.pricing import PriceModel
from ree.models import Listing
from ree.search.embedded import EmbeddedSearch

SOURCE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "batdongsanvn-2024.csv"


def _rates(report: IngestReport, n: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for stage in STAGES:
        seconds = report.stage_seconds.get(stage)
        if seconds is None:
            continue
        out[stage] = {
            "seconds": round(seconds, 3),
            "listings_per_s": round(n / seconds, 1) if seconds > 0 else 0.0,
        }
    return out


def analysis_only(rows: int) -> dict[str, object]:
    """Every analysis stage on `rows` listings in one batch; nothing is embedded or written."""
    work = WORK / "ingest-analysis"
    shutil.rmtree(work, ignore_errors=True)
    report = IngestReport()
    wall = time.perf_counter()
    started = time.process_time()
    listings = list(islice(read_listings(SOURCE, text_features=False), rows))
    report.timed("read", time.process_time() - started)
    fitted = _fit_price_model(listings, work)
    search = EmbeddedSearch(work / "index")
    try:
        pipeline = IngestPipeline(
            search, Analysis.default(work), record_latencies=True, clock=time.process_time
        )
        clock = time.process_time()
        kept = pipeline.analyse(listings, report)
        analysed = time.process_time() - clock
    finally:
        search.close()
    total = report.stage_seconds["read"] + analysed
    return {
        "rows": len(listings),
        "price_model": fitted,
        "kept": len(kept),
        "duplicates_merged": report.duplicates,
        "junk": dict(report.junk),
        "stages": _rates(report, len(listings)),
        "per_listing": {k: percentiles([s * 1000 for s in v]) for k, v in report.latencies.items()},
        "pipeline_excluding_embeddings": {
            "cpu_seconds": round(total, 2),
            "listings_per_cpu_s": round(len(listings) / total, 1),
            "analysis_without_loading_per_cpu_s": round(len(listings) / analysed, 1),
            "wall_seconds": round(time.perf_counter() - wall, 2),
        },
    }


def _fit_price_model(listings: list[Listing], work: Path) -> dict[str, object]:
    """Fit the price model on the rows' own portal prices (as the refit job fits it on the
    index) and save it where `Analysis.default(work)` loads it, so the price stage runs;
    the fit is not counted in the pipeline's time."""
    cpu = time.process_time()
    model = PriceModel.fit(listings)
    model.save(work / "price_model")
    return {"fit_cpu_seconds": round(time.process_time() - cpu, 2), "rows": model.meta.get("rows")}


def with_embeddings(rows: int) -> dict[str, object]:
    """The whole pipeline, embeddings included, on the first `rows` rows."""
    work = WORK / "ingest-embedded"
    shutil.rmtree(work, ignore_errors=True)
    listings = list(islice(read_listings(SOURCE, text_features=False), rows))
    search = EmbeddedSearch(work / "index")
    cpu = time.process_time()
    try:
        pipeline = IngestPipeline(search, Analysis.default(work), clock=time.process_time)
        report = pipeline.run(listings)
    finally:
        search.close()
    cpu = time.process_time() - cpu
    return {
        "rows": len(listings),
        "written": report.written,
        "stages": _rates(report, len(listings)),
        "pipeline_with_embeddings": {
            "cpu_seconds": round(cpu, 2),
            "listings_per_cpu_s": round(len(listings) / cpu, 1),
            "wall_seconds": round(report.seconds, 2),
            "listings_per_wall_s": round(len(listings) / report.seconds, 1),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=13_445)
    parser.add_argument("--embed-rows", type=int, default=1_000)
    args = parser.parse_args()
    if not SOURCE.exists():
        print(f"skipped: {SOURCE.resolve()} is absent (the real data lives outside the repo)")
        sys.exit(0)
    load = os.getloadavg()
    analysis = analysis_only(args.rows)
    embedded = with_embeddings(args.embed_rows) if args.embed_rows > 0 else None
    write_result(
        "ingest",
        {
            "source": SOURCE.name,
            "load_average_at_start": [round(x, 2) for x in load],
            "target": ">= 200 listings/s/core excluding embeddings",
            "analysis": analysis,
            "embedded": embedded,
        },
    )


if __name__ == "__main__":
    main()
