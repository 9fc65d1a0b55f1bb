"""Fusion functions: exact scores, tie-breaks, validation, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ree.search.fusion import min_max_normalize, reciprocal_rank_fusion, weighted_fusion


def test_rrf_scores_are_sums_of_reciprocal_ranks() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], k=10))
    assert fused["a"] == pytest.approx(1 / 11 + 1 / 12)
    assert fused["b"] == pytest.approx(1 / 12)
    assert fused["c"] == pytest.approx(1 / 13 + 1 / 11)


def test_rrf_orders_best_first_and_breaks_ties_by_best_rank() -> None:
    # x: ranks (1, 3) ; y: ranks (3, 1) -> equal scores; x was seen first at its best rank.
    fused = reciprocal_rank_fusion([["x", "q", "y"], ["y", "r", "x"]], k=60)
    assert [item for item, _ in fused][:2] == ["x", "y"]
    assert fused[0][1] == fused[1][1]
    # a single list keeps its order
    assert [i for i, _ in reciprocal_rank_fusion([["c", "b", "a"]])] == ["c", "b", "a"]


def test_rrf_counts_a_repeated_item_once_per_list() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "a", "b"]], k=1))
    assert fused == {"a": pytest.approx(1 / 2), "b": pytest.approx(1 / 4)}


def test_rrf_rejects_bad_k_and_handles_empty() -> None:
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], k=0)
    assert reciprocal_rank_fusion([[], []]) == []


def test_min_max_normalize() -> None:
    assert min_max_normalize([]) == []
    assert min_max_normalize([3.0]) == [1.0]
    assert min_max_normalize([2.0, 2.0]) == [1.0, 1.0]
    assert min_max_normalize([10.0, 5.0, 0.0]) == [1.0, 0.5, 0.0]


def test_weighted_fusion_combines_normalised_scores() -> None:
    bm25 = [("a", 12.0), ("b", 6.0), ("c", 0.0)]
    dense = [("c", 0.9), ("a", 0.5), ("d", 0.1)]
    fused = dict(weighted_fusion([bm25, dense], [0.3, 0.7]))
    assert fused["a"] == pytest.approx(0.3 * 1.0 + 0.7 * 0.5)
    assert fused["b"] == pytest.approx(0.3 * 0.5)
    assert fused["c"] == pytest.approx(0.7 * 1.0)
    assert fused["d"] == pytest.approx(0.0)
    assert [i for i, _ in weighted_fusion([bm25, dense], [0.3, 0.7])] == ["c", "a", "b", "d"]


def test_weighted_fusion_validates_weights() -> None:
    with pytest.raises(ValueError):
        weighted_fusion([[("a", 1.0)]], [0.5, 0.5])
    with pytest.raises(ValueError):
        weighted_fusion([[("a", 1.0)]], [-1.0])


rankings = st.lists(
    st.lists(st.sampled_from("abcdefghij"), max_size=10, unique=True), min_size=1, max_size=4
)


@given(rankings)
def test_rrf_properties(lists: list[list[str]]) -> None:
    fused = reciprocal_rank_fusion(lists)
    items = [item for item, _ in fused]
    assert sorted(items) == sorted({x for ranking in lists for x in ranking})
    scores = [score for _, score in fused]
    assert scores == sorted(scores, reverse=True)
    # an item first in every non-empty list is first overall
    firsts = {ranking[0] for ranking in lists if ranking}
    if len(firsts) == 1 and all(lists):
        assert items[0] == firsts.pop()


@given(rankings, st.floats(0, 1))
def test_weighted_properties(lists: list[list[str]], w: float) -> None:
    scored = [[(x, float(len(r) - n)) for n, x in enumerate(r)] for r in lists]
    fused = weighted_fusion(scored, [w] * len(scored))
    scores = [score for _, score in fused]
    assert scores == sorted(scores, reverse=True)
    assert all(-1e-9 <= s <= w * len(scored) + 1e-9 for s in scores)
