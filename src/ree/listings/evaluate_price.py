"""`ree eval price`: the price model against a district-median baseline on real listings.

Scenarios (fixed-seed splits, `SEED`):
- within a set: train on 75% of `bdscomvn-hcm-2023-dev.csv` (or `bdscomvn-2025-dev.csv`),
  test on the other 25%;
- across sets: train on one set, test on the other set's rows where the segment overlaps
  (Hồ Chí Minh).

For each: median absolute % error of the total price, the share of true prices inside the
80% range, and the share of test rows the model prices at all (it refuses thin segments).
Beside it, on the same rows: the baseline (district median price per m² × area, fitted on
the same training part; province, then overall median where the district is unseen), the
district × type median, and the comparables estimate (`ree.rag.facts.estimate` over the
training rows `comparables_filters` selects).
"""

from __future__ import annotations

import math
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ree.ingest.loaders import LoadReport, read_listings
from ree.listings.pricing import PriceModel, priceable
from ree.models import Listing
from ree.rag.facts import comparables_filters, estimate

__all__ = [
    "HCM_2023",
    "SET_2025",
    "Baseline",
    "Scenario",
    "evaluate",
    "load_priced",
    "run_scenario",
    "split",
]

HCM_2023 = "bdscomvn-hcm-2023-dev.csv"
SET_2025 = "bdscomvn-2025-dev.csv"
SEED = 7
TEST_SHARE = 0.25
HCM = "Hồ Chí Minh"


def load_priced(path: Path) -> list[Listing]:
    """The listings of a portal file that carry a plausible price and area."""
    return [x for x in read_listings(path, LoadReport()) if priceable(x)]


def split(rows: Sequence[Listing], seed: int = SEED) -> tuple[list[Listing], list[Listing]]:
    """(train, test): a fixed-seed shuffle, `TEST_SHARE` of the rows held out."""
    order = np.random.default_rng(seed).permutation(len(rows))
    n_test = int(len(rows) * TEST_SHARE)
    return [rows[i] for i in order[n_test:]], [rows[i] for i in order[:n_test]]


class Baseline:
    """Median price per m² by a key (district by default) × area; coarser keys as fallback."""

    def __init__(self, train: Sequence[Listing], by_type: bool = False) -> None:
        self.by_type = by_type
        self.levels: list[dict[tuple[str, ...], float]] = []
        for depth in (2, 1, 0):
            groups: dict[tuple[str, ...], list[float]] = defaultdict(list)
            for x in train:
                groups[self._key(x, depth)].append(_ppm2(x))
            self.levels.append({k: statistics.median(v) for k, v in groups.items()})

    def _key(self, x: Listing, depth: int) -> tuple[str, ...]:
        key: tuple[str, ...] = (x.transaction.value,)
        if self.by_type:
            key += (x.property_type.value,)
        return key + (x.province or "?", x.district or "?")[:depth]

    def predict(self, x: Listing) -> float:
        for depth, level in zip((2, 1, 0), self.levels, strict=True):
            found = level.get(self._key(x, depth))
            if found is not None:
                return found * (x.area_m2 or 0.0)
        return math.nan


class _Comparables:
    """The training rows `comparables_filters` would select, grouped for fast lookup."""

    def __init__(self, train: Sequence[Listing]) -> None:
        self.groups: dict[tuple[Any, ...], list[Listing]] = defaultdict(list)
        for x in train:
            self.groups[(x.transaction, x.property_type, x.province, x.district)].append(x)

    def estimate(self, x: Listing) -> dict[str, Any]:
        filters = comparables_filters(x)
        pool = self.groups.get((x.transaction, x.property_type, x.province, x.district), [])
        return estimate(x.area_m2, [c for c in pool if filters.matches(c)])


@dataclass
class Scenario:
    """One train/test pairing and its measured figures."""

    name: str
    train_rows: int
    test_rows: int
    results: dict[str, dict[str, float]] = field(default_factory=dict)
    fit_s: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "train_rows": self.train_rows,
            "test_rows": self.test_rows,
            "fit_s": self.fit_s,
            "results": self.results,
        }


