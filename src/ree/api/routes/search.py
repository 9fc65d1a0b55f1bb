"""`POST /v1/search`: hybrid search with filters, and the listing resource."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from ree.api.deps import AdminDep, AssistantDep
from ree.api.routes.cards import card
from ree.api.schemas import IngestOut, ListingsIn, SearchRequest, SearchResponse
from ree.errors import NotFound
from ree.listings.chunking import description_snippet
from ree.models import Filters, Listing

router = APIRouter(prefix="/v1", tags=["search"])


@router.post("/search", response_model=SearchResponse)
async def search(body: SearchRequest, assistant: AssistantDep) -> SearchResponse:
    filters = body.filters or Filters()
    query = (body.query or "").strip() or None
    result = await asyncio.to_thread(
        assistant.search.search, query, filters, body.limit, body.offset
    )
    return SearchResponse(
        listings=[
            card(h.listing, h.score).model_copy(
                update={"snippet": description_snippet(h.listing.description, query)}
            )
            for h in result.hits
        ],
        total=result.total,
        filters=filters.constrained(),
        timings_ms=result.timings_ms,
    )


@router.get("/listings/{listing_id}", response_model=Listing)
async def get_listing(listing_id: str, assistant: AssistantDep) -> Listing:
    listing = await asyncio.to_thread(assistant.search.get, listing_id)
    if listing is None:
        raise NotFound(f"listing {listing_id!r} not found")
    return listing


@router.post("/listings", response_model=IngestOut)
async def add_listings(body: ListingsIn, assistant: AssistantDep, _: AdminDep) -> IngestOut:
    written = await asyncio.to_thread(assistant.search.upsert, body.listings)
    assistant.index_changed()
    return IngestOut(written=written)


@router.delete("/listings/{listing_id}", status_code=204)
async def delete_listing(listing_id: str, assistant: AssistantDep, _: AdminDep) -> None:
    if not await asyncio.to_thread(assistant.search.delete, listing_id):
        raise NotFound(f"listing {listing_id!r} not found")
    assistant.index_changed()
