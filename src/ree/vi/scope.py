"""Which stored places a place filter covers, across the 2021/2025 reorganisations.

A user may type a former district ("Quận 2", "Quận 9") that listings now file under the unit
that absorbed it ("Thủ Đức"). The filter then covers listings stored under the former name
and those stored under the new unit in one of the former district's wards. The data says
which wards each former district had (`ree/vi/data/districts.json`, key `parent`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ree.vi.vocab import data_file


@dataclass(frozen=True, slots=True)
class DistrictScope:
    """Listing districts that match outright, and (parent → wards) that match within a parent."""

    districts: frozenset[str]
    wards_of: dict[str, frozenset[str]] = field(default_factory=dict)

    def covers(self, district: str | None, ward: str | None) -> bool:
        if district in self.districts:
            return True
        wards = self.wards_of.get(district or "")
        return wards is not None and ward in wards


@lru_cache(maxsize=1)
def _former() -> dict[str, tuple[str, frozenset[str]]]:
    data: dict[str, Any] = data_file("districts.json")
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for districts in data["provinces"].values():
        for name, info in districts.items():
            if isinstance(info, dict) and info.get("parent"):
                out[name] = (info["parent"], frozenset(info.get("wards", [])))
    return out


@lru_cache(maxsize=4096)
def _scope(districts: tuple[str, ...]) -> DistrictScope:
    former = _former()
    wards_of: dict[str, set[str]] = {}
    for name in districts:
        if name in former:
            parent, wards = former[name]
            wards_of.setdefault(parent, set()).update(wards)
    plain = frozenset(districts)
    return DistrictScope(plain, {p: frozenset(w) for p, w in wards_of.items() if p not in plain})


def district_scope(districts: list[str]) -> DistrictScope:
    """The scope of a `Filters.districts` list."""
    return _scope(tuple(sorted(set(districts))))
