"""Provinces, districts, wards, projects, landmarks and addresses."""

from __future__ import annotations

import pytest

from ree.vi.gazetteer import Place, gazetteer


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("HCM", "Hồ Chí Minh"),
        ("tp.hcm", "Hồ Chí Minh"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Sài Gòn", "Hồ Chí Minh"),
        ("sai gon", "Hồ Chí Minh"),
        ("ho chi minh", "Hồ Chí Minh"),
        ("HN", "Hà Nội"),
        ("Hanoi", "Hà Nội"),
        ("Thành phố Đà Nẵng", "Đà Nẵng"),
        ("Tỉnh Bình Dương", "Bình Dương"),
        ("Bà Rịa Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Khánh Hoà", "Khánh Hòa"),  # old-style tone placement
        ("Đồng Naii", "Đồng Nai"),  # a typo
        ("Narnia", None),
        ("", None),
    ],
)
def test_canonical_province(name: str, expected: str | None) -> None:
    assert gazetteer().canonical_province(name) == expected


@pytest.mark.parametrize(
    ("name", "province", "expected"),
    [
        ("Q1", None, "Quận 1"),
        ("q.10", None, "Quận 10"),
        ("quận nhất", None, "Quận 1"),
        ("quận mười hai", None, "Quận 12"),
        ("District 4", None, "Quận 4"),
        ("D7", None, "Quận 7"),
        ("qận 3", None, "Quận 3"),
        ("Quận Bình Thạnh", None, "Bình Thạnh"),
        ("huyen nha be", None, "Nhà Bè"),
        ("TP Thủ Đức", None, "Thủ Đức"),
        ("Quận 2", None, "Quận 2"),  # a former district stays as typed
        ("Tân Phú", "Đồng Nai", "Tân Phú"),
        ("Q1", "Hà Nội", None),
        ("Thanh Xuan", None, "Thanh Xuân"),
        ("Bình Thanh", "Hồ Chí Minh", "Bình Thạnh"),  # missing tone mark
        ("Hoàng Maii", "Hà Nội", "Hoàng Mai"),  # a typo, by fuzzy match
    ],
)
def test_canonical_district(name: str, province: str | None, expected: str | None) -> None:
    assert gazetteer().canonical_district(name, province) == expected


def test_province_of_and_districts_of() -> None:
    g = gazetteer()
    assert g.province_of("Cầu Giấy") == "Hà Nội"
    assert g.province_of("Ninh Kiều") == "Cần Thơ"
    assert g.province_of("Tân Phú") == "Hồ Chí Minh"  # the HCM district wins a shared name
    hcm = g.districts_of("Hồ Chí Minh")
    assert {"Quận 1", "Quận 12", "Thủ Đức", "Cần Giờ", "Bình Tân"} <= set(hcm)
    assert len(g.districts_of("Hà Nội")) == 30
    assert len(g.districts_of("Đà Nẵng")) == 7
    assert g.districts_of("Atlantis") == []


