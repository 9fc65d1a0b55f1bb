"""Directions, legal status, property types, furnishing, features, language."""

from __future__ import annotations

import pytest

from ree.models import Direction, Feature, Furnishing, LegalStatus, PropertyType
from ree.vi.vocab import (
    detect_language,
    expand_abbreviations,
    find_features,
    parse_direction,
    parse_furnishing,
    parse_legal_status,
    parse_property_type,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tây - Bắc", Direction.NORTH_WEST),
        ("Tây Bắc", Direction.NORTH_WEST),
        ("hướng đông nam", Direction.SOUTH_EAST),
        ("Đông - Nam", Direction.SOUTH_EAST),
        ("ĐB", Direction.NORTH_EAST),
        ("TN", Direction.SOUTH_WEST),
        ("Nam", Direction.SOUTH),
        ("Bắc - Đông", Direction.NORTH_EAST),  # reversed order still composes
        ("south-west", Direction.SOUTH_WEST),
        ("north east", Direction.NORTH_EAST),
        ("West", Direction.WEST),
        ("", None),
        ("không rõ", None),
    ],
)
def test_parse_direction(text: str, expected: Direction | None) -> None:
    assert parse_direction(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sổ đỏ/ Sổ hồng", LegalStatus.PINK_BOOK),  # either certificate: pink (documented rule)
        ("Sổ hồng riêng", LegalStatus.PINK_BOOK),
        ("SHR", LegalStatus.PINK_BOOK),
        ("Sổ đỏ chính chủ.", LegalStatus.RED_BOOK),
        ("đã có sổ đỏ", LegalStatus.RED_BOOK),
        ("Có sổ", LegalStatus.PINK_BOOK),
        ("Hợp đồng mua bán", LegalStatus.SALE_CONTRACT),
        ("HĐMB", LegalStatus.SALE_CONTRACT),
        ("Đang chờ sổ", LegalStatus.PENDING),
        ("vi bằng", LegalStatus.OTHER),
        ("", None),
        ("liên hệ", None),
    ],
)
def test_parse_legal_status(text: str, expected: LegalStatus | None) -> None:
    assert parse_legal_status(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bán căn hộ chung cư 3PN view hồ", PropertyType.APARTMENT),
        ("Cho thuê CHDV full đồ", PropertyType.APARTMENT),
        ("Bán nhà riêng hẻm 5m", PropertyType.HOUSE),
        ("Bán nhà mặt tiền kinh doanh", PropertyType.TOWNHOUSE),
        ("Nhà phố liền kề khu đô thị", PropertyType.TOWNHOUSE),
        ("Biệt thự song lập", PropertyType.VILLA),
        ("Bán lô đất thổ cư 5x20", PropertyType.LAND),
        ("Cho thuê phòng trọ gần chợ", PropertyType.ROOM),
        ("Văn phòng hạng B", PropertyType.OFFICE),
        ("Cho thuê kho xưởng 2000m2", PropertyType.WAREHOUSE),
        ("Shophouse khối đế", PropertyType.SHOPHOUSE),
        ("Nhà mình bán lô đất sau nhà", PropertyType.LAND),  # "nhà mình" is the family
        ("Bán nhà 4 tầng cạnh chung cư", PropertyType.HOUSE),  # first mention wins
        ("xyz", None),
    ],
)
def test_parse_property_type(text: str, expected: PropertyType | None) -> None:
    assert parse_property_type(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đầy đủ.", Furnishing.FULL),
        ("Full nội thất", Furnishing.FULL),
        ("Nội thất cơ bản", Furnishing.BASIC),
        ("Không nội thất", Furnishing.NONE),
        ("Bàn giao thô", Furnishing.NONE),
        ("", None),
    ],
)
def test_parse_furnishing(text: str, expected: Furnishing | None) -> None:
    assert parse_furnishing(text) == expected


def test_find_features() -> None:
    text = "Nhà có thang máy, sân vườn rộng, hẻm xe hơi, gần trường, không có hồ bơi."
    assert find_features(text) == [
        Feature.ELEVATOR,
        Feature.GARDEN,
        Feature.CAR_ALLEY,
        Feature.NEAR_SCHOOL,
    ]


def test_frontage_width_is_not_street_front() -> None:
    assert find_features("nhà hẻm, mặt tiền 4,5m, nở hậu") == []
    assert Feature.STREET_FRONT in find_features("bán nhà mặt tiền đường lớn")


def test_basic_furniture_is_not_furnished() -> None:
    assert Feature.FURNISHED not in find_features("nội thất cơ bản")
    assert find_features("căn hộ full nội thất") == [Feature.FURNISHED]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tìm căn hộ Quận 7", "vi"),
        ("nha pho q3 duoi 10 ty", "vi"),
        ("Looking for a house in District 3", "en"),
        ("two bedroom apartment near the metro", "en"),
        ("I found 3 listings:\n1. Căn hộ 2PN Quận 7 giá 3,2 tỷ", "en"),
        ("ok", "vi"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chcc 2pn hxh", "căn hộ chung cư 2 phòng ngủ hẻm xe hơi"),
        ("Bán nhà MT, SHR", "Bán nhà mặt tiền, sổ hồng riêng"),
        ("SĐCC, HĐMB", "sổ đỏ chính chủ, hợp đồng mua bán"),
        ("2vs, dt 80m2", "2 vệ sinh, diện tích 80m2"),
        ("Masteri vs Sunrise", "Masteri vs Sunrise"),
        ("giá 500 đ", "giá 500 đ"),
    ],
)
def test_expand_abbreviations(text: str, expected: str) -> None:
    assert expand_abbreviations(text) == expected
