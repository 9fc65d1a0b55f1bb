"""Type, transaction and junk flags (`ree.listings.classify`), on invented texts."""

from __future__ import annotations

import pytest

from ree.listings.classify import JunkFlag, ListingClassifier
from ree.models import PropertyType, Transaction

CLASSIFIER = ListingClassifier()


@pytest.mark.parametrize(
    ("title", "description", "ptype", "tx"),
    [
        ("Bán căn hộ 2PN Vinhomes Central Park", "", PropertyType.APARTMENT, Transaction.SALE),
        ("Cho thuê nhà nguyên căn Gò Vấp", "", PropertyType.HOUSE, Transaction.RENT),
        ("Bán đất nền Nhà Bè 100m2", "", PropertyType.LAND, Transaction.SALE),
        ("Chính chủ cần bán biệt thự song lập", "", PropertyType.VILLA, Transaction.SALE),
        ("Cho thuê phòng trọ gần ĐH Bách Khoa", "", PropertyType.ROOM, Transaction.RENT),
        ("Bán nhà phố liền kề 5 tầng", "", PropertyType.TOWNHOUSE, Transaction.SALE),
        ("Cần tiền bán gấp", "Căn hộ 70m2 tầng cao, 2PN.", PropertyType.APARTMENT,
         Transaction.SALE),
        ("Sang nhượng kho xưởng 500m2", "", PropertyType.WAREHOUSE, Transaction.SALE),
        ("Văn phòng cho thuê Quận 1", "giá 20 triệu/tháng", PropertyType.OFFICE,
         Transaction.RENT),
    ],
)  # fmt: skip
def test_type_and_transaction(
    title: str, description: str, ptype: PropertyType, tx: Transaction
) -> None:
    got = CLASSIFIER.run(title, description)
    assert (got.property_type, got.transaction) == (ptype, tx)
    assert 0 < got.type_confidence <= 1
    assert not got.is_junk


def test_title_outweighs_description() -> None:
    got = CLASSIFIER.run("Bán nhà riêng 3 tầng", "Đất thổ cư 100%, gần chung cư.")
    assert got.property_type is PropertyType.HOUSE


def test_confidence_is_lower_when_unclear() -> None:
    clear = CLASSIFIER.run("Bán căn hộ chung cư 2PN", "Căn hộ tầng cao.")
    mixed = CLASSIFIER.run("Bán gấp giá tốt", "Nhà hoặc đất, căn hộ cũng được.")
    assert clear.type_confidence > mixed.type_confidence


@pytest.mark.parametrize(
    ("title", "description", "price", "flag"),
    [
        ("????????", "??????????????????????????", None, JunkFlag.GARBLED),
        ("Công ty môi giới uy tín", "Liên hệ chúng tôi để được tư vấn tận tình.", None,
         JunkFlag.NO_PROPERTY),
        ("Bán nhà Quận 6", "Dưới 500 triệu. Từ 500 - 800 triệu. Từ 1 - 2 tỷ. Từ 2 - 3 tỷ. "
         "Từ 3 - 5 tỷ. Trên 30 tỷ.", None, JunkFlag.PRICE_MENU),
        ("ok", "", None, JunkFlag.TOO_SHORT),
    ],
)  # fmt: skip
def test_junk_flags(title: str, description: str, price: str | None, flag: JunkFlag) -> None:
    got = CLASSIFIER.run(title, description, price)
    assert flag in got.flags
    assert got.is_junk


def test_menu_in_price_cell_is_a_note_not_junk() -> None:
    got = CLASSIFIER.run("Bán nhà HXH Quận 6 6 tỷ", "Nhà mới 4x12m.", "Giá bán\nDưới 500 triệu")
    assert JunkFlag.PRICE_CELL_MENU in got.flags
    assert not got.is_junk


def test_lost_emojis_alone_are_not_junk() -> None:
    got = CLASSIFIER.run("Bán nhà mới ????", "???? Diện tích 48m2, 2 phòng ngủ, sổ hồng ????")
    assert not got.is_junk


# ----- listing-title classes (brief H4): the portal's type slugs; phrases are our own ----------


@pytest.mark.parametrize(
    ("title", "description", "ptype"),
    [
        # a street-front house is a townhouse ("nhà mặt phố"); a frontage width is not one
        ("Bán nhà mặt tiền Lê Văn Sỹ 4 tầng", "", PropertyType.TOWNHOUSE),
        ("Bán nhà 5 tầng mặt phố Hàng Bông", "", PropertyType.TOWNHOUSE),
        ("Bán nhà ngõ Thái Hà MT 4,2m 5 tầng", "", PropertyType.HOUSE),
        ("Bán nhà gần mặt phố Kim Mã", "", PropertyType.HOUSE),
        # a whole building sold for its rent income is a house
        ("Bán tòa căn hộ dịch vụ 18 phòng Bình Thạnh", "", PropertyType.HOUSE),
        ("Bán CHDV 12 phòng thang máy, 15 tỷ", "Đang cho thuê 90 triệu/tháng", PropertyType.HOUSE),
        ("Bán nhà trọ 20 phòng Thủ Đức", "", PropertyType.HOUSE),
        ("Bán tòa CCMN mặt phố Cầu Giấy 8 tầng", "", PropertyType.TOWNHOUSE),
        # a flat in a named tower stays a flat
        ("Bán căn 2N1WC 60m2 tòa S3 Vinhomes", "", PropertyType.APARTMENT),
        # titles that name no type
        ("Quỹ căn 1PN - 2PN view hồ giá tốt", "", PropertyType.APARTMENT),
        ("Bán gấp BT góc view hồ Ecopark", "", PropertyType.VILLA),
        ("Quỹ căn ngoại giao Ocean City", "Biệt thự song lập, liền kề 5 tầng", PropertyType.VILLA),
        ("Bán căn góc 160m2 vị trí đẹp", "", PropertyType.VILLA),
        ("Bán lô góc khu dân cư Hưng Phú", "", PropertyType.LAND),
        # words that name no type: take delivery, show flat, a company "… Land", "CC" = owner
        ("Nhận nhà ở ngay căn hộ Green Park", "", PropertyType.APARTMENT),
        ("Sao Mai Land chuyên bán CC Sky Garden", "", PropertyType.APARTMENT),
        ("CC bán gấp nhà biệt thự Thảo Điền", "", PropertyType.VILLA),
    ],
)
def test_listing_title_classes(title: str, description: str, ptype: PropertyType) -> None:
    assert CLASSIFIER.run(title, description).property_type is ptype


def test_a_high_title_price_without_a_verb_is_a_sale() -> None:
    got = CLASSIFIER.run("Nhà 4 tầng Phú Nhuận 12,5 tỷ", "Hiện đang cho thuê 30 triệu/tháng")
    assert got.transaction is Transaction.SALE
