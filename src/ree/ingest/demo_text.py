"""Titles and descriptions of demo listings, written from the structured fields.

Every number, place, feature, legal status and direction the text states comes from the
`Draft` it renders, so text and fields agree. Templates only run when every slot they use
has a value; there are more than 60 title patterns across types and transactions.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from ree.ingest import demo_words as w
from ree.ingest.demo_words import pick
from ree.ingest.market import District, Project
from ree.models import Direction, Feature, Furnishing, LegalStatus, PropertyType, Transaction

P = PropertyType
SALE, RENT = Transaction.SALE, Transaction.RENT
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(slots=True)
class Draft:
    """The sampled facts of one demo listing, before text is written."""

    transaction: Transaction
    ptype: PropertyType
    district: District
    ward: str
    street: str | None
    project: Project | None
    area: float
    dims: tuple[float, float] | None
    price: int
    bedrooms: int | None = None
    bathrooms: int | None = None
    floors: int | None = None
    road_width: float | None = None
    direction: Direction | None = None
    balcony_direction: Direction | None = None
    legal: LegalStatus | None = None
    furnishing: Furnishing | None = None
    features: list[Feature] = field(default_factory=list)

    @property
    def region(self) -> str:
        return self.district.region


@dataclass(frozen=True, slots=True)
class _Template:
    text: str
    slots: frozenset[str]
    upper: bool = False


def _t(text: str, upper: bool = False) -> _Template:
    return _Template(text, frozenset(_SLOT.findall(text)), upper)


_APARTMENT_SALE = (
    _t("{verb} căn hộ {bed} {project} {area} {feat}, {legal}, giá {price}"),
    _t("{verb} {kind} {project} {bed} {area}, giá {price}"),
    _t("Căn hộ {project} {bed} - {area} - giá chỉ {price}"),
    _t("{verb} căn {bed} {area} {place}, {feat}, giá {price}"),
    _t("{Kind} {place} {area} {bed}, {price}, {legal}"),
    _t("Bán gấp căn hộ {project} {place} {bed} {area}, chỉ {price}"),
    _t("{project}: {verb_l} căn {bed} {area}, {furn}, giá {price}"),
    _t("{verb} căn hộ {bed} {area} tại {project}, {place}, giá tốt {price}"),
    _t("{verb} {kind} {place} {area}, {bed}, {dir}, giá {price}"),
    _t("Cần tiền bán gấp căn hộ {place} {area} {bed} giá {price} TL"),
    _t("{verb} căn hộ {area} {place} giá {price}"),
)
_APARTMENT_RENT = (
    _t("Cho thuê căn hộ {project} {bed} {area}, {furn}, giá {price}"),
    _t("Cho thuê CHDV {furn} {place} {area}, {price}"),
    _t("{verb} căn hộ {bed} {place} {area} giá {price}, {feat}"),
    _t("Căn hộ {project} cho thuê {bed} {area} chỉ {price}"),
    _t("{verb} chung cư {place} {area} {bed}, {furn}, {price}"),
    _t("{verb} căn hộ {area} {place}, giá {price}"),
)
_HOUSE_SALE = (
    _t("{verb} {kind} {dims} {place}, {floors}, {legal}, giá {price}"),
    _t("{verb} nhà {street} {place}, {area}, {floors}, {price}"),
    _t("Nhà {place} {area} {floors}, {bed}, giá {price}"),
    _t("{verb} nhà {place} {area}, {floors}, chỉ {price}", upper=True),
    _t("Nhà đẹp {place}, {dims}, {feat}, giá {price} TL"),
    _t("Hàng hiếm! {Kind} {place} {area} giá {price}"),
    _t("{verb} {kind} {feat} {place} {dims}, {floors}, {bed}, {price}"),
    _t("Chính chủ bán nhà {area} {place}, {legal}, {dir}, giá {price}"),
    _t("{verb} {kind} {place}, DT {area_n}m2, {floors}, giá {price}"),
)
_TOWNHOUSE_SALE = (
    _t("{verb} {kind} {street} {place}, {dims}, {floors}, giá {price}"),
    _t("{Kind} {place} {area} {floors}, {dir}, giá {price}"),
    _t("{verb} {kind} {place} {area}, ngang {frontage}, {floors}, {price}"),
    _t("Siêu phẩm {kind} {place} {area}, {feat}, giá {price}"),
)
_LAND_SALE = (
    _t("{verb} đất {place} {dims} ({area}), {legal}, giá {price}"),
    _t("Đất nền {place} {area} {feat}, giá {price}"),
    _t("{verb} lô đất {area} {street}, {place}, {price}"),
    _t("Lô đất thổ cư {area} {place}, giá chỉ {price}"),
    _t("{verb} {kind} {place}, {area}, {dir}, {legal}, giá {price}"),
)
_VILLA_SALE = (
    _t("{verb} {kind} {project} {place}, {area}, {bed}, {feat}, giá {price}"),
    _t("Biệt thự {feat} {place} {area}, {price}"),
    _t("{verb} {kind} {place} {area}, {floors}, {bed}, giá {price}"),
)
_SHOPHOUSE = (
    _t("{verb} shophouse {project} {place}, {area}, {floors}, giá {price}"),
    _t("{verb} shophouse {street} {place} {area}, giá {price}"),
    _t("{verb} shophouse {place} {area}, {floors}, giá {price}"),
)
_OFFICE_SALE = (
    _t("{verb} sàn văn phòng {area} {place}, giá {price}"),
    _t("{verb} văn phòng {street} {place} {area}, {price}"),
)
_WAREHOUSE_SALE = (
    _t("{verb} nhà xưởng {area} {place}, giá {price}"),
    _t("{verb} kho xưởng {area} {street}, {place}, {legal}, {price}"),
)
_HOUSE_RENT = (
    _t("Cho thuê nhà nguyên căn {place} {dims}, {floors}, {bed}, giá {price}"),
    _t("Nhà nguyên căn {street} {place} cho thuê {price}, {area}"),
    _t("{verb} nhà {place} {area} {bed}, {furn}, {price}"),
)
_TOWNHOUSE_RENT = (
    _t("Cho thuê {kind} {street} {place}, {area}, giá {price}"),
    _t("{verb} {kind} {place} {area} {floors}, giá {price}"),
)
_VILLA_RENT = (
    _t("Cho thuê biệt thự {place} {area} {bed} {feat} giá {price}"),
    _t("{verb} {kind} {place}, {area}, giá {price}"),
)
_OFFICE_RENT = (
    _t("Cho thuê văn phòng {street} {place} {area}, giá {price}"),
    _t("Văn phòng cho thuê {place} {area}, {feat}, {price}"),
    _t("{verb} sàn văn phòng {area} {place} giá {price}"),
)
_WAREHOUSE_RENT = (
    _t("Cho thuê kho xưởng {area} {place}, giá {price}"),
    _t("{verb} kho {area} {street}, {place}, {feat}, {price}"),
)
_ROOM_RENT = (
    _t("Cho thuê phòng trọ {area} {place}, giá {price}"),
    _t("Phòng trọ mới xây {place} {area}, {furn}, {price}"),
    _t("{verb} phòng {area} {feat} {place} chỉ {price}"),
    _t("Phòng trọ {furn} {place} giá {price}, {area}"),
)

TEMPLATES: dict[tuple[Transaction, PropertyType], tuple[_Template, ...]] = {
    (SALE, P.APARTMENT): _APARTMENT_SALE,
    (RENT, P.APARTMENT): _APARTMENT_RENT,
    (SALE, P.HOUSE): _HOUSE_SALE,
    (RENT, P.HOUSE): _HOUSE_RENT,
    (SALE, P.TOWNHOUSE): _TOWNHOUSE_SALE,
    (RENT, P.TOWNHOUSE): _TOWNHOUSE_RENT,
    (SALE, P.LAND): _LAND_SALE,
    (SALE, P.VILLA): _VILLA_SALE,
    (RENT, P.VILLA): _VILLA_RENT,
    (SALE, P.SHOPHOUSE): _SHOPHOUSE,
    (RENT, P.SHOPHOUSE): _SHOPHOUSE,
    (SALE, P.OFFICE): _OFFICE_SALE,
    (RENT, P.OFFICE): _OFFICE_RENT,
    (SALE, P.WAREHOUSE): _WAREHOUSE_SALE,
    (RENT, P.WAREHOUSE): _WAREHOUSE_RENT,
    (RENT, P.ROOM): _ROOM_RENT,
}
"""Title templates per (transaction, type); the shophouse ones fit sale and rent."""


def render(d: Draft, rng: random.Random) -> tuple[str, str]:
    """The (title, description) of a draft."""
    slots = _slots(d, rng)
    title = _title(d, slots, rng)
    return title, _description(d, slots, rng)


def _title(d: Draft, slots: dict[str, str], rng: random.Random) -> str:
    usable = [t for t in TEMPLATES[(d.transaction, d.ptype)] if t.slots.issubset(slots)]
    template = pick(rng, usable)
    text = template.text.format_map(slots)
    return text.upper() if template.upper else text


def _slots(d: Draft, rng: random.Random) -> dict[str, str]:
    region = d.region
    kind = w.kind(d.ptype, region, d.features, rng)
    verb = w.verb(d.transaction, rng)
    slots = {
        "verb": verb,
        "verb_l": verb[0].lower() + verb[1:],
        "kind": kind,
        "Kind": _cap(kind),
        "place": _place(d, rng),
        "area": w.area_phrase(d.area, rng, title=True),
        "area_plain": w.area_phrase(d.area, rng),
        "area_n": w.number_vi(d.area, 1),
        "price": w.price_phrase(d.price, d.transaction, rng),
    }
    if d.bedrooms:
        slots["bed"] = _bedrooms(d.bedrooms, d.bathrooms, region, rng)
    if d.project:
        slots["project"] = d.project.name
    if d.street:
        slots["street"] = ("đường " if rng.random() < 0.5 else "") + d.street
    if d.dims:
        slots["dims"] = w.dims_phrase(d.dims[0], d.dims[1], rng)
        slots["frontage"] = w.number_vi(d.dims[0], 1) + "m"
    if d.floors:
        slots["floors"] = _floors(d.floors, region, rng)
    if d.legal:
        slots["legal"] = w.legal_phrase(d.legal, rng)
    if d.direction:
        slots["dir"] = "hướng " + w.direction_word(d.direction)
    if d.furnishing:
        slots["furn"] = w.furnishing_phrase(d.furnishing, rng)
    shown = _title_feature(d, kind)
    if shown:
        slots["feat"] = w.feature_phrase(shown, region, rng)
    return slots


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _title_feature(d: Draft, kind: str) -> Feature | None:
    """The feature a title may name: one the type noun does not already say."""
    for feature in d.features:
        if feature is Feature.STREET_FRONT and "mặt" in kind:
            continue
        if feature is Feature.FURNISHED:
            continue  # said through {furn}
        return feature
    return None


def _place(d: Draft, rng: random.Random) -> str:
    district = w.district_phrase(d.district, rng)
    roll = rng.random()
    if roll < 0.45:
        return district
    if roll < 0.75:
        ward = w.ward_phrase(d.ward, d.district.rural, rng)
        return f"{ward} {district}" if rng.random() < 0.5 else f"{ward}, {district}"
    return f"{district}, {w.province_phrase(d.district.province, rng)}"


def _bedrooms(bedrooms: int, bathrooms: int | None, region: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return f"{bedrooms}PN"
    if roll < 0.6 and bathrooms:
        return f"{bedrooms}PN{bathrooms}WC"
    if roll < 0.75 and region == "north":
        return f"{bedrooms} ngủ"
    return f"{bedrooms} phòng ngủ"


def _floors(floors: int, region: str, rng: random.Random) -> str:
    if region == "south" and floors >= 2 and rng.random() < 0.6:
        upper = floors - 1
        return pick(rng, (f"1 trệt {upper} lầu", f"trệt {upper} lầu"))
    if floors == 1:
        return pick(rng, ("nhà cấp 4", "1 tầng")) if region != "south" else "1 trệt"
    return f"{floors} tầng"


def _description(d: Draft, slots: dict[str, str], rng: random.Random) -> str:
    parts = [_opening(d, slots, rng)]
    parts += _facts_bullets(d, slots, rng) if rng.random() < 0.5 else [_facts_prose(d, slots)]
    features = [f for f in d.features if f is not Feature.FURNISHED or not d.furnishing]
    if features:
        phrases = [w.feature_phrase(f, d.region, rng) for f in features]
        lead = pick(rng, ("Tiện ích: ", "Ưu điểm: ", "Đặc điểm nổi bật: "))
        parts.append(lead + ", ".join(phrases) + ".")
    parts.append("Vị trí: " + _address(d, rng) + ".")
    parts.append(_price_line(d, slots, rng))
    parts.append(pick(rng, _CLOSINGS[d.transaction]))
    return "\n".join(parts)


def _opening(d: Draft, slots: dict[str, str], rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return f"{slots['verb']} {slots['kind']} tại {slots['place']}."
    if roll < 0.7:
        action = "bán" if d.transaction is SALE else "cho thuê"
        return f"Chính chủ cần {action} {slots['kind']} {slots['place']}, {pick(rng, _PITCHES)}."
    return pick(rng, _PITCHES).capitalize() + "."


def _facts_bullets(d: Draft, slots: dict[str, str], rng: random.Random) -> list[str]:
    area = f"- Diện tích: {slots['area_plain']}"
    lines = [area + (f" ({slots['dims']})" if "dims" in slots else "")]
    structure = [slots["floors"]] if "floors" in slots else []
    if d.bedrooms:
        structure.append(f"{d.bedrooms} phòng ngủ")
    if d.bathrooms:
        structure.append(f"{d.bathrooms} WC")
    if structure:
        lines.append("- Kết cấu: " + ", ".join(structure))
    if d.road_width:
        lane = {"north": "Ngõ", "central": "Kiệt", "south": "Hẻm"}[d.region]
        front = Feature.STREET_FRONT in d.features
        label = "Đường trước nhà" if front else f"{lane} trước nhà"
        lines.append(f"- {label}: {w.number_vi(d.road_width, 1)}m")
    lines += _orientation(d, bullet=True)
    if "legal" in slots:
        lines.append(f"- Pháp lý: {slots['legal']}")
    if "furn" in slots:
        lines.append(f"- {_cap(slots['furn'])}")
    return lines


def _facts_prose(d: Draft, slots: dict[str, str]) -> str:
    bits = [f"Diện tích {slots['area_plain']}" + (f" ({slots['dims']})" if "dims" in slots else "")]
    if "floors" in slots:
        bits.append(slots["floors"])
    if d.bedrooms:
        bits.append(f"{d.bedrooms} phòng ngủ")
    if d.bathrooms:
        bits.append(f"{d.bathrooms} WC")
    text = ", ".join(bits) + "."
    for line in _orientation(d, bullet=False):
        text += " " + line
    if "legal" in slots:
        text += f" Pháp lý: {slots['legal']}."
    if "furn" in slots:
        text += f" {_cap(slots['furn'])}."
    return text


def _orientation(d: Draft, bullet: bool) -> list[str]:
    out = []
    if d.direction:
        word = w.direction_word(d.direction)
        out.append(f"- Hướng: {word}" if bullet else f"Hướng {word}.")
    if d.balcony_direction:
        word = w.direction_word(d.balcony_direction)
        out.append(f"- Ban công hướng {word}" if bullet else f"Ban công hướng {word}.")
    return out


def formal_address(d: Draft) -> str:
    """The address line stored on the listing: project, street, ward, district, province."""
    parts = [d.project.name] if d.project else []
    if d.street:
        parts.append(f"Đường {d.street}")
    parts += [w.ward_formal(d.ward, d.district.rural), d.district.name, d.district.province]
    return ", ".join(parts)


def _address(d: Draft, rng: random.Random) -> str:
    parts = []
    if d.project:
        parts.append(d.project.name)
    if d.street:
        parts.append(("Đường " if rng.random() < 0.5 else "") + d.street)
    parts.append(w.ward_formal(d.ward, d.district.rural))
    parts.append(d.district.name)
    parts.append(d.district.province)
    text = ", ".join(parts)
    former = d.district.former.get(d.ward)
    if former and rng.random() < 0.4:
        text += f" ({former} cũ)"
    return text


def _price_line(d: Draft, slots: dict[str, str], rng: random.Random) -> str:
    if d.transaction is RENT:
        return pick(rng, ("Giá thuê: ", "Giá: ")) + slots["price"] + "."
    line = pick(rng, ("Giá bán: ", "Giá: ", "Giá chốt: ")) + slots["price"]
    if rng.random() < 0.3:
        line += " (còn thương lượng)"
    return line + "."


_PITCHES = (
    "vị trí đẹp, giao thông thuận tiện",
    "hàng hiếm, ưu tiên khách thiện chí",
    "khu dân trí cao, yên tĩnh",
    "thuận tiện đi lại các quận trung tâm",
)
_CLOSINGS: dict[Transaction, tuple[str, ...]] = {
    SALE: (
        "Liên hệ chính chủ, miễn trung gian.",
        "Hỗ trợ vay ngân hàng, xem nhà trực tiếp.",
        "Khách thiện chí liên hệ xem nhà.",
        "Công chứng ngay trong ngày.",
        "LH: 09xx xxx xxx.",
    ),
    RENT: (
        "Cọc 1 tháng, thanh toán hàng tháng.",
        "Liên hệ xem nhà bất cứ lúc nào.",
        "Ưu tiên khách thuê lâu dài.",
        "LH: 09xx xxx xxx.",
    ),
}
