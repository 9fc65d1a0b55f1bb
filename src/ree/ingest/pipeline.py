"""Ingest: analyse listings (stages 1→6), merge reposts, write them in batches, report.

    IngestPipeline(backend, analysis).run(listings)    the whole pipeline on any iterable
    IngestPipeline(...).run_path(path)                 a file or a directory of listing files
    ingest(listings, backend) / ingest_path(...)       the same; `analysis=None` writes as is
    ServingIngest(backend, data_dir, model).run(...)   the same stages for a serving process
                                                       (POST /v1/listings): one run at a time

Per batch, in order: chunk → extract → classify (junk rejected and counted by reason) →
completeness → price (when a price model exists) → dedup (a repost merges into its
canonical, the other ids listed in `sources`) → write. Each stage's wall time is summed
in the report (`stage_seconds`); `latencies` keeps per-listing times when asked.

Without a price model (a fresh data dir), `Analysis.default` asks for one to be fitted at the
end of the run on the whole index (`ree.listings.pricing.fit_from_index`, saved to
`data_dir/price_model`), then a second pass prices the listings this run wrote: they are
read back, priced in batches and upserted again (the embedded index keeps a vector whose
text did not change, so the pass costs no embedding). `IngestReport.price_model` says what
happened: rows and seconds of the fit and of the pass, or why no model was fitted.

Writes are idempotent upserts by id, so re-running an ingest never duplicates anything
(the deduplicator's state, saved next to the index, remembers which id went where). A batch
the backend refuses as invalid is retried one listing at a time, so one bad listing is
reported (with its id) instead of sinking its whole batch; a backend that is down
(`Unavailable`, or any other error) stops the ingest with that error.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ree.errors import InvalidInput
from ree.ingest.loaders import MAX_REPORTED, LoadReport, listing_files, read_listings
from ree.ingest.stages import (
    Analyzed,
    ChunkStage,
    CompletenessStage,
    ExtractStage,
    PricePredictor,
    PriceStage,
    junk_reason,
)
from ree.listings import pricing
from ree.listings.dedup import ListingDeduplicator, merge
from ree.listings.type_model import LearnedTypeExtractor, TypeModelFile
from ree.models import Listing
from ree.search.base import SearchBackend

__all__ = [
    "STAGES",
    "Analysis",
    "IngestPipeline",
    "IngestReport",
    "ServingIngest",
    "ingest",
    "ingest_path",
]

Progress = Callable[[int], None]
_REFUSED = (InvalidInput, ValueError, ValidationError)
STAGES = ("read", "chunk", "extract", "classify", "complete", "price", "dedup", "write")
"""The stages timed in `IngestReport.stage_seconds`, in pipeline order ("read": loaders)."""


@dataclass
class IngestReport:
    """The outcome of one ingest.

    `read` counts listings (or file rows) taken in, `written` those the backend stored;
    `duplicates` the reposts merged into a canonical listing; `junk` the listings rejected
    as junk or spam, by reason (`junk_count` in all). `rejected` keeps the first `keep`
    (where, why) pairs of invalid rows or listings; `rejected_count` counts them all.
    `junk_listings` keeps the first `keep` (id, reason) pairs of junk, `merged` the first
    `keep` (id, canonical id) pairs of listings merged into another. `priced` counts the
    listings that got a price estimate; `price_model` reports the fit at the end of the run
    (`{"rows", "fit_s", "priced", "price_s"}` or `{"skipped": why}`; empty: not asked).
    """

    read: int = 0
    written: int = 0
    duplicates: int = 0
    junk: Counter[str] = field(default_factory=Counter)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    rejected_count: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    fixes: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    junk_listings: list[tuple[str, str]] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)
    priced: int = 0
    price_model: dict[str, Any] = field(default_factory=dict)
    keep: int = MAX_REPORTED

    @property
    def junk_count(self) -> int:
        """Listings rejected as junk or spam."""
        return sum(self.junk.values())

    @property
    def listings_per_s(self) -> float:
        """Listings read per second of wall time."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def reject(self, where: str, message: str) -> None:
        """Count one rejection; keep its reason while fewer than `keep` are kept."""
        self.rejected_count += 1
        if len(self.rejected) < self.keep:
            self.rejected.append((where, message))

    def reject_junk(self, listing_id: str, reason: str) -> None:
        """Count one listing rejected as junk (by reason); keep its id while there is room."""
        self.junk[reason] += 1
        if len(self.junk_listings) < self.keep:
            self.junk_listings.append((listing_id, reason))

    def merge(self, listing_id: str, into: str) -> None:
        """Count one listing merged into the canonical `into`."""
        self.duplicates += 1
        if len(self.merged) < self.keep:
            self.merged.append((listing_id, into))

    def timed(self, stage: str, seconds: float) -> None:
        """Add `seconds` to a stage's total."""
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds


