"""'căn đó' resolves to the listing last talked about, never to a guess."""

from __future__ import annotations

from ree.chat.state import next_state
from ree.chat.understand import understand
from ree.models import ConversationState


def shown(n: int) -> ConversationState:
    ids = [f"demo:{i}" for i in range(1, n + 1)]
    return ConversationState(shown_ids=ids, shown_prices=[None] * n, shown_areas=[None] * n)


def test_that_one_follows_the_listing_just_discussed() -> None:
    state = shown(5)
    first = understand("căn thứ 3 có sổ hồng không?", state)
    assert first.refers_to == [3]
    state = next_state(state, first, state.shown_ids, state.shown_prices, state.shown_areas)
    assert state.focus == [3]
    again = understand("căn đó còn không?", state)
    assert again.refers_to == [3]


def test_that_one_without_focus_is_not_guessed_among_many() -> None:
    assert understand("căn đó còn không?", shown(5)).refers_to == []
    assert understand("căn đó còn không?", shown(1)).refers_to == [1]


def test_a_new_search_clears_the_focus() -> None:
    state = shown(5)
    u = understand("căn thứ 2 pháp lý thế nào", state)
    state = next_state(state, u, state.shown_ids, state.shown_prices, state.shown_areas)
    search = understand("tìm căn hộ quận 3 dưới 5 tỷ", state)
    state = next_state(state, search, ["demo:9"], [None], [None])
    assert state.focus == []
