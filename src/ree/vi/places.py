"""Resolving place phrases found in text, and reading portal addresses.

`resolve_places` turns the gazetteer's raw phrase hits into `PlaceMention`s: an ambiguous
district ("Tân Phú") takes the province named nearby, a numbered ward ("Phường 7") takes
the district written next to it, a ward, project or landmark brings its district.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from ree.vi.lexicon import Hit, Token, tokenize
from ree.vi.text import fold, normalize
from ree.vi.vocab import vocab, vocab_lexicon

if TYPE_CHECKING:
    from ree.vi.gazetteer import Gazetteer, Place, PlaceRef

__all__ = ["PlaceMention", "parse_address", "resolve_places"]

_SPECIFICITY = {"project": 0, "landmark": 1, "ward": 2, "street": 3, "district": 4, "province": 5}


@dataclass(frozen=True)
class PlaceMention:
    """One place named in text: token range, what kind of phrase it was, and the place."""

    first: int
    last: int
    kind: str
    place: Place
    landmark_kind: str | None = None
    typed: bool = True  # False when the district was implied (by a project, ward, landmark)


def _place(
    province: str | None = None,
    district: str | None = None,
    ward: str | None = None,
    project: str | None = None,
    street: str | None = None,
) -> Place:
    from ree.vi.gazetteer import Place

    return Place(province, district, ward, project, street)


def _pick(refs: tuple[PlaceRef, ...], provinces: set[str]) -> PlaceRef:
    for ref in refs:
        if ref.province in provinces:
            return ref
    return refs[0]


def _fuzzy_after_prefix(
    gaz: Gazetteer, tokens: list[Token], i: int, taken: set[int]
) -> tuple[int, str] | None:
    """A district named with a typo right after "quận"/"huyện": (end token, name)."""
    for n in (3, 2, 1):
        span = range(i, min(i + n, len(tokens)))
        if len(span) < n or any(k in taken for k in span):
            continue
        words = " ".join(tokens[k].folded for k in span)
        if len(words.replace(" ", "")) < 4 or any(tokens[k].stop_before for k in span[1:]):
            continue
        best = process.extractOne(words, gaz._fuzzy_districts.keys(), scorer=fuzz.ratio)
        if best and best[1] >= 85:
            return i + n, gaz._fuzzy_districts[best[0]]
    return None


@cache
def _street_stop() -> frozenset[str]:
    return frozenset(vocab()["street_stop_words"]["words"])


@cache
def _street_particles() -> dict[str, str]:
    return dict(vocab()["street_stop_particles"]["words"])


_AFTER_PARTICLE = frozenset({"nha", "nhe", "di", "a", "ha", "nhen"})


def _particle_ends(tokens: list[Token], j: int) -> bool:
    """ "mặt tiền đường thôi", "mat duong luon nha": a particle, not a street's word ("Nguyễn
    Văn Thời", "duong thoi an" keep their names)."""
    spelled = _street_particles().get(tokens[j].folded)
    if spelled is None:
        return False
    if tokens[j].lower == spelled:
        return True
    last = j + 1 >= len(tokens) or tokens[j + 1].stop_before
    return tokens[j].lower.isascii() and (last or tokens[j + 1].folded in _AFTER_PARTICLE)


def _street_tail(tokens: list[Token], i: int, text: str, taken: set[int]) -> int:
    """End (exclusive) of an unknown street name starting at token `i`."""
    vocab = vocab_lexicon()
    capital = text[tokens[i].start].isupper() if i < len(tokens) else False
    j = i
    while j < len(tokens) and j - i < 5:
        tok = tokens[j]
        if j in taken or (j > i and tok.stop_before):
            break
        part = vocab.match_at(tokens, j) if j == i + 1 else None
        if (
            part is not None
            and _surname_name_part(tokens, i, j, part.phrase)
            and not any(k in taken or tokens[k].stop_before for k in range(j, part.last))
        ):
            j = part.last  # "đường nguyen an ninh": the name's middle word, in any case
            continue
        saint = tok.folded == "thanh" and tok.lower not in ("thành", "thanh")  # "Lê Thánh Tôn"
        if (tok.folded in _street_stop() and not saint) or _particle_ends(tokens, j):
            break
        if j > i and capital and not text[tok.start].isupper() and not tok.folded.isdigit():
            break
        word = text[tok.start : tok.end]
        named = capital and word[:1].isupper() and not word.isupper()  # "phố Hàng Trống"
        if j > i and not named and vocab.match_at(tokens, j) is not None:
            break
        if re.fullmatch(r"\d+(m\d*|m2|tr|ty|t|pn|wc)", tok.folded):  # "đường 7m5": a width
            break
        j += 1
    return j


