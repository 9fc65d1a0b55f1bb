"""Prices and areas as Vietnamese people write them, both ways.

Reading: "1,95 tỷ", "5t5", "1 tỷ 2" (1.2 tỷ), "4 tỷ 250" (4.25 tỷ), "3 tỷ rưỡi", "800tr",
"1tr5", "15 triệu/tháng", "170 triệu/m²", "1.200.000.000 đ", "5x20" m², "7.748 m²".
Decimal separators follow the unit, because that is how the portals use them:
with tỷ/billion "2.150 tỷ" is 2.15 tỷ; with triệu "1.120tr" is 1,120 triệu; plain amounts and
areas group thousands with a dot ("1.200.000.000", "7.748 m²"), an area also with a comma
before three digits where a decimal would be absurd ("2,000 m2", "7,167 m²"); a comma is
otherwise decimal.

Writing: `format_price_vi(4_200_000_000) == "4,2 tỷ"`, `format_price_en(...) == "4.2 billion VND"`.

The `find_*` functions scan free text and return spans, which the query parser uses to read
the words around a number ("dưới", "từ … đến", "/tháng").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from ree.vi.text import fold, fold_aligned, normalize
from ree.vi.vocab import data_file

__all__ = [
    "AreaMatch",
    "PriceMatch",
    "PriceValue",
    "find_areas",
    "find_prices",
    "format_price_en",
    "format_price_vi",
    "parse_area",
    "parse_price",
    "spoken_digits",
]

BILLION = 1_000_000_000
MILLION = 1_000_000


@dataclass(frozen=True)
class PriceValue:
    """A price in VND; `per_m2` / `per_month` say what the amount is counted per."""

    vnd: int
    per_m2: bool = False
    per_month: bool = False


@dataclass(frozen=True)
class PriceMatch:
    """A price found in text: its span in the normalised text, and its value."""

    start: int
    end: int
    value: PriceValue


@dataclass(frozen=True)
class AreaMatch:
    """An area in m² found in text, with its span in the normalised text."""

    start: int
    end: int
    m2: float


_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip

_NUM = r"\d+(?:[.,]\d+)*"
_WORDNUM = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# Unit spellings on folded text. Case-sensitive ones (M, B) are checked on the original.
_B_UNITS = r"ty|ti|toi|billions?|bn|bil|b|t"
_M_UNITS = r"trieu|tr|cu(?!\s*chi\b)|millions?|mil|m"
_K_UNITS = r"nghin|ngan|k"
_CUR_UNITS = r"vnd|dong|d"
_UNIT = rf"(?:{_B_UNITS}|{_M_UNITS}|{_K_UNITS}|{_CUR_UNITS})"
_NOT_COUNTED = (
    r"(?!\s*(?:[.,]?\d|pn\b|phong|ngu|wc|vs\b|ve\s*sinh|toilet|m2|m\b|met|tang|lau|tret|x\b|br\b|"
    r"bed|bath|can\b|lo\b|nen\b|tr\b|trieu|cu\b(?!\s*chi\b)|ty\b|ti\b|nghin|ngan|k\b|%|/|nam\b|thang\b|"
    r"ngay\b|tuoi\b|nguoi\b|xe\b|oto\b|o\s*to\b|chiec\b))"
)
_HUNDREDS = rf"(?:\d|{_WORDNUM})\s+tram(?:\s+ruoi)?"  # "tám trăm triệu", "3 trăm rưỡi nghìn"
# tens spelled: "ba mươi (lăm)", and the spoken "hai lăm" (25), "ba mốt" (31), "bốn tư" (44)
_DIGIT_WORDS = r"mot|hai|ba|bon|tu|nam|lam|sau|bay|tam|chin"
# what may follow a spoken tenth ("hai tỷ mốt."): the clause ends, or a bound, particle or
# place preposition follows (not "3 tỷ tư vấn", "5 tỷ năm ngoái", "10 triệu ba đình")
_CLAUSE_END = (
    r"\s*(?:$|[,.;:!?)(\-/]|(?:tro\s+len|tro\s+xuong|do\s+lai|thoi|nha|nhe|a|nhi|khong|ko|k|"
    r"thuong\s+luong|tl|fix|phit|nhu|co\s+(?:thuong|tl)|la|duoc|dc|vay|the|o|tai|gan|quan|q\d|"
    r"huyen|phuong|p\d|hcm|hn|sg|nhe|nhen|nghen|luon|nua|va|hoac|hay|or|and|den|toi|to|"
    r"em|anh|chau|bac|chu|tu|lieu)(?![a-z]))"
)
# a detail of the home after a spoken tenth ("ba tỷ hai ban công", "ba tỷ sáu có hợp lý"),
# read only where the tenth is typed as a number (`_tenth_before_detail`)
_DETAIL_AFTER = (
    r"\s+(?:co(?!\s+the)|ban\s+cong|huong|view|so\s+(?:hong|do|rieng|san)|shr|full|"
    r"noi\s+that|thi|ma|dien\s+tich|dt|(?:mot|moi|1)\s+thang|ban\s+duoc|"
    r"(?:mot|hai|ba|bon|nam|sau|bay|tam|chin|\d)\s+(?:phong|pn|tang|lau|wc))(?![a-z])"
)
_TENS = (
    rf"(?:{_DIGIT_WORDS}|\d)\s+muoi(?:\s+(?:{_DIGIT_WORDS}))?"
    r"|(?:hai|ba|bon|nam|sau|bay|tam|chin)\s+(?:lam|mot|tu)"
)
_PRICE = re.compile(
    rf"(?<![^\W_]|[.,])(?P<num>{_HUNDREDS}|{_TENS}|{_NUM}|{_WORDNUM})\s*(?P<unit>{_UNIT})"
    rf"(?:(?P<sub>\d{{1,3}})(?!\d|[.,]\d)|\s+(?P<sub2>\d{{1,3}})\b{_NOT_COUNTED}|\s+(?P<half>ruoi)\b"
    rf"|\s+(?P<sub3>{_DIGIT_WORDS})(?![a-z])(?={_CLAUSE_END}|{_DETAIL_AFTER}))?"  # 2.1 tỷ
    r"(?![a-z0-9²])"
)
_DIGIT_VALUE = {"mot": 1, "lam": 5, "tu": 4}
_TAIL_MILLION = re.compile(
    rf"\s*(?P<num>{_HUNDREDS}|{_TENS}|\d{{1,3}})\s*(?:trieu|tr|cu(?!\s*chi\b)|millions?)"
    r"(?![a-z0-9²])"
)
_TAIL_HUNDREDS = re.compile(rf"\s+(?P<num>{_HUNDREDS})(?={_CLAUSE_END})")  # "ba tỷ hai trăm"
_TAIL_THOUSAND = re.compile(rf"\s*(?P<num>{_HUNDREDS}|\d{{1,3}})\s*(?:nghin|ngan|k)(?![a-z0-9²])")
_PER_M2 = re.compile(
    r"\s*(?:/|mot|1|moi|per|tren|a|an|each)?\s*(?:m2|m²|m\s2|met\s*vuong|sqm|square\s*met\w*|m)"
    r"(?![a-z0-9])"
)
_PER_MONTH = re.compile(
    r"\s*(?:(?:/|mot|1|moi|per|a|an|each|hang)?\s*(?:thang|th|month|mo|monthly)|pcm|p/m)(?![a-z])"
)
_BARE_AMOUNT = re.compile(r"(?<![\w.,])(?P<num>\d{1,3}(?:[.,]\d{3}){2,}|\d{7,})(?!\w|[.,]\d)")
_NO_PRICE = re.compile(r"thoa\s*thuan|thuong\s*luong|lien\s*he|deal|negotiable|contact")
_BOUND_THEN_MONTH = re.compile(
    r"\s*(?:do\s+lai|tro\s+xuong|tro\s+lai|tro\s+len|max|or\s+less)\s*"
    r"(?:/|mot|1|moi|per|a|an|hang)\s*(?:thang|th|month)(?![a-z])"
)
_CURRENCY_WORD = re.compile(r"\s*(?:vnd|dong|d)(?![a-z])")
_USD = re.compile(r"\$|usd\b|\bdo\s*la\b|dollars?\b")

_AREA = re.compile(
    rf"(?<![^\W_]|[.,])(?P<num>{_NUM})\s*(?P<unit>m2(?!\d)|m²(?!\d)|(?:m\s2|m\s*vuong|met\s*vuong|"
    r"sqm|sq\s*m|square\s*met\w*|hecta|hectares?|"
    r"ha(?!\s+(?:noi|nam|giang|tinh|dong|tien|long|trung|huy|dai|quang)\b))(?![a-z0-9]))"
)  # "48M2VỚI": text glued after m2/m² still ends the area
_DIMS = re.compile(
    r"(?<![^\W_]|[.,])(?P<a>\d+(?:[.,]\d+)?)\s*m?\s*[x×\*]\s*(?P<b>\d+(?:[.,]\d+)?)\s*(?:m2|m²|m)?"
    r"(?![a-z0-9])"
)


# the two sides named: "ngang 6m dài 22m", "rộng 5m x dài 20m", "ngang 4, sâu 15"
_SIDES = re.compile(
    r"(?<![a-z])(?:chieu\s+)?(?:ngang|rong)\s*:?\s*(?P<a>\d+(?:[.,]\d+)?)\s*(?:met|m)?\s*"
    r"[,;x×-]?\s*(?:chieu\s+)?(?:dai|sau)\s*:?\s*(?P<b>\d+(?:[.,]\d+)?)\s*(?:met|m)?"
    r"(?![a-z0-9²])"
)


def _to_float(raw: str, unit_kind: str) -> float | None:
    """Read a digit string by the separator conventions of its unit (see module doc)."""
    if raw in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[raw])
    if " tram" in raw:
        head, *rest = raw.split()
        base = _NUMBER_WORDS[head] if head in _NUMBER_WORDS else int(head)
        return base * 100.0 + (50.0 if rest[-1] == "ruoi" else 0.0)
    if (" " in raw and not raw[0].isdigit()) or " muoi" in raw:  # "ba mươi lăm", "hai lăm"
        words = [w for w in raw.split() if w != "muoi"]
        tens = _NUMBER_WORDS.get(words[0]) if not words[0].isdigit() else int(words[0])
        unit = _DIGIT_VALUE.get(words[1], _NUMBER_WORDS.get(words[1], 0)) if len(words) > 1 else 0
        return float(tens * 10 + unit) if tens is not None else None
    groups = re.split(r"[.,]", raw)
    seps = re.findall(r"[.,]", raw)
    if not seps:
        return float(raw)
    thousands = len(groups) > 2 and all(len(g) == 3 for g in groups[1:])
    if len(seps) == 2 and seps[0] != seps[1]:  # "1.234,5"
        return float(raw.replace(seps[0], "").replace(seps[1], "."))
    if thousands:
        return float("".join(groups))
    if len(groups) > 2:
        return None
    whole, frac = groups
    # "2,000 m2", "7,167 m²": no area is 2.000 or 7.167 m² ("80,100m2" lists two plots)
    area_thousands = unit_kind == "area" and (frac == "000" or 0 < int(whole or 0) < 10)
    if len(frac) == 3 and (
        unit_kind in ("million", "thousand")
        or area_thousands
        or (unit_kind in ("currency", "area", "hectare") and seps[0] == ".")
    ):
        return float(whole + frac)
    return float(f"{whole}.{frac}")


def _unit_kind(unit: str, original: str) -> str | None:
    if unit == "toi" and original.lower() not in ("tỏi", "toi"):
        return None  # "tới" (to, "1 tỷ 2 tới 1 tỷ 8") and "tôi" (I) fold the same as "tỏi"
    if unit == "ngan" and original.lower() not in ("ngàn", "ngan"):
        return None  # "quận 3 ngân sách": "ngân" (budget) is not "ngàn" (thousand)
    if unit in ("m", "b"):
        if unit == "m" and original == "M":
            return "million"
        if unit == "b" and original == "B":
            return "billion"
        return None
    if re.fullmatch(_B_UNITS, unit):
        return "billion"
    if re.fullmatch(_M_UNITS, unit):
        return "million"
    if re.fullmatch(_K_UNITS, unit):
        return "thousand"
    return "currency"


_SCALE = {"billion": BILLION, "million": MILLION, "thousand": 1000, "currency": 1}


_SHORT_UNITS = frozenset({"bn", "bil", "mil", "vnd"})
# words only ever said inside a number: "hai tỷ mốt", "ba mươi lăm", "tám trăm", "3 tỷ rưỡi"
_NUMBER_PARTS = frozenset({"mốt", "lăm", "mươi", "trăm", "rưỡi"})


@cache
def _spelled() -> frozenset[str]:
    """The Vietnamese number words typed with marks (ree/vi/data/districts.json, up to
    ten; unmarked words such as "hai" need no check), and the parts said only in a number."""
    numbers = data_file("districts.json")["numbers"]
    words = {normalize(w).lower() for n, ws in numbers.items() if int(n) <= 10 for w in ws}
    return frozenset(w for w in words if " " not in w and not w.isascii()) | _NUMBER_PARTS


@cache
def _vi_number_words() -> frozenset[str]:
    """The same words folded ("bon", "tam"): typed without marks they may be other words
    ("tầm"), so they never take a short unit ("tam bn")."""
    return frozenset(fold(w) for w in _spelled() - _NUMBER_PARTS)


_TOI_AFTER = re.compile(
    r"\s*(?:\d|mot|hai|ba|bon|nam|sau|bay|tam|chin|muon|can|dang|co|la|thay|nghi|se|da|"
    r"chi|van|cung|khong|ko|hoi|tim|mua|ban|thue|o)(?![a-z])"
)
_TIMES_BEFORE = re.compile(r"(?:m2|m²|m|\d)\s*[x×\*]\s*$")


def _vague_first_word(m: re.Match[str], text: str) -> bool:
    """Unaccented "tam"/"tu" opening a spelled number ("tam muoi trieu", "tu muoi ty",
    "tam mot ty") is "tầm"/"từ" (about, from), far likelier than "tám"/"tư"."""
    num = m.group("num")
    if " " not in num or num.split()[0] not in ("tam", "tu"):
        return False
    return text[m.start("num") : m.start("num") + len(num.split()[0])].isascii()


def _not_money(m: re.Match[str], folded: str) -> bool:
    """ "45M2" is an area and "45m2 x 5T" five storeys, not 45,2 triệu and 5 tỷ; unaccented
    "3 toi" is "3 tỏi" only where "tới"/"tôi" cannot be meant (no number or verb after)."""
    unit = m.group("unit")
    if unit == "m" and m.group("sub") == "2" and m.end("unit") == m.start("sub"):
        return True
    word = m.group("num")
    if word in _NUMBER_WORDS and (
        len(unit) == 1
        or (unit in _SHORT_UNITS and word in _vi_number_words())
        or m.end("num") == m.start("unit")
    ):
        return True  # "bất" is not "ba t(ỷ)", "tầm bn" not "tám bn": a word takes a spelled unit
    return unit == "t" and bool(_TIMES_BEFORE.search(folded[max(0, m.start() - 12) : m.start()]))


_CLAUSE_ENDS = re.compile(_CLAUSE_END)
_A_MONTH = re.compile(r"\s+(?:mot|moi|1)\s+thang")


def _tenth_before_detail(m: re.Match[str], text: str, folded: str) -> bool:
    """A spoken tenth read before a detail of the home rather than at a clause's end: not
    "năm" after "triệu" ("50 triệu năm có rẻ không" is a year's rent), and in a message
    typed with marks only a number word typed with its own ("2 tỷ sau có tăng": after)."""
    if _CLAUSE_ENDS.match(folded, m.end("sub3")):
        return True
    typed = text[m.start("sub3") : m.end("sub3")].lower()
    million = re.fullmatch(_M_UNITS, m.group("unit")) is not None
    if m.group("sub3") == "nam" and million:  # "50 triệu năm": a year's rent ("ba tỷ năm"
        return _A_MONTH.match(folded, m.end("sub3")) is not None  # 3.5 tỷ; "… năm một tháng")
    if not million and _A_MONTH.match(folded, m.end("sub3")):
        return False  # "ba tỷ hai một tháng nữa giao": a month away, no rent
    return text.isascii() or not typed.isascii() or typed in ("hai", "ba")


def _match_value(m: re.Match[str], text: str, folded: str) -> tuple[float, int] | None:
    """(amount in VND, end offset) of one unit match, with its "1 tỷ 2" style tail."""
    typed_unit = text[m.start("unit") : m.end("unit")]
    kind = _unit_kind(m.group("unit"), typed_unit)
    if kind is None and m.group("unit") == "m" and _MILLION_AFTER_M.match(folded, m.end("unit")):
        kind = "million"  # "15m VND", "18m pcm": a small m with the currency or a month named
    if kind is None and m.group("unit") == "m" and _million_bounded(m, text, folded):
        kind = "million"  # "2br D2 <20m?", "serviced apartment D1 around 25m"
    if kind is None or _not_money(m, folded):
        return None
    ranged = _RANGE_BEFORE_UNIT.search(folded[: m.start("unit")]) is not None
    if typed_unit.lower() == "toi" and _TOI_AFTER.match(folded, m.end("unit")) and not ranged:
        return None  # unaccented "2 toi 3 ty", "3 toi can mua": "tới", "tôi" (not "3-4 toi ko")
    typed = text[m.start("num") : m.end("num")].lower()
    if not typed.isascii() and not all(
        w in _spelled() or w.isascii() for w in typed.split() if not w[0].isdigit()
    ):
        return None  # "phố Bà Triệu": "bà" is not "ba" (three)
    number = _to_float(m.group("num"), kind)
    if number is None:
        return None
    sub = m.group("sub") or m.group("sub2")
    end = m.end()
    if m.group("sub3"):
        typed_sub = text[m.start("sub3") : m.end("sub3")]
        word = typed_sub.lower()
        num = m.group("num")  # a whole, small number: not "3,5 tỷ hai mặt tiền", "250TR năm"
        whole = not re.search(r"[.,]", num) and not (num.isdigit() and int(num) >= 100)
        if (
            (not word.isascii() and word not in _spelled())
            or typed_sub[:1].isupper()
            or not whole
            or kind not in ("billion", "million")
            or not _tenth_before_detail(m, text, folded)
        ):
            end = m.end("unit")  # "triệu Ba Đình", "500k một đêm": no tenth
        else:
            sub = str(_DIGIT_VALUE.get(m.group("sub3"), _NUMBER_WORDS.get(m.group("sub3"), 0)))
    if kind in ("billion", "million") and sub:
        number += int(sub) / 10 ** len(sub)
    elif sub:
        return None
    if m.group("half"):
        number += 0.5
    amount = number * _SCALE[kind]
    if kind in ("billion", "million") and not sub and not m.group("half"):
        pattern, scale = (_TAIL_MILLION, MILLION) if kind == "billion" else (_TAIL_THOUSAND, 1000)
        tail = pattern.match(folded, end) or _TAIL_HUNDREDS.match(folded, end)
        part = _to_float(tail.group("num"), "tail") if tail else None
        if tail and part is not None and part < 1000:
            amount += part * scale
            end = tail.end()
    if kind == "currency" and amount < 10_000:
        return None
    return amount, end


# English "Nm" as millions: a cap ("<20m", "under 20m", "max 20m") where a flat's rooms or a
# let is named, or "around 25m" where a serviced flat or a month is; never a sale, a size or a
# length ("about 70m", "alley under 5m wide", "within 50m of the metro", "frontage around 4m")
_CAP_BEFORE_M = re.compile(r"(?:<|under|below|max|budget|up\s+to)\s*$")
_ABOUT_BEFORE_M = re.compile(r"(?:around|about|~)\s*$")
_LENGTH_NOUN_BEFORE = re.compile(
    r"(?:alley|hem|frontage|road|street|garden|lot|plot|front|wide|deep|long)\s+\S*\s*$"
)
_LENGTH_AFTER_M = re.compile(r"\s*(?:wide|deep|long|away|from|of|frontage|front|road|x)(?![a-z])")
_ROOMS_OR_LET = re.compile(
    r"(?<![a-z])(?:\d\s*br|\d\s*bed\w*|serviced|rent\w*|lease|month\w*)(?![a-z])"
)
_LET_MONTHLY = re.compile(
    r"(?<![a-z])(?:serviced|a\s+month|per\s+month|monthly|/\s*month)(?![a-z])"
)
_SQUARE_UNITS = re.compile(r"m2|sqm|m²")
_RANGE_BEFORE_UNIT = re.compile(r"\d\s*-\s*\d+\s*$")  # "3-4 toi"
_USD_BEFORE = re.compile(r"(?<![a-z])usd$")
_SALE_WORDS = re.compile(r"(?<![a-z])(?:sale|sell\w*|buy\w*|purchase)(?![a-z])")


def _million_bounded(m: re.Match[str], text: str, folded: str) -> bool:
    if not text.isascii() or _SQUARE_UNITS.search(folded) or _SALE_WORDS.search(folded):
        return False
    before, end = folded[: m.start()], m.end("unit")
    if _LENGTH_NOUN_BEFORE.search(before) or _LENGTH_AFTER_M.match(folded, end):
        return False
    digits = re.match(r"\d+", folded[m.start() :])
    if digits is None or int(digits.group()) > 100:
        return False
    if _CAP_BEFORE_M.search(before):
        return _ROOMS_OR_LET.search(folded) is not None
    return _ABOUT_BEFORE_M.search(before) is not None and _LET_MONTHLY.search(folded) is not None


_MILLION_AFTER_M = re.compile(
    r"\s*(?:vnd|dong|d(?![a-z])|pcm|p/m|(?:/|per|a|an|each)\s*(?:month|mo)\b|/\s*thang|monthly)"
)
_USD_AFTER = re.compile(r"\s*(?:usd|do\s*la|dollars?)(?![a-z])")
_DONG_DOLLAR = re.compile(r"\s*đô(?!\w)", re.IGNORECASE)  # typed "đô" (dollar), not "đó" (that)


def _in_usd(text: str, folded: str, start: int, end: int) -> bool:
    """The amount is written in US dollars: "$", "usd" or "us$" before it, or "usd", "đô
    la", "đô" after."""
    said = folded[max(0, start - 5) : start].rstrip()
    before = said.endswith("$") or _USD_BEFORE.search(said) is not None
    return before or bool(_USD_AFTER.match(folded, end)) or bool(_DONG_DOLLAR.match(text, end))


def find_prices(text: str) -> list[PriceMatch]:
    """Every price expression in `normalize(text)`-ed text, left to right.

    Offsets refer to `normalize(text)`. Amounts in USD are skipped (never converted).
    The same text is read several times per listing (extractor, classifier, catalogue
    items): the last texts' results are remembered.
    """
    return list(_prices(text))


@lru_cache(maxsize=256)
def _prices(text: str) -> tuple[PriceMatch, ...]:
    return tuple(_find_prices(text))


# "nên" (should) typed with its marks is never "nền" (plots): "2 tỷ 5 nên chốt không"
_SHOULD = re.compile(r"(?<!\w)nên(?!\w)")


def _find_prices(text: str) -> list[PriceMatch]:
    text = normalize(text)
    folded = fold_aligned(text)
    lower = text.lower()
    if len(lower) == len(folded):
        for should in _SHOULD.finditer(lower):
            folded = folded[: should.start()] + "nxn" + folded[should.end() :]
    out: list[PriceMatch] = []
    taken_until = -1
    for found in _PRICE.finditer(folded):
        if found.start() < taken_until:
            continue
        m: re.Match[str] | None = found
        got = None
        while m is not None:
            got = None if _vague_first_word(m, text) else _match_value(m, text, folded)
            if got is not None or " " not in m.group("num"):
                break
            # "tầm mười triệu", "từ mười tỷ": read again from the number's second word
            m = _PRICE.match(folded, m.start() + m.group("num").index(" ") + 1)
        if got is None or m is None:
            continue
        amount, end = got
        if _in_usd(text, folded, m.start(), end):
            taken_until = end
            continue  # "200k usd", "$300k", "1 triệu đô": never converted
        per_m2 = per_month = False
        currency = _CURRENCY_WORD.match(folded, end)  # "50M VND a month"
        if currency and _PER_MONTH.match(folded, currency.end()):
            end = currency.end()
        suffix = _PER_M2.match(folded, end)
        if suffix:
            per_m2, end = True, suffix.end()
        else:
            suffix = _PER_MONTH.match(folded, end)
            if suffix:
                per_month, end = True, suffix.end()
            elif _BOUND_THEN_MONTH.match(folded, end):
                per_month = True  # "5 triệu đổ lại/tháng" (the bound word stays to be read)
        out.append(PriceMatch(m.start(), end, PriceValue(round(amount), per_m2, per_month)))
        taken_until = end
    for m in _BARE_AMOUNT.finditer(folded):
        if any(p.start <= m.start() < p.end for p in out):
            continue
        if _USD.match(folded, m.end()) or (m.start() > 0 and folded[m.start() - 1] == "$"):
            continue
        if m.group("num").startswith("0"):
            continue  # "0976441118": a phone number, not an amount
        value = _to_float(m.group("num"), "currency")
        if value is not None and value >= 100_000:
            end = m.end()
            tail = re.match(r"\s*(?:vnd|dong|d)(?![a-z])", folded[end:])
            end += tail.end() if tail else 0
            out.append(PriceMatch(m.start(), end, PriceValue(round(value))))
    out.sort(key=lambda p: p.start)
    return out


def parse_price(text: str) -> PriceValue | None:
    """One price as written on a portal or in chat, or None ("Thỏa thuận", garbage, USD).

    Never raises. The first price expression in the text wins.
    """
    try:
        if not isinstance(text, str) or not text.strip() or len(text) > 2000:
            return None
        folded = fold_aligned(normalize(text))
        if _USD.search(folded):
            return None
        found = find_prices(text)
        if found:
            return found[0].value
        if _NO_PRICE.search(folded):
            return None
        bare = re.fullmatch(r"\s*(\d+(?:[.,]\d+)*)\s*", folded)
        if bare:
            value = _to_float(bare.group(1), "currency")
            if value is not None and value >= 100_000:
                return PriceValue(round(value))
        return None
    except (ValueError, OverflowError, IndexError):
        return None


def find_areas(text: str) -> list[AreaMatch]:
    """Every area expression ("80m2", "63,4 m²", "5x20", "2 ha") in normalised text (the
    last texts' results are remembered, as for `find_prices`)."""
    return list(_areas(text))


@lru_cache(maxsize=256)
def _areas(text: str) -> tuple[AreaMatch, ...]:
    return tuple(_find_areas(text))


def _find_areas(text: str) -> list[AreaMatch]:
    text = normalize(text)
    folded = fold_aligned(text)
    out: list[AreaMatch] = []
    for m in (*_DIMS.finditer(folded), *_SIDES.finditer(folded)):
        a = _to_float(m.group("a"), "dims")
        b = _to_float(m.group("b"), "dims")
        if a and b and a < 1000 and b < 1000:
            out.append(AreaMatch(m.start(), m.end(), round(a * b, 2)))
    for m in _AREA.finditer(folded):
        if any(x.start <= m.start() < x.end for x in out):
            continue
        hectares = m.group("unit").startswith("h")
        value = _to_float(m.group("num"), "hectare" if hectares else "area")
        if value is None:
            continue
        if hectares:
            if m.group("unit") == "ha" and text[m.start("unit") : m.end("unit")].lower() != "ha":
                continue  # "7 hà …" is a place, not 7 hectares
            value *= 10_000
        out.append(AreaMatch(m.start(), m.end(), value))
    out.sort(key=lambda x: x.start)
    return out


def parse_area(text: str) -> float | None:
    """An area in m²: "63,4 m²", "7.748 m²" (dot = thousands), "5x20" -> 100.0, "80m2"."""
    try:
        if not isinstance(text, str) or not text.strip() or len(text) > 2000:
            return None
        found = find_areas(text)
        if found:
            return found[0].m2
        bare = re.fullmatch(r"\s*(\d+(?:[.,]\d+)*)\s*", text)
        if bare:
            return _to_float(bare.group(1), "area")
        return None
    except (ValueError, OverflowError, IndexError):
        return None


def _trim(value: float, decimals: int, sep: str) -> str:
    s = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return s.replace(".", sep)


def format_price_vi(vnd: int) -> str:
    """4_200_000_000 -> "4,2 tỷ"; 850_000_000 -> "850 triệu"; 15_000_000 -> "15 triệu"."""
    if vnd >= BILLION:
        return f"{_trim(vnd / BILLION, 3, ',')} tỷ"
    if vnd >= MILLION:
        if vnd % 10_000 == 0:
            return f"{_trim(vnd / MILLION, 2, ',')} triệu"
        return f"{vnd:,} đ".replace(",", ".")
    return f"{vnd:,} đ".replace(",", ".")


def format_price_en(vnd: int) -> str:
    """4_200_000_000 -> "4.2 billion VND"; 850_000_000 -> "850 million VND"."""
    if vnd >= BILLION:
        return f"{_trim(vnd / BILLION, 3, '.')} billion VND"
    if vnd >= MILLION:
        return f"{_trim(vnd / MILLION, 2, '.')} million VND"
    return f"{vnd:,} VND"


# ----- numbers said in words ------------------------------------------------------------------
# Speech-to-text writes what was said: "một trăm hai mươi mét vuông", "mười lăm triệu",
# "năm nhân hai mươi", "hai phẩy năm tỷ". `spoken_digits` writes those numbers in digits so
# the parsers above read them as they read "120 mét vuông", "15 triệu", "5x20", "2,5 tỷ".

_DIGITS_SAID = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8,
    "chín": 9,
}  # fmt: skip
# said only after "mươi"/"mười": "hai mươi mốt" (21), "ba mươi lăm" (35), "bốn mươi tư" (44)
# ("hai mươi năm" is twenty years: a five said last is written "lăm")
_LAST_DIGIT_SAID = {
    **{w: n for w, n in _DIGITS_SAID.items() if w != "năm"},
    "mốt": 1,
    "lăm": 5,
    "nhăm": 5,
    "tư": 4,
}
_SPOKEN_WORD = re.compile(r"[^\W_]+(?:[.,]\d+)?")  # "m2", "80m2" are no digits
# the words that make a spelled number more than one digit, and the operators between two
_SPOKEN_CUE = re.compile(
    r"(?<![^\W\d_])(?:mươi|mười|trăm|nghìn|ngàn|nhân|phẩy|vuông|chục|m2|m²|mét|ngang|"
    r"muoi|tram|nghin|ngan|nhan|phay|vuong|chuc|hai ba|ba bốn|bốn năm|năm sáu|sáu bảy|"
    r"bảy tám|tám chín)"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)
