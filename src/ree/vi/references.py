"""Listing references in a message: "căn thứ 2", "căn 1 và 3", "the 4th one", ids, codes."""

from __future__ import annotations

import re

from ree.vi.gazetteer import gazetteer
from ree.vi.parsed import (
    ParsedQuery,
    cue_lexicon,
    mark_tokens,
    number_words,
    spelled_numbers,
    token_at,
)

__all__ = ["find_bare_pairs", "find_ids", "find_refs"]

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "dau tien": 1, "cuoi": -1, "cuoi cung": -1,
    "nhat": 1, "dau": 1,
}  # fmt: skip

_VI_ORD = (
    r"(?:\d{1,2}|mot|nhat|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|dau\s+tien|cuoi\s+cung|cuoi)"
)
_REF_VI = re.compile(
    rf"\b(?:(?<!nguyen\s)can|cai|tin|(?<!metro\s)(?<!tuyen\s)(?<!line\s)so|lua\s+chon|phuong\s+an"
    rf"|(?<!van\s)(?<!hai\s)phong(?=\s+(?:thu|so|\d))"  # "phòng 2", "lô 3" (not "quốc lộ 13")
    rf"|(?<!quoc\s)(?<!tinh\s)(?<!dai\s)(?<!huong\s)lo(?=\s+(?:thu|so|\d|(?:mot|hai|ba|bon|nam)\b))"
    rf"|(?:kho|xuong|nen|bai)(?=\s+(?:thu|so|\d)))"  # "kho 1 và kho 3", "nền số 2", "bài 1"
    rf"\s+(?:thu\s+|so\s+)?({_VI_ORD})\b"
    rf"|\b(?:nha|lo|lo\s+dat|mieng(?:\s+dat)?|manh(?:\s+dat)?|can\s+ho|can\s+nha|nha\s+pho|biet\s+thu|van\s+phong|villa"
    r"|phong(?=\s+(?:dau\s+tien|cuoi\s+cung))"
    # "kho đầu tiên có PCCC chưa" (not "cần thuê xưởng đầu tiên cho công ty mới")
    r"|(?<!thue\s)(?<!mua\s)(?<!can\s)(?:kho|xuong|nen)(?=\s+(?:dau\s+tien|cuoi\s+cung))"
    # "phòng trọ thứ 2" (not "phòng trọ số 5 Nguyễn Văn Cừ", "thứ 7 chủ nhật")
    r"|phong\s+tro(?=\s+thu\s+\w+\b(?!\s*(?:va\s+|,\s*)?chu\s+nhat)))"
    rf"\s+(?:(?:thu|so)\s+({_VI_ORD})|(dau\s+tien|cuoi\s+cung))\b"
    r"|\b(?:can|cai|tin)\s+(dau)\b(?!\s+(?:hoi|tien|mot|tu))"  # "căn đầu" (not "căn đầu hồi")
)
_EN_WORD_ORD = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)"
_EN_ORD = rf"(?:{_EN_WORD_ORD}|\d{{1,2}}(?:st|nd|rd|th))"
_EN_ITEM = (
    r"(?:one|listing|option|result|apartment|house|villa|condo|flat|plot|unit|room|office|"
    r"townhouse|property|studio|place)"
)
_REF_EN = re.compile(
    r"(?:\b(?:listing|option|number|no\.?|result)\s*#?|#)\s*(\d{1,2})\b"
    rf"|\b(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)\s+{_EN_ITEM}\b"
    rf"|\bthe\s+({_EN_WORD_ORD})\s+{_EN_ITEM}\b"
    rf"|\b(?:to|with|and|than|versus|vs)\s+the\s+({_EN_WORD_ORD})\b"  # "… compare to the fourth"
    # "what's the address of the 4th?": an ordinal closing the question
    r"|\bof\s+the\s+(\d)(?:st|nd|rd|th)\s*(?=\?|$)"
)
_REF_EN_LIST = re.compile(
    rf"\b(?:the\s+)?({_EN_ORD}(?:\s*(?:,|and|&|with|to|or|vs)\s*(?:the\s+)?{_EN_ORD})+)"
    rf"(?:\s+{_EN_ITEM}s?)?\b"
    r"(?![\s-]*(?:floors?|weeks?|months?|times?|years?|levels?|stor(?:e)?(?:y|ies)|days?))"
    r"|\blistings?\s+(\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})+)\b"
)
_REF_FIRST_N = re.compile(
    r"\b(?:first|top)\s+(two|three|four|five|\d)\b|\b(\d|hai|ba|bon)\s+can\s+dau\b"
)
_THAT_LAST = re.compile(r"\b(?:that|this)\s+(?:last|first)\s+one\b")
_ADDED_THAT = re.compile(
    r"them\s+(?:cai|dieu\s+kien)\s+(?:do|nay)\s+(?:vao|vo)\s*(?:$|[,.!?]|nha\b|nhe\b|di\b|luon\b)"
)
_REF_LIST_TAIL = re.compile(
    r"^\s*(?:,|va|voi|hay|hoac|and|&|vs)\s*(?:(?:can|cai|phong|lo|kho|xuong|nen)\s+)?"
    r"(?:thu\s+|so\s+)?(\d{1,2})\b"
)
# the speaker's (or family's) own home, told before a demonstrative that points back at it
_OWN_HOME_BEFORE = re.compile(
    r"\b(?:toi|minh|tui|tao|em|chung toi|ba me|bo me|cha me)\s+(?:dang\s+)?co\s+(?:mot\s+|1\s+)?"
    r"(can\s+nha|can\s+ho|can|mieng|lo|manh|nha|dat)\b[^,.?!]{0,30}?\b(?:o|tai|\d+\s*m)"
)
_IT_COMPARED = re.compile(r"\bit\s+compares?\b")
_REF_DEMO = re.compile(  # not the plural "mấy căn này" (the results, not one of them)
    r"(?<!may\s)(?<!cac\s)(?<!nhung\s)\b(?:can|cai|tin)\s+(?:do|nay|kia|ay|day|vua\s+roi|vua\s+xem|tren)\b"
    # (not "tin trên mấy group": posts elsewhere)
    r"(?!\s+du\b)(?!\s+(?:may|cac|nhung|group|nhom|facebook|fb|zalo|mang|web)\b)"
    r"|\b(?:that|this)\s+(?:one|listing|apartment|house|place)\b"
    r"|(?<=compare\s)it\b"
    # "the villa you showed first", "cái nhà ở Gò Vấp hồi nãy": one shown before
    r"|\b(?:one|villa|house|apartment|listing|place|townhouse)\s+you\s+(?:just\s+)?"
    r"(?:showed|sent|listed)\b"
    r"|\b(?:cai|can)\s+(?:nha|ho|biet\s+thu|villa|dat|nha\s+pho)?\s*(?:o\s+\w+(?:\s+\w+)?\s+)?"
    r"(?:hoi|luc|ban)\s+nay\b(?!\s+(?:minh|toi|em|anh)?\s*(?:noi|hoi|bao))"
)
# "căn hộ này có đắt không": a typed type and "này/đó/kia", in a short message with no number
# (not "căn hộ do Vingroup", "căn hộ đồ cơ bản", "lô đất đỏ", "lô đất này ở Củ Chi 100m2")
_REF_DEMO_TYPED = re.compile(
    r"(?<!giong\s)\b(?:can\s+ho|can\s+nha|lo\s+dat|mieng\s+dat|manh\s+dat)\s+(nay|do|kia)\b"
)
_DEMONSTRATIVES = frozenset({"này", "đó", "kia", "nay"})
_REF_SUPER = re.compile(r"\bcan\s+(re\s+nhat|dat\s+nhat|to\s+nhat|rong\s+nhat|nho\s+nhat)\b")
_REF_SUPER_EN = re.compile(
    r"\bthe\s+(cheapest|most\s+expensive|priciest|biggest|largest)\s+"
    r"(?:one|listing|unit|apartment|flat|house|villa)\b"
    r"(?![\s-]*(?:bed|br|first|to\b|you\s+(?:have|got|can)))"
    r"|\bthe\s+(cheaper|bigger|larger|pricier|more\s+expensive)\s+(?:one\s+)?of\s+the\s+two\b"
)
# a superlative named while asking for listings: a sort, not one of those shown
_PICKING_EN = re.compile(
    r"^(?:find|show|list|sort|give\s+me|any)\b|\b(?:show\s+me|find\s+me|sort\s+by|anything|"
    r"something|not\s+the)\b"
)
_WHILE_AGO = re.compile(r"(?:hoi|luc|ban)\s+nay$")  # "hồi nãy" once its marks are checked
_NUMBERED = re.compile(r"\s(?:thu|so)\s+\S+$")
_IDS = re.compile(r"\b[a-z][a-z0-9_-]{1,20}:[a-z0-9_-]+\b")
_CODE = re.compile(r"\b(?!(?:QL|TL|DT|ĐT)\d)[A-Z]{1,3}\d{2,5}\b")  # not a road ("QL13")
_PIECE = re.compile(r"(?:mieng|manh)\b")
_ONE_OF_A_KIND_BEFORE = re.compile(r"\bco\s*$")  # "không có miếng thứ 2": one of a kind


