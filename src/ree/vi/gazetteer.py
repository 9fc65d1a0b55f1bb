"""Places of Việt Nam: provinces, districts, wards, projects, landmarks and streets.

Names are canonical, with diacritics, in the units in force until June 2025 (what listings
and labels use: `Hồ Chí Minh`, `Quận 7`, `Thủ Đức`, `Bình Dương`); `new_province` maps a
province to its 2025 unit. Typed former districts stay as typed (`Quận 2`, `Quận 9`).
The data lives in `ree/vi/data/` and is loaded once, on first use (`gazetteer()`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Literal

from rapidfuzz import fuzz, process

from ree.vi.lexicon import Lexicon, Token, tokenize
from ree.vi.text import fold, heard_key, normalize, strip_tones, tone_marks
from ree.vi.vocab import data_file

if TYPE_CHECKING:
    from ree.vi.places import PlaceMention

__all__ = ["Gazetteer", "Place", "PlaceRef", "gazetteer"]

RefKind = Literal[
    "province", "district", "ward", "project", "landmark", "street", "district_prefix",
    "ward_prefix", "street_prefix",
]  # fmt: skip


@dataclass(frozen=True)
class Place:
    """A place as far as it is known; missing levels are None."""

    province: str | None
    district: str | None = None
    ward: str | None = None
    project: str | None = None
    street: str | None = None


@dataclass(frozen=True)
class PlaceRef:
    """What a place phrase may refer to (one candidate)."""

    kind: RefKind
    name: str
    province: str | None = None
    district: str | None = None
    landmark_kind: str | None = None
    numbered: bool = False  # "Phường 7": relative to a district named nearby


_NUM_DISTRICT = re.compile(r"^(?:quan|q|district|dist|d)\s*\.?\s*(\d{1,2})$")
_PROJECT_PREFIX = re.compile(r"^(?:du an|khu do thi|kdt|kdc|khu dan cu|chung cu|can ho)\s+")


@dataclass
class _Tables:
    provinces: dict[str, dict[str, Any]] = field(default_factory=dict)
    province_alias: dict[str, str] = field(default_factory=dict)
    districts: dict[str, list[str]] = field(default_factory=dict)  # province -> names
    district_alias: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    parents: dict[tuple[str, str], str] = field(default_factory=dict)
    wards: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    ward_alias: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    projects: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    project_alias: dict[str, str] = field(default_factory=dict)
    streets: dict[str, str] = field(default_factory=dict)


def _said(name: str, sounds: dict[str, Any]) -> list[str]:
    """A project's name as speech-to-text writes it when its English words are said
    ("Vinhomes Grand Park" -> "vin hôm gran pác"): every mix of each word as written and as
    heard, other than the name itself (`sounds` in projects.json)."""
    options = [[w, *sounds.get(w.lower(), [])] for w in name.split()]
    if all(len(o) == 1 for o in options):
        return []
    forms = [""]
    for words in options:
        forms = [f"{f} {w}".strip() for f in forms for w in words][:_MOST_SAID]
    return [f for f in forms if f != name]


_MOST_SAID = 400
_ONSET = re.compile(r"^(?:ngh|ng|nh|ch|tr|th|kh|gh|gi|ph|qu|[bcdđghklmnprstvx])")


def _rime(syllable: str) -> str:
    """A syllable (tones stripped) less its first consonants: "trường" -> "ường"."""
    return _ONSET.sub("", syllable)


class Gazetteer:
    """Look places up by name or find them in text. Use `gazetteer()` for the shared one."""

    def __init__(self) -> None:
        self._t = _Tables()
        self._mentions = lru_cache(maxsize=64)(self._resolve)  # normalised text -> mentions
        self._lex: Lexicon[tuple[PlaceRef, ...]] = Lexicon()
        self._phrases: dict[str, list[PlaceRef]] = {}
        self._verify: dict[str, Literal["exact", "marked", "toneless"]] = {}
        dist = data_file("districts.json")
        self._numbers: dict[str, list[str]] = dist["numbers"]
        self._dprefixes: list[str] = dist["district_prefixes"]
        self._wprefixes: list[str] = dist["ward_prefixes"]
        self._rural: set[tuple[str, str]] = set()
        provinces = data_file("provinces.json")
        self._load_provinces(provinces)
        self._heard_cities: list[str] = provinces["heard"]["names"]
        self._load_districts(dist["provinces"])
        projects = data_file("projects.json")
        self._load_projects(projects["projects"], projects.get("sounds", {}))
        self._load_landmarks(data_file("landmarks.json")["landmarks"])
        streets = data_file("streets.json")
        self._load_streets(streets["streets"], streets.get("aliases", {}))
        self._bare_wards()
        for phrase, refs in self._phrases.items():
            self._lex.add(phrase, tuple(refs), self._verify.get(phrase, "toneless"))
        self._fuzzy_districts = {fold(n): n for names in self._t.districts.values() for n in names}
        self._heard_names: dict[bool, dict[str, str]] = {}
        self._heard_streets: dict[str, str] | None = None
        self._heard_provinces: dict[str, str] | None = None

    # ----- loading -------------------------------------------------------------------------

    def _phrase(self, phrase: str, ref: PlaceRef, verify: str = "toneless") -> None:
        key = normalize(phrase).lower()
        refs = self._phrases.setdefault(key, [])
        if ref not in refs:
            refs.append(ref)
        if verify in ("exact", "marked"):
            self._verify[key] = "marked" if verify == "marked" else "exact"

    def _load_provinces(self, data: dict[str, Any]) -> None:
        self._new: dict[str, str] = {}
        for p in data["provinces"]:
            name = p["name"]
            self._t.provinces[name] = p
            self._new[name] = p["new"]
            ref = PlaceRef("province", name, province=name)
            for alias in [name, *p["aliases"]]:
                for form in (alias, f"tỉnh {alias}", f"thành phố {alias}", f"tp {alias}"):
                    self._phrase(form, ref)
                    self._t.province_alias.setdefault(fold(form), name)
        self._new_names: list[str] = data["provinces_2025"]

    def _district_forms(self, name: str, aliases: Iterable[str]) -> list[str]:
        m = re.fullmatch(r"Quận (\d+)", name)
        if m:
            n = m.group(1)
            forms = [f"{p} {n}" for p in self._dprefixes] + [f"q{n}", f"d{n}", f"q.{n}"]
            forms += [f"{p} {w}" for p in ("quận", "quan", "q") for w in self._numbers[n]]
            return forms + list(aliases)
        forms = [name, f"{name} district", *aliases]
        forms += [f"{p} {name}" for p in self._dprefixes]
        return forms

    def _load_districts(self, data: dict[str, dict[str, dict[str, Any]]]) -> None:
        for province, districts in data.items():
            for name, info in districts.items():
                self._t.districts.setdefault(province, []).append(name)
                if "parent" in info:
                    self._t.parents[(province, name)] = info["parent"]
                if info.get("kind"):  # "huyện", "thị xã": rural or suburban, communes
                    self._rural.add((province, name))
                ref = PlaceRef("district", name, province=province, district=name)
                for form in self._district_forms(name, info.get("aliases", [])):
                    self._phrase(form, ref)
                    self._t.district_alias.setdefault(fold(form), []).append((province, name))
                self._load_wards(province, name, info)
        for p in self._dprefixes:
            self._phrase(p, PlaceRef("district_prefix", p), "exact")
        for p in self._wprefixes:
            self._phrase(p, PlaceRef("ward_prefix", p), "exact")
        for n in range(1, 31):
            ref = PlaceRef("ward", f"Phường {n}", numbered=True)
            for p in ("phường", "p", "ph", "ward", "phuong", "phường số"):
                self._phrase(f"{p} {n}", ref)
            self._phrase(f"p{n}", ref)

    def _load_wards(self, province: str, district: str, info: dict[str, Any]) -> None:
        famous = set(info.get("famous", []))
        marked = set(info.get("famous_marked", []))
        self._t.wards[(province, district)] = list(info.get("wards", []))
        for ward in info.get("wards", []):
            ref = PlaceRef("ward", ward, province=province, district=district)
            forms = [f"{p} {ward}" for p in self._wprefixes] + [f"{ward} ward"]
            if ward in marked:  # "Thắng Tam", or "thang tam vung tau"; not "tháng tám"
                self._phrase(ward, ref, "marked")
                forms.append(f"{ward} {district}")
            elif ward in famous:
                forms.append(ward)
            for form in forms:
                self._phrase(form, ref)
            self._t.ward_alias.setdefault(fold(ward), []).append((province, district, ward))

    def _bare_wards(self) -> None:
        """An urban ward's bare name ("khu Khương Thượng hoặc Trung Liệt") where it cannot be
        taken for anything else: two or more words, one ward of that name in the country, no
        province, district, project, landmark or street of that name, and a ward of a city
        district (a commune's name, "Minh Phú", is read only after "xã"); typed with its
        diacritics (an unaccented "gia dinh" is "gia đình", a family, not the ward Gia Định)."""
        taken = {fold(k) for k in self._phrases}
        for key, entries in self._t.ward_alias.items():
            if len(entries) != 1 or key in taken or len(key.split()) < 2:
                continue
            province, district, ward = entries[0]
            if (province, district) in self._rural:
                continue
            self._phrase(
                ward, PlaceRef("ward", ward, province=province, district=district), "marked"
            )

    def _load_projects(self, projects: list[dict[str, Any]], sounds: dict[str, Any]) -> None:
        for p in projects:
            ref = PlaceRef("project", p["name"], province=p["province"], district=p["district"])
            self._t.projects[p["name"]] = (p["district"], p["province"])
            for alias in [p["name"], *p["aliases"]]:
                for form in (alias, f"dự án {alias}", f"khu đô thị {alias}", f"kđt {alias}"):
                    self._phrase(form, ref)
                self._t.project_alias[fold(alias)] = p["name"]
                for heard in _said(alias, sounds):
                    self._phrase(heard, ref, "marked")  # as heard, with its marks

    def _load_landmarks(self, landmarks: list[dict[str, Any]]) -> None:
        for lm in landmarks:
            ref = PlaceRef(
                "landmark",
                lm["name"],
                province=lm["province"],
                district=lm["district"],
                landmark_kind=lm["kind"],
            )
            for alias in [lm["name"], *lm["aliases"]]:
                if lm.get("marked"):  # "Bãi Sau", "bai sau vung tau"; not "bài sau"
                    self._phrase(alias, ref, "marked")
                    self._phrase(f"{alias} {lm['district']}", ref)
                else:
                    self._phrase(alias, ref)

    def _load_streets(self, streets: list[str], aliases: dict[str, str]) -> None:
        for name in streets:
            self._t.streets[fold(name)] = name
            ref = PlaceRef("street", name)
            for form in (name, f"đường {name}", f"phố {name}", f"duong {name}"):
                self._phrase(form, ref)
        for alias, name in aliases.items():
            if not alias.startswith("_"):  # "Hanoi Highway": Xa lộ Hà Nội
                self._t.streets[fold(alias)] = name
                self._phrase(alias, PlaceRef("street", name))
        for p in ("đường", "phố", "mặt phố", "mặt đường", "mặt tiền đường", "street", "road"):
            self._phrase(p, PlaceRef("street_prefix", p), "exact")

    # ----- lookups -------------------------------------------------------------------------

    @property
    def lexicon(self) -> Lexicon[tuple[PlaceRef, ...]]:
        """Every place phrase (for the query parser, which scans once for all kinds)."""
        return self._lex

    def canonical_province(self, name: str) -> str | None:
        """ "HCM", "tp.hcm", "Sài Gòn", "ho chi minh" -> "Hồ Chí Minh"; unknown -> None."""
        key = fold(re.sub(r"[.,;]+$", "", name or "")).replace(".", " ")
        key = re.sub(r"\s+", " ", key).strip()
        if not key:
            return None
        if key in self._t.province_alias:
            return self._t.province_alias[key]
        if len(key) >= 4:
            best = process.extractOne(key, self._t.province_alias.keys(), scorer=fuzz.ratio)
            if best and best[1] >= 90:
                return self._t.province_alias[best[0]]
        return None

    def _district_candidates(self, name: str) -> list[tuple[str, str]]:
        key = re.sub(r"\s+", " ", fold(name).replace(".", " ")).strip()
        found = self._t.district_alias.get(key)
        if found:
            return found
        m = _NUM_DISTRICT.match(key)
        if m:
            return self._t.district_alias.get(f"quan {int(m.group(1))}", [])
        return []

    def canonical_district(self, name: str, province: str | None = None) -> str | None:
        """ "Q7", "quận bảy", "District 7" -> "Quận 7"; "quan go vap" -> "Gò Vấp"."""
        if not name or not name.strip():
            return None
        cands = self._district_candidates(name)
        if province:
            in_prov = [c for c in cands if c[0] == province]
            if in_prov:
                return in_prov[0][1]
            if cands and province not in self._t.districts:
                return cands[0][1]
        if cands and not province:
            return cands[0][1]
        return self._fuzzy_district(name, province)

    def fuzzy_district(self, words: str, cutoff: float = 88) -> str | None:
        """The district whose folded name is closest to `words` (rapidfuzz ratio >= cutoff)."""
        best = process.extractOne(fold(words), self._fuzzy_districts.keys(), scorer=fuzz.ratio)
        if best and best[1] >= cutoff:
            return self._fuzzy_districts[best[0]]
        return None

    def _fuzzy_district(self, name: str, province: str | None) -> str | None:
        key = fold(name)
        for p in sorted(self._dprefixes, key=len, reverse=True):
            if key.startswith(fold(p) + " "):
                key = key[len(fold(p)) + 1 :]
                break
        if len(key.replace(" ", "")) < 4:
            return None
        pool = self._fuzzy_districts
        if province in self._t.districts:
            pool = {fold(n): n for n in self._t.districts[province]}
        best = process.extractOne(key, pool.keys(), scorer=fuzz.ratio)
        if best and best[1] >= 88:
            return pool[best[0]]
        return None

    def district_named(self, words: str) -> str | None:
        """The district whose name or alias is exactly the folded `words`, or None (no fuzzy
        guess: see `canonical_district`)."""
        cands = self._district_candidates(words)
        return cands[0][1] if cands else None

    def heard_district(self, words: str) -> str | None:
        """The one district whose name sounds like `words` across the regions (see
        `heard_key`): "cầu dấy" -> Cầu Giấy, "hai bà chưng" -> Hai Bà Trưng, "cau day" ->
        Cầu Giấy; or None. Typed with marks, the words keep their hats and "đ"."""
        low = words.lower()
        key = heard_key(fold(low)) if low.isascii() else heard_key(strip_tones(low))
        return self._heard(low.isascii()).get(key)

    def heard_province(self, words: str) -> str | None:
        """The big city sounding like `words` typed with marks ("hà lội" -> Hà Nội, "hải
        phòn" -> Hải Phòng), as `heard_district`; or None."""
        low = words.lower()
        if low.isascii():
            return None
        if self._heard_provinces is None:
            names: dict[str, set[str]] = {}
            for name in self._heard_cities:  # provinces.json `heard`: not "sang năm định"
                names.setdefault(heard_key(strip_tones(name.lower())), set()).add(name)
            self._heard_provinces = {k: next(iter(v)) for k, v in names.items() if len(v) == 1}
        return self._heard_provinces.get(heard_key(strip_tones(low)))

    def _heard(self, plain: bool) -> dict[str, str]:
        if plain not in self._heard_names:
            names: dict[str, set[str]] = {}
            for folded, name in self._fuzzy_districts.items():
                if " " in folded:  # "Quận 7" and one-word names are no phrase to mishear
                    said = folded if plain else strip_tones(name.lower())
                    names.setdefault(heard_key(said), set()).add(name)
            heard = {k: next(iter(v)) for k, v in names.items() if len(v) == 1}
            self._heard_names[plain] = heard
        return self._heard_names[plain]

    def province_of(self, district: str) -> str | None:
        """The province a district belongs to (Hồ Chí Minh first when a name is shared)."""
        cands = self._district_candidates(district)
        return cands[0][0] if cands else None

    def districts_of(self, province: str) -> list[str]:
        """Every district REE knows in a province (former ones such as Quận 2 included)."""
        canon = self.canonical_province(province) or province
        return list(self._t.districts.get(canon, []))

    def parent_district(self, district: str, province: str | None = None) -> str:
        """The unit a former district now belongs to ("Quận 2" -> "Thủ Đức"), else itself."""
        province = province or self.province_of(district)
        return self._t.parents.get((province or "", district), district)

    def new_province(self, province: str) -> str | None:
        """The post-2025 province a pre-2025 one belongs to ("Bình Dương" -> "Hồ Chí Minh")."""
        canon = self.canonical_province(province)
        if canon is not None:
            return self._new.get(canon)
        return province if province in self._new_names else None

    def provinces(self) -> list[str]:
        """The 63 pre-2025 provinces (canonical names)."""
        return list(self._t.provinces)

    def provinces_2025(self) -> list[str]:
        """The 34 provinces after the 2025 reorganisation."""
        return list(self._new_names)

    def project(self, name: str) -> tuple[str, str | None, str | None] | None:
        """(canonical name, district, province) of a known project, or None."""
        key = _PROJECT_PREFIX.sub("", fold(name).strip())
        canon = self._t.project_alias.get(key)
        if canon is None:
            return None
        district, province = self._t.projects[canon]
        return canon, district, province

    def knows_street(self, name: str) -> bool:
        """Whether `name` is a street REE knows (spelled any way that folds the same)."""
        return fold(name) in self._t.streets

    def street(self, name: str) -> str:
        """The canonical spelling of a known street, else the name as given, title-cased."""
        key = fold(name)
        if key in self._t.streets:
            return self._t.streets[key]
        heard = self._heard_street(name)
        if heard is not None:
            return heard
        words = normalize(name).split()
        road = re.fullmatch(r"(quoc|tinh) lo (\w+)", key)
        if road:  # "quốc lộ 1A", "tỉnh lộ 10"
            return f"{'Quốc' if road.group(1) == 'quoc' else 'Tỉnh'} lộ {road.group(2).upper()}"
        date = _DATE_STREET.fullmatch(key)
        if date and 1 <= int(date.group(1)) <= 31 and 1 <= int(date.group(2)) <= 12:
            return f"{int(date.group(1))} Tháng {int(date.group(2))}"  # "đường 30/4", "3/2"
        return " ".join(w[:1].upper() + w[1:] for w in words)

    def _heard_street(self, name: str) -> str | None:
        """A known street as speech-to-text heard it ("phạm văn đồn" -> Phạm Văn Đồng, "nê
        văn sỹ" -> Lê Văn Sỹ): typed with marks, sounding alike across the regions (see
        `heard_key`), with the name's tones syllable by syllable."""
        low = normalize(name).lower()
        if low.isascii() or len(low.split()) < 2:
            return None
        if self._heard_streets is None:
            names: dict[str, set[str]] = {}
            for street in self._t.streets.values():
                names.setdefault(heard_key(strip_tones(street.lower())), set()).add(street)
            self._heard_streets = {k: next(iter(v)) for k, v in names.items() if len(v) == 1}
        found = self._heard_streets.get(heard_key(strip_tones(low)))
        if found is None or [tone_marks(w) for w in low.split()] != [
            tone_marks(w) for w in found.lower().split()
        ]:
            return None
        # only a syllable's first sound misheard ("chường" Trường, "nê" Lê): a rime that
        # differs may be another street ("Lê Thánh Tôn" is not "Lê Thánh Tông")
        said = zip(strip_tones(low).split(), strip_tones(found.lower()).split(), strict=False)
        for typed, named in said:
            if typed != named and _rime(typed) != _rime(named):
                return None
        return found

    def ward_district(
        self, ward: str, district: str | None = None, province: str | None = None
    ) -> tuple[str, str] | None:
        """(province, district) of a named ward, preferring the given district/province."""
        cands = self._t.ward_alias.get(fold(ward), [])
        for p, d, _ in cands:
            if (district is None or d == district) and (province is None or p == province):
                return p, d
        return None

    # ----- text ----------------------------------------------------------------------------

    def find_places(self, text: str) -> list[Place]:
        """Places mentioned in free text, most specific first (project, ward, district…)."""
        from ree.vi.places import sort_specific

        return [m.place for m in sort_specific(list(self.mentions(normalize(text))))]

    def mentions(self, norm: str) -> tuple[PlaceMention, ...]:
        """`resolve_places` over an already normalised text, in token order (cached: listing
        analysis asks about the same title and description more than once)."""
        return self._mentions(norm)

    def _resolve(self, norm: str) -> tuple[PlaceMention, ...]:
        from ree.vi.places import resolve_places

        return tuple(resolve_places(self, tokenize(norm), text=norm))

    def find_project_in(self, text: str) -> str | None:
        """The canonical name of the first known project named inside `text`."""
        for hit in self._lex.scan(tokenize(normalize(text))):
            for ref in hit.payload:
                if ref.kind == "project":
                    return ref.name
        return None

    def parse_address(self, address: str) -> Place:
        """Read a portal address "Dự án X, Đường Y, Phường Z, Quận 7, Hồ Chí Minh"."""
        from ree.vi.places import parse_address

        return parse_address(self, address)

    def scan(self, tokens: list[Token], skip: list[bool] | None = None) -> list[Any]:
        """Raw place hits over tokens (see `ree.vi.places.resolve_places`). A place read
        with other tones than typed gives way to a longer one typed exactly that starts
        inside it: "còn bên Thanh Xuân" is Thanh Xuân, not Bến Thành."""
        hits = [h for h in self._lex.scan(tokens, skip) if not _common_word(tokens, h)]
        for hit in hits:
            if _tones_agree(tokens, hit.first, hit.phrase):
                continue
            for k in range(hit.first + 1, hit.last):
                other = self._lex.match_at(tokens, k)
                if (
                    other is not None
                    and other.last > hit.last
                    and _tones_agree(tokens, k, other.phrase)
                ):
                    fewer = list(skip) if skip is not None else [False] * len(tokens)
                    fewer[hit.first : k] = [True] * (k - hit.first)
                    return self.scan(tokens, fewer)
        return hits


_DATE_STREET = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})")  # "đường 30/4", "3/2"


def _common_word(tokens: list[Token], hit: Any) -> bool:
    """A one-word name typed with another tone ("view vịnh" is a bay, not Vinh) or right after
    "view" ("view vinh", "view song")."""
    if hit.last - hit.first != 1:
        return False
    if hit.first > 0 and tokens[hit.first - 1].folded == "view":
        return True
    return not _tones_agree(tokens, hit.first, hit.phrase)


def _tones_agree(tokens: list[Token], first: int, phrase: str) -> bool:
    """Whether every accented word typed from `first` on is the phrase's word as written."""
    for k, want in enumerate(_phrase_words(phrase)):
        typed = tokens[first + k].lower
        if not typed.isascii() and typed != want:
            return False
    return True


@lru_cache(maxsize=4096)
def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(t.lower for t in tokenize(phrase))


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded once from `ree/vi/data/`."""
    return Gazetteer()