_AREA_WORD = re.compile(r"\s*(?:mét|met|m2|m²|m\b)", re.IGNORECASE)
_ARITHMETIC = re.compile(r"\s*(?:bằng|bang|=)(?!.*(?:tiền|tien))", re.IGNORECASE)
_MONEY_SAID = frozenset({"tỷ", "triệu", "nghìn", "ngàn", "củ", "ty", "trieu", "nghin", "ngan"})
_RANGE_UNIT = re.compile(
    r"\s*(?:tỷ|triệu|phòng|pn|tầng|lầu|mét|ty|trieu|phong|tang|lau|met)(?!\w)", re.IGNORECASE
)
_SIDE_WORDS = frozenset({"ngang", "rộng", "dài", "sâu", "rong", "dai", "sau"})
_COUNTED_AFTER = re.compile(
    r"\s*(?:tầng|tang|lầu|lau|tấm|tam|phòng|phong|pn|ngủ|ngu|wc|căn|can|mê|me)(?!\w)",
    re.IGNORECASE,
)
_SQUARE_METRES = re.compile(r"\s*(?:mét vuông|met vuong|m2|m²)(?!\w)", re.IGNORECASE)


def spoken_digits(text: str) -> str:
    """`text` with its numbers said in words written in digits: "một trăm hai mươi" -> "120",
    "mười lăm" -> "15", "hai nghìn hai trăm" -> "2200", "năm nhân hai mươi" -> "5x20",
    "hai phẩy năm" -> "2,5". A lone digit word stays a word ("ba tỷ", "hai phòng" are read as
    they are), and so does "nghìn" closing a number ("năm trăm nghìn" -> "500 nghìn", a price).
    Words typed without marks count only in a message typed without marks, so "trạm",
    "muối" and "tầm" never do; unaccented "tam"/"tu" opening a number are "tầm"/"từ"."""
    text = _DIGIT_RANGE.sub(_digit_range, text)
    text = _BARE_HUNDRED.sub(_bare_hundred, text)
    if _SPOKEN_CUE.search(text) is None:
        return text
    plain = text.isascii()
    words = [(m.start(), m.end(), _said(m.group(), plain)) for m in _SPOKEN_WORD.finditer(text)]
    out: list[str] = []
    last = i = 0
    while i < len(words):
        got = _spoken_number(words, i, text, plain)
        if got is None:
            i += 1
            continue
        digits, j = got
        out.append(text[last : words[i][0]] + digits)
        last, i = words[j - 1][1], j
    return "".join(out) + text[last:] if out else text


