"""Phrase matching (`ree.vi.lexicon`) against a plain reference, and the memoised text helpers.

The lexicon walks a trie of folded words and the text helpers remember what they computed;
these tests pin that the fast paths give what the straightforward definitions give.
"""

from __future__ import annotations

import random
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from ree.vi.lexicon import Hit, Lexicon, Token, tokenize
from ree.vi.text import _place_tone, fold, fold_aligned, normalize

_PHRASES = [
    ("căn hộ", "flat", "exact"),
    ("căn hộ chung cư", "condo", "exact"),
    ("căn", "unit", "exact"),
    ("nhà phố", "townhouse", "exact"),
    ("nhà", "house", "exact"),
    ("bình thạnh", "district", "toneless"),
    ("thuế", "tax", "marked"),
    ("hồ bơi", "pool", "fold"),
    ("hồ", "lake", "exact"),
    ("căn hộ", "flat-again", "exact"),  # same words: the first added wins
]
_WORDS = ["căn", "can", "cần", "hộ", "ho", "chung", "cư", "nhà", "nha", "phố", "pho", "bình",
          "thạnh", "thanh", "thuế", "thue", "hồ", "bơi", "boi", "đẹp"]  # fmt: skip
_SEPARATORS = [" ", " ", " ", ", ", "\n", " - ", "; "]


def _lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    for phrase, payload, verify in _PHRASES:
        lex.add(phrase, payload, verify)  # type: ignore[arg-type]
    return lex


def _agrees(tok: Token, phrase_word: str, verify: str) -> bool:
    if verify == "marked":
        return tok.lower == phrase_word
    if verify == "fold" or tok.lower.isascii():
        return True
    if verify == "exact":
        return tok.lower == phrase_word
    strip = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

    def toneless(w: str) -> str:
        nfd = unicodedata.normalize("NFD", w)
        return unicodedata.normalize("NFC", "".join(c for c in nfd if c not in strip))

    return toneless(tok.lower) == toneless(phrase_word)


def _reference_match(tokens: list[Token], i: int, end: int) -> tuple[int, str] | None:
    """Longest phrase at `i` ending by `end`, by trying every phrase (the definition)."""
    best: tuple[int, str] | None = None
    for phrase, payload, verify in _PHRASES:
        words = tokenize(normalize(phrase))
        n = len(words)
        if i + n > end or (best is not None and n <= best[0]):
            continue
        span = tokens[i : i + n]
        if [t.folded for t in span] != [w.folded for w in words]:
            continue
        if any(t.stop_before for t in span[1:]):
            continue
        if all(_agrees(t, w.lower, verify) for t, w in zip(span, words, strict=True)):
            best = (n, payload)
    return best


def _reference_scan(tokens: list[Token], skip: list[bool] | None) -> list[tuple[int, int, str]]:
    out = []
    i = 0
    while i < len(tokens):
        if skip is not None and skip[i]:
            i += 1
            continue
        end = len(tokens)
        if skip is not None:
            end = next((k for k in range(i, len(tokens)) if skip[k]), len(tokens))
        found = _reference_match(tokens, i, end)
        if found is None:
            i += 1
            continue
        out.append((i, i + found[0], found[1]))
        i += found[0]
    return out


def _triples(hits: list[Hit[str]]) -> list[tuple[int, int, str]]:
    return [(h.first, h.last, h.payload) for h in hits]


def _random_text(rnd: random.Random) -> str:
    parts = []
    for _ in range(rnd.randint(0, 14)):
        parts.append(rnd.choice(_WORDS))
        parts.append(rnd.choice(_SEPARATORS))
    return normalize("".join(parts)) if rnd.random() < 0.5 else "".join(parts)


def test_scan_and_match_at_agree_with_the_reference() -> None:
    lex = _lexicon()
    rnd = random.Random(7)
    for _ in range(3000):
        tokens = tokenize(_random_text(rnd))
        assert _triples(lex.scan(tokens)) == _reference_scan(tokens, None)
        skip = [rnd.random() < 0.2 for _ in tokens]
        assert _triples(lex.scan(tokens, skip)) == _reference_scan(tokens, skip)
        for i in range(len(tokens)):
            limit = rnd.choice([None, i, i + 1, i + 2, len(tokens) + 3])
            end = len(tokens) if limit is None else min(limit, len(tokens))
            hit = lex.match_at(tokens, i, limit)
            want = _reference_match(tokens, i, end)
            assert (hit and (hit.last - hit.first, hit.payload)) == want


def test_first_added_phrase_wins_a_tie() -> None:
    assert [h.payload for h in _lexicon().find("bán căn hộ đẹp")] == ["flat"]


def test_tokenize_gives_a_fresh_list_each_time() -> None:
    text = normalize("Căn hộ, Bình Thạnh - nhà phố")
    first = tokenize(text)
    first.clear()
    again = tokenize(text)
    assert [t.folded for t in again] == ["can", "ho", "binh", "thanh", "nha", "pho"]
    assert [t.stop_before for t in again] == [False, False, True, False, True, False]


_TOKEN = re.compile(r"[^\W_]+")
_STOP = re.compile(r"[,;!?\n]|\s-\s")


@settings(max_examples=300)
@given(st.text(alphabet="aăđêơ hoà,;!?\n-–_.1²\u00a0\u0301", max_size=30))
def test_tokenize_matches_its_definition(text: str) -> None:
    folded, lower = fold_aligned(text), text.lower()
    want: list[tuple[int, int, str, str, bool]] = []
    prev = 0
    for m in _TOKEN.finditer(folded):
        stop = bool(want) and bool(_STOP.search(text[prev : m.start()]))
        want.append((m.start(), m.end(), m.group(), lower[m.start() : m.end()], stop))
        prev = m.end()
    assert [tuple(t) for t in tokenize(text)] == want


def _normalize_by_definition(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[^\W\d_]+", lambda m: _place_tone(m.group()), text)
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=300)
@given(st.text(alphabet="hoàòaAHKáúuyýỳqgiê \n,\u0301\u0300", max_size=40))
def test_normalize_matches_its_definition(text: str) -> None:
    assert normalize(text) == _normalize_by_definition(text)
    assert normalize(text) == _normalize_by_definition(text)  # the second time, from memory


def test_normalize_moves_a_mark_after_the_same_words_were_seen_settled() -> None:
    assert normalize("hòa bình, khỏe") == "hòa bình, khỏe"
    assert normalize("hòa bình, khoẻ") == "hòa bình, khỏe"
    assert normalize("khoẻ\nhòa") == "khỏe hòa"


def test_fold_long_and_short_texts() -> None:
    long = "Quận Gò Vấp, nhà đẹp " * 20
    assert fold(long) == ("quan go vap, nha dep " * 20).strip()
    assert fold(long) == fold(long + " ")
    assert fold("Đà Nẵng") == "da nang"
    assert fold_aligned(long) == "".join(fold_aligned(c) for c in long)  # memoised vs not
