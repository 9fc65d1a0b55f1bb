"""Listing descriptions cut into coherent passages: `SemanticChunker().run(text)`.

Portal descriptions often lose their line breaks ("…chính chủ0983…", "64m2Giá 5 tỷ",
"nhà đẹp.Sổ hồng") or are one long run of bullets. The chunker

1. **repairs** glued text: a break between a word and a phone number, between a unit and
   the capitalised word after it ("m2Giá"), between a lower-case and an upper-case letter
   glued inside a word ("đẹpGiá"), and after a sentence mark glued to the next word;
2. **splits** into sentences at line breaks, sentence marks (not inside "3.5 tỷ" or
   "4.2x15"), and bullet markers ("+", "-", "•", "*", "✅" and other pictographs, the "????"
   left where emoji were lost);
3. **merges** sentences into passages by topic — each sentence is tagged by its cue words
   (place, structure, legal & price, amenities, contact) and a passage ends where the topic
   changes or the word budget (`max_words`, well inside multilingual-e5-small's 512-token
   window) is reached. Untagged sentences continue the passage they follow.

`best_passage` keeps the passage with the most listing facts (sizes, prices, rooms, floors,
legal status, places) and the fewest contact details: it is what gets embedded with the
title (one vector per listing) and the default snippet. `snippet(passages, query)` picks the
passage sharing most words with a query, for the cards shown to a user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ree.vi.text import fold

__all__ = [
    "Chunked",
    "SemanticChunker",
    "best_passage",
    "description_snippet",
    "snippet",
    "split_sentences",
]

# ----- repair --------------------------------------------------------------------------------


def _letters(upper: bool) -> str:
    """A regex class body of the Latin letters (incl. Vietnamese) of one case."""
    spans = ((0x41, 0x250), (0x1E00, 0x1F00))
    chars = (chr(i) for lo, hi in spans for i in range(lo, hi))
    return "".join(re.escape(c) for c in chars if c.isalpha() and c.isupper() == upper)


_UPPER = _letters(upper=True)
_LOWER = _letters(upper=False)
# (the rarer lookahead is tested before the lookbehind: the same matches, found sooner)
_GLUED_PHONE = re.compile(rf"(?=(?:\+84|0)\d{{2,3}}[\d .*x]{{5,}})(?<=[{_LOWER}{_UPPER}:])")
_GLUED_UNIT = re.compile(rf"(?=[{_UPPER}][{_LOWER}])(?<=m2|m²|tỷ|ty)")
_GLUED_CASE = re.compile(rf"(?=[{_UPPER}][{_LOWER}])(?<=[{_LOWER}]{{2}})")
_GLUED_MARK = re.compile(rf"(?=[.!?;][{_UPPER}])(?<=[{_LOWER}]{{2}})([.!?;])")
_SPACES = re.compile(r"[ \t\u00a0]+")


def repair(text: str) -> str:
    """Put back the breaks a scraper lost: before glued phones, capitalised words, marks."""
    text = _GLUED_PHONE.sub("\n", text)
    text = _GLUED_UNIT.sub("\n", text)
    text = _GLUED_CASE.sub("\n", text)
    return _GLUED_MARK.sub(r"\1\n", text)


# ----- sentences -----------------------------------------------------------------------------

_PICTOGRAPHS = "\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff"
_BULLET = re.compile(
    rf"(?:^|(?<=\s))(?:[+•►▪●◆❖➤➢→⇒=]|[-*](?=\s)|\?{{2,}}|[{_PICTOGRAPHS}]+\ufe0f?)"
)
_SENTENCE_END = re.compile(
    r"(?<=[^\d\s][.!?;])\s+|(?<=[.!?;])\s+(?=[^\d\s])|(?<=\d[.!?])\s+(?=[^\d\s])"
)
_MIN_SENTENCE = 2


def split_sentences(text: str) -> list[str]:
    """The sentences of a description, glued text repaired, bullets dropped, in order."""
    out: list[str] = []
    for line in repair(text).splitlines():
        for piece in _BULLET.split(line):
            for sentence in _SENTENCE_END.split(piece):
                clean = _SPACES.sub(" ", sentence).strip(" -–—,:|")
                if len(clean) >= _MIN_SENTENCE:
                    out.append(clean)
    return out


# ----- topics --------------------------------------------------------------------------------

_TOPICS: dict[str, re.Pattern[str]] = {
    "contact": re.compile(
        r"\b(?:lien he|lh|zalo|hotline|sdt|goi ngay|goi em|goi anh|call|alo|inbox|mr|ms)\b"
    ),
    "legal_price": re.compile(
        r"\b(?:gia|ty|trieu|so hong|so do|phap ly|shr|thuong luong|tl|cong chung|hoan cong)\b"
    ),
    "structure": re.compile(
        r"\b(?:dien tich|dt|dtcn|ket cau|tang|lau|tret|lung|phong ngu|pn|wc|toilet|ve sinh|"
        r"ngang|dai|no hau|san thuong|thiet ke|bep|phong khach|m2|btct)\b"
    ),
    "place": re.compile(
        r"\b(?:vi tri|dia chi|duong|phuong|quan|huyen|hem|hxh|ngo|kiet|mat tien|gan|cach|"
        r"thong ra|khu|trung tam)\b"
    ),
    "amenity": re.compile(
        r"\b(?:tien ich|cho|truong|benh vien|sieu thi|cong vien|an ninh|dan tri|yen tinh|"
        r"thoang|kinh doanh|cho thue)\b"
    ),
}
_FACTS = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:m2|m²|m\b|ty|trieu|tr\b|pn|wc|tang|lau|phong)"
    r"|\b(?:so hong|so do|shr|huong|mat tien|hem|ngo|phuong|quan|duong|ket cau|dien tich)\b"
)
_CONTACT = _TOPICS["contact"]
_PHONEISH = re.compile(r"(?:\+?84|0)\d{2,3}[\d .*x]{5,}")


def _topic(folded: str) -> str | None:
    for name, pattern in _TOPICS.items():
        if pattern.search(folded):
            return name
    return None


def _words(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Chunked:
    """A description's passages (in order) and the index of the most informative one."""

    passages: list[str] = field(default_factory=list)
    best: int = 0

    @property
    def best_passage(self) -> str:
        """The passage to embed and show by default ("" for an empty description)."""
        return self.passages[self.best] if self.passages else ""

    @property
    def text(self) -> str:
        """The repaired description: one passage per line."""
        return "\n".join(self.passages)


