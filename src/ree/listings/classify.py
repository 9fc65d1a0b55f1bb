"""Property type and transaction of a listing, with a confidence, and junk/spam flags.

The title says what is offered ("Bán căn hộ 2PN…", "Cho thuê nhà nguyên căn…"); the opening
of the description confirms or corrects it. Each type mention is scored by where it stands
(title first), so a house listing that mentions "đất" in its description stays a house.
Flags mark what is not a listing: no property at all (an agency advertising itself), text
lost to "????", a menu of price bands scraped where the price belongs.

Listing text is data: nothing in it is followed as an instruction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from ree.models import PropertyType, Transaction
from ree.vi.gazetteer import gazetteer
from ree.vi.numbers import find_areas, find_prices
from ree.vi.places import resolve_places
from ree.vi.text import fold, fold_aligned
from ree.vi.vocab import find_property_types, vocab_hits

__all__ = ["Classification", "JunkFlag", "ListingClassifier"]


class JunkFlag(StrEnum):
    """Why a text is not (only) a listing."""

    NO_PROPERTY = "no_property"
    GARBLED = "garbled"
    PRICE_MENU = "price_menu"
    TOO_SHORT = "too_short"
    PRICE_CELL_MENU = "price_cell_menu"  # a note: the price cell is ignored, the listing stands


_NOT_JUNK = frozenset({JunkFlag.PRICE_CELL_MENU})


@dataclass(frozen=True)
class Classification:
    """What a listing offers, how sure we are (0-1), and junk flags (empty: a listing)."""

    property_type: PropertyType
    transaction: Transaction
    type_confidence: float
    transaction_confidence: float
    flags: list[JunkFlag] = field(default_factory=list)

    @property
    def is_junk(self) -> bool:
        """True when the text should not be indexed as a listing."""
        return any(f not in _NOT_JUNK for f in self.flags)


_RENT = re.compile(
    r"(?:^|[^a-z])(?:cho\s+thue|can\s+thue|for\s+rent|to\s+let|sang\s+nhuong\s+phong)(?![a-z])"
)
_SALE = re.compile(
    r"(?:^|[^a-z])(?:ban|can\s+ban|chuyen\s+nhuong|sang\s+nhuong|for\s+sale|mua\s+ngay|so\s+huu)(?![a-z])"
)
# "cho thuê" as a property's income: "đang cho thuê", "dễ cho thuê", "khai thác cho thuê",
# "ở hoặc cho thuê", "cho thuê được 8 triệu", "cho thuê đạt 45tr", "cho thuê khoán".
_INCOME_BEFORE = re.compile(
    r"(?:dang|de|khai\s+thac|co\s+the|da|san|hoac|va|de\s+dang|dau\s+tu|"
    r"thich\s+hop|phu\s+hop|hop\s+dong|vua\s+o\s+vua|muc\s+dich|chuyen|cao|gia)[\s,:-]*.?$"
)
# A monthly figure after these words is what a property earns or costs, not its rent.
_INCOME_MONTHLY = re.compile(
    r"(?:doanh\s+thu|dong\s+tien|thu\s+nhap|loi\s+nhuan|sinh\s+loi|thanh\s+toan|tra\s+gop|"
    r"gop|khoan|dang\s+cho\s+thue|dang\s+thue|hd\s+thue|hop\s+dong\s+thue|thu\s+ve|lai)"
)
_INCOME_AFTER = re.compile(r"\s*(?:duoc|dat|khoan|lai|ngay|on\s+dinh|san|tot)(?![a-z])")
_DESC_WINDOW = 400
_RULED_TITLED, _RULED_UNTYPED = 0.65, 0.7  # accuracy of the title rules on the dev listings
_UNTYPED_WINDOW = 1500  # how far into the description to look when the title names no type
_SALE_LEVEL = 500_000_000  # a title price this high, not per month, is an asking price
_MENU_BANDS = re.compile(r"(?:duoi|tu|tren)\s+\d+(?:[.,]\d+)?\s*(?:-\s*\d+\s*)?(?:trieu|ty)")


# Words that name no property type in listing text: "nhận nhà" (take delivery), "nhà mẫu"
# (show flat), "chủ nhà" (owner), "phòng kinh doanh" (sales team), "Gamuda Land" (a company).
_NOT_A_TYPE = re.compile(
    r"(?:(?<=nhận )|(?<=xem )|(?<=giao )|(?<=chủ )|(?<=quan )|(?<=mẫu ))nhà(?![\w])"
    r"|(?<!căn )(?<!bán )(?<!ngôi )nhà (?:mẫu|đầu tư|ở ngay|ngay|mới (?:tinh|100))(?![\w])"
    r"|(?:văn )?phòng (?:kinh doanh|bán hàng|giao dịch|chuyển nhượng|pkd|marketing)(?![\w])"
    r"|(?<=\w )(?:land|LAND)(?![\w])"
    r"|(?<![\w])cc(?= (?:cần )?bán)",
    re.IGNORECASE,
)
# Listing-text classes (folded): a whole building sold for its rents is a house, a
# street-front ("mặt phố", "MT", not "mặt tiền 5m", a width) house a townhouse.
_BUILDING = re.compile(
    r"(?<![a-z])(?:building|(?<!\d\s)(?<![^a-z]o\s)(?<!tai\s)(?<!thuoc\s)(?<!trong\s)toa"
    r"(?!\s+(?:nha\s+|can\s+ho\s+)?(?:van\s+phong|vp|[a-z]{1,3}\d|[a-z](?:\s|$))\b)|chdv|ccmn|"
    r"can\s+ho\s+(?:dich\s+vu|dv)|chung\s+cu\s+mini|nha\s+tro|phong\s+tro|khu\s+tro|"
    r"\d+\s*phong(?!\s*ngu)|\d{2,}\s*(?:pn|ch|wc)|can\s+ho\s+dong\s+tien)(?![a-z])"
)
_STREET_FRONT = re.compile(
    r"(?<![a-z])(?<!gan\s)(?<!ra\s)(?<!sat\s)(?<!cach\s)(?<!\dm\s)"
    r"(?:mat\s+(?:pho|duong)|mp|mat\s+tien|mt)(?![a-z])"
    r"(?!\s*(?:[:=]\s*)?(?:rong|ngang|lon|la\s*)?\s*\d+(?:[.,]\d+)?(?!\d)(?!\s*[a-ln-wyz]))"
    r"(?!\s+(?:hem|ngo|kiet|ngach|hxh|rong|ngang|lon)\b)"
    r"(?!\s+duong\s+(?:nhua|be\s+tong|\d))"
)
_FLOORS_IN_TITLE = re.compile(r"(?<![a-z0-9])\d{1,2}\s*(?:tang|lau|t|tam)(?![a-z])|tret|\dt\dl")
_ROOMS_IN_TITLE = re.compile(
    r"(?<![a-z0-9])(?:\d\s*pn|\d\s*-\s*\dpn|\dn(?![a-z])|\d\s*(?:phong\s+)?ngu|studio|stu|1n\+)"
    r"(?![a-z])"
)
_UNIT = re.compile(r"(?<![a-z])can(?!\s+nha)(?![a-z])")
_NOT_UNIT = re.compile(r"\s+(?:ban|mua|tien|chuyen|gap|sang|thanh|thiet|nhuong)(?![a-z])")
_HOUSE_ABBR = re.compile(r"(?<![a-z])nr(?![a-z])")  # "nhà riêng"
# a description of a low-rise unit: storeys, a plot, a pavement (a row house, not a flat)
_LOW_RISE = re.compile(
    r"(?<![a-z0-9])(?:\d\s*(?:tang|lau)(?![a-z])|xay\s+\d|lo\s+goc|via\s+he|dat\s+o|mat\s+duong)"
)
_OPENING = 200  # the description's first sentences
# storeys of a lot's house: "5 tầng", "3 lầu", "5T" (not a price: "giá 3t", "2t5", "2t có TL")
_LOT_STOREYS = re.compile(
    r"(?<![a-z0-9])\d{1,2}\s*(?:tang|lau)(?![a-z])"
    r"|(?<![a-z0-9])(?<!gia\s)\d\s*t(?![a-z0-9])(?!\s*(?:co\s+)?(?:thuong|tl|bot|ty))"
)
# … and not on its neighbours: "Nhà phố xây kín xung quanh", "Biệt thự và nhà phố bên cạnh"
_AROUND = re.compile(
    r"(?<![a-z])(?:xung\s+quanh|ben\s+canh|doi\s+dien|lan\s+can|ke\s+ben)(?![a-z])"
)
# a description that opens on the house: "Nhà lô góc…", "- Nhà riêng 7 tầng…", "Bán nhà…"
_BUILT_OPENING = re.compile(
    r"[\s\-+*.•]*(?:(?:chinh\s+chu\s+)?(?:can\s+)?ban\s+)?(nha(?!\s+(?:van\s+hoa|o\s+xung|ga))"
    r"|can\s+nha|biet\s+thu)(?![a-z])"
)
_PLOT_WORDS = re.compile(r"(?<![a-z])(?:lo|nen|suat\s+ngoai\s+giao)(?![a-z])")
_VILLA_ABBR = re.compile(r"(?<![a-z])bt(?![a-z])")
_VILLA_WORDS = re.compile(
    r"(?<![a-z])(?:biet\s+thu|lien\s+ke|song\s+lap|don\s+lap|shophouse|bt|lk|villa)(?![a-z])"
)
_FLAT_WORDS = re.compile(r"(?<![a-z])(?:can\s+ho|\dpn|studio)(?![a-z])")
_ALLEY = re.compile(r"(?<![a-z])(?:hem|ngo|kiet|ngach|hxh)(?![a-z])")
# a townhouse named as a row house of a project, which an alley or a street name does not undo
_ROW_HOUSE = re.compile(r"(?<![a-z])(?:lien\s+ke|lk|shophouse|biet\s+thu|du\s+an|kdt)(?![a-z])")
_HOUSE_ON_STREET = re.compile(r"(?<![a-z])nha\s+pho\s+(?!lien|thuong|mat|mt)")
_PLOT_FOR = re.compile(
    r"(?<![a-z])(?:nen|lo\s+dat|dat\s+nen)\s+"
    r"(?:nha\s+pho|biet\s+th[a-z]*|villa|lien\s+ke|shop\s*house|bt|lk)(?![a-z])"
)
_SMALL_VILLA = re.compile(r"(?<![a-z])(?:biet\s+thu|villa)\s+mini(?![a-z])")
_SHOP = re.compile(r"(?<![a-z])shop(?![a-z])")
_NOT_A_SHOP = frozenset(
    {PropertyType.HOUSE, PropertyType.APARTMENT, PropertyType.ROOM, PropertyType.OTHER}
)
_HOTEL = re.compile(r"(?<![a-z])khach\s+san(?![a-z])")
_NOT_A_HOTEL = frozenset({PropertyType.HOUSE, PropertyType.LAND, PropertyType.OTHER})
_BIG_UNIT_M2 = 100  # an unnamed "căn" this large is a villa or row house, not a flat


# The same, written with or without accents (matched on the folded text, blanked in the
# original): a railway station, a stock list of units ("tổng kho", "giỏ hàng"), buying or
# renting a home in general, a sales team ("phòng KD").
_NOT_A_TYPE_FOLDED = re.compile(
    r"(?<![a-z])(?:nha\s+(?:ga|thi\s+dau|van\s+hoa)|(?<=tong\s)kho|kho(?=\s+(?:hang|can))"
    r"|(?<=mua\s)nha|(?<=thue\s)nha|phong\s+(?:kd|k\.\s?doanh))(?![a-z])"
)


def _mask(text: str) -> str:
    text = _NOT_A_TYPE.sub(lambda m: " " * len(m.group(0)), text)
    folded = fold_aligned(text)
    if len(folded) != len(text):
        return text
    spans = [m.span() for m in _NOT_A_TYPE_FOLDED.finditer(folded)]
    for a, b in reversed(spans):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _type_scores(
    title: str, description: str, sale: bool
) -> tuple[dict[PropertyType, float], bool]:
    """Weighted votes: the first type named in the title counts most, the description least;
    and whether the title names a type at all. A "phòng" in the description of a sale is a
    part of the home (a laundry, a gym), not a room offered."""
    scores: dict[PropertyType, float] = {}
    named_in_title = find_property_types(_mask(title))
    for rank, ptype in enumerate(named_in_title[:3]):
        scores[ptype] = scores.get(ptype, 0.0) + (4.0 if rank == 0 else 1.5)
    window = _DESC_WINDOW if scores else _UNTYPED_WINDOW
    # The description is scanned whole, once, and shared with the extractor's readers (cached).
    named = find_property_types(description, window)
    if sale and PropertyType.ROOM in named:
        named = [t for t in named if t is not PropertyType.ROOM]
    for rank, ptype in enumerate(named[:3]):
        scores[ptype] = scores.get(ptype, 0.0) + (1.0 if rank == 0 else 0.5)
    return scores, bool(named_in_title)


def _unit_named(head: str, title: str) -> bool:
    """A "căn" (a unit) in the folded title; "cần bán" folds the same and is told apart by its
    accent, or in a title typed without accents by the verb after it ("can ban", "can tien")."""
    low = title.lower()
    aligned = len(low) == len(head)
    for m in _UNIT.finditer(head):
        vowel = low[m.start() + 1] if aligned else "a"
        if vowel == "ă" or (vowel == "a" and not _NOT_UNIT.match(head, m.end())):
            return True
    return False


def _unit_type(head: str, body: str) -> PropertyType:
    """An unnamed "căn": storeys make it a house, else the description's first flat or villa
    words decide, else a large area a villa, else a flat."""
    if _FLOORS_IN_TITLE.search(head) and not _ROOMS_IN_TITLE.search(head):
        return PropertyType.HOUSE
    villa, flat = _VILLA_WORDS.search(body), _FLAT_WORDS.search(body)
    if villa and (not flat or villa.start() < flat.start()):
        return PropertyType.VILLA
    if flat:
        return PropertyType.APARTMENT
    if max((a.m2 for a in find_areas(head)), default=0) >= _BIG_UNIT_M2:
        return PropertyType.VILLA
    if _LOW_RISE.search(body):
        return PropertyType.VILLA
    return PropertyType.APARTMENT


def _untyped_title(head: str, title: str, description: str) -> PropertyType | None:
    """A title that names no type: abbreviations, street front, rooms, "căn", plots.

    A lot with storeys ("phân lô 5 tầng", "lô góc 70m2 5T") is a house built on it, as is a
    lot whose description opens on the house ("Nhà lô góc…").
    """
    body = fold(description[:_UNTYPED_WINDOW])
    if _VILLA_ABBR.search(head):
        return PropertyType.VILLA
    if _HOUSE_ABBR.search(head):
        return PropertyType.HOUSE
    floors = _FLOORS_IN_TITLE.search(head)
    if _STREET_FRONT.search(head) and floors:
        return PropertyType.TOWNHOUSE
    if _ROOMS_IN_TITLE.search(head):
        return PropertyType.HOUSE if floors else PropertyType.APARTMENT
    if _unit_named(head, title):
        return _unit_type(head, body)
    if _PLOT_WORDS.search(head):
        if _LOT_STOREYS.search(head):
            return PropertyType.HOUSE
        lead = fold(description[:_OPENING])
        opening = _BUILT_OPENING.match(lead)
        if opening and not _AROUND.search(lead[opening.end() : opening.end() + 30]):
            return PropertyType.VILLA if opening.group(1).startswith("biet") else PropertyType.HOUSE
        return PropertyType.LAND
    if floors and not _FLAT_WORDS.search(body[:_DESC_WINDOW]):
        return PropertyType.HOUSE
    return None


def _street_named(title: str) -> bool:
    """ "nhà phố Lê Thanh Nghị": a house on a street (phố) named after it, not a "nhà phố"."""
    norm, tokens, _ = vocab_hits(title)
    after = {i + 1 for i in range(len(tokens) - 1) if tokens[i].folded == "nha"}
    after = {i for i in after if tokens[i].folded == "pho"}
    return any(
        m.kind == "street"
        and m.first in after | {i + 1 for i in after}
        and not norm[tokens[m.first].start : tokens[m.last - 1].end].isascii()
        for m in resolve_places(gazetteer(), tokens, text=norm)
    )


def _listing_type(
    best: PropertyType, title: str, description: str, transaction: Transaction, titled: bool
) -> PropertyType:
    """Classes of listing titles the type words alone get wrong (see `_BUILDING` etc.)."""
    head = fold(_mask(title))
    sale = transaction is Transaction.SALE
    front = bool(_STREET_FRONT.search(head))
    if best is PropertyType.VILLA and _SMALL_VILLA.search(head):
        return PropertyType.HOUSE  # "biệt thự mini": a detached town house
    if _PLOT_FOR.search(head):
        return PropertyType.LAND  # "nền biệt thự", "lô đất shophouse": a plot to build one
    if best in _NOT_A_SHOP and _SHOP.search(head):
        return PropertyType.SHOPHOUSE  # "shop chân đế", "căn shop 3 tầng"
    if not titled:
        ruled = _untyped_title(head, title, description)
        if ruled is not None:
            return ruled
    alley = bool(_ALLEY.search(head))
    if (
        best is PropertyType.TOWNHOUSE
        and not _ROW_HOUSE.search(head)
        and (alley or (_HOUSE_ON_STREET.search(head) and _street_named(title)))
    ):
        best = PropertyType.HOUSE  # "nhà mặt tiền hẻm", "nhà phố Lê Thanh Nghị"
    flat_like = best in (PropertyType.APARTMENT, PropertyType.ROOM, PropertyType.OTHER)
    if sale and best is PropertyType.ROOM and _unit_named(head, title):
        return _unit_type(head, fold(description[:_UNTYPED_WINDOW]))  # "căn góc 3 phòng"
    if sale and flat_like and _BUILDING.search(head) and not _ROOMS_IN_TITLE.search(head):
        return PropertyType.TOWNHOUSE if front else PropertyType.HOUSE
    if sale and best is PropertyType.ROOM:
        return PropertyType.TOWNHOUSE if front else PropertyType.HOUSE
    if sale and best is PropertyType.OFFICE and (front or _BUILDING.search(head)):
        return PropertyType.TOWNHOUSE if front else PropertyType.HOUSE  # an office building
    if sale and best in _NOT_A_HOTEL and _HOTEL.search(head):
        return PropertyType.HOUSE if alley else PropertyType.TOWNHOUSE
    if best is PropertyType.HOUSE and front and not alley:
        return PropertyType.TOWNHOUSE
    return best


def _transaction(title: str, description: str) -> tuple[Transaction, float]:
    head = fold(title)
    body = fold(description[:_DESC_WINDOW])
    rent_t, sale_t = _offered_rent(head), _SALE.search(head)
    if rent_t is not None and (not sale_t or rent_t <= sale_t.start()):
        return Transaction.RENT, 0.95
    if sale_t:
        return Transaction.SALE, 0.95
    window = title + "\n" + description[:_DESC_WINDOW]
    if any(not p.value.per_month and p.value.vnd >= _SALE_LEVEL for p in find_prices(title)):
        return Transaction.SALE, 0.8
    prices = find_prices(window)
    if any(not p.value.per_month and p.value.vnd >= _SALE_LEVEL for p in prices):
        return Transaction.SALE, 0.7  # an asking price; a monthly figure beside it is income
    folded = fold_aligned(window)
    monthly = any(
        p.value.per_month and not _INCOME_MONTHLY.search(folded, max(0, p.start - 32), p.start)
        for p in prices
    )
    if _offered_rent(body) is not None or monthly:
        return Transaction.RENT, 0.7
    return Transaction.SALE, 0.6 if _SALE.search(body) else 0.5


def _offered_rent(folded: str) -> int | None:
    """Where the text offers the property for rent, or None.

    "cho thuê" after "đang", "dễ", "khai thác", "hoặc"… or before "được", "đạt", "khoán"…
    is the income of a property for sale ("đang cho thuê 13tr", "dễ cho thuê"), not an offer.
    """
    for m in _RENT.finditer(folded):
        before = folded[max(0, m.start() - 24) : m.start() + 1]
        if _INCOME_BEFORE.search(before) or _INCOME_AFTER.match(folded, m.end()):
            continue
        return m.start()
    return None


_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _garbled(text: str) -> bool:
    letters = len(_NOT_LETTERS.sub("", text))  # str.isalpha per character, at C speed
    marks = text.count("?") + text.count("\ufffd")
    return letters < 10 or marks > max(20, letters // 3)


def _cell_menu(price_text: str | None) -> bool:
    return bool(price_text) and ("\n" in (price_text or "") or len(price_text or "") > 60)


def _price_menu(description: str) -> bool:
    return len(_MENU_BANDS.findall(fold(description[:3000]))) >= 5


def _type_confidence(
    scores: dict[PropertyType, float], best: PropertyType, ruled: PropertyType, titled: bool
) -> float:
    """How often such a reading is right (measured on the dev listings): a type the title
    names, by its share of the votes (0.9+ when alone); a listing-title rule 0.65 over a
    title's type, 0.7 for an untyped title; the description alone 0.4-0.8 by its share."""
    if not scores and ruled is best:
        return 0.0
    if ruled is not best:
        return _RULED_TITLED if titled else _RULED_UNTYPED
    share = scores[best] / sum(scores.values())
    if not titled:
        return 0.4 + 0.4 * share
    return min(0.99, scores[best] / (sum(scores.values()) + 1.0) + 0.2)


