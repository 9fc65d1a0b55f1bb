"""Soft wishes in the chat path: retrieved without them, weighed by the reranker, in `why`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ree.chat.service import Assistant
from ree.config import Settings
from ree.models import Feature, Filters, Intent, Listing, PropertyType
from ree.rag.pipeline import RagRequest

NOW = datetime.now(UTC)


def flat(key: str, minutes_ago: int, **changes: Any) -> Listing:
    """An invented Quận 7 apartment (no real data)."""
    values: dict[str, Any] = {
        "id": f"pref:{key}",
        "source": "pref",
        "title": f"Bán căn hộ 2PN Quận 7 mã {key}",
        "description": f"Căn hộ mã {key}, hai phòng ngủ, bàn giao ngay.",
        "property_type": PropertyType.APARTMENT,
        "price_vnd": 3_500_000_000,
        "area_m2": 70.0,
        "bedrooms": 2,
        "district": "Quận 7",
        "province": "Hồ Chí Minh",
        "completeness": 80,
        "posted_at": NOW - timedelta(minutes=minutes_ago),
        "crawled_at": NOW,
    }
    values.update(changes)
    return Listing(**values)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    data_dir: Path = tmp_path_factory.mktemp("preferences")
    a = Assistant.open(Settings(data_dir=data_dir, demo_listings=0, redis_url=None))
    # Newest first without query words: the plain flat is retrieved before the pooled one.
    a.search.upsert(
        [
            flat("plain", 1, description="Căn hộ tầng thấp, thoáng mát, gần chợ."),
            flat("pool", 2, description="Căn hộ tầng cao nhìn ra công viên.", features=["pool"]),
            flat("alley", 3, property_type=PropertyType.HOUSE, features=["car_alley"]),
        ]
    )
    a.index_changed()
    yield a
    a.close()


def ask(a: Assistant, filters: Filters, preferences: Filters | None = None) -> Any:
    req = RagRequest(
        "căn hộ Quận 7 có hồ bơi", Intent.SEARCH, filters, "vi", preferences=preferences
    )
    return asyncio.run(a.pipeline.run(req))


def test_a_wish_ranks_the_listing_meeting_it_first_without_excluding_the_others(
    assistant: Assistant,
) -> None:
    asked = Filters(
        property_types=[PropertyType.APARTMENT], districts=["Quận 7"], features=[Feature.POOL]
    )
    result = ask(assistant, asked)
    assert [r.listing.id for r in result.shown] == ["pref:pool", "pref:plain"]
    assert result.total == 2  # the wish is not a filter
    assert "hồ bơi" in result.shown[0].why and "hồ bơi" not in result.shown[1].why
    assert result.facts["preferences"] == {"features": ["pool"]}
    # the answer counts the listings meeting the constraints, and says how many of those
    # shown meet the wish instead of claiming it for all
    head = result.answer.splitlines()[0]
    assert head.startswith("Tìm thấy 2 tin phù hợp (căn hộ, ở Quận 7).")
    assert "Tin có hồ bơi được xếp trước (1/2 tin dưới đây)." in head
    without = ask(assistant, asked.model_copy(update={"features": None}))
    assert [r.listing.id for r in without.shown] == ["pref:plain", "pref:pool"]


def test_wishes_the_understanding_marks_are_used_as_given(assistant: Assistant) -> None:
    asked = Filters(districts=["Quận 7"], property_types=[PropertyType.APARTMENT])
    result = ask(assistant, asked, preferences=Filters(features=[Feature.POOL]))
    assert [r.listing.id for r in result.shown] == ["pref:pool", "pref:plain"]


def test_the_lot_access_stays_a_constraint(assistant: Assistant) -> None:
    result = ask(assistant, Filters(districts=["Quận 7"], features=[Feature.CAR_ALLEY]))
    assert [r.listing.id for r in result.shown] == ["pref:alley"]
    assert "hẻm xe hơi" in result.shown[0].why
    assert "preferences" not in result.facts
