"""Loaders: JSON Lines round trips and rejects, and the three portal CSV layouts.

The CSV rows here are invented for the tests (same columns as the portals, made-up values).
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ree.errors import InvalidInput, NotFound
from ree.ingest.demo import generate
from ree.ingest.jsonl import write_jsonl
from ree.ingest.loaders import MAX_REPORTED, LoadReport, listing_files, read_listings
from ree.models import Direction, Feature, Furnishing, LegalStatus, PropertyType, Transaction

from .conftest import NOW


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})
    return path


# ----- JSON Lines ------------------------------------------------------------------------


def test_jsonl_round_trip(tmp_path: Path) -> None:
    listings = list(generate(40, seed=4, now=NOW))
    path = tmp_path / "out" / "demo.jsonl"
    assert write_jsonl(listings, path) == 40
    report = LoadReport()
    loaded = list(read_listings(path, report))
    assert loaded == listings
    assert (report.read, report.loaded, report.rejected_count) == (40, 40, 0)
    assert report.formats == {"jsonl": 1}
    assert not (tmp_path / "out" / "demo.jsonl.part").exists()


def test_bad_jsonl_lines_are_reported_with_their_line_numbers(tmp_path: Path) -> None:
    good = [x.model_dump_json() for x in generate(3, seed=8, now=NOW)]
    negative = re.sub(r'"price_vnd":\d+', '"price_vnd":-5', good[0])
    lines = [good[0], "{not json", "", good[1], negative, good[2]]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen: list[tuple[str, str]] = []
    report = LoadReport()
    loaded = list(read_listings(path, report, on_reject=lambda w, m: seen.append((w, m))))
    assert [x.id for x in loaded] == ["demo:8-0", "demo:8-1", "demo:8-2"]
    assert report.read == 5 and report.loaded == 3 and report.rejected_count == 2
    wheres = [w for w, _ in report.rejected]
    assert wheres == ["mixed.jsonl:line 2", "mixed.jsonl:line 5"]
    assert "price_vnd" in report.rejected[1][1]
    assert seen == report.rejected


def test_rejections_are_all_counted_but_only_some_kept(tmp_path: Path) -> None:
    path = tmp_path / "junk.ndjson"
    path.write_text("{}\n" * (MAX_REPORTED + 20), encoding="utf-8")
    report = LoadReport()
    assert list(read_listings(path, report)) == []
    assert report.rejected_count == MAX_REPORTED + 20
    assert len(report.rejected) == MAX_REPORTED


def test_a_file_starting_with_a_brace_is_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "listings.txt"
    write_jsonl(generate(2, seed=1, now=NOW), path)
    assert len(list(read_listings(path))) == 2


def test_unknown_and_missing_files(tmp_path: Path) -> None:
    odd = _write_csv(tmp_path / "odd.csv", ["a", "b"], [{"a": "1", "b": "2"}])
    with pytest.raises(InvalidInput):
        list(read_listings(odd))
    with pytest.raises(NotFound):
        list(read_listings(tmp_path / "absent.jsonl"))
    with pytest.raises(NotFound):
        listing_files(tmp_path / "absent")


def test_listing_files_of_a_directory(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.jsonl", "sub/a.csv", "c.ndjson", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    names = [p.relative_to(tmp_path).as_posix() for p in listing_files(tmp_path)]
    assert names == ["b.jsonl", "c.ndjson", "sub/a.csv"]


# ----- batdongsan.vn ---------------------------------------------------------------------

BDSVN_HEADER = [
    "listing_id", "url", "title", "price", "price_realigned", "area_m2", "bedrooms", "wc",
    "address", "description", "source_file",
]  # fmt: skip


def test_batdongsanvn_rows(tmp_path: Path) -> None:
    rows = [
        {
            "listing_id": "901",
            "url": "https://example.test/ban-nha-901",
            "title": "Bán nhà hẻm xe hơi Gò Vấp 52m2, 3 tầng, giá 6.2 tỷ",
            "price": "6.2 tỷ",
            "area_m2": "52.0",
            "bedrooms": "4.0",
            "wc": "3.0",
            "address": "Gò Vấp, Hồ Chí Minh",
            "description": "Nhà mới.\nHẻm xe hơi, gần trường học.",
            "source_file": "next_1000_19062024.csv",
        },
        {
            "listing_id": "902",
            "title": "Bán biệt thự Quận 7 giá tốt",
            "price": "Thỏa thuận",
            "area_m2": "na",
            "bedrooms": "nan",
            "address": "na",
        },
        {
            "listing_id": "903",
            "title": "Bán nhà Cầu Giấy 40m2 5 tầng",
            "price": "4500000 tỷ",
            "area_m2": "40",
        },
        {"listing_id": "904", "title": "Nhà đẹp", "price": "Giá bán\nDưới 1 triệu\nTừ 1 - 2"},
        {"listing_id": "905", "title": "Cho thuê nhà nguyên căn Tân Bình", "price": "18 triệu"},
        {"listing_id": "", "title": "Bán nhà Hà Đông 35m2", "price": "3 tỷ", "area_m2": "35"},
    ]
    path = _write_csv(tmp_path / "bdsvn.csv", BDSVN_HEADER, rows)
    report = LoadReport()
    got = {x.id: x for x in read_listings(path, report)}
    assert report.formats == {"batdongsanvn": 1} and report.rejected_count == 0
    a = got["batdongsanvn:901"]
    assert (a.source, a.transaction, a.property_type) == ("batdongsanvn", "sale", "house")
    assert (a.price_vnd, a.area_m2, a.bedrooms, a.bathrooms) == (6_200_000_000, 52.0, 4, 3)
    assert a.price_per_m2_vnd == round(6_200_000_000 / 52)
    assert (a.district, a.province) == ("Gò Vấp", "Hồ Chí Minh")
    assert {Feature.CAR_ALLEY, Feature.NEAR_SCHOOL} <= set(a.features)
    assert a.description == "Nhà mới.\nHẻm xe hơi, gần trường học."
    assert a.crawled_at == datetime(2024, 6, 18, 17, 0, tzinfo=UTC)
    b = got["batdongsanvn:902"]
    assert b.property_type is PropertyType.VILLA
    assert (b.price_vnd, b.area_m2, b.bedrooms, b.address) == (None, None, None, None)
    assert (b.district, b.province) == ("Quận 7", "Hồ Chí Minh")  # from the title
    assert got["batdongsanvn:903"].price_vnd == 4_500_000_000  # unit repaired
    assert got["batdongsanvn:904"].price_vnd is None  # a menu, not a price
    rent = got["batdongsanvn:905"]
    assert rent.transaction is Transaction.RENT and rent.price_vnd == 18_000_000
    assert rent.price_per_m2_vnd is None
    no_id = [x for x in got.values() if x.id.startswith("batdongsanvn:sha1-")]
    assert len(no_id) == 1 and no_id[0].price_vnd == 3_000_000_000
    assert report.fixes["price_unit_repaired"] == 1
    assert report.fixes["price_not_a_price"] == 1
    assert report.fixes["rent_in_sale_file"] == 1
    assert report.fixes["id_from_content"] == 1


# ----- batdongsan.com.vn 2025 ------------------------------------------------------------

BDSCOM_HEADER = [
    "product_id", "url", "property_type_slug", "list_location", "title", "description",
    "price", "area", "price_per_m2", "address", "coordinates", "bedroom", "bathroom",
    "house_direction", "balcony_direction", "legal_status", "interior", "facade_width",
    "road_width", "floor_count", "source_file",
]  # fmt: skip


def test_bdscomvn_rows(tmp_path: Path) -> None:
    rows = [
        {
            "product_id": "7001",
            "url": "https://example.test/ban-can-ho-chung-cu-phuong-tan-phong/x",
            "property_type_slug": "ban-can-ho-chung-cu",
            "list_location": "Quận 7, Hồ Chí Minh",
            "title": "Bán căn hộ 2PN 70m2 có hồ bơi, giá 3,95 tỷ",
            "description": "Căn hộ view sông, full nội thất.",
            "price": "3,95 tỷ",
            "area": "70,5 m²",
            "price_per_m2": "~56,03 triệu/m²",
            "address": "Đường Nguyễn Văn Linh, Phường Tân Phong, Quận 7, Hồ Chí Minh",
            "coordinates": "10.73,106.70",
            "bedroom": "2 phòng",
            "bathroom": "2 phòng",
            "house_direction": "Đông - Nam",
            "balcony_direction": "Tây - Bắc",
            "legal_status": "Hợp đồng mua bán",
            "interior": "Đầy đủ",
            "source_file": "house_detail_test_20250504_152601.csv",
        },
        {
            "product_id": "7002",
            "property_type_slug": "ban-dat",
            "title": "Bán lô đất Hoài Đức",
            "price": "40 triệu/m²",
            "area": "1.200 m²",
            "price_per_m2": "~48 tỷ",
            "address": "Xã Vân Canh, Hoài Đức, Hà Nội",
            "legal_status": "Sổ đỏ",
        },
        {
            "product_id": "7003",
            "property_type_slug": "ban-nha-mat-pho",
            "title": "Bán nhà phố Đống Đa",
            "price": "Thỏa thuận",
            "area": "60 m²",
            "address": "Đống Đa, Hà Nội",
            "coordinates": "1,1",
            "facade_width": "4,5 m",
            "road_width": "12 m",
            "floor_count": "5 tầng",
        },
    ]
    path = _write_csv(tmp_path / "bdscom.csv", BDSCOM_HEADER, rows)
    report = LoadReport()
    got = {x.id: x for x in read_listings(path, report)}
    assert report.formats == {"bdscomvn": 1} and report.rejected_count == 0
    a = got["bdscomvn:7001"]
    assert (a.property_type, a.transaction) == (PropertyType.APARTMENT, Transaction.SALE)
    assert (a.price_vnd, a.area_m2, a.price_per_m2_vnd) == (3_950_000_000, 70.5, 56_030_000)
    assert (a.bedrooms, a.bathrooms) == (2, 2)
    assert (a.direction, a.balcony_direction) == (Direction.SOUTH_EAST, Direction.NORTH_WEST)
    assert (a.legal_status, a.furnishing) == (LegalStatus.SALE_CONTRACT, Furnishing.FULL)
    assert (a.province, a.district, a.ward) == ("Hồ Chí Minh", "Quận 7", "Tân Phong")
    assert (a.lat, a.lon) == (10.73, 106.70)
    assert {Feature.POOL, Feature.RIVER_VIEW, Feature.FURNISHED} <= set(a.features)
    assert a.crawled_at == datetime(2025, 5, 4, 8, 26, 1, tzinfo=UTC)
    land = got["bdscomvn:7002"]  # price and price-per-m² cells swapped back
    assert land.property_type is PropertyType.LAND
    assert (land.price_vnd, land.price_per_m2_vnd, land.area_m2) == (48 * 10**9, 40 * 10**6, 1200)
    assert (land.district, land.province, land.legal_status) == ("Hoài Đức", "Hà Nội", "red_book")
    town = got["bdscomvn:7003"]
    assert town.property_type is PropertyType.TOWNHOUSE
    assert Feature.STREET_FRONT in town.features
    assert (town.frontage_m, town.road_width_m, town.floors) == (4.5, 12.0, 5)
    assert town.price_vnd is None and town.lat is None  # "1,1" is not in Vietnam
    assert report.fixes["swapped_price"] == 1


# ----- batdongsan.com.vn HCM 2023 --------------------------------------------------------

HCM_HEADER = [
    "area", "price", "facade", "entrance_wid", "floors", "direction_home", "direction_bal",
    "bedroom", "toilet", "status_doc", "furniture", "date_post", "date_exp", "intent",
    "pageType", "productId", "projectId", "vipType", "verified", "expired", "cateId",
    "cityCode", "districtId", "wardId", "streetId", "pageId", "createByUser", "productType",
    "url", "district_slug", "property_type_slug", "title_slug",
]  # fmt: skip


def test_bdscomvn_hcm_rows(tmp_path: Path) -> None:
    rows = [
        {
            "area": "100 m²",
            "price": "57 triệu/m²",
            "facade": "5 m",
            "entrance_wid": "8 m",
            "floors": "4 tầng",
            "direction_home": "Tây - Nam",
            "bedroom": "4 phòng",
            "toilet": "4 phòng",
            "status_doc": "Sổ hồng riêng.",
            "furniture": "Cơ bản",
            "date_post": "03/11/2023",
            "intent": "Sale",
            "productId": "5501",
            "cityCode": "SG",
            "url": "https://example.test/nha-dat-ban-go-vap/x",
            "district_slug": "go-vap",
            "property_type_slug": "ban-nha-rieng",
            "title_slug": "-ban-nha-hem-xe-hoi-4-tang-go-vap",
        },
        {
            "area": "7.748 m²",
            "price": "9,5 tỷ",
            "productId": "5502",
            "cityCode": "SG",
            "district_slug": "cu-chi",
            "property_type_slug": "ban-dat",
            "title_slug": "",
        },
    ]
    path = _write_csv(tmp_path / "hcm.csv", HCM_HEADER, rows)
    report = LoadReport()
    got = {x.id: x for x in read_listings(path, report)}
    assert report.formats == {"bdscomvn-hcm": 1} and report.rejected_count == 0
    a = got["bdscomvn:5501"]
    assert a.title == "Ban nha hem xe hoi 4 tang go vap" and a.description == ""
    assert (a.property_type, a.district, a.province) == ("house", "Gò Vấp", "Hồ Chí Minh")
    assert (a.price_vnd, a.price_per_m2_vnd, a.area_m2) == (5_700_000_000, 57_000_000, 100)
    assert (a.floors, a.bedrooms, a.bathrooms, a.frontage_m, a.road_width_m) == (4, 4, 4, 5, 8)
    assert (a.direction, a.legal_status) == (Direction.SOUTH_WEST, LegalStatus.PINK_BOOK)
    assert a.furnishing is Furnishing.BASIC
    assert a.posted_at == datetime(2023, 11, 2, 17, 0, tzinfo=UTC)
    land = got["bdscomvn:5502"]
    assert land.area_m2 == 7748 and land.district == "Củ Chi"
    assert land.title  # built from type and place when the slug is empty
    assert report.fixes["price_per_m2_to_total"] == 1
