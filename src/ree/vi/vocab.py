"""The one vocabulary: property types, features, directions, legal status, furnishing.

Every alias lives in `ree/vi/data/vocab.json`; this module only reads it (once, lazily) and
answers questions about text. Listing fields ("Đông - Bắc", "Sổ đỏ/ Sổ hồng", "Đầy đủ.")
and free text ("căn hộ hướng đông nam, có hồ bơi") go through the same tables.

Rule for the portals' combined category "Sổ đỏ/ Sổ hồng" (and "Có sổ"): a listing field that
names either certificate reads as `pink_book`. Since 2009 both books are the same certificate
(Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở…), issued in the pink form, so pink is
the current name of any certificate; a field naming only "Sổ đỏ" stays `red_book`. A *query*
saying "có sổ" asks for either and gets both (see `legal_in_query`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from ree.models import Direction, Feature, Furnishing, LegalStatus, PropertyType, Sort, Transaction
from ree.vi.lexicon import Hit, Lexicon, Token, Verify, tokenize
from ree.vi.text import fold, fold_aligned, normalize

__all__ = [
    "VocabItem",
    "data_file",
    "detect_language",
    "expand_abbreviations",
    "find_features",
    "find_legal_statuses",
    "find_property_types",
    "frontage_width_follows",
    "legal_in_query",
    "outside_places",
    "parse_direction",
    "parse_furnishing",
    "parse_legal_status",
    "parse_property_type",
    "vocab",
    "vocab_hits",
    "vocab_lexicon",
]

Kind = Literal[
    "type",
    "weak_type",
    "feature",
    "direction",
    "legal",
    "furnishing",
    "sort",
    "transaction",
    "no_tag",
    "negation",
]


@dataclass(frozen=True)
class VocabItem:
    """What a vocabulary phrase means: its kind and the value(s) it stands for."""

    kind: Kind
    values: tuple[str, ...]
    extra_features: tuple[Feature, ...] = ()
    short: bool = False  # a 1-2 letter abbreviation, only trusted in a labelled field


def data_file(name: str) -> Any:
    """Load one JSON file from `ree/vi/data/` (callers cache the result)."""
    with resources.files("ree.vi").joinpath("data", name).open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def vocab() -> dict[str, Any]:
    """The raw vocabulary table (vocab.json), loaded once."""
    data: dict[str, Any] = data_file("vocab.json")
    return data


def _entries(section: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in section.items() if not k.startswith("_")]


def _add_values(lex: Lexicon[VocabItem], kind: Kind, table: dict[str, Any]) -> None:
    marked = set(vocab()["marked_phrases"]["phrases"])
    for value, phrases in _entries(table):
        for phrase in phrases:
            short = len(fold(phrase).replace(" ", "")) <= 2
            verify: Verify = "marked" if phrase in marked else "exact"
            lex.add(phrase, VocabItem(kind, (value,), short=short), verify)


@cache
def vocab_lexicon() -> Lexicon[VocabItem]:
    """Every vocabulary phrase in one lexicon (types, features, legal, sort, …)."""
    v = vocab()
    lex: Lexicon[VocabItem] = Lexicon()
    marked = set(v["marked_phrases"]["phrases"])
    for phrase in v["no_tag"]["phrases"]:  # "xuống giá" typed so; "xuong gia" may be "xưởng giá"
        lex.add(phrase, VocabItem("no_tag", ()), "marked" if phrase in marked else "exact")
    for phrase, spec in _entries(v["property_type_extras"]):
        feats = tuple(Feature(f) for f in spec["features"])
        lex.add(phrase, VocabItem("type", (spec["type"],), feats))
    for value, phrases in _entries(v["weak_types"]):
        lex.add_all(phrases, VocabItem("weak_type", (value,)))
    lex.add_all(v["legal_either_book"]["phrases"], VocabItem("legal", ("pink_book", "red_book")))
    lex.add_all(v["legal_other"], VocabItem("legal", ("other",)))
    _add_values(lex, "legal", v["legal"])
    _add_values(lex, "type", v["property_types"])
    _add_values(lex, "feature", v["features"])
    _add_values(lex, "sort", v["sort"])
    _add_values(lex, "transaction", v["transaction"])
    _add_values(lex, "direction", v["directions"])
    _add_values(lex, "furnishing", v["furnishing"])
    for phrase in v["negations"]:  # "đừng" typed so; unaccented "dung" is mostly "đúng"
        lex.add(phrase, VocabItem("negation", ()), "marked" if phrase in marked else "exact")
    return lex


def vocab_hits(text: str) -> tuple[str, list[Token], list[Hit[VocabItem]]]:
    """`normalize(text)`, its tokens and every vocabulary hit (cached: do not mutate)."""
    return _scanned(text)


def _scanned(text: str) -> tuple[str, list[Token], list[Hit[VocabItem]]]:
    """Normalised text, tokens and every vocabulary hit (the listing extractor asks about the
    same text several times: types, features, legal status, furnishing)."""
    return _scanned_norm(normalize(text))


@lru_cache(maxsize=32)
def _scanned_norm(norm: str) -> tuple[str, list[Token], list[Hit[VocabItem]]]:
    tokens = tokenize(norm)
    return norm, tokens, vocab_lexicon().scan(tokens)


def _hits(text: str, kinds: set[str]) -> tuple[list[Token], list[Hit[VocabItem]]]:
    norm, tokens, every = _scanned(text)
    hits = [h for h in every if h.payload.kind in kinds]
    if hits and kinds & _PLACE_SENSITIVE:
        hits = _outside_names(norm, tokens, hits)
    return tokens, hits


_PLACE_SENSITIVE = {"type", "weak_type", "feature", "furnishing", "legal"}


@cache
def _name_parts() -> frozenset[str]:
    return frozenset(fold(p) for p in vocab()["name_parts"]["phrases"])


def _title_case(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _in_name(norm: str, tokens: list[Token], hit: Hit[VocabItem]) -> bool:
    """ "Sunrise Garden", "Nguyễn An Ninh": a name-part word continuing a Title Case name."""
    if fold(hit.phrase) not in _name_parts() or hit.first == 0 or tokens[hit.first].stop_before:
        return False
    prev = tokens[hit.first - 1]
    words = [norm[t.start : t.end] for t in tokens[hit.first - 1 : hit.last]]
    if prev.folded in _street_stop_words() or vocab_lexicon().match_at(tokens, hit.first - 1):
        return False
    return all(_title_case(w) for w in words)


@lru_cache(maxsize=32)
def _place_spans(norm: str) -> list[tuple[int, int]]:
    from ree.vi.gazetteer import gazetteer  # the gazetteer is built on this module

    return [(m.first, m.last) for m in gazetteer().mentions(norm)]


@cache
def _street_stop_words() -> frozenset[str]:
    return frozenset(vocab()["street_stop_words"]["words"])


def _outside_names(
    norm: str, tokens: list[Token], hits: list[Hit[VocabItem]]
) -> list[Hit[VocabItem]]:
    """Drop phrases that sit inside a place name ("Nhà Bè", "Hải Phòng", "phố Hàng Trống",
    a known project or street) or continue a Title Case name ("Sunrise Garden")."""
    spans = _place_spans(norm)
    out = []
    for h in hits:
        inside = any(a <= h.first and h.last <= b and b - a >= h.last - h.first for a, b in spans)
        if inside and h.payload.kind != "legal":
            continue
        if _in_name(norm, tokens, h):
            continue
        out.append(h)
    return out


def outside_places(norm: str, hits: list[Hit[VocabItem]]) -> list[Hit[VocabItem]]:
    """`hits` of `vocab_hits(norm)` that are not inside a place name the gazetteer finds
    ("Tây" in "Hồ Tây", "Bắc" in "Bắc Ninh", "Nam" in "Nam Từ Liêm")."""
    spans = _place_spans(norm)
    return [
        h
        for h in hits
        if not any(a <= h.first and h.last <= b and b - a > h.last - h.first for a, b in spans)
    ]


_COMPOSE = {
    (Direction.NORTH, Direction.EAST): Direction.NORTH_EAST,
    (Direction.NORTH, Direction.WEST): Direction.NORTH_WEST,
    (Direction.SOUTH, Direction.EAST): Direction.SOUTH_EAST,
    (Direction.SOUTH, Direction.WEST): Direction.SOUTH_WEST,
}


@lru_cache(maxsize=1024)  # portal fields repeat a few values
def parse_direction(text: str) -> Direction | None:
    """A compass direction from a field or phrase: "Đông - Bắc", "ĐB", "north east"."""
    if not text or not text.strip():
        return None
    _, hits = _hits(text[:200], {"direction"})
    if not hits:
        return None
    first = Direction(hits[0].payload.values[0])
    if len(hits) > 1 and hits[1].first == hits[0].last:
        second = Direction(hits[1].payload.values[0])
        pair = _COMPOSE.get((first, second)) or _COMPOSE.get((second, first))
        if pair is not None:
            return pair
    return first


@lru_cache(maxsize=1024)  # portal fields repeat a few values
def parse_legal_status(text: str) -> LegalStatus | None:
    """A listing's legal status: "Sổ đỏ/ Sổ hồng" -> pink_book (see module doc), "HĐMB" ->
    sale_contract, "Đang chờ sổ" -> pending."""
    if not text or not text.strip():
        return None
    _, hits = _hits(text, {"legal"})
    hits = [h for h in hits if h.start < 500]
    if not hits:
        return None
    return LegalStatus(hits[0].payload.values[0])


def find_legal_statuses(text: str) -> list[tuple[int, int, str, LegalStatus]]:
    """Every legal-status phrase in a listing text: (start, end, folded phrase, status).

    Offsets refer to `normalize(text)`; a phrase naming either book ("có sổ", "sổ riêng")
    gives `pink_book`. The listing extractor decides which mention counts.
    """
    if not text or not text.strip():
        return []
    _, hits = _hits(text, {"legal"})
    return [(h.start, h.end, fold(h.phrase), LegalStatus(h.payload.values[0])) for h in hits]


def legal_in_query(item: VocabItem) -> list[LegalStatus]:
    """The statuses a query phrase asks for ("có sổ" asks for both books)."""
    return [LegalStatus(v) for v in item.values]


@lru_cache(maxsize=1024)  # portal fields repeat a few values
def parse_property_type(text: str) -> PropertyType | None:
    """The property type a title or phrase names (LABELS.md table), first mention wins."""
    if not text or not text.strip():
        return None
    _, hits = _hits(text[:1000], {"type", "weak_type"})
    strong = [h for h in hits if h.payload.kind == "type" and fold(h.phrase) != "can"]
    if strong:
        return PropertyType(strong[0].payload.values[0])
    if hits:
        return PropertyType(hits[0].payload.values[0])
    return None


def find_property_types(text: str, limit: int = 5000) -> list[PropertyType]:
    """Every property type a listing text names, first mention first, without repeats.

    Place names do not count ("Nhà Bè" is a district, "Hải Phòng" a city), nor does a bare
    "căn" unless rooms or "studio" follow it ("căn 2PN" is an apartment, "căn góc" says nothing);
    "nhà mình/tôi" (weak) counts only when nothing else is named.
    """
    if not text or not text.strip():
        return []
    norm = _scanned(text)[0]
    _, hits = _hits(text, {"type", "weak_type"})
    strong: list[PropertyType] = []
    weak: list[PropertyType] = []
    bare_house = True
    for h in hits:
        if h.start >= limit:
            break
        if fold(h.phrase) == "can" and not _BARE_CAN.match(fold_aligned(norm[h.end :])):
            continue
        target = strong if h.payload.kind == "type" else weak
        for value in h.payload.values:
            ptype = PropertyType(value)
            if ptype is PropertyType.HOUSE and fold(h.phrase) != "nha":
                bare_house = False
            if ptype not in target:
                target.append(ptype)
    if bare_house and PropertyType.HOUSE in strong and len(strong) > 1:
        strong.remove(PropertyType.HOUSE)  # "xem nhà", "nhận nhà": a bare "nhà" yields
        strong.append(PropertyType.HOUSE)
    return strong or weak


# "căn 2PN", "căn hai phòng ngủ"; a number word is a word: toneless "can ban" (cần bán) is not
# "căn ba N"
_BARE_CAN = re.compile(
    r"\s*(?:goc\s+|ho\s+)?(?:(?:\d{1,2}\s*|(?:mot|hai|ba|bon)\s+)-?\s*"
    r"(?:pn|n|phong\s+ngu|ngu|br|bed)(?![a-z])"
    r"|studio|stu\b|penthouse|duplex)"
)


@lru_cache(maxsize=1024)  # portal fields repeat a few values
def parse_furnishing(text: str) -> Furnishing | None:
    """Furnishing level from a field or text: "Đầy đủ" -> full, "Cơ bản" -> basic, "Thô" -> none."""
    if not text or not text.strip():
        return None
    _, hits = _hits(text, {"furnishing", "feature"})
    for hit in hits:
        if hit.start >= 500:
            break
        if hit.payload.kind == "furnishing":
            return Furnishing(hit.payload.values[0])
        if hit.payload.values == (Feature.FURNISHED.value,):
            return Furnishing.FULL
    return None


def _negated(tokens: list[Token], hit: Hit[VocabItem], negs: list[Hit[VocabItem]]) -> bool:
    return any(0 <= hit.first - n.last <= 1 for n in negs)


_WIDTH = re.compile(r"\s*(?:rong\s+|ngang\s+)?\d+(?:[.,]\d+)?\s*m(?![2²a-z])")


def frontage_width_follows(phrase: str, text_after: str) -> bool:
    """ "mặt tiền 6m" measures the frontage; it does not say the house faces a street."""
    if not fold(phrase).startswith(("mat tien", "mt", "mat pho", "mat duong")):
        return False
    return bool(_WIDTH.match(fold_aligned(text_after)))


def find_features(text: str) -> list[Feature]:
    """The feature tags text mentions, first mention first; negated ones are left out."""
    if not text:
        return []
    norm = _scanned(text[:20_000])[0]
    tokens, hits = _hits(text[:20_000], {"feature", "type", "negation"})
    negs = [h for h in hits if h.payload.kind == "negation"]
    out: list[Feature] = []
    for hit in hits:
        if hit.payload.kind == "negation" or _negated(tokens, hit, negs):
            continue
        if hit.payload.kind == "type":
            feats = list(hit.payload.extra_features)
        elif frontage_width_follows(hit.phrase, norm[hit.end :]):
            continue
        else:
            feats = [Feature(hit.payload.values[0])]
        out.extend(f for f in feats if f not in out)
    return out


@cache
def _language_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    table = vocab()["language"]
    en, vi = set(table["en"]), set(table["vi"])
    both = en & vi
    return frozenset(en - both), frozenset(vi - both), frozenset(table["neutral"]) | both


_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"(?:[aeiouy]{1,3})(?:ng|nh|ch|[cmnpt])?"
)


def _looks_english(word: str) -> bool:
    """An unaccented word that cannot be a Vietnamese syllable ("listings", "found")."""
    return word.isalpha() and bool(re.search("[aeiouy]", word)) and not _VI_SYLLABLE.fullmatch(word)


def looks_glued(word: str) -> bool:
    """A folded word that cannot be one Vietnamese syllable, maybe two typed together."""
    return word.isalpha() and not _VI_SYLLABLE.fullmatch(word)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if len(line.split()) >= 3:
            return line
    return text


def language_scores(text: str) -> tuple[int, int]:
    """(Vietnamese, English) evidence in the first line with 3+ words (see detect_language)."""
    tokens = tokenize(normalize(_first_line(text)))
    marked = sum(not t.lower.isascii() for t in tokens)
    if tokens and marked / len(tokens) >= 0.4:
        return len(tokens), 0
    en_words, vi_words, neutral = _language_words()
    plain = [t.folded for t in tokens if t.lower.isascii() and t.folded not in neutral]
    en = sum(w in en_words or (w not in vi_words and _looks_english(w)) for w in plain)
    vi = marked + sum(w in vi_words for w in plain)
    return vi, en


def detect_language(text: str) -> Literal["vi", "en"]:
    """ "vi" or "en" from the words used (of the first line with 3+ words: the framing).

    Words typed with Vietnamese letters count for Vietnamese, and a line where at least 40% of
    the words carry them is Vietnamese outright. Otherwise English words (known ones, and
    words that cannot be Vietnamese syllables) are weighed against Vietnamese ones, so
    "Find apartments in District 7" is English and "can ho 2pn q7" Vietnamese.
    """
    vi, en = language_scores(text)
    return "en" if en > vi else "vi"


@cache
def _abbreviations() -> dict[str, str]:
    return {fold(k): v for k, v in vocab()["abbreviations"].items()}


def expand_abbreviations(text: str) -> str:
    """Spell out the usual abbreviations ("chcc 2pn hxh" -> "căn hộ chung cư 2 phòng ngủ hẻm
    xe hơi"), for full-text search. One-letter ones (q, p, đ) need context and are left."""
    table = _abbreviations()

    def spell(m: re.Match[str]) -> str:
        num, core = m.group(1), m.group(2)
        expanded = table.get(fold(core)) if len(core) > 1 else None
        if not num and fold(core) in vocab()["abbreviations_after_number"]["words"]:
            expanded = None
        if expanded is None:
            return m.group(0)
        return f"{num} {expanded}" if num else expanded

    return _ABBREV.sub(spell, normalize(text))


_ABBREV = re.compile(r"(?<![\w])(\d*)([^\W\d_]+)(?![\w])")


def as_enum(item: VocabItem) -> list[PropertyType | Feature | Direction | Sort | Transaction]:
    """The enum values a vocabulary item stands for (for the query parser)."""
    kinds: dict[str, Any] = {
        "type": PropertyType,
        "weak_type": PropertyType,
        "feature": Feature,
        "direction": Direction,
        "sort": Sort,
        "transaction": Transaction,
    }
    enum = kinds.get(item.kind)
    return [enum(v) for v in item.values] if enum else []