@cache
def _surnames() -> frozenset[str]:
    return frozenset(vocab()["name_parts"]["surnames"])


@cache
def _name_parts() -> frozenset[str]:
    return frozenset(fold(x) for x in vocab()["name_parts"]["phrases"])


def _surname_name_part(tokens: list[Token], i: int, j: int, phrase: str) -> bool:
    if j != i + 1 or tokens[i].folded not in _surnames():
        return False
    return fold(phrase) in _name_parts()


_PLACE_PREFIXES = frozenset({"quan", "huyen", "tp", "q", "h", "tx", "thanh", "thi", "tinh"})


def _names_a_street(tokens: list[Token], first: int, last: int) -> bool:
    """ "đường", "mặt tiền đường", a lone "phố" (not "nhà phố", "mặt phố", "khu phố")."""
    if tokens[last - 1].folded == "duong":
        return True
    alone = last - first == 1 and tokens[first].folded == "pho"
    return alone and (first == 0 or tokens[first - 1].folded not in ("nha", "mat", "khu"))


def _street_front(tokens: list[Token], first: int, last: int) -> bool:
    """ "mặt phố", "mặt đường", "mặt tiền đường": the lot fronts the street named next."""
    words = [t.folded for t in tokens[first:last]]
    return len(words) >= 2 and words[0] == "mat" and words[-1] in ("pho", "duong")


def _names_after_street_words(
    gaz: Gazetteer,
    hits: list[Hit[tuple[PlaceRef, ...]]],
    tokens: list[Token],
    text: str,
    out: list[PlaceMention],
) -> list[Hit[tuple[PlaceRef, ...]]]:
    """ "đường Hà Nội", "phố Huế": a place name right after "đường"/"phố" names the street
    (LABELS: a province inside a street name is not the province)."""
    if not text:
        return hits
    kept: list[Hit[tuple[PlaceRef, ...]]] = []
    for i, hit in enumerate(hits):
        prev = hits[i - 1] if i else None
        ref = hit.payload[0]
        after_street_word = (
            prev is not None
            and prev.payload[0].kind == "street_prefix"
            and prev.last == hit.first
            and _names_a_street(tokens, prev.first, prev.last)
        )
        named = ref.kind in ("province", "district") and not re.fullmatch(r"Quận \d+", ref.name)
        if (
            prev is not None
            and prev.last == hit.first
            and _street_front(tokens, prev.first, prev.last)
            and ref.kind == "ward"
            and not ref.numbered
        ):
            after_street_word = named = True  # "mặt phố Hàng Gai": the street, not the ward
        if after_street_word and named and tokens[hit.first].folded not in _PLACE_PREFIXES:
            raw = text[tokens[hit.first].start : tokens[hit.last - 1].end]
            out.append(PlaceMention(hit.first, hit.last, "street", _place(street=gaz.street(raw))))
            continue
        kept.append(hit)
    return kept


