"""Realistic, deterministic demo listings for Vietnam (written by REE, not copied).

`generate(n, seed)` streams `Listing`s: ~45% Hồ Chí Minh, ~30% Hà Nội, the rest in seven
other provinces; sale and rent about 75/25; every property type, with fields coherent per
type (land has no rooms, rooms are rent only, apartments carry projects and balcony
directions) and Vietnamese titles and descriptions that state exactly those fields.
Prices come from the market table (`data/demo_market.json`).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from ree.ingest.demo_text import Draft, formal_address, render
from ree.ingest.demo_words import pick, round_price
from ree.ingest.fingerprint import content_hash
from ree.ingest.jsonl import write_jsonl
from ree.ingest.market import District, market_table
from ree.models import (
    Direction,
    Feature,
    Furnishing,
    LegalStatus,
    Listing,
    PropertyType,
    Transaction,
)

__all__ = ["content_hash", "generate", "write_demo", "write_jsonl"]

P = PropertyType
SALE, RENT = Transaction.SALE, Transaction.RENT
_DIRECTIONS = tuple(Direction)
_FEATURES = tuple(Feature)
_DAY_S = 86_400.0
_RENT_SHARE = 0.25

_TYPE_WEIGHTS: dict[Transaction, dict[PropertyType, float]] = {
    SALE: {
        P.APARTMENT: 38, P.HOUSE: 26, P.TOWNHOUSE: 13, P.LAND: 12, P.VILLA: 4,
        P.SHOPHOUSE: 3, P.OFFICE: 1.5, P.WAREHOUSE: 1,
    },
    RENT: {
        P.APARTMENT: 40, P.ROOM: 26, P.HOUSE: 12, P.TOWNHOUSE: 6, P.OFFICE: 8,
        P.WAREHOUSE: 3, P.VILLA: 2, P.SHOPHOUSE: 3,
    },
}  # fmt: skip

# (feature, probability) per type; river/metro/furnished/balcony are decided elsewhere.
_FEATURE_ODDS: dict[PropertyType, tuple[tuple[Feature, float], ...]] = {
    P.APARTMENT: (
        (Feature.POOL, 0.3), (Feature.GYM, 0.25), (Feature.ELEVATOR, 0.3),
        (Feature.PARKING, 0.25), (Feature.SECURITY, 0.3), (Feature.NEAR_SCHOOL, 0.15),
    ),
    P.HOUSE: (
        (Feature.CAR_ALLEY, 0.35), (Feature.ELEVATOR, 0.08), (Feature.NEAR_SCHOOL, 0.2),
        (Feature.PARKING, 0.08), (Feature.GARDEN, 0.04),
    ),
    P.TOWNHOUSE: (
        (Feature.STREET_FRONT, 0.7), (Feature.CAR_ALLEY, 0.5), (Feature.ELEVATOR, 0.2),
        (Feature.NEAR_SCHOOL, 0.15),
    ),
    P.VILLA: (
        (Feature.GARDEN, 0.6), (Feature.POOL, 0.35), (Feature.PARKING, 0.5),
        (Feature.SECURITY, 0.4),
    ),
    P.LAND: ((Feature.STREET_FRONT, 0.2), (Feature.CAR_ALLEY, 0.35), (Feature.NEAR_SCHOOL, 0.15)),
    P.SHOPHOUSE: ((Feature.STREET_FRONT, 0.8), (Feature.ELEVATOR, 0.2), (Feature.PARKING, 0.3)),
    P.OFFICE: (
        (Feature.ELEVATOR, 0.8), (Feature.PARKING, 0.5), (Feature.SECURITY, 0.4),
        (Feature.STREET_FRONT, 0.2),
    ),
    P.WAREHOUSE: ((Feature.PARKING, 0.2), (Feature.SECURITY, 0.2), (Feature.STREET_FRONT, 0.2)),
    P.ROOM: ((Feature.SECURITY, 0.3), (Feature.PARKING, 0.4), (Feature.NEAR_SCHOOL, 0.3)),
}  # fmt: skip
_RIVER_ODDS = {P.APARTMENT: 0.3, P.VILLA: 0.2, P.LAND: 0.05, P.HOUSE: 0.03}
_METRO_ODDS = {P.APARTMENT: 0.25, P.ROOM: 0.2, P.OFFICE: 0.3, P.HOUSE: 0.1, P.TOWNHOUSE: 0.1}

_FRONTAGES: dict[PropertyType, tuple[float, ...]] = {
    P.HOUSE: (3.5, 3.8, 4.0, 4.0, 4.2, 4.5, 5.0, 5.0, 5.5, 6.0),
    P.TOWNHOUSE: (4.0, 4.5, 5.0, 5.0, 5.5, 6.0, 6.5, 7.0, 8.0),
    P.VILLA: (8.0, 9.0, 10.0, 10.0, 12.0, 14.0, 15.0),
    P.LAND: (4.0, 5.0, 5.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0, 15.0, 20.0),
    P.SHOPHOUSE: (5.0, 6.0, 6.0, 7.0),
}
_DEPTHS: dict[PropertyType, tuple[float, float]] = {
    P.HOUSE: (8.0, 20.0),
    P.TOWNHOUSE: (12.0, 25.0),
    P.VILLA: (15.0, 30.0),
    P.LAND: (12.0, 35.0),
    P.SHOPHOUSE: (14.0, 22.0),
}


def generate(n: int, seed: int = 7, now: datetime | None = None) -> Iterator[Listing]:
    """Stream `n` demo listings; the same (n, seed, now) always yields the same listings.

    `now` defaults to the current UTC time, so demo data looks fresh; pass it explicitly for
    reproducible output. Listings are posted within the 60 days before `now`.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    sampler = _sampler()
    for i in range(n):
        draft = _draft(sampler, rng)
        title, description = render(draft, rng)
        posted = now - timedelta(seconds=rng.random() * 60 * _DAY_S)
        yield Listing.model_validate(_fields(draft, i, seed, title, description, posted, now))


