"""The reranker: soft preferences, configurable weights, duplicate suppression; its eval."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ree.models import Direction, Feature, Filters, LegalStatus, Listing, PropertyType
from ree.search.base import Hit
from ree.search.rerank import (
    HARD_FEATURES,
    FitReranker,
    RerankWeights,
    explain,
    preference_share,
    split_preferences,
)
from ree.search.rerank_eval import held_out, hits_of, make_queries, ndcg

NOW = datetime(2025, 6, 1, tzinfo=UTC)
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def flat(n: int, **changes: Any) -> Listing:
    values: dict[str, Any] = {
        "id": f"demo:{n}",
        "source": "demo",
        "title": f"Bán căn hộ Sunrise City Quận 7 tầng {n}",
        "description": (
            f"Căn hộ tầng {n} view sông, nội thất đầy đủ, gần trường học quốc tế, hồ bơi, "
            "gym, an ninh 24/7, thanh toán linh hoạt, hỗ trợ vay ngân hàng."
        ),
        "property_type": PropertyType.APARTMENT,
        "price_vnd": 4_000_000_000 + n * 10_000_000,
        "area_m2": 70.0 + n,
        "bedrooms": 2,
        "district": "Quận 7",
        "province": "Hồ Chí Minh",
        "posted_at": NOW,
    }
    values.update(changes)
    return Listing(**values)


def test_preference_share_counts_each_wish_once() -> None:
    wishes = Filters(
        bedrooms_min=3, bedrooms_max=4, legal=[LegalStatus.PINK_BOOK], features=[Feature.POOL]
    )
    assert preference_share(flat(1), wishes) == 0.0
    assert preference_share(flat(1, bedrooms=3), wishes) == pytest.approx(1 / 3)
    both = flat(1, bedrooms=3, legal_status=LegalStatus.PINK_BOOK, features=[Feature.POOL])
    assert preference_share(both, wishes) == 1.0
    assert preference_share(both, None) == 0.0
    assert preference_share(both, Filters()) == 0.0


def test_preferences_reorder_by_their_weight() -> None:
    plain, wished = flat(1), flat(2, direction=Direction.SOUTH_EAST, bedrooms=3)
    hits = hits_of([plain, wished])
    wishes = Filters(directions=[Direction.SOUTH_EAST], bedrooms_min=3)
    before = FitReranker(RerankWeights(preference=0.0)).run(hits, Filters(), "vi", 2, NOW, wishes)
    assert [r.listing.id for r in before] == ["demo:1", "demo:2"]
    after = FitReranker(RerankWeights(preference=0.8)).run(hits, Filters(), "vi", 2, NOW, wishes)
    assert [r.listing.id for r in after] == ["demo:2", "demo:1"]
    assert after[0].score > after[1].score


def test_amenities_and_nearby_places_are_wishes_the_lot_access_stays_a_constraint() -> None:
    asked = Filters(districts=["Quận 7"], features=[Feature.POOL, Feature.CAR_ALLEY])
    hard, soft = split_preferences(asked)
    assert hard == Filters(districts=["Quận 7"], features=[Feature.CAR_ALLEY])
    assert soft == Filters(features=[Feature.POOL])
    near = Filters(features=[Feature.NEAR_SCHOOL, Feature.NEAR_METRO])
    assert split_preferences(near) == (Filters(), near)
    for constraints in (Filters(districts=["Quận 7"]), Filters(features=sorted(HARD_FEATURES))):
        assert split_preferences(constraints) == (constraints, None)


def test_a_listing_meeting_the_wish_ranks_above_an_otherwise_equal_one() -> None:
    plain = flat(1, description="Căn hộ tầng thấp, thoáng mát.", completeness=80)
    pooled = flat(
        2,
        description="Căn hộ tầng cao, nhìn ra công viên.",
        completeness=80,
        features=[Feature.POOL],
        price_vnd=plain.price_vnd,
        area_m2=plain.area_m2,
    )
    asked = Filters(districts=["Quận 7"], features=[Feature.POOL])
    hard, wishes = split_preferences(asked)
    hits = [Hit(plain, 0.5), Hit(pooled, 0.5)]  # as relevant; the plain one retrieved first
    ranked = FitReranker().run(hits, asked, "vi", 2, NOW, wishes)
    assert [r.listing.id for r in ranked] == ["demo:2", "demo:1"]
    assert "hồ bơi" in ranked[0].why and "hồ bơi" not in ranked[1].why
    unwished = FitReranker().run(hits, hard, "vi", 2, NOW)
    assert [r.listing.id for r in unwished] == ["demo:1", "demo:2"]


def test_why_names_a_feature_only_when_the_listing_has_it() -> None:
    asked = Filters(features=[Feature.CAR_ALLEY])
    wishes = Filters(features=[Feature.NEAR_SCHOOL, Feature.POOL])
    has = flat(1, features=[Feature.NEAR_SCHOOL, Feature.CAR_ALLEY])
    assert explain(has, asked, "vi", wishes) == ["hẻm xe hơi", "gần trường"]
    assert explain(has, asked, "en", wishes) == ["car-accessible alley", "near a school"]
    assert explain(flat(2), asked, "vi", wishes) == []


def test_reposts_are_suppressed_but_other_units_stay() -> None:
    first = flat(5)
    repost = flat(
        5,
        id="other:77",
        source="other",
        title="CẦN BÁN GẤP " + first.title,
        price_vnd=first.price_vnd,
    )
    other_unit = flat(12, area_m2=110.0, price_vnd=6_500_000_000)  # same text, another unit
    merged = flat(30, id="demo:30", sources=["demo:31"])
    merged_copy = flat(31, id="demo:31", description="Một mô tả hoàn toàn khác về căn này.")
    hits = hits_of([first, repost, other_unit, merged, merged_copy])
    kept = FitReranker().run(hits, Filters(), "vi", 10, NOW)
    assert [r.listing.id for r in kept] == ["demo:5", "demo:12", "demo:30"]
    everything = FitReranker(RerankWeights(suppress_duplicates=False)).run(
        hits, Filters(), "vi", 10, NOW
    )
    assert len(everything) == 5


def test_same_content_hash_is_a_duplicate() -> None:
    a = flat(1, content_hash="abc")
    b = flat(40, id="demo:40", title="Khác hẳn", description="Khác hẳn", content_hash="abc")
    assert [r.listing.id for r in FitReranker().run(hits_of([a, b]), Filters(), "vi", 5, NOW)] == [
        "demo:1"
    ]


def test_sort_keeps_the_retrieval_order_and_bad_weights_are_refused() -> None:
    hits = hits_of([flat(1), flat(2, description="Nhà phố khác hẳn, hẻm xe hơi, sổ đỏ.")])
    ranked = FitReranker().run(hits, Filters(sort="price_desc"), "vi", 5, NOW)
    assert [r.listing.id for r in ranked] == ["demo:1", "demo:2"]
    with pytest.raises(ValueError):
        FitReranker(RerankWeights(freshness_half_life_days=0))


def test_ndcg() -> None:
    assert ndcg([3, 2, 1], [3, 2, 1], 10) == pytest.approx(1.0)
    assert ndcg([1, 2, 3], [3, 2, 1], 10) < 1.0
    assert ndcg([0, 0], [0, 0], 10) == 1.0
    assert ndcg([0, 3], [3, 0], 1) == 0.0


def test_queries_come_from_structured_columns() -> None:
    rows = [
        flat(
            i,
            bedrooms=2 + i % 2,
            legal_status=LegalStatus.PINK_BOOK,
            direction=Direction.EAST,
            features=[Feature.POOL],
        )
        for i in range(20)
    ]
    queries = make_queries(rows, 5)
    assert len(queries) == 5
    q = queries[0]
    source = next(x for x in rows if x.id == q.source_id)
    assert q.hard.matches(source) and q.soft.matches(source)
    assert q.hard.price_max is not None and source.price_vnd is not None
    assert q.hard.price_max >= source.price_vnd
    assert "Quận 7" in q.text and "sổ hồng" in q.text and "hồ bơi" in q.text
    indexed, held = held_out(rows, share=0.25)
    assert len(held) == 5 and not {x.id for x in held} & {x.id for x in indexed}


@pytest.mark.shared_data
def test_queries_from_the_real_dev_set() -> None:
    source = SHARED / "bdscomvn-2025-dev.csv"
    if not source.exists():
        pytest.skip(f"{source.resolve()} is absent: the real data sets live outside the repo")
    from ree.ingest.loaders import read_listings

    _, held = held_out(list(read_listings(source)))
    queries = make_queries(held, 60)
    assert len(queries) >= 40
    assert all(len(q.soft.constrained()) >= 2 and q.hard.districts for q in queries)
