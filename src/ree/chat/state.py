"""Conversation state: how one turn changes the filters, and the state stored after it.

`effective_filters` applies LABELS.md's conversation rules to the previous filters;
`next_state` records the result with the listings shown, so "căn thứ 2" and "rẻ hơn" can be
resolved on the next turn.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ree.models import ConversationState, Filters, Intent, PropertyType, Transaction
from ree.vi.gazetteer import gazetteer
from ree.vi.query import Amount, ParsedQuery
from ree.vi.text import fold

if TYPE_CHECKING:
    from ree.chat.understand import Understanding

__all__ = ["canonical", "effective_filters", "next_state", "own_filters"]

_KEEP = {Intent.LISTING_DETAIL, Intent.COMPARE, Intent.SMALLTALK, Intent.OUT_OF_SCOPE}
_EXACT_INTENTS = {Intent.VALUATION, Intent.POST_LISTING}
_ITS = re.compile(r"\bits\b", re.IGNORECASE)  # "is its rent reasonable": a shown one's
_PRICE_KEYS = ("price_min", "price_max")
_AREA_KEYS = ("area_min", "area_max")


def _dedupe(values: list[str]) -> list[str] | None:
    out = list(dict.fromkeys(v for v in values if v))
    return out or None


def canonical(f: Filters) -> Filters:
    """Lists deduplicated in first-mention order, never empty; a district sets its province."""
    data = f.model_dump()
    for key in ("property_types", "districts", "wards", "streets", "directions", "legal"):
        data[key] = _dedupe(list(data[key] or []))
    data["features"] = _dedupe(list(data["features"] or []))
    if data["districts"]:
        g = gazetteer()
        province = data["province"]
        spread = {g.province_of(d) for d in data["districts"]} - {None}
        if province is None and len(spread) > 1:
            pass  # "Vũng Tàu hay Biên Hòa": two provinces, and the key holds one
        elif province is None or not any(d in g.districts_of(province) for d in data["districts"]):
            data["province"] = g.province_of(data["districts"][0]) or province
    return Filters.model_validate(data)


# ----- what the message itself says --------------------------------------------------------


def _places(p: ParsedQuery) -> dict[str, Any]:
    typed = [m.place.district for m in p.places if m.kind == "district"]
    g = gazetteer()
    # a ward, project or landmark implies its district in the current unit (LABELS.md):
    # phường An Phú -> Thủ Đức, not the former Quận 2 its ward list was filed under
    # ... unless it lies in another province than the districts and provinces typed
    # ("phòng trọ gần ĐH Bách Khoa Q10": not the Hà Nội ward of that name)
    anchors = {
        m.place.province
        for m in p.places
        if m.kind in ("district", "province") and m.place.province
    }
    implied = [
        g.parent_district(m.place.district)
        for m in p.places + p.near_places
        if m.kind != "district"
        and m.place.district
        and (not anchors or m.place.province in anchors)
    ]
    covered = {g.parent_district(d) for d in typed if d} | set(typed)
    districts = [d for d in typed if d] + [d for d in implied if d and d not in covered]
    projects = list(dict.fromkeys(m.place.project for m in p.places if m.kind == "project"))
    explicit = [m.place.province for m in p.places if m.kind == "province"]
    implied_prov = [m.place.province for m in p.places + p.near_places if m.place.province]
    # "Vũng Tàu hay Biên Hòa": places typed in two provinces leave the one-valued key unset
    province = (explicit or implied_prov or [None])[0] if len(anchors) < 2 else None
    return {
        "province": province,
        "districts": _dedupe([d for d in districts if d]),
        "wards": _dedupe([m.place.ward for m in p.places if m.kind == "ward" and m.place.ward]),
        "streets": _dedupe(
            [m.place.street for m in p.places if m.kind == "street" and m.place.street]
        ),
        "project": projects[0] if len(projects) == 1 else None,
    }


def _bounds(amounts: list[Amount], exact: bool, as_int: bool) -> dict[str, float | None]:
    low: float | None = None
    high: float | None = None
    for a in amounts:
        if a.bound == "max":
            high = a.high
        elif a.bound == "min":
            low = a.low
        elif a.bound == "range":
            low, high = a.low, a.high
        elif exact and a.bound in ("bare", "approx"):  # a draft's "tầm 12 tỏi" is its price
            low = high = a.low
        else:
            low, high = a.low * 0.9, a.low * 1.1
    if as_int:
        return {
            "low": round(low) if low is not None else None,
            "high": round(high) if high is not None else None,
        }
    return {
        "low": round(low, 2) if low is not None else None,
        "high": round(high, 2) if high is not None else None,
    }


def own_filters(p: ParsedQuery, intent: Intent) -> Filters:
    """The constraints one message states, read for its intent (exact for one property)."""
    from ree.chat.understand import transaction_of

    exact = intent in _EXACT_INTENTS
    price = _bounds(p.prices, exact, as_int=True)
    area = _bounds(p.areas, exact, as_int=False)
    beds = p.bedrooms or (None, None)
    types = p.types or p.weak_types
    f = Filters(
        transaction=transaction_of(p),
        property_types=list(types) or None,
        price_min=int(price["low"]) if price["low"] is not None else None,
        price_max=int(price["high"]) if price["high"] is not None else None,
        area_min=area["low"],
        area_max=area["high"],
        bedrooms_min=beds[0],
        bedrooms_max=beds[1],
        bathrooms_min=p.bathrooms_min,
        directions=list(p.directions) or None,
        legal=list(p.legal) or None,
        features=list(p.features) or None,
        sort=p.sort,
        **_places(p),
    )
    return canonical(f)


# ----- how a turn changes the previous filters ---------------------------------------------


def _switch_drops_prices(prev: Filters, new_tx: Transaction | None) -> bool:
    if new_tx is None or prev.transaction == new_tx:
        return False
    if prev.transaction is not None:
        return True
    level = prev.price_max or prev.price_min
    if level is None:
        return False
    return (new_tx == Transaction.RENT) == (level >= 200_000_000)


def _merge_places(data: dict[str, Any], own: Filters, p: ParsedQuery) -> None:
    add = p.has("compare_with") or (p.has("add", "also") and not p.has("replace"))
    if own.districts:
        prev = list(data["districts"] or []) if add else []
        data["districts"] = prev + own.districts
        if not add:
            data["wards"] = own.wards
            data["streets"] = own.streets
            data["project"] = own.project
        data["province"] = own.province
    elif own.province and own.province != data["province"]:
        data.update(province=own.province, districts=None, wards=None, streets=None, project=None)
    if own.wards and not own.districts:
        data["wards"] = own.wards
    if own.streets and not own.districts:
        prev_streets = list(data["streets"] or []) if add else []
        data["streets"] = prev_streets + own.streets
    if own.project:
        data["project"] = own.project


_AMENDED = re.compile(r"\s*(?:à|ah|ờ)\s*,?\s*(?:mà\s+)?\d", re.IGNORECASE)


def _approximate(low: float | None, high: float | None) -> bool:
    """The range is one approximate value ("khoảng X" = X ± 10%), not two bounds."""
    return low is not None and high is not None and low > 0 and abs(high / low - 11 / 9) < 0.01


def _merge_range(
    data: dict[str, Any], own: Filters, keys: tuple[str, str], corrected: bool = False
) -> None:
    low_k, high_k = keys
    low, high = getattr(own, low_k), getattr(own, high_k)
    if low is None and high is None:
        return
    if corrected:  # "à nhầm, ngân sách 3 tỷ": the budget is replaced, not narrowed
        data[low_k], data[high_k] = low, high
        return
    if low is not None and high is not None:
        data[low_k], data[high_k] = low, high
        return
    if high is not None:
        prev_low = data[low_k]
        # "tầm 8tr" then "dưới 12tr nha": a cap in place of the approximate budget
        if _approximate(prev_low, data[high_k]) and high > data[high_k]:
            data[low_k] = None
        data[high_k] = high
        if prev_low is not None and prev_low >= high:
            data[low_k] = None
    else:
        data[low_k] = low
        prev_high = data[high_k]
        if prev_high is not None and prev_high <= low:
            data[high_k] = None


def _merge_lists(data: dict[str, Any], own: Filters, p: ParsedQuery) -> None:
    add = p.has("add", "also")  # "thêm hồ bơi", "nhà phố cũng được"
    for key in ("property_types", "directions", "legal"):
        value = getattr(own, key)
        if value:
            prev = list(data[key] or []) if add else []
            data[key] = prev + list(value)
    if own.features:
        data["features"] = list(data["features"] or []) + list(own.features)


def _apply_negations(data: dict[str, Any], p: ParsedQuery, dropped: list[str]) -> None:
    """ "không cần hồ bơi nữa": take the negated values out of the carried-over lists."""
    lists = {"type": "property_types", "feature": "features", "legal": "legal"}
    lists["direction"] = "directions"
    for kind, values in p.negated.items():
        key = lists.get(kind)
        if key is None or not data.get(key):
            continue
        kept = [v for v in data[key] if str(v) not in values]
        data[key] = kept or None
        if not kept:
            dropped.append(key)


def _apply_drops(data: dict[str, Any], p: ParsedQuery, dropped: list[str]) -> None:
    keys = {
        "price": _PRICE_KEYS, "area": _AREA_KEYS, "bedrooms": ("bedrooms_min", "bedrooms_max"),
        "bathrooms": ("bathrooms_min",), "districts": ("districts", "wards", "streets", "project"),
    }  # fmt: skip
    for key in p.drop_keys:
        for k in keys.get(key, (key,)):
            if k in data and data[k] is not None:
                data[k] = None
                dropped.append(k)


def _relative(data: dict[str, Any], p: ParsedQuery, state: ConversationState | None) -> list[str]:
    out: list[str] = []
    shown_prices = [x for x in (state.shown_prices if state else []) if x]
    shown_areas = [x for x in (state.shown_areas if state else []) if x]
    if p.has("cheaper") and not p.prices:
        out.append("cheaper")
        prev = data["price_max"]
        cap = _below(min(shown_prices)) if shown_prices else None
        if cap is None and prev is not None:
            cap = round(prev * 0.9)
        if cap is not None:
            data["price_max"] = cap
            if data["price_min"] is not None and data["price_min"] >= cap:
                data["price_min"] = None
    if p.has("larger") and not p.areas:
        out.append("larger")
        prev_area = data["area_min"]
        floor = round(max(shown_areas) * 1.05, 1) if shown_areas else None
        if floor is None and prev_area is not None:
            floor = round(prev_area * 1.1, 1)
        if floor is not None:
            data["area_min"] = floor
            if data["area_max"] is not None and data["area_max"] <= floor:
                data["area_max"] = None
    out += [r for r in ("pricier", "smaller") if p.has(r)]
    return out


def _below(price: int) -> int:
    """A round cap strictly below `price`: "rẻ hơn" asks for anything cheaper than all shown,
    not for a fixed discount (2,9 tỷ -> 2,89 tỷ)."""
    step = 10_000_000 if price >= 1_000_000_000 else 100_000
    cap = (price - 1) // step * step
    return cap if cap > 0 else price - 1


# "nhà của bạn tôi", "căn hộ của chị tôi": someone else's home, another subject
_OTHERS_HOME = re.compile(
    r"\bcua\s+(?:ban|chi|anh|em|me|bo|ba|ma|con|ong|co|chu|di|cau|hang xom|dong nghiep)\s+"
    r"(?:toi|minh|tui|em)\b"
)


def _narrows(prev: Filters, own: Filters, p_text: str) -> bool:
    """ "nhà tui ở Đà Nẵng bán được bao nhiêu", then "nhà ở kiệt đường Núi Thành quận Hải
    Châu 70 mét vuông": a fuller account of the home being valued, which contradicts nothing
    told of it (another type, city, district or size is another home)."""
    if prev.province is None or own.province != prev.province or _OTHERS_HOME.search(p_text):
        return False
    keys = ("property_types", "districts", "area_min", "area_max", "bedrooms_min", "project")
    return all(
        getattr(prev, k) is None or getattr(own, k) is None or getattr(prev, k) == getattr(own, k)
        for k in keys
    )


def _bedrooms(prev: Filters, own: Filters, add: bool) -> tuple[int | None, int | None]:
    """The new count replaces the old one; "2 phòng ngủ cũng được" after 3PN widens to 2..3."""
    if not add or prev.bedrooms_min is None:
        return own.bedrooms_min, own.bedrooms_max
    low = min(prev.bedrooms_min, own.bedrooms_min or prev.bedrooms_min)
    if prev.bedrooms_max is None or own.bedrooms_max is None:
        return low, None
    return low, max(prev.bedrooms_max, own.bedrooms_max)


def _corrected_bounds(prev: Filters, own: Filters) -> Filters:
    """ "dưới 3 tỏi" then "à mình nhầm, 5 tỏi": a bare amount correcting a one-sided bound
    takes that bound's place (a cap of 5 tỷ), not the ±10% a bare amount means alone."""
    update: dict[str, Any] = {}
    for low_k, high_k in (_PRICE_KEYS, _AREA_KEYS):
        low, high = getattr(own, low_k), getattr(own, high_k)
        if not _approximate(low, high):
            continue
        value = (low + high) / 2
        value = round(value) if low_k == "price_min" else round(value, 2)
        was_low, was_high = getattr(prev, low_k), getattr(prev, high_k)
        if was_high is not None and was_low is None:
            update |= {low_k: None, high_k: value}
        elif was_low is not None and was_high is None:
            update |= {low_k: value, high_k: None}
    return own.model_copy(update=update) if update else own


