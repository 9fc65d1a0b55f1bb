"""Prices, areas and room counts in a message, with the words that bound them.

"dưới 4 tỷ" is a cap, "từ 2 tỷ trở lên" a floor, "2-3 tỷ" and "từ X đến Y" ranges, "khoảng" or a
bare amount an approximate value (LABELS.md); "2PN", "3 ngủ trở lên", "1PN+1", "2WC" rooms.
"""

from __future__ import annotations

import re
from functools import cache

from ree.vi.gazetteer import gazetteer
from ree.vi.lexicon import Hit, Token
from ree.vi.numbers import find_areas, find_prices
from ree.vi.parsed import (
    Amount,
    ParsedQuery,
    bound_lexicon,
    chat_vocab,
    cue_lexicon,
    mark_tokens,
    number_words,
    spelled_numbers,
    token_at,
    token_range,
)
from ree.vi.text import fold

__all__ = [
    "BATHS",
    "BATH_UNIT",
    "BEDS",
    "BEDS_RANGE",
    "NUMW",
    "ROOM_UNIT",
    "find_amounts",
    "find_rooms",
    "taken_back_between",
]

NUMW = r"(?:\d{1,2}|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|one|two|three|four|five)"
NOT_BEDROOM = r"(?!\s*(?:tro|tam|khach|bep|ve\s*sinh|wc|gym|tap|cho|lam|tho\b|o\s+ghep))"
ROOM_UNIT = (
    rf"(?:pn|phong\s+ngu|ngu|br|bed|beds|bedr(?:oo|o)ms?|bdr|bhk|sleeping\s+rooms?|"
    rf"phong{NOT_BEDROOM})"
)
_BEDS_RANGE = re.compile(
    rf"(?<![\w.,])(\d{{1,2}})\s*(?:{ROOM_UNIT}\s*)?(?:-|–|den|toi|to|~|hoac|hay|or)\s*(\d{{1,2}})\s*-?\s*"
    rf"{ROOM_UNIT}(?![a-z])"
)
# what a said "2 pn cộng 1 …" adds when it is not a room that can sleep: a bathroom, a
# kitchen, money (a written "2PN+1" is the listing term, whatever follows)
_ROOM_ADDED = (
    r"\s*(?:wc|vs|ve\s*sinh|toilet|phong|pn|nha\s+(?:ve\s+sinh|tam)|bath\w*|bep|kitchen|"
    r"kho|ban\s+cong|balcony|ty|ti|tr|trieu|billion|million|m2|m|met|tang|lau|floor)(?![a-z])"
)
_BEDS = re.compile(  # "2PN+1", "2 pn cộng 1" (said): one room more that can be a bedroom
    rf"(?<![\w.,])({NUMW})\s*-?\s*{ROOM_UNIT}(?![a-z])(\s*\+\s*1(?!\d)|\s*(?:cong|plus)\s+(?:1|mot)(?!\w|{_ROOM_ADDED}))?"
    r"(\s*\+)?"
)
_LIVING_AND_BEDROOMS = re.compile(
    r"(?<![\w.,])(?:(\d)\s*k\s*(\d)\s*n|(\d)\s*n\s*(\d)\s*k)(?![a-z0-9])"
)
_BEDS_PLUS = re.compile(rf"(?<![\w.,])(\d{{1,2}})\s*\+\s*{ROOM_UNIT}(?![a-z])")
_BATH_UNIT = (
    r"(?:wcs?|vs|ve\s*sinh|toilets?|bathrooms?|baths?|(?<=\d)ba|phong\s*tam|(?:nha|phong)\s*ve\s*sinh"
    r"|nha\s*tam)"
)
# "2pn2wc": a count glued to a bedroom count still starts a new number
_BATHS = re.compile(
    rf"(?:(?<![\w.,])|(?<=pn)|(?<=ngu))({NUMW})\s*\+?\s*-?\s*{_BATH_UNIT}(?![a-z])"
)  # "2wc", "2+ bathrooms" (a minimum either way)
BEDS, BATHS, BEDS_RANGE = _BEDS, _BATHS, _BEDS_RANGE  # for listing text (ree.vi.details)
BATH_UNIT = _BATH_UNIT
_BED_MIN_BEFORE = re.compile(r"(?:tu|it\s+nhat|toi\s+thieu|at\s+least|min|minimum|tren)\s*$")
_BED_MIN_AFTER = re.compile(  # "4 bedrooms minimum" (not "2 bedrooms at least 80m2")
    r"^\s*(?:tro\s+len|or\s+more|\+|(?:minimum|min(?![a-z])|at\s+least)(?!\s*\d))"
)


