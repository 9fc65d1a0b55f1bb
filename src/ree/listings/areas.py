"""Which area a listing's text gives for the property, when it writes several.

A written area beats the sides it sums ("5 x 17m (79m²)"); a lot area cued as such ("diện
tích lô đất", "DT sổ đỏ", "công nhận") beats a floor area (DTSD, "280m² sàn"); areas of a
project, an industrial zone, one room or one side are not the lot's; a title's bare metres
count when a property word, not a width or a distance, comes before them. `pick_area(text,
ptype, title)` returns the chosen area, or None; `exact_for(title, desc)` says whether the
description's exact area states the title's rough one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ree.models import PropertyType
from ree.vi.numbers import AreaMatch, find_areas
from ree.vi.text import fold_aligned, normalize

__all__ = ["PickedArea", "exact_for", "pick_area"]


_LAND_AREA_CUE = re.compile(
    r"(?<![a-z])(?:dt\s*(?:lo\s*)?dat|dien\s*tich\s*(?:lo\s*)?(?:dat|dat\s*o|dat\s*nen|dat\s*tho\s*cu)|dtd|"
    r"dt\s*cong\s*nhan|dien\s*tich\s*cong\s*nhan|dtcn|(?:dien\s*tich|dt)\s*(?:theo\s*)?so(?:\s*(?:do|hong))?|"
    r"cong\s*nhan|cn)\s*[:\-]?\s*(?:la\s*)?$"
)
# "Diện tích rộng 120m²": "rộng" after "diện tích" says the area is large, it is no width
_AREA_CUE = re.compile(
    r"(?<![a-z])(?:dt|dien\s*tich|s)\s*(?:rong\s*)?[:\-]?\s*(?:la\s*|khoang\s*)?$"
)
# Areas that are not the property's: a project's scale, floor area built or in use,
# "80m²/tầng" (per storey), "cách 500m²", "mỗi phòng hơn 40m²" (per room), "dài 15m2" (a side)...
_NOT_THE_AREA = re.compile(
    r"(?:tong\s*dien\s*tich\s*(?:xay\s*dung|san|du\s*an|khu\s*do\s*thi|khu\s*dat)|quy\s*mo(?:\s*du\s*an)?|"
    r"dien\s*tich\s*(?:xay\s*dung|su\s*dung|san(?:\s*xay\s*dung)?)|dtxd|dtsd|tong\s*san|"
    r"san\s*xd|(?<!tich\s)rong|tren\s*tong|cach|"
    r"(?<![a-z])moi\s*(?:phong|tang|san|lau)(?:\s*(?:deu\s*)?(?:co\s*)?(?:dien\s*tich|dt))?|"
    r"(?<![a-z])(?:khu|kdt|kcn))\s*[:\-]?\s*(?:la\s*|khoang\s*|hon\s*|gan\s*|len\s*toi\s*|rong\s*)?$"
)
# In a flat's post, a bare "tổng diện tích" is the project's; in a house's or a plot's, its own.
_PROJECT_TOTAL = re.compile(r"tong\s*dien\s*tich\s*[:\-]?\s*(?:la\s*|khoang\s*)?$")
_NUMBER = r"\d+(?:[.,]\d+)?"
# Metres written for square metres, where the words say it is an area: "Diện tích: 35m",
# "bán 300m đất", "111m2x7T" / "58m x 6T" (an area of so many storeys). A menu of sizes
# ("75m, 80m") is not one area; "50m, 4m mặt tiền" is (no size is under ten metres).
_BARE_METRES = re.compile(
    r"(?<![a-z])(?:dien\s*tich|dt)\s*(?:dat\s*)?(?:theo\s*so\s*(?:do|hong)?\s*|so\s*)?[:\-]?\s*"
    rf"(?:la\s*|khoang\s*)?(?P<a>{_NUMBER})\s*m(?![a-z0-9²]|\s*[x×*/]|\s*[-,;]\s*\d{{2,}}(?:[.,]\d+)?\s*m(?![a-z]))"
    rf"|(?<![a-z])(?:ban|co|gom|mua)\s+(?P<b>{_NUMBER})\s*m\s+dat(?![a-z])"
    rf"|(?<![\w.,])(?P<c>{_NUMBER})\s*m2?\s*[x×*]\s*\d{{1,2}}\s*(?:t|tang|lau)(?![a-z])"
)
# In a title, "Bán nhà Đại La 35m, 4 tầng": metres that no width or distance word claims.
_TITLE_METRES = re.compile(
    rf"(?<![\w.,])(?P<a>{_NUMBER})\s*m(?![a-z0-9²]|\s*[x×*/]|\s*[-,;]\s*\d+(?:[.,]\d+)?\s*m(?![a-z]))"
)
_PROPERTY_WORD = re.compile(
    r"(?<![a-z])(?:nha|dat|lo|can|ban|toa|biet\s*thu|lien\s*ke|lk|manh|thua|nen|goc)(?![a-z])"
)
_WIDTH_BEFORE = re.compile(
    r"(?<![a-z])(?:mat\s*tien|mt|ngang|rong|dai|sau|duong|hem|ngo|ngach|kiet|lo\s*gioi|cach|"
    r"view|bien|song|(?<!can\s)ho|truc|vao|toi|den|via\s*he|no\s*hau|hau|cao(?!\s+cap)|(?<!o\s)to)(?![a-z])"
)
# A width or distance word right before a title's metres ("mặt tiền - 15m", "hẻm 10m").
_CLAIMED = re.compile(rf"{_WIDTH_BEFORE.pattern}[^\d]{{0,6}}$")
_DISTANCE = re.compile(r"(?<![a-z])cach(?![a-z])")
_LIST_BEFORE = re.compile(r"\d\s*m\s*[,;-]\s*$")
_PROJECT_M2 = 10_000  # a "tổng diện tích" of a hectare or more is a project's
_FLOOR_AREA = re.compile(
    r"(?:dien\s*tich\s*(?:xay\s*dung|su\s*dung|san)|dtxd|dtsd)\s*[:\-]?\s*(?:la\s*|khoang\s*)?$"
)
# "dài 15m2": a side's length mistyped as m², unless sides follow ("ngang 4 x 18 (72m²)")
_SIDE_BEFORE = re.compile(r"(?<![a-z])(?:chieu\s*)?(?:dai|ngang)\s*[:\-]?\s*$")
_PER_FLOOR_AFTER = re.compile(r"\s*/\s*(?:tang|san|lau)")
# "280m² sàn": a house's floor area ("1320m² sàn văn phòng" is an office floor for sale)
_FLOOR_AFTER = re.compile(r"\s*san(?![a-z])(?!\s*(?:van\s*phong|thuong\s*mai|vp|tm)\b)")
_SIDES = re.compile(r"\d+(?:[.,]\d+)?\s*m?\s*[x×*]")  # an area read from "W x L"
# "5 x 17m (công nhận 75m²)", "6,3x21m = 129m²": the area written after the sides is exact.
_WRITTEN_AFTER_SIDES = re.compile(
    r"[\s(=:,~]*(?:(?:cong\s*nhan|so|dt|dien\s*tich|la|khoang|tong|thuc\s*te)\s*[:(=]?\s*)*$"
)
# "33m x 5 tầng": an area of five storeys, not 165 m²
_STOREYS_AFTER = re.compile(r"\s*(?:t|tang|lau)(?![a-z])")
_MAX_AREA = {
    PropertyType.APARTMENT: 600.0, PropertyType.ROOM: 300.0, PropertyType.HOUSE: 20_000.0,
    PropertyType.TOWNHOUSE: 5000.0, PropertyType.VILLA: 20_000.0, PropertyType.SHOPHOUSE: 5000.0,
}  # fmt: skip


@dataclass(frozen=True)
class PickedArea:
    """An area a text gives: m², how it was read (`cued`, `bare`, `first`, `built`, `metres`)
    and whether it is a "W x L" product rather than a written area."""

    m2: float
    how: str
    sides: bool = False


def _areas_written(text: str, folded: str) -> list[AreaMatch]:
    """`find_areas`, with "W x L" followed by its written area read as that area, and
    "33m x 5 tầng" (storeys) dropped."""
    found = find_areas(text)
    out: list[AreaMatch] = []
    skip = -1
    for i, a in enumerate(found):
        if i == skip:
            continue
        if not _SIDES.match(folded, a.start):
            out.append(a)
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        if (
            nxt is not None
            and not _SIDES.match(folded, nxt.start)
            and nxt.start - a.end <= 25
            and _WRITTEN_AFTER_SIDES.match(folded[a.end : nxt.start])
        ):
            out.append(AreaMatch(a.start, nxt.end, nxt.m2))
            skip = i + 1
        elif not _STOREYS_AFTER.match(folded, a.end) or folded[a.end - 1] in "2²":
            out.append(a)
    return out


def _from_sides(folded: str, a: AreaMatch) -> bool:
    """Whether an area is a "W x L" product (not "5 x 17m (90m²)", whose area is written)."""
    return bool(_SIDES.match(folded, a.start)) and not folded[a.start : a.end].endswith(
        ("m2", "m²")
    )


def pick_area(
    text: str, ptype: PropertyType | None = None, title: bool = False
) -> PickedArea | None:
    """The property's area in one text: a cued land area, a cued area, an area written in
    metres where the words say so, the first area, a floor area when it is the only one,
    and in a title metres no width claims."""
    folded = fold_aligned(normalize(text))
    top = _MAX_AREA.get(ptype, 5_000_000.0) if ptype else 5_000_000.0
    flat = ptype in (PropertyType.APARTMENT, None)
    found = _areas_written(text, folded)
    areas = [
        a
        for a in found
        if 5 <= a.m2 <= top
        and not _NOT_THE_AREA.search(folded[max(0, a.start - 40) : a.start])
        and not (
            (flat or a.m2 >= _PROJECT_M2)
            and _PROJECT_TOTAL.search(folded[max(0, a.start - 25) : a.start])
        )
        and not _PER_FLOOR_AFTER.match(folded, a.end)
        and not _FLOOR_AFTER.match(folded, a.end)
        and not (
            _SIDE_BEFORE.search(folded[max(0, a.start - 15) : a.start])
            and not _SIDES.match(folded, a.start)
        )
    ]
    for cue in (_LAND_AREA_CUE, _AREA_CUE):
        for a in areas:
            if cue.search(folded[max(0, a.start - 25) : a.start]):
                return PickedArea(a.m2, "cued", _from_sides(folded, a))
    # one area written in metres where the words say so, not a menu of them
    bare = {_to_area(next(g for g in m.groups() if g)) for m in _BARE_METRES.finditer(folded)}
    if len(bare) == 1 and (value := bare.pop()) is not None and 5 <= value <= top:
        return PickedArea(value, "bare")
    if areas:
        return PickedArea(areas[0].m2, "first", _from_sides(folded, areas[0]))
    built = [  # "DTSD: 110m²" alone: the floor area is the only area the text gives
        a
        for a in found
        if 5 <= a.m2 <= top
        and (
            _FLOOR_AREA.search(folded[max(0, a.start - 30) : a.start])
            or _FLOOR_AFTER.match(folded, a.end)
        )
    ]
    if len({a.m2 for a in built}) == 1:
        return PickedArea(built[0].m2, "built")
    return _title_metres(folded, top) if title else None


def _title_metres(folded: str, top: float) -> PickedArea | None:
    """A title's "Bán nhà Đại La 35m": one size in metres, after a property word, that no
    width or distance word claims ("mặt tiền 5m", "hẻm 10m" are set aside)."""
    metres = [
        (_to_area(m.group("a")), _names_the_property(folded[max(0, m.start() - 80) : m.start()]))
        for m in _TITLE_METRES.finditer(folded)
        if not _CLAIMED.search(folded[max(0, m.start() - 20) : m.start()])
        and not _DISTANCE.search(folded[max(0, m.start() - 25) : m.start()])
    ]
    if len({v for v, _ in metres}) == 1 and metres[0][1]:
        value = metres[0][0]
        if value is not None and 15 <= value <= top:
            return PickedArea(value, "metres")
    return None


def _names_the_property(before: str) -> bool:
    """Whether the words before a title's "35m" make it the property's size ("Bán nhà Đại La
    35m"), not a width, a road or a distance ("mặt tiền 10m", "cách biển 100m")."""
    prop = [m.end() for m in _PROPERTY_WORD.finditer(before)]
    if not prop or _LIST_BEFORE.search(before) or _DISTANCE.search(before):
        return False
    claimed = [m.end() for m in _WIDTH_BEFORE.finditer(before)]
    return not claimed or prop[-1] > claimed[-1]


def exact_for(title: PickedArea | None, desc: PickedArea) -> bool:
    """Whether the description's written area states the title's "W x L" one exactly ("5 x 17m"
    above, "công nhận 75m²" below), or, cued, replaces a title that gave only a floor area
    ("DTSD 180m²" above, "diện tích đất: 92m²" below)."""
    if title is None:
        return False
    if title.how == "built":
        return desc.how in ("cued", "bare") and not desc.sides
    return title.sides and not desc.sides and abs(desc.m2 - title.m2) <= 0.1 * title.m2


def _to_area(raw: str) -> float | None:
    found = find_areas(f"{raw} m2")
    return found[0].m2 if found else None