def _a_piece_of_land(p: ParsedQuery, folded: str, m: re.Match[str]) -> bool:
    """ "miếng thứ hai", "mảnh số 3": a shown lot, typed with its mark ("mạnh thứ hai" is
    strong), and not the seller's "không có miếng thứ 2" (one of a kind); other nouns pass."""
    if not _PIECE.match(folded, m.start()):
        return True
    typed = p.text[m.start() : m.start() + 5].lower()
    plain = typed.startswith("mieng") or folded.startswith("manh dat", m.start())
    if not typed.startswith(("miếng", "mảnh")) and not (p.text.isascii() and plain):
        return False
    return not _ONE_OF_A_KIND_BEFORE.search(folded[: m.start()])


_NOT_REF_AFTER = re.compile(
    r"^\s*(?:pn|phong|ngu|br|bed|wc|vs\b(?!\s+(?:can|cai|phong|lo)\b)|m2|m\b|met|tang(?!\s+tret\s+co\b)(?!\s+(?:may|bao\s+nhieu|so\s+may)\b)|lau(?!\s+may\b)|tret|mat(?!\s+tien\s+(?:rong|ngang|dai)\s+(?:may|bao))|mt\b|ty|ti\b|trieu|tr\b"
    r"|toi|cu\b|t\b|x\s*\d|,\d|\.\d|\+|nguoi|thang|nam\b)"
)


