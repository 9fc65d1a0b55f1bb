"""The domain types every layer shares: one `Listing`, one `Filters`, one `Intent`.

These names are a contract (DESIGN.md, "Data model"): the HTTP API, the evaluation files and
every backend use them as they are spelled here.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Transaction(StrEnum):
    SALE = "sale"
    RENT = "rent"


class PropertyType(StrEnum):
    APARTMENT = "apartment"
    HOUSE = "house"
    TOWNHOUSE = "townhouse"
    VILLA = "villa"
    LAND = "land"
    SHOPHOUSE = "shophouse"
    ROOM = "room"
    OFFICE = "office"
    WAREHOUSE = "warehouse"
    OTHER = "other"


class Direction(StrEnum):
    NORTH = "north"
    NORTH_EAST = "north_east"
    EAST = "east"
    SOUTH_EAST = "south_east"
    SOUTH = "south"
    SOUTH_WEST = "south_west"
    WEST = "west"
    NORTH_WEST = "north_west"


class LegalStatus(StrEnum):
    PINK_BOOK = "pink_book"
    RED_BOOK = "red_book"
    SALE_CONTRACT = "sale_contract"
    PENDING = "pending"
    OTHER = "other"


class Furnishing(StrEnum):
    FULL = "full"
    BASIC = "basic"
    NONE = "none"


class Feature(StrEnum):
    """The feature tags a listing can carry and a query can ask for (LABELS.md)."""

    POOL = "pool"
    GYM = "gym"
    ELEVATOR = "elevator"
    PARKING = "parking"
    CAR_ALLEY = "car_alley"
    STREET_FRONT = "street_front"
    NEAR_SCHOOL = "near_school"
    NEAR_METRO = "near_metro"
    RIVER_VIEW = "river_view"
    GARDEN = "garden"
    BALCONY = "balcony"
    SECURITY = "security"
    FURNISHED = "furnished"


class Sort(StrEnum):
    RELEVANCE = "relevance"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"
    AREA_DESC = "area_desc"


class Intent(StrEnum):
    SEARCH = "search"
    REFINE = "refine"
    COMPARE = "compare"
    VALUATION = "valuation"
    MARKET = "market"
    LISTING_DETAIL = "listing_detail"
    POST_LISTING = "post_listing"
    SMALLTALK = "smalltalk"
    OUT_OF_SCOPE = "out_of_scope"


Language = Literal["vi", "en"]


class PriceEstimate(BaseModel):
    """A fair price with its 80% range, from the pricing model (issue 4 fills it)."""

    price_vnd: int
    low_vnd: int
    high_vnd: int
    price_per_m2_vnd: int | None = None
    comparables: list[str] = Field(default_factory=list)


class Listing(BaseModel):
    """One property offered for sale or rent, as stored in the index."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=3, max_length=200, description='"{source}:{source_id}"')
    source: str = Field(min_length=1, max_length=64)
    url: str | None = None
    title: str = Field(min_length=1, max_length=1000)
    description: str = Field(default="", max_length=50_000)
    transaction: Transaction = Transaction.SALE
    property_type: PropertyType = PropertyType.OTHER
    price_vnd: int | None = Field(default=None, ge=0)
    price_per_m2_vnd: int | None = Field(default=None, ge=0)
    area_m2: float | None = Field(default=None, gt=0)
    bedrooms: int | None = Field(default=None, ge=0, le=100)
    bathrooms: int | None = Field(default=None, ge=0, le=100)
    floors: int | None = Field(default=None, ge=0, le=200)
    frontage_m: float | None = Field(default=None, ge=0)
    road_width_m: float | None = Field(default=None, ge=0)
    direction: Direction | None = None
    balcony_direction: Direction | None = None
    legal_status: LegalStatus | None = None
    furnishing: Furnishing | None = None
    project: str | None = None
    address: str | None = None
    street: str | None = None
    ward: str | None = None
    district: str | None = None
    province: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    features: list[Feature] = Field(default_factory=list)
    posted_at: datetime | None = None
    crawled_at: datetime | None = None
    content_hash: str | None = None
    completeness: int | None = Field(default=None, ge=0, le=100)
    price_estimate: PriceEstimate | None = None
    sources: list[str] = Field(
        default_factory=list,
        description="ids of the reposts of this property merged into it (ingest dedup)",
    )

    @model_validator(mode="after")
    def _check_id(self) -> Listing:
        if not self.id.startswith(f"{self.source}:"):
            raise ValueError(f"id {self.id!r} must start with its source {self.source!r} + ':'")
        return self


