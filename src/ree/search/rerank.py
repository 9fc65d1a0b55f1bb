"""Rerank retrieved candidates by fit: relevance, soft preferences, freshness, completeness.

Hard constraints are already enforced by the retrievers; this stage orders what is left,
suppresses duplicates (the same property reposted) and explains each pick in `why`.

    score = relevance · fused score / best fused score
          + preference · share of the soft preferences the listing satisfies
          + freshness · 2^(-age / half-life) + completeness · completeness / 100

Soft preferences are a `Filters` of wishes ("3 phòng ngủ", "sổ hồng", "gần trường") that
rank rather than exclude. `split_preferences` draws them from a query's filters: the
features asked for are wishes (amenities and nearby places: "có hồ bơi", "gần trường"),
except the lot's access (`HARD_FEATURES`: street front, car alley), which decides the kind
and price class of a property and stays a constraint. Duplicates: a candidate with the
same content hash as one already kept, merged into it by ingest (`sources`), or a
near-duplicate by `ree.listings.dedup`'s rule (exact Jaccard of word shingles + attribute
agreement) is dropped. Weights are a `RerankWeights` (constructor argument); `ree eval
rerank` compares settings offline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ree.listings.dedup import Attributes, ListingDeduplicator, fingerprint_text
from ree.models import Feature, Filters, Language, Listing, Sort
from ree.search.base import Hit
from ree.vi.display import label, place_name
from ree.vi.numbers import format_price_en, format_price_vi


@dataclass(frozen=True, slots=True)
class RerankWeights:
    """How much each signal counts; `suppress_duplicates` drops reposts of a kept listing."""

    relevance: float = 1.0
    preference: float = 0.3
    freshness: float = 0.15
    completeness: float = 0.1
    freshness_half_life_days: float = 14.0
    suppress_duplicates: bool = True


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


HARD_FEATURES = frozenset({Feature.STREET_FRONT, Feature.CAR_ALLEY})
"""Features that stay hard constraints: the lot's access (street front, car alley)."""


def split_preferences(filters: Filters) -> tuple[Filters, Filters | None]:
    """(the constraints retrieval enforces, the soft wishes the reranker weighs, or None).

    Features other than `HARD_FEATURES` move from the constraints to the wishes.
    """
    features = filters.features or []
    hard = [f for f in features if f in HARD_FEATURES]
    soft = [f for f in features if f not in HARD_FEATURES]
    if not soft:
        return filters, None
    return filters.model_copy(update={"features": hard or None}), Filters(features=soft)


def preference_share(listing: Listing, preferences: Filters | None) -> float:
    """The share (0-1) of the soft preferences `listing` satisfies (0 without preferences)."""
    if preferences is None:
        return 0.0
    wanted = _preference_keys(preferences)
    if not wanted:
        return 0.0
    broken = {v.removesuffix("_min").removesuffix("_max") for v in preferences.violations(listing)}
    return sum(1 for key in wanted if key not in broken) / len(wanted)


_RANGES = {
    "price": ("price_min", "price_max"),
    "area": ("area_min", "area_max"),
    "bedrooms": ("bedrooms_min", "bedrooms_max"),
    "bathrooms": ("bathrooms_min",),
}


def _preference_keys(preferences: Filters) -> list[str]:
    """One key per stated preference, as `Filters.violations` names them (ranges merged)."""
    set_keys = set(preferences.constrained()) - {"sort"}
    keys = [k for k in set_keys if not any(k in bounds for bounds in _RANGES.values())]
    keys += [name for name, bounds in _RANGES.items() if set_keys & set(bounds)]
    return sorted(keys)


class _DuplicateGuard:
    """Remembers the kept listings; tells whether a candidate repeats one of them."""

    def __init__(self) -> None:
        self._dedup = ListingDeduplicator()
        self._kept: list[tuple[Listing, frozenset[str], Attributes]] = []

    def _shingles(self, listing: Listing) -> frozenset[str]:
        words = fingerprint_text(listing.title, listing.description[:_SHINGLE_CHARS])
        n = self._dedup.shingle
        return frozenset(" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1)))

    def repeats(self, listing: Listing) -> bool:
        shingles = self._shingles(listing)
        attributes = Attributes.of(listing)
        for kept, kept_shingles, kept_attributes in self._kept:
            if listing.content_hash and listing.content_hash == kept.content_hash:
                return True
            if listing.id in kept.sources or kept.id in listing.sources:
                return True
            union = len(shingles | kept_shingles)
            similarity = len(shingles & kept_shingles) / union if union else 0.0
            if self._dedup.agree(attributes, kept_attributes, similarity):
                return True
        self._kept.append((listing, shingles, attributes))
        return False


_SHINGLE_CHARS = 1500


def explain(
    listing: Listing, filters: Filters, lang: Language, preferences: Filters | None = None
) -> list[str]:
    """The constraints and wishes a listing satisfies, phrased for the card's `why` line
    (a feature is named only when the listing has it)."""
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
    wished = list(filters.features or [])
    if preferences is not None:
        wished += preferences.features or []
    for feature in dict.fromkeys(wished):
        if feature in listing.features:
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

    def score(
        self, hit: Hit, top: float, now: datetime, preferences: Filters | None = None
    ) -> float:
        """The weighted fit of one hit (`top`: the best fused score among the candidates)."""
        w = self.weights
        return (
            w.relevance * hit.score / (top or 1.0)
            + w.preference * preference_share(hit.listing, preferences)
            + w.freshness * _freshness(hit.listing, now, w.freshness_half_life_days)
            + w.completeness * _completeness(hit.listing)
        )

    def run(
        self,
        hits: list[Hit],
        filters: Filters,
        lang: Language,
        limit: int = 5,
        now: datetime | None = None,
        preferences: Filters | None = None,
    ) -> list[Ranked]:
        """The best `limit` hits by fit (or in `filters.sort` order), reposts dropped."""
        now = now or datetime.now(UTC)
        top = max((h.score for h in hits), default=0.0) or 1.0
        scored = [Ranked(h.listing, self.score(h, top, now, preferences)) for h in hits]
        if filters.sort in (None, Sort.RELEVANCE):
            scored.sort(key=lambda r: -r.score)
        guard = _DuplicateGuard() if self.weights.suppress_duplicates else None
        out: list[Ranked] = []
        for r in scored:
            if guard is not None and guard.repeats(r.listing):
                continue
            r.why = explain(r.listing, filters, lang, preferences)
            out.append(r)
            if len(out) >= limit:
                break
        return out