def _street_after(
    tokens: list[Token], hit: Hit[tuple[PlaceRef, ...]], text: str, taken: set[int]
) -> int:
    """End of the unknown street name after "đường"/"phố", or `hit.last` when there is none
    ("nhà phố Gò Vấp" is a townhouse, "phố liền kề" no street)."""
    if not text or hit.last >= len(tokens) or hit.last in taken or tokens[hit.last].stop_before:
        return hit.last  # (nor after a comma: "Le Van Sy street, around 15bn")
    before = tokens[hit.first - 1].folded if hit.first > 0 else ""
    nxt = text[tokens[hit.last].start : tokens[hit.last].end]
    named = nxt[:1].isupper() and not nxt.isupper() and before == "nha"  # "nhà phố Hàng Trống"
    after_word = tokens[hit.first].folded == "pho" and before in (
        "nha",
        "khu",
        "thanh",
        "day",
        "mat",
    )
    if after_word and (not named or vocab_lexicon().match_at(tokens, hit.last) is not None):
        return hit.last
    if vocab_lexicon().match_at(tokens, hit.last) is not None:
        return hit.last
    return _street_tail(tokens, hit.last, text, taken)


def _other_area(
    gaz: Gazetteer, hits: list[Hit[tuple[PlaceRef, ...]]], hit: Hit[tuple[PlaceRef, ...]]
) -> bool:
    """Another district or province, elsewhere than the one after "nhà phố", is named: "nhà
    phố Huế, Hai Bà Trưng" is on Huế street; "nhà phố Sa Đéc Đồng Tháp" is in Sa Đéc."""
    name = hit.payload[0].name
    home = {gaz.province_of(name), gaz.canonical_province(name)} - {None}
    for h in hits:
        ref = h.payload[0]
        if h is hit or ref.kind not in ("district", "province"):
            continue
        where = ref.name if ref.kind == "province" else ref.province
        if where not in home:
            return True
    return False


def _after_nha_pho(tokens: list[Token], hit: Hit[tuple[PlaceRef, ...]]) -> bool:
    """The hit is "phố X" right after "nhà": "nhà phố" is the property type."""
    first = hit.first
    return first > 0 and tokens[first].folded == "pho" and tokens[first - 1].folded == "nha"


def _district_of_number(mentions: list[PlaceMention], at: int) -> tuple[str | None, str | None]:
    best: PlaceMention | None = None
    for m in mentions:
        if m.kind == "district" and (best is None or abs(m.first - at) < abs(best.first - at)):
            best = m
    if best is None:
        return None, None
    return best.place.district, best.place.province


def resolve_places(
    gaz: Gazetteer,
    tokens: list[Token],
    skip: list[bool] | None = None,
    text: str = "",
    region: str | None = None,
) -> list[PlaceMention]:
    """Place mentions in token order (most specific first when `find_places` sorts them).

    A name several provinces share ("ĐH Bách Khoa") is read in a province the text names,
    else in `region` (the conversation's province), else as the first one listed."""
    hits: list[Hit[tuple[PlaceRef, ...]]] = gaz.scan(tokens, skip)
    provinces = {h.payload[0].name for h in hits if h.payload[0].kind == "province"}
    implied = {  # the province of a project or landmark only one province has
        h.payload[0].province
        for h in hits
        if h.payload[0].kind in ("project", "landmark")
        and len({r.province for r in h.payload}) == 1
    }
    typed = {  # the province of a district typed that only one province has
        h.payload[0].province
        for h in hits
        if h.payload[0].kind == "district" and len({r.province for r in h.payload}) == 1
    }
    context = provinces | {p for p in implied | typed if p}
    if not provinces and region:
        context = {region}
    taken = {k for h in hits for k in range(h.first, h.last)} | {
        k for k, s in enumerate(skip or []) if s
    }
    out: list[PlaceMention] = []
    numbered: list[tuple[Hit[tuple[PlaceRef, ...]], PlaceRef]] = []
    hits = _names_after_street_words(gaz, hits, tokens, text, out)
    for hit in hits:
        ref = _pick(hit.payload, context)
        kind = ref.kind
        if kind == "district_prefix":
            fuzzy = _fuzzy_after_prefix(gaz, tokens, hit.last, taken)
            if fuzzy:
                end, name = fuzzy
                prov = gaz.province_of(name)
                out.append(
                    PlaceMention(hit.first, end, "district", _place(province=prov, district=name))
                )
                taken.update(range(hit.last, end))
            continue
        if kind == "street_prefix":
            nxt = tokens[hit.last].folded if hit.last < len(tokens) else ""
            if tokens[hit.first].folded == "street" and nxt in ("front", "frontage", "facing"):
                continue  # "street front on the main boulevard": the feature, no street named
            end = _street_after(tokens, hit, text, taken)
            if end > hit.last:
                raw = text[tokens[hit.last].start : tokens[end - 1].end]
                out.append(PlaceMention(hit.last, end, "street", _place(street=gaz.street(raw))))
                taken.update(range(hit.last, end))
            continue
        if kind == "ward_prefix":
            continue
        if kind == "street" and _after_nha_pho(tokens, hit) and not _other_area(gaz, hits, hit):
            # "nhà phố Long Biên", "nhà phố Lạng Sơn": the type, then a district or province
            area = gaz.lexicon.match_at(tokens, hit.first + 1)
            # a ward too, outside Hà Nội, where "phố X" is a street ("nhà phố Thảo Điền")
            refs = [
                r
                for r in (area.payload if area else ())
                if r.kind in ("district", "province")
                or (r.kind == "ward" and not r.numbered and r.province != "Hà Nội")
            ]
            if area is not None and refs:
                out.append(_mention(area, refs[0]))
                taken.update(range(area.first, area.last))
                continue
        if kind == "ward" and ref.numbered:
            numbered.append((hit, ref))
            continue
        out.append(_mention(hit, ref))
    for hit, ref in numbered:
        district, province = _district_of_number(out, hit.first)
        place = _place(province=province, district=district, ward=ref.name)
        out.append(PlaceMention(hit.first, hit.last, "ward", place, typed=district is not None))
    out += _highways(tokens, taken)
    out.sort(key=lambda m: m.first)
    return _hyphenated_provinces(gaz, tokens, text, out)


