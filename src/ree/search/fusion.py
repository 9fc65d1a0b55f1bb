"""Fusing the ranked lists of several retrievers into one ranking (pure functions).

Two methods, both deterministic (ties go to the item with the best single rank, then to the
item seen first):

- `reciprocal_rank_fusion`: score = Σ 1 / (k + rank) over the lists that hold the item
  (ranks start at 1). Needs no score calibration; `k` damps the weight of the top ranks.
- `weighted_fusion`: each list's scores are min-max normalised to [0, 1], then combined as a
  weighted sum; an item missing from a list gets 0 from it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

__all__ = ["min_max_normalize", "reciprocal_rank_fusion", "weighted_fusion"]


def min_max_normalize(scores: Sequence[float]) -> list[float]:
    """Scale scores linearly to [0, 1]; when all are equal (or only one), each becomes 1."""
    if not scores:
        return []
    low, high = min(scores), max(scores)
    if high == low:
        return [1.0] * len(scores)
    span = high - low
    return [(s - low) / span for s in scores]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[K]], k: int = 60) -> list[tuple[K, float]]:
    """Fuse ranked lists (best first) by reciprocal rank; returns (item, score) best first.

    An item repeated inside one list counts at its first (best) rank only.
    """
    if k < 1:
        raise ValueError(f"rrf k must be >= 1, got {k}")
    scores: dict[K, float] = {}
    best: dict[K, tuple[int, int]] = {}
    for list_no, ranking in enumerate(rankings):
        seen: set[K] = set()
        for rank, item in enumerate(ranking, start=1):
            if item in seen:
                continue
            seen.add(item)
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
            _keep_best(best, item, (rank, list_no))
    return _ordered(scores, best)


def weighted_fusion(
    results: Sequence[Sequence[tuple[K, float]]], weights: Sequence[float]
) -> list[tuple[K, float]]:
    """Fuse (item, score) lists (best first) by a weighted sum of min-max normalised scores.

    `weights` has one entry per list; they need not sum to 1. Returns (item, score) best
    first. An item repeated inside one list counts at its first entry only.
    """
    if len(weights) != len(results):
        raise ValueError(f"{len(results)} result lists but {len(weights)} weights")
    if any(w < 0 for w in weights):
        raise ValueError("fusion weights must be >= 0")
    scores: dict[K, float] = {}
    best: dict[K, tuple[int, int]] = {}
    for list_no, (result, weight) in enumerate(zip(results, weights, strict=True)):
        items, raw = _first_occurrences(result)
        for rank, (item, norm) in enumerate(zip(items, min_max_normalize(raw), strict=True), 1):
            scores[item] = scores.get(item, 0.0) + weight * norm
            _keep_best(best, item, (rank, list_no))
    return _ordered(scores, best)


def _first_occurrences(result: Sequence[tuple[K, float]]) -> tuple[list[K], list[float]]:
    items: list[K] = []
    raw: list[float] = []
    seen: set[K] = set()
    for item, score in result:
        if item not in seen:
            seen.add(item)
            items.append(item)
            raw.append(float(score))
    return items, raw


def _keep_best(best: dict[K, tuple[int, int]], item: K, where: tuple[int, int]) -> None:
    current = best.get(item)
    if current is None or where < current:
        best[item] = where


def _ordered(scores: dict[K, float], best: dict[K, tuple[int, int]]) -> list[tuple[K, float]]:
    # dicts keep insertion order, so the final tie-break is "seen first".
    order = {item: n for n, item in enumerate(scores)}
    ranked = sorted(scores, key=lambda item: (-scores[item], best[item], order[item]))
    return [(item, scores[item]) for item in ranked]
