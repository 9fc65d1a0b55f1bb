"""The embedded listing index: tantivy (BM25 + filters) and vectors (exact numpy or usearch HNSW).

Layout of `data_dir`::

    tantivy/        the tantivy index: folded text, filter terms, fast fields, listing JSON
    vectors.f32     append-only float32 rows; row n is the embedding of key n (`vectors.py`)
    hnsw.usearch    the HNSW graph over the live rows (saved on close and every ~20k rows)
    meta.json       schema version, embedder, dimension, rows covered by the saved graph

Every tantivy document carries its listing's vector key (`vkey`). Filters run in tantivy.
The vector retriever either takes the filtered set's keys from tantivy and scores them exactly
with numpy (when the set is ≤ `exact_limit` and a measured cost model says it is cheaper:
selective filters), or asks HNSW for more neighbours than needed (oversampled by the filter's
selectivity) and keeps those tantivy confirms alive and matching. A replaced or deleted
listing's key is in no document, so it can never come back.

Ranking: with query text, BM25 and vector candidates (`depth` each, at least offset+limit,
at most `MAX_LIMIT`) are fused (RRF or weighted); when `filters.sort` is price/area/newest
the fused candidate set is then ordered by that key (relevance chooses *which* listings,
the sort orders them).
Without query text the whole filtered set is returned in `filters.sort` order (newest first
by default); listings missing the sort value come last.

Processes: one writer per directory (tantivy's lock, taken on the first write; a second
writer gets `Unavailable`). Other handles may read; a handle that later takes the writer
first catches up with the rows written meanwhile. Only the writer saves the graph.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, Literal

import numpy as np
import orjson
import tantivy
from numpy.typing import NDArray

from ree.errors import Conflict, InvalidInput, Unavailable
from ree.models import Filters, Listing, Sort
from ree.search.base import Hit, SearchResult
from ree.search.embedder import Embedder, default_embedder, passage_text
from ree.search.filtering import (
    FOLD_TOKENIZER,
    SCHEMA_VERSION,
    SORT_ORDERS,
    build_schema,
    count_matches,
    filter_query,
    fold_analyzer,
    keys_matching,
    listing_document,
    load_listings,
    sort_by_field,
    text_query,
    tokenize,
)
from ree.search.fusion import reciprocal_rank_fusion, weighted_fusion
from ree.search.vectors import VectorStore

__all__ = ["EmbeddedSearch"]

MAX_LIMIT = 10_000
_BATCH = 512
# Measured cost model (2 cores, 100k listings) choosing exact scoring or HNSW per query:
# exact ~0.9 us per filtered listing (tantivy hits, keys, row gather, dot product);
# HNSW ~1.5 ms + 2.5 us per neighbour asked (graph search, tantivy confirmation).
_EXACT_US, _ANN_BASE_US, _ANN_US = 0.9, 1500.0, 2.5


@dataclass(slots=True)
class _Ranked:
    """One retriever's result: keys best first, their scores, and where each doc lives."""

    keys: list[int]
    scores: list[float]
    addrs: dict[int, tantivy.DocAddress]


