"""The parsers on the real portal columns (../shared/data; skipped when absent).

Nothing from the data is copied here: the tests read the files and check coverage and
agreement between columns.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ree.vi.gazetteer import gazetteer
from ree.vi.numbers import parse_area, parse_price
from ree.vi.vocab import parse_direction, parse_furnishing, parse_legal_status

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

pytestmark = pytest.mark.shared_data


def rows(name: str) -> list[dict[str, str]]:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the real data sets live outside the repo")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_price_and_area_reads() -> None:
    data = rows("bdscomvn-2025-dev.csv")
    prices = [r["price"] for r in data if r["price"].strip()]
    unread = [p for p in prices if parse_price(p) is None and "thỏa thuận" not in p.lower()]
    assert unread == []
    per_m2 = [p for p in prices if (v := parse_price(p)) is not None and v.per_m2]
    assert per_m2 and all("/m" in p for p in per_m2)
    areas = [r["area"] for r in data if r["area"].strip()]
    assert all(parse_area(a) is not None for a in areas)


@pytest.mark.parametrize(
    ("name", "column", "parse", "coverage"),
    [
        ("bdscomvn-2025-dev.csv", "house_direction", parse_direction, 1.0),
        ("bdscomvn-2025-dev.csv", "balcony_direction", parse_direction, 1.0),
        ("bdscomvn-2025-dev.csv", "legal_status", parse_legal_status, 0.99),
        ("bdscomvn-2025-dev.csv", "interior", parse_furnishing, 0.98),
        ("bdscomvn-hcm-2023-dev.csv", "direction_home", parse_direction, 1.0),
        ("bdscomvn-hcm-2023-dev.csv", "status_doc", parse_legal_status, 0.99),
        ("bdscomvn-hcm-2023-dev.csv", "furniture", parse_furnishing, 0.96),
    ],
)
def test_field_coverage(name: str, column: str, parse: object, coverage: float) -> None:
    values = [r[column] for r in rows(name) if r[column].strip()]
    read = sum(parse(v) is not None for v in values)  # type: ignore[operator]
    assert read / len(values) >= coverage


def test_addresses_agree_with_the_listed_location() -> None:
    g = gazetteer()
    data = [r for r in rows("bdscomvn-2025-dev.csv") if r["address"] and "," in r["list_location"]]
    province_ok = district_ok = 0
    for r in data:
        district, province = (x.strip() for x in r["list_location"].rsplit(",", 1))
        place = g.parse_address(r["address"])
        province_ok += place.province == g.canonical_province(province)
        district_ok += place.district in (g.canonical_district(district, place.province), district)
    assert province_ok / len(data) >= 0.99
    assert district_ok / len(data) >= 0.98