# ----- amounts -----------------------------------------------------------------------------

_GAP_WORDS = frozenset({"gia", "la", "muc", "chi", "vao", "con", "co", "tam", "khoang", "tien"})
_OWNERS = frozenset({"toi", "minh", "em", "anh", "chi", "tui", "co", "chu", "bac", "nha", "tao"})
# "2 tỷ 5 chứ không phải 2 tỷ": the amount a correction names as wrong
_CORRECTED_BEFORE = re.compile(r"(?:khong\s+phai|chu\s+ko\s+phai|\bnot|instead\s+of)\s*(?:la\s*)?$")
_RANGE_SEP = re.compile(r"^\s*(?:-|–|~|den|toi|to|and)\s*$")
_SPELLED_LOW = r"mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi"
# the low end of "4-5 tỷ", "từ bốn đến năm tỷ", "giữa 3 và 4 triệu"
_LOW_NUMBER = re.compile(
    rf"(?<![\w.,])(?<!quan\s)(?<!q\s)(?<!district\s)(\d+(?:[.,]\d+)?|{_SPELLED_LOW})"
    r"\s*(?:-|–|~|den|toi|to)\s*$"
    rf"|(?:(?<=giua\s)|(?<=between\s))(\d+(?:[.,]\d+)?|{_SPELLED_LOW})\s+(?:va|voi|and)\s*$"
)
_PLUS_AFTER = re.compile(r"^\s*\+")
_AMOUNT_UNITS = frozenset(
    {"ty", "ti", "toi", "trieu", "tr", "cu", "nghin", "ngan", "k", "m2", "m", "billion", "million"}
)
_UNIT_WORD = re.compile(r"[^\d\s.,+\-/]+")
_NOT_UNITS = frozenset({"tram", "muoi", "ruoi"})
_EITHER_SIDE = frozenset({"max", "maximum", "min", "minimum", "budget"})  # "a 5 tỷ budget"


# "có 3 tỷ", "have 4 billion": never m² ("does it have 80m2")
_MONEY_BOUNDS = frozenset({"co", "tai chinh", "ngan sach", "budget", "have", "i have", "we have"})


def _bound_before(
    tokens: list[Token],
    bounds: list[Hit[str]],
    cues: list[Hit[str]],
    first: int,
    is_price: bool = True,
) -> str | None:
    for hit in reversed(bounds + cues):
        if not is_price and fold(hit.phrase) in _MONEY_BOUNDS:
            continue
        gap = range(hit.last, first)
        words = [tokens[k].folded for k in gap]
        if words[:1] == ["cua"] and len(words) >= 2 and words[1] in _OWNERS:
            words = words[2:]  # "ngân sách của tôi là 2 tỷ 5"
        if hit.last <= first and all(w in _GAP_WORDS for w in words) and len(words) <= 2:
            name = hit.payload
            if name in ("cheaper", "smaller"):
                return "max"
            if name in ("larger", "pricier"):
                return "min"
            if name in ("max", "min", "approx"):
                return name
            if name == "max_after" and not _ends_amount(tokens, hit.first):
                return "max"  # "đổ lại 2 tỷ": the after-cue written before the amount
    return None


def _ends_amount(tokens: list[Token], k: int) -> bool:
    """Whether the token before index `k` ends an amount ("2 tỷ | đổ lại")."""
    if k == 0:
        return False
    prev = tokens[k - 1].folded
    return prev[-1:].isdigit() or prev in _AMOUNT_UNITS


