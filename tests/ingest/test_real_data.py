"""The loaders against the real portal files in ../shared/data (skipped where absent)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from ree.ingest.loaders import LoadReport, read_listings
from ree.models import Listing, Transaction

from .conftest import shared_csv

pytestmark = pytest.mark.shared_data

Loaded = tuple[list[dict[str, str]], list[Listing], LoadReport]


def _load(path: Path, limit: int | None = None) -> Loaded:
    with path.open(encoding="utf-8", newline="") as fh:
        raw = list(itertools.islice(csv.DictReader(fh), limit))
    report = LoadReport()
    listings = list(itertools.islice(read_listings(path, report), limit))
    return raw, listings, report


@pytest.fixture(scope="module")
def bdscom_2025() -> Loaded:
    return _load(shared_csv("bdscomvn-2025-dev.csv"))


@pytest.fixture(scope="module")
def bdscom_hcm() -> Loaded:
    return _load(shared_csv("bdscomvn-hcm-2023-dev.csv"))


@pytest.fixture(scope="module")
def bdsvn_head() -> Loaded:
    """The first 2,500 rows of the 13,445 (the whole file takes half a minute)."""
    return _load(shared_csv("batdongsanvn-2024.csv"), limit=2500)


def _priced(raw: list[dict[str, str]]) -> int:
    return sum(1 for r in raw if r["price"].strip() not in ("", "Thỏa thuận"))


def test_bdscomvn_2025_loads_every_row(bdscom_2025: Loaded) -> None:
    raw, listings, report = bdscom_2025
    assert len(raw) == 1973 and report.read == 1973
    assert report.loaded == len(listings) == 1973 - report.rejected_count
    assert report.rejected_count <= 5
    assert len({x.id for x in listings}) >= 1960
    assert all(x.source == "bdscomvn" and x.transaction is Transaction.SALE for x in listings)


def test_bdscomvn_2025_prices_areas_and_places_parse(bdscom_2025: Loaded) -> None:
    raw, listings, _ = bdscom_2025
    n = len(listings)
    assert sum(x.price_vnd is not None for x in listings) >= 0.9 * _priced(raw)
    assert sum(x.area_m2 is not None for x in listings) >= 0.99 * n
    assert sum(x.district is not None for x in listings) >= 0.95 * n
    assert sum(x.province is not None for x in listings) >= 0.98 * n
    assert sum(x.lat is not None for x in listings) >= 0.95 * n
    with_rooms = sum(1 for r in raw if r["bedroom"].strip())
    assert sum(x.bedrooms is not None for x in listings) >= 0.98 * with_rooms


def test_bdscomvn_2025_swapped_prices_are_fixed(bdscom_2025: Loaded) -> None:
    raw, listings, report = bdscom_2025
    by_id = {x.id: x for x in listings}
    swapped = [r for r in raw if "/m²" in r["price"] and r["product_id"].strip()]
    assert len(swapped) >= 150
    assert report.fixes["swapped_price"] >= len(swapped)
    fixed = 0
    for row in swapped:
        x = by_id[f"bdscomvn:{row['product_id'].strip()}"]
        if x.price_vnd is None:
            continue
        assert x.price_per_m2_vnd and x.area_m2
        assert x.price_vnd > x.price_per_m2_vnd
        assert abs(x.price_per_m2_vnd * x.area_m2 - x.price_vnd) <= 0.05 * x.price_vnd
        fixed += 1
    assert fixed >= 0.95 * len(swapped)


def test_bdscomvn_hcm_2023(bdscom_hcm: Loaded) -> None:
    raw, listings, report = bdscom_hcm
    assert len(raw) == report.read == 5518 and report.rejected_count == 0
    n = len(listings)
    assert sum(x.price_vnd is not None for x in listings) >= 0.95 * _priced(raw)
    assert sum(x.area_m2 is not None for x in listings) >= 0.99 * n
    assert all(x.province == "Hồ Chí Minh" for x in listings)
    assert sum(x.district is not None for x in listings) >= 0.99 * n
    assert sum(x.posted_at is not None for x in listings) == n
    assert all(x.title and x.description == "" for x in listings)
    per_m2_cells = sum(1 for r in raw if "/m²" in r["price"])
    assert report.fixes["price_per_m2_to_total"] == per_m2_cells


def test_batdongsanvn_head(bdsvn_head: Loaded) -> None:
    raw, listings, report = bdsvn_head
    assert report.read == len(raw) == 2500
    assert report.loaded == len(listings) == 2500 - report.rejected_count
    assert report.rejected_count == 0
    n = len(listings)
    priced = [r for r in raw if r["price"].strip() not in ("", "Thỏa thuận")]
    assert sum(x.price_vnd is not None for x in listings) >= 0.9 * len(priced)
    sized = sum(1 for r in raw if r["area_m2"].strip().lower() not in ("", "na", "nan"))
    assert sum(x.area_m2 is not None for x in listings) >= 0.98 * sized
    assert sum(x.district is not None for x in listings) >= 0.6 * n
    sale = [x for x in listings if x.transaction is Transaction.SALE and x.price_vnd]
    assert all(50_000_000 <= x.price_vnd <= 20_000 * 10**9 for x in sale if x.price_vnd)
