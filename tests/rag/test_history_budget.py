"""History sent to the model: trimmed to a token budget, newest turns first."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ree.chat.service import Assistant
from ree.config import Settings
from ree.models import Filters, Intent
from ree.rag.history import estimate_tokens, trim_history
from ree.rag.pipeline import RagRequest, Stopwatch


def test_estimate_counts_utf8_bytes() -> None:
    assert estimate_tokens("") == 1
    assert estimate_tokens("abcd") == 2
    # Vietnamese diacritics cost more bytes, hence more estimated tokens, than ASCII.
    assert estimate_tokens("Tìm căn hộ Quận 7") > estimate_tokens("Tim can ho Quan 7")


def test_newest_turns_are_kept_first() -> None:
    turns = [(f"q{i} " + "x" * 40, f"a{i} " + "y" * 40) for i in range(10)]
    one = estimate_tokens(turns[0][0]) + estimate_tokens(turns[0][1])
    kept = trim_history(turns, one * 3 + 1)
    assert kept == turns[-3:]
    assert trim_history(turns, 0) == turns
    assert trim_history([], 50) == []


def test_walk_stops_at_first_turn_that_does_not_fit() -> None:
    turns = [("old", "short"), ("mid " * 100, "long " * 100), ("new", "short")]
    assert trim_history(turns, 20) == [("new", "short")]


def test_oversized_newest_turn_is_clipped_not_dropped() -> None:
    turns = [("hỏi giá", "trả lời rất dài " * 200)]
    kept = trim_history(turns, 30)
    assert len(kept) == 1
    user, answer = kept[0]
    assert user == "hỏi giá"
    assert answer.endswith("…")
    assert estimate_tokens(user) + estimate_tokens(answer) <= 30


def test_pipeline_trims_history_but_state_keeps_preferences(demo_data_dir: Path) -> None:
    settings = Settings(data_dir=demo_data_dir, demo_listings=0, history_token_budget=120)
    assistant = Assistant.open(settings)
    try:
        first = asyncio.run(assistant.turns.handle("Tìm căn hộ 2PN Quận 7 dưới 4 tỷ"))
        cid = first.conversation_id
        for message in ("rẻ hơn chút", "có hồ bơi không", "còn căn nào khác"):
            asyncio.run(assistant.turns.handle(message, cid))
        conv = assistant.memory.get(cid)
        assert conv is not None and conv.version == 4
        req = RagRequest("tiếp", Intent.REFINE, Filters(), "vi", conversation_id=cid)
        req.version = conv.version
        pairs = assistant.pipeline._history(req, Stopwatch())
        full = assistant.memory.history(cid, 10)
        assert 1 <= len(pairs) < len(full)
        assert pairs[-1][0] == full[-1].user_message  # the newest turn survives
        assert sum(estimate_tokens(u) + estimate_tokens(a) for u, a in pairs) <= 120
        # Structured preferences are in the state, not in the trimmed text.
        assert conv.state.filters.districts == ["Quận 7"]
        assert conv.state.filters.bedrooms_min == 2
    finally:
        assistant.close()
