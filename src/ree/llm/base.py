"""Types shared by the gateway and its tiers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ree.models import Filters, Intent, Language, Listing


@dataclass(slots=True)
class AnswerRequest:
    """Everything an answer may be built from: the question and its grounded context.

    `listings` are shown to the user in this order ("căn 1" is `listings[0]`); `facts` holds
    numbers computed from the index (market statistics, a valuation) that the answer may state.
    """

    intent: Intent
    language: Language
    question: str
    filters: Filters
    listings: list[Listing] = field(default_factory=list)
    total: int = 0
    facts: dict[str, Any] = field(default_factory=dict)
    history: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Route:
    tier: str
    model: str
    reason: str
    fallbacks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Generation:
    """An answer, the route that produced it, and what the quality gate found wrong with it
    (empty when it passed; only the extractive tier's answer is ever returned with problems)."""

    text: str
    route: Route
    problems: list[str] = field(default_factory=list)


class Tier(Protocol):
    """One way of phrasing an answer. Raises `TierError` when it cannot answer."""

    name: str
    model: str

    def generate(self, request: AnswerRequest) -> str: ...


class TierError(Exception):
    """A tier failed (error, timeout, refusal, failed quality gate); the next tier answers."""


def chunk_text(text: str, words_per_chunk: int = 3) -> Iterator[str]:
    """Split an answer into small pieces for streaming, keeping whitespace."""
    words = text.split(" ")
    for i in range(0, len(words), words_per_chunk):
        piece = " ".join(words[i : i + words_per_chunk])
        yield piece if i + words_per_chunk >= len(words) else piece + " "
