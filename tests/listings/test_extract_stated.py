"""Which of several stated values the extractor takes (`ree.listings.extract`, `ree.vi.details`).

Invented listings, one rule each: the written area after "W x L", a floor area in the title
against the land area below, widths and distances that are no area, money that is no
asking price, a road's width after its name, and facings refined or joined by "về".
"""

from __future__ import annotations

from typing import Any

import pytest

from ree.listings.extract import AttributeExtractor, RawListing
from ree.models import Direction
from ree.vi.details import find_house_directions, find_road_widths

EXTRACTOR = AttributeExtractor()


def _get(title: str, description: str = "", field: str = "area_m2") -> Any:
    raw = RawListing(title=title, description=description)
    return getattr(EXTRACTOR.run(raw).listing, field)


@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        # the area written after the sides is the exact one
        ("Bán nhà Gò Vấp, DT: 5 x 16m (79m2), 3 tầng", "", 79.0),
        ("Bán đất Thủ Đức", "Diện tích: 6,2 x 20m = 121m², sổ riêng.", 121.0),
        ("Bán nhà hẻm 4.2 x 18m giá 7 tỷ", "Diện tích 4.2 x 18m công nhận 74m2, 2 lầu.", 74.0),
        # a title giving only the floor area yields to a cued land area below
        ("Bán nhà DTSD 210m2 gần chợ", "Nhà mới, diện tích đất 70m², 3PN.", 70.0),
        ("Bán nhà DTSD 210m2 gần chợ", "Nhà mới gần trường 65m² giá tốt.", 210.0),
        (
            "Bán shophouse diện tích sử dụng 300m2, 4 tầng",
            "Diện tích lô đất 90m², đường 20m.",
            90.0,
        ),
        ("Biệt thự 260m2 sàn, giá 18 tỷ", "Diện tích sổ đỏ 110m², xây 4 tầng.", 110.0),
        ("Bán 900m2 sàn văn phòng hạng A", "", 900.0),
        # "33m x 5 tầng" is an area of five storeys
        ("Bán nhà Kim Mã", "Diện tích: 38m x 5 tầng, ngõ ba gác.", 38.0),
        # not the property's area: an industrial park, a room, a side mistyped as m²
        ("Bán lô 1500m2 sổ riêng gần KCN 250ha", "", 1500.0),
        ("Nhà 12 phòng, mỗi phòng hơn 25m² cho thuê", "Diện tích: 130m², ngõ ô tô.", 130.0),
        ("Bán nhà DTSD: 96m2 - dài 14m2 - 1 tầng", "Nhà nở hậu, dt: 48m, dtsd: 96m.", 48.0),
        ("Cần bán nhà", "Nhà rộng rãi, diện tích rộng 95m², 2 tầng.", 95.0),
        # a title's metres after a property word, widths set aside
        ("Bán LK 75m, 5 tầng, thang máy", "", 75.0),
        ("Bán nhà phố ô tô tránh KD 64 m, MT 6 m giá 21 tỷ", "", 64.0),
        ("Bán căn hộ cao cấp Quận 7 118m, 3PN", "", 118.0),
        ("Bán đất 88,5m mặt đường, cách chợ 400m", "", 88.5),
    ],
)
def test_area(title: str, description: str, want: float) -> None:
    assert _get(title, description) == pytest.approx(want)


@pytest.mark.parametrize(
    ("title", "description", "want"),
    [
        # commission, rent per month or year, and "hạ 2 tỷ" are no asking price
        ("Nhà hẻm xe hơi Phú Nhuận, hoa hồng 50 triệu", "Giá: 6,4 tỷ thương lượng.", 6_400_000_000),
        ("Nhà dòng tiền 70tr/thg, 5 tầng", "Giá bán 19 tỷ.", 19_000_000_000),
        ("Tòa nhà dòng tiền 2 tỷ/năm", "Giá 41 tỷ có thương lượng.", 41_000_000_000),
        ("Mặt phố hạ 3 tỷ - giá 27 tỷ", "", 27_000_000_000),
        ("Bán đất 1,2 ha 3 tỷ", "", 3_000_000_000),
        ("Nhà rẻ hơn thị trường 400 triệu", "Nhà 3 tầng, 5,2 tỷ.", 5_200_000_000),
        # "110m" in a title is metres
        ("Nhà mặt phố 110m, 3 tầng, mặt tiền 5m, 12,5 tỷ", "", 12_500_000_000),
        # a rough title price refined by "giá đầu tư" below
        ("Đất gần biển giá nhỉnh 8 tỷ", "Giá đầu tư: 8,6 tỷ.", 8_600_000_000),
    ],
)
def test_price(title: str, description: str, want: int) -> None:
    assert _get(title, description, "price_vnd") == want


def test_price_per_m2_written_with_currency() -> None:
    got = _get("Bán đất 120m2 Hoài Đức", "Giá 80 triệu vnđ/m², sổ đỏ.", "price_vnd")
    assert got == 9_600_000_000


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Vị trí: đường Lê Văn Lương rộng 24m, gần chợ.", [24.0]),
        ("Lộ giới Hùng Vương 36m, đất thổ cư.", [36.0]),
        ("Đường mặt tiền rộng 15m, kinh doanh tốt.", [15.0]),
        ("Đường ven sông mở rộng 40m sắp thi công.", []),  # widening, not the width
        ("Đường quy hoạch rộng 30m.", []),  # a plan, not today's road
        ("Đường nội khu 10-12m, vỉa hè rộng.", []),  # a range: no single width
        ("Nhà rộng 5m, đường 8m.", [8.0]),
    ],
)
def test_road_width(text: str, want: list[float]) -> None:
    assert [d.value for d in find_road_widths(text)] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Nhà hướng Bắc - Đông Bắc, mát mẻ.", Direction.NORTH_EAST),
        ("Đất hướng Nam - Tây Nam.", Direction.SOUTH_WEST),
        ("Hướng cửa chính và ban công đều về Tây, đón gió.", Direction.WEST),
        ("Hướng Đông Nam, view hồ.", Direction.SOUTH_EAST),
    ],
)
def test_house_direction(text: str, want: Direction) -> None:
    assert [d.value for d in find_house_directions(text)][:1] == [want]