# after a bare "phòng N" / "lô N" only a question or a link word: "phòng 1 với phòng 4",
# "lô 2 có sổ chưa" (not "phòng 2 giường", "lô 3 ha")
_AFTER_BARE = re.compile(
    r"^\s*(?:$|[,.?!;]|(?:co|con|va|voi|hay|hoac|vs|thi|gia|nam|the|nay|la|duoc|dang|da|bi|"
    r"o|cach|rong|dien|huong|so|phap|bao|cai|can|nao|con|re|mac|ok|khong(?!\s+gian)|ko|gui|"
    r"(?:anh|em|chi|ban)\s+(?:vua\s+)?gui|"
    r"(?:lo\s+gioi|tho\s+cu)\s+(?:bao|may|rong|the|nhu|co|het|ko|khong)|ngang\s+(?:bao|may)|"
    r"duong\s+(?:\w+\s+){0,2}?(?:bao|may|rong))\b)"
)
_PLOT_NOUNS = frozenset({"nền", "xưởng", "bài"})  # "bài 1 với bài 3": posts pasted
_VAN_AFTER = re.compile(r"\s+van\b")  # "minh can tu van": "cần tư vấn", not "căn tư"
_ARTICLE_BEFORE = re.compile(r"\s+(?:can|nha|lo|mieng|manh|cho|noi|phong)\b")  # "một căn nhà"
_FIRST_HOME_BEFORE = re.compile(r"(?:mua|tim|kiem|sam|huu|xay|dau\s+tu|can|minh)\s+(?:can\s+)?$")