def _fields(
    d: Draft, i: int, seed: int, title: str, description: str, posted: datetime, now: datetime
) -> dict[str, Any]:
    per_m2 = round(d.price / d.area) if d.transaction is SALE else None
    return {
        "id": f"demo:{seed}-{i}",
        "source": "demo",
        "url": f"https://demo.ree.local/listing/{i}",
        "title": title,
        "description": description,
        "transaction": d.transaction,
        "property_type": d.ptype,
        "price_vnd": d.price,
        "price_per_m2_vnd": per_m2,
        "area_m2": d.area,
        "bedrooms": d.bedrooms,
        "bathrooms": d.bathrooms,
        "floors": d.floors,
        "frontage_m": d.dims[0] if d.dims else None,
        "road_width_m": d.road_width,
        "direction": d.direction,
        "balcony_direction": d.balcony_direction,
        "legal_status": d.legal,
        "furnishing": d.furnishing,
        "project": d.project.name if d.project else None,
        "address": formal_address(d),
        "street": d.street,
        "ward": d.ward,
        "district": d.district.name,
        "province": d.district.province,
        "features": d.features,
        "posted_at": posted,
        "crawled_at": now,
        "content_hash": content_hash(title, description),
    }


class _Sampler:
    """Cumulative weights for districts and, per district, for its property types."""

    def __init__(self) -> None:
        table = market_table()
        self.districts: list[District] = []
        weights: list[float] = []
        for province in table.provinces:
            total = sum(d.weight for d in province.districts)
            for d in province.districts:
                self.districts.append(d)
                weights.append(province.weight * d.weight / total)
        self.cum = _cumulative(weights)
        self.types: dict[tuple[str, Transaction], tuple[list[PropertyType], list[float]]] = {}
        for d in self.districts:
            for tx in (SALE, RENT):
                offered = [t for t in _TYPE_WEIGHTS[tx] if t in d.prices(tx)]
                cum = _cumulative([_TYPE_WEIGHTS[tx][t] for t in offered])
                self.types[(d.name, tx)] = (offered, cum)


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for weight in weights:
        total += weight
        out.append(total)
    return out


@lru_cache(maxsize=1)
def _sampler() -> _Sampler:
    return _Sampler()


