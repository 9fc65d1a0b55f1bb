"""The whole analysis of one listing: attributes, type, completeness, and a price estimate.

`ListingAnalyzer(search).run(raw, language)` composes `AttributeExtractor`,
`ListingClassifier` (inside the extractor), `CompletenessScorer` and, when a search backend
is given, a comparables estimate: the median price per m² of listings of the same type, deal
and district within ±30% of the area (`ree.rag.facts.comparables_filters` / `estimate`),
with the p10-p90 range as the 80% range. With fewer than `MIN_COMPARABLES` comparables, or
no area, there is no estimate and `price_note` says why: never a number it cannot justify.
"""

from __future__ import annotations

from dataclasses import dataclass

from ree.listings.classify import Classification
from ree.listings.completeness import Completeness, CompletenessScorer
from ree.listings.extract import AttributeExtractor, Extraction, RawListing
from ree.models import Language, Listing, PriceEstimate
from ree.rag.facts import MIN_COMPARABLES, comparables_filters, estimate
from ree.search.base import SearchBackend
from ree.vi.vocab import detect_language

__all__ = ["Analysis", "ListingAnalyzer"]

COMPARABLES_LIMIT = 60
SHOWN_COMPARABLES = 10


@dataclass(frozen=True)
class Analysis:
    """Everything the analysis found about one listing."""

    listing: Listing
    found_in: dict[str, str]
    classification: Classification
    completeness: Completeness
    price_estimate: PriceEstimate | None
    price_note: str
    language: Language


class ListingAnalyzer:
    """Analyse a raw listing: `run(raw, language=None) -> Analysis`."""

    def __init__(
        self,
        search: SearchBackend | None = None,
        extractor: AttributeExtractor | None = None,
        scorer: CompletenessScorer | None = None,
        comparables_limit: int = COMPARABLES_LIMIT,
    ) -> None:
        if comparables_limit < MIN_COMPARABLES:
            raise ValueError(f"comparables_limit must be >= {MIN_COMPARABLES}")
        self._search = search
        self._extractor = extractor or AttributeExtractor()
        self._scorer = scorer or CompletenessScorer()
        self._limit = comparables_limit

    def run(self, raw: RawListing, language: Language | None = None) -> Analysis:
        """Extract, classify, score and (with a search backend) price one listing."""
        lang: Language = language or detect_language(f"{raw.title}\n{raw.description[:500]}")
        extraction = self._extractor.run(raw)
        completeness = self._scorer.run(extraction, lang)
        price, note = self._estimate(extraction)
        listing = extraction.listing.model_copy(
            update={"completeness": completeness.score, "price_estimate": price}
        )
        return Analysis(
            listing, extraction.found_in, extraction.classification, completeness, price, note, lang
        )

    def _estimate(self, extraction: Extraction) -> tuple[PriceEstimate | None, str]:
        listing = extraction.listing
        if self._search is None:
            return None, "no index to compare with"
        if not listing.area_m2:
            return None, "no area: a price per m² cannot be applied"
        if not listing.district and not listing.province:
            return None, "no place: comparables need a district or province"
        filters = comparables_filters(listing)
        hits = self._search.search(None, filters, self._limit, 0).hits
        comparables = [h.listing for h in hits if h.listing.id != listing.id]
        found = estimate(listing.area_m2, comparables)
        if not found.get("n"):
            n = found.get("comparables_found", 0)
            return None, f"too few comparables ({n} < {MIN_COMPARABLES}) for a fair price"
        shown = [c.id for c in comparables if c.price_vnd and c.area_m2][:SHOWN_COMPARABLES]
        result = PriceEstimate(
            price_vnd=found["price"],
            low_vnd=found["low"],
            high_vnd=found["high"],
            price_per_m2_vnd=found["median_ppm2"],
            comparables=shown,
        )
        return result, f"median price per m² of {found['n']} comparables, 80% range p10-p90"
