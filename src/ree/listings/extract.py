"""Every `Listing` field from a listing's title, description and address.

`AttributeExtractor().run(raw)` reads a `RawListing` (what a seller types, or a portal row)
with the `ree.vi` parsers and returns an `Extraction`: the `Listing` and, per field, where its
value came from (`portal`, `title`, `description`, `address`). A portal's own structured
fields win over text; the title wins over the description (it is what the seller chose to
say first). Listing text is data: it is read, never obeyed.

Which mention counts, when text names several: a price after "giá"/"chào" first, then the
first believable one (a sale between 50 triệu and 20.000 tỷ, at most 2 tỷ per m²); a price
per m² times the area when no total is written; rents per month for rentals only. Prices
next to "thu nhập", "cọc", "vay" (income, deposit, loan) are not the asking price.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ree.listings.areas import exact_for, pick_area
from ree.listings.classify import Classification, ListingClassifier
from ree.listings.portal import portal_price
from ree.models import (
    Direction,
    Feature,
    Furnishing,
    LegalStatus,
    Listing,
    PropertyType,
    Transaction,
)
from ree.vi import details
from ree.vi.gazetteer import Place, gazetteer
from ree.vi.numbers import find_areas, find_prices, parse_area
from ree.vi.text import fold, fold_aligned, normalize
from ree.vi.vocab import (
    find_features,
    find_legal_statuses,
    parse_direction,
    parse_furnishing,
    parse_legal_status,
    parse_property_type,
)

__all__ = ["AttributeExtractor", "Extraction", "RawListing"]

MAX_DESCRIPTION = 20_000
SALE_RANGE = (50_000_000, 20_000 * 1_000_000_000)
RENT_RANGE = (500_000, 10_000_000_000)
PER_M2_RANGE = (100_000, 2_000_000_000)
_FEATURE_ORDER = {f: i for i, f in enumerate(Feature)}


class RawListing(BaseModel):
    """A listing as written: free text, plus whatever structured fields a portal gives.

    Structured fields are optional and, when present, win over what the text says. Prices
    and areas may be written as text ("2,7 tỷ", "63,4 m²") or as numbers (VND, m²); enums
    as the portal writes them ("Đông - Bắc", "Sổ đỏ/ Sổ hồng") or as REE values.
    """

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=1000)
    description: str = Field(default="", max_length=50_000)
    address: str | None = Field(default=None, max_length=1000)
    source: str = Field(default="user", min_length=1, max_length=64)
    source_id: str | None = Field(default=None, max_length=128)
    url: str | None = Field(default=None, max_length=2000)
    price: str | int | None = Field(default=None, description="text or VND")
    area: str | float | None = Field(default=None, description="text or m²")
    bedrooms: int | None = Field(default=None, ge=0, le=100)
    bathrooms: int | None = Field(default=None, ge=0, le=100)
    floors: int | None = Field(default=None, ge=0, le=200)
    frontage_m: float | None = Field(default=None, ge=0, le=1000)
    road_width_m: float | None = Field(default=None, ge=0, le=1000)
    direction: str | None = Field(default=None, max_length=100)
    balcony_direction: str | None = Field(default=None, max_length=100)
    legal_status: str | None = Field(default=None, max_length=200)
    furnishing: str | None = Field(default=None, max_length=200)
    property_type: str | None = Field(default=None, max_length=100)
    transaction: Transaction | None = None
    project: str | None = Field(default=None, max_length=300)
    street: str | None = Field(default=None, max_length=300)
    ward: str | None = Field(default=None, max_length=300)
    district: str | None = Field(default=None, max_length=300)
    province: str | None = Field(default=None, max_length=300)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    posted_at: datetime | None = None


@dataclass(frozen=True)
class Extraction:
    """The extracted listing, where each value came from, and the classification."""

    listing: Listing
    found_in: dict[str, str]
    classification: Classification
    notes: list[str] = field(default_factory=list)


# ----- picking one mention ------------------------------------------------------------------

_PRICE_CUE = re.compile(
    r"(?:gia|chao|ban|gia ban|gia chao|gia chi|gia dau tu|chi|con|thue)\s*[:\-]?\s*$"
)
_NOT_ASKING = re.compile(
    r"(?<![a-z0-9])(?:thu\s*nhap|dong\s*tien|coc|dat\s*coc|vay|ho\s*tro|no|lai|(?<!\d\s)tang|giam|"
    r"giam\s*gia|re\s*hon(?:\s*thi\s*truong)?|chenh|thue\s*(?:lai|duoc)?|doanh\s*thu|loi\s*nhuan|tien\s*thue|"
    r"gia\s*thue|cat\s*lo|(?<!\d\s)lo|chiet\s*khau|ck|noi\s*that|qua\s*tang|qua|thanh\s*toan|tt|von|"
    r"tra\s*truoc|tai\s*chinh|tc|can\s*co|chi\s*can|dong|nop|ha\s*gia|gia\s*goc|mua\s*vao|"
    r"tri\s*gia|hoa\s*hong|hh|(?:phi\s*)?moi\s*gioi|phi\s*mg|mg|(?:thap|cao)\s*hon(?:\s*thi\s*truong)?|(?<!\d\s)(?<!\d)ha)"
    r"\s*[:\-]?\s*(?:soc|them|ngay|manh|sau|truoc|con|tu|khoang|tam|den|toi|len|duoc)?"
    r"\s*(?:khoang|tam|den|toi|len|duoc|chi|tu)?\s*$"
)
_BARE_T = re.compile(r"\d+\s*t")
_BARE_M = re.compile(r"[\d.,]+\s*m")  # "110m": metres, unless "giá" comes first
# "150 triệu vnđ/m²" (per m²); "90tr/thg", "2 tỷ/năm" (rent or income per month or year)
_PER_M2_AFTER = re.compile(r"\s*(?:vnd|dong|d)\s*/\s*(?:m2|m²|m)(?![a-z0-9])")
_PER_PERIOD_AFTER = re.compile(r"\s*(?:/|moi|mot|1)\s*(?:thg|nam|year)(?![a-z])")
_REDUCED_TO = re.compile(
    r"(?<![a-z])(?:giam|bot|ha|xuong|con)\s*(?:gia\s*)?(?:chi\s*)?con\s*(?:lai\s*)?[:\-]?\s*$"
)
_APPROXIMATE = re.compile(
    r"(?<![a-z])(?:hon|nhinh|tam|khoang|tren|gan|xap\s*xi|ngot)"
    r"\s*[:\-]?\s*$"
)
# A number right after these is an area or a width ("DIỆN TÍCH 182M"), never money.
_MEASURE_BEFORE = re.compile(
    r"(?<![a-z])(?:dien\s*tich|dt|dtsd|dtxd|ngang|(?<!uu\s)dai|rong|mat\s*tien|mt|duong|hem|ngo|x)\s*[:\-]?\s*$"
)


def _believable(vnd: int, area: float | None, tx: Transaction) -> bool:
    low, high = SALE_RANGE if tx is Transaction.SALE else RENT_RANGE
    if not low <= vnd <= high:
        return False
    if area and tx is Transaction.SALE:
        return PER_M2_RANGE[0] <= vnd / area <= PER_M2_RANGE[1]
    return True


@dataclass(frozen=True)
class _Picked:
    """The asking price a text gives: its amount, and whether it is cued ("giá 5 tỷ") or
    approximate ("hơn 20 tỷ", "tầm 3 tỷ"; not "giá từ 2 tỷ", the cheapest unit's price)."""

    vnd: int
    cued: bool
    approximate: bool


def _pick_price(
    text: str, area: float | None, tx: Transaction
) -> tuple[_Picked | None, int | None]:
    """(the asking price, price per m²) that one text states, or Nones."""
    found, per_m2 = _asking_prices(text, area, tx)
    return next((p for p in found if p.cued), found[0] if found else None), per_m2


def _asking_prices(
    text: str, area: float | None, tx: Transaction
) -> tuple[list[_Picked], int | None]:
    """Every price in one text that may be the asking price, and the first price per m²."""
    folded = fold_aligned(normalize(text))
    found: list[_Picked] = []
    per_m2: int | None = None
    for m in find_prices(text):
        before = folded[max(0, m.start - 20) : m.start]
        if m.value.per_m2 or _PER_M2_AFTER.match(folded, m.end):
            if per_m2 is None and PER_M2_RANGE[0] <= m.value.vnd <= PER_M2_RANGE[1]:
                per_m2 = m.value.vnd
            continue
        reduced = _REDUCED_TO.search(before) is not None  # "giảm còn 15,7 tỷ": the new price
        if not reduced and (_NOT_ASKING.search(before) or _MEASURE_BEFORE.search(before)):
            continue
        if m.value.per_month != (tx is Transaction.RENT) and m.value.per_month:
            continue
        if _PER_PERIOD_AFTER.match(folded, m.end):
            continue
        if not _believable(m.value.vnd, area, tx):
            continue
        cued = reduced or bool(_PRICE_CUE.search(before))
        if not cued and (
            _BARE_T.fullmatch(folded, m.start, m.end) or _BARE_M.fullmatch(folded, m.start, m.end)
        ):
            continue  # "51m2 5T": five storeys, "110m" metres; money only after "giá"
        found.append(_Picked(m.value.vnd, cued, _APPROXIMATE.search(before) is not None))
    return found, per_m2


def _refines(title: _Picked, desc: _Picked | None) -> bool:
    """Whether the description's cued, exact price states the title's rough one ("hơn 20 tỷ"
    in the title, "Giá bán: 20,7 tỷ" below)."""
    if desc is None or not desc.cued or desc.approximate or not title.approximate:
        return False
    return 0.7 * title.vnd <= desc.vnd <= 1.6 * title.vnd


# ----- project posts listing many units ------------------------------------------------------

_ITEM_BREAK = re.compile(r"\n|\||;|[.)]\s*[-+*•]\s*|\.\s+\d\.\s|\s[*•]\s")
_REPRESENTATIVE_BEDROOMS = 2  # the unit a portal's form describes in a catalogue post


def _items(text: str, beds: list[details.Detail[int]]) -> list[tuple[str, int | None]]:
    """(item, its first bedroom count) for each list item; an item naming several bedroom
    counts is split before each of them. `beds` are the counts found in `text`."""
    bounds = [0] + [m.end() for m in _ITEM_BREAK.finditer(text)] + [len(text)]
    out: list[tuple[str, int | None]] = []
    for a, b in itertools.pairwise(bounds):
        inside = [d for d in beds if a <= d.start < b]
        if len({d.value for d in inside}) < 2:
            out.append((text[a:b], inside[0].value if inside else None))
            continue
        cuts = [a] + [d.start for d in inside[1:]] + [b]
        firsts = [d.value for d in inside]
        spans = zip(itertools.pairwise(cuts), firsts, strict=True)
        out.extend((text[x:y], n) for (x, y), n in spans)
    return out


def _catalogue_unit(title: str, desc: str, tx: Transaction) -> dict[str, Any]:
    """The 2-bedroom unit of a post that lists several unit types ("1PN 45m² 2,4 tỷ, 2PN…").

    A portal's form for such a post describes one unit, most often the 2-bedroom one
    (the common flat); its area, price and bathrooms are read from the 2-bedroom list
    items. Empty when the text names fewer than two bedroom counts or no 2-bedroom item.
    """
    found = details.find_bedrooms(title) + details.find_bedrooms(desc)  # cached scans
    counts = {d.value for d in found}
    if len(counts) < 2 or _REPRESENTATIVE_BEDROOMS not in counts:
        return {}
    # title and description are normalised already: the cached scans' spans index them
    in_title = _unit_values(_items(title, details.find_bedrooms(title)), tx)
    in_desc = _unit_values(_items(desc, details.find_bedrooms(desc)), tx)
    seen = {k: in_title[k] + in_desc[k] for k in in_title}
    if not any(seen.values()):
        return {}
    lead = len({d.value for d in details.find_bedrooms(title)}) >= 2
    # One value: the unit's. Several ("2PN: 54m², 72m², 74m²"): the post does not say which
    # one the listing is, so the field stays empty rather than wrong (`blocked`) — unless the
    # title, listing the units itself, gives the 2-bedroom one a single value.
    unit: dict[str, Any] = {}
    blocked: set[str] = set()
    for k, v in seen.items():
        if lead and len(set(in_title[k])) == 1:
            unit[k] = in_title[k][0]
        elif len(set(v)) == 1:
            unit[k] = v[0]
        elif len(set(v)) > 1:
            blocked.add(k)
    unit["blocked"] = blocked
    unit["bedrooms"] = _REPRESENTATIVE_BEDROOMS
    unit["lead"] = lead
    return unit


def _unit_values(items: list[tuple[str, int | None]], tx: Transaction) -> dict[str, list[Any]]:
    """Area, price and bathroom counts written in the 2-bedroom items of a unit list."""
    seen: dict[str, list[Any]] = {"area_m2": [], "price_vnd": [], "bathrooms": []}
    for item, beds in items:
        if beds != _REPRESENTATIVE_BEDROOMS:
            continue
        areas = [a.m2 for a in find_areas(item) if 15 <= a.m2 <= 500]
        seen["area_m2"] += areas
        area = areas[0] if areas else None
        prices, _ = _asking_prices(item, area, tx)
        seen["price_vnd"] += [p.vnd for p in [p for p in prices if p.cued] or prices]
        seen["bathrooms"] += [d.value for d in details.find_bathrooms(item)]
    return seen


# A house has a handful of storeys; "tòa 45 tầng" next to it is the project's tower.
_MAX_FLOORS = {
    PropertyType.HOUSE: 12, PropertyType.TOWNHOUSE: 15, PropertyType.VILLA: 8,
    PropertyType.SHOPHOUSE: 10, PropertyType.LAND: 12,
}  # fmt: skip
_BOOKS = (LegalStatus.PINK_BOOK, LegalStatus.RED_BOOK)
# A book named as a payment stage ("5% sổ hồng") or a future ("dự kiến sẽ có sổ", "đến khi
# ra sổ") is not held; "100% sổ riêng" (every lot has its own) is.
_BOOK_NOT_HELD = re.compile(
    r"(?:(?<!\d)\d{1,2}(?:[.,]\d+)?\s*%|se|sap|du\s*kien|cho|truoc\s*khi|khi(?:\s+ra)?|nhan)\s*$"
)
# "Pháp lý: HĐMB, sổ hồng lâu dài": the status the post gives under its legal heading (a
# sentence or bullet opening on "pháp lý", not "tư vấn pháp lý"), within the same sentence,
# outranks books named elsewhere (a project's "sổ đỏ lâu dài" in its blurb).
_LEGAL_HEADING = re.compile(r"(?:^|[\n.!?;:•*+\-]\s*)phap\s+ly(?![a-z])[^.\n!?;]{0,40}$")


def _pick_legal(text: str) -> LegalStatus | None:
    """The listing's legal status: the first one given under a legal heading ("Pháp lý:
    HĐMB"), else "chờ sổ" unless books held are named more often, then a book held (the first
    named), then HĐMB, then other.

    A bare "hợp đồng" in a listing is a lease ("đang có hợp đồng thuê"), not a sale contract.
    A post listing several units ("căn A đã có sổ, căn B chờ sổ") takes its usual case.
    """
    hits = find_legal_statuses(text)
    if not hits:
        return None
    folded = fold_aligned(normalize(text))
    first: dict[LegalStatus, int] = {}
    count: Counter[LegalStatus] = Counter()
    headed: LegalStatus | None = None
    for start, _, phrase, status in hits:
        if status is LegalStatus.SALE_CONTRACT and phrase == "hop dong":
            continue
        if status in _BOOKS and _BOOK_NOT_HELD.search(folded[max(0, start - 12) : start]):
            continue
        if headed is None and _LEGAL_HEADING.search(folded[max(0, start - 60) : start]):
            headed = status
        first.setdefault(status, start)
        count[status] += 1
    if headed is not None:
        return headed
    books = [s for s in _BOOKS if s in first]
    held = sum(count[s] for s in books)
    if LegalStatus.PENDING in first and count[LegalStatus.PENDING] >= held:
        return LegalStatus.PENDING
    if books:
        return min(books, key=first.__getitem__)
    for status in (LegalStatus.SALE_CONTRACT, LegalStatus.OTHER):
        if status in first:
            return status
    return None


def _first(values: list[details.Detail[Any]]) -> Any:
    return values[0].value if values else None


# ----- the extractor --------------------------------------------------------------------------


class AttributeExtractor:
    """Read a `RawListing` into a `Listing`: `run(raw) -> Extraction`."""

    def __init__(self, classifier: ListingClassifier | None = None) -> None:
        self._classifier = classifier or ListingClassifier()

    def run(self, raw: RawListing) -> Extraction:
        """Extract every field; portal fields win, then the title, then the description."""
        title = normalize(raw.title)
        desc = _clean_text(raw.description[:MAX_DESCRIPTION])
        found: dict[str, str] = {}
        notes: list[str] = []
        price_text = raw.price if isinstance(raw.price, str) else None
        cls = self._classifier.run(title, desc, price_text)
        values: dict[str, Any] = {}
        self._type(raw, cls, values, found)
        unit = (
            _catalogue_unit(title, desc, values["transaction"])
            if values["property_type"] is PropertyType.APARTMENT
            else {}
        )
        self._size(raw, title, desc, values, found, unit)
        self._price(raw, title, desc, values, found, notes, unit)
        self._details(raw, title, desc, values, found, unit)
        self._place(raw, title, desc, values, found)
        features = set(find_features(title)) | set(find_features(desc))
        if values.get("furnishing") is Furnishing.FULL:
            features.add(Feature.FURNISHED)
        values["features"] = sorted(features, key=_FEATURE_ORDER.__getitem__)
        listing = Listing(
            id=f"{raw.source}:{raw.source_id or _digest(title, desc)}",
            source=raw.source,
            url=raw.url,
            title=title[:1000] or raw.title,
            description=desc,
            address=raw.address,
            lat=raw.lat,
            lon=raw.lon,
            posted_at=raw.posted_at,
            **values,
        )
        return Extraction(listing, found, cls, notes)

    def _type(
        self, raw: RawListing, cls: Classification, values: dict[str, Any], found: dict[str, str]
    ) -> None:
        ptype = _portal_type(raw.property_type)
        values["property_type"] = ptype or cls.property_type
        found["property_type"] = "portal" if ptype else "text"
        values["transaction"] = raw.transaction or cls.transaction
        found["transaction"] = "portal" if raw.transaction else "text"

    def _size(
        self,
        raw: RawListing,
        title: str,
        desc: str,
        values: dict[str, Any],
        found: dict[str, str],
        unit: dict[str, Any],
    ) -> None:
        area = raw.area if isinstance(raw.area, float | int) else parse_area(raw.area or "")
        _put(values, found, "area_m2", float(area) if area else None, "portal")
        _put_unit(values, found, unit, "area_m2", lead=True)
        if "area_m2" not in values:
            ptype = values.get("property_type")
            in_title = pick_area(title, ptype, title=True)
            _put(values, found, "area_m2", in_title.m2 if in_title else None, "title")
            _put_unit(values, found, unit, "area_m2", lead=False)
            if "area_m2" not in unit.get("blocked", ()):
                in_desc = pick_area(desc, ptype)
                if in_desc is not None and exact_for(in_title, in_desc):
                    values["area_m2"], found["area_m2"] = in_desc.m2, "description"
                _put(values, found, "area_m2", in_desc.m2 if in_desc else None, "description")

    def _price(
        self,
        raw: RawListing,
        title: str,
        desc: str,
        values: dict[str, Any],
        found: dict[str, str],
        notes: list[str],
        unit: dict[str, Any],
    ) -> None:
        tx: Transaction = values["transaction"]
        area: float | None = values.get("area_m2")
        total, per_m2 = portal_price(raw.price, area, notes, tx)
        _put(values, found, "price_vnd", total, "portal")
        _put_unit(values, found, unit, "price_vnd", lead=True)
        in_title: _Picked | None = None
        for text, where in ((title, "title"), (desc, "description")):
            if where == "description":
                _put_unit(values, found, unit, "price_vnd", lead=False)
                if "price_vnd" in unit.get("blocked", ()):
                    break
            if "price_vnd" in values and not (in_title and in_title.approximate):
                break
            if where == "title" and unit.get("lead") and "price_vnd" in unit["blocked"]:
                continue  # the title lists the units' prices, none of them the listing's
            got, ppm2 = _pick_price(text, area, tx)
            per_m2 = per_m2 or ppm2
            if where == "title":
                in_title = got
            elif in_title is not None and found.get("price_vnd") == "title":
                if _refines(in_title, got):
                    assert got is not None
                    values["price_vnd"], found["price_vnd"] = got.vnd, "description"
                break
            _put(values, found, "price_vnd", got.vnd if got else None, where)
        if "price_vnd" not in values and per_m2 and area and tx is Transaction.SALE:
            _put(values, found, "price_vnd", round(per_m2 * area), "per_m2_times_area")
        price = values.get("price_vnd")
        if tx is Transaction.SALE and price and area:
            values["price_per_m2_vnd"] = round(price / area)
        elif per_m2 and tx is Transaction.SALE:
            values["price_per_m2_vnd"] = per_m2

    def _details(
        self,
        raw: RawListing,
        title: str,
        desc: str,
        values: dict[str, Any],
        found: dict[str, str],
        unit: dict[str, Any],
    ) -> None:
        portal: dict[str, Any] = {
            "bedrooms": raw.bedrooms,
            "bathrooms": raw.bathrooms,
            "floors": raw.floors,
            "frontage_m": raw.frontage_m or None,
            "road_width_m": raw.road_width_m or None,
            "direction": parse_direction(raw.direction or "") or _enum(Direction, raw.direction),
            "balcony_direction": parse_direction(raw.balcony_direction or "")
            or _enum(Direction, raw.balcony_direction),
            "legal_status": parse_legal_status(raw.legal_status or ""),
            "furnishing": parse_furnishing(raw.furnishing or "")
            or _enum(Furnishing, raw.furnishing),
        }
        ptype: PropertyType = values["property_type"]
        max_floors = _MAX_FLOORS.get(ptype, 100)
        readers: dict[str, Any] = {
            "bedrooms": lambda t: _first(details.find_bedrooms(t)),
            "bathrooms": lambda t: _first(details.find_bathrooms(t)),
            "floors": lambda t: _first(
                [d for d in details.find_floors(t) if d.value <= max_floors]
            ),
            "frontage_m": lambda t: _first(details.find_frontages(t)),
            "road_width_m": lambda t: _first(details.find_road_widths(t)),
            "direction": lambda t: _first(details.find_house_directions(t)),
            "balcony_direction": lambda t: _first(details.find_balcony_directions(t)),
            "legal_status": _pick_legal,
            "furnishing": parse_furnishing,
        }
        for name, reader in readers.items():
            _put(values, found, name, portal[name], "portal")
            _put_unit(values, found, unit, name, lead=True)
            _put(values, found, name, None if name in values else reader(title), "title")
            _put_unit(values, found, unit, name, lead=False)
            if name not in unit.get("blocked", ()):
                _put(values, found, name, None if name in values else reader(desc), "description")
        built = bool(values.get("bedrooms") and values.get("bathrooms"))  # a house stands on it
        if values.get("property_type") is PropertyType.LAND and not built:
            for name in ("bedrooms", "bathrooms", "floors"):
                if found.get(name) != "portal":
                    values.pop(name, None)
                    found.pop(name, None)

    def _place(
        self, raw: RawListing, title: str, desc: str, values: dict[str, Any], found: dict[str, str]
    ) -> None:
        g = gazetteer()
        portal = Place(raw.province, raw.district, raw.ward, raw.project, raw.street)
        address = g.parse_address(raw.address) if raw.address else Place(None)
        text_place = _text_place(title, desc) if address.district is None else Place(None)
        for name in ("province", "district", "ward", "project", "street"):
            _put(values, found, name, getattr(portal, name), "portal")
            _put(values, found, name, getattr(address, name), "address")
            _put(values, found, name, getattr(text_place, name), "text")
        if raw.province:
            values["province"] = g.canonical_province(raw.province) or raw.province
        if raw.district:
            values["district"] = (
                g.canonical_district(raw.district, values.get("province")) or raw.district
            )


def _text_place(title: str, desc: str) -> Place:
    """The most specific place the title names, else the opening of the description."""
    g = gazetteer()
    for text in (title, desc[:600]):
        for place in g.find_places(text):
            if place.ward and not place.project and not _ward_vouched(place, fold(text)):
                continue
            if place.district or place.project:
                return place
    provinces = [p for p in g.find_places(title) if p.province]
    return provinces[0] if provinces else Place(None)


def _ward_vouched(place: Place, folded: str) -> bool:
    """A ward found in a listing's text counts when written as one ("phường Khương Thượng",
    "P. Thảo Điền") or beside its district; a bare two-word name alone in a description is
    as often a street, a person or a shop."""
    ward = re.escape(fold(place.ward or ""))
    if re.search(rf"(?<![a-z])(?:phuong|p|f|xa|thi\s*tran|tt)\s*\.?\s*{ward}(?![a-z])", folded):
        return True
    district = re.escape(fold(place.district or ""))  # "quan 1" is not inside "quan 10"
    return (
        bool(place.district)
        and re.search(rf"(?<![a-z0-9]){district}(?![a-z0-9])", folded) is not None
    )


def _put_unit(
    values: dict[str, Any], found: dict[str, str], unit: dict[str, Any], name: str, lead: bool
) -> None:
    """A catalogue unit's value: before the title's when the title itself lists the units."""
    if bool(unit.get("lead")) == lead:
        _put(values, found, name, unit.get(name), "catalogue")


def _put(values: dict[str, Any], found: dict[str, str], name: str, value: Any, where: str) -> None:
    if value is None or name in values:
        return
    values[name] = value
    found[name] = where


def _portal_type(value: str | None) -> PropertyType | None:
    if not value:
        return None
    try:
        return PropertyType(value)
    except ValueError:
        return parse_property_type(value)


def _enum(kind: type[Any], value: str | None) -> Any:
    if not value:
        return None
    try:
        return kind(value.strip().lower())
    except ValueError:
        return None


_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_UPPER = _LOWER.upper()
# Line breaks lost by the portal glue a line's end to the next one's start: "đẹpHướng: Tây",
# "387,4m2Hướng". A space goes back where a capitalised word starts right after two lowercase
# letters or digits ("iPhone" stays).
_GLUED = re.compile(rf"(?<=[{_LOWER}0-9²]{{2}})(?=[{_UPPER}][{_LOWER}])")


def _clean_text(text: str) -> str:
    """Each line normalised, glued lines split; line breaks kept (they end phrases)."""
    lines = (normalize(_GLUED.sub(" ", line)) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _digest(title: str, description: str) -> str:
    return "sha1-" + hashlib.sha1(f"{title}\n{description}".encode()).hexdigest()[:16]
