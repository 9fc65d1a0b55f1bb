"""The optional LLM assist of query understanding: for messages the rules cannot read.

Off by default (`REE_UNDERSTAND_ASSIST`). When on, a message the rules left mostly unread
(`wanted`) is rewritten by a model tier of the core gateway into a plain query ("can ho hai
ngu q bay tam ba ty ruoi" → "căn hộ 2 phòng ngủ Quận 7 khoảng 3,5 tỷ"); the rules parse the
rewrite, and every constraint the rewrite adds is kept only if the original message grounds
it (`grounded`):

- a number (price, area, rooms) must be a number written in the message, times a unit
  (nghìn, triệu, tỷ), or the ±10% band of one; "1 tỷ 2"-style pairs count;
- a place must be written in the message, fuzzily (typos, missing diacritics) or, for a
  numbered district, as its number; a province may also follow from a grounded district;
- a type, feature, direction, legal status, transaction or sort must have one of its
  vocabulary phrases in the message, fuzzily.

So the model can only help read what the user wrote; it can never add a value. A failed or
slow model leaves the rules' reading as it was: the assist never fails a turn.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from rapidfuzz import fuzz

from ree.chat.understand import Understanding, understand
from ree.llm import Gateway
from ree.llm.dispatch import DispatchFailed
from ree.llm.providers import ChatCall
from ree.models import ConversationState, Filters, Intent
from ree.vi.gazetteer import gazetteer
from ree.vi.parsed import number_words
from ree.vi.text import fold
from ree.vi.vocab import vocab

__all__ = [
    "AssistResult", "GatewayAssistModel", "UnderstandAssist", "grounded", "merge", "wanted",
]  # fmt: skip

log = logging.getLogger(__name__)

MIN_UNREAD_WORDS = 2
FUZZY_CUTOFF = 85.0
_UNITS = (1.0, 1e3, 1e6, 1e9)
_BANDS = (1.0, 0.9, 1.1)
_NUMERIC = ("price_min", "price_max", "area_min", "area_max", "bedrooms_min", "bedrooms_max",
            "bathrooms_min")  # fmt: skip
_ENUM_LISTS = {
    "property_types": "property_types",
    "features": "features",
    "directions": "directions",
    "legal": "legal",
}
_PLACE_LISTS = ("districts", "wards", "streets")

_EXAMPLES = (
    ("can ho hai ngu o q bay tam ba ty ruoi", "căn hộ 2 phòng ngủ Quận 7 khoảng 3,5 tỷ"),
    ("kiem nha hem xe hoi go vap, ngan sach 5 ty do lai", "nhà hẻm xe hơi Gò Vấp dưới 5 tỷ"),
    ("cần thuê phòng gần bk tầm 3 củ", "thuê phòng trọ gần Đại học Bách Khoa khoảng 3 triệu"),
    ("flat two bedrooms district two max 20 million a month",
     "thuê căn hộ 2 phòng ngủ Quận 2 dưới 20 triệu/tháng"),
)  # fmt: skip


class AssistModel(Protocol):
    """What the assist needs from the core gateway: one rewrite from the cheapest model tier."""

    async def rewrite(self, prompt: str, messages: list[dict[str, str]]) -> str | None:
        """The model's text, or None when no model tier could answer."""
        ...


@dataclass
class AssistResult:
    """What the assist did to one reading (for logs, `/v1/understand` and tests)."""

    understanding: Understanding
    used: bool = False
    rewrite: str | None = None
    kept: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def wanted(message: str, u: Understanding) -> bool:
    """Whether the rules left this message unread enough to ask a model.

    Messages the rules read (a constraint found, or a cue such as out-of-scope, smalltalk or
    a reference) are left alone; so is anything with fewer than two unread words.
    """
    unread = [w for w in u.query_text.split() if any(c.isalpha() for c in w)]
    if len(unread) < MIN_UNREAD_WORDS:
        return False
    if u.intent in (Intent.SEARCH, Intent.REFINE, Intent.POST_LISTING):
        return not u.filters.constrained() or len(unread) >= 3
    return u.intent == Intent.OUT_OF_SCOPE and len(message) <= 300


def prompt_for(message: str) -> tuple[str, list[dict[str, str]]]:
    """A few-shot completion prompt (base models) and the same as chat messages."""
    shots = "".join(f"Tin nhắn: {a}\nTruy vấn: {b}\n###\n" for a, b in _EXAMPLES)
    text = " ".join(message.split())[:300]
    prompt = (
        "Viết lại tin nhắn tìm nhà đất thành truy vấn chuẩn, chỉ dùng thông tin có trong tin.\n"
        f"###\n{shots}Tin nhắn: {text}\nTruy vấn:"
    )
    system = (
        "Rewrite the user's Vietnamese real-estate message as one plain search query in "
        "Vietnamese, using only facts present in the message. Reply with the query only."
    )
    chat: list[dict[str, str]] = [{"role": "system", "content": system}]
    for a, b in _EXAMPLES:
        chat += [{"role": "user", "content": a}, {"role": "assistant", "content": b}]
    chat.append({"role": "user", "content": text})
    return prompt, chat


