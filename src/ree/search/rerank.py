"""Rerank retrieved candidates by fit: relevance, soft preferences, freshness, completeness.

Hard constraints are already enforced by the retrievers; this stage orders what is left,
suppresses duplicates (the same property reposted) and explains each pick in `why`.
Weights are configurable and evaluated offline (issue 4 deepens this stage).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ree.models import Filters, Language, Listing, Sort
from ree.search.base import Hit
from ree.vi.display import label, place_name
from ree.vi.numbers import format_price_en, format_price_vi
from ree.vi.text import fold


@dataclass(frozen=True, slots=True)
class RerankWeights:
    relevance: float = 1.0
    freshness: float = 0.15
    completeness: float = 0.1
    freshness_half_life_days: float = 14.0


@dataclass(slots=True)
class Ranked:
    """A listing chosen for display, with its final score and the reasons it fits."""

    listing: Listing
    score: float
    why: list[str] = field(default_factory=list)


def _freshness(listing: Listing, now: datetime, half_life_days: float) -> float:
    when = listing.posted_at or listing.crawled_at
    if when is None:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    age_days = max(0.0, (now - when).total_seconds() / 86400)
    return math.exp(-math.log(2) * age_days / half_life_days)


def _completeness(listing: Listing) -> float:
    if listing.completeness is not None:
        return listing.completeness / 100
    keys = (
        listing.price_vnd,
        listing.area_m2,
        listing.district,
        listing.legal_status,
        listing.direction,
        listing.bedrooms,
        listing.description,
    )
    return sum(1 for k in keys if k) / len(keys)


def _dedup_key(listing: Listing) -> str:
    if listing.content_hash:
        return listing.content_hash
    return f"{fold(listing.title)}|{listing.price_vnd}|{listing.area_m2}"


def explain(listing: Listing, filters: Filters, lang: Language) -> list[str]:
    """The constraints a listing satisfies, phrased for the card's `why` line."""
    fmt = format_price_vi if lang == "vi" else format_price_en
    why: list[str] = []
    if filters.districts and listing.district:
        why.append(place_name(listing.district, lang))
    elif filters.province and listing.province:
        why.append(place_name(listing.province, lang))
    if filters.bedrooms_min is not None and listing.bedrooms is not None:
        why.append(f"{listing.bedrooms} PN" if lang == "vi" else f"{listing.bedrooms} BR")
    if listing.price_vnd is not None and filters.price_max is not None:
        word = "≤"
        why.append(f"{fmt(listing.price_vnd)} {word} {fmt(filters.price_max)}")
    elif listing.price_vnd is not None and filters.price_min is not None:
        why.append(f"{fmt(listing.price_vnd)} ≥ {fmt(filters.price_min)}")
    for feature in filters.features or []:
        why.append(label("feature", feature, lang))
    for legal in (filters.legal or [])[:1]:
        if listing.legal_status == legal:
            why.append(label("legal_status", legal, lang))
    return why


class FitReranker:
    """Reorders hits by a weighted score and drops reposts of the same property."""

    def __init__(self, weights: RerankWeights | None = None) -> None:
        self.weights = weights or RerankWeights()
        if self.weights.freshness_half_life_days <= 0:
            raise ValueError("freshness_half_life_days must be positive")

    def run(
        self,
        hits: list[Hit],
        filters: Filters,
        lang: Language,
        limit: int = 5,
        now: datetime | None = None,
    ) -> list[Ranked]:
        now = now or datetime.now(UTC)
        w = self.weights
        top = max((h.score for h in hits), default=0.0) or 1.0
        scored: list[Ranked] = []
        for h in hits:
            score = (
                w.relevance * h.score / top
                + w.freshness * _freshness(h.listing, now, w.freshness_half_life_days)
                + w.completeness * _completeness(h.listing)
            )
            scored.append(Ranked(h.listing, score))
        if filters.sort in (None, Sort.RELEVANCE):
            scored.sort(key=lambda r: -r.score)
        seen: set[str] = set()
        out: list[Ranked] = []
        for r in scored:
            key = _dedup_key(r.listing)
            if key in seen:
                continue
            seen.add(key)
            r.why = explain(r.listing, filters, lang)
            out.append(r)
            if len(out) >= limit:
                break
        return out
