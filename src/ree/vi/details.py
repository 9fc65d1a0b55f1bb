"""Property details written in listing text: rooms, floors, frontage, road width, facing.

"3PN 2WC", "nhà 1 trệt 2 lầu" (3 floors), "1 hầm + 3 tầng nổi" (4), "45m2 x 5T" (5 floors),
"mặt tiền 5m", "ngang 4,5m", "5x20" (5 m wide), "hẻm xe hơi 6m", "đường trước nhà 12m",
"lộ giới 13m", "hướng Đông Nam", "ban công hướng Tây Bắc".

Each `find_*` returns `Detail`s (span in `normalize(text)` and value), left to right; the
listing extractor decides which mention counts. "tầng 12" (which floor an apartment is on),
"cách đường 200m" (a distance) and "2 mặt tiền" (a count) are not read as details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Generic, TypeVar

from ree.models import Direction
from ree.vi.lexicon import Lexicon
from ree.vi.numbers import find_areas
from ree.vi.quantities import BATH_UNIT, BEDS_RANGE, NUMW, ROOM_UNIT
from ree.vi.text import fold_aligned, normalize
from ree.vi.vocab import vocab, vocab_hits

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


# Listing text also writes "2N", "3N2VS", "1N+1" (Hanoi style); queries keep the shared units.
BEDS = re.compile(
    rf"(?<![\w.,])({NUMW})\s*-?\s*(?:{ROOM_UNIT}|n(?=\s*(?:\d|\+|$|[,.;)/\s])))(?![a-z])"
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
        if m.group(1).isdigit() or _spelled_ok(text, m.start(1)):
            out.append(Detail(m.start(), m.end(), n))
    return out


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
        if n is not None and 0 < n <= 30 and (m.group(1).isdigit() or _spelled_ok(text, m.start())):
            out.append(Detail(m.start(), m.end(), n))
    return out


# ----- floors ------------------------------------------------------------------------------

_LEVEL = r"(?:tang\s+ham|ham|tret|lung|lau|tang(?!\s+(?:\d|thu\b))|t(?![a-z]))"
_FLOOR_PART = rf"(?P<n>\d{{1,2}}|mot)\s*(?P<unit>{_LEVEL})(?:\s*(?:noi|ham))?(?![a-z0-9])"
_FLOOR_CHAIN = re.compile(
    rf"(?<![\w.,/]){_FLOOR_PART}(?:\s*(?:\+|,|va|and|-)?\s*(?:\d{{1,2}}|mot)\s*{_LEVEL}"
    r"(?:\s*(?:noi|ham))?(?![a-z0-9]))*"
)
_PART = re.compile(rf"(?P<n>\d{{1,2}}|mot)\s*(?P<unit>{_LEVEL})")
_BARE_T_AFTER = re.compile(r"(?:m2|m²|m|\d)\s*[x×\*]\s*$")
_FLOOR_BEFORE_BAD = re.compile(r"(?:toa|block|gom|cao|thap|nha\s+xe|tong)\s*$")


def find_floors(text: str) -> list[Detail[int]]:
    """Storey counts: "3 tầng", "1 trệt 2 lầu" (3), "1 hầm + 3 tầng nổi" (4), "45m2 x 5T" (5).

    "3 lầu" alone is read as 3 + the ground floor only when a "trệt" is written; a bare "T"
    counts only after "x" ("4x15m x 5T"). "tầng 12" is a floor number, not a count.
    """
    folded = _folded(text)
    out: list[Detail[int]] = []
    for m in _FLOOR_CHAIN.finditer(folded):
        parts = list(_PART.finditer(m.group(0)))
        if any(p.group("unit") == "t" for p in parts) and not _BARE_T_AFTER.search(
            folded[max(0, m.start() - 12) : m.start()]
        ):
            continue
        units = [p.group("unit") for p in parts]
        if len(units) != len(set(units)):  # "3 tầng, 5 tầng": alternatives, not storeys to add
            parts = parts[:1]
        total = 0
        for p in parts:
            n = 1 if p.group("n") == "mot" else int(p.group("n"))
            total += n
        has_tret = any(p.group("unit") == "tret" for p in parts)
        only_lau = all(p.group("unit") == "lau" for p in parts)
        if only_lau and not has_tret and len(parts) == 1:
            total += 1  # "nhà 3 lầu": three storeys above the ground floor
        if 0 < total <= 100:
            out.append(Detail(m.start(), m.end(), total))
    return out


# ----- widths ------------------------------------------------------------------------------

_WIDTH = r"(?P<w>\d{1,3}(?:[.,]\d{1,2})?)\s*(?:m|met)(?P<sub>\d{1,2}(?![\d.,]))?(?![2²a-z\d])"
_FRONT_WORDS = (
    r"(?:chieu\s+ngang\s+mat\s+tien|chieu\s+ngang|be\s+ngang|ngang|mat\s+tien(?!\s+(?:duong|pho|"
    r"hem|ngo))|mt(?!\s+(?:duong|pho|hem|ngo)))"
)
_FRONTAGE = re.compile(
    rf"(?<![\w])(?<!\d\s){_FRONT_WORDS}\s*(?:nha\s*)?(?:rong\s*)?(?:la\s*)?[:=\-]?\s*(?:rong\s*)?"
    rf"{_WIDTH}"
)
_ROAD_WORDS = (
    r"(?:lo\s+gioi|hem\s+xe\s+hoi|hem\s+xe\s+tai|hem\s+oto|hem\s+o\s+to|hxh|hem|ngo|ngach|kiet|"
    r"mat\s+tien\s+duong|mat\s+duong|duong\s+truoc\s+nha|duong\s+truoc\s+mat|duong\s+noi\s+bo|"
    r"duong\s+noi\s+khu|duong\s+vao|ngo\s+vao|duong|pho)"
)
_ROAD = re.compile(
    rf"(?<![\w]){_ROAD_WORDS}\s*(?:xe\s+hoi\s*|oto\s*|o\s+to\s*|truoc\s+(?:nha|dat|mat)\s*|"
    rf"truoc\s*|thong\s*|vao\s*|rong\s*|nhua\s*|be\s+tong\s*|to\s*|lon\s*|chinh\s*|"
    rf"hien\s+huu\s*|:\s*|-\s*|la\s*)*{_WIDTH}"
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
        value = _width(m)
        if value is not None and value <= 100:
            out.append(Detail(m.start(), m.end(), value))
    norm = normalize(text or "")[:MAX_TEXT]
    for a in find_areas(norm):
        dims = re.match(r"(\d+(?:[.,]\d+)?)\s*m?\s*[x×\*]", folded[a.start : a.end])
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
    for m in _ROAD.finditer(folded):
        if _DISTANCE_BEFORE.search(folded[max(0, m.start() - 8) : m.start()]):
            continue
        value = _width(m)
        if value is not None and value <= 100:
            out.append(Detail(m.start(), m.end(), value))
    return out


# ----- directions --------------------------------------------------------------------------


@cache
def _trigger_lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    lex.add_all(vocab()["direction_triggers"], "trigger")
    return lex


_BALCONY = re.compile(r"\b(?:ban cong|bc|lo gia|logia|balcony)\b")


_SPLIT_DIRECTION = re.compile(r"(?i)\b(đông|tây|dong|tay)\s*[-–/]\s*(nam|bắc|bac)\b")
_DOOR = re.compile(r"\b(?:cua|cua chinh|nha|huong nha)\b")


@lru_cache(maxsize=32)
def _directions(text: str) -> tuple[tuple[Detail[Direction], bool, bool], ...]:
    """(direction, balcony word before it, door/house word before it) for each facing."""
    text = (text or "")[:MAX_TEXT]
    if _SPLIT_DIRECTION.search(text):  # "Đông - Nam" (the text is rescanned only then)
        text = _SPLIT_DIRECTION.sub(r"\1 \2", text)
    _, tokens, hits = vocab_hits(text)
    triggers = _trigger_lexicon().scan(tokens)
    trig_at = {k: h.payload for h in triggers for k in range(h.first, h.last)}
    out: list[tuple[Detail[Direction], bool, bool]] = []
    last_end = -1
    for hit in hits:
        if hit.payload.kind != "direction":
            continue
        before = range(max(0, hit.first - 3), hit.first)
        chained = last_end >= 0 and 0 <= hit.first - last_end <= 1 and out
        if hit.payload.short:  # "hướng ĐN", "hướng nhà: TB"
            ok = any(tokens[k].folded == "huong" for k in before)
        else:
            ok = any(k in trig_at for k in before) or bool(chained)
        if not ok:
            continue
        lead = " ".join(tokens[k].folded for k in range(max(0, hit.first - 6), hit.first))
        balcony = bool(_BALCONY.search(" ".join(tokens[k].folded for k in before)))
        door = balcony and bool(_DOOR.search(lead))  # "hướng cửa chính và ban công Tây Bắc"
        if chained and not any(k in trig_at for k in before):
            balcony, door = out[-1][1], out[-1][2]
        value = Direction(hit.payload.values[0])
        out.append((Detail(hit.start, hit.end, value), balcony, door))
        last_end = hit.last
    return tuple(out)


def find_house_directions(text: str) -> list[Detail[Direction]]:
    """Where the house or door faces: "hướng Đông Nam", "nhà hướng Bắc", "cửa chính hướng Tây"."""
    return [d for d, balcony, door in _directions(text) if not balcony or door]


def find_balcony_directions(text: str) -> list[Detail[Direction]]:
    """Where the balcony faces: "ban công hướng Tây Bắc", "BC hướng Đông"."""
    return [d for d, balcony, _ in _directions(text) if balcony]
