"""History for the model, trimmed to a token budget (newest turns first).

Token counts are estimated, not tokenised: `estimate_tokens(text)` is the UTF-8 byte length
divided by 4, rounded up, plus one per turn part for the separators. BPE tokenizers spend
about 4 bytes per token on English and fewer on Vietnamese, whose diacritics take 2-3 bytes
in UTF-8 and split words into more tokens, so counting bytes tracks both languages with one
cheap pass and no tokenizer load. The estimate only has to bound the prompt, not match it.

Structured preferences (budget, places, rooms) never depend on this text: they live in the
conversation state (`ConversationState.filters`) and survive any trimming.
"""

from __future__ import annotations

__all__ = ["estimate_tokens", "trim_history"]

BYTES_PER_TOKEN = 4
ELLIPSIS = "…"


def estimate_tokens(text: str) -> int:
    """A cheap upper-leaning token estimate: ceil(UTF-8 bytes / 4) + 1."""
    return -(-len(text.encode("utf-8")) // BYTES_PER_TOKEN) + 1


def trim_history(turns: list[tuple[str, str]], budget: int) -> list[tuple[str, str]]:
    """The newest `(user message, answer)` pairs that fit in `budget` tokens, oldest first.

    Turns are taken newest first while their estimated size fits; the first turn that does
    not fit ends the walk (history stays contiguous). When even the newest turn is too big,
    its answer is clipped to what remains so the model still sees the last exchange.
    `budget <= 0` disables trimming.
    """
    if budget <= 0:
        return list(turns)
    kept: list[tuple[str, str]] = []
    left = budget
    for user, answer in reversed(turns):
        cost = estimate_tokens(user) + estimate_tokens(answer)
        if cost <= left:
            kept.append((user, answer))
            left -= cost
            continue
        if not kept:
            clipped = _clip_turn(user, answer, left)
            if clipped is not None:
                kept.append(clipped)
        break
    kept.reverse()
    return kept


def _clip_turn(user: str, answer: str, budget: int) -> tuple[str, str] | None:
    """The turn with its answer (then its message) cut to fit `budget`, or None."""
    room = budget - estimate_tokens(user)
    if room < 2:
        user = _clip(user, budget - 2)
        if not user:
            return None
        return user, ""
    return user, _clip(answer, room)


def _clip(text: str, tokens: int) -> str:
    """The head of `text` within `tokens` (estimated), ending in an ellipsis when cut."""
    if tokens <= 1:
        return ""
    if estimate_tokens(text) <= tokens:
        return text
    limit = (tokens - 1) * BYTES_PER_TOKEN - len(ELLIPSIS.encode("utf-8"))
    head = text.encode("utf-8")[: max(limit, 0)].decode("utf-8", errors="ignore")
    return head.rstrip() + ELLIPSIS if head.strip() else ""