def _dropped_districts(p: ParsedQuery) -> list[str]:
    """The districts named right after a drop word, in its clause ("bỏ quận 9", "bỏ q9 đi")."""
    at = p.cues.get("drop")
    if at is None:
        return []
    out: list[str] = []
    for m in p.places:
        if m.kind != "district" or not m.place.district or not 0 < m.first - at <= 3:
            continue
        if any(p.tokens[j].stop_before for j in range(at + 1, m.first + 1)):
            continue
        out.append(m.place.district)
    return out


def _merge(
    prev: Filters,
    own: Filters,
    p: ParsedQuery,
    state: ConversationState | None,
    relatives: bool = True,
) -> tuple[Filters, list[str], list[str]]:
    data: dict[str, Any] = prev.model_dump()
    dropped: list[str] = []
    if _switch_drops_prices(prev, own.transaction):
        data["price_min"] = data["price_max"] = None
    if own.transaction:
        data["transaction"] = own.transaction
    if "districts" in p.drop_keys and p.has("only") and own.districts:
        p.drop_keys = [k for k in p.drop_keys if k != "districts"]  # "bỏ Q9, chỉ Q7 thôi"
    gone = _dropped_districts(p)
    kept = [d for d in prev.districts or [] if d not in gone]
    if gone and not kept and set(gone) >= set(prev.districts or []):
        # "bỏ quận 7" when it is the only one: no district (or the one named instead)
        rest = [d for d in own.districts or [] if d not in gone]
        p.drop_keys = [k for k in p.drop_keys if k != "districts"]
        dropped.append("districts")
        data["districts"] = rest or None
        own = own.model_copy(update={"districts": None, "province": None})
    elif gone and kept:  # "bỏ quận 9 (, thêm quận 2)": that one goes, the others stay
        rest = [d for d in own.districts or [] if d not in gone]
        p.drop_keys = [k for k in p.drop_keys if k != "districts"]
        dropped.append("districts")
        if rest and p.has("only"):
            data["districts"] = rest  # "bỏ quận 9, chỉ quận 7 thôi"
        else:
            data["districts"] = kept + [d for d in rest if d not in kept]  # ", thêm quận 2"
        own = own.model_copy(update={"districts": None, "province": None})
    _merge_places(data, own, p)
    bare = [a.bound for a in p.prices + p.areas] == ["bare"]
    amended = p.has("replace") or _AMENDED.match(p.text) is not None  # "à 3 tỷ rưỡi nhé"
    if amended and bare and not _switch_drops_prices(prev, own.transaction):
        own = _corrected_bounds(prev, own)
    corrected = p.has("replace")
    _merge_range(data, own, _PRICE_KEYS, corrected)
    _merge_range(data, own, _AREA_KEYS, corrected)
    if own.bedrooms_min is not None or own.bedrooms_max is not None:
        data["bedrooms_min"], data["bedrooms_max"] = _bedrooms(prev, own, p.has("also"))
    if own.bathrooms_min is not None:
        data["bathrooms_min"] = own.bathrooms_min
    if own.sort is not None:
        data["sort"] = own.sort
    _apply_negations(data, p, dropped)
    _merge_lists(data, own, p)
    _apply_drops(data, p, dropped)
    relative = _relative(data, p, state) if relatives else []
    return canonical(Filters.model_validate(data)), relative, dropped


