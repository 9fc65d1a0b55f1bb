"""Score extraction and classification against a portal's own structured columns.

`evaluate_extraction(path)` reads `bdscomvn-2025-dev.csv`, builds each row's truth with the
ingest loader's conversion (which repairs the ~10% of rows whose price cell holds the price
per m²), withholds every structured column from the extractor (it sees only title,
description and address) and compares field by field:

- `accuracy` = right / rows whose column has a value (what the task's targets mean);
- `precision` = right / rows where both the column and the extraction have a value;
- `coverage` = rows where the extraction has a value / rows whose column has one.

Each field also gets `stated_accuracy` = right / labelled rows whose value is *stated* in
the text (title + description), judged by `stated(field, truth, text)`: a plain string check
on the folded text, independent of the extractor's parsers, so that misses on values the
text never gives (the portal form holds them) are told apart from extractor errors:

- price: the truth's number written with a money unit ("2,6 tỷ", "2.6ty", "2 tỷ 6",
  "2600 triệu", "2.600.000.000");
- area: the truth's number with "m2"/"m²"/"mét vuông", or a "W x L" whose product is the truth;
- bedrooms / bathrooms: the count before a room word ("3PN", "3 phòng ngủ", "2 WC", "2 vệ sinh");
- floors: "N tầng|lầu|tấm" with N the truth (or N+1 = truth for "lầu"/"lửng"/"tấm"), or a
  "trệt/lầu/tầng" chain whose counts add up to the truth;
- frontage / road width: the truth's number of metres within 30 characters after a frontage
  word ("ngang", "mặt tiền", "MT") / a road word ("đường", "hẻm", "ngõ", "lộ giới"), or, for
  frontage, the first side of a "W x L";
- direction: "hướng" and the truth's direction name (or its abbreviation "ĐN", "TB"…) within
  30 characters; for the balcony the same after "ban công"/"BC"/"lô gia";
- legal status: a word of that status ("sổ hồng", "SHR", "sổ đỏ", "HĐMB", "hợp đồng mua bán";
  the portal's "Sổ đỏ/ Sổ hồng" accepts either book; "sổ riêng"/"sổ sẵn"/"có sổ" count too).

For price, area, bedrooms, bathrooms and direction, `unambiguous(field, text)` (the same
kind of plain string check) tells whether the text writes at most one value of the field; the
`one-value` accuracy over stated rows that are also unambiguous separates extractor errors from
posts listing several units or lots, where which one the portal's form holds is not in the text.

Prices match within 2%, areas within 1% (or 0.5 m²), widths within 0.05 m. The portal's
combined legal category "Sổ đỏ/ Sổ hồng" accepts either book. `district` and `province` come
from the address (an input); `district_text` scores the district from title and description
alone. Classification is scored against `property_type_slug`: strict (the loader's mapping)
and lenient ("biệt thự liền kề" accepts villa or townhouse).

Run it: `python -m ree.listings.evaluate [DATA_DIR]` (prints the worst misses and a summary).
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ree.ingest import csv_formats
from ree.ingest.fields import Fixes, slug_type
from ree.listings.classify import ListingClassifier
from ree.listings.completeness import CompletenessScorer
from ree.listings.extract import AttributeExtractor, Extraction, RawListing
from ree.listings.type_model import (
    TypeModel,
    TypeSample,
    portal_types,
    sample_of,
    taxonomy_label,
)
from ree.models import Direction, LegalStatus, PropertyType
from ree.vi.text import fold

__all__ = ["FieldScore", "Report", "evaluate_extraction", "main", "stated", "unambiguous"]

FIELDS = (
    "price_vnd", "area_m2", "bedrooms", "bathrooms", "direction", "balcony_direction",
    "legal_status", "floors", "frontage_m", "road_width_m", "district", "province",
)  # fmt: skip
DEV_FILE = "bdscomvn-2025-dev.csv"


@dataclass
class FieldScore:
    """Counts for one field (see the module doc for the three ratios)."""

    labelled: int = 0
    extracted: int = 0
    right: int = 0
    stated: int = 0
    stated_right: int = 0
    single: int = 0
    single_right: int = 0
    misses: list[tuple[str, Any, Any, bool]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.labelled if self.labelled else 0.0

    @property
    def stated_accuracy(self) -> float:
        return self.stated_right / self.stated if self.stated else 0.0

    @property
    def single_accuracy(self) -> float:
        return self.single_right / self.single if self.single else 0.0

    @property
    def precision(self) -> float:
        return self.right / self.extracted if self.extracted else 0.0

    @property
    def coverage(self) -> float:
        return self.extracted / self.labelled if self.labelled else 0.0


@dataclass
class Report:
    """Per-field scores, classification accuracy and throughput."""

    rows: int = 0
    fields: dict[str, FieldScore] = field(default_factory=dict)
    type_strict: int = 0
    type_lenient: int = 0
    typed_rows: int = 0
    type_confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    seconds: float = 0.0
    # (what the type model reads, the strict type, the lenient types) per typed row
    type_samples: list[tuple[TypeSample, PropertyType, set[PropertyType]]] = field(
        default_factory=list
    )

    @property
    def listings_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        """Plain numbers, for printing or JSON."""
        out: dict[str, Any] = {"rows": self.rows}
        for name, s in self.fields.items():
            out[name] = {
                "labelled": s.labelled,
                "accuracy": round(s.accuracy, 4),
                "stated": s.stated,
                "stated_accuracy": round(s.stated_accuracy, 4),
                "unambiguous": s.single,
                "unambiguous_accuracy": round(s.single_accuracy, 4),
                "precision": round(s.precision, 4),
                "coverage": round(s.coverage, 4),
            }
        n = self.typed_rows or 1
        out["classification"] = {
            "rows": self.typed_rows,
            "strict": round(self.type_strict / n, 4),
            "lenient": round(self.type_lenient / n, 4),
        }
        out["listings_per_second"] = round(self.listings_per_second, 1)
        return out


# ----- is the truth stated in the text? (independent of the extractor's parsers) --------------

_NUMBER_WORDS = {1: "mot", 2: "hai", 3: "ba", 4: "bon", 5: "nam", 6: "sau"}
_DIR_WORDS = {
    Direction.NORTH: ("bac",), Direction.SOUTH: ("nam",), Direction.EAST: ("dong",),
    Direction.WEST: ("tay",), Direction.NORTH_EAST: ("dong bac", "dong - bac", "db"),
    Direction.NORTH_WEST: ("tay bac", "tay - bac", "tb"),
    Direction.SOUTH_EAST: ("dong nam", "dong - nam", "dn"),
    Direction.SOUTH_WEST: ("tay nam", "tay - nam", "tn"),
}  # fmt: skip
_LEGAL_WORDS = {
    LegalStatus.PINK_BOOK: r"so\s*hong|shr|so\s*rieng|so\s*san|co\s*so|so\s*chinh\s*chu",
    LegalStatus.RED_BOOK: r"so\s*do|so\s*rieng|so\s*san|co\s*so|so\s*chinh\s*chu",
    LegalStatus.SALE_CONTRACT: r"hdmb|hop\s*dong\s*mua\s*ban",
    LegalStatus.PENDING: r"cho\s*so|dang\s*lam\s*so|chua\s*co\s*so",
}
_FRONT_WORDS = r"(?:ngang|mat\s*tien|mt|be\s*ngang|chieu\s*ngang|facade)"
_ROAD_WORDS = r"(?:duong|hem|hxh|ngo|ngach|kiet|lo\s*gioi|pho|mat\s*tien|mt|lo)"
_DIMS = re.compile(r"(\d+(?:[.,]\d+)?)\s*m?\s*[x×*]\s*(\d+(?:[.,]\d+)?)")


def _decimal_forms(value: float, max_decimals: int = 3) -> list[str]:
    """ "2,6", "2.6", "2,60", "2.600" ... for 2.6; "3", "3,0" for 3."""
    text = f"{value:.{max_decimals}f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    if not frac:
        return [re.escape(whole) + r"(?:[.,]0+)?"]
    return [re.escape(whole) + r"[.,]" + re.escape(frac) + "0*"]


def _num(forms: list[str]) -> str:
    return r"(?<![\d.,])(?:" + "|".join(forms) + r")(?![\d])"


def _stated_price(vnd: int, text: str) -> bool:
    forms: list[str] = []
    if vnd >= 1_000_000_000:
        b = vnd / 1_000_000_000
        forms.append(_num(_decimal_forms(b)) + r"\s*(?:ty|ti|t|b|bn|billion)(?![a-z])")
        whole, frac = divmod(round(b * 1000), 1000)
        if frac:
            tail = f"{frac:03d}".rstrip("0")
            forms.append(rf"(?<![\d.,]){whole}\s*(?:ty|ti|t)\s*{tail}0*(?!\d)")
    m = vnd / 1_000_000
    if m >= 1:
        thousands = f"{round(m):,}".replace(",", r"[.,]?") if m == round(m) else None
        mforms = _decimal_forms(m, 2) + ([thousands] if thousands else [])
        forms.append(_num(mforms) + r"\s*(?:trieu|tr|cu|m|million)(?![a-z])")
    forms.append(rf"(?<![\d.,]){f'{vnd:,}'.replace(',', '[.,]?')}(?![\d])")
    return re.search("|".join(forms), text) is not None


def _stated_area(m2: float, text: str) -> bool:
    grouped = [f"{m2:,.0f}".replace(",", "[.]")] if m2 >= 1000 and m2 == int(m2) else []
    pattern = _num([*_decimal_forms(m2, 2), *grouped])
    if re.search(pattern + r"\s*(?:m2|m²|m\s2|met\s*vuong|m\b)", text):
        return True
    for m in _DIMS.finditer(text):
        a, b = (float(x.replace(",", ".")) for x in m.groups())
        if abs(a * b - m2) <= max(0.5, 0.01 * m2):
            return True
    return False


def _stated_count(n: int, words: str, text: str) -> bool:
    forms = [str(n)] + ([_NUMBER_WORDS[n]] if n in _NUMBER_WORDS else [])
    return re.search(_num(forms) + rf"\s*-?\s*(?:{words})(?![a-z])", text) is not None


def _stated_floors(n: int, text: str) -> bool:
    if re.search(_num([str(n)]) + r"\s*(?:tang|lau|t)(?![a-z])", text):
        return True
    if re.search(_num([str(n - 1)]) + r"\s*(?:lau|lung|tam)(?![a-z])", text):
        return True
    chain = r"(?:\d{1,2}|mot)\s*(?:tret|lung|lau|tang|ham|tum|san\s*thuong|st)"
    for m in re.finditer(rf"{chain}(?:\s*[,+&-]?\s*(?:va\s*)?{chain})+", text):
        parts = re.findall(r"(\d{1,2}|mot)\s*([a-z]+)", m.group(0))
        if sum(1 if k == "mot" else int(k) for k, _ in parts) == n:
            return True
    return False


def _stated_width(metres: float, words: str, text: str, dims: bool) -> bool:
    number = _num(_decimal_forms(metres, 2))
    whole, _, frac = f"{metres:.2f}".rstrip("0").rstrip(".").partition(".")
    metre = number + r"\s*(?:m|met)(?![2²a-z])"
    if frac:
        metre = rf"(?:{metre}|(?<![\d.,]){whole}\s*m\s*{frac}(?!\d))"
    if re.search(rf"{words}[^\n]{{0,30}}?{metre}", text):
        return True
    if dims:
        for m in _DIMS.finditer(text):
            if abs(float(m.group(1).replace(",", ".")) - metres) <= 0.05:
                return True
    return False


def _stated_direction(d: Direction, text: str, balcony: bool) -> bool:
    names = "|".join(re.escape(w) for w in _DIR_WORDS[d])
    lead = r"(?:ban\s*cong|bc|lo\s*gia|logia)[^\n]{0,20}?" if balcony else ""
    pattern = rf"{lead}huong[^\n]{{0,30}}?(?<![a-z])(?:{names})(?![a-z])"
    if d in (Direction.NORTH, Direction.SOUTH, Direction.EAST, Direction.WEST):
        pattern += r"(?!\s*-?\s*(?:bac|nam)\b)"
    return re.search(pattern, text) is not None


def stated(name: str, truth: Any, text: str) -> bool:
    """Whether `truth` (a labelled value) is written in `text` (folded title + description)."""
    if name == "price_vnd":
        return _stated_price(int(truth), text)
    if name == "area_m2":
        return _stated_area(float(truth), text)
    if name == "bedrooms":
        return _stated_count(int(truth), r"pn|phong\s*ngu|ngu|br|bed|bedrooms?|p\.?\s*ngu", text)
    if name == "bathrooms":
        return _stated_count(
            int(truth), r"wc|vs|ve\s*sinh|toilets?|phong\s*tam|nha\s*ve\s*sinh|wcs|bath", text
        )
    if name == "floors":
        return _stated_floors(int(truth), text)
    if name == "frontage_m":
        return _stated_width(float(truth), _FRONT_WORDS, text, dims=True)
    if name == "road_width_m":
        return _stated_width(float(truth), _ROAD_WORDS, text, dims=False)
    if name in ("direction", "balcony_direction"):
        return _stated_direction(truth, text, balcony=name == "balcony_direction")
    if name == "legal_status":
        return re.search(rf"(?<![a-z])(?:{_LEGAL_WORDS.get(truth, '$^')})", text) is not None
    return True


# ----- does the text give the field one value only? (same independence as `stated`) --------

_PRICE_VALUES = re.compile(
    r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(ty|ti|trieu|tr)(?![a-z])(?!\s*/\s*(?:m|thang))"
)
_AREA_VALUES = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(?:m2|m²|met\s*vuong)")
# a menu of sizes: "100 - 120 - 180 m²", "75m, 80m, 85m"
_AREA_LISTED = re.compile(
    r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(?:m2|m²|m)?\s*[-,;/]\s*(?=\d+(?:[.,]\d+)?\s*(?:m2|m²|m\b))"
)
_COUNT_WORDS = {
    "bedrooms": r"pn|phong\s*ngu|ngu",
    "bathrooms": r"wc|vs|ve\s*sinh|toilet",
}
_DIRECTION_VALUES = re.compile(
    r"huong\s*[:\-]?\s*(dong\s*-?\s*(?:bac|nam)|tay\s*-?\s*(?:bac|nam)|dong|tay|nam|bac)"
    r"(?![a-z])"
)


def _values(name: str, text: str) -> set[str] | None:
    """The distinct values of one field written in `text` (None: not counted for it)."""
    if name == "price_vnd":
        scale = {"ty": 1000.0, "ti": 1000.0, "trieu": 1.0, "tr": 1.0}
        return {
            f"{float(n.replace(',', '.')) * scale[u]:.0f}" for n, u in _PRICE_VALUES.findall(text)
        }
    if name == "area_m2":
        found = {n.replace(",", ".") for n in _AREA_VALUES.findall(text)}
        found |= {n.replace(",", ".") for n in _AREA_LISTED.findall(text)}
        for a, b in _DIMS.findall(text):
            found.add(f"{float(a.replace(',', '.')) * float(b.replace(',', '.')):g}")
        return found
    if name in _COUNT_WORDS:
        return set(re.findall(rf"(?<![\d.,])(\d{{1,2}})\s*(?:{_COUNT_WORDS[name]})(?![a-z])", text))
    if name == "direction":
        return {re.sub(r"[\s-]+", " ", d) for d in _DIRECTION_VALUES.findall(text)}
    return None


def unambiguous(name: str, text: str) -> bool:
    """Whether the text writes at most one value for the field (a post listing several units
    or lots writes several: which one the portal's form holds is not in the text)."""
    found = _values(name, text)
    return found is not None and len(found) <= 1


def _same(name: str, truth: Any, got: Any, row: dict[str, str]) -> bool:
    if name == "price_vnd":
        return bool(abs(got - truth) <= 0.02 * truth)
    if name == "area_m2":
        return bool(abs(got - truth) <= max(0.5, 0.01 * truth))
    if name in ("frontage_m", "road_width_m"):
        return bool(abs(got - truth) <= 0.05)
    if name == "legal_status" and truth is LegalStatus.PINK_BOOK:
        cell = fold(row.get("legal_status") or "")
        if "do" in cell and "hong" in cell:
            return got in (LegalStatus.PINK_BOOK, LegalStatus.RED_BOOK)
    return bool(got == truth)


def _either_book_stated(name: str, truth: Any, row: dict[str, str], text: str) -> bool:
    """The portal's "Sổ đỏ/ Sổ hồng" (read as pink) is stated by either book's words."""
    if name != "legal_status" or truth is not LegalStatus.PINK_BOOK:
        return False
    cell = fold(row.get("legal_status") or "")
    return "do" in cell and "hong" in cell and stated(name, LegalStatus.RED_BOOK, text)


def _truth(row: dict[str, str]) -> dict[str, Any]:
    ctx = csv_formats.RowContext(None, Fixes())
    return csv_formats.convert_bdscomvn(row, ctx)


def _lenient_types(slug: str) -> set[PropertyType]:
    return set(portal_types(slug))


def _score_row(report: Report, row: dict[str, str], got: Extraction, truth: dict[str, Any]) -> None:
    listing = got.listing
    rid = row.get("product_id") or "?"
    text = fold(f"{row.get('title') or ''}\n{row.get('description') or ''}")
    for name in FIELDS:
        score = report.fields.setdefault(name, FieldScore())
        want = truth.get(name)
        if want is None:
            continue
        score.labelled += 1
        is_stated = stated(name, want, text) or _either_book_stated(name, want, row, text)
        score.stated += is_stated
        value = getattr(listing, name)
        right = value is not None and _same(name, want, value, row)
        score.extracted += value is not None
        score.right += right
        score.stated_right += right and is_stated
        if is_stated and unambiguous(name, text):
            score.single += 1
            score.single_right += right
        if not right:
            score.misses.append((rid, want, value, is_stated))
    slug = (row.get("property_type_slug") or "").strip()
    strict, _ = slug_type(slug)
    if strict is not None:
        report.typed_rows += 1
        report.type_strict += got.classification.property_type is strict
        report.type_lenient += got.classification.property_type in _lenient_types(slug)
        report.type_samples.append((sample_of(got), strict, _lenient_types(slug)))
        if got.classification.property_type not in _lenient_types(slug):
            report.type_confusion[(slug, got.classification.property_type.value)] += 1


def _district_from_text(report: Report, extractor: AttributeExtractor, rows: list[Any]) -> None:
    score = report.fields.setdefault("district_text", FieldScore())
    for row, truth in rows:
        if truth.get("district") is None:
            continue
        score.labelled += 1
        raw = RawListing(title=row["title"] or "-", description=row.get("description") or "")
        got = extractor.run(raw).listing.district
        if got is not None:
            score.extracted += 1
            score.right += got == truth["district"]


def evaluate_extraction(path: Path, limit: int | None = None) -> Report:
    """Score every row of a bdscomvn CSV (see the module doc)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:limit]
    pairs = [(row, _truth(row)) for row in rows]
    raws = [
        RawListing(
            title=(row.get("title") or "-")[:1000],
            description=(row.get("description") or "")[:50_000],
            address=(row.get("address") or None),
            source="bdscomvn",
            source_id=row.get("product_id") or None,
        )
        for row in rows
    ]
    extractor, scorer = AttributeExtractor(ListingClassifier()), CompletenessScorer()
    report = Report(rows=len(rows))
    started = time.perf_counter()
    results = [extractor.run(raw) for raw in raws]
    for r in results:
        scorer.run(r)
    report.seconds = time.perf_counter() - started
    for (row, truth), got in zip(pairs, results, strict=True):
        _score_row(report, row, got, truth)
    _district_from_text(report, extractor, pairs)
    return report


def cross_validate_types(report: Report, folds: int = 5, seed: int = 0) -> dict[str, Any]:
    """The learned type model (`ree.listings.type_model`) scored by k-fold cross-validation
    on the report's typed rows: each fold is predicted by a model fitted on the others.

    The model learns REE's vocabulary (`type_model.taxonomy_label`: a "liền kề" post filed under
    villas is a townhouse), so lenient accuracy is its measure. Returns strict and lenient
    accuracy beside the rules', and lenient accuracy per confidence band (is the model's
    probability honest?).
    """
    from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

    rows = report.type_samples
    # what the model learns: REE's one vocabulary ("liền kề" filed under villas is a townhouse)
    labels = [
        taxonomy_label(frozenset(allowed) if len(allowed) > 1 else strict, sample.rule_type)
        for sample, strict, allowed in rows
    ]
    counts = Counter(labels)
    guesses: list[tuple[PropertyType, float] | None] = [None] * len(rows)
    # a type rarer than the folds cannot be stratified: the rules keep those rows
    keep = [i for i, label in enumerate(labels) if counts[label] >= folds]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(keep, [labels[i] for i in keep]):
        model = TypeModel.fit(
            [rows[keep[i]][0] for i in train], [labels[keep[i]] for i in train], min_rows=1
        )
        for i, guess in zip(test, model.predict([rows[keep[i]][0] for i in test]), strict=True):
            guesses[keep[i]] = guess
    strict = lenient = 0
    bands: dict[str, list[int]] = {
        "<0.5": [0, 0],
        "0.5-0.7": [0, 0],
        "0.7-0.9": [0, 0],
        ">=0.9": [0, 0],
    }
    for (sample, want, allowed), guessed in zip(rows, guesses, strict=True):
        got, p = guessed if guessed is not None else (sample.rule_type, sample.rule_confidence)
        strict += got is want
        lenient += got in allowed
        band = "<0.5" if p < 0.5 else "0.5-0.7" if p < 0.7 else "0.7-0.9" if p < 0.9 else ">=0.9"
        bands[band][0] += 1
        bands[band][1] += got in allowed  # right in REE's vocabulary
    n = len(rows) or 1
    return {
        "rows": len(rows),
        "folds": folds,
        "strict": round(strict / n, 4),
        "lenient": round(lenient / n, 4),
        "rules_strict": round(report.type_strict / (report.typed_rows or 1), 4),
        "rules_lenient": round(report.type_lenient / (report.typed_rows or 1), 4),
        "bands": {
            k: {"rows": v[0], "lenient": round(v[1] / v[0], 4) if v[0] else None}
            for k, v in bands.items()
        },
    }


def _print(report: Report, misses: int) -> None:
    for name, s in report.fields.items():
        print(
            f"{name:18} labelled {s.labelled:5}  accuracy {s.accuracy:.3f}  "
            f"stated {s.stated:5} stated-accuracy {s.stated_accuracy:.3f}  "
            f"precision {s.precision:.3f}  coverage {s.coverage:.3f}"
            + (f"  one-value {s.single:5} accuracy {s.single_accuracy:.3f}" if s.single else "")
        )
        wrong = [m for m in s.misses if m[2] is not None][:misses]
        lost = [m for m in s.misses if m[2] is None and m[3]][:misses]
        for rid, want, got, said in wrong + lost:
            print(f"    {rid}: want {want!r} got {got!r}{'' if said else '  (not stated)'}")
    n = report.typed_rows or 1
    print(
        f"classification     rows {report.typed_rows}  strict {report.type_strict / n:.3f}  "
        f"lenient {report.type_lenient / n:.3f}"
    )
    for (slug, got), count in report.type_confusion.most_common(8):
        print(f"    {slug} -> {got}: {count}")
    learned = cross_validate_types(report)
    print(
        f"learned types      rows {learned['rows']}  strict {learned['strict']:.3f}  "
        f"lenient {learned['lenient']:.3f}  ({learned['folds']}-fold cross-validation)"
    )
    print(
        f"throughput         {report.listings_per_second:.0f} listings/s (extract+classify+score)"
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m ree.listings.evaluate [DATA_DIR] [--misses N]`."""
    args = list(sys.argv[1:] if argv is None else argv)
    misses = 5
    if "--misses" in args:
        i = args.index("--misses")
        misses = int(args[i + 1])
        del args[i : i + 2]
    data = Path(args[0]) if args else Path.cwd().parent / "shared" / "data"
    path = data / DEV_FILE
    if not path.exists():
        print(f"{path} not found: pass the data directory", file=sys.stderr)
        return 2
    _print(evaluate_extraction(path), misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
