"""Price model speed: fit time, batched predict throughput, single-predict latency.

    .venv/bin/python bench/bench_pricing.py [--rows 13000] [--real]

Fits on `--rows` demo listings (or, with `--real`, on the two bdscomvn dev sets when
../shared/data is there), then times `predict_many` over 10,000 listings and `predict` one
listing at a time. Writes bench/results/pricing.json. The load average at start is recorded:
on a shared 2-core machine other work slows every figure.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from common import percentiles, write_result
from ree.ingest.demo import generate
from ree.listings.pricing import PriceModel, priceable
from ree.models import Listing

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _real_rows() -> list[Listing]:
    from ree.listings.evaluate_price import HCM_2023, SET_2025, load_priced

    return load_priced(SHARED / HCM_2023) + load_priced(SHARED / SET_2025)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=13_000, help="demo listings to fit on")
    parser.add_argument("--real", action="store_true", help="fit on the real dev sets")
    parser.add_argument("--single", type=int, default=1000, help="single predictions timed")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    train = _real_rows() if args.real else list(generate(args.rows, seed=3))
    test = [x for x in generate(10_000, seed=4) if priceable(x)]
    started, cpu = time.perf_counter(), time.process_time()
    model = PriceModel.fit(train)
    fit_s, fit_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    model.predict_many(test[:100])  # warm
    started, cpu = time.perf_counter(), time.process_time()
    estimates = model.predict_many(test)
    batch_s, batch_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    samples = []
    for x in test[: args.single]:
        t = time.perf_counter()
        model.predict(x)
        samples.append((time.perf_counter() - t) * 1000)
    write_result(
        "pricing",
        {
            "train": "real dev sets" if args.real else f"{args.rows} demo listings",
            "train_priced_rows": model.meta["rows"],
            "load_avg_1m_at_start": round(load, 2),
            "fit_s": round(fit_s, 2),
            "fit_cpu_s": round(fit_cpu_s, 2),
            "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
            "predict_many": {
                "listings": len(test),
                "priced": sum(e is not None for e in estimates),
                "seconds": round(batch_s, 3),
                "listings_per_s": round(len(test) / batch_s),
                "cpu_s": round(batch_cpu_s, 3),
                "listings_per_cpu_s": round(len(test) / batch_cpu_s),
            },
            "predict_single": percentiles(samples),
        },
    )


if __name__ == "__main__":
    main()
