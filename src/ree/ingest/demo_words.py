"""How demo listings say things: Vietnamese words for types, features, legal status, prices.

Pure rendering helpers used by `demo_text`; every phrase here is one a Vietnamese seller
would write, and each maps back to exactly one structured value (a feature phrase never
implies another feature).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

from ree.ingest.market import District
from ree.models import Direction, Feature, Furnishing, LegalStatus, PropertyType, Transaction

T = TypeVar("T")


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One of `options`, uniformly (a cheaper `rng.choice`; same stream for a seed)."""
    return options[int(rng.random() * len(options))]


SALE_VERBS = ("Bán", "Cần bán", "Chính chủ bán", "Bán gấp", "Cần bán gấp", "Chủ cần bán")
RENT_VERBS = ("Cho thuê", "Chính chủ cho thuê", "Cần cho thuê")

_KINDS: dict[PropertyType, tuple[str, ...]] = {
    PropertyType.APARTMENT: ("căn hộ", "căn hộ chung cư", "chung cư", "CHCC"),
    PropertyType.VILLA: ("biệt thự", "biệt thự song lập", "biệt thự đơn lập", "villa"),
    PropertyType.LAND: ("đất", "đất nền", "lô đất", "đất thổ cư"),
    PropertyType.SHOPHOUSE: ("shophouse",),
    PropertyType.OFFICE: ("văn phòng", "sàn văn phòng"),
    PropertyType.WAREHOUSE: ("kho xưởng", "nhà xưởng", "kho"),
    PropertyType.ROOM: ("phòng trọ", "phòng", "phòng trọ mới xây"),
}
_HOUSE_KINDS = {
    "south": ("nhà", "nhà hẻm", "nhà riêng"),
    "north": ("nhà", "nhà ngõ", "nhà riêng", "nhà phân lô"),
    "central": ("nhà", "nhà kiệt", "nhà riêng"),
}
_FRONT_KINDS = {"south": "nhà mặt tiền", "north": "nhà mặt phố", "central": "nhà mặt tiền"}

_FEATURES: dict[Feature, tuple[str, ...]] = {
    Feature.POOL: ("hồ bơi", "hồ bơi tràn bờ"),
    Feature.GYM: ("phòng gym", "gym"),
    Feature.ELEVATOR: ("thang máy", "có thang máy"),
    Feature.PARKING: ("chỗ đậu xe", "hầm để xe", "bãi đỗ xe"),
    Feature.CAR_ALLEY: ("hẻm xe hơi", "hẻm ô tô", "HXH"),
    Feature.STREET_FRONT: ("mặt tiền kinh doanh", "vị trí mặt tiền"),
    Feature.NEAR_SCHOOL: ("gần trường học", "gần trường", "sát trường tiểu học"),
    Feature.NEAR_METRO: ("gần metro", "gần ga metro"),
    Feature.RIVER_VIEW: ("view sông", "view sông thoáng mát"),
    Feature.GARDEN: ("sân vườn", "có sân vườn rộng"),
    Feature.BALCONY: ("ban công", "ban công rộng"),
    Feature.SECURITY: ("bảo vệ 24/7", "an ninh 24/7"),
    Feature.FURNISHED: ("full nội thất", "nội thất đầy đủ", "đầy đủ nội thất"),
}
_REGIONAL_FEATURES: dict[tuple[str, Feature], tuple[str, ...]] = {
    ("north", Feature.POOL): ("bể bơi", "bể bơi bốn mùa"),
    ("north", Feature.CAR_ALLEY): ("ngõ ô tô", "ngõ ô tô tránh"),
    ("north", Feature.STREET_FRONT): ("mặt phố kinh doanh", "vị trí mặt phố"),
    ("central", Feature.CAR_ALLEY): ("kiệt ô tô",),
}

_FURNISHING: dict[Furnishing, tuple[str, ...]] = {
    Furnishing.FULL: _FEATURES[Feature.FURNISHED],
    Furnishing.BASIC: ("nội thất cơ bản",),
    Furnishing.NONE: ("nhà trống", "không nội thất"),
}