_ROADS = {"ql": "Quốc lộ", "quoc lo": "Quốc lộ", "tl": "Tỉnh lộ", "tinh lo": "Tỉnh lộ"}
_ROAD = re.compile(r"(ql|tl)\.?(\d{1,3}[a-z]?)")


def _negotiating(tokens: list[Token], k: int) -> bool:
    """ "giá 5 tỷ còn tl 200": "tl" is "thương lượng" (negotiable) after a price or "còn"."""
    prev = tokens[k - 1].folded if k > 0 else ""
    return prev in ("con", "gia", "co", "duoc", "ty", "tr", "trieu", "cu") or prev[-1:].isdigit()


def _highways(tokens: list[Token], taken: set[int]) -> list[PlaceMention]:
    """ "ql13", "QL 51", "quốc lộ 1A", "tỉnh lộ 10": national and provincial roads, as streets."""
    out: list[PlaceMention] = []
    if not any(t.folded[:2] in ("ql", "tl") or t.folded in ("quoc", "tinh") for t in tokens):
        return out
    k = 0
    while k < len(tokens):
        glued = _ROAD.fullmatch(tokens[k].folded)
        words = [t.folded for t in tokens[k : k + 3]]
        if glued and k not in taken:
            kind, number, end = glued.group(1), glued.group(2), k + 1
        elif (
            len(words) >= 2
            and words[0] in ("ql", "tl")
            and re.fullmatch(r"\d{1,3}[a-z]?", words[1])
            and not (words[0] == "tl" and _negotiating(tokens, k))
        ):
            kind, number, end = words[0], words[1], k + 2
        elif (
            len(words) == 3
            and " ".join(words[:2]) in _ROADS
            and re.fullmatch(r"\d{1,3}[a-z]?", words[2])
        ):
            kind, number, end = " ".join(words[:2]), words[2], k + 3
        else:
            k += 1
            continue
        if any(j in taken or (j > k and tokens[j].stop_before) for j in range(k, end)):
            k += 1
            continue
        name = f"{_ROADS[kind]} {number.upper()}"
        out.append(PlaceMention(k, end, "street", _place(street=name)))
        taken.update(range(k, end))
        k = end
    return out