# "từ hai đến ba phòng ngủ", "hai tới ba tỷ": two digit words joined as a range of a count or
# an amount (a lone digit word before a unit stays a word, see `spoken_digits`)
_DIGIT_RANGE = re.compile(
    r"(?<![^\W\d_])(một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín)\s+(?:đến|tới|-)\s+"
    r"(một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín)(?=\s*(?:phòng|pn|tầng|lầu|tỷ|tỉ|triệu)(?!\w))",
    re.IGNORECASE,
)


# "khoảng trăm mét vuông", "tầm trăm rưỡi triệu": a hundred said without "một", after a word
# of about or a bound and before a unit
_BARE_HUNDRED = re.compile(
    r"(?<![^\W\d_])(khoảng|tầm|chừng|cỡ|độ|hơn|gần|dưới|trên|tới|đến)\s+trăm(\s+rưỡi)?"
    r"(?=\s*(?:mét|m2|m²|triệu|củ)(?!\w))",
    re.IGNORECASE,
)


def _bare_hundred(m: re.Match[str]) -> str:
    return f"{m.group(1)} {150 if m.group(2) else 100}"


def _digit_range(m: re.Match[str]) -> str:
    low, high = (_DIGITS_SAID[m.group(k).lower()] for k in (1, 2))
    return f"{low} đến {high}" if low < high else m.group()