_LEGAL: dict[LegalStatus, tuple[str, ...]] = {
    LegalStatus.PINK_BOOK: ("sổ hồng riêng", "SHR", "sổ hồng chính chủ"),
    LegalStatus.RED_BOOK: ("sổ đỏ chính chủ", "sổ đỏ", "đã có sổ đỏ"),
    LegalStatus.SALE_CONTRACT: ("HĐMB", "hợp đồng mua bán"),
    LegalStatus.PENDING: ("đang chờ sổ", "chờ sổ", "đang làm sổ"),
    LegalStatus.OTHER: ("giấy tay", "vi bằng"),
}

_DIRECTIONS: dict[Direction, str] = {
    Direction.NORTH: "Bắc",
    Direction.NORTH_EAST: "Đông Bắc",
    Direction.EAST: "Đông",
    Direction.SOUTH_EAST: "Đông Nam",
    Direction.SOUTH: "Nam",
    Direction.SOUTH_WEST: "Tây Nam",
    Direction.WEST: "Tây",
    Direction.NORTH_WEST: "Tây Bắc",
}

_PROVINCE_SHORT: dict[str, tuple[str, ...]] = {
    "Hồ Chí Minh": ("TP.HCM", "HCM", "Sài Gòn", "Hồ Chí Minh", "TPHCM"),
    "Hà Nội": ("Hà Nội", "HN"),
}


def verb(transaction: Transaction, rng: random.Random) -> str:
    """An opening verb: "Bán", "Cần bán gấp", "Cho thuê"..."""
    return pick(rng, SALE_VERBS if transaction is Transaction.SALE else RENT_VERBS)


def kind(ptype: PropertyType, region: str, features: list[Feature], rng: random.Random) -> str:
    """The noun for the property type as written in the region ("nhà ngõ", "nhà mặt tiền")."""
    if ptype is PropertyType.HOUSE:
        return pick(rng, _HOUSE_KINDS[region])
    if ptype is PropertyType.TOWNHOUSE:
        if Feature.STREET_FRONT in features:
            return _FRONT_KINDS[region]
        return pick(rng, ("nhà phố", "nhà liền kề"))
    return pick(rng, _KINDS[ptype])


def feature_phrase(feature: Feature, region: str, rng: random.Random) -> str:
    """One way to write `feature` in the region ("ngõ ô tô" in Hà Nội, "hẻm xe hơi" in HCM)."""
    return pick(rng, _REGIONAL_FEATURES.get((region, feature)) or _FEATURES[feature])


def furnishing_phrase(furnishing: Furnishing, rng: random.Random) -> str:
    """ "full nội thất", "nội thất cơ bản", "nhà trống"..."""
    return pick(rng, _FURNISHING[furnishing])


def legal_phrase(status: LegalStatus, rng: random.Random) -> str:
    """ "sổ hồng riêng", "sổ đỏ chính chủ", "HĐMB"..."""
    return pick(rng, _LEGAL[status])


def direction_word(direction: Direction) -> str:
    """The compass word: Direction.SOUTH_EAST -> "Đông Nam"."""
    return _DIRECTIONS[direction]


def district_phrase(district: District, rng: random.Random) -> str:
    """The district as people type it: "Quận 7", "Q7", "Q.7", "quận Bình Thạnh", "Nhà Bè"."""
    name = district.name
    if name.startswith("Quận "):
        number = name[5:]
        return pick(rng, (name, name, f"Q{number}", f"Q.{number}", f"quận {number}"))
    if district.unit == "huyện":
        return pick(rng, (name, name, f"huyện {name}", f"H. {name}"))
    if district.unit == "thành phố":
        return pick(rng, (name, name, f"TP {name}", f"TP. {name}"))
    return pick(rng, (name, name, name, f"quận {name}", f"Q. {name}"))


