"""The contract every `SearchBackend` passes (embedded tantivy+usearch, OpenSearch, ...).

Subclass `SearchBackendContract` in a test module, supply a `backend` fixture yielding an
empty index, and override `reopen` when the backend persists::

    class TestEmbeddedSearch(SearchBackendContract):
        @pytest.fixture
        def backend(self, tmp_path: Path) -> Iterator[SearchBackend]:
            search = EmbeddedSearch(tmp_path / "index")
            yield search
            search.close()

        def reopen(self, backend: SearchBackend) -> SearchBackend:
            ...  # close it and open the same storage again

Rules the suite pins (beyond the protocol docstrings):
- with query text every listing of the filtered set may be returned (the vector retriever
  ranks them all); `total` is the size of the filtered set, and `Hit.bm25_rank` is set only
  for listings that match the text lexically;
- sorts (`price_asc`, `price_desc`, `area_desc`, `newest` = `posted_at` descending) put
  listings lacking the sort value last; without query text and sort the order is newest;
- text matching ignores Vietnamese diacritics and case ("can ho" finds "Căn hộ").
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ree.models import (
    Direction,
    Feature,
    Filters,
    LegalStatus,
    Listing,
    PropertyType,
    Sort,
    Transaction,
)
from ree.search.base import SearchBackend, SearchResult
from ree.testing.listing_corpus import (
    FEATURE_WORDS,
    FILTER_VOCABULARY,
    PROJECTS,
    full_listing,
    make_listings,
)

__all__ = ["SearchBackendContract", "filters_strategy", "sort_key"]

CORPUS_SIZE = 90


def filters_strategy() -> st.SearchStrategy[Filters]:
    """Random `Filters` over the corpus vocabulary (each key set with probability ~1/4)."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, values in FILTER_VOCABULARY.items():
        choice = st.sampled_from(values)
        if name in ("transaction", "province", "project"):
            fields[name] = choice
        else:
            fields[name] = st.lists(choice, min_size=1, max_size=3, unique=True)
    fields["price_min"] = st.integers(0, 8_000_000_000)
    fields["price_max"] = st.integers(1_000_000, 15_000_000_000)
    fields["area_min"] = st.floats(0, 200, allow_nan=False)
    fields["area_max"] = st.floats(20, 400, allow_nan=False)
    fields["bedrooms_min"] = st.integers(0, 5)
    fields["bedrooms_max"] = st.integers(0, 5)
    fields["bathrooms_min"] = st.integers(0, 4)
    optional = {name: st.one_of(st.none(), s, st.none(), st.none()) for name, s in fields.items()}
    return st.fixed_dictionaries(optional).map(lambda d: Filters(**d))


def sort_key(sort: Sort) -> Callable[[Listing], tuple[bool, float]]:
    """Order of `sort` as a key: missing values last (sorted() ascending)."""
    getters: dict[Sort, tuple[Callable[[Listing], Any], float]] = {
        Sort.PRICE_ASC: (lambda x: x.price_vnd, 1.0),
        Sort.PRICE_DESC: (lambda x: x.price_vnd, -1.0),
        Sort.AREA_DESC: (lambda x: x.area_m2, -1.0),
        Sort.NEWEST: (lambda x: x.posted_at.timestamp() if x.posted_at else None, -1.0),
    }
    get, sign = getters[sort]

    def key(listing: Listing) -> tuple[bool, float]:
        value = get(listing)
        return (value is None, sign * float(value) if value is not None else 0.0)

    return key


def _ids(result: SearchResult) -> list[str]:
    return [hit.listing.id for hit in result.hits]


def _everything(backend: SearchBackend, query: str | None, filters: Filters) -> SearchResult:
    return backend.search(query, filters, limit=CORPUS_SIZE * 2)