def _bound_symbol(before: str) -> str | None:
    """ "<3 tỷ", "≥ 80m2": a comparison sign right before the amount."""
    m = re.search(r"([<>≤≥])=?\s*$", before)
    if m is None:
        return None
    return "max" if m.group(1) in "<≤" else "min"


# "2 tỷ có mua được căn hộ nào": what the money buys is a budget, unless the amount is a
# price asked ("giá 3 tỷ có mua được không")
_CAN_BUY = re.compile(r"(?:co\s+)?(?:mua|thue)\s+duoc")
_PRICED = re.compile(
    r"(?<![a-z])(?:gia|ban|rao|chao|hoi|doi|luong|thu\s+nhap|gop|tra(?:\s+gop)?|coc|vay)"
    r"\s+[^,.;]{0,16}$"
)  # nor a wage, an instalment, a deposit or a loan ("lương 20 triệu có mua được nhà không")


def _bound_after(
    text: str, tokens: list[Token], bounds: list[Hit[str]], end: int, no_budget: bool = False
) -> str | None:
    """The bound words right after an amount ("2 tỷ trở xuống"); `no_budget` for an amount
    that cannot be what a home costs (an area, a monthly sum), which nothing can buy."""
    if _PLUS_AFTER.match(text[end:]):
        return "min"
    nxt = token_at(tokens, end)
    for hit in bounds:
        if hit.first != nxt:
            continue
        if hit.payload in ("max_after", "min_after"):
            if _CAN_BUY.fullmatch(fold(hit.phrase)) and (
                no_budget or tokens[nxt].stop_before or _PRICED.search(fold(text[:end]))
            ):
                return None  # "căn hộ giá 3 tỷ có mua được không": a price, no budget
            return "max" if hit.payload == "max_after" else "min"
        after = tokens[hit.last] if hit.last < len(tokens) else None
        amount_next = after is not None and after.folded[:1].isdigit()  # "70m2 max 3 tỷ"
        if fold(hit.phrase) in _EITHER_SIDE and not tokens[nxt].stop_before and not amount_next:
            said = fold(hit.phrase)
            return "max" if said.startswith(("max", "budget")) else "min"  # "28 million max"
    return None


def _amount(value: float, bound: str | None, per_month: bool = False) -> Amount:
    if bound == "max":
        return Amount(0, value, "max", per_month)
    if bound == "min":
        return Amount(value, 0, "min", per_month)
    if bound == "approx":
        return Amount(value, value, "approx", per_month)
    return Amount(value, value, "bare", per_month)


_BARE_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)(?![\w.,%/²])")
_COUNTED_NEXT = re.compile(
    r"\s*(?:pn|phong|ngu|tang|lau|m2|m|met|x|can|chut|it|thang|nam|bed\w*|bath\w*|floor\w*|"
    r"stor\w*|wc|lo|nen|tuan|phut|gio|nguoi|units?|days?|weeks?|people|years?)(?![a-z])"
)


def _bare_floors(
    folded: str, spans: list[tuple[int, int, float, bool, str]]
) -> list[tuple[int, int, float, bool, str]]:
    """ "giá 5 tỷ, thương lượng còn 4.5", "price 5 billion, negotiable down to 4.5": a bare
    number after the words of a negotiable floor takes the asking price's unit."""
    from ree.vi.numbers import parse_price

    out: list[tuple[int, int, float, bool, str]] = []
    for n, (_, end, asked, per_month, unit) in enumerate(spans):
        between = _fix_between().match(folded, end)
        if not unit or between is None:
            continue
        bare = _BARE_NUMBER.match(folded, between.end())
        if bare is None or (n + 1 < len(spans) and spans[n + 1][0] <= bare.start()):
            continue
        if _COUNTED_NEXT.match(folded, bare.end()):
            continue  # "thương lượng còn 2 căn", "… còn 1 chút": a count, no floor
        floor = parse_price(f"{bare.group(1)} {unit}")
        if floor is not None and asked / 2 <= floor.vnd < asked:
            out.append((bare.start(), bare.end(), float(floor.vnd), per_month, unit))
    return out