class SemanticChunker:
    """Split a description into topic-coherent passages: `run(text) -> Chunked`.

    `max_words` bounds a passage (200 words is ~300-350 e5 tokens for Vietnamese, inside
    the 512-token window with the title); `min_words` merges a short passage into the
    previous one. Raises `ValueError` for a budget below 10 words.
    """

    def __init__(self, max_words: int = 200, min_words: int = 8) -> None:
        if max_words < 10 or min_words < 0:
            raise ValueError("max_words must be >= 10 and min_words >= 0")
        self.max_words, self.min_words = max_words, min_words

    def run(self, text: str) -> Chunked:
        """Passages of `text` and which one is the most informative."""
        return _chunk(text, self.max_words, self.min_words)


@lru_cache(maxsize=4096)
def _chunk(text: str, max_words: int, min_words: int) -> Chunked:
    passages: list[list[str]] = []
    topics: list[str | None] = []
    sizes: list[int] = []
    for sentence in split_sentences(text):
        topic = _topic(fold(sentence))
        size = _words(sentence)
        if size > max_words:  # one enormous "sentence": cut it by words
            words = sentence.split()
            pieces = [" ".join(words[i : i + max_words]) for i in range(0, len(words), max_words)]
        else:
            pieces = [sentence]
        for piece in pieces:
            n = size if len(pieces) == 1 else _words(piece)
            same = passages and (topic is None or topic == topics[-1] or topics[-1] is None)
            small = bool(sizes) and sizes[-1] < min_words
            if passages and (same or small) and sizes[-1] + n <= max_words:
                passages[-1].append(piece)
                sizes[-1] += n
                topics[-1] = topics[-1] or topic
            else:
                passages.append([piece])
                sizes.append(n)
                topics.append(topic)
    joined = [" ".join(p) for p in passages]
    return Chunked(joined, best_passage(joined))


def informativeness(passage: str) -> float:
    """Listing facts in a passage, minus contact details; ties favour earlier passages."""
    folded = fold(passage)
    facts = len(_FACTS.findall(folded))
    contact = len(_CONTACT.findall(folded)) + 2 * len(_PHONEISH.findall(folded))
    return facts - contact + min(_words(passage), 60) / 100


def best_passage(passages: list[str]) -> int:
    """Index of the most informative passage (0 when there are none)."""
    if not passages:
        return 0
    scores = [informativeness(p) for p in passages]
    return max(range(len(passages)), key=lambda i: (scores[i], -i))


_TOKEN = re.compile(r"[a-z0-9]+")


def snippet(passages: list[str], query: str | None, max_chars: int = 240) -> str | None:
    """The passage sharing most words with `query` (else the most informative), clipped."""
    if not passages:
        return None
    chosen = passages[best_passage(passages)]
    words = set(_TOKEN.findall(fold(query or "")))
    if words:
        overlap = [len(words & set(_TOKEN.findall(fold(p)))) for p in passages]
        top = max(overlap)
        if top > 0:
            chosen = passages[overlap.index(top)]
    return _clip(chosen, max_chars)


def description_snippet(description: str, query: str | None, max_chars: int = 240) -> str | None:
    """The card snippet of a description for a query (None for an empty description)."""
    if not description.strip():
        return None
    return snippet(_chunk(description, 200, 8).passages, query, max_chars)


def _clip(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit(" ", 1)[0].rstrip(" ,.;:-")
    return cut + "…"
