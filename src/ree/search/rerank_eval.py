"""Offline evaluation of the reranker: `ree eval rerank`.

Queries come from the structured columns of held-out rows of a portal CSV (by default
`../shared/data/bdscomvn-2025-dev.csv`): each held-out row gives hard filters (its type, its
province and district, a price ceiling 20% above its price) and soft preferences (at least
its bedrooms, its legal status, its facing, one of its features), spoken as a Vietnamese
query ("bán nhà riêng 3 phòng ngủ Gò Vấp sổ hồng hướng Đông Nam dưới 6 tỷ"). The other rows
are indexed. A retrieved listing's gain is the number of soft preferences its structured
columns satisfy, plus one (it already satisfies the hard filters); a repost of a listing
ranked above it gains nothing. We report nDCG@10 and precision@5 (relevant: every soft
preference satisfied) of fusion-only retrieval and of the reranker at several weights.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ree.listings.dedup import ListingDeduplicator
from ree.models import Filters, Listing
from ree.search.base import Hit, SearchBackend
from ree.search.rerank import FitReranker, RerankWeights, preference_share
from ree.vi.display import label, place_name
from ree.vi.numbers import format_price_vi

__all__ = ["WEIGHT_SETTINGS", "EvalQuery", "evaluate_rerank", "make_queries", "ndcg"]

WEIGHT_SETTINGS: dict[str, RerankWeights] = {
    "relevance+freshness (before)": RerankWeights(preference=0.0, suppress_duplicates=False),
    "default": RerankWeights(),
    "preference-heavy": RerankWeights(preference=0.8, freshness=0.05, completeness=0.1),
}
"""The reranker settings `ree eval rerank` compares with fusion-only retrieval."""


@dataclass(frozen=True)
class EvalQuery:
    """A generated query: its text, hard filters, soft preferences and the row it came from."""

    text: str
    hard: Filters
    soft: Filters
    source_id: str


def make_queries(listings: Sequence[Listing], n: int, seed: int = 11) -> list[EvalQuery]:
    """Queries from `n` rows with a district, a price and at least two soft attributes."""
    rng = random.Random(seed)
    usable = [x for x in listings if x.district and x.price_vnd and _soft(x).constrained()]
    usable = [x for x in usable if len(_soft(x).constrained()) >= 2]
    rng.shuffle(usable)
    return [_query(x) for x in usable[:n]]


def _soft(x: Listing) -> Filters:
    return Filters(
        bedrooms_min=x.bedrooms or None,
        legal=[x.legal_status] if x.legal_status else None,
        directions=[x.direction] if x.direction else None,
        features=[x.features[0]] if x.features else None,
    )


def _query(x: Listing) -> EvalQuery:
    assert x.price_vnd is not None and x.district is not None
    ceiling = int(round(x.price_vnd * 1.2, -8))
    hard = Filters(
        transaction=x.transaction,
        property_types=[x.property_type],
        province=x.province,
        districts=[x.district],
        price_max=ceiling,
    )
    soft = _soft(x)
    words = ["bán" if x.transaction.value == "sale" else "thuê"]
    words.append(label("property_type", x.property_type.value, "vi"))
    if soft.bedrooms_min:
        words.append(f"{soft.bedrooms_min} phòng ngủ")
    words.append(place_name(x.district, "vi"))
    if soft.legal:
        words.append(label("legal_status", soft.legal[0].value, "vi"))
    if soft.directions:
        words.append("hướng " + label("direction", soft.directions[0].value, "vi"))
    if soft.features:
        words.append(label("feature", soft.features[0].value, "vi"))
    words.append(f"dưới {format_price_vi(ceiling)}")
    return EvalQuery(" ".join(words), hard, soft, x.id)


def ndcg(gains: Sequence[float], ideal: Sequence[float], k: int) -> float:
    """Normalised discounted cumulative gain at `k` (1.0 when nothing is relevant)."""
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    best = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(ideal, reverse=True)[:k]))
    return dcg / best if best > 0 else 1.0


def _gains(ranked: Sequence[Listing], query: EvalQuery, dedup: ListingDeduplicator) -> list[float]:
    """Each listing's gain; a repost of a listing above it (or the source row) gains 0."""
    wanted = len(query.soft.constrained())
    out: list[float] = []
    for i, listing in enumerate(ranked):
        if any(dedup.is_duplicate(listing, above) for above in ranked[:i]):
            out.append(0.0)
            continue
        out.append(1.0 + preference_share(listing, query.soft) * wanted)
    return out


def _score(
    ranked: Sequence[Listing], pool: Sequence[Listing], query: EvalQuery, dedup: ListingDeduplicator
) -> tuple[float, float]:
    wanted = len(query.soft.constrained())
    gains = _gains(ranked, query, dedup)
    ideal = [1.0 + preference_share(x, query.soft) * wanted for x in pool]
    relevant = [g >= 1.0 + wanted - 1e-9 for g in gains[:5]]
    return ndcg(gains, ideal, 10), sum(relevant) / 5


def evaluate_rerank(
    search: SearchBackend,
    queries: Sequence[EvalQuery],
    settings: dict[str, RerankWeights] | None = None,
    depth: int = 50,
    now: datetime | None = None,
) -> dict[str, dict[str, float]]:
    """nDCG@10 and precision@5 of fusion-only vs each reranker setting, over `queries`."""
    settings = settings or WEIGHT_SETTINGS
    now = now or datetime.now(UTC)
    dedup = ListingDeduplicator()
    rows: dict[str, list[tuple[float, float]]] = {"fusion only": []}
    rows.update({name: [] for name in settings})
    for query in queries:
        hits = [
            h
            for h in search.search(query.text, query.hard, limit=depth).hits
            if h.listing.id != query.source_id
        ]
        if not hits:
            continue
        pool = [h.listing for h in hits]
        rows["fusion only"].append(_score(pool[:10], pool, query, dedup))
        for name, weights in settings.items():
            ranked = FitReranker(weights).run(hits, query.hard, "vi", 10, now, query.soft)
            rows[name].append(_score([r.listing for r in ranked], pool, query, dedup))
    return {
        name: {
            "ndcg@10": round(statistics.fmean(s[0] for s in scores), 4) if scores else 0.0,
            "precision@5": round(statistics.fmean(s[1] for s in scores), 4) if scores else 0.0,
            "queries": float(len(scores)),
        }
        for name, scores in rows.items()
    }


def held_out(
    listings: Sequence[Listing], share: float = 0.1, seed: int = 5
) -> tuple[list[Listing], list[Listing]]:
    """(indexed, held out): a seeded split of the rows."""
    rng = random.Random(seed)
    order = list(listings)
    rng.shuffle(order)
    cut = int(len(order) * share)
    return order[cut:], order[:cut]


def hits_of(listings: Sequence[Listing]) -> list[Hit]:
    """Listings as hits with decreasing scores (for tests that rank a fixed list)."""
    return [Hit(x, 1.0 - i / (len(listings) + 1)) for i, x in enumerate(listings)]


def index_dir_ready(path: Path) -> bool:
    """True when `path` holds an index built by a previous `ree eval rerank`."""
    return (path / "meta.json").exists()