@dataclass
class Analysis:
    """The analysis stages an ingest runs; a None stage is skipped.

    `Analysis.default(data_dir)` builds them all: the type model (`ree fit-types`) is read
    from `data_dir/type_model.joblib` when one was saved there, the price model from
    `data_dir/price_model` when one was saved there (else `fit_price_to` asks the pipeline
    to fit one there after the run, from at least `price_min_rows` listings per segment),
    and the deduplicator's state from `data_dir/dedup.pkl` (saved back by
    `IngestPipeline.close`).
    """

    chunk: ChunkStage | None = field(default_factory=ChunkStage)
    extract: ExtractStage | None = field(default_factory=ExtractStage)
    complete: CompletenessStage | None = field(default_factory=CompletenessStage)
    price: PriceStage | None = None
    dedup: ListingDeduplicator | None = field(default_factory=ListingDeduplicator)
    dedup_path: Path | None = None
    fit_price_to: Path | None = None
    price_min_rows: int = pricing.MIN_ROWS

    @classmethod
    def default(cls, data_dir: Path | None = None, price_min_rows: int | None = None) -> Analysis:
        """Every stage; state and models from `data_dir` when given (no saved price model:
        one is fitted there at the end of the run)."""
        if data_dir is None:
            return cls()
        model_path = data_dir / "price_model"
        model = pricing.PriceModel.load(model_path) if model_path.exists() else None
        dedup_path = data_dir / "dedup.pkl"
        return cls(
            extract=learned_extract(data_dir),
            price=PriceStage(model) if model is not None else None,
            dedup=ListingDeduplicator.load(dedup_path),
            dedup_path=dedup_path,
            fit_price_to=model_path if model is None else None,
            price_min_rows=price_min_rows or pricing.MIN_ROWS,
        )

    @classmethod
    def with_price_model(cls, model: PricePredictor) -> Analysis:
        """Every stage, pricing with `model`."""
        return cls(price=PriceStage(model))


def learned_extract(data_dir: Path, model: TypeModelFile | None = None) -> ExtractStage:
    """The extract stage with the type model saved in `data_dir` (`ree fit-types`; or the
    serving process's `model` file), reloaded when a newer one is saved; while there is none,
    the rules decide types alone."""
    return ExtractStage(LearnedTypeExtractor(model or TypeModelFile(data_dir)))


