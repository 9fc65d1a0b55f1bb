"""Semantic chunking: glued text repaired, sentences split, passages by topic, best passage."""

from __future__ import annotations

import pytest

from ree.listings.chunking import (
    SemanticChunker,
    best_passage,
    description_snippet,
    snippet,
    split_sentences,
)

SPLITS = [
    # lost line breaks: phone glued to a word, unit glued to the next capitalised word
    ("Bán nhà chính chủ0983123456 liên hệ", ["Bán nhà chính chủ", "0983123456 liên hệ"]),
    ("Bán nhà chính chủ0912 *** *** gặp Lan", ["Bán nhà chính chủ", "0912 *** *** gặp Lan"]),
    ("DT 64m2Giá 5 tỷ", ["DT 64m2", "Giá 5 tỷ"]),
    ("Giá 3 tỷSổ hồng riêng", ["Giá 3 tỷ", "Sổ hồng riêng"]),
    # sentences glued without a space, and glued case changes
    ("Nhà đẹp.Sổ hồng riêng", ["Nhà đẹp.", "Sổ hồng riêng"]),
    ("Nhà mới xây đẹpGiá tốt", ["Nhà mới xây đẹp", "Giá tốt"]),
    ("Nhà đẹp lắm!Liên hệ ngay", ["Nhà đẹp lắm!", "Liên hệ ngay"]),
    # decimals and sizes are not sentence ends
    ("Giá 3.5 tỷ. Diện tích 4.2x15m", ["Giá 3.5 tỷ.", "Diện tích 4.2x15m"]),
    ("Giá 3,5 tỷ thương lượng", ["Giá 3,5 tỷ thương lượng"]),
    # bullets, pictographs and the "????" left by lost emoji
    (
        "+ Vị trí đẹp + Kết cấu 1 trệt 2 lầu ✅ Sổ hồng riêng",
        ["Vị trí đẹp", "Kết cấu 1 trệt 2 lầu", "Sổ hồng riêng"],
    ),
    ("???? Diện tích: 60m2 ???? Nhà 3PN 2WC", ["Diện tích: 60m2", "Nhà 3PN 2WC"]),
    ("- Hẻm 5m - Gần chợ • Gần trường", ["Hẻm 5m", "Gần chợ", "Gần trường"]),
    ("Dòng một\nDòng hai\n\n", ["Dòng một", "Dòng hai"]),
    # what must stay whole: upper-case words, "3PN", a brand with inner capitals
    ("NHÀ ĐẸP GIÁ RẺ", ["NHÀ ĐẸP GIÁ RẺ"]),
    ("Nhà 3PN 2WC hẻm 5m", ["Nhà 3PN 2WC hẻm 5m"]),
    ("Gần Vincom và AEON Mall", ["Gần Vincom và AEON Mall"]),
    ("", []),
]


@pytest.mark.parametrize(("text", "sentences"), SPLITS)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


GLUED = (
    "Bán nhà hẻm xe hơi đường Lê Văn Sỹ, Quận 3.Diện tích 4x15m, công nhận 60m2Kết cấu 1 trệt "
    "2 lầu, 4PN 3WC.Sổ hồng riêng, hoàn công đủ. Giá 7,2 tỷ thương lượng"
    "Gần chợ, trường học, bệnh viện, an ninh tốt.Liên hệ chính chủ0909123456 gặp anh Nam"
)


def test_passages_follow_topics_and_the_best_one_has_the_facts() -> None:
    chunked = SemanticChunker().run(GLUED)
    assert len(chunked.passages) >= 3
    assert chunked.text.count("\n") == len(chunked.passages) - 1
    assert "0909123456" not in chunked.best_passage
    assert "60m2" in chunked.best_passage or "7,2 tỷ" in chunked.best_passage
    contact = [p for p in chunked.passages if "0909123456" in p]
    assert contact and "Liên hệ" in contact[0]


def test_passages_stay_inside_the_word_budget() -> None:
    long = " ".join(f"Căn nhà số {i} rất đẹp và thoáng mát, gần chợ." for i in range(200))
    chunked = SemanticChunker(max_words=50).run(long)
    assert len(chunked.passages) > 10
    assert all(len(p.split()) <= 50 for p in chunked.passages)
    wall = "từ " * 500
    assert all(len(p.split()) <= 50 for p in SemanticChunker(max_words=50).run(wall).passages)


def test_short_passages_merge_and_empty_text_has_none() -> None:
    chunked = SemanticChunker(min_words=8).run("Nhà đẹp.\nLiên hệ ngay.\nGiá 3 tỷ.")
    assert len(chunked.passages) == 1
    empty = SemanticChunker().run("")
    assert empty.passages == [] and empty.best_passage == ""


def test_best_passage_and_snippet() -> None:
    passages = [
        "Liên hệ 0909 *** *** gặp chị Lan, zalo 24/7",
        "Diện tích 5x20m, 100m2, 1 trệt 2 lầu, 4PN, sổ hồng riêng, giá 6 tỷ",
        "Gần trường học quốc tế, công viên và hồ bơi",
    ]
    assert best_passage(passages) == 1
    assert snippet(passages, None) == passages[1]
    assert snippet(passages, "nhà gần trường học quốc tế") == passages[2]
    assert snippet(passages, "xyz không khớp") == passages[1]
    assert snippet([], "bất kỳ") is None
    clipped = snippet(["từ " * 200], None, max_chars=50)
    assert clipped is not None and len(clipped) <= 51 and clipped.endswith("…")


def test_bad_budgets_are_refused() -> None:
    with pytest.raises(ValueError):
        SemanticChunker(max_words=5)


def test_description_snippet_for_a_card() -> None:
    assert description_snippet("   ", "nhà") is None
    chosen = description_snippet(GLUED, "nhà có sổ hồng riêng không")
    assert chosen is not None and "Sổ hồng riêng" in chosen
    assert description_snippet(GLUED, None) == SemanticChunker().run(GLUED).best_passage
