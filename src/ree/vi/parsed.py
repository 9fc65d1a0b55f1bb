"""The shape of a parsed message, and the cue tables every part of the parser shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from ree.models import Direction, Feature, LegalStatus, PropertyType, Sort, Transaction
from ree.vi.lexicon import Lexicon, Token
from ree.vi.places import PlaceMention
from ree.vi.text import fold, normalize
from ree.vi.vocab import data_file

__all__ = [
    "Amount",
    "ParsedQuery",
    "bound_lexicon",
    "chat_vocab",
    "cue_lexicon",
    "drop_key_lexicon",
    "mark_tokens",
    "number_words",
    "token_at",
    "token_range",
]

Bound = Literal["max", "min", "approx", "bare", "range", "exact"]


@dataclass(frozen=True)
class Amount:
    """A price (VND) or area (m²) read from the message, with how it bounds the search."""

    low: float
    high: float
    bound: Bound
    per_month: bool = False


@dataclass
class ParsedQuery:
    """Everything one message says, before conversation context is applied."""

    text: str
    tokens: list[Token]
    language: Literal["vi", "en"] = "vi"
    refs: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    demonstrative: bool = False
    own_home_told: bool = False  # "ba mẹ tôi có căn nhà ở …, giá của căn đó": told, then "căn đó"
    first_home: bool = False  # "mua căn đầu tiên": listing 1 once results are shown, else a home
    superlative_ref: str | None = None  # "cheapest" / "largest" ("căn rẻ nhất")
    prices: list[Amount] = field(default_factory=list)
    areas: list[Amount] = field(default_factory=list)
    bedrooms: tuple[int | None, int | None] | None = None
    bathrooms_min: int | None = None
    places: list[PlaceMention] = field(default_factory=list)
    near_places: list[PlaceMention] = field(default_factory=list)
    types: list[PropertyType] = field(default_factory=list)
    weak_types: list[PropertyType] = field(default_factory=list)
    features: list[Feature] = field(default_factory=list)
    directions: list[Direction] = field(default_factory=list)
    legal: list[LegalStatus] = field(default_factory=list)
    sort: Sort | None = None
    transactions: list[Transaction] = field(default_factory=list)
    rent_only_type: bool = False
    serviced: bool = False
    monthly_usd: bool = False
    region: str | None = None  # the conversation's province: where shared names are read
    per_m2_price: bool = False  # "chào 1 tỷ/m2": a price per m², which no key holds
    bare_room: bool = False  # the room type came from a bare "phòng" (maybe the unit's room)
    bare_nha: bool = False  # the house type came from a bare "nhà" (maybe the draft's home)
    can_asked: bool = False  # "có căn nào 2pn …": a flat, or one of the homes being searched
    rooms_bare: bool = False  # the bedroom count was "N phòng" (a dwelling's, or N rooms)
    negated: dict[str, list[str]] = field(default_factory=dict)
    cues: dict[str, int] = field(default_factory=dict)  # cue -> first token index
    drop_keys: list[str] = field(default_factory=list)
    consumed: list[bool] = field(default_factory=list)
    place_tokens: set[int] = field(default_factory=set)
    unkeyed: int = 0  # property details with no filter key (floors, "view biển", "gần chợ")

    def has(self, *cues: str) -> bool:
        """True when any of the named cues occurs in the message."""
        return any(c in self.cues for c in cues)

    def constraint_count(self) -> int:
        """How many filter-bearing things the message states."""
        return sum(
            bool(x)
            for x in (
                self.prices, self.areas, self.bedrooms, self.bathrooms_min, self.places,
                self.near_places, self.types, self.weak_types, self.features, self.directions,
                self.legal, self.sort, self.transactions,
            )
        )  # fmt: skip


@cache
def chat_vocab() -> dict[str, Any]:
    """The conversation cue tables (chat.json), loaded once."""
    data: dict[str, Any] = data_file("chat.json")
    return data


@cache
def cue_lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    for name, phrases in chat_vocab()["cues"].items():
        lex.add_all(phrases, name)
    for name, phrases in chat_vocab()["cues_marked"].items():
        if not name.startswith("_"):
            lex.add_all(phrases, name, verify="marked")
    return lex


@cache
def bound_lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    for name, phrases in chat_vocab()["bounds"].items():
        lex.add_all(phrases, name)
    return lex


@cache
def drop_key_lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    for name, phrases in chat_vocab()["drop_keys"].items():
        lex.add_all(phrases, name)
    return lex


@cache
def spelled_numbers() -> frozenset[str]:
    """The number words as typed with their marks ("hai", "bốn", "năm"), one word each."""
    numbers = data_file("districts.json")["numbers"]
    return frozenset(normalize(w).lower() for ws in numbers.values() for w in ws if " " not in w)


@cache
def number_words() -> dict[str, int]:
    out: dict[str, int] = {}
    for n, words in data_file("districts.json")["numbers"].items():
        for w in words:
            out.setdefault(fold(w), int(n))
    out.update({"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7})
    out.update({"tam": 8, "chin": 9, "muoi": 10, "one": 1, "two": 2, "three": 3, "four": 4})
    out.update({"five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10})
    return out


def mark_tokens(consumed: list[bool], tokens: list[Token], start: int, end: int) -> None:
    for k, t in enumerate(tokens):
        if t.start < end and t.end > start:
            consumed[k] = True


def token_at(tokens: list[Token], char: int) -> int:
    for k, t in enumerate(tokens):
        if t.end > char:
            return k
    return len(tokens)


def token_range(p: ParsedQuery, start: int, end: int) -> list[int]:
    return [k for k, t in enumerate(p.tokens) if t.start < end and t.end > start]