_SEGMENT_KEYS = (
    "transaction", "property_types", "province", "districts", "wards", "project", "features",
)  # fmt: skip


_THAT_AREA = re.compile(
    r"(?<![a-z])(?:khu\s+(?:do|nay|vuc\s+(?:do|nay))|cho\s+do|o\s+do|vung\s+(?:do|nay)|"
    r"that\s+area|this\s+area|around\s+there)(?![a-z])"
)


def _that_area(p: ParsedQuery, own: Filters) -> bool:
    """A market question pointing at the conversation's area ("khu đó", "that area") and
    naming no other place."""
    return own.province is None and not own.districts and bool(_THAT_AREA.search(fold(p.text)))


def _about_current(own: Filters, prev: Filters) -> bool:
    """The message names only the segment the conversation is already in ("đất Bảo Lộc dạo
    này có lên giá không" while looking at land in Bảo Lộc)."""
    mine, before = own.constrained(), prev.constrained()
    if not mine or any(k not in _SEGMENT_KEYS for k in mine):
        return False
    for key, value in mine.items():
        old = before.get(key)
        if isinstance(value, list):
            if not isinstance(old, list) or not set(value) <= set(old):
                return False
        elif value != old:
            return False
    return True


def _rent_here(own: Filters, prev: Filters) -> bool:
    """The rents of the segment being sought asked about ("mua xong cho thuê được bao nhiêu",
    "giá thuê shophouse ở đây khoảng bao nhiêu"): a question, not a switch to renting ("thôi
    không mua nữa, thuê …" is one). The answer still gives rents (`Understanding.asked_deal`)."""
    if own.transaction != Transaction.RENT or prev.transaction == Transaction.RENT:
        return False
    rest = own.model_copy(update={"transaction": None})
    return rest.is_empty() or _about_current(rest, prev)


