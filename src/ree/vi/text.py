"""Vietnamese text normalisation and folding.

`normalize` gives one spelling for one word: NFC, one tone-mark placement, single spaces.
The placement is the traditional one used by the portals and the gazetteer: in an open
syllable ending in *oa*, *oe* or *uy* the mark sits on the first vowel ("hòa", "khỏe",
"thủy"); a vowel carrying a hat or horn (â ă ê ô ơ ư) always takes the mark; otherwise a
closed syllable puts it on its last vowel ("hoàn", "thuận").

`fold` is what search and parsing compare on: lowercase ASCII-ish text with every
diacritic removed and "đ" read as "d" ("Quận Gò Vấp" -> "quan go vap").

`telex` reads a word typed in Telex with the input method switched off ("nhaf" -> "nhà").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_aligned", "heard_key", "normalize", "strip_tones", "telex", "tone_marks"]

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
_HATS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
_VOWELS = set("aeiouy")
_WORD = re.compile(r"[^\W\d_]+")
_SPACES = re.compile(r"\s+")
# a whole word (as `_WORD`) with at least one non-ASCII letter: only those can change
_MARKED_WORD = re.compile(r"[^\W\d_]*[^\W\d_\x00-\x7f][^\W\d_]*")


def _split_marks(word_nfd: str) -> tuple[list[str], list[str], str | None]:
    """Base letters, the hat/horn marks per letter, and the one tone mark of a syllable."""
    letters: list[str] = []
    hats: list[str] = []
    tone: str | None = None
    for ch in word_nfd:
        if ch in _TONES:
            tone = ch
        elif letters and (ch in _HATS or unicodedata.combining(ch)):
            hats[-1] += ch
        else:
            letters.append(ch)
            hats.append("")
    return letters, hats, tone


def _nucleus(letters: list[str]) -> tuple[int, int]:
    """Start and end (exclusive) of the vowel cluster, skipping the "qu"/"gi" onsets."""
    low = [c.lower() for c in letters]
    i = 0
    while i < len(low) and low[i] not in _VOWELS:
        i += 1
    if i > 0 and i + 1 < len(low) and low[i - 1] in "qg":
        onset_vowel = "u" if low[i - 1] == "q" else "i"
        if low[i] == onset_vowel and low[i + 1] in _VOWELS:
            i += 1
    j = i
    while j < len(low) and low[j] in _VOWELS:
        j += 1
    return i, j


def _tone_position(letters: list[str], hats: list[str]) -> int | None:
    start, end = _nucleus(letters)
    if start >= end:
        return None
    hatted = [k for k in range(start, end) if hats[k]]
    if hatted:
        return hatted[-1]
    if end < len(letters):  # closed syllable: the last vowel
        return end - 1
    size = end - start
    if size >= 3:
        return start + 1
    return start


@lru_cache(maxsize=65536)
def _place_tone(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word)
    letters, hats, tone = _split_marks(nfd)
    if tone is None or sum(ch in _TONES for ch in nfd) > 1:
        return word  # two tone marks: two syllables typed together ("sổhồng"), left as typed
    end = _nucleus(letters)[1]
    if any(c.lower() in _VOWELS for c in letters[end:]):
        return word  # a second vowel cluster: not one syllable
    pos = _tone_position(letters, hats)
    if pos is None:
        return word
    out = []
    for k, (letter, hat) in enumerate(zip(letters, hats, strict=True)):
        out.append(letter + hat + (tone if k == pos else ""))
    return unicodedata.normalize("NFC", "".join(out))


def tone_marks(text: str) -> str:
    """The tone marks `text` carries, in order ("hài" -> the grave accent; "" when level)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if c in _TONES)


# the sounds the regions (and speech-to-text) merge, at a syllable's start and at its end:
# "chưng"/"trưng", "suân"/"xuân", "dấy"/"giấy", "dấp"/"vấp", "niêm"/"liêm", "đứt"/"đức"
_HEARD_ONSETS = (("tr", "ch"), ("gi", "d"), ("x", "s"), ("r", "d"), ("v", "d"), ("l", "n"))
_HEARD_CODAS = (("ng", "n"), ("nh", "n"), ("ch", "t"), ("c", "t"))


def heard_key(text: str) -> str:
    """A lowercase phrase, without tone marks, as it sounds across the regions: the onsets
    and codas that Northern and Southern speech merge written one way, "y" as "i", and "ă",
    "â" as "a" ("cầu giây" and "cầu dây" -> "cau dai", "thu duc" and "thu dut" -> "thu
    dut"). Other hats, horns and "đ" are kept: "của nó" does not sound like "Cửa Lò"."""
    out = []
    for syllable in text.split():
        for written, said in _HEARD_ONSETS:
            if syllable.startswith(written) and len(syllable) > len(written):
                syllable = said + syllable[len(written) :]
                break
        syllable = syllable.replace("y", "i").replace("ă", "a").replace("â", "a")
        for written, said in _HEARD_CODAS:
            if syllable.endswith(written) and len(syllable) > len(written):
                syllable = syllable[: -len(written)] + said
                break
        out.append(syllable)
    return " ".join(out)


def strip_tones(text: str) -> str:
    """`text` with tone marks removed but hats and horns kept ("Quận" -> "Quân")."""
    nfd = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))


