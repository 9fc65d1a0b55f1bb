"""Read one chat message into constraints and cues (no conversation logic here).

`parse_query` finds, in one pass each: listing references ("căn thứ 2"), prices and areas with
the words around them ("dưới 4 tỷ", "60-75m2", "tầm 10 củ"), room counts ("2PN", "3 ngủ trở
lên"), places (gazetteer), vocabulary (types, features, directions, legal, sort, transaction)
and conversation cues (seller, valuation, market, drop, "rẻ hơn"…). `ree.chat.understand`
turns the result into an intent and effective filters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from ree.models import Direction, Feature, LegalStatus, PropertyType, Sort, Transaction
from ree.vi.gazetteer import gazetteer
from ree.vi.lexicon import Hit, Lexicon, Token, tokenize
from ree.vi.numbers import find_areas, find_prices
from ree.vi.places import PlaceMention, resolve_places
from ree.vi.text import fold, fold_aligned, normalize
from ree.vi.vocab import VocabItem, data_file, frontage_width_follows, vocab, vocab_lexicon

__all__ = ["Amount", "ParsedQuery", "chat_vocab", "parse_query"]

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
def _cue_lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    for name, phrases in chat_vocab()["cues"].items():
        lex.add_all(phrases, name)
    for name, phrases in chat_vocab()["cues_marked"].items():
        if not name.startswith("_"):
            lex.add_all(phrases, name, verify="marked")
    return lex


@cache
def _bound_lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    for name, phrases in chat_vocab()["bounds"].items():
        lex.add_all(phrases, name)
    return lex


@cache
def _drop_key_lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    for name, phrases in chat_vocab()["drop_keys"].items():
        lex.add_all(phrases, name)
    return lex


@cache
def _number_words() -> dict[str, int]:
    out: dict[str, int] = {}
    for n, words in data_file("districts.json")["numbers"].items():
        for w in words:
            out.setdefault(fold(w), int(n))
    out.update({"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7})
    out.update({"tam": 8, "chin": 9, "muoi": 10, "one": 1, "two": 2, "three": 3, "four": 4})
    out.update({"five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10})
    return out


_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "dau tien": 1, "cuoi": -1, "cuoi cung": -1,
}  # fmt: skip

_NUMW = r"(?:\d{1,2}|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|one|two|three|four|five)"
_NOT_BEDROOM = r"(?!\s*(?:tro|tam|khach|bep|ve\s*sinh|wc|gym|tap|cho|lam|tho|o\b))"
_ROOM_UNIT = rf"(?:pn|phong\s+ngu|ngu|br|bed|beds|bedrooms?|bdr|phong{_NOT_BEDROOM})"
_BEDS_RANGE = re.compile(
    rf"(?<![\w.,])(\d{{1,2}})\s*(?:-|–|den|toi|to|~)\s*(\d{{1,2}})\s*-?\s*{_ROOM_UNIT}(?![a-z])"
)
_BEDS = re.compile(rf"(?<![\w.,])({_NUMW})\s*-?\s*{_ROOM_UNIT}(?![a-z])(\s*\+\s*1(?!\d))?(\s*\+)?")
_BEDS_PLUS = re.compile(rf"(?<![\w.,])(\d{{1,2}})\s*\+\s*{_ROOM_UNIT}(?![a-z])")
_BATH_UNIT = (
    r"(?:wcs?|vs|ve\s*sinh|toilets?|bathrooms?|baths?|phong\s*tam|nha\s*ve\s*sinh|nha\s*tam)"
)
_BATHS = re.compile(rf"(?<![\w.,])({_NUMW})\s*-?\s*{_BATH_UNIT}(?![a-z])")
_BED_MIN_BEFORE = re.compile(r"(?:tu|it\s+nhat|toi\s+thieu|at\s+least|min|tren)\s*$")
_BED_MIN_AFTER = re.compile(r"^\s*(?:tro\s+len|or\s+more|\+)")
_VI_ORD = r"(?:\d{1,2}|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|dau\s+tien|cuoi\s+cung|cuoi)"
_REF_VI = re.compile(
    rf"\b(?:can|cai|tin|so|lua\s+chon|phuong\s+an)\s+(?:thu\s+|so\s+)?({_VI_ORD})\b"
)
_EN_WORD_ORD = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)"
_EN_ORD = rf"(?:{_EN_WORD_ORD}|\d{{1,2}}(?:st|nd|rd|th))"
_EN_ITEM = r"(?:one|listing|option|result|apartment|house)"
_REF_EN = re.compile(
    r"\b(?:listing|option|number|no\.?|result|#)\s*(\d{1,2})\b"
    rf"|\b(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)\s+{_EN_ITEM}\b"
    rf"|\bthe\s+({_EN_WORD_ORD})\s+{_EN_ITEM}\b"
)
_REF_EN_LIST = re.compile(
    rf"\b(?:the\s+)?({_EN_ORD}(?:\s*(?:,|and|&)\s*(?:the\s+)?{_EN_ORD})+)\s+{_EN_ITEM}s\b"
    r"|\blistings?\s+(\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})+)\b"
)
_REF_FIRST_N = re.compile(
    r"\b(?:first|top)\s+(two|three|four|five|\d)\b|\b(\d|hai|ba|bon)\s+can\s+dau\b"
)
_REF_LIST_TAIL = re.compile(r"^\s*(?:,|va|voi|hay|hoac|and|&|vs)\s*(?:can\s+|so\s+)?(\d{1,2})\b")
_REF_DEMO = re.compile(
    r"\b(?:can|cai|tin)\s+(?:do|nay|kia|ay|vua\s+roi|vua\s+xem|tren)\b|\b(?:that|this)\s+(?:one|listing|apartment|house|place)\b"
)
_REF_SUPER = re.compile(r"\bcan\s+(re\s+nhat|dat\s+nhat|to\s+nhat|rong\s+nhat|nho\s+nhat)\b")
_IDS = re.compile(r"\b[a-z][a-z0-9_-]{1,20}:[a-z0-9_-]+\b")
_CODE = re.compile(r"\b[A-Z]{1,3}\d{2,5}\b")
_NOT_REF_AFTER = re.compile(
    r"^\s*(?:pn|phong|ngu|br|bed|wc|m2|m\b|tang|lau|ty|trieu|tr\b|toi|cu\b|t\b|x\d|,\d|\.\d|\+)"
)


def _mark(consumed: list[bool], tokens: list[Token], start: int, end: int) -> None:
    for k, t in enumerate(tokens):
        if t.start < end and t.end > start:
            consumed[k] = True


def _ref_number(raw: str) -> int | None:
    raw = raw.strip()
    if raw.isdigit():
        return int(raw)
    if raw in _ORDINALS:
        return _ORDINALS[raw]
    return _number_words().get(raw)


def _find_refs(p: ParsedQuery, folded: str) -> None:
    for m in _REF_VI.finditer(folded):
        if _NOT_REF_AFTER.match(folded[m.end() :]):
            continue
        n = _ref_number(re.sub(r"\s+", " ", m.group(1)))
        if n is None:
            continue
        p.refs.append(n)
        end = m.end()
        while tail := _REF_LIST_TAIL.match(folded[end:]):
            if _NOT_REF_AFTER.match(folded[end + tail.end() :]):
                break
            p.refs.append(int(tail.group(1)))
            end += tail.end()
        _mark(p.consumed, p.tokens, m.start(), end)
    for m in _REF_EN.finditer(folded):
        raw = m.group(1) or m.group(2) or m.group(3)
        n = _ref_number(raw)
        if n is not None:
            p.refs.append(n)
            _mark(p.consumed, p.tokens, m.start(), m.end())
    for m in _REF_EN_LIST.finditer(folded):
        for raw in re.findall(rf"{_EN_ORD}|\d{{1,2}}", m.group(1) or m.group(2)):
            n = _ref_number(re.sub(r"(?<=\d)(st|nd|rd|th)$", "", raw))
            if n is not None:
                p.refs.append(n)
        _mark(p.consumed, p.tokens, m.start(), m.end())
    for m in _REF_FIRST_N.finditer(folded):
        n = _ref_number(m.group(1) or m.group(2))
        if n:
            p.refs.extend(range(1, n + 1))
            _mark(p.consumed, p.tokens, m.start(), m.end())
    if _REF_DEMO.search(folded):
        p.demonstrative = True
        for m in _REF_DEMO.finditer(folded):
            _mark(p.consumed, p.tokens, m.start(), m.end())
    if m2 := _REF_SUPER.search(folded):
        p.superlative_ref = "cheapest" if m2.group(1).startswith(("re", "nho")) else "largest"
        if m2.group(1).startswith("dat"):
            p.superlative_ref = "priciest"
    p.refs = list(dict.fromkeys(p.refs))


_BARE_PAIR = re.compile(
    r"\b(\d{1,2})((?:\s*(?:,|and|&|vs|voi|va|hay|or)\s*\d{1,2}\b)+)(?!\s*[a-z%/.,]*\d*\s*(?:ty|tr|trieu|m2|pn|ngu|b\b|m\b))"
)


def _find_bare_pairs(p: ParsedQuery, folded: str) -> None:
    """ "compare 1 and 3", "so sánh 2 với 4": bare numbers next to a compare word."""
    if p.refs or not _cue_lexicon().scan(p.tokens):
        return
    if not any(h.payload in ("compare", "compare_with") for h in _cue_lexicon().scan(p.tokens)):
        return
    for m in _BARE_PAIR.finditer(folded):
        numbers = [int(m.group(1)), *map(int, re.findall(r"\d{1,2}", m.group(2)))]
        if all(0 < n <= 20 for n in numbers):
            p.refs.extend(numbers)
            _mark(p.consumed, p.tokens, m.start(), m.end())


def _find_ids(p: ParsedQuery, folded: str) -> None:
    for m in _IDS.finditer(folded):
        if not re.fullmatch(r"\d+:\d+", m.group(0)):
            p.ids.append(p.text[m.start() : m.end()])
            _mark(p.consumed, p.tokens, m.start(), m.end())
    for m in _CODE.finditer(p.text):
        idx = [k for k, t in enumerate(p.tokens) if t.start == m.start()]
        if idx and not p.consumed[idx[0]] and not gazetteer().lexicon.match_at(p.tokens, idx[0]):
            p.ids.append(m.group(0))
            _mark(p.consumed, p.tokens, m.start(), m.end())


# ----- amounts -----------------------------------------------------------------------------

_GAP_WORDS = frozenset({"gia", "la", "muc", "chi", "vao", "con", "co", "tam", "khoang", "tien"})
_RANGE_SEP = re.compile(r"^\s*(?:-|–|~|den|toi|to|and)\s*$")
_LOW_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*(?:-|–|~|den|toi|to)\s*$")
_PLUS_AFTER = re.compile(r"^\s*\+")
_UNIT_WORD = re.compile(r"[^\d\s.,+\-/]+")


def _token_at(tokens: list[Token], char: int) -> int:
    for k, t in enumerate(tokens):
        if t.end > char:
            return k
    return len(tokens)


def _bound_before(
    tokens: list[Token], bounds: list[Hit[str]], cues: list[Hit[str]], first: int
) -> str | None:
    for hit in reversed(bounds + cues):
        gap = range(hit.last, first)
        if hit.last <= first and all(tokens[k].folded in _GAP_WORDS for k in gap) and len(gap) <= 2:
            name = hit.payload
            if name in ("cheaper", "smaller"):
                return "max"
            if name in ("larger", "pricier"):
                return "min"
            if name in ("max", "min", "approx"):
                return name
    return None


def _bound_symbol(before: str) -> str | None:
    """ "<3 tỷ", "≥ 80m2": a comparison sign right before the amount."""
    m = re.search(r"([<>≤≥])=?\s*$", before)
    if m is None:
        return None
    return "max" if m.group(1) in "<≤" else "min"


def _bound_after(text: str, tokens: list[Token], bounds: list[Hit[str]], end: int) -> str | None:
    if _PLUS_AFTER.match(text[end:]):
        return "min"
    nxt = _token_at(tokens, end)
    for hit in bounds:
        if hit.first == nxt and hit.payload in ("max_after", "min_after"):
            return "max" if hit.payload == "max_after" else "min"
    return None


def _amount(value: float, bound: str | None, per_month: bool = False) -> Amount:
    if bound == "max":
        return Amount(0, value, "max", per_month)
    if bound == "min":
        return Amount(value, 0, "min", per_month)
    if bound == "approx":
        return Amount(value, value, "approx", per_month)
    return Amount(value, value, "bare", per_month)


def _low_of_range(folded: str, start: int, unit_text: str, is_price: bool) -> float | None:
    m = _LOW_NUMBER.search(folded[:start])
    if not m:
        return None
    if not is_price:
        return float(m.group(1).replace(",", "."))
    from ree.vi.numbers import parse_price

    low = parse_price(f"{m.group(1)} {unit_text}")
    return float(low.vnd) if low else None


def _read_amounts(
    p: ParsedQuery, folded: str, spans: list[tuple[int, int, float, bool, str]], is_price: bool
) -> list[Amount]:
    """Bounds for price or area spans: (start, end, value, per_month, unit text)."""
    bounds = _bound_lexicon().scan(p.tokens)
    cues = [h for h in _cue_lexicon().scan(p.tokens) if h.payload in _RELATIVE]
    out: list[Amount] = []
    prev_end = -1
    for start, end, value, per_month, unit in spans:
        between = folded[prev_end:start] if prev_end >= 0 else ""
        if out and prev_end >= 0 and _RANGE_SEP.match(between):
            low = out.pop()
            out.append(Amount(low.low or low.high, value, "range", per_month))
        elif out and prev_end >= 0 and re.fullmatch(r"\s*(?:fix|fix con|bot con)\s*", between):
            high = out.pop()
            out.append(Amount(value, high.high or high.low, "range", per_month))
        else:
            low_v = _low_of_range(folded, start, unit, is_price)
            if low_v is not None and low_v < value:
                s = _LOW_NUMBER.search(folded[:start])
                _mark(p.consumed, p.tokens, s.start() if s else start, start)
                out.append(Amount(low_v, value, "range", per_month))
            else:
                first = _token_at(p.tokens, start)
                bound = (
                    _bound_after(p.text, p.tokens, bounds, end)
                    or _bound_symbol(p.text[:start])
                    or _bound_before(p.tokens, bounds, cues, first)
                )
                out.append(_amount(value, bound, per_month))
        _mark(p.consumed, p.tokens, start, end)
        prev_end = end
    return out


_RELATIVE = frozenset({"cheaper", "smaller", "larger", "pricier"})


def _find_amounts(p: ParsedQuery, folded: str) -> None:
    price_spans = []
    for m in find_prices(p.text):
        if m.value.per_m2:
            _mark(p.consumed, p.tokens, m.start, m.end)
            continue
        unit = _UNIT_WORD.search(p.text[m.start : m.end])
        price_spans.append(
            (m.start, m.end, float(m.value.vnd), m.value.per_month, unit.group(0) if unit else "")
        )
    p.prices = _read_amounts(p, folded, price_spans, True)
    area_spans = [(a.start, a.end, a.m2, False, "m2") for a in find_areas(p.text) if a.m2 > 1]
    area_spans = [
        s for s in area_spans if not any(p.consumed[k] for k in _tok_range(p, s[0], s[1]))
    ]
    p.areas = _read_amounts(p, folded, area_spans, False)


def _tok_range(p: ParsedQuery, start: int, end: int) -> list[int]:
    return [k for k, t in enumerate(p.tokens) if t.start < end and t.end > start]


# ----- rooms -------------------------------------------------------------------------------


@cache
def _spelled() -> frozenset[str]:
    numbers = data_file("districts.json")["numbers"]
    return frozenset(normalize(w).lower() for ws in numbers.values() for w in ws if " " not in w)


def _spelled_number_ok(p: ParsedQuery, start: int, end: int) -> bool:
    """A number word must be one: "hải phòng" is a city, not two rooms."""
    k = _token_at(p.tokens, start)
    if k >= len(p.tokens) or p.tokens[k].folded.isdigit():
        return True
    tok = p.tokens[k]
    if not tok.lower.isascii():
        return tok.lower in _spelled()
    if any(not t.lower.isascii() for t in p.tokens):  # accents typed elsewhere: a bare "hai"
        return True
    place = gazetteer().lexicon.match_at(p.tokens, k)
    return place is None or place.end < end


def _find_rooms(p: ParsedQuery, folded: str) -> None:
    words = _number_words()

    def num(m: re.Match[str]) -> int | None:
        raw = m.group(1)
        if raw.isdigit():
            return int(raw)
        return words.get(raw) if _spelled_number_ok(p, m.start(1), m.end()) else None

    m = _BEDS_RANGE.search(folded)
    if m:
        p.bedrooms = (int(m.group(1)), int(m.group(2)))
        _mark(p.consumed, p.tokens, m.start(), m.end())
    else:
        m = _BEDS_PLUS.search(folded)
        if m:
            p.bedrooms = (int(m.group(1)), None)
            _mark(p.consumed, p.tokens, m.start(), m.end())
    if p.bedrooms is None:
        for m in _BEDS.finditer(folded):
            n = num(m)
            if n is None or any(p.consumed[k] for k in _tok_range(p, m.start(), m.end())):
                continue
            low_only = bool(m.group(3)) or bool(_BED_MIN_BEFORE.search(folded[: m.start()]))
            low_only = low_only or bool(_BED_MIN_AFTER.match(folded[m.end() :]))
            p.bedrooms = (n, n + 1) if m.group(2) else (n, None if low_only else n)
            _mark(p.consumed, p.tokens, m.start(), m.end())
            break
    for m in _BATHS.finditer(folded):
        n = num(m)
        if n is not None:
            p.bathrooms_min = n
            _mark(p.consumed, p.tokens, m.start(), m.end())
    floors = "|".join(fold(w) for w in chat_vocab()["floors"])
    for m in re.finditer(rf"(?<![\w.,])\d{{1,2}}\s*(?:{floors})(?![a-z])", folded):
        _mark(p.consumed, p.tokens, m.start(), m.end())
        p.unkeyed += 1
    for m in re.finditer(r"\b(?:tro\s+len|or\s+more)\b", folded):
        if p.bedrooms and any(p.consumed[k] for k in _tok_range(p, m.start() - 12, m.start())):
            _mark(p.consumed, p.tokens, m.start(), m.end())


# ----- vocabulary and places ---------------------------------------------------------------


@cache
def _trigger_lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    lex.add_all(vocab()["direction_triggers"], "trigger")
    return lex


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _settle(
    places: list[PlaceMention], hits: list[Hit[VocabItem]]
) -> tuple[list[PlaceMention], list[Hit[VocabItem]]]:
    """Where a place and a vocabulary phrase overlap, the longer wins (a tie: the place).

    A "gần trường/near school" feature and a school landmark both stand.
    """
    keep_places: list[PlaceMention] = []
    dropped_hits: set[int] = set()
    for m in places:
        span = (m.first, m.last)
        rivals = [i for i, h in enumerate(hits) if _overlaps(span, (h.first, h.last))]
        near_feature = all(
            hits[i].payload.kind == "feature" and fold(hits[i].phrase).startswith(("gan", "near"))
            for i in rivals
        )
        if (
            rivals
            and not near_feature
            and any(hits[i].last - hits[i].first > m.last - m.first for i in rivals)
        ):
            continue
        if not near_feature:
            dropped_hits.update(rivals)
        keep_places.append(m)
    return keep_places, [h for i, h in enumerate(hits) if i not in dropped_hits]


def _negated_hits(
    tokens: list[Token], hits: list[Hit[VocabItem]], places: list[PlaceMention]
) -> set[int]:
    negs = [h for h in hits if h.payload.kind == "negation"]
    triggers = {k for h in _trigger_lexicon().scan(tokens) for k in range(h.first, h.last)}
    out: set[int] = set()
    for n in negs:
        for i, h in enumerate(hits):
            if h.payload.kind in ("negation", "no_tag"):
                continue
            gap = range(n.last, h.first)
            if (
                h.first >= n.last
                and len(gap) <= 2
                and all(
                    k in triggers or tokens[k].folded in ("can", "co", "phai", "lay") for k in gap
                )
            ):
                out.add(i)
                break
    return out


def _direction_ok(
    tokens: list[Token], hit: Hit[VocabItem], accepted: list[Hit[VocabItem]], triggers: set[int]
) -> bool:
    before = range(max(0, hit.first - 3), hit.first)
    after = range(hit.last, min(len(tokens), hit.last + 1))
    has_trigger = any(k in triggers for k in before) or any(
        tokens[k].folded in ("facing", "facing") for k in after
    )
    if hit.payload.short:
        return hit.first > 0 and tokens[hit.first - 1].folded == "huong"
    chained = any(0 <= hit.first - a.last <= 1 for a in accepted)
    return has_trigger or chained


def _apply_vocab(p: ParsedQuery, hits: list[Hit[VocabItem]], negated: set[int]) -> None:
    triggers = {k for h in _trigger_lexicon().scan(p.tokens) for k in range(h.first, h.last)}
    accepted_dirs: list[Hit[VocabItem]] = []
    rent_only = {fold(x) for x in vocab()["rent_only_types"]}
    for i, h in enumerate(hits):
        item = h.payload
        if item.kind == "negation":
            continue
        if i in negated:
            p.negated.setdefault(item.kind, []).extend(item.values)
            _mark(p.consumed, p.tokens, h.start, h.end)
            continue
        if item.kind == "direction":
            if not _direction_ok(p.tokens, h, accepted_dirs, triggers):
                continue
            accepted_dirs.append(h)
        if item.kind == "type" and fold(h.phrase) == "can" and not _bare_can_is_apartment(p, h):
            continue
        if item.kind != "no_tag":
            _mark(p.consumed, p.tokens, h.start, h.end)
        elif h.last - h.first >= 2:
            p.unkeyed += 1
        _collect(p, item, h, rent_only)


@cache
def _serviced() -> frozenset[str]:
    return frozenset(fold(x) for x in vocab()["serviced_types"]["phrases"])


_USD_MONTH = re.compile(
    r"(?:\$\s*\d[\d.,]*|\d[\d.,]*\s*(?:usd|\$|do\b|do la))\s*(?:/|mot|moi|a|per)?\s*(?:thang|month)"
)


def _bare_can_is_apartment(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """LABELS: "căn" alone is an apartment in "căn 2PN", "căn 3 ngủ", "căn studio"."""
    rest = fold_aligned(p.text[h.end :])
    return bool(re.match(rf"\s*(?:{_NUMW})\s*-?\s*{_ROOM_UNIT}|\s*(?:studio|goc|penthouse)", rest))


def _collect(p: ParsedQuery, item: VocabItem, h: Hit[VocabItem], rent_only: set[str]) -> None:
    if item.kind == "type":
        p.types.extend(PropertyType(v) for v in item.values)
        p.features.extend(item.extra_features)
        p.rent_only_type = p.rent_only_type or fold(h.phrase) in rent_only
        p.serviced = p.serviced or fold(h.phrase) in _serviced()
    elif item.kind == "weak_type":
        p.weak_types.extend(PropertyType(v) for v in item.values)
    elif item.kind == "feature":
        if not frontage_width_follows(h.phrase, p.text[h.end :]):
            p.features.extend(Feature(v) for v in item.values)
    elif item.kind == "direction":
        p.directions.extend(Direction(v) for v in item.values)
    elif item.kind == "legal":
        p.legal.extend(LegalStatus(v) for v in item.values)
    elif item.kind == "sort":
        p.sort = Sort(item.values[0])
    elif item.kind == "transaction":
        p.transactions.append(Transaction(item.values[0]))


def _find_places_and_vocab(p: ParsedQuery) -> None:
    gaz = gazetteer()
    skip = list(p.consumed)
    places = resolve_places(gaz, p.tokens, skip, p.text)
    hits = vocab_lexicon().scan(p.tokens, skip)
    straddled = [
        h
        for h in hits
        for m in places
        if m.first < h.first < m.last < h.last and m.kind != "street"
    ]
    if straddled:  # "sunrise city view sông": the place gives way to "view sông"
        for h in straddled:
            skip[h.first : h.last] = [True] * (h.last - h.first)
        places = resolve_places(gaz, p.tokens, skip, p.text)
    places, hits = _settle(places, hits)
    covered = list(skip)
    for span in [(m.first, m.last) for m in places] + [(h.first, h.last) for h in hits]:
        covered[span[0] : span[1]] = [True] * (span[1] - span[0])
    hits = sorted(hits + vocab_lexicon().scan(p.tokens, covered), key=lambda h: h.first)
    near_cues = {h.last for h in _cue_lexicon().scan(p.tokens) if h.payload == "near"}
    near_cues |= {  # "gần ga metro Bến Thành": the place after a "near" feature is a point
        h.last for h in hits if fold(h.phrase).startswith(("gan ", "near ", "sat ", "canh "))
    }
    for m in places:
        _mark(p.consumed, p.tokens, p.tokens[m.first].start, p.tokens[m.last - 1].end)
        p.place_tokens.update(range(m.first, m.last))
        is_near = m.first in near_cues or (m.first - 1 in near_cues and m.kind == "landmark")
        (p.near_places if is_near and m.kind in ("project", "ward") else p.places).append(m)
        if is_near and m.landmark_kind == "school":  # LABELS: a university counts as a school
            p.features.append(Feature.NEAR_SCHOOL)
    _apply_vocab(p, hits, _negated_hits(p.tokens, hits, places))
    if p.types and any(t != PropertyType.HOUSE for t in p.types):
        bare = [i for i, t in enumerate(p.types) if t == PropertyType.HOUSE]
        if bare and len(bare) < len(p.types):
            p.types = [t for t in p.types if t != PropertyType.HOUSE] if _bare_house(p) else p.types
    p.types = list(dict.fromkeys(p.types))
    p.features = list(dict.fromkeys(p.features))
    p.directions = list(dict.fromkeys(p.directions))
    p.legal = list(dict.fromkeys(p.legal))


def _bare_house(p: ParsedQuery) -> bool:
    """Whether every "house" came from a bare "nhà" (which yields to a named type)."""
    folded = [t.folded for t in p.tokens]
    for k, f in enumerate(folded):
        if f == "nha" and k + 1 < len(folded) and folded[k + 1] in ("rieng", "dat", "pho", "o"):
            return False
    return True


# ----- cues and the remaining words --------------------------------------------------------


def _cue_hits(p: ParsedQuery) -> list[Hit[str]]:
    skip = [k in p.place_tokens for k in range(len(p.tokens))]
    return _cue_lexicon().scan(p.tokens, skip)


def _find_cues(p: ParsedQuery) -> None:
    hits = _cue_hits(p)
    for h in hits:
        p.cues.setdefault(h.payload, h.first)
    if "?" in p.text:
        p.cues.setdefault("question", len(p.tokens))
    keys = _drop_key_lexicon().scan(p.tokens)
    drops = [h for h in hits if h.payload == "drop"]
    for d in drops:
        near = [k for k in keys if -1 <= k.first - d.last <= 3 or 0 <= d.first - k.last <= 2]
        p.drop_keys.extend(k.payload for k in near)
    p.drop_keys = list(dict.fromkeys(p.drop_keys))


def query_text(p: ParsedQuery) -> str:
    """The words no parser used (for BM25), without filler words."""
    filler = {fold(w) for w in chat_vocab()["filler"]}
    cue_tokens = {k for h in _cue_hits(p) for k in range(h.first, h.last)}
    bound_tokens = {k for h in _bound_lexicon().scan(p.tokens) for k in range(h.first, h.last)}
    trig = {k for h in _trigger_lexicon().scan(p.tokens) for k in range(h.first, h.last)}
    cue_tokens |= bound_tokens | trig
    words = [
        p.text[t.start : t.end]
        for k, t in enumerate(p.tokens)
        if not p.consumed[k] and k not in cue_tokens and t.folded not in filler
    ]
    return " ".join(words)


def _mark_particles(p: ParsedQuery) -> None:
    """A final unaccented "nha"/"nhé" in an accented message is a particle, not "nhà"."""
    particles = set(vocab()["language"]["particles"]["words"])
    if not p.tokens or not any(not t.lower.isascii() for t in p.tokens):
        return
    last = len(p.tokens) - 1
    if p.tokens[last].lower in particles and last > 0:
        p.consumed[last] = True


def parse_query(message: str) -> ParsedQuery:
    """Parse one message (at most 2,000 characters are read)."""
    from ree.vi.vocab import detect_language

    text = normalize(message or "")[:2000]
    tokens = tokenize(text)
    p = ParsedQuery(text=text, tokens=tokens, consumed=[False] * len(tokens))
    p.language = detect_language(text)
    folded = fold_aligned(text)
    _mark_particles(p)
    _find_refs(p, folded)
    _find_bare_pairs(p, folded)
    _find_ids(p, folded)
    _find_amounts(p, folded)
    p.monthly_usd = bool(_USD_MONTH.search(folded))
    _find_rooms(p, folded)
    _find_places_and_vocab(p)
    _find_cues(p)
    return p
