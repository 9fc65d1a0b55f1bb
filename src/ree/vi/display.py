"""How domain values are shown to people, in Vietnamese or English (one vocabulary file)."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from ree.models import Language

_NUMBERED_DISTRICT = re.compile(r"^Quận (\d+)$")
_NUMBERED_WARD = re.compile(r"^Phường (\d+)$")


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("ree.vi").joinpath("data/display.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, dict[str, str]]] = json.loads(text)
    return data


def label(kind: str, value: str, lang: Language, plural: bool = False) -> str:
    """The display word for an enum value, e.g. label("property_type", "apartment", "en")."""
    entry = _labels()[kind].get(value)
    if entry is None:
        return value.replace("_", " ")
    if plural and lang == "en":
        return entry.get("en_plural", entry["en"])
    return entry[lang]


def without_marks(text: str) -> str:
    """Diacritics removed, case kept, as English text writes Vietnamese names ("Bình Thạnh")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    nfd = unicodedata.normalize("NFD", text)
    return "".join(c for c in nfd if not unicodedata.combining(c))


def place_name(name: str, lang: Language) -> str:
    """A canonical place name as shown: "Quận 7" in Vietnamese, "District 7" in English,
    where names are written without diacritics ("Binh Thanh", "Ho Chi Minh City")."""
    if lang == "en":
        if m := _NUMBERED_DISTRICT.match(name):
            return f"District {m.group(1)}"
        if m := _NUMBERED_WARD.match(name):
            return f"Ward {m.group(1)}"
        if name == "Hồ Chí Minh":
            return "Ho Chi Minh City"
        return without_marks(name)
    return name