def _said(word: str, plain: bool) -> str:
    """A word as the grammar below reads it: marked spellings as typed; in a message typed
    without marks, the unaccented ones spelled with their number's marks."""
    low = word.lower()
    if not plain or not low.isalpha():
        return low
    return _UNMARKED_SAID.get(low, low)


# the words above typed without marks, spelled back with them ("bay" is "bảy" or "bẩy", both 7)
_UNMARKED_SAID = {
    fold(w): w
    for w in (*_DIGITS_SAID, "mươi", "lăm", "trăm", "nghìn", "ngàn", "linh", "nhân", "phẩy", "chục")
}


def _spoken_number(
    words: list[tuple[int, int, str]], i: int, text: str, plain: bool
) -> tuple[str, int] | None:
    """(digits, index after) of a number said at `words[i]` (see `spoken_digits`), or None."""

    def word(k: int) -> str:
        # only words with nothing but spaces between them make one number
        if k >= len(words) or (k > i and text[words[k - 1][1] : words[k][0]].strip()):
            return ""
        return words[k][2]

    if plain and word(i) in ("tám", "tư") and word(i + 1) in ("mươi", "mười"):
        return None  # unaccented "tam muoi trieu": "tầm mười triệu", as `_vague_first_word`
    if i > 0 and words[i - 1][2] in ("quận", "quan") and word(i) == "mười":
        said = _DIGITS_SAID.get(word(i + 1), 0)
        if said >= 3:  # "quận mười ba phòng ngủ": District 10 (no Quận 13), then three rooms
            return "10", i + 1
    first = _small(word, i)
    if first is None and word(i).isdigit() and word(i + 1) in ("nhân", "phẩy"):
        first = (int(word(i)), i + 1, False)
    if first is None and word(i) in _DIGITS_SAID:
        first = (_DIGITS_SAID[word(i)], i + 1, False)
    if first is None:
        return None
    value, j, compound = first
    if (
        compound
        and i > 0
        and words[i - 1][2] in _SIDE_WORDS
        and word(j - 2) == "mươi"
        and word(j - 1) in _DIGITS_SAID
        and _COUNTED_AFTER.match(text, words[j - 1][1])
    ):  # "ngang năm dài hai mươi ba tầng": a side of 20, then three storeys
        value, j = value - _DIGITS_SAID[word(j - 1)], j - 1
    if word(j) == "mét" and word(j + 1) == "nhân":
        j += 1  # "năm mét nhân hai mươi lăm mét": 5x25
    op = word(j)
    if op in ("nhân", "phẩy"):
        second = _small(word, j + 1) or (
            (_DIGITS_SAID[word(j + 1)], j + 2, False) if word(j + 1) in _DIGITS_SAID else None
        )
        if second is None and word(j + 1).isdigit():
            second = (int(word(j + 1)), j + 2, False)
        if second is None:
            return None
        if op == "nhân" and _ARITHMETIC.match(text, words[second[1] - 1][1]):
            return None  # "12 nhân 17 bằng mấy": a sum to work out, no lot
        end = second[1]
        if (
            word(end - 2) == "mươi"
            and word(end - 1) in _DIGITS_SAID
            and _COUNTED_AFTER.match(text, words[end - 1][1])
        ):  # "năm nhân hai mươi hai tầng": 5x20, two storeys
            second = (second[0] - _DIGITS_SAID[word(end - 1)], end - 1, True)
        sep = "x" if op == "nhân" else ","
        end = second[1]
        if (
            op == "nhân"
            and word(end) == "mét"
            and not _SQUARE_METRES.match(text, words[end - 1][1])
        ):
            end += 1  # "… nhân hai mươi lăm mét": the length's unit goes with the product
        return f"{value}{sep}{second[0]}", end
    if word(j) in ("nghìn", "ngàn"):
        rest = _small(word, j + 1)
        if rest is not None:
            return str(value * 1000 + rest[0]), rest[1]
        if _AREA_WORD.match(text, words[j][1]) and word(j + 1):
            if word(j + 1) in ("mét", "met") and _spoken_area(words, i, j + 1, text):
                return f"{value * 1000} m2", j + 2  # "miếng đất vườn hai ngàn mét"
            return str(value * 1000), j + 1  # "một nghìn mét vuông"
    if not compound and value >= 2 and word(j) in _DIGITS_SAID and word(j + 1) == "mét":
        said = value * 10 + _DIGITS_SAID[word(j)]  # "sáu chín mét": 69, "mươi" left unsaid
        if _DIGITS_SAID[word(j)] != value + 1 and _spoken_area(words, i, j + 1, text):
            return f"{said} m2", j + 2
    consecutive = word(j) in _DIGITS_SAID and _DIGITS_SAID[word(j)] == value + 1
    floor_before = i > 0 and words[i - 1][2] in ("tầng", "lầu", "tang", "lau")  # "tầng hai"
    if not compound and consecutive and not floor_before and _RANGE_UNIT.match(text, words[j][1]):
        return f"{value}-{value + 1}", j + 1  # "hai ba phòng ngủ", "ba bốn tỷ"
    if not compound and (word(j) == "mét" or (i > 0 and words[i - 1][2] in _SIDE_WORDS)):
        return str(value), j  # "ngang sáu mét", "ngang năm dài hai mươi": a side in digits
    if compound and value >= 15 and _spoken_area(words, i, j, text):
        return f"{value} m2", j + 1  # "nhà năm mươi mét": 50 m², "vuông" left unsaid
    if compound or _SQUARE_METRES.match(text, words[j - 1][1]):
        return str(value), j  # "một mét vuông đất": "1 mét vuông"
    return None