class Filters(BaseModel):
    """Constraints a query sets; an absent field means unconstrained."""

    model_config = ConfigDict(extra="forbid")

    transaction: Transaction | None = None
    property_types: list[PropertyType] | None = None
    province: str | None = None
    districts: list[str] | None = None
    wards: list[str] | None = None
    streets: list[str] | None = None
    project: str | None = None
    price_min: int | None = Field(default=None, ge=0)
    price_max: int | None = Field(default=None, ge=0)
    area_min: float | None = Field(default=None, ge=0)
    area_max: float | None = Field(default=None, ge=0)
    bedrooms_min: int | None = Field(default=None, ge=0)
    bedrooms_max: int | None = Field(default=None, ge=0)
    bathrooms_min: int | None = Field(default=None, ge=0)
    directions: list[Direction] | None = None
    legal: list[LegalStatus] | None = None
    features: list[Feature] | None = None
    sort: Sort | None = None

    def constrained(self) -> dict[str, object]:
        """The set keys only, in contract order, as plain JSON values (lists never empty)."""
        out: dict[str, object] = {}
        for name, value in self.model_dump(mode="json").items():
            if value is None or value == []:
                continue
            out[name] = value
        return out

    def is_empty(self) -> bool:
        return not self.constrained()

    def matches(self, listing: Listing) -> bool:
        """True when `listing` honours every hard constraint (sort is not a constraint)."""
        return not self.violations(listing)

    def violations(self, listing: Listing) -> list[str]:
        """Names of the filter keys `listing` breaks; unknown listing values break bounds."""
        bad: list[str] = []
        if self.transaction and listing.transaction != self.transaction:
            bad.append("transaction")
        if self.property_types and listing.property_type not in self.property_types:
            bad.append("property_types")
        if self.province and listing.province != self.province:
            bad.append("province")
        if self.districts and not _in_districts(listing, self.districts):
            bad.append("districts")
        if self.wards and listing.ward not in self.wards:
            bad.append("wards")
        if self.streets and listing.street not in self.streets:
            bad.append("streets")
        if self.project and listing.project != self.project:
            bad.append("project")
        bad += _range_violations("price", listing.price_vnd, self.price_min, self.price_max)
        bad += _range_violations("area", listing.area_m2, self.area_min, self.area_max)
        bad += _range_violations("bedrooms", listing.bedrooms, self.bedrooms_min, self.bedrooms_max)
        bad += _range_violations("bathrooms", listing.bathrooms, self.bathrooms_min, None)
        if self.directions and listing.direction not in self.directions:
            bad.append("directions")
        if self.legal and listing.legal_status not in self.legal:
            bad.append("legal")
        if self.features and not set(self.features) <= set(listing.features):
            bad.append("features")
        return bad


def _in_districts(listing: Listing, districts: list[str]) -> bool:
    """A former district ("Quận 2") also covers its wards filed under the new unit."""
    from ree.vi.scope import district_scope  # the gazetteer builds on these types

    return district_scope(districts).covers(listing.district, listing.ward)


def _range_violations(
    name: str, value: float | None, low: float | None, high: float | None
) -> list[str]:
    if low is None and high is None:
        return []
    if value is None:
        return [f"{name}_min" if low is not None else f"{name}_max"]
    out = []
    if low is not None and value < low:
        out.append(f"{name}_min")
    if high is not None and value > high:
        out.append(f"{name}_max")
    return out


class ConversationState(BaseModel):
    """The structured state a conversation carries from turn to turn."""

    filters: Filters = Field(default_factory=Filters)
    shown_ids: list[str] = Field(default_factory=list)
    shown_prices: list[int | None] = Field(default_factory=list)
    shown_areas: list[float | None] = Field(default_factory=list)
    focus: list[int] = Field(
        default_factory=list, description="1-based positions of the listings last talked about"
    )
    language: Language = "vi"
    last_intent: Intent | None = None
    draft: dict[str, object] | None = None
    aside: bool = Field(
        default=False,
        description="the last turn was a market question asked aside while posting a listing",
    )