_DWELLINGS = frozenset(
    {PropertyType.APARTMENT, PropertyType.HOUSE, PropertyType.TOWNHOUSE, PropertyType.VILLA}
)


def _rooms_or_bedrooms(p: ParsedQuery, prev: Filters, own: Filters) -> Filters:
    """ "N phòng" with no type named: a dwelling's bedrooms when one is being sought ("đổi
    thành 2 phòng thôi" after a flat), else rooms to rent ("thuê 1 phòng ở Quận 10")."""
    if not p.rooms_bare or own.property_types or _DWELLINGS & set(prev.property_types or []):
        return own
    update = {"property_types": [PropertyType.ROOM], "bedrooms_min": None, "bedrooms_max": None}
    return own.model_copy(update=update)


def effective_filters(
    p: ParsedQuery, intent: Intent, state: ConversationState | None, mode: str
) -> tuple[Filters, list[str], list[str]]:
    """(filters after this turn, relative requests, dropped keys)."""
    from ree.chat.understand import _new_search

    prev = state.filters if state is not None else Filters()
    own = _rooms_or_bedrooms(p, prev, own_filters(p, intent))
    if intent in _KEEP:
        if intent == Intent.COMPARE and state is None and not p.refs and not p.ids:
            # two projects or areas compared: the segment weighed (places, type, rooms, sale
            # or rent, price); not the one-valued project, nor the qualities compared
            weighed = {"project": None, "features": None, "directions": None, "legal": None}
            return own.model_copy(update={**weighed, "sort": None}), [], []
        return prev, [], []
    if intent == Intent.VALUATION:
        # "tin này … có bị hớ không" under a pasted listing, with nothing shown: the pasted one
        shown = state is not None and bool(state.shown_ids)
        # "that one" after a search; not "this house in Go Vap 80m2 for 6 billion"
        searched = mode == "search" and not prev.is_empty() and not (p.places or p.areas or p.types)
        if p.refs or p.ids or (p.demonstrative and (shown or searched)) or own.is_empty():
            return prev, [], []
        bare = own.model_copy(update={"transaction": None}).is_empty()
        # not "nếu thuê thì …", but "is its rent reasonable" (a shown one's)
        its = _ITS.search(p.text) is not None
        same_deal = its or own.transaction in (None, prev.transaction)
        if bare and same_deal and mode != "valuation" and not prev.is_empty():
            return prev, [], []  # "is its rent reasonable for that area?": a shown one's rent
        if mode == "valuation" and (not _new_search(p) or _narrows(prev, own, fold(p.text))):
            return _merge(prev, own, p, state)  # more about the same subject
        return own, [], []
    if intent == Intent.POST_LISTING:
        if mode == "post":
            return _merge(prev, _draft_rooms(p, prev, own), p, state)
        subject = _subject(state, p, own)
        if subject is not None and not _new_search(p):
            return _merge(subject, own, p, state)  # valued first, now posted: the same property
        return own, [], []
    if intent == Intent.MARKET and mode != "none" and _about_current(own, prev):
        return prev, [], []  # a market question about the current area keeps the state
    if intent == Intent.MARKET and mode != "none" and _that_area(p, own):
        return prev, [], []  # "thế giá đất khu đó bây giờ bao nhiêu một mét": the area here
    if (
        intent == Intent.MARKET
        and mode == "search"
        and not p.has("reset")
        and _rent_here(own, prev)
    ):
        return prev, [], []  # "giá thuê shophouse ở đây bao nhiêu" while buying: the area's rents
    if intent == Intent.MARKET and mode != "none" and p.has("compare_with"):
        # "… so với Gò Vấp": keeps both (LABELS); "are rents in A cheaper compared to B?"
        # weighs the areas, it asks for nothing cheaper
        return _merge(prev, own, p, state, relatives=False)
    if intent in (Intent.SEARCH, Intent.MARKET) and (mode == "none" or _new_search(p)):
        return _merge(Filters(), own, p, None) if mode == "none" else (own, [], [])
    return _merge(prev, own, p, state)