class IngestPipeline:
    """Analyse and write listings into `backend`: `run(listings) -> IngestReport`.

    `analysis=None` skips every analysis stage (listings are written as given: demo data,
    already analysed exports). `record_latencies` keeps each listing's time per stage.
    `clock` times the stages (wall time by default; `time.process_time` gives CPU time,
    which a loaded machine does not inflate). `keep` bounds the (id, reason) pairs the report
    lists per kind (invalid, junk, merged).
    """

    def __init__(
        self,
        backend: SearchBackend,
        analysis: Analysis | None = None,
        batch_size: int = 256,
        record_latencies: bool = False,
        clock: Callable[[], float] = time.perf_counter,
        keep: int = MAX_REPORTED,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.backend, self.analysis = backend, analysis
        self.batch_size, self.record_latencies = batch_size, record_latencies
        self._clock, self.keep = clock, keep

    def run(self, listings: Iterable[Listing], progress: Progress | None = None) -> IngestReport:
        """Analyse and upsert `listings` batch by batch.

        `progress`, if given, is called after every batch with the number of listings in it
        (an increment, as `rich.progress.Progress.advance` takes it).
        """
        report = IngestReport(keep=self.keep)
        started = time.perf_counter()
        stream = _timed_stream(listings, report, self._clock)
        fit = self._fit_target()
        written_ids: list[str] = []
        for batch in _batches(stream, self.batch_size):
            report.read += len(batch)
            ready = self.analyse(batch, report)
            clock = self._clock()
            report.written += _write(self.backend, ready, report)
            report.timed("write", self._clock() - clock)
            if fit is not None:
                written_ids += [listing.id for listing in ready]
            if progress is not None:
                progress(len(batch))
        self.close()
        if fit is not None:
            report.price_model = self._fit_price(fit, written_ids, report)
        report.seconds = time.perf_counter() - started
        return report

    def run_path(self, path: Path | str, progress: Progress | None = None) -> IngestReport:
        """Load a file, or every listing file under a directory, and ingest it.

        Rows the loaders reject are part of the report, with their file and row/line
        number; in a directory, a file whose format is unknown is reported and skipped.
        """
        files = listing_files(path)
        load = LoadReport()
        scan = self.analysis is None or self.analysis.extract is None
        stream = _stream(files, load, skip_unknown=Path(path).is_dir(), text_features=scan)
        report = self.run(stream, progress=progress)
        report.read = load.read
        report.rejected = [*load.rejected, *report.rejected][: self.keep]
        report.rejected_count += load.rejected_count
        report.fixes = dict(load.fixes)
        report.files = [str(p) for p in files]
        return report

    def close(self) -> None:
        """Save the deduplicator's state where it was loaded from."""
        a = self.analysis
        if a is not None and a.dedup is not None and a.dedup_path is not None:
            a.dedup_path.parent.mkdir(parents=True, exist_ok=True)
            a.dedup.save(a.dedup_path)

    # ----- the price model of a fresh data dir -------------------------------------------

    def _fit_target(self) -> Path | None:
        a = self.analysis
        if a is None or a.price is not None or a.fit_price_to is None:
            return None
        return a.fit_price_to

    def _fit_price(self, path: Path, written: list[str], report: IngestReport) -> dict[str, Any]:
        """Fit the price model on the index and save it at `path`; then price `written`."""
        assert self.analysis is not None
        if self.backend.count() == 0:
            return {"skipped": "the index is empty"}
        try:
            model = pricing.fit_from_index(self.backend, self.analysis.price_min_rows)
        except ValueError as exc:  # too few priced listings to learn from
            return {"skipped": str(exc)}
        model.save(path)
        self.analysis.price, self.analysis.fit_price_to = PriceStage(model), None
        started = self._clock()
        priced = self._price_written(model, written)
        seconds = self._clock() - started
        report.timed("price", seconds)
        report.priced += priced
        rows, fit_s = model.meta.get("rows"), model.meta.get("fit_s")
        return {"rows": rows, "fit_s": fit_s, "priced": priced, "price_s": round(seconds, 3)}

    def _price_written(self, model: PricePredictor, ids: list[str]) -> int:
        """The second pass: read back, price and rewrite the listings this run wrote."""
        stage, priced = PriceStage(model), 0
        ids = list(dict.fromkeys(ids))  # a canonical rewritten by several batches: once
        for start in range(0, len(ids), self.batch_size):
            items = [
                Analyzed(x) for x in self.backend.get_many(ids[start : start + self.batch_size])
            ]
            stage.run(items)
            changed = [i.listing for i in items if i.listing.price_estimate is not None]
            if changed:
                self.backend.upsert(changed)
            priced += len(changed)
        return priced

    # ----- stages --------------------------------------------------------------------------

    def analyse(self, batch: list[Listing], report: IngestReport) -> list[Listing]:
        """Run the analysis stages on one batch: the listings to write (junk out, reposts
        merged), stage times added to `report`. Writes nothing itself, except that a
        canonical replaced by a better repost is deleted from the backend."""
        a = self.analysis
        if a is None:
            return batch
        items = [Analyzed(listing) for listing in batch]
        for name, stage in (("chunk", a.chunk), ("extract", a.extract)):
            if stage is not None:
                self._time(name, report, items, stage.run)
        clock = self._clock()
        kept: list[Analyzed] = []
        for item in items:
            reason = junk_reason(item.classification)
            if reason is None:
                kept.append(item)
            else:
                report.reject_junk(item.listing.id, reason)
        report.timed("classify", self._clock() - clock)
        for name, later in (("complete", a.complete), ("price", a.price)):
            if later is not None and kept:
                self._time(name, report, kept, later.run)
        out = [item.listing for item in kept]
        if a.dedup is not None:
            clock = self._clock()
            out = self._dedup(a.dedup, out, report)
            report.timed("dedup", self._clock() - clock)
        report.priced += sum(1 for x in out if x.price_estimate is not None)
        return out

    def _time(
        self,
        name: str,
        report: IngestReport,
        items: list[Analyzed],
        run: Callable[[list[Analyzed]], None],
    ) -> None:
        clock = self._clock()
        if self.record_latencies:
            times = report.latencies.setdefault(name, [])
            for item in items:
                one = self._clock()
                run([item])
                times.append(self._clock() - one)
        else:
            run(items)
        report.timed(name, self._clock() - clock)

    def _dedup(
        self, dedup: ListingDeduplicator, listings: list[Listing], report: IngestReport
    ) -> list[Listing]:
        """Merge each repost into its canonical (pending in this batch, or in the index)."""
        pending: dict[str, Listing] = {}
        for listing in listings:
            known = listing.id in dedup
            match = dedup.run(listing)
            if match is None:
                pending[listing.id] = self._keep_sources(listing) if known else listing
                continue
            canonical = pending.get(match.canonical_id) or self.backend.get(match.canonical_id)
            if canonical is None:  # the index lost it: this listing stands for the group
                dedup.rename_canonical(match.canonical_id, listing.id)
                pending[listing.id] = listing
                continue
            merged = merge(canonical, listing)
            if merged.id != canonical.id:  # the repost is the better listing: it takes over
                dedup.rename_canonical(canonical.id, merged.id)
                if pending.pop(canonical.id, None) is None:
                    self.backend.delete(canonical.id)
                report.merge(canonical.id, merged.id)
            else:
                report.merge(listing.id, canonical.id)
            pending[merged.id] = merged
        return list(pending.values())

    def _keep_sources(self, listing: Listing) -> Listing:
        """A canonical ingested again keeps the reposts already merged into it."""
        stored = self.backend.get(listing.id)
        if stored is None or not stored.sources:
            return listing
        return listing.model_copy(update={"sources": stored.sources})


class ServingIngest:
    """`ree ingest`'s stages for a serving process (`POST /v1/listings`): `run(listings)`.

    The deduplicator's state is `data_dir/dedup.pkl`, the one `ree ingest` keeps: loaded on
    first use, reloaded when another process saved a newer file, saved after every run. Runs
    are serialised (the state is not thread-safe). `price_model` returns the current model
    (a `PriceModelFile.get`), or None: then listings are written unpriced. Nothing is
    fitted here: the refit job does that for a serving index.
    """

    def __init__(
        self,
        backend: SearchBackend,
        data_dir: Path,
        price_model: Callable[[], PricePredictor | None],
        type_model: TypeModelFile | None = None,
    ) -> None:
        self.backend, self.path = backend, data_dir / "dedup.pkl"
        self.price_model = price_model
        self.extract = learned_extract(data_dir, type_model)
        self._lock = threading.Lock()
        self._dedup: ListingDeduplicator | None = None
        self._mtime: int | None = None

    def run(self, listings: list[Listing]) -> IngestReport:
        """Analyse and write `listings`; every junk, merged and refused one is in the report."""
        with self._lock:
            analysis = Analysis(
                extract=self.extract,
                price=PriceStage(self.price_model),
                dedup=self._state(),
                dedup_path=self.path,
            )
            keep = max(MAX_REPORTED, len(listings))
            report = IngestPipeline(self.backend, analysis, keep=keep).run(listings)
            self._mtime = _mtime(self.path)
            return report

    def _state(self) -> ListingDeduplicator:
        mtime = _mtime(self.path)
        if self._dedup is None or mtime != self._mtime:
            self._dedup, self._mtime = ListingDeduplicator.load(self.path), mtime
        return self._dedup


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def ingest(
    listings: Iterable[Listing],
    backend: SearchBackend,
    batch_size: int = 256,
    progress: Progress | None = None,
    analysis: Analysis | None = None,
) -> IngestReport:
    """Upsert `listings` into `backend` in batches (analysed first when `analysis` is given)."""
    return IngestPipeline(backend, analysis, batch_size).run(listings, progress)


def ingest_path(
    path: Path | str,
    backend: SearchBackend,
    progress: Progress | None = None,
    batch_size: int = 256,
    analysis: Analysis | None = None,
) -> IngestReport:
    """Load a file or a directory of listing files and ingest it (see `run_path`)."""
    return IngestPipeline(backend, analysis, batch_size).run_path(path, progress)


def _timed_stream(
    listings: Iterable[Listing], report: IngestReport, clock: Callable[[], float]
) -> Iterator[Listing]:
    """`listings`, with the time spent producing them (loading, parsing) counted as "read"."""
    iterator = iter(listings)
    while True:
        started = clock()
        try:
            listing = next(iterator)
        except StopIteration:
            report.timed("read", clock() - started)
            return
        report.timed("read", clock() - started)
        yield listing


def _stream(
    files: list[Path], load: LoadReport, skip_unknown: bool, text_features: bool = True
) -> Iterator[Listing]:
    """Every file's listings; in a directory, a file of unknown format is one rejection."""
    for file in files:
        try:
            yield from read_listings(file, load, text_features=text_features)
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
    if not batch:
        return 0
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
