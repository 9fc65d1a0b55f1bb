"""Turning one source column into one `Listing` value.

Prices, areas, places, directions, legal status and furnishing are read by `ree.vi`; this
module only adds what a column format needs around them: empty markers ("na", "nan"),
counts ("3 phòng"), lengths ("4,5 m"), "lat,lon", portal type slugs, plausibility bounds,
and the report of every value that was fixed or dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from ree.listings.portal import PER_M2_RANGE, portal_price
from ree.models import PropertyType, Transaction
from ree.vi.text import fold, normalize

P = PropertyType
VIETNAM_TZ = timezone(timedelta(hours=7))
_EMPTY = {"", "na", "nan", "none", "null", "-", "n/a"}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_FILE_STAMP = re.compile(r"(?<!\d)(\d{8})(?:_(\d{6}))?(?!\d)")

# Portal category slugs, after the transaction prefix ("ban-", "cho-thue-"); longest wins.
_SLUG_TYPES: dict[str, PropertyType] = {
    "can-ho-chung-cu": P.APARTMENT,
    "can-ho-chung-cu-mini": P.APARTMENT,
    "condotel": P.APARTMENT,
    "nha-rieng": P.HOUSE,
    "nha-mat-pho": P.TOWNHOUSE,
    "nha-biet-thu-lien-ke": P.VILLA,
    "biet-thu": P.VILLA,
    "dat": P.LAND,
    "dat-nen-du-an": P.LAND,
    "shophouse": P.SHOPHOUSE,
    "shophouse-nha": P.SHOPHOUSE,
    "kho-nha-xuong": P.WAREHOUSE,
    "nha-xuong": P.WAREHOUSE,
    "van-phong": P.OFFICE,
    "nha-tro-phong-tro": P.ROOM,
    "phong-tro": P.ROOM,
    "trang-trai": P.OTHER,
    "trang-trai-khu-nghi": P.OTHER,
    "khu-nghi-duong": P.OTHER,
    "loai-bat-dong-san-khac": P.OTHER,
    "bat-dong-san-khac": P.OTHER,
    "cua-hang-ki-ot": P.OTHER,
}
_SLUG_PREFIXES = (("cho-thue-", Transaction.RENT), ("ban-", Transaction.SALE))


@dataclass
class Fixes:
    """Counts of values a loader repaired or dropped, by kind ("swapped_price"...)."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str) -> None:
        """Count one fix of `kind`."""
        self.counts[kind] += 1


def clean(value: str | None) -> str | None:
    """The stripped cell, or None for an empty marker ("", "na", "nan", "-")."""
    if value is None:
        return None
    text = value.strip()
    return None if text.lower() in _EMPTY else text


def clean_text(value: str | None) -> str:
    """Normalised text that keeps its line breaks (each line via `ree.vi.text.normalize`)."""
    text = clean(value) or ""
    lines = (normalize(line) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def count(value: str | None) -> int | None:
    """A room or floor count: "3 phòng" -> 3, "3.0" -> 3, "5 tầng" -> 5."""
    text = clean(value)
    if text is None:
        return None
    m = _NUMBER.search(text)
    if m is None:
        return None
    number = float(m.group(0).replace(",", "."))
    if number != int(number) or not 0 <= number <= 100:
        return None
    return int(number)


def meters(value: str | None) -> float | None:
    """A width in metres: "4,5 m" -> 4.5, "12 m" -> 12.0; None when absent or absurd."""
    text = clean(value)
    if text is None:
        return None
    m = _NUMBER.search(text)
    if m is None:
        return None
    number = float(m.group(0).replace(",", "."))
    return number if 0 < number <= 500 else None


def plain_number(value: str | None) -> float | None:
    """A plain decimal column ("61.0", "3.0"); None for "na" and garbage."""
    text = clean(value)
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number == number and number > 0 else None  # NaN check


def coordinates(value: str | None) -> tuple[float | None, float | None]:
    """ "10.84,106.84" -> (10.84, 106.84); anything outside Vietnam's box -> (None, None)."""
    text = clean(value)
    if text is None or "," not in text:
        return None, None
    lat_text, _, lon_text = text.partition(",")
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        return None, None
    if not (8.0 <= lat <= 24.0 and 102.0 <= lon <= 110.0):
        return None, None
    return lat, lon


def slug_type(slug: str | None) -> tuple[PropertyType | None, Transaction | None]:
    """A portal category slug ("ban-can-ho-chung-cu", "cho-thue-van-phong") -> type, transaction."""
    text = (clean(slug) or "").lower().strip("/")
    transaction = None
    for prefix, tx in _SLUG_PREFIXES:
        if text.startswith(prefix):
            text, transaction = text[len(prefix) :], tx
            break
    best: PropertyType | None = None
    best_len = 0
    for stem, ptype in _SLUG_TYPES.items():
        if (text == stem or text.startswith(stem + "-")) and len(stem) > best_len:
            best, best_len = ptype, len(stem)
    return best, transaction


def deslug(slug: str | None) -> str:
    """ "-tho-cu-chinh-chu-gia-895tr" -> "Tho cu chinh chu gia 895tr" (diacritics are lost)."""
    words = [w for w in (clean(slug) or "").replace("_", "-").split("-") if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


_RENT_OPENING = re.compile(r"^[^a-z0-9]*(?:chinh chu |can |nha |mat bang )?cho thue\b")


def says_rent(title: str) -> bool:
    """True when a title opens by offering the property for rent ("Cho thuê nhà…").

    "Bán nhà đang cho thuê 7tr/tháng" is a sale: the rent there is income, not the offer.
    """
    return _RENT_OPENING.match(fold(title)) is not None


def total_price(
    text: str | None, area: float | None, transaction: Transaction, fixes: Fixes
) -> tuple[int | None, int | None]:
    """(total VND, VND per m²) from a price cell: `ree.listings.portal.portal_price`.

    Implausible amounts (a menu scraped into the cell, "476 nghìn" for a house) are dropped
    and counted in `fixes`.
    """
    return portal_price(clean(text), area, None, transaction, fixes.counts)


def per_m2(price: int | None, area: float | None, given: int | None) -> int | None:
    """The price per m² of a sale: the given one when plausible, else price / area."""
    if given is not None and PER_M2_RANGE[0] <= given <= PER_M2_RANGE[1]:
        return given
    if price and area:
        return round(price / area)
    return None


def file_time(name: str) -> datetime | None:
    """The crawl time a file name carries: "…_20250504_152601.csv", "…_19062024.csv" (UTC)."""
    m = _FILE_STAMP.search(name)
    if m is None:
        return None
    day, clock = m.group(1), m.group(2) or "000000"
    for layout in ("%Y%m%d", "%d%m%Y"):
        try:
            local = datetime.strptime(day + clock, layout + "%H%M%S")
        except ValueError:
            continue
        if 2000 <= local.year <= 2100:
            return local.replace(tzinfo=VIETNAM_TZ).astimezone(UTC)
    return None


def day_month_year(value: str | None) -> datetime | None:
    """ "18/10/2023" -> that day at 00:00 Vietnam time, in UTC."""
    text = clean(value)
    if text is None:
        return None
    try:
        local = datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        return None
    return local.replace(tzinfo=VIETNAM_TZ).astimezone(UTC)