# a length, not an area: "mặt tiền mười hai mét", "cách biển hai trăm mét", "hẻm mười lăm mét"
# a length's own word right before the number ("hẻm ba mét", "mặt tiền mười hai mét"; "nhà
# kiệt ở huế sáu chục mét" is a house in an alley, then its area) …
_LENGTH_BEFORE = frozenset(
    {"ngang", "tiền", "rộng", "dài", "sâu", "cao", "đường", "hẻm", "ngõ", "kiệt", "giới", "lộ"}
)
_LENGTH_BEFORE_PLAIN = frozenset(
    {"ngang", "tien", "rong", "dai", "duong", "hem", "ngo", "kiet", "gioi"}
)
# … and a distance or a part of the home anywhere in the clause before it ("cách chợ …",
# "gần công viên chừng hai trăm mét", "ban công hai mươi mét"); typed without marks, less the
# letters of common words ("cho", "toi", "sau", "lo", "ra")
_DISTANCE_BEFORE = frozenset(
    {"cách", "xa", "gần", "bộ", "ra", "tới", "metro", "chợ", "trường", "biển", "sân", "công",
     "giếng", "bơi", "lối", "viên", "bay", "ty", "ga", "bãi"}
)  # fmt: skip
_DISTANCE_BEFORE_PLAIN = frozenset(
    {"cach", "gan", "metro", "truong", "bien", "cong", "gieng", "boi", "vien", "bai"}
)
# the home whose area a bare "mét" gives
_HOME_WORDS = frozenset(
    {"nhà", "căn", "hộ", "đất", "lô", "mảnh", "miếng", "phòng", "cư", "tích", "dt", "nền",
     "xưởng", "kho", "thự", "villa", "nha", "can", "ho", "dat", "lo", "manh", "mieng", "phong",
     "cu", "tich", "nen", "xuong", "thu", "shophouse", "penthouse", "bằng", "bang",
     "officetel", "studio"}
)  # fmt: skip
_LENGTH_AFTER = re.compile(
    r"\s*(?:vuông|vuong|ngang|mặt|mat|dài|dai|sâu|sau|rộng|rong|x|nhân|nhan|đường|duong|"
    r"hẻm|hem|nữa|nua|là|la|ra|tới|toi|đến|den|từ|tu|rưỡi|ruoi)(?!\w)",
    re.IGNORECASE,
)


