"""How complete a listing is for its type: a 0-100 score, what is missing, and what to add.

Each property type has the fields a buyer or tenant asks about first, with weights: land is
judged on frontage and road width, never on bedrooms; an apartment on bedrooms and its
project; a house on floors, frontage and the alley in front. Rentals need the deposit and the
lease term; `Listing` has no field for them, so the text is the evidence ("cọc 2 tháng",
"hợp đồng 1 năm"). Rentals are not asked for a legal status. The feedback is written in the
seller's language (vi or en), one actionable sentence per missing item, most important first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ree.listings.extract import Extraction
from ree.models import Language, Listing, PropertyType, Transaction
from ree.vi.text import fold

__all__ = ["Completeness", "CompletenessScorer", "required_fields"]

P = PropertyType
_COMMON = {"price_vnd": 20, "area_m2": 15, "district": 12, "legal_status": 10, "description": 8}
_BY_TYPE: dict[PropertyType, dict[str, int]] = {
    P.APARTMENT: {"bedrooms": 10, "bathrooms": 5, "project": 5, "direction": 4, "furnishing": 4},
    P.HOUSE: {"bedrooms": 8, "bathrooms": 4, "floors": 6, "frontage_m": 5, "road_width_m": 5,
              "direction": 3},
    P.TOWNHOUSE: {"bedrooms": 8, "bathrooms": 4, "floors": 6, "frontage_m": 6, "road_width_m": 5,
                  "direction": 3},
    P.VILLA: {"bedrooms": 8, "bathrooms": 4, "floors": 5, "frontage_m": 4, "direction": 3},
    P.SHOPHOUSE: {"floors": 6, "frontage_m": 6, "road_width_m": 5, "project": 3, "direction": 3},
    P.LAND: {"frontage_m": 8, "road_width_m": 8, "direction": 4},
    P.ROOM: {"furnishing": 6, "bathrooms": 3},
    P.OFFICE: {"furnishing": 3, "floors": 3},
    P.WAREHOUSE: {"road_width_m": 5},
    P.OTHER: {},
}  # fmt: skip
_RENT_EXTRA = {"deposit": 8, "lease_term": 6}
_MIN_DESCRIPTION = 80

_DEPOSIT = re.compile(r"\b(?:coc|dat coc|ky quy|deposit)\b")
_TERM = re.compile(
    r"\b(?:hop dong|hd|thue toi thieu|ky han|thoi han|lease|term|contract)\b[^.\n]{0,30}?"
    r"\b(?:\d+|mot|hai|ba|sau)\s*(?:thang|nam|month|year)s?\b|\b(?:thanh toan|tra)\s*\d+\s*thang\b"
    r"|\b\d+\s*(?:thang|month)s?\s*(?:coc|\+)"
)

_FEEDBACK: dict[str, tuple[str, str]] = {
    "price_vnd": ("Thêm giá (ví dụ: 3,5 tỷ hoặc 12 triệu/tháng).",
                  "Add the price (e.g. 3.5 billion VND, or 12 million/month)."),
    "area_m2": ("Thêm diện tích (ví dụ: 68 m² hoặc 5x20).", "Add the area (e.g. 68 m², or 5x20)."),
    "district": ("Ghi rõ địa chỉ: phường/xã, quận/huyện, tỉnh/thành.",
                 "Give the address: ward, district and city."),
    "legal_status": ("Nêu pháp lý (sổ hồng, sổ đỏ, hợp đồng mua bán…).",
                     "State the legal status (pink book, red book, sale contract…)."),
    "description": ("Viết mô tả chi tiết hơn: hiện trạng, tiện ích, lý do bán.",
                    "Write a fuller description: condition, amenities, why you are selling."),
    "bedrooms": ("Thêm số phòng ngủ.", "Add the number of bedrooms."),
    "bathrooms": ("Thêm số phòng vệ sinh.", "Add the number of bathrooms."),
    "floors": ("Thêm số tầng (ví dụ: 1 trệt 2 lầu).", "Add the number of floors."),
    "frontage_m": ("Thêm chiều ngang mặt tiền (m).", "Add the frontage width in metres."),
    "road_width_m": ("Thêm độ rộng đường/hẻm trước nhà (m).",
                     "Add the width of the road or alley in front (m)."),
    "direction": ("Thêm hướng nhà (ví dụ: Đông Nam).",
                  "Add the facing direction (e.g. south-east)."),
    "furnishing": ("Nêu tình trạng nội thất (đầy đủ, cơ bản, không).",
                   "Say how it is furnished (full, basic, none)."),
    "project": ("Nêu tên dự án/tòa nhà.", "Name the project or building."),
    "deposit": ("Nêu tiền cọc (ví dụ: cọc 2 tháng).", "State the deposit (e.g. 2 months)."),
    "lease_term": ("Nêu thời hạn hợp đồng thuê (ví dụ: tối thiểu 6 tháng).",
                   "State the lease term (e.g. at least 6 months)."),
}  # fmt: skip


@dataclass(frozen=True)
class Completeness:
    """A 0-100 score, the missing fields (most important first) and feedback text."""

    score: int
    missing: list[str]
    feedback: str


def required_fields(ptype: PropertyType, transaction: Transaction) -> dict[str, int]:
    """The fields that matter for a type and deal, with their weights."""
    weights = dict(_COMMON)
    weights.update(_BY_TYPE.get(ptype, {}))
    if transaction is Transaction.RENT:
        weights.pop("legal_status", None)
        weights.update(_RENT_EXTRA)
    return weights


def _present(listing: Listing, name: str) -> bool:
    if name == "description":
        return len(listing.description.strip()) >= _MIN_DESCRIPTION
    if name == "deposit":
        return bool(_DEPOSIT.search(_folded(listing)))
    if name == "lease_term":
        return bool(_TERM.search(_folded(listing)))
    return getattr(listing, name) is not None


def _folded(listing: Listing) -> str:
    return fold(f"{listing.title}\n{listing.description}")


class CompletenessScorer:
    """Score a listing: `run(listing_or_extraction, language) -> Completeness`."""

    def run(self, subject: Listing | Extraction, language: Language = "vi") -> Completeness:
        """The weighted share of the type's fields present, and what to add."""
        listing = subject.listing if isinstance(subject, Extraction) else subject
        weights = required_fields(listing.property_type, listing.transaction)
        missing = [n for n in weights if not _present(listing, n)]
        total = sum(weights.values())
        have = total - sum(weights[n] for n in missing)
        score = round(100 * have / total) if total else 100
        missing.sort(key=lambda n: -weights[n])
        index = 0 if language == "vi" else 1
        lines = [_FEEDBACK[n][index] for n in missing]
        if not lines:
            lines = ["Tin đăng đã đầy đủ thông tin chính." if index == 0 else
                     "The listing has all the key details."]  # fmt: skip
        return Completeness(score, missing, " ".join(lines))
