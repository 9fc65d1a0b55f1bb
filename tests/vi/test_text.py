"""Normalisation and folding of Vietnamese text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ree.vi.text import fold, fold_aligned, heard_key, normalize, strip_tones, telex


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoà bình", "hòa bình"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("thuỷ lợi", "thủy lợi"),
        ("Thuý", "Thúy"),
        ("quý khách", "quý khách"),  # the u of "qu" is not a vowel
        ("hoàn thiện", "hoàn thiện"),  # closed syllable: mark on the last vowel
        ("  Quận   Gò Vấp \n", "Quận Gò Vấp"),
        ("giữa", "giữa"),
        ("người", "người"),
    ],
)
def test_normalize_places_tone_marks_one_way(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_composes_decomposed_input() -> None:
    decomposed = "Qua\u0323\u0302n 7"  # q u a + dot below + circumflex
    assert normalize(decomposed) == "Quận 7"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Quận Gò Vấp", "quan go vap"),
        ("Đà Nẵng", "da nang"),
        ("ĐỐNG ĐA", "dong da"),
        ("Sổ đỏ/ Sổ hồng", "so do/ so hong"),
        ("căn hộ   2PN", "can ho 2pn"),
        ("Thủ Đức", "thu duc"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_ignores_tone_placement() -> None:
    assert fold("Khánh Hoà") == fold("Khánh Hòa") == "khanh hoa"


def test_strip_tones_keeps_hats() -> None:
    assert strip_tones("Quận Bình Thạnh") == "Quân Binh Thanh"


@given(st.text(max_size=60))
def test_fold_aligned_keeps_offsets(text: str) -> None:
    norm = normalize(text)
    assert len(fold_aligned(norm)) == len(norm)


@given(st.text(max_size=60))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@pytest.mark.parametrize(
    ("typed", "meant", "marked"),
    [
        ("nhaf", "nhà", False),
        ("caanf", "cần", True),
        ("quaanj", "quận", True),
        ("quanaj", "quận", True),  # the hat's second "a" typed after the consonant
        ("cuw", "cư", True),
        ("thuee", "thuê", True),
        ("ddaats", "đất", True),
        ("dduwowngf", "đường", True),
        ("xuowngr", "xưởng", True),
        ("rooongj", None, None),  # a hat typed three times
        ("chung", None, None),  # no Telex key
        ("nhfa", None, None),  # a tone key inside the word
        ("Nhaf", None, None),  # the caller lowercases
    ],
)
def test_telex(typed: str, meant: str | None, marked: bool | None) -> None:
    got = telex(typed)
    assert got == (None if meant is None else (meant, marked))


@given(st.text(max_size=30) | st.text(alphabet="adeouwfjrsxqnhgtc", max_size=10))
def test_telex_reads_a_word_no_longer_than_typed(text: str) -> None:
    got = telex(text)
    if got is not None:
        meant, _ = got
        assert meant.isalpha() and 0 < len(meant) <= len(text)
        assert normalize(meant) == meant  # one tone placement, as everywhere else


@pytest.mark.parametrize(
    ("said", "named"),
    [("câu dây", "câu giây"), ("thu đưt", "thu đưc"), ("nong biên", "long biên"),
     ("thanh suân", "thanh xuân"), ("hai ba chưng", "hai ba trưng"), ("phu mi", "phu my"),
     ("thăn khê", "thanh khê")],
)  # fmt: skip
def test_regional_sounds_share_a_key(said: str, named: str) -> None:
    assert heard_key(said) == heard_key(named)


def test_hats_and_d_bar_still_tell_words_apart() -> None:
    assert heard_key("cua no") != heard_key("cưa lo")
    assert heard_key("đâu tiên") != heard_key("dâu tiêng")
