"""Named wards, communes and townships of Hà Nội and Hồ Chí Minh (2021 - June 2025)."""

from __future__ import annotations

import pytest

from ree.chat.understand import understand
from ree.vi.gazetteer import Place, gazetteer
from ree.vi.text import normalize
from ree.vi.vocab import data_file

SUBURBS_HN = (
    "Sơn Tây", "Ba Vì", "Chương Mỹ", "Đan Phượng", "Đông Anh", "Gia Lâm", "Hoài Đức",
    "Mê Linh", "Mỹ Đức", "Phú Xuyên", "Phúc Thọ", "Quốc Oai", "Sóc Sơn", "Thạch Thất",
    "Thanh Oai", "Thanh Trì", "Thường Tín", "Ứng Hòa",
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "district", "ward"),
    [
        ("đất xã Minh Phú Sóc Sơn", "Sóc Sơn", "Minh Phú"),
        ("nhà thị trấn Văn Điển", "Thanh Trì", "Văn Điển"),
        ("bán nhà xã Tân Hội", "Đan Phượng", "Tân Hội"),
        ("đất nền TT Xuân Mai", "Chương Mỹ", "Xuân Mai"),
        ("đất thổ cư thị trấn Chúc Sơn", "Chương Mỹ", "Chúc Sơn"),
        ("biệt thự xã An Thượng, Hoài Đức", "Hoài Đức", "An Thượng"),
        ("đất xã Vân Nội", "Đông Anh", "Vân Nội"),
        ("xa tien duong dong anh", "Đông Anh", "Tiên Dương"),  # typed without diacritics
        ("nhà phường Trung Hưng, thị xã Sơn Tây", "Sơn Tây", "Trung Hưng"),
        ("đất thị trấn Tây Đằng", "Ba Vì", "Tây Đằng"),
        ("xã Phú Cát, Quốc Oai", "Quốc Oai", "Phú Cát"),
        ("xã Phượng Cách, Quốc Oai", "Quốc Oai", "Phượng Cách"),  # merged away on 1/1/2025
        ("xã Phượng Sơn", "Quốc Oai", "Phượng Sơn"),  # formed on 1/1/2025
        ("nhà thị trấn Vân Đình", "Ứng Hòa", "Vân Đình"),
        ("x. Tiền Phong, Mê Linh", "Mê Linh", "Tiền Phong"),
        ("phường Văn Miếu Quốc Tử Giám", "Đống Đa", "Văn Miếu - Quốc Tử Giám"),
        ("nhà riêng xã Nhuận Đức Củ Chi", "Củ Chi", "Nhuận Đức"),
        ("phường Rạch Ông quận 8", "Quận 8", "Rạch Ông"),
    ],
)
def test_a_named_ward_brings_its_district(text: str, district: str, ward: str) -> None:
    first = gazetteer().find_places(text)[0]
    assert (first.district, first.ward) == (district, ward)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a commune name is only read after "xã"/"phường"/"thị trấn" (or x., p., tt)
        ("bán nhà Minh Phú giá rẻ", []),
        # ordinary words after "tt" (thanh toán, thủ tục) are not communes
        ("ánh sáng tự nhiên, tt hợp đồng 30%", []),
        ("hỗ trợ tt liên quan", []),
        # a township named like its district is left out: the district alone is read
        ("thị trấn Củ Chi", [Place("Hồ Chí Minh", "Củ Chi")]),
        ("tt Sóc Sơn", [Place("Hà Nội", "Sóc Sơn")]),
        # "P." before a street is not the township Phùng
        ("P. Phùng Hưng, Hoàn Kiếm", [Place("Hà Nội", "Hoàn Kiếm")]),
        # the same ward name elsewhere keeps its own district
        ("Phường Tân Tiến, Biên Hòa", [Place("Đồng Nai", "Biên Hòa")]),
        (
            "Phường Xuân Khánh, Ninh Kiều",
            [Place("Cần Thơ", "Ninh Kiều", "Xuân Khánh"), Place("Cần Thơ", "Ninh Kiều")],
        ),
        (
            "(P. Tam Hiệp) Biên Hòa",
            [Place("Đồng Nai", "Biên Hòa", "Tam Hiệp"), Place("Đồng Nai", "Biên Hòa")],
        ),
        ("nhà cư xá Thanh Đa", []),
    ],
)
def test_no_false_ward(text: str, expected: list[Place]) -> None:
    assert gazetteer().find_places(text) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Xã Vân Nội, Huyện Đông Anh, Hà Nội", Place("Hà Nội", "Đông Anh", "Vân Nội")),
        ("Thị trấn Xuân Mai, Chương Mỹ, Hà Nội", Place("Hà Nội", "Chương Mỹ", "Xuân Mai")),
        ("Tân Triều, Hà Nội", Place("Hà Nội", "Thanh Trì", "Tân Triều")),  # ward gives district
    ],
)
def test_parse_address_with_a_commune(address: str, expected: Place) -> None:
    assert gazetteer().parse_address(address) == expected


@pytest.mark.parametrize(
    ("message", "district", "ward"),
    [
        ("mua đất xã Minh Phú Sóc Sơn dưới 2 tỷ", "Sóc Sơn", "Minh Phú"),
        ("nhà thị trấn Văn Điển 3 tỷ", "Thanh Trì", "Văn Điển"),
        ("đất nền thị trấn Trạm Trôi", "Hoài Đức", "Trạm Trôi"),
    ],
)
def test_understand_reads_the_commune(message: str, district: str, ward: str) -> None:
    f = understand(message).filters
    assert (f.province, f.districts, f.wards) == ("Hà Nội", [district], [ward])


def test_every_suburban_district_lists_its_communes() -> None:
    provinces = data_file("districts.json")["provinces"]
    for name in SUBURBS_HN:
        wards = provinces["Hà Nội"][name]["wards"]
        assert len(wards) >= 9, name
        assert len(set(wards)) == len(wards), name
        assert all(normalize(w) == w and w != name for w in wards), name
    assert {"Nhuận Đức", "Phú Hòa Đông", "Trung Lập Thượng"} <= set(
        provinces["Hồ Chí Minh"]["Củ Chi"]["wards"]
    )


def test_ward_district_lookup() -> None:
    g = gazetteer()
    assert g.ward_district("Tân Triều") == ("Hà Nội", "Thanh Trì")
    assert g.ward_district("Tiền Phong", province="Hà Nội") == ("Hà Nội", "Mê Linh")
    assert g.ward_district("Phú Hòa Đông") == ("Hồ Chí Minh", "Củ Chi")
    assert g.ward_district("Minh Khai", "Hoài Đức") == ("Hà Nội", "Hoài Đức")