def _draft(s: _Sampler, rng: random.Random) -> Draft:
    district = rng.choices(s.districts, cum_weights=s.cum)[0]
    tx = RENT if rng.random() < _RENT_SHARE else SALE
    types, cum = s.types[(district.name, tx)]
    ptype = rng.choices(types, cum_weights=cum)[0]
    area, dims = _shape(ptype, tx, rng)
    d = Draft(
        tx, ptype, district, "", None, None, area, dims, _price(district, ptype, tx, area, rng)
    )
    _place(d, rng)
    _rooms(d, rng)
    _status(d, rng)
    _features(d, rng)
    _road(d, rng)
    return d


def _shape(
    ptype: PropertyType, tx: Transaction, rng: random.Random
) -> tuple[float, tuple[float, float] | None]:
    if ptype in _FRONTAGES:
        frontage = pick(rng, _FRONTAGES[ptype])
        low, high = _DEPTHS[ptype]
        low = max(low, 30.0 / frontage)
        depth = round(rng.uniform(low, high) * 2) / 2
        return round(frontage * depth, 1), (frontage, depth)
    if ptype is P.APARTMENT:
        area = rng.triangular(35, 150, 68)
        return (round(area, 1) if rng.random() < 0.3 else float(round(area))), None
    if ptype is P.ROOM:
        return float(rng.randint(12, 35)), None
    if ptype is P.OFFICE:
        return float(
            round(rng.triangular(30, 300, 80) if tx is RENT else rng.uniform(40, 200))
        ), None
    return float(round(rng.triangular(200, 3000, 600), -1)), None


def _price(
    district: District, ptype: PropertyType, tx: Transaction, area: float, rng: random.Random
) -> int:
    low, high = district.prices(tx)[ptype]
    per_m2 = rng.triangular(low, high, low + (high - low) * 0.4)
    unit = 1e6 if tx is SALE else 1e3
    raw = area * per_m2 * unit * rng.uniform(0.96, 1.04)
    if ptype is P.ROOM:
        raw = min(max(raw, 1.5e6), 8e6)
    return round_price(raw, tx, rng)


def _place(d: Draft, rng: random.Random) -> None:
    district = d.district
    projects = district.projects
    wants_project = {P.APARTMENT: 0.7, P.VILLA: 0.3, P.SHOPHOUSE: 0.4}.get(d.ptype, 0.0)
    if projects and rng.random() < wants_project:
        candidates = projects
        if d.ptype is not P.APARTMENT:
            candidates = tuple(p for p in projects if p.name.startswith("Vinhomes")) or ()
        if candidates:
            d.project = pick(rng, candidates)
            d.ward, d.street = d.project.ward, d.project.street
            return
    d.ward = pick(rng, district.wards)
    if rng.random() < (0.5 if d.ptype is P.APARTMENT else 0.7):
        d.street = pick(rng, district.streets)


def _rooms(d: Draft, rng: random.Random) -> None:
    if d.ptype is P.APARTMENT:
        d.bedrooms = _apartment_bedrooms(d.area, rng)
        d.bathrooms = 1 if d.bedrooms == 1 else (3 if d.bedrooms >= 4 else 2)
        return
    if d.ptype not in (P.HOUSE, P.TOWNHOUSE, P.VILLA, P.SHOPHOUSE):
        return
    if d.ptype is P.VILLA:
        d.floors = rng.randint(2, 4)
        d.bedrooms = rng.randint(3, 6)
        d.bathrooms = d.bedrooms
        return
    if d.ptype is P.HOUSE:
        options = {"north": (3, 4, 4, 5, 5, 6), "south": (1, 2, 2, 3, 3, 4)}
        d.floors = pick(rng, options.get(d.region, (1, 2, 2, 3)))
    else:
        d.floors = rng.randint(3, 5) if d.ptype is P.SHOPHOUSE else rng.randint(2, 7)
    d.bathrooms = max(1, d.floors - rng.randint(0, 1))
    if d.ptype is P.SHOPHOUSE and rng.random() < 0.4:
        return
    d.bedrooms = max(1 if d.floors == 1 else 2, min(8, d.floors + rng.randint(-1, 1)))


def _apartment_bedrooms(area: float, rng: random.Random) -> int:
    if area < 45:
        return 1
    if area < 60:
        return 2 if rng.random() < 0.7 else 1
    if area < 85:
        return 3 if rng.random() < 0.25 else 2
    if area < 110:
        return 2 if rng.random() < 0.2 else 3
    return 4 if rng.random() < 0.35 else 3


