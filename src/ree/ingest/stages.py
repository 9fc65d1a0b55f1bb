"""The analysis stages every ingested listing goes through before it is written.

    chunk      SemanticChunker: description repaired, split into passages (one per line)
    extract    AttributeExtractor: fields the portal left empty, read from the text
    classify   the extractor's ListingClassifier: junk and spam are rejected with the reason
    complete   CompletenessScorer: the 0-100 score
    price      PriceModel.predict_many: a fair price and its 80% range (skipped without a model)
    dedup      ListingDeduplicator: a repost merges into its canonical listing

Each stage is a class with one typed `run` over a batch. Portal fields always win: the
extractor only fills what a listing does not already carry. The deal and the property type
have defaults (`sale`, `other`), so they count as given only when the source set them
(`model_fields_set`; an `other` type is no answer): otherwise the classifier's are taken.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ree.listings.chunking import SemanticChunker
from ree.listings.classify import Classification
from ree.listings.completeness import CompletenessScorer
from ree.listings.extract import AttributeExtractor, Extraction, RawListing
from ree.listings.type_model import LearnedTypeExtractor
from ree.models import Listing, PriceEstimate, PropertyType

__all__ = [
    "Analyzed",
    "ChunkStage",
    "CompletenessStage",
    "ExtractStage",
    "PricePredictor",
    "PriceStage",
    "junk_reason",
]

_FILLED = (
    "price_vnd",
    "price_per_m2_vnd",
    "area_m2",
    "bedrooms",
    "bathrooms",
    "floors",
    "frontage_m",
    "road_width_m",
    "direction",
    "balcony_direction",
    "legal_status",
    "furnishing",
    "project",
    "street",
    "ward",
    "district",
    "province",
)
_MAX_ADDRESS = 1000


@dataclass(slots=True)
class Analyzed:
    """One listing on its way through the stages, with what the stages found."""

    listing: Listing
    classification: Classification | None = None
    notes: list[str] = field(default_factory=list)


class ChunkStage:
    """Repair and split each description into passages (kept one per line)."""

    def __init__(self, chunker: SemanticChunker | None = None) -> None:
        self.chunker = chunker or SemanticChunker()

    def run(self, items: list[Analyzed]) -> None:
        for item in items:
            text = item.listing.description
            if not text:
                continue
            repaired = self.chunker.run(text).text
            if repaired and repaired != text:
                item.listing = item.listing.model_copy(update={"description": repaired})


class ExtractStage:
    """Fill the fields a listing lacks from its text; classify it on the way."""

    def __init__(self, extractor: AttributeExtractor | None = None) -> None:
        self.extractor = extractor or AttributeExtractor()
        self._rules = (
            self.extractor.rules()
            if isinstance(self.extractor, LearnedTypeExtractor)
            else self.extractor
        )

    def run(self, items: list[Analyzed]) -> None:
        raws = [_raw(item.listing) for item in items]
        found = [self._rules.run(raw) for raw in raws]
        untyped = [i for i, item in enumerate(items) if _unknown_type(item.listing)]
        if isinstance(self.extractor, LearnedTypeExtractor) and untyped:
            # the model decides the type only where the source gave none, a batch at once
            for i, again in zip(
                untyped,
                self.extractor.refine([raws[i] for i in untyped], [found[i] for i in untyped]),
                strict=True,
            ):
                found[i] = again
        for item, extraction in zip(items, found, strict=True):
            item.listing, item.classification = _merge(item.listing, extraction, item.notes)


def _raw(listing: Listing) -> RawListing:
    """What the extractor reads of a listing: its text, and the values its source gave."""
    source_id = listing.id.split(":", 1)[1]
    given = listing.model_fields_set
    return RawListing(
        title=listing.title,
        description=listing.description,
        address=(listing.address or "")[:_MAX_ADDRESS] or None,
        source=listing.source,
        source_id=source_id[:128],
        price=listing.price_vnd,
        area=listing.area_m2,
        transaction=listing.transaction if "transaction" in given else None,
        posted_at=listing.posted_at,
    )


def _merge(listing: Listing, found: Extraction, notes: list[str]) -> tuple[Listing, Classification]:
    """Fill what the listing lacks from the extraction; the source's values win."""
    given = listing.model_fields_set
    notes.extend(found.notes)
    extracted = found.listing
    update: dict[str, Any] = {}
    for name in _FILLED:
        if getattr(listing, name) is None and getattr(extracted, name) is not None:
            update[name] = getattr(extracted, name)
    if "transaction" not in given and extracted.transaction != listing.transaction:
        update["transaction"] = extracted.transaction
    if _unknown_type(listing) and extracted.property_type is not PropertyType.OTHER:
        update["property_type"] = extracted.property_type
    features = list(dict.fromkeys([*listing.features, *extracted.features]))
    if features != listing.features:
        update["features"] = features
    return (listing.model_copy(update=update) if update else listing), found.classification


def _unknown_type(listing: Listing) -> bool:
    """The source gave no property type (or `other`, which is no answer)."""
    given = "property_type" in listing.model_fields_set
    return not given or listing.property_type is PropertyType.OTHER


def junk_reason(classification: Classification | None) -> str | None:
    """The junk flags of a classification as one reason ("garbled+no_property"), or None."""
    if classification is None or not classification.is_junk:
        return None
    return "+".join(sorted(flag.value for flag in classification.flags))


class CompletenessStage:
    """Set each listing's completeness score (0-100) for its type and deal."""

    def __init__(self, scorer: CompletenessScorer | None = None) -> None:
        self.scorer = scorer or CompletenessScorer()

    def run(self, items: list[Analyzed]) -> None:
        for item in items:
            score = self.scorer.run(item.listing).score
            if score != item.listing.completeness:
                item.listing = item.listing.model_copy(update={"completeness": score})


@runtime_checkable
class PricePredictor(Protocol):
    """What the price stage needs of `ree.listings.pricing.PriceModel`."""

    def predict_many(self, listings: Sequence[Listing]) -> Sequence[Any]: ...


class PriceStage:
    """Attach the price model's estimate (fair price, 80% range) where it can give one.

    `model` is the model itself, or a callable returning the current one (a serving
    process's `PriceModelFile.get`, which picks up a refitted file); no model, no estimate.
    """

    def __init__(self, model: PricePredictor | Callable[[], PricePredictor | None]) -> None:
        self.model = model

    def current(self) -> PricePredictor | None:
        """The model this batch is priced with (None: the stage does nothing)."""
        if isinstance(self.model, PricePredictor):
            return self.model
        return self.model()

    def run(self, items: list[Analyzed]) -> None:
        model = self.current()
        if model is None or not items:
            return
        estimates = model.predict_many([item.listing for item in items])
        for item, estimate in zip(items, estimates, strict=True):
            value = _estimate(estimate)
            if value is not None:
                item.listing = item.listing.model_copy(update={"price_estimate": value})


def _estimate(value: Any) -> PriceEstimate | None:
    if value is None or isinstance(value, PriceEstimate):
        return value
    return PriceEstimate(
        price_vnd=int(value.price_vnd),
        low_vnd=int(value.low_vnd),
        high_vnd=int(value.high_vnd),
        price_per_m2_vnd=getattr(value, "price_per_m2_vnd", None),
        comparables=list(getattr(value, "comparables", []) or []),
    )
