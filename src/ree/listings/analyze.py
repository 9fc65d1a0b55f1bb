"""The whole analysis of one listing: attributes, type, completeness, and a price estimate.

`ListingAnalyzer(search, pricer=...).run(raw, language)` composes `AttributeExtractor`,
`ListingClassifier` (inside the extractor), `CompletenessScorer` and a `Pricer`
(`ree.listings.pricing`): the price model's estimate and 80% range with the nearest
comparables from the index, or, without a model, the median price per m² of the comparables
(same type, deal and district within ±30% of the area) with the p10-p90 range. Without an
area, a place, or enough data for the segment there is no estimate and `price_note` says
why: never a number it cannot justify.
"""

from __future__ import annotations

from dataclasses import dataclass

from ree.listings.classify import Classification
from ree.listings.completeness import Completeness, CompletenessScorer
from ree.listings.extract import AttributeExtractor, Extraction, RawListing
from ree.listings.pricing import Pricer
from ree.models import Language, Listing, PriceEstimate
from ree.rag.facts import MIN_COMPARABLES
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
        pricer: Pricer | None = None,
    ) -> None:
        if comparables_limit < MIN_COMPARABLES:
            raise ValueError(f"comparables_limit must be >= {MIN_COMPARABLES}")
        self._search = search
        self._extractor = extractor or AttributeExtractor()
        self._scorer = scorer or CompletenessScorer()
        self._pricer = pricer or Pricer(search, None, comparables_limit, SHOWN_COMPARABLES)

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
        if self._pricer.search is None and self._pricer.model is None:
            return None, "no index to compare with"
        valuation = self._pricer.run(extraction.listing)
        return valuation.estimate, valuation.note