def _hyphenated_provinces(
    gaz: Gazetteer, tokens: list[Token], text: str, out: list[PlaceMention]
) -> list[PlaceMention]:
    """ "Bà Rịa - Vũng Tàu": two districts joined by a spaced hyphen that together name a
    province are that province (a spaced hyphen otherwise separates, "Quận 7 - Phú Mỹ Hưng")."""
    for a, b in itertools.pairwise(out):
        if a.last != b.first or "-" not in text[tokens[a.last - 1].end : tokens[b.first].start]:
            continue
        joined = list(tokens)
        joined[b.first] = tokens[b.first]._replace(stop_before=False)
        hit = gaz.lexicon.match_at(joined, a.first)
        if hit is None or hit.last != b.last or hit.payload[0].kind != "province":
            continue
        merged = _mention(hit, hit.payload[0])
        rest = [m for m in out if m not in (a, b)]
        return _hyphenated_provinces(gaz, tokens, text, [*rest, merged])
    return sorted(out, key=lambda m: m.first)


def _mention(hit: Hit[tuple[PlaceRef, ...]], ref: PlaceRef) -> PlaceMention:
    if ref.kind == "province":
        return PlaceMention(hit.first, hit.last, "province", _place(province=ref.name))
    if ref.kind == "district":
        return PlaceMention(
            hit.first, hit.last, "district", _place(province=ref.province, district=ref.name)
        )
    if ref.kind == "ward":
        place = _place(province=ref.province, district=ref.district, ward=ref.name)
        return PlaceMention(hit.first, hit.last, "ward", place, typed=False)
    if ref.kind == "project":
        place = _place(province=ref.province, district=ref.district, project=ref.name)
        return PlaceMention(hit.first, hit.last, "project", place, typed=False)
    if ref.kind == "landmark":
        place = _place(province=ref.province, district=ref.district)
        return PlaceMention(
            hit.first, hit.last, "landmark", place, landmark_kind=ref.landmark_kind, typed=False
        )
    return PlaceMention(hit.first, hit.last, "street", _place(street=ref.name))