def _spelled_as_number(p: ParsedQuery, m: re.Match[str]) -> bool:
    """A number word typed with other marks is another word: "Hải" is not "hai"."""
    group = next((g for g in (1, 2, 3, 4) if m.group(g)), None)
    if group is None or m.group(group)[:1].isdigit():
        return True
    k = token_at(p.tokens, m.start(group))
    typed = p.tokens[k].lower if k < len(p.tokens) else ""
    return typed.isascii() or typed in spelled_numbers() or typed in ("đầu", "cuối")


def _listing_noun_ok(p: ParsedQuery, folded: str, m: re.Match[str]) -> bool:
    """A bare "phòng N" / "lô N" refers to a listing only before a question or a link word,
    and never inside a name ("Lê Hồng Phong 2 chiều") or after "lộ" ("quốc lộ 13")."""
    head = m.group(0).split()[0]
    if head not in ("phong", "lo", "kho", "xuong", "nen", "bai"):
        return True
    k = token_at(p.tokens, m.start())
    if k < len(p.tokens) and p.tokens[k].lower == "lộ":
        return False
    typed = p.tokens[k].lower if k < len(p.tokens) else ""
    if head in ("nen", "xuong", "bai") and typed not in _PLOT_NOUNS:
        return False  # "nên 2 hay 3 phòng", "xuống 3 tỷ": not "nền 2", "xưởng 3"
    if k > 0 and p.text[p.tokens[k].start].isupper() and p.text[p.tokens[k - 1].start].isupper():
        return False  # a name: "Lê Hồng Phong 2"
    after = token_at(p.tokens, m.end())
    if after < len(p.tokens) and p.tokens[after].lower in ("đắt", "dắt"):
        return True  # "lô 2 đắt vậy có ok không" (not "lô 2 đất thổ cư")
    return bool(_AFTER_BARE.match(folded[m.end() :]))


def _ref_number(raw: str) -> int | None:
    raw = raw.strip()
    if raw.isdigit():
        return int(raw)
    if raw in _ORDINALS:
        return _ORDINALS[raw]
    return number_words().get(raw)