def ward_phrase(ward: str, rural: bool, rng: random.Random) -> str:
    """The ward as people type it: "P. Tân Phong", "phường 12", "xã Vĩnh Lộc A", "Thảo Điền"."""
    if ward.startswith("Phường "):
        number = ward[7:]
        return pick(rng, (ward, f"P{number}", f"P.{number}", f"phường {number}"))
    prefix = "xã" if rural else "phường"
    short = "X." if rural else "P."
    return pick(rng, (ward, f"{prefix} {ward}", f"{short} {ward}"))


def ward_formal(ward: str, rural: bool) -> str:
    """The ward as an address line writes it: "Phường Tân Phong", "Phường 12", "Xã Tân Kiên"."""
    if ward.startswith("Phường "):
        return ward
    return f"{'Xã' if rural else 'Phường'} {ward}"


def province_phrase(province: str, rng: random.Random) -> str:
    """The province as people type it ("TP.HCM", "Sài Gòn", "HN", "Đà Nẵng")."""
    return pick(rng, _PROVINCE_SHORT.get(province) or (province,))


def number_vi(value: float, decimals: int = 2) -> str:
    """A decimal with a comma and no trailing zeros: 4.25 -> "4,25", 76.0 -> "76"."""
    if value == int(value):
        return str(int(value))
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def area_phrase(area: float, rng: random.Random, title: bool = False) -> str:
    """ "76m2", "68,5 m²"; in a title sometimes "DT 76m2"."""
    number = number_vi(area, 1)
    unit = pick(rng, ("m2", "m2", " m2", "m²", " m²"))
    text = f"{number}{unit}"
    return f"DT {text}" if title and rng.random() < 0.12 else text


def dims_phrase(frontage: float, depth: float, rng: random.Random) -> str:
    """Frontage x depth as people write it: "5x16", "4,5 x 18m"."""
    sep = pick(rng, ("x", "x", " x "))
    end = pick(rng, ("", "", "m"))
    return f"{number_vi(frontage, 1)}{sep}{number_vi(depth, 1)}{end}"


def round_price(raw: float, transaction: Transaction, rng: random.Random) -> int:
    """Round a computed price to what a seller would ask (4,25 tỷ; 850 triệu; 8,5 triệu)."""
    if transaction is Transaction.SALE:
        if raw >= 100e9:
            step = 1e9
        elif raw >= 10e9:
            step = 1e8
        elif raw >= 1e9:
            step = 1e7 if rng.random() < 0.5 else 1e8
        else:
            step = 1e7
    elif raw >= 100e6:
        step = 5e6
    elif raw >= 20e6:
        step = 1e6
    elif raw >= 5e6:
        step = 5e5
    else:
        step = 1e5
    return int(max(step, round(raw / step) * step))


def price_phrase(vnd: int, transaction: Transaction, rng: random.Random) -> str:
    """A price as written on portals: "4,25 tỷ", "4 tỷ 250", "850tr", "12 triệu/tháng"."""
    if transaction is Transaction.RENT:
        return _rent_phrase(vnd, rng)
    if vnd < 1_000_000_000:
        millions = vnd // 1_000_000
        return pick(rng, (f"{millions} triệu", f"{millions} triệu", f"{millions}tr"))
    billions = vnd / 1e9
    roll = rng.random()
    if roll < 0.15 and vnd % 1_000_000_000:
        rest = (vnd % 1_000_000_000) // 1_000_000
        tail = str(rest // 100) if rest % 100 == 0 else f"{rest:03d}"
        return f"{vnd // 1_000_000_000} tỷ {tail}"
    if roll < 0.25:
        return f"{billions:.2f}".rstrip("0").rstrip(".") + " tỷ"
    return number_vi(billions) + (" tỉ" if roll > 0.95 else " tỷ")


def _rent_phrase(vnd: int, rng: random.Random) -> str:
    millions = vnd / 1e6
    whole = int(millions)
    tenths = round((millions - whole) * 10)
    if tenths and rng.random() < 0.3:
        return f"{whole}tr{tenths}/tháng"  # "3tr5" alone reads as a count in some contexts
    number = number_vi(millions, 1) + pick(rng, (" triệu", " triệu", "tr"))
    return number + pick(rng, ("/tháng", "/tháng", "/tháng", ""))
