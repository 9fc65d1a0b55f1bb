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
from ree.vi.numbers import format_price_en, format_price_vi
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


def _prices_of(values: Iterable[int]) -> set[str]:
    out: set[str] = set()
    for v in values:
        out.add(_norm(format_price_vi(v)))
        out.add(_norm(format_price_en(v)).removesuffix(" vnd"))
    return out


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


def _allowed(req: AnswerRequest) -> tuple[set[str], set[str], set[str]]:
    listings: list[Listing] = req.listings
    money = [x.price_vnd for x in listings if x.price_vnd]
    money += [int(x.price_vnd / x.area_m2) for x in listings if x.price_vnd and x.area_m2]
    money += [int(v) for v in _fact_numbers(req.facts) if v >= 1000]
    f = req.filters
    money += [v for v in (f.price_min, f.price_max) if v]
    areas = {_norm(f"{x.area_m2:g} m²") for x in listings if x.area_m2}
    areas |= {_norm(f"{v:g} m²") for v in (f.area_min, f.area_max) if v}
    areas |= {_norm(f"{v:g} m²") for v in _fact_numbers(req.facts)}
    ids = {x.id for x in listings}
    return _prices_of(money), areas, ids


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
    prices, areas, ids = _allowed(req)
    for m in _PRICE.finditer(text):
        if _norm(m.group(0)) not in prices:
            problems.append(f"ungrounded_price:{m.group(0)}")
    for m in _AREA.finditer(text):
        if _norm(m.group(0)) not in areas:
            problems.append(f"ungrounded_area:{m.group(0)}")
    for m in _ID.finditer(_URL.sub(" ", text)):
        if m.group(0) not in ids and m.group(1) in {x.source for x in req.listings}:
            problems.append(f"ungrounded_id:{m.group(0)}")
    return Verdict(not problems, problems)
