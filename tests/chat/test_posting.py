"""The seller's flow: a draft across turns, only what is missing asked, a price range, publish."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ree.chat.posting import PostingDesk, PostingStep
from ree.chat.understand import understand
from ree.config import Settings
from ree.models import ConversationState, Filters, Intent
from ree.search.base import SearchBackend
from ree.search.factory import open_search

B, M = 1_000_000_000, 1_000_000


@pytest.fixture
def search(demo_data_dir: Path, tmp_path: Path) -> Iterator[SearchBackend]:
    """A private copy of the demo index (publishing writes to it)."""
    copy = tmp_path / "data"
    shutil.copytree(demo_data_dir, copy)
    backend = open_search(Settings(data_dir=copy))
    yield backend
    backend.close()


class Seller:
    """Drives understanding + the posting desk the way the turn handler does."""

    def __init__(self, desk: PostingDesk) -> None:
        self.desk = desk
        self.state: ConversationState | None = None
        self.draft: dict[str, object] | None = None

    def say(self, message: str) -> PostingStep:
        u = understand(message, self.state)
        assert u.intent == Intent.POST_LISTING, (message, u.intent)
        step = self.desk.step(self.draft, message, u)
        self.draft = step.draft
        self.state = ConversationState(
            filters=u.filters, language=u.language, last_intent=u.intent, draft=step.draft
        )
        return step


def test_a_draft_is_built_across_turns_and_published_on_confirmation(
    search: SearchBackend,
) -> None:
    seller = Seller(PostingDesk(search))
    before = search.count()
    first = seller.say("Tôi muốn bán căn hộ 2PN 70m2 ở Quận 7")
    draft = first.facts["draft"]
    assert draft["property_type"] == "apartment" and draft["bedrooms"] == 2
    assert draft["area_m2"] == 70 and draft["district"] == "Quận 7"
    assert draft["transaction"] == "sale"
    assert "giá" in first.facts["missing"] and "pháp lý" in first.facts["missing"]
    assert "số phòng ngủ" not in first.facts["missing"]
    assert first.published is None

    second = seller.say("giá 3 tỷ 5, sổ hồng riêng, hướng đông nam")
    draft = second.facts["draft"]
    assert draft["price_vnd"] == 3_500 * M and draft["legal_status"] == "pink_book"
    assert draft["direction"] == "south_east" and draft["bedrooms"] == 2  # earlier turn kept
    assert "giá" not in second.facts["missing"]
    est = second.facts.get("price_estimate")
    assert est is not None, second.facts.get("price_note")
    assert est["low"] <= est["price"] <= est["high"] and est["comparables"]

    fixed = seller.say("à nhầm, giá 3 tỷ 8 nhé")
    assert fixed.facts["draft"]["price_vnd"] == 3_800 * M

    done = seller.say("ok đăng luôn")
    assert done.published is not None and done.draft is None
    listing = search.get(done.published.id)
    assert listing is not None and listing.source == "user" and listing.id.startswith("user:")
    assert listing.price_vnd == 3_800 * M and listing.district == "Quận 7"
    assert listing.property_type == "apartment" and listing.completeness is not None
    assert "Tôi muốn bán căn hộ" in listing.description
    assert search.count() == before + 1
    found = search.search(
        None, Filters(districts=["Quận 7"], price_min=3_700 * M, price_max=3_900 * M), 200, 0
    )
    assert listing.id in {h.listing.id for h in found.hits}


def test_land_is_never_asked_for_bedrooms(search: SearchBackend) -> None:
    step = Seller(PostingDesk(search)).say("Mình cần bán lô đất 100m2 ở Củ Chi, sổ đỏ")
    assert step.facts["draft"]["property_type"] == "land"
    assert not any("phòng" in m for m in step.facts["missing"])
    assert "giá" in step.facts["missing"]


def test_a_rental_is_asked_for_deposit_and_term_not_legal_status(search: SearchBackend) -> None:
    step = Seller(PostingDesk(search)).say("Cần cho thuê căn hộ 1PN 50m2 Bình Thạnh 8 triệu/tháng")
    draft = step.facts["draft"]
    assert draft["transaction"] == "rent" and draft["price_vnd"] == 8 * M
    assert "tiền cọc" in step.facts["missing"] and "pháp lý" not in step.facts["missing"]


def test_confirming_an_incomplete_draft_publishes_nothing(search: SearchBackend) -> None:
    seller = Seller(PostingDesk(search))
    before = search.count()
    seller.say("Tôi muốn bán nhà ở Gò Vấp")
    step = seller.say("đăng luôn")
    assert step.published is None and step.draft is not None
    assert "giá" in step.facts["blocked"] and "diện tích" in step.facts["blocked"]
    assert search.count() == before


def test_english_sellers_get_english_labels(search: SearchBackend) -> None:
    step = Seller(PostingDesk(search)).say("I want to sell my 3 bedroom house in Go Vap")
    assert step.facts["draft"]["bedrooms"] == 3
    assert "price" in step.facts["missing"] and "area" in step.facts["missing"]


async def test_the_chat_drafts_asks_and_publishes(demo_data_dir: Path, tmp_path: Path) -> None:
    from ree.chat.service import Assistant

    data_dir = tmp_path / "chat"
    shutil.copytree(demo_data_dir, data_dir)
    assistant = Assistant.open(Settings(data_dir=data_dir))
    try:
        first = await assistant.turns.handle("Tôi muốn bán căn hộ 2PN 70m2 ở Quận 7")
        cid = first.conversation_id
        assert first.intent == Intent.POST_LISTING
        assert "giá" in first.answer and "số phòng ngủ" not in first.answer
        second = await assistant.turns.handle("giá 3 tỷ 5, sổ hồng", cid)
        assert "3,5 tỷ" in second.answer and "Giá đề xuất" in second.answer, second.answer
        conv = assistant.memory.get(cid)
        assert conv is not None and conv.state.draft is not None
        done = await assistant.turns.handle("đăng luôn", cid)
        assert done.intent == Intent.POST_LISTING and "user:" in done.answer, done.answer
        published = [w.strip("():.,") for w in done.answer.split() if w.startswith("user:")]
        listing = assistant.search.get(published[0])
        assert listing is not None and listing.price_vnd == 3_500 * M
        after = assistant.memory.get(cid)
        assert after is not None and after.state.draft is None
    finally:
        assistant.close()


def test_a_property_valued_earlier_starts_the_draft(search: SearchBackend) -> None:
    from ree.chat.state import next_state

    valued = understand("nhà tôi ở Gò Vấp hẻm xe hơi 4x15 3 tầng sổ hồng, bán được bao nhiêu")
    assert valued.intent == Intent.VALUATION
    state = next_state(None, valued, [], [], [])
    u = understand("ok vậy đăng bán giúp tôi giá 6 tỷ 5", state)
    step = PostingDesk(search).step(state.draft, "ok vậy đăng bán giúp tôi giá 6 tỷ 5", u)
    draft = step.facts["draft"]
    assert draft["district"] == "Gò Vấp" and draft["area_m2"] == 60
    assert draft["price_vnd"] == 6_500 * M and draft["legal_status"] == "pink_book"