@lru_cache(maxsize=1024)
def normalize(text: str) -> str:
    """NFC, one tone-mark placement per syllable, whitespace collapsed, stripped (cached:
    listing analysis asks about the same text many times)."""
    text = unicodedata.normalize("NFC", text)
    # An ASCII word carries no tone mark to move; most texts (a description already
    # normalised line by line) have no word to change, and are then left as they are.
    if not text.isascii() and _tone_to_move(text):
        text = _MARKED_WORD.sub(_place_tone_of, text)
    return _SPACES.sub(" ", text).strip()


_SETTLED: set[str] = set()  # space-separated pieces seen with every tone mark in place
_SETTLED_MAX = 50_000


def _tone_to_move(text: str) -> bool:
    """Whether some word of `text` has its tone mark elsewhere than `normalize` puts it
    (a word never spans whitespace, so the text's pieces between spaces are checked)."""
    for piece in set(text.split()) - _SETTLED:
        if any(_place_tone(word) != word for word in _MARKED_WORD.findall(piece)):
            return True
        if len(_SETTLED) < _SETTLED_MAX:
            _SETTLED.add(piece)
    return False


def _place_tone_of(m: re.Match[str]) -> str:
    return _place_tone(m.group())


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base.lower()) == 1 else ch


class _FoldTable(dict[int, str]):
    """str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = ch.lower() if ch.isascii() else _fold_char(ch)
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_aligned(text: str) -> str:
    """Fold an NFC string character by character, keeping its length and offsets.

    Callers that need to map a match in the folded text back to the original (the query
    parser does) use this on `normalize(text)`; it does not touch whitespace.
    """
    if text.isascii():
        return text.lower()
    if len(text) > _SHORT:
        return _fold_long(text)
    return text.translate(_FOLD_TABLE)


# Listing analysis folds the same title and description in several places (classifier,
# readers, dedup) and the same short phrases over and over: both are memoised.
_SHORT = 64


@lru_cache(maxsize=64)
def _fold_long(text: str) -> str:
    return text.translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """Normalise, lowercase and strip every diacritic: "Quận Gò Vấp" -> "quan go vap"."""
    return _fold_short(text) if len(text) <= _SHORT else _fold(text)


def _fold_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    folded = text.lower() if text.isascii() else text.translate(_FOLD_TABLE)
    return _SPACES.sub(" ", folded).strip()


_fold = lru_cache(maxsize=64)(_fold_text)
_fold_short = lru_cache(maxsize=8192)(_fold_text)


_TELEX_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_TELEX_HAT = {"a": "â", "e": "ê", "o": "ô"}
_TELEX_HORN = {"a": "ă", "o": "ơ", "u": "ư"}
_ONE_VOWEL_CLUSTER = re.compile(r"[^aeiouy]*[aeiouy]+[^aeiouy]*")


@lru_cache(maxsize=4096)
def telex(word: str) -> tuple[str, bool] | None:
    """A word typed in Telex with the input method off, as meant, and whether a hat, horn
    or "đ" was typed: "nhaf" -> ("nhà", False), "caanf" -> ("cần", True), "quanaj" (the
    hat's second "a" typed late, as input methods allow, with a tone key) -> ("quận", True),
    "cuw" -> ("cư", True), "dduwowngf" -> ("đường", True). None when the word uses no Telex
    key or does not decode cleanly (lowercase ASCII letters only; whether the result is a
    syllable, and a word, is the caller's question)."""
    if not word.isascii() or not word.isalpha() or len(word) < 2 or not word.islower():
        return None
    tone = _TELEX_TONES.get(word[-1]) if any(c in _VOWELS for c in word[:-1]) else None
    letters = list(word[:-1] if tone else word)
    out: list[str] = []
    marked = late = False
    for c in letters:
        if c == "d" and out == ["d"]:
            out[0], marked = "đ", True
        elif c in _TELEX_HAT and c in out:
            k = len(out) - 1 - out[::-1].index(c)
            if any(x in _VOWELS for x in out[k + 1 :]):
                return None  # "aoa": not one vowel doubled
            out[k], marked = _TELEX_HAT[c], True
            late = late or k < len(out) - 1  # "quanaj": the hat's letter after the consonant
        elif c == "w":
            vowels = [k for k, x in enumerate(out) if x in _TELEX_HORN]
            if not vowels:
                return None
            k = vowels[-1]
            if out[k] == "o" and k > 0 and out[k - 1] == "u":
                out[k - 1] = "ư"  # "uow": both take the horn ("dduwowngf", "duowng")
            out[k], marked = _TELEX_HORN[out[k]], True
        elif c in "fjz" or (c in "rsx" and any(x in _VOWELS for x in out)):
            return None  # a tone key inside the word ("r", "s", "x" begin one: "rộng", "xã")
        elif c in _TELEX_HAT and any(x == _TELEX_HAT[c] for x in out):
            return None  # a hat typed three times ("hooo")
        else:
            out.append(c)
    if not (marked or tone) or not _ONE_VOWEL_CLUSTER.fullmatch(fold("".join(out))):
        return None
    if late and not tone:
        return None  # "theme", "mono": English, not "thêm", "môn" (a late hat comes with a tone)
    spelled = unicodedata.normalize("NFC", "".join(out) + (tone or ""))
    return _place_tone(spelled) if tone else spelled, marked