def _draft_rooms(p: ParsedQuery, prev: Filters, own: Filters) -> Filters:
    """ "phòng full đồ" about the flat being posted: its rooms, not a room to rent; "nhà có
    sổ hồng" about the townhouse being posted: that home, not another type."""
    kept = prev.property_types or []
    if not kept or not own.property_types:
        return own
    generic = set()
    if p.bare_room and PropertyType.ROOM not in kept:
        generic.add(PropertyType.ROOM)
    if p.bare_nha and PropertyType.HOUSE not in kept:
        generic.add(PropertyType.HOUSE)
    rest = [t for t in own.property_types if t not in generic]
    return own.model_copy(update={"property_types": rest or None})


SUBJECT = "subject"  # ConversationState.draft key: the user's own property, as last valued


def _subject(state: ConversationState | None, p: ParsedQuery, own: Filters) -> Filters | None:
    """The property the user had valued, when this posting is about it: their own, the one
    valued named again ("cho thuê căn đó", "bán luôn"), or no other one described ("ok vậy
    mình muốn đăng bán, giá 6 tỷ 5" — not "mình cần cho thuê phòng trọ")."""
    if state is None or not state.draft or SUBJECT not in state.draft:
        return None
    unnamed = not own.property_types and not own.districts and not own.province
    again = p.demonstrative or "luon" in {t.folded for t in p.tokens} or unnamed
    if state.draft.get("subject_kind") != "own" and not again:
        return None
    return Filters.model_validate(state.draft[SUBJECT])


