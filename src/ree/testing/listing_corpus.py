"""A small, deterministic generator of synthetic Vietnamese listings for backend tests.

Every value comes from the short vocabularies below (invented text, no real listing), so
random `Filters` drawn from the same vocabularies (`FILTER_VOCABULARY`) often match some
listings and sometimes none. About one value in seven is left unknown (None) so filters on
unknown values are exercised too.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from ree.models import (
    Direction,
    Feature,
    Furnishing,
    LegalStatus,
    Listing,
    PriceEstimate,
    PropertyType,
    Transaction,
)

__all__ = [
    "FEATURE_WORDS",
    "FILTER_VOCABULARY",
    "PLACES",
    "PROJECTS",
    "full_listing",
    "make_listings",
]

PLACES: Final = {
    "Hồ Chí Minh": ["Quận 1", "Quận 7", "Bình Thạnh", "Thủ Đức", "Gò Vấp"],
    "Hà Nội": ["Cầu Giấy", "Đống Đa", "Tây Hồ"],
    "Đà Nẵng": ["Hải Châu", "Sơn Trà"],
}
WARDS: Final = ["Phường 1", "Phường 2", "Phường Tân Phú", "Phường An Khánh"]
STREETS: Final = ["Nguyễn Văn Linh", "Lê Lợi", "Điện Biên Phủ", "Trần Hưng Đạo", "Đường số 7"]
PROJECTS: Final = ["Sông Xanh Residence", "Hoa Sen Tower", "Bình Minh Garden", "Đồi Thông Park"]
TYPE_WORDS: Final = {
    PropertyType.APARTMENT: "Căn hộ",
    PropertyType.HOUSE: "Nhà riêng",
    PropertyType.TOWNHOUSE: "Nhà phố",
    PropertyType.VILLA: "Biệt thự",
    PropertyType.LAND: "Đất nền",
    PropertyType.ROOM: "Phòng trọ",
    PropertyType.OFFICE: "Văn phòng",
}
FEATURE_WORDS: Final = {
    Feature.POOL: "hồ bơi",
    Feature.GYM: "phòng gym",
    Feature.ELEVATOR: "thang máy",
    Feature.PARKING: "chỗ đậu xe",
    Feature.CAR_ALLEY: "hẻm xe hơi",
    Feature.STREET_FRONT: "mặt tiền",
    Feature.NEAR_SCHOOL: "gần trường học",
    Feature.NEAR_METRO: "gần ga metro",
    Feature.RIVER_VIEW: "view sông",
    Feature.GARDEN: "sân vườn",
    Feature.BALCONY: "ban công",
    Feature.SECURITY: "bảo vệ 24/7",
    Feature.FURNISHED: "nội thất đầy đủ",
}
LEGAL_WORDS: Final = {
    LegalStatus.PINK_BOOK: "sổ hồng",
    LegalStatus.RED_BOOK: "sổ đỏ",
    LegalStatus.SALE_CONTRACT: "hợp đồng mua bán",
    LegalStatus.PENDING: "đang chờ sổ",
    LegalStatus.OTHER: "giấy tờ khác",
}
FILTER_VOCABULARY: Final[dict[str, list[Any]]] = {
    "transaction": list(Transaction),
    "property_types": list(TYPE_WORDS),
    "province": [*PLACES, "Cần Thơ"],
    "districts": [d for ds in PLACES.values() for d in ds],
    "wards": WARDS,
    "streets": STREETS,
    "project": PROJECTS,
    "directions": list(Direction),
    "legal": list(LegalStatus),
    "features": list(Feature),
}

NOW: Final = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _maybe(rng: random.Random, value: object, p_none: float = 0.15) -> object:
    return None if rng.random() < p_none else value


def make_listings(n: int, seed: int = 0, now: datetime = NOW) -> list[Listing]:
    """`n` listings with ids `gen:0`..`gen:{n-1}`; the same seed gives the same listings."""
    rng = random.Random(seed)
    return [_listing(rng, i, now) for i in range(n)]


def _listing(rng: random.Random, i: int, now: datetime) -> Listing:
    ptype = rng.choice(list(TYPE_WORDS))
    rent = ptype in (PropertyType.ROOM, PropertyType.OFFICE) or rng.random() < 0.2
    province = rng.choice(list(PLACES))
    district = rng.choice(PLACES[province])
    project = (
        rng.choice(PROJECTS) if ptype is PropertyType.APARTMENT and rng.random() < 0.6 else None
    )
    features = rng.sample(list(Feature), rng.randint(0, 3))
    bedrooms = None if ptype in (PropertyType.LAND, PropertyType.OFFICE) else rng.randint(1, 5)
    area = round(rng.uniform(18, 300), 1)
    price = rng.randint(3, 60) * 1_000_000 if rent else rng.randint(8, 300) * 50_000_000
    legal = rng.choice(list(LegalStatus)) if rng.random() < 0.7 else None
    values = {
        "price_vnd": _maybe(rng, price),
        "area_m2": _maybe(rng, area),
        "bedrooms": _maybe(rng, bedrooms),
        "bathrooms": _maybe(rng, rng.randint(1, 4)),
        "direction": _maybe(rng, rng.choice(list(Direction)), 0.4),
        "legal_status": legal,
        "ward": _maybe(rng, rng.choice(WARDS), 0.3),
        "street": _maybe(rng, rng.choice(STREETS), 0.3),
        "posted_at": _maybe(rng, now - timedelta(hours=rng.randint(1, 24 * 60)), 0.1),
    }
    verb = "Cho thuê" if rent else "Bán"
    place = f"{district}, {province}"
    title = f"{verb} {TYPE_WORDS[ptype].lower()} {place}"
    if bedrooms is not None:
        title += f" {bedrooms}PN"
    if features:
        title += f", {FEATURE_WORDS[features[0]]}"
    sentences = [f"{TYPE_WORDS[ptype]} tại {project or place}, khu dân cư yên tĩnh."]
    sentences += [f"Có {FEATURE_WORDS[f]}." for f in features]
    if legal is not None:
        sentences.append(f"Pháp lý: {LEGAL_WORDS[legal]}.")
    if values["street"] is not None:
        sentences.append(f"Vị trí trên đường {values['street']}.")
    return Listing.model_validate(
        {
            "id": f"gen:{i}",
            "source": "gen",
            "url": f"https://example.test/listing/{i}",
            "title": title,
            "description": " ".join(sentences),
            "transaction": Transaction.RENT if rent else Transaction.SALE,
            "property_type": ptype,
            "project": project,
            "district": district,
            "province": province,
            "features": features,
            "crawled_at": now - timedelta(minutes=rng.randint(0, 600)),
            **values,
        }
    )


def full_listing(listing_id: str = "full:1") -> Listing:
    """One listing with every field set (for exact round-trip checks)."""
    return Listing(
        id=listing_id,
        source=listing_id.split(":", 1)[0],
        url="https://example.test/full",
        title="Bán căn hộ Hoa Sen Tower 3PN, view sông",
        description="Căn góc, ban công Đông Nam, nội thất đầy đủ. Sổ hồng riêng.",
        transaction=Transaction.SALE,
        property_type=PropertyType.APARTMENT,
        price_vnd=5_450_000_000,
        price_per_m2_vnd=62_643_678,
        area_m2=87.0,
        bedrooms=3,
        bathrooms=2,
        floors=1,
        frontage_m=6.5,
        road_width_m=12.0,
        direction=Direction.SOUTH_EAST,
        balcony_direction=Direction.EAST,
        legal_status=LegalStatus.PINK_BOOK,
        furnishing=Furnishing.FULL,
        project="Hoa Sen Tower",
        address="Hoa Sen Tower, Đường số 7, Phường 2, Quận 7, Hồ Chí Minh",
        street="Đường số 7",
        ward="Phường 2",
        district="Quận 7",
        province="Hồ Chí Minh",
        lat=10.7291,
        lon=106.7219,
        features=[Feature.RIVER_VIEW, Feature.POOL, Feature.FURNISHED],
        posted_at=datetime(2025, 5, 20, 8, 30, tzinfo=UTC),
        crawled_at=datetime(2025, 5, 21, 9, 15, 42, 123456, tzinfo=UTC),
        content_hash="sha1:0123456789abcdef",
        completeness=92,
        price_estimate=PriceEstimate(
            price_vnd=5_300_000_000,
            low_vnd=4_900_000_000,
            high_vnd=5_800_000_000,
            price_per_m2_vnd=60_919_540,
            comparables=["gen:1", "gen:2"],
        ),
    )
