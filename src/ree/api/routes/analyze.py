"""`POST /v1/listings/analyze`: extracted attributes, type, completeness and a price estimate."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ree.api.deps import AssistantDep
from ree.listings.analyze import Analysis
from ree.listings.extract import RawListing
from ree.models import Language, Listing

router = APIRouter(prefix="/v1", tags=["listings"])


class AnalyzeRequest(RawListing):
    """A raw listing (title, description, optional portal fields) and the feedback language."""

    language: Language | None = None


class CompletenessOut(BaseModel):
    score: int
    missing: list[str]
    feedback: str


class ClassificationOut(BaseModel):
    property_type: str
    transaction: str
    type_confidence: float
    transaction_confidence: float
    flags: list[str]
    is_junk: bool


class PriceEstimateOut(BaseModel):
    price_vnd: int
    low_vnd: int
    high_vnd: int
    price_per_m2_vnd: int | None
    comparables: list[str]


class AnalyzeResponse(BaseModel):
    listing: Listing
    property_type: str
    transaction: str
    classification: ClassificationOut
    completeness: CompletenessOut
    price_estimate: PriceEstimateOut | None
    price_note: str
    found_in: dict[str, str] = Field(description="where each value came from")
    language: str


def response_of(analysis: Analysis) -> AnalyzeResponse:
    """The HTTP body of an analysis (also what `ree analyze` prints)."""
    c = analysis.classification
    estimate: dict[str, Any] | None = (
        analysis.price_estimate.model_dump() if analysis.price_estimate else None
    )
    return AnalyzeResponse(
        listing=analysis.listing,
        property_type=analysis.listing.property_type.value,
        transaction=analysis.listing.transaction.value,
        classification=ClassificationOut(
            property_type=c.property_type.value,
            transaction=c.transaction.value,
            type_confidence=c.type_confidence,
            transaction_confidence=c.transaction_confidence,
            flags=[f.value for f in c.flags],
            is_junk=c.is_junk,
        ),
        completeness=CompletenessOut(
            score=analysis.completeness.score,
            missing=analysis.completeness.missing,
            feedback=analysis.completeness.feedback,
        ),
        price_estimate=PriceEstimateOut(**estimate) if estimate else None,
        price_note=analysis.price_note,
        found_in=analysis.found_in,
        language=analysis.language,
    )


@router.post("/listings/analyze", response_model=AnalyzeResponse)
async def analyze(body: AnalyzeRequest, assistant: AssistantDep) -> AnalyzeResponse:
    """Analyse one listing against the index the assistant serves."""
    raw = RawListing.model_validate(body.model_dump(exclude={"language"}))
    result = await asyncio.to_thread(assistant.analyzer.run, raw, body.language)
    return response_of(result)
