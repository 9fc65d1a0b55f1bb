"""The demo generator: deterministic, valid, coherent, and its text states its fields."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import timedelta

import pytest

from ree.ingest.demo import generate
from ree.ingest.demo_text import TEMPLATES
from ree.ingest.market import market_table
from ree.models import Listing, PropertyType, Transaction
from ree.vi.gazetteer import gazetteer
from ree.vi.numbers import find_areas, find_prices
from ree.vi.vocab import find_features, parse_furnishing, parse_legal_status, parse_property_type

from .conftest import NOW


def _dump(listings: list[Listing]) -> list[dict[str, object]]:
    return [x.model_dump(mode="json") for x in listings]


def test_same_seed_and_clock_give_identical_listings() -> None:
    first = _dump(list(generate(300, seed=5, now=NOW)))
    again = _dump(list(generate(300, seed=5, now=NOW)))
    assert first == again


def test_different_seeds_differ() -> None:
    a = [x.title for x in generate(100, seed=1, now=NOW)]
    b = [x.title for x in generate(100, seed=2, now=NOW)]
    assert sum(x != y for x, y in zip(a, b, strict=True)) > 90


def test_a_shorter_run_is_a_prefix_of_a_longer_one() -> None:
    short = _dump(list(generate(40, seed=9, now=NOW)))
    long = _dump(list(generate(80, seed=9, now=NOW)))
    assert long[:40] == short


def test_n_zero_is_empty_and_negative_is_refused() -> None:
    assert list(generate(0, now=NOW)) == []
    with pytest.raises(ValueError):
        list(generate(-1, now=NOW))


def test_default_clock_is_now() -> None:
    listing = next(generate(1, seed=3))
    assert listing.crawled_at is not None and listing.posted_at is not None
    assert listing.posted_at <= listing.crawled_at
    assert listing.crawled_at.tzinfo is not None


def test_every_listing_validates_and_carries_its_metadata(demo_sample: list[Listing]) -> None:
    for i, x in enumerate(demo_sample):
        assert Listing.model_validate(x.model_dump()) == x
        assert x.id == f"demo:42-{i}"
        assert x.source == "demo"
        assert x.url == f"https://demo.ree.local/listing/{i}"
        assert x.crawled_at == NOW
        assert x.posted_at is not None and NOW - timedelta(days=60) <= x.posted_at <= NOW
        digest = hashlib.sha1((x.title + x.description).encode()).hexdigest()
        assert x.content_hash == digest
    assert len({x.content_hash for x in demo_sample}) == len(demo_sample)


def test_market_mix(demo_sample: list[Listing]) -> None:
    n = len(demo_sample)
    provinces = Counter(x.province for x in demo_sample)
    assert 0.39 <= provinces["Hồ Chí Minh"] / n <= 0.51
    assert 0.24 <= provinces["Hà Nội"] / n <= 0.36
    assert len(provinces) >= 8
    rent = sum(x.transaction is Transaction.RENT for x in demo_sample)
    assert 0.19 <= rent / n <= 0.31
    types = Counter(x.property_type for x in demo_sample)
    assert set(types) == set(PropertyType) - {PropertyType.OTHER}
    assert types.most_common(2)[0][0] is PropertyType.APARTMENT
    assert types.most_common(2)[1][0] is PropertyType.HOUSE


def test_types_are_coherent(demo_sample: list[Listing]) -> None:
    for x in demo_sample:
        t = x.property_type
        if t is PropertyType.LAND:
            assert x.bedrooms is x.floors is x.bathrooms is None
            assert x.frontage_m
        if t is PropertyType.ROOM:
            assert x.transaction is Transaction.RENT
            assert x.price_vnd is not None and 1_500_000 <= x.price_vnd <= 8_000_000
        if t is PropertyType.APARTMENT:
            assert x.floors is None and x.bedrooms
            assert 35 <= (x.area_m2 or 0) <= 150
        if t in (PropertyType.HOUSE, PropertyType.TOWNHOUSE):
            assert x.floors and x.frontage_m
        if t in (PropertyType.OFFICE, PropertyType.WAREHOUSE):
            assert x.bedrooms is None
        if x.transaction is Transaction.SALE:
            assert x.price_vnd and x.area_m2 and x.price_per_m2_vnd
            assert abs(x.price_per_m2_vnd - x.price_vnd / x.area_m2) <= 1
        else:
            assert x.price_per_m2_vnd is None and x.legal_status is None


def test_prices_resemble_the_market(demo_sample: list[Listing]) -> None:
    q7 = [
        x.price_per_m2_vnd / 1e6
        for x in demo_sample
        if x.district == "Quận 7"
        and x.property_type is PropertyType.APARTMENT
        and x.price_per_m2_vnd
    ]
    assert q7 and all(40 <= p <= 80 for p in q7)
    rents = [
        x.price_vnd / 1e6
        for x in demo_sample
        if x.transaction is Transaction.RENT
        and x.property_type is PropertyType.APARTMENT
        and x.district in ("Quận 1", "Quận 3", "Bình Thạnh", "Phú Nhuận")
        and x.price_vnd
    ]
    assert rents and 8 <= sorted(rents)[len(rents) // 2] <= 30


def test_title_states_the_price(demo_sample: list[Listing]) -> None:
    for x in demo_sample:
        totals = [p.value.vnd for p in find_prices(x.title) if not p.value.per_m2]
        assert totals and totals[-1] == x.price_vnd, x.title


def test_title_states_the_area(demo_sample: list[Listing]) -> None:
    for x in demo_sample:
        assert x.area_m2
        areas = [a.m2 for a in find_areas(x.title)]
        assert any(abs(a - x.area_m2) <= 0.01 * x.area_m2 for a in areas), x.title


def _strip_names(x: Listing, text: str) -> str:
    """`text` without the listing's place and project names.

    Names hold vocabulary words ("Nhà Bè", "Hải Phòng", "Hàng Trống", "Nguyễn An Ninh",
    "Sky Garden") that are not statements about the property.
    """
    for name in (x.project, x.street, x.ward, x.district, x.province):
        if name:
            text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text


def _without_names(x: Listing) -> str:
    """Title + description without the address line and the listing's names."""
    lines = [ln for ln in x.description.splitlines() if not ln.startswith("Vị trí:")]
    return _strip_names(x, x.title + "\n" + "\n".join(lines))


