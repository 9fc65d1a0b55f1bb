"""Request and response bodies of the HTTP contract (DESIGN.md, "HTTP API")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ree.models import Filters, Intent, Listing


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation_id: str | None = Field(default=None, max_length=64)
    message: str
    user_id: str | None = Field(default=None, max_length=128)
    stream: bool = False


class ListingCard(BaseModel):
    id: str
    title: str
    price_vnd: int | None
    area_m2: float | None
    bedrooms: int | None
    address: str | None
    district: str | None
    province: str | None
    url: str | None
    posted_at: datetime | None
    transaction: str
    property_type: str
    score: float
    why: str
    snippet: str | None = Field(
        default=None, description="the passage of the description most relevant to the query"
    )


class RouteOut(BaseModel):
    tier: str
    model: str
    reason: str
    fallbacks: list[str]


class Freshness(BaseModel):
    newest_crawl: datetime | None
    age_hours: float | None
    stale: bool


class ChatResponse(BaseModel):
    conversation_id: str
    intent: Intent
    filters: dict[str, Any]
    answer: str
    listings: list[ListingCard]
    route: RouteOut
    cached: bool
    timings_ms: dict[str, float]
    data_freshness: Freshness
    language: str


class UnderstandRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str
    conversation_id: str | None = Field(default=None, max_length=64)
    user_id: str | None = Field(default=None, max_length=128)


class UnderstandResponse(BaseModel):
    intent: Intent
    filters: dict[str, Any]
    language: str


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str | None = Field(default=None, max_length=2000)
    filters: Filters | None = None
    limit: int = Field(default=10, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=10_000)


class SearchResponse(BaseModel):
    listings: list[ListingCard]
    total: int
    filters: dict[str, Any]
    timings_ms: dict[str, float]


class ListingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    listings: list[Listing] = Field(min_length=1, max_length=1000)


class IngestItemOut(BaseModel):
    """One posted listing the ingest did not write as it came, and why."""

    id: str
    reason: str


class MergedOut(BaseModel):
    """A repost merged into the canonical listing of the same property (`into`)."""

    id: str
    into: str


class IngestOut(BaseModel):
    """What `POST /v1/listings` did with the posted listings (analysed as `ree ingest` does).

    `written` counts the listings stored (a canonical that absorbed a repost counts once);
    `merged` lists the reposts merged into another listing (`duplicates` of them); `junk`
    the listings rejected as junk or spam with the classifier's reason; `invalid` those the
    index refused; `priced` those that got a price estimate (none without a price model).
    """

    written: int
    received: int = 0
    duplicates: int = 0
    merged: list[MergedOut] = Field(default_factory=list)
    junk: list[IngestItemOut] = Field(default_factory=list)
    invalid: list[IngestItemOut] = Field(default_factory=list)
    priced: int = 0


class TurnOut(BaseModel):
    seq: int
    user_message: str
    answer: str
    intent: str
    created_at: datetime | None


class ConversationOut(BaseModel):
    id: str
    created_at: datetime
    updated_at: datetime
    turns: list[TurnOut]
    state: dict[str, Any]
