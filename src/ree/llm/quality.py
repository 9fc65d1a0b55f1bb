"""The quality gate: an answer is used only if it is grounded, in the right language, and real.

Grounding: every price, area and listing id the answer states must be in the context it was
given (the listings, the computed facts, or the user's own constraints). A failed check is a
retryable failure: the gateway moves on to the next tier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ree.llm.base import AnswerRequest
from ree.models import Listing
from ree.vi.numbers import parse_area, parse_price
from ree.vi.vocab import detect_language

_PRICE = re.compile(r"(\d+(?:[.,]\d+)*)\s*(tỷ|triệu|nghìn|billion|million)", re.IGNORECASE)
_AREA = re.compile(r"(\d+(?:[.,]\d+)*)\s*m²")
_URL = re.compile(r"https?://\S+")
_ID = re.compile(r"\b([a-z][a-z0-9_]{1,30}):([A-Za-z0-9][A-Za-z0-9_.-]{0,80})\b")
_REFUSALS = ("as an ai", "i cannot help", "i can't help", "tôi không thể trả lời")


@dataclass(slots=True)
class Verdict:
    ok: bool
    problems: list[str] = field(default_factory=list)


def _norm(span: str) -> str:
    return re.sub(r"\s+", " ", span.strip().lower())


def _fact_numbers(value: Any) -> Iterable[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _fact_numbers(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _fact_numbers(v)


def _stated_prices(text: str) -> Iterable[tuple[str, float | None]]:
    for m in _PRICE.finditer(text):
        value = parse_price(m.group(0))
        yield m.group(0), (float(value.vnd) if value else None)


def _stated_areas(text: str) -> Iterable[tuple[str, float | None]]:
    for m in _AREA.finditer(text):
        yield m.group(0), parse_area(m.group(0))


@dataclass(slots=True)
class _Context:
    """The values an answer may state: from the listings (fields and their own text), the
    computed facts, and the user's constraints."""

    prices: list[float]
    areas: list[float]
    ids: set[str]

    @classmethod
    def of(cls, req: AnswerRequest) -> _Context:
        listings: list[Listing] = req.listings
        f = req.filters
        prices = [float(x.price_vnd) for x in listings if x.price_vnd]
        prices += [x.price_vnd / x.area_m2 for x in listings if x.price_vnd and x.area_m2]
        prices += [v for v in _fact_numbers(req.facts) if v >= 1000]
        prices += [float(v) for v in (f.price_min, f.price_max) if v]
        areas = [x.area_m2 for x in listings if x.area_m2]
        areas += [v for v in (f.area_min, f.area_max) if v]
        areas += list(_fact_numbers(req.facts))
        for x in listings:
            own = f"{x.title}\n{x.description}"
            prices += [v for _, v in _stated_prices(own) if v]
            areas += [v for _, v in _stated_areas(own) if v]
        return cls(prices, areas, {x.id for x in listings})

    @staticmethod
    def _near(value: float, known: list[float]) -> bool:
        """Equal up to the rounding of a displayed number (3 significant figures)."""
        return any(abs(value - k) <= max(0.006 * k, 0.051) for k in known)

    def has_price(self, value: float) -> bool:
        return self._near(value, self.prices)

    def has_area(self, value: float) -> bool:
        return self._near(value, self.areas)


def check_answer(answer: str, req: AnswerRequest) -> Verdict:
    """Run every check; the verdict lists what failed."""
    problems: list[str] = []
    text = answer.strip()
    if not text:
        return Verdict(False, ["empty"])
    low = text.lower()
    if any(r in low for r in _REFUSALS):
        problems.append("refusal")
    if req.question.strip() and _norm(text) == _norm(req.question):
        problems.append("copy_of_prompt")
    if detect_language(text) != req.language:
        problems.append(f"language_not_{req.language}")
    ctx = _Context.of(req)
    for span, price in _stated_prices(text):
        if price is None or not ctx.has_price(price):
            problems.append(f"ungrounded_price:{span}")
    for span, area in _stated_areas(text):
        if area is None or not ctx.has_area(area):
            problems.append(f"ungrounded_area:{span}")
    for m in _ID.finditer(_URL.sub(" ", text)):
        if m.group(0) not in ctx.ids and m.group(1) in {x.source for x in req.listings}:
            problems.append(f"ungrounded_id:{m.group(0)}")
    return Verdict(not problems, problems)
