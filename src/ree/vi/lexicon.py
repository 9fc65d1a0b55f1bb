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
    """Tokens of an already `normalize`d text (offsets refer to that text).

    Memoised: listing analysis tokenises the same title and description several times (the
    vocabulary, the gazetteer, the detail readers); each call gets its own list.
    """
    return list(_tokens(text))


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[Token, ...]:
    folded = fold_aligned(text)
    lower = text.lower()
    hard_stop = _HARD_STOP.search
    out: list[Token] = []
    prev_end = 0
    for m in _TOKEN.finditer(folded):
        start, end = m.span()
        stop = prev_end < start and hard_stop(text, prev_end, start) is not None
        out.append(Token(start, end, m.group(), lower[start:end], stop and bool(out)))
        prev_end = end
    return tuple(out)


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
        return self._longest_match(tokens, i, min(longest, end - i))

    def _longest_match(self, tokens: Sequence[Token], i: int, most: int) -> Hit[T] | None:
        """The longest phrase of at most `most` tokens starting at token `i`."""
        index = self._index
        # a phrase never spans a hard separator: stop before the first one after token i
        for k in range(i + 1, i + most):
            if tokens[k].stop_before:
                most = k - i
                break
        for n in range(most, 0, -1):
            entries = index.get(tuple([t.folded for t in tokens[i : i + n]]))
            if entries is None:
                continue
            for entry in entries:
                if _agrees(tokens, i, entry):
                    last = i + n
                    return Hit(
                        i, last, tokens[i].start, tokens[last - 1].end, entry.payload, entry.phrase
                    )
        return None

    def scan(self, tokens: Sequence[Token], skip: Sequence[bool] | None = None) -> list[Hit[T]]:
        """Leftmost-longest, non-overlapping hits; tokens flagged in `skip` are never used."""
        hits: list[Hit[T]] = []
        count = len(tokens)
        longest_of = self._longest.get
        limits: list[int] | None = None
        if skip is not None:  # limits[i]: the first skipped token at or after i
            limits = [count] * count
            nxt = count
            for k in range(count - 1, -1, -1):
                if skip[k]:
                    nxt = k
                limits[k] = nxt
        i = 0
        while i < count:
            longest = longest_of(tokens[i].folded)
            if longest is None:
                i += 1
                continue
            end = count if limits is None else limits[i]
            if end == i:  # token i is skipped
                i += 1
                continue
            hit = self._longest_match(tokens, i, min(longest, end - i))
            if hit is not None:
                hits.append(hit)
                i = hit.last
            else:
                i += 1
        return hits

    def find(self, text: str) -> list[Hit[T]]:
        """Scan raw text (normalised here); spans refer to `normalize(text)`."""
        return self.scan(tokenize(normalize(text)))


def _agrees(tokens: Sequence[Token], i: int, entry: _Entry[T]) -> bool:
    """Whether the words typed from token `i` on agree with the entry's diacritics (`Verify`)."""
    verify = entry.verify
    if verify == "fold":
        return True
    for k, want in enumerate(entry.exact):
        typed = tokens[i + k].lower
        if verify == "marked":
            if typed != want:
                return False
        elif typed.isascii():
            continue
        elif verify == "exact":
            if typed != want:
                return False
        elif _toneless(typed) != _toneless(want):
            return False
    return True


@lru_cache(maxsize=16384)
def _toneless(word: str) -> str:
    return strip_tones(word)