def _status(d: Draft, rng: random.Random) -> None:
    ptype = d.ptype
    if ptype is P.APARTMENT:
        d.balcony_direction = pick(rng, _DIRECTIONS) if rng.random() < 0.55 else None
        d.direction = pick(rng, _DIRECTIONS) if rng.random() < 0.15 else None
    elif ptype not in (P.ROOM, P.WAREHOUSE, P.OFFICE) and rng.random() < 0.5:
        d.direction = pick(rng, _DIRECTIONS)
    if d.transaction is SALE:
        d.legal = _legal(ptype, d.region, rng)
    d.furnishing = _furnishing(ptype, d.transaction, rng)


def _legal(ptype: PropertyType, region: str, rng: random.Random) -> LegalStatus | None:
    roll = rng.random()
    if ptype is P.APARTMENT:
        if roll < 0.6:
            return LegalStatus.PINK_BOOK
        return (
            LegalStatus.SALE_CONTRACT
            if roll < 0.85
            else (LegalStatus.PENDING if roll < 0.95 else None)
        )
    if roll < 0.1:
        return None
    if roll < 0.13:
        return LegalStatus.OTHER
    if roll < 0.17:
        return LegalStatus.PENDING
    red_share = 0.7 if region == "north" else (0.5 if ptype is P.LAND else 0.15)
    return LegalStatus.RED_BOOK if rng.random() < red_share else LegalStatus.PINK_BOOK


_FURNISHING_ODDS: dict[tuple[Transaction, PropertyType], tuple[float, float, float]] = {
    (SALE, P.APARTMENT): (0.3, 0.4, 0.1),
    (RENT, P.APARTMENT): (0.6, 0.3, 0.05),
    (RENT, P.ROOM): (0.2, 0.5, 0.3),
    (RENT, P.HOUSE): (0.15, 0.35, 0.3),
    (RENT, P.OFFICE): (0.15, 0.25, 0.3),
}
_DWELLING_FURNISHING = (0.2, 0.3, 0.05)


def _furnishing(ptype: PropertyType, tx: Transaction, rng: random.Random) -> Furnishing | None:
    if ptype in (P.LAND, P.WAREHOUSE) or (ptype is P.OFFICE and tx is SALE):
        return None
    full, basic, bare = _FURNISHING_ODDS.get((tx, ptype), _DWELLING_FURNISHING)
    roll = rng.random()
    if roll < full:
        return Furnishing.FULL
    if roll < full + basic:
        return Furnishing.BASIC
    return Furnishing.NONE if roll < full + basic + bare else None


def _features(d: Draft, rng: random.Random) -> None:
    chosen: set[Feature] = set()
    for feature, odds in _FEATURE_ODDS[d.ptype]:
        if feature is Feature.CAR_ALLEY and Feature.STREET_FRONT in chosen:
            continue
        if rng.random() < odds:
            chosen.add(feature)
    if d.district.river and rng.random() < _RIVER_ODDS.get(d.ptype, 0.0):
        chosen.add(Feature.RIVER_VIEW)
    if d.district.metro and rng.random() < _METRO_ODDS.get(d.ptype, 0.0):
        chosen.add(Feature.NEAR_METRO)
    if d.balcony_direction or (d.ptype is P.APARTMENT and rng.random() < 0.15):
        chosen.add(Feature.BALCONY)
    if d.furnishing is Furnishing.FULL:
        chosen.add(Feature.FURNISHED)
    d.features = [f for f in _FEATURES if f in chosen]


def _road(d: Draft, rng: random.Random) -> None:
    if d.ptype not in _FRONTAGES:
        return
    if Feature.STREET_FRONT in d.features or d.ptype in (P.VILLA, P.SHOPHOUSE):
        d.road_width = pick(rng, (8.0, 10.0, 12.0, 13.0, 16.0, 20.0, 25.0, 30.0))
    elif Feature.CAR_ALLEY in d.features:
        d.road_width = pick(rng, (4.0, 5.0, 6.0, 7.0, 8.0))
    elif rng.random() < 0.6:
        d.road_width = pick(rng, (2.0, 2.5, 3.0, 3.5))


def write_demo(path: Path, n: int, seed: int = 7, now: datetime | None = None) -> int:
    """Write `n` demo listings to a JSONL file; returns how many were written."""
    return write_jsonl(generate(n, seed=seed, now=now), path)
