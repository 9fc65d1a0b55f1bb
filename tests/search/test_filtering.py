"""The Vietnamese folding analyzer: what the index and the queries see."""

from __future__ import annotations

import unicodedata

import pytest

from ree.search.filtering import fold_analyzer, tokenize


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Căn hộ Quận 7", ["can", "ho", "quan", "7"]),
        ("ĐƯỜNG Nguyễn Hữu Thọ", ["duong", "nguyen", "huu", "tho"]),
        ("đất thổ cư, sổ đỏ", ["dat", "tho", "cu", "so", "do"]),
        ("Thủ Đức ỷ ỹ ậ ờ ữ", ["thu", "duc", "y", "y", "a", "o", "u"]),
        ("2PN 70m² giá 5,5 tỷ", ["2pn", "70m2", "gia", "5", "5", "ty"]),
        ("can ho quan 7", ["can", "ho", "quan", "7"]),
    ],
)
def test_folding(text: str, tokens: list[str]) -> None:
    assert tokenize(fold_analyzer(), text) == tokens


def test_decomposed_input_folds_like_composed() -> None:
    analyzer = fold_analyzer()
    text = "Căn hộ Đống Đa, Thủ Đức"
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    assert tokenize(analyzer, decomposed) == tokenize(analyzer, text)