def draft_floor(folded: str, asked: int) -> int | None:
    """ "can go down to 5.9", "thương lượng còn 6 tỷ 5" in a later turn of a seller's draft
    asking `asked`: the negotiable floor, a bare number taking the asking price's unit (only
    between half the asking price and it), or None."""
    from ree.vi.numbers import parse_price

    words = _fix_between()
    for m in re.finditer(r"(?:^|(?<=\s))", folded):
        between = words.match(folded, m.start())
        if between is None:
            continue
        got = parse_price(folded[between.end() :].split(" if ")[0])
        bare = _BARE_NUMBER.match(folded, between.end())
        if bare is not None and _SIDES_AFTER.match(folded, bare.end()):
            continue  # "thương lượng 2 bên gặp trực tiếp": the two sides, no floor
        if got is None and bare is not None and not _COUNTED_NEXT.match(folded, bare.end()):
            got = parse_price(f"{bare.group(1)} {'ty' if asked >= 1_000_000_000 else 'trieu'}")
        if got is not None and asked / 2 <= got.vnd < asked:
            return got.vnd
    return None


def _low_of_range(folded: str, start: int, unit_text: str, is_price: bool) -> float | None:
    m = _LOW_NUMBER.search(folded[:start])
    if not m:
        return None
    raw = m.group(1) or m.group(2)
    if not raw[0].isdigit():
        word = number_words().get(raw)
        if word is None:
            return None
        raw = str(word)
    if not is_price:
        return float(raw.replace(",", "."))
    from ree.vi.numbers import parse_price

    low = parse_price(f"{raw} {unit_text}")
    return float(low.vnd) if low else None


