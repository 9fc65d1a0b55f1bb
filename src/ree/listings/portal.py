"""A portal's price cell read once, for the loaders and the extractor alike.

    portal_price("3,5 tỷ", 60.0, notes)          -> (3_500_000_000, None)
    portal_price("85 triệu/m²", 60.0, notes)     -> (5_100_000_000, 85_000_000)
    portal_price("3600000 tỷ", 61.0, notes)      -> (3_600_000_000, None)   unit repaired
    portal_price(<a menu of price bands>, …)     -> (None, None) and a note

A cell holding something else than a price (a scraped menu, a multi-line blob) is ignored;
a per-m² price becomes a total when the area is known; an implausible total is repaired when
it is the right digits under the wrong unit, else dropped. Each repair or drop is counted in
`fixes` by kind ("price_not_a_price", "price_per_m2_to_total", "price_unit_repaired",
"implausible_price", "price_per_m2_without_area") when a counter is given.
"""

from __future__ import annotations

from collections import Counter

from ree.models import Transaction
from ree.vi.numbers import parse_price

__all__ = [
    "PER_M2_RANGE",
    "RENT_PRICE_RANGE",
    "SALE_PRICE_RANGE",
    "believable_total",
    "plausible_total",
    "portal_price",
]

SALE_PRICE_RANGE = (50_000_000, 20_000 * 1_000_000_000)
"""Believable sale totals in VND (50 triệu to 20.000 tỷ)."""
RENT_PRICE_RANGE = (500_000, 10 * 1_000_000_000)
"""Believable monthly rents in VND."""
PER_M2_RANGE = (100_000, 2_000_000_000)
"""Believable sale prices per m² in VND."""

NOT_A_PRICE_NOTE = "price field is not a price (a menu?): ignored"
_MAX_CELL = 60


def portal_price(
    value: str | int | None,
    area: float | None,
    notes: list[str] | None = None,
    transaction: Transaction = Transaction.SALE,
    fixes: Counter[str] | None = None,
) -> tuple[int | None, int | None]:
    """(total VND, VND per m²) from a portal price cell (text or VND); Nones when unusable.

    `notes` receives a sentence when the cell is not a price at all; `fixes` counts every
    repair or drop by kind.
    """
    counts: Counter[str] = fixes if fixes is not None else Counter()
    if value is None:
        return None, None
    if isinstance(value, int):
        if value <= 0:
            return None, None
        return plausible_total(value, area, transaction, counts), None
    raw = value.strip()
    if not raw:
        return None, None
    if "\n" in raw or len(raw) > _MAX_CELL:
        counts["price_not_a_price"] += 1
        if notes is not None:
            notes.append(NOT_A_PRICE_NOTE)
        return None, None
    parsed = parse_price(raw)
    if parsed is None:
        return None, None
    if parsed.per_m2:
        if area is None:
            counts["price_per_m2_without_area"] += 1
            return None, parsed.vnd
        counts["price_per_m2_to_total"] += 1
        total = plausible_total(round(parsed.vnd * area), area, transaction, counts)
        return total, parsed.vnd
    return plausible_total(parsed.vnd, area, transaction, counts), None


def plausible_total(
    vnd: int, area: float | None, transaction: Transaction, fixes: Counter[str] | None = None
) -> int | None:
    """`vnd` if it is a believable total for the transaction (and area), else None.

    A sale amount far too large is often the right digits under the wrong unit
    ("3600000 tỷ" for 3,6 tỷ; "7500 tỷ" for 7.500 triệu): it is scaled down by 10³, 10⁶
    or 10⁹, taking the first believable result (with a known area only, or below 1.000 tỷ),
    and counted as "price_unit_repaired".
    """
    counts: Counter[str] = fixes if fixes is not None else Counter()
    if believable_total(vnd, area, transaction):
        return vnd
    if transaction is Transaction.SALE and vnd > SALE_PRICE_RANGE[1] // 1000:
        for divisor in (1_000, 1_000_000, 1_000_000_000):
            candidate = vnd // divisor
            if believable_total(candidate, area, transaction) and (area or candidate < 10**12):
                counts["price_unit_repaired"] += 1
                return candidate
    counts["implausible_price"] += 1
    return None


def believable_total(vnd: int, area: float | None, transaction: Transaction) -> bool:
    """True when `vnd` is a plausible total (and, for a sale with an area, per m²)."""
    low, high = SALE_PRICE_RANGE if transaction is Transaction.SALE else RENT_PRICE_RANGE
    if not low <= vnd <= high:
        return False
    if area and transaction is Transaction.SALE:
        return PER_M2_RANGE[0] <= vnd / area <= PER_M2_RANGE[1]
    return True
