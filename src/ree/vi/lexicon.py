"""Phrase matching over Vietnamese text, with or without diacritics.

A `Lexicon` maps phrases (written with diacritics in the data files) to payloads. `scan`
finds them in text leftmost-longest, on word tokens, so "căn hộ" matches "can ho", "Căn hộ"
and "căn ho". Words the user typed *with* diacritics must agree with the phrase (`exact`:
"cần" is not "căn", "bạn" is not "bán"; `toneless`: only hats and horns must agree, so a
missing tone mark "Bình Thanh" still finds "Bình Thạnh"; `marked`: the diacritics must be typed,
for words whose bare form means something else, "thuế" (tax) against "thue" (rent)). A phrase
never spans , ; ! ? or a line break.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, Literal, TypeVar

from ree.vi.text import fold_aligned, normalize, strip_tones

__all__ = ["Hit", "Lexicon", "Token", "Verify", "tokenize"]

T = TypeVar("T")
Verify = Literal["exact", "toneless", "fold", "marked"]

_TOKEN = re.compile(r"[^\W_]+")
_HARD_STOP = re.compile(r"[,;!?\n]|\s-\s")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a normalised text: its span, folded form and lowercase form."""

    start: int
    end: int
    folded: str
    lower: str
    stop_before: bool  # a hard separator sits between this token and the previous one


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """A phrase found in text: token index range, character span, and its payload."""

    first: int
    last: int  # exclusive
    start: int
    end: int
    payload: T
    phrase: str


def tokenize(text: str) -> list[Token]:
    """Tokens of an already `normalize`d text (offsets refer to that text)."""
    folded = fold_aligned(text)
    lower = text.lower()
    out: list[Token] = []
    prev_end = 0
    for m in _TOKEN.finditer(folded):
        gap = text[prev_end : m.start()]
        out.append(
            Token(
                m.start(),
                m.end(),
                m.group(0),
                lower[m.start() : m.end()],
                bool(out) and bool(_HARD_STOP.search(gap)),
            )
        )
        prev_end = m.end()
    return out


@dataclass(slots=True)
class _Entry(Generic[T]):
    folded: tuple[str, ...]
    exact: tuple[str, ...]
    payload: T
    phrase: str
    verify: Verify


@dataclass
class Lexicon(Generic[T]):
    """Phrase -> payload table with leftmost-longest token matching."""

    _index: dict[tuple[str, ...], list[_Entry[T]]] = field(default_factory=dict)
    _longest: dict[str, int] = field(default_factory=dict)  # first token -> longest phrase
    _size: int = 0

    def add(self, phrase: str, payload: T, verify: Verify = "exact") -> None:
        """Register `phrase`; entries added first win ties of equal length."""
        norm = normalize(phrase)
        toks = tokenize(norm)
        if not toks:
            return
        entry = _Entry(
            tuple(t.folded for t in toks), tuple(t.lower for t in toks), payload, norm, verify
        )
        self._index.setdefault(entry.folded, []).append(entry)
        first = entry.folded[0]
        self._longest[first] = max(self._longest.get(first, 0), len(entry.folded))
        self._size += 1

    def add_all(self, phrases: Iterable[str], payload: T, verify: Verify = "exact") -> None:
        """Register several phrases with one payload."""
        for phrase in phrases:
            self.add(phrase, payload, verify)

    def __len__(self) -> int:
        return self._size

    def match_at(self, tokens: Sequence[Token], i: int, limit: int | None = None) -> Hit[T] | None:
        """The longest phrase starting at token `i` and ending by token `limit`, if any."""
        longest = self._longest.get(tokens[i].folded)
        if longest is None:
            return None
        end = len(tokens) if limit is None else min(limit, len(tokens))
        for n in range(min(longest, end - i), 0, -1):
            key = tuple(t.folded for t in tokens[i : i + n])
            for entry in self._index.get(key, ()):
                if all(_agrees(tokens[i + k], entry, k) for k in range(n)):
                    last = i + n
                    return Hit(
                        i, last, tokens[i].start, tokens[last - 1].end, entry.payload, entry.phrase
                    )
        return None

    def scan(self, tokens: Sequence[Token], skip: Sequence[bool] | None = None) -> list[Hit[T]]:
        """Leftmost-longest, non-overlapping hits; tokens flagged in `skip` are never used."""
        hits: list[Hit[T]] = []
        i = 0
        while i < len(tokens):
            if skip is not None and skip[i]:
                i += 1
                continue
            limit = None
            if skip is not None:
                limit = next((k for k in range(i, len(tokens)) if skip[k]), len(tokens))
            hit = self.match_at(tokens, i, limit)
            if hit is not None:
                hits.append(hit)
                i = hit.last
            else:
                i += 1
        return hits

    def find(self, text: str) -> list[Hit[T]]:
        """Scan raw text (normalised here); spans refer to `normalize(text)`."""
        return self.scan(tokenize(normalize(text)))


def _agrees(tok: Token, entry: _Entry[T], k: int) -> bool:
    if k > 0 and tok.stop_before:
        return False
    if entry.verify == "marked":
        return tok.lower == entry.exact[k]
    if entry.verify == "fold" or tok.lower.isascii():
        return True
    if entry.verify == "exact":
        return tok.lower == entry.exact[k]
    return _toneless(tok.lower) == _toneless(entry.exact[k])


@lru_cache(maxsize=16384)
def _toneless(word: str) -> str:
    return strip_tones(word)