@cache
def _fix_between() -> re.Pattern[str]:
    """The words between an asking price and its negotiable floor: "6 tỷ 8, thương lượng còn
    6 tỷ 5", "5 tỷ fix 4 tỷ 8" (LABELS: the range floor..asking)."""
    words = sorted({fold(w) for w in chat_vocab()["bounds"]["fix"]}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    # "để 6 tỷ 8 đi, fix 6 tỷ 5", "giá 4 tỷ 5, có thương lượng, fix còn 4 tỷ 3": a particle
    # or "(có) thương lượng" may close the asking price
    return re.compile(
        r"\s*(?:(?:di|nhe|nha|thoi|nhen)\s*)?[,;]?\s*"
        r"(?:(?:co\s+)?(?:thuong\s+luong|tl|bot)(?:\s+duoc)?\s*[,;]?\s*)?"
        rf"(?:{alternatives})\s*:?\s*"
    )


def _read_amounts(
    p: ParsedQuery, folded: str, spans: list[tuple[int, int, float, bool, str]], is_price: bool
) -> list[Amount]:
    """Bounds for price or area spans: (start, end, value, per_month, unit text)."""
    bounds = bound_lexicon().scan(p.tokens)
    cues = [h for h in cue_lexicon().scan(p.tokens) if h.payload in _RELATIVE]
    out: list[Amount] = []
    prev_end = -1
    for n, (start, end, value, per_month, unit) in enumerate(spans):
        other = bool(out) or n + 1 < len(spans)  # the correction names the right one too
        if other and _CORRECTED_BEFORE.search(folded[max(0, start - 24) : start]):
            mark_tokens(p.consumed, p.tokens, start, end)
            continue
        between = folded[prev_end:start] if prev_end >= 0 else ""
        if out and _TAKEN_BACK.match(p.text[prev_end:start].lower()):
            out.pop()  # "tầm 1 tỷ 2, à không, đổ lại 1 tỷ thôi": the first amount taken back
            between = ""
        if out and prev_end >= 0 and _RANGE_SEP.match(between):
            low = out.pop()
            first = low.low or low.high
            # "5 tỷ - 3 tỷ": a range written high to low is still that range
            out.append(Amount(min(first, value), max(first, value), "range", per_month))
        elif out and prev_end >= 0 and _floor_of(out[-1], value, between):
            high = out.pop()
            out.append(Amount(value, high.high or high.low, "range", per_month))
        else:
            low_v = _low_of_range(folded, start, unit, is_price)
            if low_v is not None and low_v < value:
                s = _LOW_NUMBER.search(folded[:start])
                mark_tokens(p.consumed, p.tokens, s.start() if s else start, start)
                out.append(Amount(low_v, value, "range", per_month))
            else:
                first = token_at(p.tokens, start)
                bound = (
                    _bound_after(
                        p.text, p.tokens, bounds, end, per_month or not is_price or len(spans) > 1
                    )
                    or _bound_symbol(p.text[:start])
                    or _bound_before(p.tokens, bounds, cues, first, is_price)
                    or ("max" if is_price and _budget_tc(folded[:start]) else None)
                )
                out.append(_amount(value, bound, per_month))
        mark_tokens(p.consumed, p.tokens, start, end)
        prev_end = end
    return out


# right after the first amount, with its marks: "1 tỷ 2, à không, …", "3 tỷ à nhầm 4 tỷ"
_TAKEN_BACK = re.compile(
    r"\s*[,;.]?\s*(?:à\s+(?:không|nhầm|lộn)|nhầm|lộn(?!\s+xộn)|i\s+meant?)(?!\w)"
)


_ROOM_AFTER = re.compile(r"\s*(?:ngu|ngủ)(?![a-z])")
_COOLED_ROOMS = re.compile(r"(?:may\s+lanh|dieu\s+hoa|ml|dh)\s*(?:o\s+)?$")
_EITHER_COUNT = re.compile(r"\s*(?:,|/)?\s*(?:hoac|hay|or)\s*")


def taken_back_between(between: str) -> bool:
    """Only a correction word between two values: " à không ", ", à nhầm, "."""
    m = _TAKEN_BACK.match(between.lower())
    return m is not None and not between[m.end() :].strip(" ,;.")


def _floor_of(asked: Amount, value: float, between: str) -> bool:
    """ "6 tỷ 8 fix 6 tỷ 5", "tối đa 3 tỷ, thấp nhất 2 tỷ": a lower second amount after a
    "fix" word is the floor of a range up to the first; a higher one ("2 tỷ, thấp nhất 3
    tỷ") or one after a lower bound ("từ 3 tỷ, thấp nhất 3 tỷ 5") is not."""
    top = asked.high or asked.low
    return asked.bound != "min" and 0 < value < top and bool(_fix_between().fullmatch(between))


_RELATIVE = frozenset({"cheaper", "smaller", "larger", "pricier"})
_TC_BEFORE = re.compile(r"(?:^|[^\w])(?:(\w+)\s+)?tc\s*:?\s*$")
_LAND_TC = frozenset({"full", "dat", "het", "co", "100", "m2", "la", "len", "chuyen", "sang"})


def _budget_tc(before: str) -> bool:
    """ "tc 2 tỷ 8": "tc" (tài chính) right before a price is a budget cap, but not the
    land-use "thổ cư" of "full tc 1 tỷ 5", "100m2 tc giá 2 tỷ"."""
    m = _TC_BEFORE.search(before)
    if m is None:
        return False
    word = m.group(1) or ""
    return word not in _LAND_TC and not word.isdigit() and not word.endswith("m2")


_WIDTH_BEFORE = re.compile(
    r"(?<![a-z])(?:ngo|hem|kiet|mat\s+tien|mt|ngang|rong|duong|lo\s+gioi|dai|sau|frontage|alley|"
    r"wide|road)\s*(?:rong\s*)?$"
)


_SIDES_AFTER = re.compile(r"\s+(?:ben|ngay)(?![a-z])")  # "thương lượng 2 bên"
_PART_OF_THE_LOT = re.compile(
    r"(?:dtsd|dt\s*su\s*dung|dien\s+tich\s+su\s+dung|dien\s+tich\s+san|tong\s+san|"
    r"san\s+xay\s+dung|floor\s+area)\s*:?\s*$"
)
_RESIDENTIAL_BEFORE = re.compile(r"(?<![a-z])(?:tho\s+cu|tc)\s*:?\s*$")  # "6x20, thổ cư 80m2"
_RESIDENTIAL = re.compile(r"\s*(?:tc|tho\s+cu)(?![a-z])")
# the speaker's income, not a price: "thu nhập 25tr/th", "lương 30 triệu"
_INCOME_BEFORE = re.compile(
    r"(?<![a-z])(?:thu\s+nhap|(?<!chat\s)(?<!phu\s)(?<!trong\s)luong|income|salary|earn\w*)"
    r"\s*(?:la|khoang|tam)?\s*$"
)


# the rent a sold home brings now: "đang cho thuê 8tr/tháng", "đang có hđ thuê 15tr/th"
_LEASE_BEFORE = re.compile(
    r"(?:\bdang\s+(?:co\s+)?(?:khach\s+)?(?:hd\s+|hop\s+dong\s+)?(?:cho\s+)?thue|"
    r"\b(?:hd|hop\s+dong)\s+(?:cho\s+)?thue)\s*(?:duoc|voi|gia|la|:)?\s*$"
)
# a sale said: "bán" or "sang nhượng" (unaccented "ban" only in a message typed without marks)
_SALE_SAID = re.compile(r"(?<!\w)(?:b[aá]n|sang\s+nh[uư][oợ]ng)(?!\w)")


def find_amounts(p: ParsedQuery, folded: str) -> None:
    price_spans = []
    for m in find_prices(p.text):
        if _PLACE_NUMBER_BEFORE.search(folded[max(0, m.start - 10) : m.start]):
            continue  # "quận 3 ngàn…": the district's number is no amount
        leased = _LEASE_BEFORE.search(folded[max(0, m.start - 30) : m.start])
        said = p.text[: m.start].lower()
        if leased and _SALE_SAID.search(said if not p.text.isascii() else fold(said)):
            mark_tokens(p.consumed, p.tokens, m.start, m.end)
            continue  # "bán căn 2pn, đang cho thuê 8tr/tháng": the tenant's rent, an income
        if _INCOME_BEFORE.search(folded[max(0, m.start - 16) : m.start]):
            mark_tokens(p.consumed, p.tokens, m.start, m.end)
            continue  # "thu nhập 25tr/th thì nên mua ở đâu": what the speaker earns
        if folded[m.start : m.end].rstrip().endswith("m") and _WIDTH_BEFORE.search(
            folded[max(0, m.start - 12) : m.start]
        ):
            continue  # "ngõ 3m", "mặt tiền 5m": a width, not 3 million
        if m.value.per_m2:
            mark_tokens(p.consumed, p.tokens, m.start, m.end)
            p.per_m2_price = True
            continue
        # the unit the low end of a range takes: "năm tỷ" -> "tỷ", "7 trăm triệu" -> "trăm triệu"
        words = _UNIT_WORD.findall(p.text[m.start : m.end])
        kept = [w for w in words if fold(w) == "tram" or fold(w) not in _NOT_UNITS]
        kept = [w for w in kept if fold(w) == "tram" or fold(w) not in number_words()]
        hundreds = bool(kept) and fold(kept[0]) == "tram"
        unit = " ".join(kept[:2]) if hundreds else (kept[0] if kept else "")
        price_spans.append((m.start, m.end, float(m.value.vnd), m.value.per_month, unit))
    price_spans += _bare_floors(folded, price_spans)
    p.prices = _read_amounts(p, folded, price_spans, True)
    area_spans = [(a.start, a.end, a.m2, False, "m2") for a in find_areas(p.text) if a.m2 > 1]
    area_spans += _metres_of_area(folded, area_spans)
    area_spans = [
        s
        for s in area_spans
        if not any(p.consumed[k] for k in token_range(p, s[0], s[1]))
        and not _PLACE_NUMBER_BEFORE.search(folded[max(0, s[0] - 10) : s[0]])
    ]  # "Quan 10 Ha Do Centrosa": District 10, not 10 hectares
    if len(area_spans) > 1:  # "dt 5x16 dtsd 240m2", "10x30 có 100m2 tc": the lot, not a part
        partial = [
            s for s in area_spans if _PART_OF_THE_LOT.search(folded[max(0, s[0] - 24) : s[0]])
        ]
        partial += [s for s in area_spans if _RESIDENTIAL.match(folded, s[1])]  # "sổ 100m2 tc"
        partial += [  # (not the lot's own sides: "đất thổ cư 10x30")
            s
            for s in area_spans
            if "x" not in folded[s[0] : s[1]]
            and _RESIDENTIAL_BEFORE.search(folded[max(0, s[0] - 12) : s[0]])
        ]
        area_spans = [s for s in area_spans if s not in partial] or area_spans
    p.areas = _read_amounts(p, folded, area_spans, False)


# ----- rooms -------------------------------------------------------------------------------


def _spelled_number_ok(p: ParsedQuery, start: int, end: int) -> bool:
    """A number word must be one: "hải phòng" is a city, not two rooms."""
    k = token_at(p.tokens, start)
    if k >= len(p.tokens) or p.tokens[k].folded.isdigit():
        return True
    tok = p.tokens[k]
    if not tok.lower.isascii():
        return tok.lower in spelled_numbers()
    if any(not t.lower.isascii() for t in p.tokens):  # accents typed elsewhere: a bare "hai"
        return True
    place = gazetteer().lexicon.match_at(p.tokens, k)
    return place is None or place.end < end


# "diện tích trên 40 mét", "dt 40m": metres after the word for area are square metres
_AREA_NAMED = re.compile(
    r"(?<![a-z])(?:dien\s*tich|dtich|dt)(?![a-z])(?!\s*\d{3})(?:\s+|:|"
    r"\d+(?:[.,]\d+)?\s*(?:m|met)?\s*(?:-|~|den|toi|to)(?![a-z])|(?<![a-z])"
    r"(?:tu|tren|duoi|hon|khoang|tam|chung|la|co|it\s+nhat|toi\s+thieu|from|over|"
    r"under|about|around)(?![a-z]))*$"
)  # not "ĐT 743" (a provincial road)
_WIDTH_AFTER = re.compile(r"\s*(?:ngang|mat\s+tien|mt|dai|rong|sau|x|nhan)(?![a-z])")
_METRES = re.compile(r"(?<![\w.,])(?P<num>\d+(?:[.,]\d+)?)\s*(?:m|met)(?![\w²])")


def _metres_of_area(
    folded: str, found: list[tuple[int, int, float, bool, str]]
) -> list[tuple[int, int, float, bool, str]]:
    """ "40m"/"40 mét" read as 40 m² after "diện tích"/"dt" in the same clause (a width has
    its own words: "ngang", "mặt tiền", "hẻm")."""
    out: list[tuple[int, int, float, bool, str]] = []
    for m in _METRES.finditer(folded):
        if any(s <= m.start() < e for s, e, *_ in found):
            continue
        value = float(m.group("num").replace(",", "."))
        if value < 10 or _WIDTH_AFTER.match(folded, m.end()):
            continue  # "dt 5m ngang", "dt 4m mặt tiền": a width
        if _AREA_NAMED.search(folded[max(0, m.start() - 40) : m.start()]):
            out.append((m.start(), m.end(), value, False, "m2"))
    return out


_PLACE_NUMBER_BEFORE = re.compile(r"(?<![a-z0-9])(?:quan|q|phuong|p|district|ward)\.?\s*$")


def find_rooms(p: ParsedQuery, folded: str) -> None:
    words = number_words()

    def num(m: re.Match[str]) -> int | None:
        raw = m.group(1)
        if raw.isdigit():
            return int(raw)
        return words.get(raw) if _spelled_number_ok(p, m.start(1), m.end()) else None

    m = next(  # not "quận 7 - 3pn": a district's number, then the bedrooms
        (
            r
            for r in _BEDS_RANGE.finditer(folded)
            if int(r.group(1)) <= int(r.group(2))
            and not _PLACE_NUMBER_BEFORE.search(folded[max(0, r.start() - 10) : r.start()])
        ),
        None,
    )
    kn = _LIVING_AND_BEDROOMS.search(folded)
    if m:
        p.bedrooms = (int(m.group(1)), int(m.group(2)))
        mark_tokens(p.consumed, p.tokens, m.start(), m.end())
    elif kn:  # "1k1n" (một khách một ngủ), "2n1k": the bedrooms are the "n" count
        beds = int(kn.group(2) or kn.group(3))
        p.bedrooms = (beds, beds)
        mark_tokens(p.consumed, p.tokens, kn.start(), kn.end())
    else:
        m = _BEDS_PLUS.search(folded)
        if m:
            p.bedrooms = (int(m.group(1)), None)
            mark_tokens(p.consumed, p.tokens, m.start(), m.end())
    if p.bedrooms is None:
        for m in _BEDS.finditer(folded):
            n = num(m)
            if n is None or any(p.consumed[k] for k in token_range(p, m.start(), m.end())):
                continue
            city = p.text[m.start() : m.end()] in ("Hai Phong", "Hai Phòng")
            if city and not _ROOM_AFTER.match(folded, m.end()):
                continue  # "Hai Phong, Le Chan district": the city, not two rooms
            if _COOLED_ROOMS.search(folded[max(0, m.start() - 16) : m.start()]):
                mark_tokens(p.consumed, p.tokens, m.start(), m.end())
                continue  # "có máy lạnh 2 phòng": air conditioning in two rooms
            low_only = bool(m.group(3)) or bool(_BED_MIN_BEFORE.search(folded[: m.start()]))
            low_only = low_only or bool(_BED_MIN_AFTER.match(folded[m.end() :]))
            p.bedrooms = (n, n + 1) if m.group(2) else (n, None if low_only else n)
            p.rooms_bare = m.group(0).rstrip("+ ").endswith("phong")  # "3 phòng"
            mark_tokens(p.consumed, p.tokens, m.start(), m.end())
            again = next(_BEDS.finditer(folded, m.end()), None)
            said = num(again) if again else None
            if again and said is not None and not low_only:
                other = (said, said + 1) if again.group(2) else (said, said)
                if taken_back_between(p.text[m.end() : again.start()]):
                    p.bedrooms = other  # "ba phòng ngủ à không hai phòng ngủ": corrected
                elif _EITHER_COUNT.fullmatch(folded[m.end() : again.start()]):
                    low, high = p.bedrooms
                    # "3 ngủ hoặc 2 ngủ+1": either count, so the span of both
                    p.bedrooms = (min(low, other[0]), max(high or low, other[1]))
                else:
                    break
                mark_tokens(p.consumed, p.tokens, again.start(), again.end())
            break
    for m in _BATHS.finditer(folded):
        if _PLACE_NUMBER_BEFORE.search(folded[max(0, m.start() - 10) : m.start()]):
            continue  # "District 1 vs Bình Thạnh": a district, then "versus"
        n = num(m)
        if n is not None:
            p.bathrooms_min = n
            mark_tokens(p.consumed, p.tokens, m.start(), m.end())
    floors = "|".join(fold(w) for w in chat_vocab()["floors"])
    for m in re.finditer(rf"(?<![\w.,])\d{{1,2}}\s*(?:{floors})(?![a-z])", folded):
        if _PLACE_NUMBER_BEFORE.search(folded[max(0, m.start() - 10) : m.start()]):
            continue  # "quan 7 tang hay giam": District 7, then "tăng" (rising)
        mark_tokens(p.consumed, p.tokens, m.start(), m.end())
        p.unkeyed += 1
    for m in re.finditer(r"\b(?:tro\s+len|or\s+more)\b", folded):
        if p.bedrooms and any(p.consumed[k] for k in token_range(p, m.start() - 12, m.start())):
            mark_tokens(p.consumed, p.tokens, m.start(), m.end())
