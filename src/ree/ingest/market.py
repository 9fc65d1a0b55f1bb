"""The demo market table (`data/demo_market.json`): places and price-per-m² ranges.

The table is written for REE, not taken from any dataset. Sale ranges are in triệu (million
VND) per m²; rent ranges in nghìn (thousand VND) per m² per month. Loaded once, lazily.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ree.models import PropertyType, Transaction

Range = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Project:
    """A well-known residential project, with the ward and street it sits on."""

    name: str
    ward: str
    street: str | None = None


@dataclass(frozen=True, slots=True)
class District:
    """One district (or district-level city) with its places and price ranges."""

    name: str
    province: str
    region: str
    unit: str
    weight: float
    wards: tuple[str, ...]
    streets: tuple[str, ...]
    projects: tuple[Project, ...]
    river: bool
    metro: bool
    former: dict[str, str] = field(default_factory=dict)
    sale: dict[PropertyType, Range] = field(default_factory=dict)
    rent: dict[PropertyType, Range] = field(default_factory=dict)

    def prices(self, transaction: Transaction) -> dict[PropertyType, Range]:
        """The per-m² ranges of the types this district offers for `transaction`."""
        return self.sale if transaction is Transaction.SALE else self.rent

    @property
    def rural(self) -> bool:
        """True for a huyện (rural district): its wards are communes (xã)."""
        return self.unit == "huyện"


@dataclass(frozen=True, slots=True)
class Province:
    """A province with its market weight and districts."""

    name: str
    weight: float
    region: str
    districts: tuple[District, ...]


@dataclass(frozen=True, slots=True)
class MarketTable:
    """Every province of the demo market."""

    provinces: tuple[Province, ...]

    def districts(self) -> list[District]:
        """All districts, province by province."""
        return [d for p in self.provinces for d in p.districts]


def _ranges(raw: dict[str, list[float]]) -> dict[PropertyType, Range]:
    return {PropertyType(k): (float(v[0]), float(v[1])) for k, v in raw.items()}


def _district(raw: dict[str, object], province: str, region: str) -> District:
    former_raw = raw.get("former") or {}
    assert isinstance(former_raw, dict)
    former = {ward: old for old, wards in former_raw.items() for ward in wards}
    projects_raw = raw.get("projects") or []
    assert isinstance(projects_raw, list)
    sale, rent = raw["sale"], raw["rent"]
    assert isinstance(sale, dict) and isinstance(rent, dict)
    return District(
        name=str(raw["name"]),
        province=province,
        region=region,
        unit=str(raw["unit"]),
        weight=float(str(raw["weight"])),
        wards=tuple(raw["wards"]),  # type: ignore[arg-type]
        streets=tuple(raw["streets"]),  # type: ignore[arg-type]
        projects=tuple(Project(**p) for p in projects_raw),
        river=bool(raw["river"]),
        metro=bool(raw["metro"]),
        former=former,
        sale=_ranges(sale),
        rent=_ranges(rent),
    )


@lru_cache(maxsize=1)
def market_table() -> MarketTable:
    """The demo market table, parsed once per process."""
    text = resources.files("ree.ingest").joinpath("data/demo_market.json").read_text("utf-8")
    raw = json.loads(text)
    provinces = []
    for p in raw["provinces"]:
        districts = tuple(_district(d, p["name"], p["region"]) for d in p["districts"])
        provinces.append(Province(p["name"], float(p["weight"]), p["region"], districts))
    return MarketTable(tuple(provinces))