class UnderstandAssist:
    """Rules first; a model rewrite for what they could not read, kept only where grounded."""

    def __init__(self, model: AssistModel) -> None:
        self._model = model

    async def improve(
        self, message: str, state: ConversationState | None, u: Understanding
    ) -> AssistResult:
        """The rules' reading `u`, improved by grounded constraints from a model rewrite."""
        if not wanted(message, u):
            return AssistResult(u)
        prompt, chat = prompt_for(message)
        try:
            text = await self._model.rewrite(prompt, chat)
        except Exception:  # the assist is optional: any failure leaves the rules' reading
            log.warning("understand assist failed", exc_info=True)
            return AssistResult(u)
        rewrite = _first_line(text)
        if not rewrite:
            return AssistResult(u)
        candidate = understand(rewrite, state)
        return merge(message, u, candidate, rewrite)


def merge(
    message: str, rules: Understanding, candidate: Understanding, rewrite: str
) -> AssistResult:
    """Rules' reading + the candidate's constraints that `message` grounds (never removals)."""
    base = rules.filters.model_dump()
    cand = candidate.filters.model_dump()
    kept: list[str] = []
    refused: list[str] = []
    update: dict[str, Any] = {}
    for key, value in cand.items():
        if value is None or value == base.get(key):
            continue
        if base.get(key) is not None and not isinstance(value, list):
            continue  # a value the rules read wins over the model's
        if isinstance(value, list):
            have = list(base.get(key) or [])
            new = [v for v in value if v not in have]
            ok = [v for v in new if grounded(message, key, v)]
            refused += [f"{key}={v}" for v in new if v not in ok]
            if ok:
                update[key] = have + ok
                kept += [f"{key}={v}" for v in ok]
        elif grounded(message, key, value, update):
            update[key] = value
            kept.append(f"{key}={value}")
        else:
            refused.append(f"{key}={value}")
    if not update:
        return AssistResult(rules, True, rewrite, kept, refused)
    filters = Filters.model_validate({**base, **update})
    intent = rules.intent
    if intent == Intent.OUT_OF_SCOPE and candidate.intent in (Intent.SEARCH, Intent.REFINE):
        intent = candidate.intent
    improved = Understanding(
        intent=intent,
        filters=filters,
        language=rules.language,
        refers_to=rules.refers_to,
        query_text=candidate.query_text if intent != rules.intent else rules.query_text,
        relative=rules.relative,
        dropped=rules.dropped,
        listing_ids=rules.listing_ids,
        confirm=rules.confirm,
        subject=rules.subject,
        asked_deal=rules.asked_deal if intent == rules.intent else None,
    )
    return AssistResult(improved, True, rewrite, kept, refused)


def grounded(message: str, key: str, value: Any, context: dict[str, Any] | None = None) -> bool:
    """Whether `message` itself states `key = value` (see the module doc for the rules)."""
    folded = fold(message)
    if key in _NUMERIC:
        return _number_grounded(folded, float(value))
    if key in _ENUM_LISTS or key in ("transaction", "sort"):
        return _phrase_grounded(folded, _phrases(key, str(getattr(value, "value", value))))
    if key in _PLACE_LISTS or key == "project":
        return _place_grounded(folded, str(value))
    if key == "province":
        districts = (context or {}).get("districts") or []
        if any(gazetteer().province_of(d) == value for d in districts):
            return True
        return _place_grounded(folded, str(value))
    return False


_BILLION = frozenset({"ty", "ti", "toi", "t", "b", "bn", "billion", "billions"})
_MILLION = frozenset({"trieu", "tr", "cu", "m", "million", "millions", "mil"})
_THOUSAND = frozenset({"nghin", "ngan", "k", "thousand"})
_AREA = frozenset({"m2", "met", "mv", "sqm", "m"})
_TOKENS = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+\d?")


def _unit(word: str) -> float | None:
    if word in _BILLION:
        return 1e9
    if word in _MILLION:
        return 1e6
    return 1e3 if word in _THOUSAND else None


def _as_number(token: str) -> float | None:
    if token[0].isdigit():
        raw = token
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):  # 1.200.000.000
            return float(raw.replace(".", ""))
        try:
            return float(raw.replace(",", "."))
        except ValueError:
            return None
    value = number_words().get(token)
    return float(value) if value is not None else None