def find_refs(p: ParsedQuery, folded: str) -> None:
    for m in _REF_VI.finditer(folded):
        # "căn số 2 tầng mấy" points at a listing; "căn 2 tầng" is a two-storey unit
        numbered = _NUMBERED.search(m.group(0)) is not None
        numbered = numbered or m.group(0).endswith(("dau tien", "cuoi cung"))  # words, no unit
        if not numbered and not _listing_noun_ok(p, folded, m):
            continue
        if not _spelled_as_number(p, m):
            continue  # "căn Hải Châu": a name, not "căn hai"
        raw = m.group(1) or m.group(2) or m.group(3) or m.group(4)
        if not _a_piece_of_land(p, folded, m):
            continue
        if m.group(0).startswith("lo") and raw and not raw[:1].isdigit():
            k = token_at(p.tokens, m.start())  # "lô hai" typed with marks (not "lo năm nay")
            south = k + 1 < len(p.tokens) and p.tokens[k + 1].lower == "nam"  # "lô nam" faces south
            if p.tokens[k].lower != "lô" or (south and not p.text.isascii()):
                continue
        home_before = _FIRST_HOME_BEFORE.search(folded[max(0, m.start() - 16) : m.start()])
        if m.group(3) and home_before:
            continue  # "mua căn nhà đầu tiên": a first home, not the first listing
        if home_before and re.sub(r"\s+", " ", raw) == "dau tien":
            p.first_home = True  # "mua căn đầu tiên": the listing shown first, if any was
        k = token_at(p.tokens, m.start())
        if k < len(p.tokens) and p.tokens[k].lower == "cần":
            continue  # "cần một căn nhà": a need, not "căn một"
        if raw == "mot" and _ARTICLE_BEFORE.match(folded[m.end() :]):
            continue  # "can mot can nha" typed without accents: "cần một căn nhà"
        if not numbered and _NOT_REF_AFTER.match(folded[m.end() :]):
            continue
        if raw == "tu" and _VAN_AFTER.match(folded[m.end() :]):
            continue  # "minh can tu van": "cần tư vấn", not "căn tư"
        n = _ref_number(re.sub(r"\s+", " ", raw))
        if n is None:
            continue
        p.refs.append(n)
        end = m.end()
        while tail := _REF_LIST_TAIL.match(folded[end:]):
            if _NOT_REF_AFTER.match(folded[end + tail.end() :]):
                break
            p.refs.append(int(tail.group(1)))
            end += tail.end()
        mark_tokens(p.consumed, p.tokens, m.start(), end)
    for m in _REF_EN_LIST.finditer(folded):
        for raw in re.findall(rf"{_EN_ORD}|\d{{1,2}}", m.group(1) or m.group(2)):
            n = _ref_number(re.sub(r"(?<=\d)(st|nd|rd|th)$", "", raw))
            if n is not None:
                p.refs.append(n)
        mark_tokens(p.consumed, p.tokens, m.start(), m.end())
    for m in _REF_EN.finditer(folded):
        if any(p.consumed[k] for k, t in enumerate(p.tokens) if m.start() <= t.start < m.end()):
            continue  # inside a list read above ("the second and the fourth one")
        raw = m.group(1) or m.group(2) or m.group(3) or m.group(4) or m.group(5)
        n = _ref_number(raw)
        if n is not None:
            p.refs.append(n)
            end = m.end()
            while m.group(1) and (tail := _REF_LIST_TAIL.match(folded[end:])):
                if _UNIT_AFTER.match(folded, end + tail.end()):
                    break  # "is number 2 and 3 bedrooms?": a count, no second listing
                p.refs.append(int(tail.group(1)))  # "compare number 2 and 4"
                end += tail.end()
            mark_tokens(p.consumed, p.tokens, m.start(), end)
    for m in _REF_EN_PAIR.finditer(folded):
        if _UNIT_AFTER.match(folded, m.end(2)) or _UNIT_AFTER.match(folded, m.end()):
            continue  # "apartment 2 or 3 bedrooms": counts, no listings
        p.refs.extend((int(m.group(2)), int(m.group(3))))
        mark_tokens(p.consumed, p.tokens, m.start(), m.end())
    for m in _REF_FIRST_N.finditer(folded):
        n = _ref_number(m.group(1) or m.group(2))
        if n:
            p.refs.extend(range(1, n + 1))
            mark_tokens(p.consumed, p.tokens, m.start(), m.end())
    if "?" in p.text and _THAT_LAST.search(folded):
        p.demonstrative = True  # "any hidden fees with that last one?": asked about it
    for m in _REF_DEMO.finditer(folded):
        if _ADDED_THAT.search(folded[max(0, m.start() - 5) : m.end() + 12]):
            continue  # "có full nội thất không, thêm cái đó vào": the condition just named
        while_ago = _WHILE_AGO.search(m.group(0)) is not None
        if while_ago and not p.text[m.start() : m.end()].lower().endswith("nãy"):
            continue  # "căn hộ ở Thủ Đức lúc này" (now), not "lúc nãy" (shown a while ago)
        k = token_at(p.tokens, m.start())
        if k < len(p.tokens) and p.tokens[k].lower == "cần":
            continue  # "mình cần trên 100m2": a need, not "căn trên" (the one above)
        said = p.text[m.start() : m.end()].lower()
        if said.endswith((" day", " dây", " đây")):
            continue  # only a typed "đấy" points ("căn đấy"), not "dây", "đây" or unaccented
        told = _OWN_HOME_BEFORE.search(folded[: m.start()])
        if told and p.text[told.start(1) : told.end(1)].lower() != "cần":
            p.own_home_told = True  # "ba mẹ tôi có căn nhà ở Ninh Kiều …, giá của căn đó"
        p.demonstrative = True
        mark_tokens(p.consumed, p.tokens, m.start(), m.end())
    typed = _REF_DEMO_TYPED.search(folded)
    if typed and not any(c.isdigit() for c in folded) and len(p.tokens) <= 12:
        k = token_at(p.tokens, typed.start(1))
        if k < len(p.tokens) and p.tokens[k].lower in _DEMONSTRATIVES:
            p.demonstrative = True  # the type's words stay to be read
    if m2 := _REF_SUPER.search(folded):
        p.superlative_ref = "cheapest" if m2.group(1).startswith(("re", "nho")) else "largest"
        if m2.group(1).startswith("dat"):
            p.superlative_ref = "priciest"
    elif (
        (m3 := _REF_SUPER_EN.search(folded))
        and ("?" in p.text or folded.startswith(("compare", "tell me", "and the")))
        and not _PICKING_EN.search(folded)
    ):
        # "does the cheapest one allow pets?"
        word = m3.group(1) or m3.group(2)  # "the cheaper of the two": the cheapest of those
        p.superlative_ref = (
            "cheapest" if word.startswith("cheap") else "largest" if word[0] in "bl" else "priciest"
        )
    if len(p.refs) == 1 and _IT_COMPARED.search(folded):
        p.demonstrative = True  # "how does it compare with the fourth?": the one in focus
    p.refs = list(dict.fromkeys(p.refs))


