"""Property details in listing text (`ree.vi.details`), and the listing-text misreads fixed
in the vocabulary, numbers and address reader. Phrases are our own."""

from __future__ import annotations

from typing import TypeVar

import pytest

from ree.models import Direction, Feature, Furnishing, PropertyType
from ree.vi import details
from ree.vi.gazetteer import gazetteer
from ree.vi.numbers import find_prices
from ree.vi.vocab import find_features, find_property_types, parse_furnishing

T = TypeVar("T")


def first(found: list[details.Detail[T]]) -> T | None:
    return found[0].value if found else None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Bán nhà 3PN 2WC", 3),
        ("căn hộ 2 phòng ngủ, 1 vệ sinh", 2),
        ("nhà 4 ngủ rộng", 4),
        ("căn hộ hai phòng ngủ", 2),
        ("căn hộ 2-3PN tùy chọn", None),
        ("phòng khách rộng, 1 phòng bếp", None),
        ("Bán đất Hải Phòng", None),
    ],
)
def test_bedrooms(text: str, want: int | None) -> None:
    assert first(details.find_bedrooms(text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [("3PN 2WC", 2), ("có 3 vệ sinh", 3), ("2 toilet riêng", 2), ("nhà vệ sinh chung", None)],
)
def test_bathrooms(text: str, want: int | None) -> None:
    assert first(details.find_bathrooms(text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("nhà 1 trệt 2 lầu", 3),
        ("nhà 4 tầng mới", 4),
        ("1 tầng hầm + 3 tầng nổi", 4),
        ("DT 45M2 X 5T giá tốt", 5),
        ("nhà 3 lầu", 4),
        ("căn hộ tầng 12 view đẹp", None),
        ("giá 5T", None),
        # a storey count followed by an area: "90" is not a floor number ("tầng 9" + "0m2")
        ("Bán nhà 5 tầng 90m2 gần chợ", 5),
        ("nha 4 tang 120m2", 4),
        ("tầng 15 căn góc", None),
    ],
)
def test_floors(text: str, want: int | None) -> None:
    assert first(details.find_floors(text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("mặt tiền 5m", 5.0),
        ("ngang 4,5m dài 20m", 4.5),
        ("chiều ngang mặt tiền: 8m", 8.0),
        ("nhà 5x20 sổ hồng", 5.0),
        ("mặt tiền đường 12m", None),
        ("2 mặt tiền", None),
        ("ngang 4m2 dài 20m", 4.2),  # a one-digit width: "2" is its decimal
        ("mặt tiền 40m2", None),  # an area, not 40.2 m
    ],
)
def test_frontage(text: str, want: float | None) -> None:
    assert first(details.find_frontages(text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("hẻm xe hơi 6m", 6.0),
        ("đường trước nhà 12m", 12.0),
        ("lộ giới 13m", 13.0),
        ("ngõ vào rộng 3,5m", 3.5),
        ("mặt tiền đường 20m", 20.0),
        ("cách đường 200m", None),
        ("cách đường lớn 50m", None),
    ],
)
def test_road_width(text: str, want: float | None) -> None:
    assert first(details.find_road_widths(text)) == want


def test_house_and_balcony_directions() -> None:
    text = "Nhà hướng Đông Nam, ban công hướng Tây Bắc, view đẹp"
    assert first(details.find_house_directions(text)) is Direction.SOUTH_EAST
    assert first(details.find_balcony_directions(text)) is Direction.NORTH_WEST
    assert details.find_house_directions("nhà đẹp Quận 7, miền nam") == []
    assert first(details.find_balcony_directions("hướng ban công: Tây")) is Direction.WEST


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Bán đất Nhà Bè giá tốt", [PropertyType.LAND]),
        ("Cho thuê mặt bằng Hải Phòng", []),
        ("Bán gấp căn 2PN view sông", [PropertyType.APARTMENT]),
        ("Bán căn góc đẹp", []),
        ("Bán nhà riêng, có đất vườn", [PropertyType.HOUSE, PropertyType.LAND]),
    ],
)
def test_property_types_skip_place_names(text: str, want: list[PropertyType]) -> None:
    assert find_property_types(text) == want