def next_state(
    state: ConversationState | None,
    u: Understanding,
    shown_ids: list[str],
    shown_prices: list[int | None],
    shown_areas: list[float | None],
) -> ConversationState:
    """The state to store after a turn (the effective filters, what was shown, the draft)."""
    passive = u.intent in (Intent.SMALLTALK, Intent.OUT_OF_SCOPE)
    # "giá thuê văn phòng khu này bao nhiêu", "còn Q2 thì sao" while posting one: market
    # questions aside; the draft goes on where it was
    # (a draft being built: none once the listing is published)
    posting = state is not None and state.last_intent == Intent.POST_LISTING and bool(state.draft)
    aside = posting and u.intent == Intent.MARKET
    last = state.last_intent if ((passive or aside) and state is not None) else u.intent
    draft = state.draft if state is not None else None
    if u.intent == Intent.POST_LISTING:
        draft = u.filters.constrained()
    elif u.intent == Intent.VALUATION and u.subject:
        # "nhà mình … được bao nhiêu?": what a later "đăng bán luôn" posts
        draft = {SUBJECT: u.filters.constrained(), "subject_kind": u.subject}
    elif u.intent in (Intent.SEARCH, Intent.REFINE):
        draft = None
    if u.refers_to:
        focus = list(u.refers_to)
    elif u.intent in (Intent.SEARCH, Intent.REFINE) or state is None:
        focus = []
    else:
        focus = list(state.focus)
    return ConversationState(
        filters=state.filters if aside and state is not None else u.filters,
        focus=focus,
        shown_ids=list(shown_ids),
        shown_prices=list(shown_prices),
        shown_areas=list(shown_areas),
        language=u.language,
        last_intent=last,
        draft=draft,
        aside=aside or (passive and state is not None and state.aside),
    )