class SearchBackendContract:
    """Tests every `SearchBackend` must pass; subclasses provide the `backend` fixture."""

    def reopen(self, backend: SearchBackend) -> SearchBackend:
        """Close `backend` and open its storage again; backends without storage skip."""
        pytest.skip("this backend cannot be reopened")

    @pytest.fixture
    def corpus(self) -> list[Listing]:
        return make_listings(CORPUS_SIZE, seed=11)

    @pytest.fixture
    def loaded(self, backend: SearchBackend, corpus: list[Listing]) -> SearchBackend:
        assert backend.upsert(corpus) == len(corpus)
        return backend

    # ----- storage ---------------------------------------------------------------------------

    def test_satisfies_protocol(self, backend: SearchBackend) -> None:
        assert isinstance(backend, SearchBackend)

    def test_empty_index(self, backend: SearchBackend) -> None:
        assert backend.count() == 0
        assert backend.get("gen:0") is None
        assert backend.newest_crawl() is None
        for query in (None, "căn hộ"):
            result = backend.search(query, Filters())
            assert result.hits == [] and result.total == 0

    def test_round_trip_full_listing(self, backend: SearchBackend) -> None:
        listing = full_listing()
        assert backend.upsert([listing]) == 1
        assert backend.get(listing.id) == listing
        hit = backend.search("Hoa Sen Tower", Filters()).hits[0]
        assert hit.listing == listing

    def test_get_many_keeps_order_and_skips_unknown(
        self, loaded: SearchBackend, corpus: list[Listing]
    ) -> None:
        wanted = ["gen:5", "nope:1", "gen:2", "gen:40"]
        got = loaded.get_many(wanted)
        assert [x.id for x in got] == ["gen:5", "gen:2", "gen:40"]
        assert got == [corpus[5], corpus[2], corpus[40]]
        assert loaded.get_many([]) == []

    def test_upsert_is_idempotent_and_latest_wins(self, backend: SearchBackend) -> None:
        first = full_listing("dup:1").model_copy(update={"title": "Bán căn hộ aardvark"})
        backend.upsert([*make_listings(10, seed=3), first])
        assert backend.upsert([first]) == 1
        assert backend.count() == 11
        second = first.model_copy(update={"title": "Bán căn hộ zeppelin", "description": ""})
        backend.upsert([second])
        assert backend.count() == 11
        assert backend.get("dup:1") == second
        stale = [h for h in backend.search("aardvark", Filters()).hits if h.listing.id == "dup:1"]
        assert all(h.bm25_rank is None for h in stale), "old text still matches"
        top = backend.search("zeppelin", Filters()).hits[0]
        assert top.listing == second and top.bm25_rank == 1

    def test_duplicate_ids_in_one_batch_keep_the_last(self, backend: SearchBackend) -> None:
        a = full_listing("dup:2")
        b = a.model_copy(update={"price_vnd": 1_000_000_000})
        backend.upsert([a, b])
        assert backend.count() == 1
        assert backend.get("dup:2") == b

    def test_delete(self, loaded: SearchBackend, corpus: list[Listing]) -> None:
        victim = corpus[7]
        assert loaded.delete(victim.id) is True
        assert loaded.delete(victim.id) is False
        assert loaded.get(victim.id) is None
        assert loaded.count() == len(corpus) - 1
        for query in (victim.title, None):
            assert victim.id not in _ids(_everything(loaded, query, Filters()))
        assert loaded.delete("nope:404") is False

    def test_count_and_newest_crawl(self, loaded: SearchBackend, corpus: list[Listing]) -> None:
        assert loaded.count() == len(corpus)
        assert loaded.newest_crawl() == max(x.crawled_at for x in corpus if x.crawled_at)

    def test_persistence(self, loaded: SearchBackend, corpus: list[Listing]) -> None:
        probes = [(None, Filters()), ("căn hộ view sông", Filters(province="Hồ Chí Minh"))]
        before = [_ids(loaded.search(q, f, limit=20)) for q, f in probes]
        reopened = self.reopen(loaded)
        try:
            assert reopened.count() == len(corpus)
            assert reopened.get(corpus[3].id) == corpus[3]
            assert [_ids(reopened.search(q, f, limit=20)) for q, f in probes] == before
        finally:
            reopened.close()

    # ----- filters ---------------------------------------------------------------------------

    @pytest.mark.parametrize(
        "filters",
        [
            Filters(transaction=Transaction.RENT),
            Filters(property_types=[PropertyType.APARTMENT, PropertyType.VILLA]),
            Filters(province="Hà Nội"),
            Filters(districts=["Quận 7", "Cầu Giấy"]),
            Filters(wards=["Phường 2"]),
            Filters(streets=["Lê Lợi", "Đường số 7"]),
            Filters(project=PROJECTS[0]),
            Filters(price_min=2_000_000_000, price_max=9_000_000_000),
            Filters(area_min=50.5, area_max=120),
            Filters(bedrooms_min=2, bedrooms_max=3),
            Filters(bathrooms_min=3),
            Filters(directions=[Direction.NORTH, Direction.SOUTH_EAST, Direction.WEST]),
            Filters(legal=[LegalStatus.PINK_BOOK, LegalStatus.RED_BOOK]),
            Filters(features=[Feature.POOL]),
            Filters(features=[Feature.POOL, Feature.GYM]),
            Filters(province="Cần Thơ"),
        ],
        ids=lambda f: ",".join(f.constrained()),
    )
    def test_each_filter_key(
        self, loaded: SearchBackend, corpus: list[Listing], filters: Filters
    ) -> None:
        expected = {x.id for x in corpus if filters.matches(x)}
        result = _everything(loaded, None, filters)
        assert set(_ids(result)) == expected
        assert result.total == len(expected)
        ranked = _everything(loaded, "bán căn hộ", filters)
        assert set(_ids(ranked)) <= expected and ranked.total == len(expected)

    def test_extreme_values_and_bounds(self, loaded: SearchBackend, corpus: list[Listing]) -> None:
        absurd = full_listing("big:0").model_copy(update={"price_vnd": 10**20})
        loaded.upsert([absurd])  # beyond 64 bits: stored and returned intact
        assert loaded.get(absurd.id) == absurd
        loaded.delete(absurd.id)
        huge = full_listing("big:1").model_copy(update={"price_vnd": 10**18, "bedrooms": 100})
        loaded.upsert([huge])
        everything = [*corpus, huge]
        for filters in (
            Filters(price_min=10**30),
            Filters(price_max=10**19),
            Filters(price_min=10**19),
            Filters(bedrooms_min=2**70),
            Filters(area_min=float("inf")),
        ):
            expected = {x.id for x in everything if filters.matches(x)}
            for query in (None, "căn hộ"):
                result = _everything(loaded, query, filters)
                assert result.total == len(expected), filters
                assert {h.listing.id for h in result.hits} <= expected

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.differing_executors,  # one test per backend subclass, by design
        ],
    )
    @given(data=st.data())
    def test_random_filters_match_brute_force(
        self, backend: SearchBackend, corpus: list[Listing], data: st.DataObject
    ) -> None:
        if backend.count() == 0:  # the same backend serves every example
            backend.upsert(corpus)
        filters = data.draw(filters_strategy(), label="filters")
        query = data.draw(st.sampled_from([None, "", "căn hộ", "nha pho hem xe hoi", "Quận 7"]))
        expected = {x.id for x in corpus if filters.matches(x)}
        result = _everything(backend, query, filters)
        assert result.total == len(expected)
        ids = _ids(result)
        assert len(ids) == len(set(ids)), "duplicate hits"
        for hit in result.hits:
            assert filters.matches(hit.listing), hit.listing.id
        if not query:
            assert set(ids) == expected

    # ----- ranking and paging ----------------------------------------------------------------

    def test_pagination_has_no_duplicates_or_gaps(self, loaded: SearchBackend) -> None:
        for query, filters in [(None, Filters()), ("căn hộ hồ bơi", Filters())]:
            whole = _ids(loaded.search(query, filters, limit=49))
            pages: list[str] = []
            for offset in range(0, 49, 7):
                pages += _ids(loaded.search(query, filters, limit=7, offset=offset))
            assert pages == whole and len(set(pages)) == len(pages) == 49
        tail = loaded.search(None, Filters(), limit=10, offset=CORPUS_SIZE - 4)
        assert len(tail.hits) == 4 and tail.total == CORPUS_SIZE
        assert loaded.search(None, Filters(), limit=10, offset=CORPUS_SIZE + 5).hits == []

    @pytest.mark.parametrize("sort", [Sort.PRICE_ASC, Sort.PRICE_DESC, Sort.AREA_DESC, Sort.NEWEST])
    def test_sort_orders(self, loaded: SearchBackend, corpus: list[Listing], sort: Sort) -> None:
        key = sort_key(sort)
        browse = [h.listing for h in _everything(loaded, None, Filters(sort=sort)).hits]
        assert [key(x) for x in browse] == sorted(key(x) for x in corpus)
        ranked = [h.listing for h in loaded.search("căn hộ", Filters(sort=sort), limit=30).hits]
        assert len(ranked) == 30 and [key(x) for x in ranked] == sorted(key(x) for x in ranked)

    def test_empty_query_is_newest_first(
        self, loaded: SearchBackend, corpus: list[Listing]
    ) -> None:
        filters = Filters(province="Hồ Chí Minh")
        expected = sorted((x for x in corpus if filters.matches(x)), key=sort_key(Sort.NEWEST))
        for query in (None, "", "   "):
            result = loaded.search(query, filters, limit=5)
            assert result.total == len(expected)
            got = [sort_key(Sort.NEWEST)(h.listing) for h in result.hits]
            assert got == [sort_key(Sort.NEWEST)(x) for x in expected[:5]]
        counted = loaded.search(None, filters, limit=0)
        assert counted.hits == [] and counted.total == len(expected)

    def test_queries_without_diacritics_match(self, backend: SearchBackend) -> None:
        target = full_listing("vi:1").model_copy(
            update={"title": "Căn hộ Quận 7 đường Nguyễn Hữu Thọ", "description": "Đẹp."}
        )
        backend.upsert([*make_listings(30, seed=5), target])
        for query in ("can ho quan 7 nguyen huu tho", "DUONG NGUYEN HUU THO", "Nguyễn Hữu Thọ"):
            top = backend.search(query, Filters()).hits[0]
            assert top.listing.id == "vi:1" and top.bm25_rank == 1, query

    def test_project_and_feature_queries_rank_holders_first(
        self, loaded: SearchBackend, corpus: list[Listing]
    ) -> None:
        counts = Counter(x.project for x in corpus if x.project)
        project, held = counts.most_common(1)[0]
        assert held >= 3
        top = loaded.search(project, Filters(), limit=3).hits
        assert all(h.listing.project == project for h in top)
        phrase = FEATURE_WORDS[Feature.RIVER_VIEW]
        top = loaded.search(phrase, Filters(), limit=3).hits
        assert all(Feature.RIVER_VIEW in h.listing.features for h in top)

    def test_hits_report_retriever_ranks(self, loaded: SearchBackend) -> None:
        hits = loaded.search("căn hộ", Filters(), limit=10).hits
        assert hits and all(h.bm25_rank or h.vector_rank for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)

    def test_concurrent_searches_during_upserts(
        self, backend: SearchBackend, corpus: list[Listing]
    ) -> None:
        backend.upsert(corpus[:30])
        errors: list[BaseException] = []
        stop = threading.Event()
        filters = Filters(transaction=Transaction.SALE)

        def reader() -> None:
            try:
                while not stop.is_set():
                    for hit in backend.search("căn hộ", filters, limit=20).hits:
                        assert filters.matches(hit.listing)
                    backend.search(None, filters, limit=20)
            except BaseException as exc:  # report anything, even a panic from native code
                errors.append(exc)

        threads = [threading.Thread(target=reader) for _ in range(3)]
        for t in threads:
            t.start()
        try:
            for start in range(30, len(corpus), 20):
                backend.upsert(corpus[start : start + 20])
            backend.delete(corpus[0].id)
        finally:
            stop.set()
            for t in threads:
                t.join()
        assert errors == []
        assert backend.count() == len(corpus) - 1