def test_names_do_not_trigger_features() -> None:
    assert Feature.GARDEN not in find_features("Bán căn hộ Sunrise Garden tầng cao")
    assert Feature.GARDEN in find_features("nhà có sân vườn rộng")
    assert Feature.SECURITY not in find_features("Nhà đường Nguyễn An Ninh")
    assert Feature.SECURITY in find_features("khu dân cư an ninh tốt")
    assert parse_furnishing("Nhà phố Hàng Trống, sổ đỏ") is None
    assert parse_furnishing("nhà trống, vào ở ngay") is Furnishing.NONE


def test_area_with_storeys_is_not_a_price() -> None:
    prices = [p.value.vnd for p in find_prices("Nhà 45M2 X 5T giá 6,5 tỷ")]
    assert prices == [6_500_000_000]
    assert [p.value.vnd for p in find_prices("giá 3tr3/tháng")] == [3_300_000]


def test_address_fields() -> None:
    place = gazetteer().parse_address("12 Lê Văn Sỹ, Phường 13, Quận 3, Hồ Chí Minh")
    assert (place.street, place.ward, place.district) == ("Lê Văn Sỹ", "Phường 13", "Quận 3")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Bán gấp căn 2N1WC 53m2", [PropertyType.APARTMENT]),
        ("Bán căn góc 2PN2WC tầng cao", [PropertyType.APARTMENT]),
        ("Xem nhà mẫu ngay, căn hộ 2PN", [PropertyType.APARTMENT, PropertyType.HOUSE]),
        ("Bán nhà riêng gần chung cư", [PropertyType.HOUSE, PropertyType.APARTMENT]),
    ],
)
def test_bare_words_yield_to_named_types(text: str, want: list[PropertyType]) -> None:
    assert find_property_types(text) == want


# ----- phrasing classes fixed for listing text (issue 4, brief H4) -------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("căn hộ 3N2VS diện tích 84m2", 3),
        ("Căn 2N tầng trung, ban công rộng", 2),
        ("Có căn 1N+1 giá mềm", 1),
        ("loại 2N, 2VS", 2),
        ("cách 2N.", None),
        ("năm 2N", None),
    ],
)
def test_bedrooms_hanoi_style(text: str, want: int | None) -> None:
    assert first(details.find_bedrooms(text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [("căn 2PN2WC rộng 70m²", 2), ("3N3VS, bếp kín", 3), ("1pn1wc", 1)],
)
def test_bathrooms_glued_to_bedrooms(text: str, want: int) -> None:
    assert first(details.find_bathrooms(text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Chiều rộng ngõ trước: 9m, ô tô vào", 9.0),
        ("ngõ trước rộng 4,5m", 4.5),
        ("Mặt đường trước mặt: 21,5m.", 21.5),
        ("đường to rộng 8 mét, vỉa hè", 8.0),
        ("+ Đường: 6.5m, vỉa hè 3m", 6.5),
        ("Đường trước đất rộng 11m", 11.0),
        ("cách đường lớn 300m", None),
    ],
)
def test_road_width_phrasings(text: str, want: float | None) -> None:
    assert first(details.find_road_widths(text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("dãy liền kề 4 tầng, 6 tầng tùy căn", 4),
        ("nhà 1 trệt 3 lầu", 4),
    ],
)
def test_floor_alternatives_are_not_added(text: str, want: int) -> None:
    assert first(details.find_floors(text)) == want


@pytest.mark.parametrize(
    ("text", "house", "balcony"),
    [
        ("Hướng: Tây - Nam, đón gió", Direction.SOUTH_WEST, None),
        ("hướng nhà: TB, đường 8m", Direction.NORTH_WEST, None),
        ("Hướng cửa chính và ban công Đông Bắc", Direction.NORTH_EAST, Direction.NORTH_EAST),
        ("ban công hướng Đông - Nam", None, Direction.SOUTH_EAST),
    ],
)
def test_direction_phrasings(text: str, house: Direction | None, balcony: Direction | None) -> None:
    assert first(details.find_house_directions(text)) == house
    assert first(details.find_balcony_directions(text)) == balcony


# ----- phrasing classes of issues 3/4 (bedrooms ... road width); phrases are our own ---------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("nhà phố 4 tầng - 5 p. ngủ - ô tô đỗ cửa", 5),
        ("thiết kế 4p ngủ, 1p thờ", 4),
        ("full nội thất xịn3PN 2WC", 3),
        ("1 phòng xông hơi, 1 phòng spa, 4 phòng ngủ", 4),
        ("nhà có 6 phòng, 4 wc", 6),
        ("Tầng 2, 3: mỗi tầng 2 phòng ngủ khép kín", None),
        ("mã căn B12PN", None),
    ],
)
def test_bedroom_phrasings(text: str, want: int | None) -> None:
    assert first(details.find_bedrooms(text)) == want


