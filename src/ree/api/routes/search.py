"""`POST /v1/search`: hybrid search with filters, and the listing resource.

`POST /v1/listings` runs the posted listings through `ree ingest`'s analysis stages
(`ree.ingest.pipeline.ServingIngest`: extract, classify, completeness, price, dedup) before
they are written, and reports what became of each one that was not written as posted.
"""

from __future__ import annotations

import asyncio
import weakref

from fastapi import APIRouter

from ree.api.deps import AdminDep, AssistantDep
from ree.api.routes.cards import card
from ree.api.schemas import (
    IngestItemOut,
    IngestOut,
    ListingsIn,
    MergedOut,
    SearchRequest,
    SearchResponse,
)
from ree.chat.service import Assistant
from ree.errors import NotFound
from ree.ingest.pipeline import IngestReport, ServingIngest
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


_INGESTS: weakref.WeakKeyDictionary[Assistant, ServingIngest] = weakref.WeakKeyDictionary()


def _ingest_of(assistant: Assistant) -> ServingIngest:
    """The assistant's one ingest (its dedup state is shared by every request)."""
    found = _INGESTS.get(assistant)
    if found is None:
        data_dir = assistant.settings.data_dir
        found = ServingIngest(
            assistant.search, data_dir, assistant.price_model.get, assistant.type_model
        )
        _INGESTS[assistant] = found
    return found


@router.post("/listings", response_model=IngestOut)
async def add_listings(
    body: ListingsIn, assistant: AssistantDep, _: AdminDep, analyze: bool = True
) -> IngestOut:
    """Analyse and write listings; `analyze=false` writes them as posted (an export that
    was analysed already, fixtures), as `ree ingest --no-analyze` does."""
    if not analyze:
        written = await asyncio.to_thread(assistant.search.upsert, body.listings)
        assistant.index_changed()
        return IngestOut(written=written, received=len(body.listings))
    report = await asyncio.to_thread(_ingest_of(assistant).run, body.listings)
    if report.written or report.duplicates:
        assistant.index_changed()
    return ingest_out(report)


def ingest_out(report: IngestReport) -> IngestOut:
    """The response body of an ingest report."""
    return IngestOut(
        written=report.written,
        received=report.read,
        duplicates=report.duplicates,
        merged=[MergedOut(id=a, into=b) for a, b in report.merged],
        junk=[IngestItemOut(id=i, reason=r) for i, r in report.junk_listings],
        invalid=[IngestItemOut(id=i, reason=r) for i, r in report.rejected],
        priced=report.priced,
    )


@router.delete("/listings/{listing_id}", status_code=204)
async def delete_listing(listing_id: str, assistant: AssistantDep, _: AdminDep) -> None:
    if not await asyncio.to_thread(assistant.search.delete, listing_id):
        raise NotFound(f"listing {listing_id!r} not found")
    assistant.index_changed()
