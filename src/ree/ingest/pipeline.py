"""Ingest: stream listings into a `SearchBackend` in batches, and report what happened.

    ingest(listings, backend)   any iterable of `Listing` (demo data, a crawler, an API body)
    ingest_path(path, backend)  a file or a directory of *.jsonl / *.ndjson / *.csv

Writes are idempotent upserts by id, so re-running an ingest never duplicates anything.
A batch the backend refuses as invalid is retried one listing at a time, so one bad
listing is reported (with its id) instead of sinking its whole batch; a backend that is
down (`Unavailable`, or any other error) stops the ingest with that error.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ree.errors import InvalidInput
from ree.ingest.loaders import MAX_REPORTED, LoadReport, listing_files, read_listings
from ree.models import Listing
from ree.search.base import SearchBackend

Progress = Callable[[int], None]
_REFUSED = (InvalidInput, ValueError, ValidationError)


@dataclass
class IngestReport:
    """The outcome of one ingest.

    `read` counts listings (or file rows) taken in, `written` those the backend stored.
    `rejected` keeps the first 100 (where, why) pairs; `rejected_count` counts them all.
    """

    read: int = 0
    written: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    rejected_count: int = 0
    seconds: float = 0.0
    fixes: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @property
    def listings_per_s(self) -> float:
        """Listings written per second of wall time."""
        return self.written / self.seconds if self.seconds > 0 else 0.0

    def reject(self, where: str, message: str) -> None:
        """Count one rejection; keep its reason while fewer than 100 are kept."""
        self.rejected_count += 1
        if len(self.rejected) < MAX_REPORTED:
            self.rejected.append((where, message))


def ingest(
    listings: Iterable[Listing],
    backend: SearchBackend,
    batch_size: int = 256,
    progress: Progress | None = None,
) -> IngestReport:
    """Upsert `listings` into `backend` in batches of `batch_size`.

    `progress`, if given, is called after every batch with the number of listings in that
    batch (an increment, as `rich.progress.Progress.advance` takes it). Returns the counts,
    rejections and timing.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    report = IngestReport()
    started = time.perf_counter()
    for batch in _batches(listings, batch_size):
        report.read += len(batch)
        report.written += _write(backend, batch, report)
        if progress is not None:
            progress(len(batch))
    report.seconds = time.perf_counter() - started
    return report


def ingest_path(
    path: Path | str,
    backend: SearchBackend,
    progress: Progress | None = None,
    batch_size: int = 256,
) -> IngestReport:
    """Load a file, or every listing file under a directory, and ingest it.

    Rows the loaders reject are part of the report, with their file and row/line number;
    in a directory, a file whose format is unknown is reported and skipped.
    """
    files = listing_files(path)
    load = LoadReport()
    stream = _stream(files, load, skip_unknown=Path(path).is_dir())
    report = ingest(stream, backend, batch_size=batch_size, progress=progress)
    report.read = load.read
    report.rejected = [*load.rejected, *report.rejected][:MAX_REPORTED]
    report.rejected_count += load.rejected_count
    report.fixes = dict(load.fixes)
    report.files = [str(p) for p in files]
    return report


def _stream(files: list[Path], load: LoadReport, skip_unknown: bool) -> Iterator[Listing]:
    """Every file's listings; in a directory, a file of unknown format is one rejection."""
    for file in files:
        try:
            yield from read_listings(file, load)
        except InvalidInput as err:
            if not skip_unknown:
                raise
            load.reject(file.name, err.message)


def _batches(listings: Iterable[Listing], size: int) -> Iterator[list[Listing]]:
    batch: list[Listing] = []
    for listing in listings:
        batch.append(listing)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(backend: SearchBackend, batch: list[Listing], report: IngestReport) -> int:
    try:
        return backend.upsert(batch)
    except _REFUSED:
        pass
    written = 0
    for listing in batch:  # isolate the listing(s) the backend refuses
        try:
            written += backend.upsert([listing])
        except _REFUSED as err:
            report.reject(listing.id, _message(err))
    return written


def _message(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        return f"{'.'.join(str(x) for x in first['loc'])}: {first['msg']}"
    return getattr(err, "message", None) or str(err) or type(err).__name__