def _numbers(folded: str) -> list[float]:
    """Every amount the message writes, in the units its words give: "3,5 tỷ" → 3.5e9,
    "1 tỷ 2" → 1.2e9, "ba tỷ rưỡi" → 3.5e9, "60 m2" → 60; a number without a unit word may
    stand for any unit (1, 10³, 10⁶, 10⁹); the "2" of "1 tỷ 2" is not a number of its own."""
    tokens = _TOKENS.findall(folded)
    values: list[float] = []
    for i, token in enumerate(tokens):
        n = _as_number(token)
        if n is None:
            continue
        prev = tokens[i - 1] if i > 0 else ""
        if i > 1 and prev in (_BILLION | _MILLION) and _as_number(tokens[i - 2]) is not None:
            continue  # the fraction part of a pair, read with its first number
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        unit = _unit(nxt)
        if nxt in _AREA:
            values.append(n)  # an area ("60 m2"; "60m" may also be 60 million)
            if unit is None:
                continue
        if unit is None:
            values += [n * u for u in _UNITS]
            continue
        values.append(n * unit)
        after = tokens[i + 2] if i + 2 < len(tokens) else ""
        if after == "ruoi":
            values.append((n + 0.5) * unit)
        m = _as_number(after) if (after and after[0].isdigit()) or after in number_words() else None
        if m is not None and after != "ruoi":
            digits = len(after) if after.isdigit() else 1
            values.append((n + m / 10**digits) * unit)
    return values


def _number_grounded(folded: str, value: float) -> bool:
    for n in _numbers(folded):
        for band in _BANDS:
            target = n * band
            if target and abs(target - value) <= 0.005 * abs(target) + 1e-9:
                return True
    return False


@cache
def _phrase_table() -> dict[str, dict[str, tuple[str, ...]]]:
    v = vocab()
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, section in (
        ("property_types", "property_types"),
        ("features", "features"),
        ("directions", "directions"),
        ("legal", "legal"),
        ("transaction", "transaction"),
        ("sort", "sort"),
    ):
        table[key] = {
            value: tuple(fold(p) for p in phrases)
            for value, phrases in v[section].items()
            if not value.startswith("_") and isinstance(phrases, list)
        }
    for value, phrases in v["weak_types"].items():
        if isinstance(phrases, list):
            extra = tuple(fold(p) for p in phrases)
            table["property_types"][value] = table["property_types"].get(value, ()) + extra
    return table


def _phrases(key: str, value: str) -> tuple[str, ...]:
    return _phrase_table().get(key, {}).get(value, ())


def _phrase_grounded(folded: str, phrases: Iterable[str]) -> bool:
    words = set(folded.split())
    for phrase in phrases:
        if len(phrase) <= 3:
            if phrase in words:
                return True
        elif phrase in folded or fuzz.partial_ratio(phrase, folded) >= FUZZY_CUTOFF + 5:
            return True
    return False


def _place_grounded(folded: str, name: str) -> bool:
    target = fold(name)
    number = re.fullmatch(r"(quan|phuong) (\d+)", target)
    if number:
        cues = _DISTRICT_CUES if number.group(1) == "quan" else _WARD_CUES
        return int(number.group(2)) in _numbered(folded, cues)
    core = re.sub(r"^(quan|huyen|phuong|xa|thanh pho|tp|thi xa) ", "", target)
    if len(core) < 4:
        return core in folded.split()
    return fuzz.partial_ratio(core, folded) >= FUZZY_CUTOFF


_DISTRICT_CUES = frozenset({"q", "quan", "qan", "qn", "district", "dist", "d"})
_WARD_CUES = frozenset({"p", "phuong", "ward", "f"})


def _numbered(folded: str, cues: frozenset[str]) -> set[int]:
    """Numbers written right after a district (or ward) word: "q bay", "quan 7", "d7"."""
    found: set[int] = set()
    words = re.findall(r"[a-z]+|\d+", folded)
    for before, word in itertools.pairwise(words):
        if before not in cues:
            continue
        n = int(word) if word.isdigit() else number_words().get(word)
        if isinstance(n, int):
            found.add(n)
    return found


def _first_line(text: str | None) -> str:
    if not text:
        return ""
    for line in text.strip().splitlines():
        line = line.strip().strip("`\"' ")
        if line and not line.startswith("#"):
            return line[:300]
    return ""


class GatewayAssistModel:
    """`AssistModel` over the core gateway: the cheapest model tier, few-shot or chat as that
    tier is prompted, through the same dispatcher (cache, limits, ledger, fallbacks)."""

    def __init__(self, gateway: Gateway, user: str = "understand-assist") -> None:
        self._gateway = gateway
        self._user = user

    async def rewrite(self, prompt: str, messages: list[dict[str, str]]) -> str | None:
        dispatcher = self._gateway.dispatcher
        if dispatcher is None:
            return None
        chain = [name for name in self._gateway.tiers if name in dispatcher.tiers][:1]
        if not chain:
            return None
        if dispatcher.tiers[chain[0]].style == "fewshot":
            call = ChatCall(messages=[], prompt=prompt, max_tokens=48, stop=["\n", "###"])
        else:
            call = ChatCall(messages=messages, max_tokens=48, stop=["\n"])
        try:
            done = await dispatcher.acomplete(call, chain, user=self._user)
        except DispatchFailed:
            return None
        return done.completion.text
