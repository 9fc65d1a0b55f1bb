"""The seller's flow (`post_listing`): a draft built across turns, reviewed, then published.

Each seller message adds to the draft (`PostingDesk.step`): what the listing extractor reads
in the message (`ree.listings.extract`, the same code that reads crawled listings) and, where
it reads nothing, what query understanding read (type, place, a bare price or area, rooms);
a later value replaces an earlier one, so "à nhầm, giá 3 tỷ 8" corrects the price. The
seller's own words become the description.

Every turn the draft is analysed like any listing (`ListingAnalyzer`): completeness for its
type (land is never asked for bedrooms; rentals for deposit and term), feedback in the
seller's language and, when the price model or the comparables justify one, a suggested
price with its 80% range. The assistant asks only for what is missing. On confirmation
("đăng luôn", "xác nhận", "publish") a draft that has its essentials (type, place, price,
area) is published into the index as source `user`; without them the seller is told what
is still needed and nothing is published.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ree.chat.understand import Understanding, understand
from ree.listings.analyze import Analysis, ListingAnalyzer
from ree.listings.extract import AttributeExtractor, RawListing
from ree.models import Filters, Language, Listing, PropertyType, Transaction
from ree.search.base import SearchBackend
from ree.vi.display import label

__all__ = ["ESSENTIAL", "PostingDesk", "PostingStep"]

ESSENTIAL = ("property_type", "district", "price_vnd", "area_m2")
MAX_MESSAGES = 20
_FIELDS = (
    "transaction", "property_type", "price_vnd", "area_m2", "bedrooms", "bathrooms", "floors",
    "frontage_m", "road_width_m", "direction", "balcony_direction", "legal_status", "furnishing",
    "project", "street", "ward", "district", "province",
)  # fmt: skip


@dataclass
class PostingStep:
    """One turn of the seller's flow: the new draft and the facts the answer is made of."""

    draft: dict[str, Any] | None
    facts: dict[str, Any] = field(default_factory=dict)
    published: Listing | None = None


def _center(low: float | None, high: float | None) -> float | None:
    """A bare "3,5 tỷ" is read as a ±10% band (LABELS); the seller means its centre."""
    if low is not None and high is not None:
        return (low + high) / 2
    return high if high is not None else low


def _from_filters(f: Filters) -> dict[str, Any]:
    """What query understanding read, as listing fields (used where extraction found nothing)."""
    price = _center(f.price_min, f.price_max)
    area = _center(f.area_min, f.area_max)
    out: dict[str, Any] = {
        "transaction": f.transaction.value if f.transaction else None,
        "property_type": f.property_types[0].value if f.property_types else None,
        "price_vnd": int(round(price, -6)) if price else None,
        "area_m2": round(area, 1) if area else None,
        "bedrooms": f.bedrooms_min if f.bedrooms_min == f.bedrooms_max else None,
        "bathrooms": f.bathrooms_min,
        "direction": f.directions[0].value if f.directions else None,
        "legal_status": f.legal[0].value if f.legal and len(f.legal) == 1 else None,
        "project": f.project,
        "street": f.streets[0] if f.streets else None,
        "ward": f.wards[0] if f.wards else None,
        "district": f.districts[0] if f.districts else None,
        "province": f.province,
    }
    return out


def _value(v: Any) -> Any:
    return getattr(v, "value", v)


