"""Numbers computed from the index, never generated: market statistics, comparables estimates."""

from __future__ import annotations

import statistics
from typing import Any, TypeVar

from ree.llm.numbers import round_money
from ree.models import Filters, Listing, PropertyType, Transaction

MIN_COMPARABLES = 5
T = TypeVar("T")


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def market_stats(listings: list[Listing]) -> dict[str, Any]:
    """Median price and price per m² of a segment, with quartiles, from priced listings."""
    prices = [float(x.price_vnd) for x in listings if x.price_vnd]
    ppm2 = [x.price_vnd / x.area_m2 for x in listings if x.price_vnd and x.area_m2]
    if not prices:
        return {"n": 0}
    out: dict[str, Any] = {
        "n": len(prices),
        "median_price": round_money(statistics.median(prices)),
    }
    if ppm2:
        out["median_ppm2"] = round_money(statistics.median(ppm2))
        out["p25_ppm2"] = round_money(_quantile(ppm2, 0.25))
        out["p75_ppm2"] = round_money(_quantile(ppm2, 0.75))
    return out


def comparables_filters(subject: Filters | Listing) -> Filters:
    """The segment a property is priced against: same place, type, deal, similar size."""
    if isinstance(subject, Listing):
        area = subject.area_m2
        return Filters(
            transaction=subject.transaction,
            property_types=[subject.property_type],
            province=subject.province,
            districts=[subject.district] if subject.district else None,
            area_min=area * 0.7 if area else None,
            area_max=area * 1.3 if area else None,
        )
    area = subject_area(subject)
    return Filters(
        transaction=subject.transaction,
        property_types=subject.property_types,
        province=subject.province,
        districts=subject.districts,
        area_min=area * 0.7 if area else None,
        area_max=area * 1.3 if area else None,
    )


def estimate(area_m2: float | None, comparables: list[Listing]) -> dict[str, Any]:
    """A fair price (median price per m² × area) with an 80% range (p10–p90), or n=0."""
    ppm2 = [x.price_vnd / x.area_m2 for x in comparables if x.price_vnd and x.area_m2]
    if len(ppm2) < MIN_COMPARABLES or not area_m2:
        return {"n": 0, "comparables_found": len(ppm2)}
    median = statistics.median(ppm2)
    return {
        "n": len(ppm2),
        "median_ppm2": round_money(median),
        "price": round_money(median * area_m2),
        "low": round_money(_quantile(ppm2, 0.1) * area_m2),
        "high": round_money(_quantile(ppm2, 0.9) * area_m2),
    }


NARROW_AREA = 1.5
"""An area range no wider than this ratio describes one property (its midpoint is the area)."""


def subject_area(filters: Filters) -> float | None:
    """The area of the property a query describes: an exact area, or the middle of a narrow
    range ("5x20" gives 90–110 m²)."""
    low, high = filters.area_min, filters.area_max
    if low is None or high is None or low <= 0:
        return None
    if low == high or high / low <= NARROW_AREA:
        return (low + high) / 2
    return None


def subject_of(filters: Filters) -> Listing | None:
    """The property a valuation question describes ("nhà 5x20 Gò Vấp sổ hồng"), as a
    `Listing` to price; None without one property type, a place and an area."""
    area = subject_area(filters)
    types = filters.property_types or []
    if area is None or len(types) != 1 or not (filters.province or filters.districts):
        return None
    rent_only = types[0] == PropertyType.ROOM
    transaction = filters.transaction or (Transaction.RENT if rent_only else Transaction.SALE)
    return Listing(
        id="query:subject",
        source="query",
        title="subject of a valuation question",
        transaction=transaction,
        property_type=types[0],
        area_m2=area,
        province=filters.province,
        district=_one(filters.districts),
        ward=_one(filters.wards),
        project=filters.project,
        bedrooms=filters.bedrooms_min if filters.bedrooms_min == filters.bedrooms_max else None,
        legal_status=_one(filters.legal),
        direction=_one(filters.directions),
        features=list(filters.features or []),
    )


def _one(values: list[T] | None) -> T | None:
    """The value of a one-value list filter, else None."""
    return values[0] if values and len(values) == 1 else None