def test_text_states_exactly_the_features(demo_sample: list[Listing]) -> None:
    for x in demo_sample:
        text = x.title + "\n" + x.description
        assert set(x.features) <= set(find_features(text)), text
        assert set(find_features(_without_names(x))) <= set(x.features), text


def test_text_states_legal_status_and_furnishing(demo_sample: list[Listing]) -> None:
    for x in demo_sample:
        text = _strip_names(x, x.title + "\n" + x.description)
        if x.legal_status:
            assert parse_legal_status(text) == x.legal_status, text
        if x.furnishing:
            assert parse_furnishing(text) == x.furnishing, text


def test_title_names_the_property_type(demo_sample: list[Listing]) -> None:
    named = 0
    for x in demo_sample:
        found = parse_property_type(_strip_names(x, x.title))
        assert found in (None, x.property_type), x.title
        named += found is not None
    assert named >= 0.85 * len(demo_sample)


def test_there_are_many_title_patterns() -> None:
    assert sum(len(t) for t in set(TEMPLATES.values())) >= 30


def test_titles_vary(demo_sample: list[Listing]) -> None:
    assert len({x.title for x in demo_sample}) >= 0.99 * len(demo_sample)
    openings = Counter(" ".join(x.title.split()[:2]) for x in demo_sample)
    assert len(openings) >= 25


def test_market_table_is_sane() -> None:
    for district in market_table().districts():
        for ranges in (district.sale, district.rent):
            for low, high in ranges.values():
                assert 0 < low < high
        for project in district.projects:
            assert project.ward in district.wards, (district.name, project)
        assert set(district.former) <= set(district.wards)
        if district.rent:
            assert PropertyType.ROOM in district.rent
        assert PropertyType.ROOM not in district.sale


def test_market_places_are_known_to_the_gazetteer() -> None:
    g = gazetteer()
    for district in market_table().districts():
        assert g.canonical_province(district.province) == district.province
        assert g.canonical_district(district.name, district.province) == district.name
        assert g.province_of(district.name) == district.province
        for project in district.projects:
            assert g.project(project.name) == (project.name, district.name, district.province)


def test_demo_addresses_parse_back_to_their_fields(demo_sample: list[Listing]) -> None:
    g = gazetteer()
    for x in demo_sample:
        assert x.address
        place = g.parse_address(x.address)
        assert (place.province, place.district, place.ward) == (x.province, x.district, x.ward)
        assert place.project == x.project, x.address