class EmbeddedSearch:
    """`SearchBackend` over tantivy + usearch in one directory; no server needed.

    Thread-safe: searches run concurrently with each other and with one writer.
    """

    def __init__(
        self,
        data_dir: Path,
        embedder: Embedder | None = None,
        fusion: Literal["rrf", "weighted"] = "rrf",
        bm25_weight: float = 0.5,
        rrf_k: int = 60,
        depth: int = 100,
        exact_limit: int = 20_000,
    ) -> None:
        if fusion not in ("rrf", "weighted"):
            raise ValueError(f"fusion must be 'rrf' or 'weighted', got {fusion!r}")
        if not 0.0 <= bm25_weight <= 1.0:
            raise ValueError(f"bm25_weight must be in [0, 1], got {bm25_weight}")
        if rrf_k < 1 or depth < 1 or exact_limit < 0:
            raise ValueError("rrf_k and depth must be >= 1, exact_limit >= 0")
        self._dir = Path(data_dir)
        self._embedder = embedder if embedder is not None else default_embedder()
        self._fusion, self._bm25_weight, self._rrf_k = fusion, bm25_weight, rrf_k
        self._depth, self._exact_limit = depth, exact_limit
        self._write_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ree-embed")
        self._closed = False
        self._dir.mkdir(parents=True, exist_ok=True)
        meta = self._check_meta()
        self._analyzer = fold_analyzer()
        self._index = self._open_index()
        self._schema = self._index.schema
        self._writer: Any = None  # taken on the first write, so other processes may read
        self._vectors = VectorStore(self._dir, self._embedder.dim, int(meta.get("hnsw_rows", 0)))
        self._vectors.catch_up(self._alive_keys(self._vectors.saved_rows))

    # ----- lifecycle -------------------------------------------------------------------------

    def _check_meta(self) -> dict[str, Any]:
        path = self._dir / "meta.json"
        want = {"schema_version": SCHEMA_VERSION, "dim": self._embedder.dim}
        if not path.exists():
            return {}
        meta: dict[str, Any] = orjson.loads(path.read_bytes())
        for key, value in want.items():
            if meta.get(key) != value:
                raise Conflict(f"index in {self._dir} has {key}={meta.get(key)}, need {value}")
        return meta

    def _write_meta(self) -> None:
        meta = {
            "schema_version": SCHEMA_VERSION,
            "dim": self._embedder.dim,
            "embedder": type(self._embedder).__name__,
            "hnsw_rows": self._vectors.saved_rows,
        }
        tmp = self._dir / "meta.json.tmp"
        tmp.write_bytes(orjson.dumps(meta))
        tmp.replace(self._dir / "meta.json")

    def _open_index(self) -> tantivy.Index:
        path = self._dir / "tantivy"
        path.mkdir(exist_ok=True)
        if tantivy.Index.exists(str(path)):
            index = tantivy.Index.open(str(path))
        else:
            index = tantivy.Index(build_schema(), path=str(path))
        index.register_tokenizer(FOLD_TOKENIZER, self._analyzer)
        return index

    @property
    def data_dir(self) -> Path:
        """The directory holding this index."""
        return self._dir

    def close(self) -> None:
        """Save the vector graph, release the tantivy writer; later calls raise Unavailable."""
        with self._write_lock:
            if self._closed:
                return
            self._closed = True
            self._pool.shutdown(wait=False)
            if self._writer is None:
                return  # only the writing process saves the graph and meta
            self._vectors.save()
            self._write_meta()
            self._writer.wait_merging_threads()
            self._writer = None

    def __enter__(self) -> EmbeddedSearch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _searcher(self) -> tantivy.Searcher:
        if self._closed:
            raise Unavailable("the search index is closed")
        return self._index.searcher()

    def _alive_keys(self, first: int) -> NDArray[np.int64]:
        """Vector keys >= `first` that a live document holds."""
        searcher = self._index.searcher()
        query = tantivy.Query.range_query(self._schema, "vkey", tantivy.FieldType.Integer, first)
        n = count_matches(searcher, query)
        if n == 0:
            return np.empty(0, dtype=np.int64)
        addrs = [addr for _, addr in searcher.search(query, limit=n, count=False).hits]
        return np.asarray(searcher.fast_field_values("vkey", addrs), dtype=np.int64)

    # ----- writes ----------------------------------------------------------------------------

    def _writable(self) -> Any:
        """The tantivy writer, taken on first use (call with the write lock held)."""
        if self._closed:
            raise Unavailable("the search index is closed")
        if self._writer is None:
            try:
                self._writer = self._index.writer(heap_size=64_000_000, num_threads=1)
            except ValueError as exc:
                raise Unavailable(f"another process is writing the index in {self._dir}") from exc
            # another process may have written since we opened: catch up with it
            self._index.reload()
            known = self._vectors.rows
            self._vectors.refresh()
            self._vectors.catch_up(self._alive_keys(known))
        return self._writer

    def upsert(self, listings: Iterable[Listing]) -> int:
        """Insert or replace listings by id (batches of 512, one commit each)."""
        written = 0
        with self._write_lock:
            for chunk in _chunks(listings, _BATCH):
                written += self._upsert_chunk(self._writable(), chunk)
            if self._vectors.unsaved_rows >= 20_000:
                self._vectors.save()
                self._write_meta()
        return written

    def _upsert_chunk(self, writer: Any, chunk: list[Listing]) -> int:
        latest = {listing.id: listing for listing in chunk}  # the last copy of an id wins
        items = list(latest.values())
        texts = [passage_text(listing) for listing in items]
        hashes = [_text_hash(text) for text in texts]
        old = self._lookup(list(latest))
        keys = [-1] * len(items)
        todo: list[int] = []
        for i, (listing, ehash) in enumerate(zip(items, hashes, strict=True)):
            known = old.get(listing.id)
            if known is not None and known[1] == ehash:
                keys[i] = known[0]  # same text: keep its vector
            else:
                todo.append(i)
        if todo:
            vectors = self._embedder.embed_passages([texts[i] for i in todo])
            for i, key in zip(todo, self._vectors.append(vectors), strict=True):
                keys[i] = int(key)
        for listing, key, ehash in zip(items, keys, hashes, strict=True):
            writer.delete_documents_by_term("id", listing.id)
            writer.add_document(listing_document(listing, key, ehash, self._analyzer))
        self._commit(writer)
        kept = set(keys)
        self._vectors.remove([vkey for vkey, _ in old.values() if vkey not in kept])
        return len(items)

    def _lookup(self, ids: list[str]) -> dict[str, tuple[int, int]]:
        """id -> (vkey, ehash) of the stored documents among `ids`."""
        if not ids:
            return {}
        searcher = self._index.searcher()
        query = tantivy.Query.term_set_query(self._schema, "id", ids)
        addrs = [addr for _, addr in searcher.search(query, limit=len(ids), count=False).hits]
        vkeys = searcher.fast_field_values("vkey", addrs)
        ehashes = searcher.fast_field_values("ehash", addrs)
        out: dict[str, tuple[int, int]] = {}
        for addr, vkey, ehash in zip(addrs, vkeys, ehashes, strict=True):
            out[str(searcher.doc(addr).get_first("id"))] = (int(vkey or 0), int(ehash or 0))
        return out

    def _commit(self, writer: Any) -> None:
        writer.commit()
        self._index.reload()

    def delete(self, listing_id: str) -> bool:
        """Remove a listing; False when it was not there."""
        with self._write_lock:
            writer = self._writable()
            old = self._lookup([listing_id])
            if not old:
                return False
            writer.delete_documents_by_term("id", listing_id)
            self._commit(writer)
            self._vectors.remove([vkey for vkey, _ in old.values()])
            return True

    # ----- reads -----------------------------------------------------------------------------

    def get(self, listing_id: str) -> Listing | None:
        """The stored listing, or None."""
        found = self.get_many([listing_id])
        return found[0] if found else None

    def get_many(self, listing_ids: list[str]) -> list[Listing]:
        """The listings found, in the order asked; unknown ids are left out."""
        searcher = self._searcher()
        wanted = list(dict.fromkeys(listing_ids))
        if not wanted:
            return []
        query = tantivy.Query.term_set_query(self._schema, "id", wanted)
        hits = searcher.search(query, limit=len(wanted), count=False).hits
        by_id = {listing.id: listing for listing in load_listings(searcher, [a for _, a in hits])}
        return [by_id[i] for i in listing_ids if i in by_id]

    def count(self) -> int:
        """How many listings the index holds."""
        return int(self._searcher().num_docs)

    def newest_crawl(self) -> datetime | None:
        """The latest `crawled_at` in the index (None when no listing has one)."""
        searcher = self._searcher()
        if searcher.num_docs == 0:
            return None
        hits = searcher.search(
            tantivy.Query.all_query(), limit=1, order_by_field="crawled", order=tantivy.Order.Desc
        ).hits
        if not hits or searcher.fast_field_values("crawled", [hits[0][1]])[0] is None:
            return None
        return load_listings(searcher, [hits[0][1]])[0].crawled_at

    def search(
        self, query: str | None, filters: Filters, limit: int = 10, offset: int = 0
    ) -> SearchResult:
        """Hybrid search under hard filters; see the module docstring for the ranking rules."""
        if not 0 <= limit <= MAX_LIMIT or offset < 0:
            raise InvalidInput(f"need 0 <= limit <= {MAX_LIMIT} and offset >= 0")
        started = time.perf_counter()
        searcher = self._searcher()
        where = filter_query(self._schema, filters)
        text = (query or "").strip()
        if text:
            result = self._hybrid(searcher, where, text, filters.sort, limit, offset)
        else:
            result = self._browse(searcher, where, filters.sort, limit, offset)
        result.timings_ms["total"] = _ms(started)
        return result

    def _browse(
        self,
        searcher: tantivy.Searcher,
        where: tantivy.Query,
        sort: Sort | None,
        limit: int,
        offset: int,
    ) -> SearchResult:
        started = time.perf_counter()
        if offset > MAX_LIMIT and offset >= (total := count_matches(searcher, where)):
            # tantivy sizes its heap by offset + limit: never ask it for a page past the end
            return SearchResult(hits=[], total=total, timings_ms={"filter": _ms(started)})
        field, descending = SORT_ORDERS.get(sort or Sort.NEWEST, SORT_ORDERS[Sort.NEWEST])
        order = tantivy.Order.Desc if descending else tantivy.Order.Asc
        found: Any = searcher.search(
            where, limit=max(limit, 1), count=True, order_by_field=field, offset=offset, order=order
        )
        addrs = [addr for _, addr in found.hits][:limit]
        timings = {"filter": _ms(started)}
        started = time.perf_counter()
        hits = [Hit(listing=listing, score=0.0) for listing in load_listings(searcher, addrs)]
        timings["load"] = _ms(started)
        return SearchResult(hits=hits, total=int(found.count), timings_ms=timings)

    def _hybrid(
        self,
        searcher: tantivy.Searcher,
        where: tantivy.Query,
        text: str,
        sort: Sort | None,
        limit: int,
        offset: int,
    ) -> SearchResult:
        timings: dict[str, float] = {}
        want = min(max(self._depth, offset + limit), MAX_LIMIT)  # pages past it are empty
        try:
            embedding = self._pool.submit(self._embed_query, text)  # overlaps the lexical work
        except RuntimeError as exc:  # the pool was shut down: closed meanwhile
            raise Unavailable("the search index is closed") from exc
        started = time.perf_counter()
        total = count_matches(searcher, where)
        timings["filter"] = _ms(started)
        started = time.perf_counter()
        lexical = self._bm25(searcher, where, text, want)
        timings["bm25"] = _ms(started)
        qvec, timings["embed"] = embedding.result()
        started = time.perf_counter()
        dense = self._dense(searcher, where, qvec, total, want)
        timings["vector"] = _ms(started) + timings["embed"]
        started = time.perf_counter()
        fused = self._fuse(lexical, dense)
        addrs = {**dense.addrs, **lexical.addrs}
        if sort in SORT_ORDERS:
            fused = sort_by_field(searcher, fused, addrs, *SORT_ORDERS[sort])
        page = fused[offset : offset + limit]
        timings["fuse"] = _ms(started)
        started = time.perf_counter()
        listings = load_listings(searcher, [addrs[key] for key, _ in page])
        lex_rank = {key: n for n, key in enumerate(lexical.keys, start=1)}
        vec_rank = {key: n for n, key in enumerate(dense.keys, start=1)}
        hits = [
            Hit(listing, score, lex_rank.get(key), vec_rank.get(key))
            for (key, score), listing in zip(page, listings, strict=True)
        ]
        timings["load"] = _ms(started)
        return SearchResult(hits=hits, total=total, timings_ms=timings)

    def _embed_query(self, text: str) -> tuple[NDArray[np.float32], float]:
        started = time.perf_counter()
        return self._embedder.embed_queries([text])[0], _ms(started)

    def _bm25(
        self, searcher: tantivy.Searcher, where: tantivy.Query, text: str, want: int
    ) -> _Ranked:
        matcher = text_query(self._schema, tokenize(self._analyzer, text))
        if matcher is None:
            return _Ranked([], [], {})
        only = tantivy.Query.const_score_query(where, 0.0)
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, matcher), (tantivy.Occur.Must, only)]
        )
        hits = searcher.search(query, limit=want, count=False).hits
        addrs = [addr for _, addr in hits]
        keys = [int(k or 0) for k in searcher.fast_field_values("vkey", addrs)]
        return _Ranked(keys, [float(s) for s, _ in hits], dict(zip(keys, addrs, strict=True)))

    def _dense(
        self,
        searcher: tantivy.Searcher,
        where: tantivy.Query,
        qvec: NDArray[np.float32],
        total: int,
        want: int,
    ) -> _Ranked:
        if total == 0:
            return _Ranked([], [], {})
        population = max(searcher.num_docs, 1)
        count = min(int(want * population / total * 1.5) + 16, self._vectors.rows)
        exact_us, ann_us = total * _EXACT_US, _ANN_BASE_US + count * _ANN_US
        if total <= self._exact_limit and exact_us <= ann_us:
            return self._dense_exact(searcher, where, qvec, total, want)
        return self._dense_ann(searcher, where, qvec, count, want)

    def _dense_exact(
        self,
        searcher: tantivy.Searcher,
        where: tantivy.Query,
        qvec: NDArray[np.float32],
        total: int,
        want: int,
    ) -> _Ranked:
        addrs = [addr for _, addr in searcher.search(where, limit=total, count=False).hits]
        keys = np.asarray(searcher.fast_field_values("vkey", addrs), dtype=np.int64)
        order = np.argsort(keys, kind="stable")  # rows read in file order: better locality
        addrs, keys = [addrs[i] for i in order], keys[order]
        scores = self._vectors.exact(qvec, keys)
        top = _top(scores, want)
        picked = [int(keys[i]) for i in top]
        return _Ranked(
            picked, [float(scores[i]) for i in top], {int(keys[i]): addrs[i] for i in top}
        )

    def _dense_ann(
        self,
        searcher: tantivy.Searcher,
        where: tantivy.Query,
        qvec: NDArray[np.float32],
        count: int,
        want: int,
    ) -> _Ranked:
        while True:
            keys, sims = self._vectors.nearest(qvec, count)
            alive = keys_matching(searcher, self._schema, where, keys)
            ranked = [(int(k), float(s)) for k, s in zip(keys, sims, strict=True) if k in alive]
            if len(ranked) >= want or count >= self._vectors.rows:
                break
            count = min(count * 4, self._vectors.rows)
        ranked = ranked[:want]
        return _Ranked(
            [k for k, _ in ranked], [s for _, s in ranked], {k: alive[k] for k, _ in ranked}
        )

    def _fuse(self, lexical: _Ranked, dense: _Ranked) -> list[tuple[int, float]]:
        if self._fusion == "rrf":
            return reciprocal_rank_fusion([lexical.keys, dense.keys], k=self._rrf_k)
        return weighted_fusion(
            [
                list(zip(lexical.keys, lexical.scores, strict=True)),
                list(zip(dense.keys, dense.scores, strict=True)),
            ],
            [self._bm25_weight, 1.0 - self._bm25_weight],
        )


def _text_hash(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _chunks(items: Iterable[Listing], size: int) -> Iterator[list[Listing]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _top(scores: NDArray[np.float32], n: int) -> list[int]:
    if len(scores) > n:
        part = np.argpartition(-scores, n - 1)[:n]
        return [int(i) for i in part[np.argsort(-scores[part], kind="stable")]]
    return [int(i) for i in np.argsort(-scores, kind="stable")]


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