def _value_of(words: list[tuple[int, int, str]], i: int, j: int) -> int:
    """The value of the spoken number `words[i:j]` (see `_small`)."""
    got = _small(lambda k: words[k][2] if i <= k < j else "", i)
    return got[0] if got else 0


def _spoken_area(words: list[tuple[int, int, str]], i: int, j: int, text: str) -> bool:
    """A number said with "mét" and no "vuông" right after, where no word of a length
    stands before or after it, is the home's area: "căn hộ bảy mươi mét", "sáu chục mét"."""
    if (
        j >= len(words)
        or words[j][2] not in ("mét", "met")
        or text[words[j - 1][1] : words[j][0]].strip()
    ):
        return False
    after = _LENGTH_AFTER.match(text, words[j][1])
    if after and not (
        after.group().strip().lower() in ("mặt", "mat") and _value_of(words, i, j) >= 30
    ):
        return False  # but "đất một trăm hai mươi mét mặt tiền đường …": no frontage is 120 m
    before: list[str] = []
    for k in range(i - 1, max(-1, i - 13), -1):  # the clause before it, twelve words at most
        if text[words[k][1] : words[k + 1][0]].strip():
            break
        before.append(words[k][2])
    plain = text.isascii()
    lengths = _LENGTH_BEFORE_PLAIN if plain else _LENGTH_BEFORE
    distances = _DISTANCE_BEFORE_PLAIN if plain else _DISTANCE_BEFORE
    near = [
        w
        for k, w in enumerate(before[:2])
        if w not in ("tiền", "tien") or before[k + 1 : k + 2] in (["mặt"], ["mat"])
    ]  # "mặt tiền", not "Tiền Giang"
    if any(w in lengths for w in near) or any(w in distances for w in before):
        return False
    return any(w in _HOME_WORDS for w in before)  # "căn hộ … bảy mươi mét", "đất … ba trăm mét"


