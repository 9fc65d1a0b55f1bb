"""Listing embeddings by integer key: an append-only float32 file plus a usearch HNSW graph.

    vectors.f32     append-only float32 rows; row n is the embedding of key n
    hnsw.usearch    the HNSW graph over the live rows (saved on close and every ~20k rows)

Used by `ree.search.embedded.EmbeddedSearch`, which keeps each listing's key in tantivy.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from usearch.index import Index as HnswIndex

__all__ = ["VectorStore"]


class VectorStore:
    """Embeddings by integer key: an append-only float32 file plus a usearch HNSW graph.

    The file is memory-mapped for exact scoring; key n is row n, so keys are never reused.
    Readers need no lock for exact scoring (rows are only appended); graph calls are
    serialised because usearch removals may not run concurrently with searches.
    """

    def __init__(self, directory: Path, dim: int, saved_rows: int) -> None:
        self._path = directory / "vectors.f32"
        self._graph_path = directory / "hnsw.usearch"
        self._dim = dim
        self._row_bytes = 4 * dim
        self._lock = threading.Lock()
        self._path.touch(exist_ok=True)
        size = self._path.stat().st_size
        if size % self._row_bytes:  # a row cut short by a crash: never referenced, drop it
            os.truncate(self._path, size - size % self._row_bytes)
        self.rows = size // self._row_bytes
        self._matrix = self._map()
        self._graph = HnswIndex(
            ndim=dim,
            metric="ip",
            dtype="f16",
            connectivity=16,
            expansion_add=128,
            expansion_search=128,
        )
        self.saved_rows = 0
        if self._graph_path.exists() and saved_rows <= self.rows:
            self._graph.load(str(self._graph_path))
            self.saved_rows = saved_rows

    @property
    def unsaved_rows(self) -> int:
        """Rows appended since the graph was last saved."""
        return self.rows - self.saved_rows

    def _map(self) -> NDArray[np.float32]:
        if self.rows == 0:
            return np.zeros((0, self._dim), dtype=np.float32)
        return np.memmap(self._path, dtype=np.float32, mode="r", shape=(self.rows, self._dim))

    def catch_up(self, alive: NDArray[np.int64]) -> None:
        """Add to the graph the live keys it lacks (rows written after its last save)."""
        if len(alive) == 0:
            return
        keys = alive.astype(np.uint64)
        keys = keys[~np.asarray(self._graph.contains(keys), dtype=bool)]
        if len(keys):
            self._graph.add(keys, np.asarray(self._matrix[keys.astype(np.int64)]))

    def append(self, vectors: NDArray[np.float32]) -> NDArray[np.int64]:
        """Store rows durably, add them to the graph; returns their new keys."""
        data = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self._dim)
        with self._path.open("ab") as fh:
            first = fh.tell() // self._row_bytes  # the file's end, not a possibly stale count
            fh.write(data.tobytes())
            fh.flush()
            os.fsync(fh.fileno())
        keys = np.arange(first, first + len(data), dtype=np.int64)
        self.refresh()
        with self._lock:
            self._graph.add(keys.astype(np.uint64), data)
        return keys

    def refresh(self) -> None:
        """Map the rows the file holds now (another process or a writer may have added some)."""
        matrix_rows = self._path.stat().st_size // self._row_bytes
        if matrix_rows != self.rows:
            self.rows = matrix_rows
            self._matrix = self._map()

    def remove(self, keys: list[int]) -> None:
        """Drop keys from the graph (their rows stay in the file, unreferenced)."""
        if keys:
            with self._lock:
                self._graph.remove(np.asarray(keys, dtype=np.uint64))

    def exact(self, query: NDArray[np.float32], keys: NDArray[np.int64]) -> NDArray[np.float32]:
        """Inner products of `query` with the rows of `keys`."""
        matrix = self._matrix  # a local reference: a concurrent append swaps the attribute
        if len(keys) and int(keys.max()) >= len(matrix):  # written by another process
            self.refresh()
            matrix = self._matrix
        return np.asarray(np.take(matrix, keys, axis=0) @ query, dtype=np.float32)

    def nearest(
        self, query: NDArray[np.float32], count: int
    ) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        """Approximate top-`count` keys by inner product, best first, with their scores."""
        with self._lock:
            if len(self._graph) == 0 or count < 1:
                return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
            matches = self._graph.search(query, count, threads=1)
        keys = np.asarray(matches.keys, dtype=np.int64)
        return keys, (1.0 - np.asarray(matches.distances, dtype=np.float32))

    def save(self) -> None:
        """Write the graph atomically; remember how many rows it covers."""
        with self._lock:
            tmp = self._graph_path.with_suffix(".tmp")
            self._graph.save(str(tmp))
            tmp.replace(self._graph_path)
            self.saved_rows = self.rows