def test_bathrooms_per_floor_are_not_a_total() -> None:
    assert details.find_bathrooms("mỗi tầng có 1 WC riêng") == []
    assert first(details.find_bathrooms("5PN, mỗi tầng 1 WC, tổng 6 WC")) == 6


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("xây 2 tầng + 1 tum", 3),
        ("nhà 3 tầng, 1 tum, sân phơi", 4),
        ("biệt thự 3 tầng 4 phòng ngủ", 3),
        ("nhà 6 tầng 1 hầm, thang máy", 6),
        ("kết cấu 1 hầm 1 trệt 2 lầu", 3),
        ("1 tầng hầm + 5 tầng nổi", 6),
        ("Phố Vọng 52m2, 5T, MT 4m", 5),
        ("giá chỉ 5T thương lượng", None),
        ("xe tải 5T vào tận nơi", None),
        ("tầng 2 tầng 3 đều có ban công", None),
        ("1 tòa chung cư (25 tầng)", None),
        ("nhà 1 hầm", None),
    ],
)
def test_floor_phrasings(text: str, want: int | None) -> None:
    assert first(details.find_floors(text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Mặt tiền rộng tới 9m, sân trước", 9.0),
        ("mặt tiền chính 6,2m, hậu 6,5m", 6.2),
        ("Mặt tiền (ngang): 5,25m.", 5.25),
        ("MT = MH = 4,8m, dài 18m", 4.8),
        ("đất 90m² mặt tiền mặt hậu 6m", 6.0),
        ("nhà 60m2 mặt tiền 4,5m", 4.5),
        ("ngang 4m3. Nở hậu", 4.3),
        ("tầng 2 mặt tiền 6m", 6.0),
        ("lô góc hai mặt tiền 8m", None),
        ("mặt tiền Lê Lợi 30m", None),
    ],
)
def test_frontage_phrasings(text: str, want: float | None) -> None:
    assert first(details.find_frontages(text)) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("đường nhựa vào đất 7m.", 7.0),
        ("đường trước cửa rộng 9m!", 9.0),
        ("đường bê tông hiện trạng 4m", 4.0),
        ("Đường trước nhà 2 làn rộng 14m", 14.0),
        ("2 mặt tiền đường nhựa đều 10m", 10.0),
        ("Đường vỉa hè rộng 16m.", 16.0),
        ("hẻm 4m5 xe hơi", 4.5),
        ("bán nhà hẻm 50m2 1 lầu", None),
        ("Mặt phố - vỉa hè 4m", None),
    ],
)
def test_road_width_more_phrasings(text: str, want: float | None) -> None:
    assert first(details.find_road_widths(text)) == want


@pytest.mark.parametrize(
    ("text", "house", "balcony"),
    [
        (
            "Hướng cửa chính và ban công đều là Đông Nam.",
            Direction.SOUTH_EAST,
            Direction.SOUTH_EAST,
        ),
        ("cửa chính và ban công đều hướng Tây", Direction.WEST, Direction.WEST),
        ("căn 2PN, cửa ĐB - BC TN, tầng trung", Direction.NORTH_EAST, Direction.SOUTH_WEST),
        ("ban công Tây Bắc, view hồ", None, Direction.NORTH_WEST),
        ("hẻm 6m, hướng Đông Bắc9 tỷ", Direction.NORTH_EAST, None),
        ("gần chợ Bà Chiểu và Đông Hòa", None, None),
        ("Nhà hướng Nam và ban công hướng Đông", Direction.SOUTH, Direction.EAST),
    ],
)
def test_direction_more_phrasings(
    text: str, house: Direction | None, balcony: Direction | None
) -> None:
    assert first(details.find_house_directions(text)) == house
    assert first(details.find_balcony_directions(text)) == balcony


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("ban công view hướng thẳng Hồ Tây. Hướng nhà: Tây Nam", [Direction.SOUTH_WEST]),
        ("cách Bắc Ninh 10km, nhà hướng Nam", [Direction.SOUTH]),
        ("nhà hướng Tây, gần Tây Hồ", [Direction.WEST]),
    ],
)
def test_a_direction_word_inside_a_place_name_is_not_a_facing(
    text: str, want: list[Direction]
) -> None:
    assert [d.value for d in details.find_house_directions(text)] == want
