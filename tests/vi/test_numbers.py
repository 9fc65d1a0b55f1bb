"""Prices and areas as written on portals and in chat."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ree.vi.numbers import (
    PriceValue,
    find_prices,
    format_price_en,
    format_price_vi,
    parse_area,
    parse_price,
    spoken_digits,
)

B = 1_000_000_000
M = 1_000_000


@pytest.mark.parametrize(
    ("text", "vnd"),
    [
        ("3,75 tỷ", 3_750_000_000),
        ("2,5 tỷ", 2_500_000_000),  # a decimal comma, not 25 tỷ
        ("2.5 tỷ", 2_500_000_000),
        ("12,8 tỷ", 12_800_000_000),
        ("640 triệu", 640 * M),
        ("7t2", 7_200_000_000),
        ("6ty8", 6_800_000_000),
        ("1 tỷ 2", 1_200_000_000),
        ("3 tỷ 150", 3_150_000_000),
        ("5 tỷ 075", 5_075_000_000),
        ("2 tỷ 300 triệu", 2_300_000_000),
        ("4 tỷ rưỡi", 4_500_000_000),
        ("1.950.000.000 đ", 1_950_000_000),
        ("2.350.000.000 VND", 2_350_000_000),
        ("950tr", 950 * M),
        ("2tr7", 2_700_000),
        ("9 củ", 9 * M),
        ("4 tỏi", 4 * B),
        ("6 tỉ", 6 * B),
        ("3.450 tỷ", 3_450_000_000),  # with tỷ a dot is decimal too
        ("1.250tr", 1_250 * M),  # with triệu three digits after a separator are thousands
        ("ba tỷ", 3 * B),
        ("8 billion", 8 * B),
        ("650 million VND", 650 * M),
        ("12M", 12 * M),
        ("500k", 500_000),
        ("tám trăm triệu", 800 * M),  # hundreds spelled out
        ("3 trăm rưỡi triệu", 350 * M),
        ("năm trăm nghìn", 500_000),
        ("hai tỷ mốt", 2_100_000_000),  # a spoken tenth closing the clause
        ("ba mươi lăm triệu", 35 * M),
        ("hai lăm triệu", 25 * M),
        ("2 tỷ chín mươi triệu", 2_090_000_000),
        ("ba tỷ hai trăm", 3_200_000_000),
        ("1 tỏi mốt", 1_100_000_000),
    ],
)
def test_total_prices(text: str, vnd: int) -> None:
    assert parse_price(text) == PriceValue(vnd)


@pytest.mark.parametrize(
    ("text", "vnd"),
    [
        ("18 triệu/tháng", 18 * M),
        ("18tr/tháng", 18 * M),
        ("7,5 triệu một tháng", 7_500_000),
        ("25 million a month", 25 * M),
        ("12tr/th", 12 * M),
    ],
)
def test_monthly_rents(text: str, vnd: int) -> None:
    assert parse_price(text) == PriceValue(vnd, per_month=True)


@pytest.mark.parametrize(
    ("text", "vnd"),
    [("95 triệu/m²", 95 * M), ("62,5 triệu/m2", 62_500_000), ("120tr/m2", 120 * M)],
)
def test_prices_per_square_metre(text: str, vnd: int) -> None:
    assert parse_price(text) == PriceValue(vnd, per_m2=True)


@pytest.mark.parametrize(
    "text",
    [
        "Thỏa thuận",
        "thương lượng",
        "liên hệ",
        "",
        "   ",
        "abc xyz",
        "1200 USD",
        "$950",
        "q7",
        "BẤT ĐỘNG SẢN",
        "bat dong san",
        "haik",
        "tam bn",  # "tầm bao nhiêu": a number word takes a spelled unit, not "bn"
        "gia thue tam bn",
    ],
)
def test_no_price(text: str) -> None:
    assert parse_price(text) is None


@pytest.mark.parametrize(
    "text", ["dưới 200k usd", "$ 300k", "giá 150 nghìn đô", "1 triệu đô la", "2 tỷ dollars"]
)
def test_amounts_in_dollars_are_never_found_as_prices(text: str) -> None:
    assert find_prices(text) == []


def test_that_is_not_a_dollar() -> None:
    assert [m.value.vnd for m in find_prices("giá 3 tỷ đó")] == [3_000_000_000]


def test_a_menu_of_prices_is_read_as_its_first_entry_only_when_asked() -> None:
    found = find_prices("Dưới 500 triệu - Từ 500 - 800 triệu - Từ 1 - 2 tỷ")
    assert [p.value.vnd for p in found][:2] == [500 * M, 800 * M]


def test_bedroom_counts_are_not_price_tails() -> None:
    assert parse_price("căn 3 tỷ 2 phòng ngủ") == PriceValue(3 * B)


@pytest.mark.parametrize(
    ("text", "m2"),
    [
        ("72,5 m²", 72.5),
        ("5.320 m²", 5320.0),  # dot = thousands
        ("4x18", 72.0),
        ("4,5 x 20m", 90.0),
        ("95m2", 95.0),
        ("120 mét vuông", 120.0),
        ("65 sqm", 65.0),
        ("1,5 ha", 15000.0),
        ("300", 300.0),
        # a comma before three digits groups thousands where a decimal would be absurd
        ("my 2,000 m2 warehouse", 2000.0),
        ("diện tích đất: 7,167 m²", 7167.0),
        ("lô 80,100m2", 80.1),  # two plot sizes listed: the first as typed, not 80,100 m²
        ("63,450 m2", 63.45),
        ("đất vườn 0,125 ha", 1250.0),  # a leading 0 is a decimal
        ("1,250 ha", 12500.0),  # hectares keep the decimal comma
    ],
)
def test_areas(text: str, m2: float) -> None:
    assert parse_area(text) == m2


@pytest.mark.parametrize("text", ["", "rộng", "hẻm 6m", "mặt tiền 5m"])
def test_no_area(text: str) -> None:
    assert parse_area(text) is None


@pytest.mark.parametrize(
    ("vnd", "vi", "en"),
    [
        (3_600_000_000, "3,6 tỷ", "3.6 billion VND"),
        (1_000_000_000, "1 tỷ", "1 billion VND"),
        (12_250_000_000, "12,25 tỷ", "12.25 billion VND"),
        (720_000_000, "720 triệu", "720 million VND"),
        (8_500_000, "8,5 triệu", "8.5 million VND"),
    ],
)
def test_formatting(vnd: int, vi: str, en: str) -> None:
    assert format_price_vi(vnd) == vi
    assert format_price_en(vnd) == en


@given(st.text(max_size=80))
def test_parse_price_never_raises(text: str) -> None:
    result = parse_price(text)
    assert result is None or result.vnd >= 0


@given(st.text(alphabet="0123456789.,tỷriệu mxđ/thángTRB ", max_size=30))
def test_parse_price_never_raises_on_price_like_text(text: str) -> None:
    parse_price(text)
    parse_area(text)


@given(st.integers(min_value=1, max_value=200_000).map(lambda n: n * M))
def test_vi_format_round_trips_whole_millions(vnd: int) -> None:
    parsed = parse_price(format_price_vi(vnd))
    assert parsed is not None and parsed.vnd == vnd


@given(st.integers(min_value=100, max_value=99_999).map(lambda n: n * 10_000))
def test_vi_format_round_trips_rents(vnd: int) -> None:
    parsed = parse_price(format_price_vi(vnd))
    assert parsed is not None and parsed.vnd == vnd


@given(st.integers(min_value=1, max_value=200_000).map(lambda n: n * M))
def test_en_format_round_trips(vnd: int) -> None:
    parsed = parse_price(format_price_en(vnd))
    assert parsed is not None and parsed.vnd == vnd


@given(st.integers(min_value=1_000_000, max_value=10**13))
def test_any_amount_formats_close_to_itself(vnd: int) -> None:
    parsed = parse_price(format_price_vi(vnd))
    assert parsed is not None
    assert abs(parsed.vnd - vnd) <= vnd * 0.001


def test_places_are_not_units() -> None:
    assert parse_area("quận 7 hà nội") is None  # not 7 hectares
    assert parse_area("2 ha") == 20_000.0
    assert parse_price("2 củ chi") is None  # Củ Chi, not 2 triệu
    assert parse_price("1 tỷ 2 củ chi") == PriceValue(1_200_000_000)


@pytest.mark.parametrize("text", ["gọi 0912345678", "zalo 0987.654.321 chính chủ", "LH 0903111222"])
def test_phone_numbers_are_not_amounts(text: str) -> None:
    assert find_prices(text) == []


@pytest.mark.parametrize(
    ("text", "vnd"),
    [
        # a following word is no tenth: advice, a year, a place, a count, a night
        ("căn hộ 3 tỷ tư vấn giúp em", 3 * B),
        ("mua nhà 5 tỷ năm ngoái", 5 * B),
        ("3 ty bay gio ban duoc khong", 3 * B),
        ("8 tỷ hai mặt tiền", 8 * B),
        ("3,5 tỷ hai mặt tiền", 3_500_000_000),
        ("căn hộ 10 triệu ba đình", 10 * M),
        ("phòng trọ 500k một đêm", 500_000),
        ("250TR năm", 250 * M),
        # "tầm"/"từ" before a spelled number are no digits
        ("phòng trọ tầm mười triệu", 10 * M),
        ("tam muoi trieu", 10 * M),
        ("mua căn hộ tầm một tỷ", B),
    ],
)
def test_words_after_or_before_an_amount_change_nothing(text: str, vnd: int) -> None:
    assert parse_price(text) == PriceValue(vnd)


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("một trăm hai mươi mét vuông", "120 mét vuông"),
        ("mười lăm triệu một tháng", "15 triệu một tháng"),
        ("bảy mươi lăm", "75"),
        ("ba mươi mốt", "31"),
        ("hai mươi tư", "24"),
        ("một trăm linh năm", "105"),
        ("hai trăm rưỡi", "250"),
        ("hai nghìn hai trăm", "2200"),
        ("một nghìn mét vuông", "1000 mét vuông"),
        ("quận mười một trên mười lăm tỷ", "quận 11 trên 15 tỷ"),
        ("năm nhân hai mươi", "5x20"),
        ("đất 4 nhân 15 ở củ chi", "đất 4x15 ở củ chi"),
        ("hai phẩy năm tỷ", "2,5 tỷ"),
        ("một mét vuông đất", "1 mét vuông đất"),
        ("hai muoi lam m2", "25 m2"),  # typed without marks
        # a price closing in "nghìn" keeps its unit
        ("năm trăm nghìn", "500 nghìn"),
        # lone digit words, other words and sums stay as typed
        ("ba tỷ hai", "ba tỷ hai"),
        ("ba nhân viên", "ba nhân viên"),
        ("gần trạm metro", "gần trạm metro"),
        ("hàng trăm căn", "hàng trăm căn"),
        ("12 nhân 17 bằng mấy", "12 nhân 17 bằng mấy"),
        # "năm" said last is a year ("lăm" is five); "m2" is no number to multiply
        ("sở hữu năm mươi năm", "sở hữu 50 năm"),
        ("vay hai mươi năm", "vay 20 năm"),
        ("giá 50 triệu/m2 nhân 80m2", "giá 50 triệu/m2 nhân 80m2"),
        # unaccented "tam"/"tu" opening a number are "tầm"/"từ"
        ("tam muoi trieu", "tam 10 trieu"),
        # a spoken "mét" of a home, with no length word near, is m²
        ("căn hộ tầm năm mươi mét", "căn hộ tầm 50 m2"),
        ("tầm năm mươi mét", "tầm 50 mét"),
        ("mặt tiền mười hai mét", "mặt tiền 12 mét"),
        ("năm nhân hai mươi hai tầng", "5x20 hai tầng"),
        ("sáu chục mét vuông", "60 mét vuông"),
        # "không trăm" holds the hundreds' place of what follows a billion
        ("ba tỷ không trăm tám chục triệu", "ba tỷ 80 triệu"),
        ("một tỷ không trăm linh hai triệu", "một tỷ 2 triệu"),
        ("số không trăm", "số không trăm"),
        # two digit words joined by "đến"/"tới" before a count or an amount are a range
        ("tìm nhà từ bốn tới năm phòng ngủ", "tìm nhà từ 4 đến 5 phòng ngủ"),
        ("khoảng sáu đến bảy tỷ", "khoảng 6 đến 7 tỷ"),
        ("từ bảy đến chín giờ", "từ bảy đến chín giờ"),
        ("năm đến hai tầng", "năm đến hai tầng"),
    ],
)
def test_numbers_said_in_words_are_written_in_digits(said: str, written: str) -> None:
    assert spoken_digits(said) == written
