"""Score extraction and classification against a portal's own structured columns.

`evaluate_extraction(path)` reads `bdscomvn-2025-dev.csv`, builds each row's truth with the
ingest loader's conversion (which repairs the ~10% of rows whose price cell holds the price
per m²), withholds every structured column from the extractor (it sees only title,
description and address) and compares field by field:

- `accuracy` = right / rows whose column has a value (what the task's targets mean);
- `precision` = right / rows where both the column and the extraction have a value;
- `coverage` = rows where the extraction has a value / rows whose column has one.

Prices match within 2%, areas within 1% (or 0.5 m²), widths within 0.05 m. The portal's
combined legal category "Sổ đỏ/ Sổ hồng" accepts either book. `district` and `province` come
from the address (an input); `district_text` scores the district from title and description
alone. Classification is scored against `property_type_slug`: strict (the loader's mapping)
and lenient ("biệt thự liền kề" accepts villa or townhouse).

Run it: `python -m ree.listings.evaluate [DATA_DIR]` (prints the worst misses and a summary).
"""

from __future__ import annotations

import csv
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
from ree.models import LegalStatus, PropertyType
from ree.vi.text import fold

__all__ = ["FieldScore", "Report", "evaluate_extraction", "main"]

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
    misses: list[tuple[str, Any, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.labelled if self.labelled else 0.0

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


def _truth(row: dict[str, str]) -> dict[str, Any]:
    ctx = csv_formats.RowContext(None, Fixes())
    return csv_formats.convert_bdscomvn(row, ctx)


def _lenient_types(slug: str) -> set[PropertyType]:
    ptype, _ = slug_type(slug)
    allowed = {ptype} if ptype else set()
    if slug == "ban-nha-biet-thu-lien-ke":
        allowed |= {PropertyType.VILLA, PropertyType.TOWNHOUSE}
    if slug.startswith("ban-shophouse"):
        allowed |= {PropertyType.SHOPHOUSE, PropertyType.TOWNHOUSE}
    return allowed


def _score_row(report: Report, row: dict[str, str], got: Extraction, truth: dict[str, Any]) -> None:
    listing = got.listing
    rid = row.get("product_id") or "?"
    for name in FIELDS:
        score = report.fields.setdefault(name, FieldScore())
        want = truth.get(name)
        if want is None:
            continue
        score.labelled += 1
        value = getattr(listing, name)
        if value is None:
            score.misses.append((rid, want, None))
            continue
        score.extracted += 1
        if _same(name, want, value, row):
            score.right += 1
        else:
            score.misses.append((rid, want, value))
    slug = (row.get("property_type_slug") or "").strip()
    strict, _ = slug_type(slug)
    if strict is not None:
        report.typed_rows += 1
        report.type_strict += got.classification.property_type is strict
        report.type_lenient += got.classification.property_type in _lenient_types(slug)
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


def _print(report: Report, misses: int) -> None:
    for name, s in report.fields.items():
        print(
            f"{name:18} labelled {s.labelled:5}  accuracy {s.accuracy:.3f}  "
            f"precision {s.precision:.3f}  coverage {s.coverage:.3f}"
        )
        wrong = [m for m in s.misses if m[2] is not None][:misses]
        for rid, want, got in wrong:
            print(f"    {rid}: want {want!r} got {got!r}")
    n = report.typed_rows or 1
    print(
        f"classification     rows {report.typed_rows}  strict {report.type_strict / n:.3f}  "
        f"lenient {report.type_lenient / n:.3f}"
    )
    for (slug, got), count in report.type_confusion.most_common(8):
        print(f"    {slug} -> {got}: {count}")
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
