"""Property details written in listing text: rooms, floors, frontage, road width, facing.

"3PN 2WC", "nhà 1 trệt 2 lầu" (3 floors), "1 tầng hầm + 3 tầng nổi" (4), "3 tầng + 1 tum" (4),
"1 hầm 4 tầng" (4: a bare basement is not counted, as the portal's own forms count it), "5T",
"mặt tiền 5m", "ngang 4,5m", "5x20" (5 m wide), "hẻm xe hơi 6m", "đường trước nhà 12m",
"lộ giới 13m", "hướng Đông Nam", "ban công hướng Tây Bắc".

Each `find_*` returns `Detail`s (span in `normalize(text)` and value), left to right; the
listing extractor decides which mention counts. "tầng 12" (which floor an apartment is on),
"cách đường 200m" (a distance), "2 mặt tiền" (a count), "mỗi tầng 2 phòng ngủ" (per floor) and
"tòa 35 tầng" (a tower) are not read as details. Facing spans refer to the text after "Đông -
Nam" is joined and "Bắc12" split, so they may be off by a character or two there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Generic, TypeVar

from ree.models import Direction
from ree.vi.lexicon import Lexicon, Token
from ree.vi.numbers import find_areas
from ree.vi.quantities import BATH_UNIT, BEDS_RANGE, NUMW, ROOM_UNIT
from ree.vi.text import fold, fold_aligned, normalize
from ree.vi.vocab import outside_places, vocab, vocab_hits

__all__ = [
    "Detail",
    "find_balcony_directions",
    "find_bathrooms",
    "find_bedrooms",
    "find_floors",
    "find_frontages",
    "find_house_directions",
    "find_road_widths",
]

T = TypeVar("T")
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Detail(Generic[T]):
    """One detail found in text: its span in the normalised text and its value."""

    start: int
    end: int
    value: T


@lru_cache(maxsize=32)
def _folded(text: str) -> str:
    return fold_aligned(normalize(text or "")[:MAX_TEXT])


_SMALL_NUMBERS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6}


def _count(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    return _SMALL_NUMBERS.get(raw)


# Listing text also writes "2N", "3N2VS", "1N+1" (Hanoi style), "6 p. ngủ", "6p ngủ"; queries keep
# the shared units. A bare "phòng" is a bedroom unless it names another kind of room.
_OTHER_ROOM = (
    r"(?!\s*(?:spa|xong|karaoke|kara|hop|giat|doc|nghe|hoi|da\s+nang|chieu|an\b|kham|thay|"
    r"sinh\s+hoat|game|giai\s+tri|phoi|kho|ky\s+thuat|bao\s+ve|le\s+tan|cong\s+nang|gia\s+dinh))"
)
_LISTING_ROOM = rf"(?:{ROOM_UNIT}(?:(?<!phong)|{_OTHER_ROOM})|p\.?\s*ngu)"
_ROOM_START = r"(?:(?<![\w.,])|(?<=[a-z]{3})(?=\d))"  # "...nội thất cao cấp4PN": a glued line break
BEDS = re.compile(
    rf"{_ROOM_START}({NUMW})\s*-?\s*(?:{_LISTING_ROOM}|n(?=\s*(?:\d|\+|$|[,.;)/\s])))(?![a-z])"
    r"(\s*\+\s*1(?!\d))?(\s*\+)?"
)


# "2PN2WC", "3N2VS": the bathroom count glued to the bedrooms.
BATHS = re.compile(rf"(?:(?<![\w.,])|(?<=\dpn)|(?<=\dn))({NUMW})\s*-?\s*{BATH_UNIT}(?![a-z])")


def find_bedrooms(text: str) -> list[Detail[int]]:
    """Bedroom counts ("3PN", "2 phòng ngủ", "4 ngủ"); a range "2-3PN" gives no count."""
    folded = _folded(text)
    ranges = [(m.start(), m.end()) for m in BEDS_RANGE.finditer(folded)]
    out: list[Detail[int]] = []
    for m in BEDS.finditer(folded):
        if any(a <= m.start() < b for a, b in ranges):
            continue
        n = _count(m.group(1))
        if n is None or not 0 < n <= 30:
            continue
        if (
            _bare_n(folded, m)
            and not m.group(2)
            and not (
                _N_BEFORE.search(folded[max(0, m.start() - 8) : m.start()])
                or _N_AFTER.match(folded, m.end())
            )
        ):
            continue  # a bare "2N" counts after "căn" or before "2VS", "+1"
        if _per_floor(folded, m.start()):
            continue
        if m.group(1).isdigit() or _spelled_ok(text, m.start(1)):
            out.append(Detail(m.start(), m.end(), n))
    return out


# "mỗi tầng 2 phòng ngủ", "mỗi căn 1 WC": a count per floor or unit, not the home's total.
_PER_BEFORE = re.compile(
    r"(?<![a-z])moi\s+(?:tang|lau|san|can|phong|nha)\s*(?:deu\s*)?(?:co|gom|la)?\s*:?\s*$"
)


def _per_floor(folded: str, start: int) -> bool:
    return _PER_BEFORE.search(folded, max(0, start - 22), start) is not None


_N_BEFORE = re.compile(r"(?<![a-z])(?:can|can\s+ho|ch|loai|gom|co)\s*$")
_N_AFTER = re.compile(r"\s*(?:\d\s*(?:wc|vs|ve\s*sinh|toilet)|\+|\s*\d{2,3}(?:[.,]\d+)?\s*m)")


def _bare_n(folded: str, m: re.Match[str]) -> bool:
    unit = folded[m.end(1) : m.end()].strip(" -+1")
    return unit == "n"


def _spelled_ok(text: str, start: int) -> bool:
    """A spelled number must carry its accents when the text has any: "ba" is not "bà"."""
    norm = normalize(text)[:MAX_TEXT]
    word = norm[start : start + 4].split(" ")[0].lower()
    return word.isascii() or word in ("một", "hai", "ba", "bốn", "tư", "năm", "sáu")


def find_bathrooms(text: str) -> list[Detail[int]]:
    """Bathroom counts ("2WC", "3 vệ sinh", "2 toilet")."""
    folded = _folded(text)
    out: list[Detail[int]] = []
    for m in BATHS.finditer(folded):
        n = _count(m.group(1))
        if _per_floor(folded, m.start()):
            continue
        if n is not None and 0 < n <= 30 and (m.group(1).isdigit() or _spelled_ok(text, m.start())):
            out.append(Detail(m.start(), m.end(), n))
    return out


# ----- floors ------------------------------------------------------------------------------

# "tầng" followed by a number is a floor number ("tầng 3") unless that number counts something
# else ("2 tầng 3 phòng ngủ", "7 tầng 1 tum").
_COUNTED = (
    r"(?:tum|ham|tret|lung|lau|tang|pn|phong|ngu|wc|vs|ve\s+sinh|toilet|p\b|n\b|mat|can|m\b|m2)"
)
_LEVEL = (
    r"(?:tang\s+ham|ham|tret|lung|lau|"
    rf"tang(?!\s+(?:\d+(?!\d)(?!\s*{_COUNTED})|thu\b))|tum|t(?![a-z]))"
)
_FLOOR_PART = rf"(?P<n>\d{{1,2}}|mot)\s*(?P<unit>{_LEVEL})(?:\s*(?:noi|ham))?(?![a-z0-9])"
_FLOOR_CHAIN = re.compile(
    rf"(?<![\w.,/]){_FLOOR_PART}(?:\s*(?:\+|,|va|and|-)?\s*(?:\d{{1,2}}|mot)\s*{_LEVEL}"
    r"(?:\s*(?:noi|ham))?(?![a-z0-9]))*"
)
_PART = re.compile(rf"(?P<n>\d{{1,2}}|mot)\s*(?P<unit>{_LEVEL})")
_BARE_T_AFTER = re.compile(r"(?:m2|m²|m|\d)\s*[x×\*]\s*$")
# A bare "5T" is storeys unless money ("giá 5T", "chỉ 5T") or a tonnage ("xe 5T") comes first.
_BARE_T_BAD = re.compile(
    r"(?<![a-z])(?:gia|chi|con|ban|chao|tu|khoang|nhinh|hon|tam|ty|tr|trieu|xe|tai|tan|lh|sdt)"
    r"\s*[:\-]?\s*$"
)
# "tòa 35 tầng", "block A 25 tầng", "chung cư (21 tầng": a tower's storeys, not the home's.
_FLOOR_BEFORE_BAD = re.compile(r"(?:toa|block|thap|chung\s+cu|tong)\s*\(?\s*$")


def _bare_t_ok(folded: str, start: int) -> bool:
    before = folded[max(0, start - 12) : start]
    return _BARE_T_AFTER.search(before) is not None or _BARE_T_BAD.search(before) is None


def _storeys(parts: list[re.Match[str]]) -> int:
    """Add up a chain: a bare "hầm" (basement) is not a storey, a "tầng hầm" or "tum" is."""
    units = [p.group("unit") for p in parts]
    if len(units) != len(set(units)):  # "3 tầng, 5 tầng": alternatives, not storeys to add
        parts = parts[:1]
        units = units[:1]
    total = sum(
        1 if p.group("n") == "mot" else int(p.group("n")) for p in parts if p.group("unit") != "ham"
    )
    if units == ["lau"]:
        total += 1  # "nhà 3 lầu": three storeys above the ground floor
    return total


def find_floors(text: str) -> list[Detail[int]]:
    """Storey counts: "3 tầng", "1 trệt 2 lầu" (3), "3 tầng + 1 tum" (4), "45m2 x 5T" (5).

    "3 lầu" alone is read as 3 + the ground floor only when a "trệt" is written; a bare hầm
    (basement) is not counted ("1 hầm 4 tầng" is 4); a bare "T" counts unless money or a
    tonnage comes first ("giá 5T"). "tầng 12" is a floor number, not a count, and a tower's
    storeys ("tòa 35 tầng") are not the home's.
    """
    folded = _folded(text)
    out: list[Detail[int]] = []
    for m in _FLOOR_CHAIN.finditer(folded):
        parts = list(_PART.finditer(m.group(0)))
        if any(p.group("unit") == "t" for p in parts) and not _bare_t_ok(folded, m.start()):
            continue
        if _FLOOR_BEFORE_BAD.search(folded, max(0, m.start() - 14), m.start()):
            continue
        total = _storeys(parts)
        if 0 < total <= 100:
            out.append(Detail(m.start(), m.end(), total))
    return out


# ----- widths ------------------------------------------------------------------------------

# "4m5" is 4.5 m and "ngang 4m2" 4.2 m, but "40m2" is an area: a lone "2" after the "m" is a
# decimal only after a one-digit width.
_ONE_DIGIT_M = r"(?:(?<=(?<!\d)\dm)|(?<=(?<!\d)\d\sm)|(?<=(?<!\d)\dmet))"
_WIDTH = (
    r"(?P<w>\d{1,3}(?:[.,]\d{1,2})?)\s*(?:m|met)"
    rf"(?P<sub>(?:{_ONE_DIGIT_M}|(?!2(?!\d)))\d{{1,2}}(?!\d|[.,]\d))?"
    r"(?![2²a-z\d])"
)
_FRONT_WORDS = (
    r"(?:chieu\s+ngang\s+mat\s+tien|chieu\s+ngang|be\s+ngang|ngang|mat\s+tien(?!\s+(?:duong|pho|"
    r"hem|ngo))|mt(?!\s+(?:duong|pho|hem|ngo)))"
)
# Words between a frontage word and its width: "mặt tiền rộng lên đến 8m", "mặt tiền chính 5,3m",
# "mặt tiền (ngang): 4,1m", "MT = MH = 4,4m", "mặt tiền mặt hậu 5m", "mặt tiền siêu đẹp 5,5m".
_FRONT_FILLER = (
    r"(?:nha|dat|rong|la|len|den|toi|toi\s+thieu|thuc\s+te|khoang|gan|hon|nhinh|chinh|sieu|dep|"
    r"dai|mat\s+hau|mh|no\s+hau|ngang|\(\s*ngang\s*\)|[:=\-])"
)
_FRONTAGE = re.compile(rf"(?<![\w]){_FRONT_WORDS}\s*(?:{_FRONT_FILLER}\s*){{0,4}}{_WIDTH}")
# "2 mặt tiền" is a count of frontages ("tầng 3 mặt tiền 7,4m" is not).
_COUNT_BEFORE = re.compile(
    r"(?<!tang\s)(?<!lau\s)(?:(?<![\w.,])\d{1,2}|(?<![a-z])(?:hai|ba|bon))\s*$"
)
_DIMS = re.compile(r"(\d+(?:[.,]\d+)?)\s*m?\s*[x×\*]")
_ROAD_WORDS = (
    r"(?:lo\s+gioi|hem\s+xe\s+hoi|hem\s+xe\s+tai|hem\s+oto|hem\s+o\s+to|hxh|hem|ngo|ngach|kiet|"
    r"mat\s+tien\s+duong|mat\s+duong|duong\s+truoc\s+nha|duong\s+truoc\s+mat|duong\s+noi\s+bo|"
    r"duong\s+noi\s+khu|duong\s+vao|ngo\s+vao|duong|pho)"
)
# Words between a road word and its width: "đường nhựa vào đất 6m", "đường trước cửa rộng 12m",
# "đường bê tông hiện trạng 3m", "đường 2 làn rộng 10m", "đường nhựa đều 8m"; "đường vỉa hè 12m"
# and "đường hè 30m" (a street with its pavements) but not "phố - vỉa hè 5m".
_ROAD_FILLER = (
    r"(?:xe\s+hoi|oto|o\s+to|truoc\s+(?:nha|dat|mat|cua)|truoc|thong|vao\s+(?:nha|dat)|vao|rong|"
    r"nhua|be\s+tong|to|lon|chinh|hien\s+huu|hien\s+trang|deu|tranh|dep|chuan|thenh\s+thang|"
    r"mat\s+tien(?=\s+rong)|\d\s*lan(?:\s+xe)?|:|-|la)"
)
_ROAD = re.compile(
    rf"(?<![\w]){_ROAD_WORDS}(?:\s+(?:via\s+)?he(?![a-z]))?\s*(?:{_ROAD_FILLER}\s*)*"
    rf"{_WIDTH}"
)
# A road's name between the road word and its width: "đường Thích Quảng Đức rộng 22,5m",
# "lộ giới Duyên Hải 40m", "mặt đường đại lộ Nam Sông Mã rộng 67m", "đại lộ Hữu Nghị 61m".
_NOT_NAME = r"(?:nha|dat|lo|mat|ngang|tien|can|hem|ngo|duong|cach|sau|dai|rong|mo|qh|quy)\b"
_NAME_WORD = rf"(?:\s+(?!{_NOT_NAME})[a-z]+)"
_ROAD_NAMED = re.compile(
    rf"(?<![\w])(?:{_ROAD_WORDS}{_NAME_WORD}{{1,4}}\s+rong|lo\s+gioi{_NAME_WORD}{{1,3}}"
    rf"|dai\s+lo{_NAME_WORD}{{1,4}}\s*\(?\s*(?:rong)?)"  # "đại lộ Hữu Nghị (rộng 61m)"
    rf"\s*:?\s*{_WIDTH}"
)
_DISTANCE_BEFORE = re.compile(r"(?:cach|den|toi|ra|sat|gan|tu)\s*$")


def _width(m: re.Match[str]) -> float | None:
    value = float(m.group("w").replace(",", "."))
    if m.group("sub"):
        value += int(m.group("sub")) / 10 ** len(m.group("sub"))
    return value if 0 < value <= 200 else None


def find_frontages(text: str) -> list[Detail[float]]:
    """Frontage widths in metres: "mặt tiền 5m", "ngang 4,5m", "MT 6m", and "5x20" (5)."""
    folded = _folded(text)
    out: list[Detail[float]] = []
    for m in _FRONTAGE.finditer(folded):
        if _COUNT_BEFORE.search(folded, max(0, m.start() - 9), m.start()):
            continue
        value = _width(m)
        if value is not None and value <= 100:
            out.append(Detail(m.start(), m.end(), value))
    norm = normalize(text or "")[:MAX_TEXT]
    for a in find_areas(norm):
        dims = _DIMS.match(folded, a.start, a.end)
        if dims and not any(d.start <= a.start < d.end for d in out):
            width = float(dims.group(1).replace(",", "."))
            if 1 <= width <= 100:
                out.append(Detail(a.start, a.end, width))
    out.sort(key=lambda d: d.start)
    return out


def find_road_widths(text: str) -> list[Detail[float]]:
    """Widths of the road or alley in front: "hẻm 6m", "đường 12m", "lộ giới 13m".

    "cách đường 200m" is a distance and is skipped, as are widths above 100 m.
    """
    folded = _folded(text)
    out: list[Detail[float]] = []
    plain = list(_ROAD.finditer(folded))
    named = [
        m
        for m in _ROAD_NAMED.finditer(folded)
        if not any(p.start() < m.end() <= p.end() for p in plain)
    ]
    for m in sorted(plain + named, key=lambda m: m.start()):
        if _DISTANCE_BEFORE.search(folded[max(0, m.start() - 8) : m.start()]):
            continue
        value = _width(m)
        if value is not None and value <= 100:
            out.append(Detail(m.start(), m.end(), value))
    return out


# ----- directions --------------------------------------------------------------------------


# The shared triggers also hold conjunctions ("hướng Đông hoặc Nam" in a query); in listing text
# a conjunction only continues a facing already read ("Đông và Nam"), it does not start one.
_CONJUNCTIONS = frozenset({"hoac", "or", "va", "and", "hay"})


@cache
def _trigger_lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    lex.add_all(
        [t for t in vocab()["direction_triggers"] if fold(t) not in _CONJUNCTIONS], "trigger"
    )
    return lex


_BALCONY = re.compile(r"\b(?:ban cong|bc|lo gia|logia|balcony)\b")
_ABBREVIATION_CUE = re.compile(r"\b(?:huong|cua|cua chinh|ban cong|bc|lo gia|logia)\b")
_SPLIT_DIRECTION = re.compile(r"(?i)\b(đông|tây|dong|tay)\s*[-–/]\s*(nam|bắc|bac)\b")
_GLUED_DIRECTION = re.compile(r"(?i)\b(bắc|nam|đông|tây|bac|dong|tay)(?=\d)")  # "Tây Bắc12 tỷ"
# "hướng cửa chính và ban công Tây Bắc": one facing for both.
_DOOR_AND_BALCONY = re.compile(
    r"\b(?:cua chinh|cua|nha)\s+(?:va|and|cung|voi)?\s*(?:ban cong|bc|lo gia|logia)\b"
)
# "ban công đều hướng Nam", "cửa chính là Tây Bắc", "ban công đều về Nam": words between the
# subject and the facing.
_FILLERS = frozenset({"deu", "la", "co", "cung", "chinh", "thi", "huong", "ve"})


def _subject_end(tokens: list[Token], first: int) -> int:
    """Index after the last word before `first` that is not a filler ("đều", "là")."""
    k = first
    while (
        k > 0 and first - k < 3 and tokens[k - 1].folded in _FILLERS and not tokens[k].stop_before
    ):
        k -= 1
    return k


def _prepared(text: str) -> str:
    text = (text or "")[:MAX_TEXT]
    if _SPLIT_DIRECTION.search(text):  # "Đông - Nam" (the text is rewritten only then)
        text = _SPLIT_DIRECTION.sub(r"\1 \2", text)
    if _GLUED_DIRECTION.search(text):
        text = _GLUED_DIRECTION.sub(r"\1 ", text)
    return text


@lru_cache(maxsize=32)
def _directions(text: str) -> tuple[tuple[Detail[Direction], bool, bool], ...]:
    """(direction, balcony word before it, door/house word before it) for each facing."""
    norm, tokens, hits = vocab_hits(_prepared(text))
    triggers = _trigger_lexicon().scan(tokens)
    trig_at = {k: h.payload for h in triggers for k in range(h.first, h.last)}
    out: list[tuple[Detail[Direction], bool, bool]] = []
    last_end = -1
    facing = [h for h in hits if h.payload.kind == "direction"]
    if facing:  # "view hướng thẳng Hồ Tây", "hướng về Bắc Ninh": a place, not a facing
        facing = outside_places(norm, facing)
    for hit in facing:
        end = _subject_end(tokens, hit.first)
        before = range(max(0, end - 3), hit.first)
        words = " ".join(tokens[k].folded for k in before)
        balcony = bool(_BALCONY.search(words))
        chained = last_end >= 0 and 0 <= hit.first - last_end <= 1 and out
        if hit.payload.short:  # "hướng ĐN", "hướng nhà: TB", "cửa ĐN - BC TB"
            written = norm[hit.start : hit.end]
            ok = any(tokens[k].folded == "huong" for k in before) or (
                len(written) == 2 and written.isupper() and bool(_ABBREVIATION_CUE.search(words))
            )
        else:
            ok = any(k in trig_at for k in before) or balcony or bool(chained)
        if not ok:
            continue
        lead = " ".join(tokens[k].folded for k in range(max(0, end - 6), end))
        door = balcony and bool(_DOOR_AND_BALCONY.search(lead))
        if chained and not any(k in trig_at for k in before) and not balcony:
            balcony, door = out[-1][1], out[-1][2]
        value = Direction(hit.payload.values[0])
        if chained and _narrows(out[-1][0].value, value):  # "hướng Bắc - Tây Bắc": north-west
            prev, balcony, door = out.pop()
            out.append((Detail(prev.start, hit.end, value), balcony, door))
        else:
            out.append((Detail(hit.start, hit.end, value), balcony, door))
        last_end = hit.last
    return tuple(out)


def _narrows(first: Direction, then: Direction) -> bool:
    """Whether `then` is an in-between direction next to the cardinal `first` ("Bắc - Đông Bắc")."""
    return "_" not in first.value and first.value in then.value.split("_")


def find_house_directions(text: str) -> list[Detail[Direction]]:
    """Where the house or door faces: "hướng Đông Nam", "nhà hướng Bắc", "cửa chính hướng Tây"."""
    return [d for d, balcony, door in _directions(text) if not balcony or door]


def find_balcony_directions(text: str) -> list[Detail[Direction]]:
    """Where the balcony faces: "ban công hướng Tây Bắc", "BC hướng Đông"."""
    return [d for d, balcony, _ in _directions(text) if balcony]