_UNIT_AFTER_TENS = frozenset({"mét", "triệu", "nghìn", "ngàn", "củ"})


def _small(word: Callable[[int], str], i: int) -> tuple[int, int, bool] | None:
    """(value, index after, True) of a number below a thousand said with "trăm", "mươi" or
    "mười" ("một trăm linh năm", "ba mươi lăm", "mười hai", "hai trăm rưỡi"), or None."""
    value, j = 0, i
    if word(j) == "không" and word(j + 1) == "trăm":  # "bốn tỷ không trăm năm chục triệu"
        got = _small(word, j + 2) if word(j + 2) not in ("linh", "lẻ") else None
        if word(j + 2) in ("linh", "lẻ") and word(j + 3) in _DIGITS_SAID:
            got = (_DIGITS_SAID[word(j + 3)], j + 4, True)
        return got if got is not None and got[0] < 100 else None
    if word(j) in _DIGITS_SAID and word(j + 1) == "trăm":
        value, j = _DIGITS_SAID[word(j)] * 100, j + 2
        if word(j) == "rưỡi":
            return value + 50, j + 1, True
        # "một trăm mốt mét vuông" (110), "hai trăm tư" (240): the tens said without "mươi"
        tens = _LAST_DIGIT_SAID.get(word(j)) if word(j) in ("mốt", "tư", "lăm") else None
        if tens is None and word(j) in _DIGITS_SAID and word(j + 1) in _UNIT_AFTER_TENS:
            tens = _DIGITS_SAID[word(j)]
        if tens is not None and word(j + 1) not in ("mươi", "mười", "chục", "trăm"):
            return value + tens * 10, j + 1, True
        if word(j) in ("linh", "lẻ") and word(j + 1) in _DIGITS_SAID:
            return value + _DIGITS_SAID[word(j + 1)], j + 2, True
    if word(j) in _DIGITS_SAID and word(j) != "một" and word(j + 1) in ("lăm", "mốt", "nhăm"):
        # "hai lăm" (25), "ba mốt" (31): the tens said without "mươi"
        return value + _DIGITS_SAID[word(j)] * 10 + _LAST_DIGIT_SAID[word(j + 1)], j + 2, True
    if word(j) in _DIGITS_SAID and word(j + 1) == "chục":
        return value + _DIGITS_SAID[word(j)] * 10, j + 2, True  # "sáu chục": sixty
    if word(j) in _DIGITS_SAID and word(j + 1) == "mươi":
        value, j = value + _DIGITS_SAID[word(j)] * 10, j + 2
        if word(j) in _LAST_DIGIT_SAID or (word(j) == "năm" and word(j + 1) in _MONEY_SAID):
            value, j = value + _LAST_DIGIT_SAID.get(word(j), 5), j + 1  # "hai mươi năm triệu"
    elif word(j) in ("mười", "mươi"):  # unaccented "muoi" reads "mươi"
        value, j = value + 10, j + 1
        if word(j) in _LAST_DIGIT_SAID and word(j) not in ("mốt", "tư"):
            value, j = value + _LAST_DIGIT_SAID[word(j)], j + 1
    return (value, j, True) if j > i else None