def sort_specific(mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Most specific first (project, landmark, ward, street, district, province)."""
    return sorted(mentions, key=lambda m: (_SPECIFICITY.get(m.kind, 9), m.first))


# ----- addresses ---------------------------------------------------------------------------

_SEP = r"(?:\s+|\s*\.\s*|(?=\d))"
_WARD_PREFIX = re.compile(rf"^(phuong|xa|thi tran|p|tt|x){_SEP}(.*)$")
_DIST_PREFIX = re.compile(rf"^(quan|huyen|thi xa|thanh pho|tp|q|h|tx){_SEP}(.*)$")
_STREET_WORDS = re.compile(
    r"^(duong|pho|d|hem|ngo|ngach|kiet|xa lo|quoc lo|tinh lo|dai lo|so nha|sn)\b\.?\s*"
)
_DETAIL = re.compile(r"^(tang|toa|lo|block|can|phong|so)\b")
_HOUSE_NO = re.compile(r"^[\w/\-]*\d[\w/\-]*\s+")
_PROJECT_WORDS = re.compile(r"^(du an|kdt|khu do thi|kdc|khu dan cu|chung cu|toa nha|can ho)\b")


def _strip_prefix(comp: str, pattern: re.Pattern[str]) -> tuple[str | None, str]:
    """(folded prefix, rest of the original component) when `comp` starts with the prefix."""
    folded = fold(comp)
    m = pattern.match(folded)
    if not m or not m.group(2):
        return None, comp
    rest_len = len(m.group(2))
    return m.group(1), comp[len(comp) - rest_len :].strip()


def _ward_name(comp: str) -> str | None:
    prefix, rest = _strip_prefix(comp, _WARD_PREFIX)
    if prefix is None:
        return None
    if rest.isdigit():
        return f"Phường {int(rest)}"
    return normalize(rest)


def _street_name(gaz: Gazetteer, comp: str) -> str | None:
    folded = fold(comp)
    m = _STREET_WORDS.match(folded)
    if m:
        rest = comp[m.end() :].strip()
        if folded.startswith(("hem", "ngo", "ngach", "kiet", "so nha", "sn")):
            rest = _HOUSE_NO.sub("", rest)
        return gaz.street(rest) if rest else None
    stripped = _HOUSE_NO.sub("", comp).strip()
    if stripped != comp.strip() and stripped[:1].isalpha():
        return gaz.street(stripped)
    if fold(comp) in gaz._t.streets:
        return gaz.street(comp)
    return None


def _district_from(gaz: Gazetteer, comp: str, province: str | None) -> str | None:
    known = gaz.canonical_district(comp, province)
    if known is not None:
        return known
    prefix, rest = _strip_prefix(comp, _DIST_PREFIX)
    if prefix is not None and rest:
        return f"Quận {int(rest)}" if rest.isdigit() else normalize(rest)
    return None


@dataclass
class _Addr:
    province: str | None = None
    district: str | None = None
    ward: str | None = None
    project: str | None = None
    street: str | None = None


def _take_district(gaz: Gazetteer, comps: list[str], a: _Addr) -> None:
    if not comps or _ward_name(comps[-1]):
        return
    comp = comps[-1]
    district = _district_from(gaz, comp, a.province)
    plain = not any(c.isdigit() for c in comp) and len(comp.split()) <= 4
    if district is None and a.province and len(comps) >= 2 and plain:
        district = None if _street_name(gaz, comp) is not None else normalize(comp)
    if district is not None:
        a.district = district
        comps.pop()


def _take_ward(gaz: Gazetteer, comps: list[str], a: _Addr) -> None:
    if not comps:
        return
    comp = comps[-1]
    ward = _ward_name(comp)
    if ward is None and gaz.ward_district(comp, a.district, a.province) is not None:
        ward = normalize(comp)
    if ward is None and _street_name(gaz, comp) is None and gaz.find_project_in(comp) is None:
        folded = fold(comp)
        plain = not any(c.isdigit() for c in comp) and len(comp.split()) <= 4
        if plain and not _DETAIL.match(folded) and not _PROJECT_WORDS.match(folded):
            ward = normalize(comp)
    if ward is not None:
        a.ward = ward
        comps.pop()


def _take_rest(gaz: Gazetteer, comps: list[str], a: _Addr) -> None:
    for comp in reversed(comps):
        street = _street_name(gaz, comp)
        if street is not None and a.street is None:
            a.street = street
            continue
        known = gaz.find_project_in(comp)
        if known is not None and a.project is None:
            a.project = known
            continue
        folded = fold(comp)
        first = comp is comps[0]
        wanted = _PROJECT_WORDS.match(folded) or first
        if a.project is None and wanted and not _DETAIL.match(folded):
            a.project = normalize(re.sub(r"^(?i:dự án|du an|khu đô thị|kđt)\s+", "", comp))


def parse_address(gaz: Gazetteer, address: str) -> Place:
    """The parts of an address; unknown names are kept as written (normalised)."""
    comps = [c.strip(" .;-") for c in normalize(address or "").split(",")]
    comps = [c for c in comps if c]
    if not comps:
        return _place(province=None)
    a = _Addr()
    province = gaz.canonical_province(comps[-1])
    if province is not None:
        a.province = province
        comps.pop()
    if len(comps) == 0 or (province is None and len(comps) == 1):
        return _merge_mentions(gaz, address, a)
    _take_district(gaz, comps, a)
    _take_ward(gaz, comps, a)
    _take_rest(gaz, comps, a)
    return _complete(gaz, a)


def _merge_mentions(gaz: Gazetteer, text: str, a: _Addr) -> Place:
    tokens = tokenize(normalize(text))
    for m in resolve_places(gaz, tokens, text=normalize(text)):
        p = m.place
        a.province = a.province or p.province
        a.district = a.district or p.district
        a.ward = a.ward or p.ward
        a.project = a.project or p.project
        a.street = a.street or p.street
    return _complete(gaz, a)


def _complete(gaz: Gazetteer, a: _Addr) -> Place:
    if a.project and not a.district:
        known = gaz.project(a.project)
        if known is not None and (a.province in (None, known[2])):
            a.district, a.province = known[1], known[2]
    if a.district and not a.province:
        a.province = gaz.province_of(a.district)
    if a.ward and not a.district and not a.ward.startswith("Phường "):
        found = gaz.ward_district(a.ward, province=a.province)
        if found is not None:
            a.province, a.district = found
    return _place(
        province=a.province, district=a.district, ward=a.ward, project=a.project, street=a.street
    )


_ALLEYS = frozenset({"ngo", "hem", "kiet", "ngach"})
_ALLEY_NUMBER = re.compile(r"\d+[a-z]?")


def alley_streets(
    gaz: Gazetteer, tokens: list[Token], text: str, places: list[PlaceMention]
) -> list[PlaceMention]:
    """`places` with the street of an address's alley: "ngõ 58 Trần Bình", "hẻm 12/3 Nguyễn
    Văn Đậu" name the street Trần Bình, Nguyễn Văn Đậu (a person's name, capitalised, that
    the gazetteer may not hold)."""
    out = list(places)
    taken = {k for m in out for k in range(m.first, m.last)}
    for i, tok in enumerate(tokens[:-2]):
        if tok.folded not in _ALLEYS or not _ALLEY_NUMBER.fullmatch(tokens[i + 1].folded):
            continue
        j = i + 2
        while j < len(tokens) and _ALLEY_NUMBER.fullmatch(tokens[j].folded):
            j += 1  # "hẻm 12/3": the slash splits the number
        if j >= len(tokens) or j in taken or tokens[j].stop_before:
            continue
        if not text[tokens[j].start].isupper() or tokens[j].folded not in _surnames():
            continue
        end = _street_tail(tokens, j, text, taken)
        if end - j >= 2:
            raw = text[tokens[j].start : tokens[end - 1].end]
            out.append(PlaceMention(j, end, "street", _place(street=gaz.street(raw))))
            taken.update(range(j, end))
    return sorted(out, key=lambda m: m.first)


def frontage_streets(
    gaz: Gazetteer, tokens: list[Token], text: str, places: list[PlaceMention], after: list[int]
) -> list[PlaceMention]:
    """`places` with the street named right after a frontage word ("mt", "mặt tiền" ending at
    the token indexes `after`): an unknown Title Case name ("mt Nguyễn Văn Tạo") is that
    street, and so is a province or district name when another area elsewhere is typed ("nhà
    mt Hậu Giang Q6": Hậu Giang street in Quận 6)."""
    out = list(places)
    taken = {k for m in out for k in range(m.first, m.last)}
    for j in after:
        if j >= len(tokens) or tokens[j].stop_before or not text[tokens[j].start].isupper():
            continue
        at = next((m for m in out if m.first == j), None)
        if at is None and j not in taken and tokens[j].folded in _surnames():
            end = _street_tail(tokens, j, text, taken)
            if end - j >= 2:  # a person's name: "mt Nguyễn Văn Tạo" ("mt Kinh Doanh" is not)
                raw = text[tokens[j].start : tokens[end - 1].end]
                out.append(PlaceMention(j, end, "street", _place(street=gaz.street(raw))))
                taken.update(range(j, end))
            continue
        if (
            at is None
            or at.kind not in ("province", "district")
            or re.fullmatch(r"Quận \d+", at.place.district or "")
        ):
            continue
        home = at.place.province
        # the area it lies in comes right after ("Hậu Giang Q6"), not as an alternative
        # ("mặt tiền Dĩ An hoặc Thủ Đức")
        elsewhere = any(
            m.first == at.last and m.kind in ("district", "province") and m.place.province != home
            for m in out
        )
        if elsewhere:
            raw = text[tokens[at.first].start : tokens[at.last - 1].end]
            street = PlaceMention(at.first, at.last, "street", _place(street=gaz.street(raw)))
            out = [street if m is at else m for m in out]
    return sorted(out, key=lambda m: m.first)