class ListingClassifier:
    """Classify a listing by its text: `run(title, description) -> Classification`."""

    def run(
        self, title: str, description: str = "", price_text: str | None = None
    ) -> Classification:
        """Type and transaction with confidences; `price_text` is a portal price cell, if any."""
        title = title or ""
        description = description or ""
        transaction, tx_conf = _transaction(title, description)
        scores, titled = _type_scores(title, description, transaction is Transaction.SALE)
        best = max(scores, key=lambda t: scores[t]) if scores else PropertyType.OTHER
        ruled = _listing_type(best, title, description, transaction, titled)
        confidence = _type_confidence(scores, best, ruled, titled)
        flags = self._flags(title, description, price_text, bool(scores))
        return Classification(ruled, transaction, round(confidence, 3), tx_conf, flags)

    def _flags(
        self, title: str, description: str, price_text: str | None, typed: bool
    ) -> list[JunkFlag]:
        text = f"{title}\n{description}"
        flags: list[JunkFlag] = []
        if len(text.strip()) < 15:
            flags.append(JunkFlag.TOO_SHORT)
        if _garbled(text):
            flags.append(JunkFlag.GARBLED)
        if _price_menu(description):
            flags.append(JunkFlag.PRICE_MENU)
        if _cell_menu(price_text):
            flags.append(JunkFlag.PRICE_CELL_MENU)
        if not typed and not find_areas(text[:5000]) and not find_prices(text[:5000]):
            flags.append(JunkFlag.NO_PROPERTY)
        return flags