class PostingDesk:
    """Builds, reviews and publishes a seller's draft: `step(draft, message, u) -> PostingStep`."""

    def __init__(
        self,
        search: SearchBackend,
        analyzer: ListingAnalyzer | None = None,
        extractor: AttributeExtractor | None = None,
    ) -> None:
        self._search = search
        self._analyzer = analyzer or ListingAnalyzer(search)
        self._extractor = extractor or AttributeExtractor()

    def step(self, draft: dict[str, Any] | None, message: str, u: Understanding) -> PostingStep:
        """Add this message to the draft, review it, and publish it when confirmed."""
        current = dict(draft or {})
        fields = dict(current.get("fields") or {})
        if not fields:  # a property valued earlier in the conversation starts the draft
            fields = {k: v for k, v in _from_filters(u.filters).items() if v is not None}
        fields.update(self._read(message, u))
        messages = list(current.get("messages") or [])
        if self._informative(message, u):
            messages = [*messages, message.strip()][-MAX_MESSAGES:]
        new_draft: dict[str, Any] = {"fields": fields, "messages": messages}
        analysis = self.review(new_draft, u.language)
        facts = self._facts(new_draft, analysis, u.language)
        if not u.confirm:
            return PostingStep(new_draft, facts)
        lacking = [k for k in ESSENTIAL if not fields.get(k)]
        if lacking:
            facts["blocked"] = [_missing_label(k, u.language) for k in lacking]
            return PostingStep(new_draft, facts)
        listing = self.publish(analysis)
        facts["published"] = listing.id
        return PostingStep(None, facts, listing)

    def _read(self, message: str, u: Understanding) -> dict[str, Any]:
        """This message's values: extraction first, understanding where it found nothing."""
        text = message.strip()[:1000] or "-"
        found = self._extractor.run(RawListing(title=text)).listing.model_dump()
        read = {k: _value(found.get(k)) for k in _FIELDS if k not in ("transaction",)}
        if read.get("property_type") == PropertyType.OTHER.value:
            read["property_type"] = None
        for key, value in _from_filters(understand(message).filters).items():
            if read.get(key) is None and value is not None:
                read[key] = value
        if read.get("district") and not read.get("province"):
            read["province"] = found.get("province")
        return {k: v for k, v in read.items() if v is not None}

    @staticmethod
    def _informative(message: str, u: Understanding) -> bool:
        return not u.confirm or len(message.split()) > 4

    def review(self, draft: dict[str, Any], language: Language) -> Analysis:
        """The analysis of the draft as it stands (completeness, feedback, price suggestion)."""
        fields = dict(draft.get("fields") or {})
        messages = list(draft.get("messages") or [])
        title = _title(fields, language) or (messages[0][:120] if messages else "Tin đăng")
        raw = RawListing(
            title=title,
            description="\n".join(messages),
            source="user",
            source_id="draft",
            price=fields.get("price_vnd"),
            area=fields.get("area_m2"),
            bedrooms=fields.get("bedrooms"),
            bathrooms=fields.get("bathrooms"),
            floors=fields.get("floors"),
            frontage_m=fields.get("frontage_m"),
            road_width_m=fields.get("road_width_m"),
            direction=fields.get("direction"),
            balcony_direction=fields.get("balcony_direction"),
            legal_status=fields.get("legal_status"),
            furnishing=fields.get("furnishing"),
            property_type=fields.get("property_type"),
            transaction=Transaction(fields["transaction"]) if fields.get("transaction") else None,
            project=fields.get("project"),
            street=fields.get("street"),
            ward=fields.get("ward"),
            district=fields.get("district"),
            province=fields.get("province"),
        )
        return self._analyzer.run(raw, language)

    def publish(self, analysis: Analysis) -> Listing:
        """Write the reviewed draft into the index as a new listing of source `user`."""
        now = datetime.now(UTC)
        listing = analysis.listing.model_copy(
            update={
                "id": f"user:{uuid.uuid4().hex[:16]}",
                "source": "user",
                "posted_at": now,
                "crawled_at": now,
            }
        )
        listing = Listing.model_validate(listing.model_dump())
        self._search.upsert([listing])
        return listing

    @staticmethod
    def _facts(draft: dict[str, Any], analysis: Analysis, lang: Language) -> dict[str, Any]:
        fields = draft["fields"]
        listing = analysis.listing
        missing = [m for m in analysis.completeness.missing if m != "description"]
        facts: dict[str, Any] = {
            "draft": {k: fields[k] for k in _FIELDS if fields.get(k) is not None},
            "missing": [_missing_label(k, lang) for k in missing],
            "feedback": analysis.completeness.feedback[:3],
            "completeness": analysis.completeness.score,
        }
        if not listing.transaction or fields.get("transaction") is None:
            facts["draft"]["transaction"] = listing.transaction.value
        est = analysis.price_estimate
        if est is not None:
            facts["price_estimate"] = {
                "price": est.price_vnd,
                "low": est.low_vnd,
                "high": est.high_vnd,
                "median_ppm2": est.price_per_m2_vnd,
                "comparables": list(est.comparables),
            }
        else:
            facts["price_note"] = analysis.price_note
        return facts


def _missing_label(key: str, lang: Language) -> str:
    names = {
        "property_type": ("loại nhà", "property type"),
        "district": ("khu vực (quận/huyện)", "location (district)"),
        "price_vnd": ("giá", "price"),
        "area_m2": ("diện tích", "area"),
        "bedrooms": ("số phòng ngủ", "bedrooms"),
        "bathrooms": ("số phòng vệ sinh", "bathrooms"),
        "floors": ("số tầng", "floors"),
        "frontage_m": ("mặt tiền (m)", "frontage (m)"),
        "road_width_m": ("độ rộng đường/hẻm", "road width"),
        "direction": ("hướng nhà", "facing direction"),
        "legal_status": ("pháp lý", "legal status"),
        "furnishing": ("nội thất", "furnishing"),
        "project": ("tên dự án", "project"),
        "deposit": ("tiền cọc", "deposit"),
        "lease_term": ("thời hạn thuê", "lease term"),
    }
    vi, en = names.get(key, (key, key))
    return vi if lang == "vi" else en


def _title(fields: dict[str, Any], lang: Language) -> str:
    """A plain title from the fields: "Bán căn hộ 2 PN 70 m² Quận 7"."""
    parts: list[str] = []
    deal = fields.get("transaction") or "sale"
    if lang == "vi":
        parts.append("Cho thuê" if deal == "rent" else "Bán")
    else:
        parts.append("For rent:" if deal == "rent" else "For sale:")
    if fields.get("property_type"):
        parts.append(label("property_type", fields["property_type"], lang).lower())
    if fields.get("bedrooms"):
        parts.append(f"{fields['bedrooms']} PN" if lang == "vi" else f"{fields['bedrooms']} BR")
    if fields.get("area_m2"):
        parts.append(f"{fields['area_m2']:g} m²")
    place = fields.get("project") or fields.get("ward") or fields.get("district")
    if place:
        parts.append(str(place))
    return " ".join(parts) if len(parts) > 1 else ""
