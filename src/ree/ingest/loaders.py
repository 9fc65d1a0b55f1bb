"""Reading listings from files: JSON Lines of `Listing`, or a portal CSV (by its header).

`read_listings(path, report)` streams valid listings. A line or row that does not make a
valid `Listing` is skipped, never silently: it is counted in the `LoadReport` with where it
was ("file.jsonl:line 7", "file.csv:row 12") and why, and passed to `on_reject` if given.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ree.errors import InvalidInput, NotFound
from ree.ingest import csv_formats
from ree.ingest.fields import Fixes, file_time
from ree.models import Listing

MAX_REPORTED = 100
"""How many rejections a report keeps word for word; all of them are counted."""

LISTING_SUFFIXES = (".jsonl", ".ndjson", ".csv")

RejectHandler = Callable[[str, str], None]


@dataclass
class LoadReport:
    """What a load read, kept and rejected; filled while the listings stream.

    `rejected` keeps the first MAX_REPORTED (where, why) pairs; `rejected_count` counts all.
    `fixes` counts repaired or dropped values by kind ("swapped_price", "implausible_price").
    """

    read: int = 0
    loaded: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    rejected_count: int = 0
    fixes: Counter[str] = field(default_factory=Counter)
    formats: Counter[str] = field(default_factory=Counter)

    def reject(self, where: str, message: str) -> None:
        """Count one rejected line/row; keep its reason while fewer than MAX_REPORTED are kept."""
        self.rejected_count += 1
        if len(self.rejected) < MAX_REPORTED:
            self.rejected.append((where, message))


def read_listings(
    path: Path | str,
    report: LoadReport | None = None,
    on_reject: RejectHandler | None = None,
    text_features: bool = True,
) -> Iterator[Listing]:
    """Stream the valid listings of one file, detecting its format.

    `.jsonl`/`.ndjson` files (or any file whose first character is "{") are JSON Lines of
    `Listing`; `.csv` files are matched to a portal format by their header. Raises
    `NotFound` for a missing file and `InvalidInput` for an unknown format.
    `text_features=False` skips the scan of CSV text for features (a later extraction reads
    them).
    """
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    report = report if report is not None else LoadReport()
    kind = _kind(path)
    report.formats[kind] += 1
    rows = _read_jsonl(path) if kind == "jsonl" else _read_csv(path, report, text_features)
    for where, make in rows:
        report.read += 1
        try:
            listing = make()
        except (ValidationError, ValueError, KeyError, TypeError) as err:
            message = _describe(err)
            report.reject(where, message)
            if on_reject is not None:
                on_reject(where, message)
            continue
        report.loaded += 1
        yield listing


def listing_files(path: Path | str) -> list[Path]:
    """`path` itself, or every *.jsonl / *.ndjson / *.csv under a directory, sorted."""
    path = Path(path)
    if path.is_dir():
        found = [p for p in path.rglob("*") if p.is_file() and p.suffix in LISTING_SUFFIXES]
        return sorted(found)
    if not path.exists():
        raise NotFound(f"no such file or directory: {path}")
    return [path]


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
        head = fh.read(64 * 1024)
    if suffix != ".csv" and head.lstrip().startswith("{"):
        return "jsonl"
    lines = head.splitlines()
    header = next(csv.reader([lines[0]])) if lines else []
    fmt = csv_formats.detect(header)
    if fmt is None:
        known = ", ".join(f.name for f in csv_formats.FORMATS)
        raise InvalidInput(f"{path.name}: not JSON Lines and not a known CSV format ({known})")
    return fmt.name


Row = tuple[str, Callable[[], Listing]]


def _read_jsonl(path: Path) -> Iterator[Row]:
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        for lineno, line in enumerate(fh, start=1):
            if line.strip():
                yield f"{path.name}:line {lineno}", _json_maker(line)


def _json_maker(line: str) -> Callable[[], Listing]:
    return lambda: Listing.model_validate_json(line)


def _read_csv(path: Path, report: LoadReport, text_features: bool = True) -> Iterator[Row]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    fixes = Fixes(report.fixes)
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh)
        fmt = csv_formats.detect(reader.fieldnames or [])
        if fmt is None:  # _kind checked the same header
            raise InvalidInput(f"{path.name}: unknown CSV header")
        ctx = csv_formats.RowContext(file_time(path.name), fixes, text_features)
        for rowno, row in enumerate(reader, start=1):
            yield f"{path.name}:row {rowno}", _csv_maker(fmt, row, ctx)


def _csv_maker(
    fmt: csv_formats.CsvFormat, row: dict[str, Any], ctx: csv_formats.RowContext
) -> Callable[[], Listing]:
    return lambda: Listing(**fmt.convert(row, ctx))


def _describe(err: Exception) -> str:
    if isinstance(err, ValidationError):
        parts = []
        for e in err.errors()[:3]:
            loc = ".".join(str(x) for x in e["loc"]) or "listing"
            parts.append(f"{loc}: {e['msg']}")
        more = err.error_count() - len(parts)
        return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")
    return str(err) or type(err).__name__
