"""Completeness score, missing fields by type, and feedback language."""

from __future__ import annotations

from ree.listings.completeness import CompletenessScorer, required_fields
from ree.listings.extract import AttributeExtractor, RawListing
from ree.models import PropertyType, Transaction

SCORER = CompletenessScorer()
EXTRACT = AttributeExtractor()


def test_land_never_needs_bedrooms() -> None:
    for tx in Transaction:
        assert "bedrooms" not in required_fields(PropertyType.LAND, tx)
    got = SCORER.run(EXTRACT.run(RawListing(title="Bán đất nền 100m2 Long An")))
    assert "bedrooms" not in got.missing
    assert "frontage_m" in got.missing and "price_vnd" in got.missing


def test_rentals_need_deposit_and_term_not_legal_status() -> None:
    weights = required_fields(PropertyType.APARTMENT, Transaction.RENT)
    assert {"deposit", "lease_term"} <= set(weights)
    assert "legal_status" not in weights
    bare = RawListing(title="Cho thuê căn hộ 2PN 70m2 Quận 7 giá 12 triệu/tháng")
    told = bare.model_copy(update={"description": "Cọc 2 tháng, hợp đồng tối thiểu 6 tháng."})
    missing_bare = SCORER.run(EXTRACT.run(bare)).missing
    missing_told = SCORER.run(EXTRACT.run(told)).missing
    assert {"deposit", "lease_term"} <= set(missing_bare)
    assert not {"deposit", "lease_term"} & set(missing_told)


def test_score_rises_with_details_and_orders_missing_by_weight() -> None:
    thin = SCORER.run(EXTRACT.run(RawListing(title="Bán căn hộ")))
    full = SCORER.run(
        EXTRACT.run(
            RawListing(
                title="Bán căn hộ 2PN 2WC 70m2 Masteri Thảo Điền giá 5,2 tỷ",
                description="Sổ hồng, hướng Đông Nam, full nội thất, tầng cao view sông, "
                "gần metro, bàn giao ngay, chủ cần bán nhanh trong tháng.",
                address="Masteri Thảo Điền, Phường Thảo Điền, Quận 2, Hồ Chí Minh",
            )
        )
    )
    assert thin.score < 30 < 90 <= full.score <= 100
    assert thin.missing[0] == "price_vnd"
    assert full.missing == [] or full.score >= 90


def test_feedback_in_the_sellers_language() -> None:
    listing = EXTRACT.run(RawListing(title="Bán nhà Gò Vấp")).listing
    vi = SCORER.run(listing, "vi")
    en = SCORER.run(listing, "en")
    assert vi.missing == en.missing
    assert "Thêm giá" in vi.feedback
    assert "Add the price" in en.feedback