# "villa 1 vs villa 3", "house 2 or 4": two shown homes named by their place in the results
_REF_EN_PAIR = re.compile(
    r"\b(villa|house|apartment|condo|unit|flat|option|place|home|townhouse)\s+(\d)\s+"
    r"(?:(?:vs\.?|versus)\s+(?:(?:the\s+)?\1\s+)?|(?:or|and|with)\s+(?:the\s+)?\1\s+)(\d)\b"
)
_UNIT_AFTER = re.compile(
    r"\s*(?:ty|ti|tr|trieu|m2|m|pn|ngu|phong|bed|bath|br|wc|billion|bn|million|mil|floor|"
    r"stor|tang|lau|%|usd|\$|k\b|sqm|square|years?|km|min)"
)
_BARE_PAIR = re.compile(
    r"\b(\d{1,2})((?:\s*(?:,|and|&|vs|voi|va|hay|or)\s*\d{1,2}\b)+)(?!\s*[a-z%/.,]*\d*\s*(?:ty|tr|trieu|m2|pn|ngu|b\b|m\b))"
)


def find_bare_pairs(p: ParsedQuery, folded: str) -> None:
    """ "compare 1 and 3", "so sánh 2 với 4": bare numbers next to a compare word."""
    if p.refs or not cue_lexicon().scan(p.tokens):
        return
    if not any(h.payload in ("compare", "compare_with") for h in cue_lexicon().scan(p.tokens)):
        return
    for m in _BARE_PAIR.finditer(folded):
        numbers = [int(m.group(1)), *map(int, re.findall(r"\d{1,2}", m.group(2)))]
        if all(0 < n <= 20 for n in numbers):
            p.refs.extend(numbers)
            mark_tokens(p.consumed, p.tokens, m.start(), m.end())


def find_ids(p: ParsedQuery, folded: str) -> None:
    for m in _IDS.finditer(folded):
        if not re.fullmatch(r"\d+:\d+", m.group(0)):
            p.ids.append(p.text[m.start() : m.end()])
            mark_tokens(p.consumed, p.tokens, m.start(), m.end())
    for m in _CODE.finditer(p.text):
        idx = [k for k, t in enumerate(p.tokens) if t.start == m.start()]
        if idx and not p.consumed[idx[0]] and not gazetteer().lexicon.match_at(p.tokens, idx[0]):
            p.ids.append(m.group(0))
            mark_tokens(p.consumed, p.tokens, m.start(), m.end())
