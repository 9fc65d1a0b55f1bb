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
from typing import Generic, Literal, NamedTuple, TypeVar

from ree.vi.text import fold_aligned, normalize, strip_tones

__all__ = ["Hit", "Lexicon", "Token", "Verify", "tokenize"]

T = TypeVar("T")
Verify = Literal["exact", "toneless", "fold", "marked"]

_TOKEN = re.compile(r"[^\W_]+")
_HARD_STOP = re.compile(r"[,;!?\n]|\s-\s")


class Token(NamedTuple):
    """One word of a normalised text: its span, folded form and lowercase form (a named
    tuple: a text of thousands of words makes thousands of these, and tuples are cheap)."""

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


@lru_cache(maxsize=64)  # a listing's texts, while it is analysed
def _tokens(text: str) -> tuple[Token, ...]:
    folded = fold_aligned(text)
    lower = text.lower()
    # a hard separator never touches a word, so each one lies in the gap before one token
    stops = [m.start() for m in _HARD_STOP.finditer(text)]
    make = tuple.__new__
    out: list[Token] = []
    s = 0  # the first separator not yet passed
    for m in _TOKEN.finditer(folded):
        start, end = m.span()
        stop = False
        while s < len(stops) and stops[s] < start:
            stop = True
            s += 1
        out.append(make(Token, (start, end, m.group(), lower[start:end], stop and bool(out))))
    return tuple(out)


@dataclass(slots=True)
class _Entry(Generic[T]):
    folded: tuple[str, ...]
    exact: tuple[str, ...]
    payload: T
    phrase: str
    verify: Verify


@dataclass(slots=True)
class _Node(Generic[T]):
    """A trie node: the phrases ending here and the next folded words."""

    entries: list[_Entry[T]] = field(default_factory=list)
    children: dict[str, _Node[T]] = field(default_factory=dict)


@dataclass
class Lexicon(Generic[T]):
    """Phrase -> payload table with leftmost-longest token matching."""

    _root: dict[str, _Node[T]] = field(default_factory=dict)  # a trie on folded words
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
        node = self._root.setdefault(entry.folded[0], _Node())
        for word in entry.folded[1:]:
            node = node.children.setdefault(word, _Node())
        node.entries.append(entry)
        self._size += 1

    def add_all(self, phrases: Iterable[str], payload: T, verify: Verify = "exact") -> None:
        """Register several phrases with one payload."""
        for phrase in phrases:
            self.add(phrase, payload, verify)

    def __len__(self) -> int:
        return self._size

    def match_at(self, tokens: Sequence[Token], i: int, limit: int | None = None) -> Hit[T] | None:
        """The longest phrase starting at token `i` and ending by token `limit`, if any."""
        node = self._root.get(tokens[i].folded)
        if node is None:
            return None
        end = len(tokens) if limit is None else min(limit, len(tokens))
        return _longest_match(node, tokens, i, end)

    def words(self) -> set[str]:
        """Every folded word of every phrase."""
        out: set[str] = set()
        todo = list(self._root.items())
        while todo:
            word, node = todo.pop()
            out.add(word)
            todo.extend(node.children.items())
        return out

    def entries(self) -> list[tuple[str, T]]:
        """Every (phrase as written, payload)."""
        out: list[tuple[str, T]] = []
        todo = list(self._root.values())
        while todo:
            node = todo.pop()
            out.extend((entry.phrase, entry.payload) for entry in node.entries)
            todo.extend(node.children.values())
        return out

    def written_words(self) -> set[str]:
        """Every word of every phrase as written, lowercase with its diacritics."""
        out: set[str] = set()
        todo = list(self._root.values())
        while todo:
            node = todo.pop()
            for entry in node.entries:
                out.update(entry.exact)
            todo.extend(node.children.values())
        return out

    def scan(self, tokens: Sequence[Token], skip: Sequence[bool] | None = None) -> list[Hit[T]]:
        """Leftmost-longest, non-overlapping hits; tokens flagged in `skip` are never used."""
        hits: list[Hit[T]] = []
        count = len(tokens)
        root = self._root
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
            node = root.get(tokens[i].folded)
            if node is None:
                i += 1
                continue
            end = count if limits is None else limits[i]
            hit = _longest_match(node, tokens, i, end) if end > i else None
            if hit is not None:
                hits.append(hit)
                i = hit.last
            else:
                i += 1
        return hits

    def find(self, text: str) -> list[Hit[T]]:
        """Scan raw text (normalised here); spans refer to `normalize(text)`."""
        return self.scan(tokenize(normalize(text)))


def _longest_match(node: _Node[T], tokens: Sequence[Token], i: int, end: int) -> Hit[T] | None:
    """The longest phrase from token `i` (whose trie node is `node`) ending by token `end`.

    A phrase never spans a hard separator; of the phrases with the same words, the first added
    whose diacritics agree wins."""
    if end <= i:
        return None
    ends: list[tuple[int, list[_Entry[T]]]] = []  # (last token, phrases ending there)
    j = i + 1
    while True:
        if node.entries:
            ends.append((j, node.entries))
        if j >= end or tokens[j].stop_before:
            break
        nxt = node.children.get(tokens[j].folded)
        if nxt is None:
            break
        node = nxt
        j += 1
    for last, entries in reversed(ends):
        for entry in entries:
            if _agrees(tokens, i, entry):
                return Hit(
                    i, last, tokens[i].start, tokens[last - 1].end, entry.payload, entry.phrase
                )
    return None


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
        # marks typed on a word written without any disagree: "là gì" is not La Gi
        elif want.isascii() or _toneless(typed) != _toneless(want):
            return False
    return True


@lru_cache(maxsize=16384)
def _toneless(word: str) -> str:
    return strip_tones(word)
