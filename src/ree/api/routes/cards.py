"""Listing cards as the API shows them."""

from __future__ import annotations

from ree.api.schemas import ListingCard
from ree.models import Listing


def card(listing: Listing, score: float, why: list[str] | None = None) -> ListingCard:
    return ListingCard(
        id=listing.id,
        title=listing.title,
        price_vnd=listing.price_vnd,
        area_m2=listing.area_m2,
        bedrooms=listing.bedrooms,
        address=listing.address,
        district=listing.district,
        province=listing.province,
        url=listing.url,
        posted_at=listing.posted_at,
        transaction=listing.transaction.value,
        property_type=listing.property_type.value,
        score=round(score, 4),
        why=" · ".join(why or []),
    )
