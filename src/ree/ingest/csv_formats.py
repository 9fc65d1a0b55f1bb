"""The portal CSV formats REE reads, recognised by their header.

    batdongsanvn   batdongsan.vn "bán nhà" (listing_id, price_realigned, area_m2, wc…)
    bdscomvn       batdongsan.com.vn sale listings (product_id, property_type_slug,
                   coordinates, house_direction…)
    bdscomvn-hcm   batdongsan.com.vn HCM, structured only (productId, title_slug,
                   district_slug, date_post…)

Each format turns one row into the keyword arguments of a `Listing`; validation happens
in the loader. Known quality problems are repaired here and counted in `Fixes`: swapped
price / price-per-m² cells, per-m² prices in the price cell, menus scraped into the price
cell, rental titles in a sale file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ree.ingest import fields as f
from ree.ingest.fingerprint import content_hash
from ree.models import Feature, Furnishing, PropertyType, Transaction
from ree.vi.gazetteer import Place, gazetteer
from ree.vi.numbers import parse_area, parse_price
from ree.vi.vocab import (
    find_features,
    parse_direction,
    parse_furnishing,
    parse_legal_status,
    parse_property_type,
)

Row = dict[str, str]
_FEATURE_ORDER = {feature: i for i, feature in enumerate(Feature)}


@dataclass(frozen=True)
class RowContext:
    """What a row conversion may know besides the row: file crawl time and the fix counter.

    `text_features=False` leaves the features named in the text to a later extraction
    (the ingest pipeline's extract stage reads them anyway: no need to scan twice).
    """

    crawled_at: datetime | None
    fixes: f.Fixes
    text_features: bool = True


@dataclass(frozen=True)
class CsvFormat:
    """A CSV layout: its name, the columns that identify it, and its row conversion."""

    name: str
    columns: frozenset[str]
    convert: Callable[[Row, RowContext], dict[str, Any]]


def detect(header: Iterable[str]) -> CsvFormat | None:
    """The format whose identifying columns the header has, or None."""
    names = {h.strip() for h in header}
    for fmt in FORMATS:
        if fmt.columns <= names:
            return fmt
    return None


def _features(ctx: RowContext, text: str, *extra: Feature | None) -> list[Feature]:
    found = set(find_features(text)) if ctx.text_features else set()
    found |= {e for e in extra if e is not None}
    return sorted(found, key=_FEATURE_ORDER.__getitem__)


def _place(address: str | None, fallback: str | None = None) -> tuple[Place, bool]:
    """The place of an address; when it names no district, the first one `fallback` names.

    Returns the place and whether the fallback supplied it.
    """
    g = gazetteer()
    place = g.parse_address(address) if address else Place(None)
    if place.district is None and fallback:
        for found in g.find_places(fallback):
            if found.district and place.province in (None, found.province):
                return found, True
    return place, False


def _place_fields(place: Place) -> dict[str, Any]:
    return {
        "province": place.province,
        "district": place.district,
        "ward": place.ward,
        "street": place.street,
        "project": place.project,
    }


def _common(
    source: str, source_id: str | None, url: str | None, title: str, text: str, fixes: f.Fixes
) -> dict[str, Any]:
    """Identity fields; a row without its portal id gets a stable id from its content."""
    digest = content_hash(title, text)
    source_id = f.clean(source_id)
    if source_id is None:
        if not title:
            raise ValueError(f"id: the row has neither a {source} id nor a title")
        source_id = f"sha1-{digest[:16]}"
        fixes.add("id_from_content")
    return {
        "id": f"{source}:{source_id}",
        "source": source,
        "url": f.clean(url),
        "title": title,
        "description": text,
        "content_hash": digest,
    }


def _furnished(furnishing: Furnishing | None) -> Feature | None:
    return Feature.FURNISHED if furnishing is Furnishing.FULL else None


def _front(slug: str | None) -> Feature | None:
    """A "nhà mặt phố" category says street front (LABELS: townhouse + street_front)."""
    return Feature.STREET_FRONT if slug and "nha-mat-pho" in slug else None


# ----- batdongsan.vn 2024 -----------------------------------------------------------------


def convert_batdongsanvn(row: Row, ctx: RowContext) -> dict[str, Any]:
    """A batdongsan.vn row: houses for sale unless the title says another type or rent."""
    title = f.clean_text(row.get("title"))
    text = f.clean_text(row.get("description"))
    ptype = parse_property_type(title) or PropertyType.HOUSE
    tx = Transaction.SALE
    price_cell = parse_price(f.clean(row.get("price")) or "")
    if f.says_rent(title) or (price_cell is not None and price_cell.per_month):
        tx = Transaction.RENT
        ctx.fixes.add("rent_in_sale_file")
    area = f.plain_number(row.get("area_m2"))
    price, given = f.total_price(row.get("price"), area, tx, ctx.fixes)
    address = f.clean(row.get("address"))
    usable = address if address and len(address) >= 4 and not address.isdigit() else None
    place, from_title = _place(usable, title)
    if from_title:
        ctx.fixes.add("place_from_title")
    out = _common("batdongsanvn", row.get("listing_id"), row.get("url"), title, text, ctx.fixes)
    out.update(_place_fields(place))
    out.update(
        transaction=tx,
        property_type=ptype,
        price_vnd=price,
        price_per_m2_vnd=f.per_m2(price, area, given) if tx is Transaction.SALE else None,
        area_m2=area,
        bedrooms=_int(f.plain_number(row.get("bedrooms"))),
        bathrooms=_int(f.plain_number(row.get("wc"))),
        address=usable,
        features=_features(ctx, title + "\n" + text),
        crawled_at=ctx.crawled_at or f.file_time(row.get("source_file") or ""),
    )
    return out


def _int(value: float | None) -> int | None:
    if value is None or value != int(value) or value > 100:
        return None
    return int(value)


# ----- batdongsan.com.vn 2025 -------------------------------------------------------------


def _swap_if_needed(row: Row, fixes: f.Fixes) -> tuple[str | None, str | None]:
    """(price cell, per-m² cell), swapped back when the price cell holds the per-m² price.

    About 10% of rows carry "170 triệu/m²" in `price` and the total ("~67,5 tỷ") in
    `price_per_m2`.
    """
    price = f.clean(row.get("price"))
    per_m2 = (f.clean(row.get("price_per_m2")) or "").lstrip("~").strip() or None
    left = parse_price(price or "")
    right = parse_price(per_m2 or "")
    if left and left.per_m2 and right and not right.per_m2:
        fixes.add("swapped_price")
        return per_m2, price
    return price, per_m2


def convert_bdscomvn(row: Row, ctx: RowContext) -> dict[str, Any]:
    """A batdongsan.com.vn 2025 row with full structured columns."""
    title = f.clean_text(row.get("title"))
    text = f.clean_text(row.get("description"))
    slug = f.clean(row.get("property_type_slug"))
    ptype, tx = f.slug_type(slug or _url_slug(row.get("url")))
    ptype = ptype or parse_property_type(title) or PropertyType.OTHER
    if ptype is PropertyType.VILLA and slug == "ban-nha-biet-thu-lien-ke":
        named = parse_property_type(title)
        ptype = PropertyType.TOWNHOUSE if named is PropertyType.TOWNHOUSE else ptype
    tx = tx or Transaction.SALE
    area = parse_area(f.clean(row.get("area")) or "")
    price_text, per_m2_text = _swap_if_needed(row, ctx.fixes)
    price, given = f.total_price(price_text, area, tx, ctx.fixes)
    per_m2_value = parse_price(per_m2_text or "")
    if per_m2_value is not None and per_m2_value.per_m2:
        given = per_m2_value.vnd
    address = f.clean(row.get("address"))
    place, _ = _place(address, f.clean(row.get("list_location")))
    lat, lon = f.coordinates(row.get("coordinates"))
    furnishing = parse_furnishing(f.clean(row.get("interior")) or "")
    out = _common("bdscomvn", row.get("product_id"), row.get("url"), title, text, ctx.fixes)
    out.update(_place_fields(place))
    out.update(
        transaction=tx,
        property_type=ptype,
        price_vnd=price,
        price_per_m2_vnd=f.per_m2(price, area, given) if tx is Transaction.SALE else None,
        area_m2=area,
        bedrooms=f.count(row.get("bedroom")),
        bathrooms=f.count(row.get("bathroom")),
        floors=f.count(row.get("floor_count")),
        frontage_m=f.meters(row.get("facade_width")),
        road_width_m=f.meters(row.get("road_width")),
        direction=parse_direction(f.clean(row.get("house_direction")) or ""),
        balcony_direction=parse_direction(f.clean(row.get("balcony_direction")) or ""),
        legal_status=parse_legal_status(f.clean(row.get("legal_status")) or ""),
        furnishing=furnishing,
        address=address,
        lat=lat,
        lon=lon,
        features=_features(ctx, title + "\n" + text, _furnished(furnishing), _front(slug)),
        crawled_at=ctx.crawled_at or f.file_time(row.get("source_file") or ""),
    )
    return out


def _url_slug(url: str | None) -> str | None:
    """The category slug at the start of a listing URL's first path segment."""
    path = (f.clean(url) or "").split("://", 1)[-1].partition("/")[2]
    return path.split("/", 1)[0] or None


# ----- batdongsan.com.vn HCM 2023 ---------------------------------------------------------


def convert_bdscomvn_hcm(row: Row, ctx: RowContext) -> dict[str, Any]:
    """A batdongsan.com.vn HCM 2023 row: structured columns, title from the URL slug."""
    slug = f.clean(row.get("property_type_slug"))
    ptype, tx = f.slug_type(slug)
    intent = (f.clean(row.get("intent")) or "").lower()
    tx = Transaction.RENT if intent in ("rent", "cho thuê") else (tx or Transaction.SALE)
    g = gazetteer()
    province = g.canonical_province(f.clean(row.get("cityCode")) or "") or "Hồ Chí Minh"
    district_slug = (f.clean(row.get("district_slug")) or "").replace("-", " ")
    district = g.canonical_district(district_slug, province) if district_slug else None
    title = f.deslug(row.get("title_slug"))
    ptype = ptype or parse_property_type(title) or PropertyType.OTHER
    if not title:
        title = " ".join(x for x in ("Bán", ptype.value, district) if x)
    area = parse_area(f.clean(row.get("area")) or "")
    price, given = f.total_price(row.get("price"), area, tx, ctx.fixes)
    furnishing = parse_furnishing(f.clean(row.get("furniture")) or "")
    out = _common("bdscomvn", row.get("productId"), row.get("url"), title, "", ctx.fixes)
    out.update(
        transaction=tx,
        property_type=ptype,
        price_vnd=price,
        price_per_m2_vnd=f.per_m2(price, area, given) if tx is Transaction.SALE else None,
        area_m2=area,
        bedrooms=f.count(row.get("bedroom")),
        bathrooms=f.count(row.get("toilet")),
        floors=f.count(row.get("floors")),
        frontage_m=f.meters(row.get("facade")),
        road_width_m=f.meters(row.get("entrance_wid")),
        direction=parse_direction(f.clean(row.get("direction_home")) or ""),
        balcony_direction=parse_direction(f.clean(row.get("direction_bal")) or ""),
        legal_status=parse_legal_status(f.clean(row.get("status_doc")) or ""),
        furnishing=furnishing,
        district=district,
        province=province,
        address=", ".join(x for x in (district, province) if x),
        features=_features(ctx, title, _furnished(furnishing), _front(slug)),
        posted_at=f.day_month_year(row.get("date_post")),
        crawled_at=ctx.crawled_at,
    )
    return out


FORMATS: tuple[CsvFormat, ...] = (
    CsvFormat(
        "batdongsanvn",
        frozenset({"listing_id", "url", "title", "price", "area_m2", "description"}),
        convert_batdongsanvn,
    ),
    CsvFormat(
        "bdscomvn",
        frozenset({"product_id", "property_type_slug", "title", "price", "area", "address"}),
        convert_bdscomvn,
    ),
    CsvFormat(
        "bdscomvn-hcm",
        frozenset({"productId", "property_type_slug", "title_slug", "price", "area"}),
        convert_bdscomvn_hcm,
    ),
)
"""Every CSV layout the loader reads, tried in order."""