def _ppm2(x: Listing) -> float:
    assert x.price_vnd and x.area_m2
    return x.price_vnd / x.area_m2


def _ape(pred: float, true: float) -> float:
    return abs(pred - true) / true


def _summary(
    truth: list[float], preds: list[float], ranges: list[tuple[float, float]] | None, n_all: int
) -> dict[str, float]:
    errors = [_ape(p, t) for p, t in zip(preds, truth, strict=True) if p == p and p > 0]
    out = {
        "rows": len(errors),
        "answered": round(len(errors) / n_all, 4) if n_all else 0.0,
        "median_ape": round(statistics.median(errors), 4) if errors else math.nan,
        "within_20pct": round(sum(e <= 0.2 for e in errors) / len(errors), 4) if errors else 0.0,
    }
    if ranges is not None:
        inside = [lo <= t <= hi for (lo, hi), t in zip(ranges, truth, strict=True)]
        out["coverage_80"] = round(sum(inside) / len(inside), 4) if inside else math.nan
        widths = [hi / lo for lo, hi in ranges if lo > 0]
        out["median_range_ratio"] = round(statistics.median(widths), 3) if widths else math.nan
    return out


def run_scenario(name: str, train: Sequence[Listing], test: Sequence[Listing]) -> Scenario:
    """Fit on `train`, measure the model and the baselines on `test`."""
    scenario = Scenario(name, len(train), len(test))
    started = time.perf_counter()
    model = PriceModel.fit(train)
    scenario.fit_s = round(time.perf_counter() - started, 3)
    quotes = model.quote_many(test)
    answered = [(x, q.estimate) for x, q in zip(test, quotes, strict=True) if q.estimate]
    truth = [float(x.price_vnd or 0) for x, _ in answered]
    subset = [x for x, _ in answered]
    n = len(test)
    scenario.results["model"] = _summary(
        truth,
        [float(e.price_vnd) for _, e in answered],
        [(float(e.low_vnd), float(e.high_vnd)) for _, e in answered],
        n,
    )
    district, district_type = Baseline(train), Baseline(train, by_type=True)
    comps = _Comparables(train)
    scenario.results["baseline_district_median"] = _summary(
        truth, [district.predict(x) for x in subset], None, n
    )
    all_truth = [float(x.price_vnd or 0) for x in test]
    scenario.results["baseline_district_median_all_rows"] = _summary(
        all_truth, [district.predict(x) for x in test], None, n
    )
    scenario.results["baseline_district_type_median"] = _summary(
        truth, [district_type.predict(x) for x in subset], None, n
    )
    found = [comps.estimate(x) for x in subset]
    scenario.results["comparables_median"] = _comparables_summary(truth, found, n)
    return scenario


def _comparables_summary(
    truth: list[float], found: list[dict[str, Any]], n_all: int
) -> dict[str, float]:
    pairs = [(t, f) for t, f in zip(truth, found, strict=True) if f.get("n")]
    return _summary(
        [t for t, _ in pairs],
        [float(f["price"]) for _, f in pairs],
        [(float(f["low"]), float(f["high"])) for _, f in pairs],
        n_all,
    )


Loader = Callable[[Path], list[Listing]]


def evaluate(data: Path, load: Loader = load_priced) -> list[Scenario]:
    """Every scenario whose files are in `data` (a missing file's scenarios are skipped)."""
    sets = {name: load(data / name) for name in (HCM_2023, SET_2025) if (data / name).is_file()}
    out = []
    for name, rows in sets.items():
        train, test = split(rows)
        out.append(run_scenario(f"{name.removesuffix('-dev.csv')}: 75/25 split", train, test))
    if len(sets) == 2:
        old = sets[HCM_2023]
        new_hcm = [x for x in sets[SET_2025] if x.province == HCM]
        out.append(run_scenario("train hcm-2023 -> test 2025 (HCM rows)", old, new_hcm))
        out.append(run_scenario("train 2025 (all) -> test hcm-2023", sets[SET_2025], old))
    return out