def test_2025_reorganisation() -> None:
    g = gazetteer()
    assert len(g.provinces()) == 63
    assert len(g.provinces_2025()) == 34
    assert g.new_province("Bình Dương") == "Hồ Chí Minh"
    assert g.new_province("Hải Dương") == "Hải Phòng"
    assert g.new_province("Hà Nội") == "Hà Nội"
    assert {g.new_province(p) for p in g.provinces()} == set(g.provinces_2025())
    assert g.parent_district("Quận 9") == "Thủ Đức"
    assert g.parent_district("Quận 7") == "Quận 7"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (
            "Dự án Sala, Đường Mai Chí Thọ, Phường An Lợi Đông, Quận 2, Hồ Chí Minh",
            Place("Hồ Chí Minh", "Quận 2", "An Lợi Đông", "Sala Đại Quang Minh", "Mai Chí Thọ"),
        ),
        ("Phường 7, Quận Gò Vấp", Place("Hồ Chí Minh", "Gò Vấp", "Phường 7")),
        ("P.12, Q.Tân Bình, TP.HCM", Place("Hồ Chí Minh", "Tân Bình", "Phường 12")),
        ("Phường 3, Tân Bình, Hồ Chí Minh", Place("Hồ Chí Minh", "Tân Bình", "Phường 3")),
        (
            "Đường Trần Phú, Phường Mộ Lao, Hà Đông, Hà Nội",
            Place("Hà Nội", "Hà Đông", "Mộ Lao", None, "Trần Phú"),
        ),
        ("Xã Tân Hội, Đan Phượng, Hà Nội", Place("Hà Nội", "Đan Phượng", "Tân Hội")),
        ("Phường Bến Nghé, Thành phố Hồ Chí Minh", Place("Hồ Chí Minh", "Quận 1", "Bến Nghé")),
        ("Quận 9, Hồ Chí Minh", Place("Hồ Chí Minh", "Quận 9")),
        (
            "Hẻm 12 Lê Văn Sỹ, Phường 13, Quận 3, Hồ Chí Minh",
            Place("Hồ Chí Minh", "Quận 3", "Phường 13", None, "Lê Văn Sỹ"),
        ),
        ("Hà Nội.", Place("Hà Nội")),
        ("Quận Long Biên Hà Nội", Place("Hà Nội", "Long Biên")),
        ("", Place(None)),
    ],
)
def test_parse_address(address: str, expected: Place) -> None:
    assert gazetteer().parse_address(address) == expected


def test_unknown_district_is_kept_as_written() -> None:
    place = gazetteer().parse_address("Xã Phú Cát, Quốc Oai, Hà Nội")
    assert place == Place("Hà Nội", "Quốc Oai", "Phú Cát")
    far = gazetteer().parse_address("Phường Vĩnh Hải, Nha Trang, Khánh Hòa")
    assert far == Place("Khánh Hòa", "Nha Trang", "Vĩnh Hải")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("căn hộ q.4 giá tốt", [Place("Hồ Chí Minh", "Quận 4")]),
        ("nhà quan tan binh", [Place("Hồ Chí Minh", "Tân Bình")]),
        ("villa in Thao Dien", [Place("Hồ Chí Minh", "Thủ Đức", "Thảo Điền")]),
        ("gần Phú Mỹ Hưng", [Place("Hồ Chí Minh", "Quận 7")]),
        ("gần sân bay Tân Sơn Nhất", [Place("Hồ Chí Minh", "Tân Bình")]),
        ("view Hồ Tây", [Place("Hà Nội", "Tây Hồ")]),
        ("căn hộ Times City", [Place("Hà Nội", "Hai Bà Trưng", None, "Times City")]),
        (
            "shophouse vinhomes ocean park",
            [Place("Hà Nội", "Gia Lâm", None, "Vinhomes Ocean Park")],
        ),
        ("đường Xa lộ Hà Nội", [Place(None, None, None, None, "Xa lộ Hà Nội")]),
        ("nhà tân phú đồng nai", [Place("Đồng Nai", "Tân Phú"), Place("Đồng Nai")]),
        ("quận bình thạnhh", [Place("Hồ Chí Minh", "Bình Thạnh")]),
    ],
)
def test_find_places(text: str, expected: list[Place]) -> None:
    assert gazetteer().find_places(text) == expected


def test_there_are_many_projects_with_known_districts() -> None:
    g = gazetteer()
    for name in (
        "Vinhomes Grand Park",
        "Landmark 81",
        "Masteri Thảo Điền",
        "Royal City",
        "Ecopark",
    ):
        found = g.project(name)
        assert found is not None and found[1] is not None
    assert g.project("VGP") == ("Vinhomes Grand Park", "Thủ Đức", "Hồ Chí Minh")
    assert len(g._t.projects) >= 150


def test_the_gazetteer_is_a_singleton() -> None:
    assert gazetteer() is gazetteer()
