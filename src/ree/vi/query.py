"""Read one chat message into constraints and cues (no conversation logic here).

`parse_query` finds, in one pass each: listing references ("căn thứ 2", `references`), prices,
areas and room counts with the words around them (`quantities`), places (gazetteer),
vocabulary (types, features, directions, legal, sort, transaction) and conversation cues
(seller, valuation, market, drop, "rẻ hơn"…). `ree.chat.understand` turns the result into an
intent and effective filters.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache, lru_cache

from rapidfuzz import fuzz

from ree.models import Direction, Feature, LegalStatus, PropertyType, Sort, Transaction
from ree.vi.gazetteer import Place, gazetteer
from ree.vi.lexicon import Hit, Lexicon, Token, tokenize
from ree.vi.numbers import spoken_digits
from ree.vi.parsed import (
    Amount,
    ParsedQuery,
    bound_lexicon,
    chat_vocab,
    cue_lexicon,
    drop_key_lexicon,
    mark_tokens,
    token_at,
)
from ree.vi.places import PlaceMention, alley_streets, frontage_streets, resolve_places
from ree.vi.quantities import NUMW, ROOM_UNIT, find_amounts, find_rooms, taken_back_between
from ree.vi.references import find_bare_pairs, find_ids, find_refs
from ree.vi.text import fold, fold_aligned, heard_key, normalize, strip_tones, telex, tone_marks
from ree.vi.vocab import VocabItem, frontage_width_follows, vocab, vocab_lexicon

__all__ = ["Amount", "ParsedQuery", "chat_vocab", "parse_query", "query_text"]


# ----- vocabulary and places ---------------------------------------------------------------


@cache
def _trigger_lexicon() -> Lexicon[str]:
    lex: Lexicon[str] = Lexicon()
    lex.add_all(vocab()["direction_triggers"], "trigger")
    lex.add_all(vocab()["query_direction_triggers"]["phrases"], "trigger")
    return lex


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _settle(
    places: list[PlaceMention], hits: list[Hit[VocabItem]], tokens: list[Token]
) -> tuple[list[PlaceMention], list[Hit[VocabItem]]]:
    """Where a place and a vocabulary phrase overlap, the longer wins (a tie: the place).

    A "gần trường/near school" feature and a school landmark both stand.
    """
    keep_places: list[PlaceMention] = []
    dropped_hits: set[int] = set()
    for m in places:
        span = (m.first, m.last)
        rivals = [i for i, h in enumerate(hits) if _overlaps(span, (h.first, h.last))]
        near_feature = all(
            hits[i].payload.kind == "feature" and fold(hits[i].phrase).startswith(("gan", "near"))
            for i in rivals
        )
        longer = any(hits[i].last - hits[i].first > m.last - m.first for i in rivals)
        # a type read first keeps its words: "căn hộ Tây Hồ" is a flat in Tây Hồ, not Hồ Tây,
        # "căn hộ Hoàn Kiếm" not the lake (the rest of the place is read again)
        earlier_type = m.kind != "street" and any(
            hits[i].payload.kind == "type" and hits[i].first < m.first < hits[i].last
            for i in rivals
        )
        facing = any(  # "hướng bắc Bình Thạnh": the facing, then the district (not Bắc Bình)
            hits[i].payload.kind == "direction"
            and hits[i].first == m.first
            and m.first > 0
            and tokens[m.first - 1].folded == "huong"
            for i in rivals
        )
        typed = " ".join(t.lower for t in tokens[m.first : m.last])
        # "để an dưỡng": a phrase typed with its very marks, not the place its letters spell
        spelled = not typed.isascii() and any(
            hits[i].payload.kind == "no_tag"
            and (hits[i].first, hits[i].last) == span
            and hits[i].phrase.lower() == typed
            for i in rivals
        )
        if rivals and not near_feature and (longer or earlier_type or facing or spelled):
            continue
        if not near_feature:
            dropped_hits.update(rivals)
        keep_places.append(m)
    return keep_places, [h for i, h in enumerate(hits) if i not in dropped_hits]


_NEGATION_GAP = frozenset(
    {"can", "co", "phai", "lay", "dieu", "kien", "loc", "cai", "muon", "the", "phan"}
)


def _negated_hits(
    tokens: list[Token], hits: list[Hit[VocabItem]], places: list[PlaceMention]
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The spans of the phrases negated, and of the types named only to negate an attribute
    of them ("ko lấy nhà hướng tây": the facing is negated, "nhà" is generic)."""
    negs = [
        h
        for h in hits
        if h.payload.kind == "negation"
        and not _correction_opens(tokens, h)
        and not _said_again(tokens, hits, h)
    ]
    triggers = {k for h in _trigger_lexicon().scan(tokens) for k in range(h.first, h.last)}
    out: set[tuple[int, int]] = set()
    generic: set[tuple[int, int]] = set()
    for n in negs:
        for i, h in enumerate(hits):
            if h.payload.kind in ("negation", "no_tag"):
                continue
            gap = range(n.last, h.first)
            if (
                h.first >= n.last
                and len(gap) <= 2
                and all(k in triggers or tokens[k].folded in _NEGATION_GAP for k in gap)
            ):
                after = hits[i + 1] if i + 1 < len(hits) else None
                if (
                    after is not None
                    and h.payload.kind == "type"
                    and after.payload.kind in _ATTRIBUTES
                    and _adjacent(tokens, h, after, triggers)
                ):
                    out.add((after.first, after.last))  # "ko lấy nhà hướng tây": the facing
                    generic.add((h.first, h.last))
                elif h.payload.kind == "type" and _qualified(tokens, h):
                    generic.add((h.first, h.last))  # "không lấy nhà trong ngõ nhỏ": the alley
                else:
                    out.add((h.first, h.last))
                break
    for h in hits:  # "hướng tây ko lấy nhé": refused after it is named
        said = " ".join(t.folded for t in tokens[h.last : h.last + 2])
        closes = h.last < len(tokens) and tokens[h.last].stop_before  # "…, không lấy chung cư"
        free = h.last + 2 < len(tokens) and tokens[h.last + 2].folded in ("phi", "tien")
        if h.payload.kind in _ATTRIBUTES and said in _REFUSED_AFTER and not (closes or free):
            out.add((h.first, h.last))
    return out, generic


_FACING_SAID = re.compile(r"\s(?:hướng|huong)\s*$", re.IGNORECASE)


def _said_again(tokens: list[Token], hits: list[Hit[VocabItem]], n: Hit[VocabItem]) -> bool:
    """ "hướng nam à không hướng bắc", "đông, à không, tây": a typed "à không" between two
    facings corrects the first; it refuses neither."""
    k = n.first - 1
    if k < 1 or tokens[k].lower != "à" or n.last - n.first != 1 or tokens[n.first].stop_before:
        return False  # (not "đông à, không hướng tây nhé": the west refused)
    before = next((h for h in hits if h.last == k and h.payload.kind == "direction"), None)
    return before is not None and any(
        h.payload.kind == before.payload.kind and n.last <= h.first <= n.last + 1 for h in hits
    )


def _correction_opens(tokens: list[Token], h: Hit[VocabItem]) -> bool:
    """ "à không mua luôn đi": "à không" opening the clause takes back what was said before; it
    refuses no "mua" (but "à không cần hồ bơi" still refuses the pool)."""
    if h.last - h.first != 1 or tokens[h.first].folded != "khong" or h.first == 0:
        return False
    k = h.first - 1
    opens = k == 0 or tokens[k].stop_before
    nxt = tokens[h.last].folded if h.last < len(tokens) else ""
    refused = any(t.folded in ("nua", "dau") for t in tokens[h.last + 1 : h.last + 3])
    return opens and tokens[k].lower == "à" and nxt in ("mua", "thue", "tim", "lay") and not refused


_ATTRIBUTES = frozenset({"direction", "feature", "legal"})
_REFUSED_AFTER = frozenset({"ko lay", "khong lay", "k lay"})  # not "không lấy phí": free
# words after a refused feature that do not describe it: "không cần hồ bơi cũng được", "…
# vì đắt", "… lắm" refuse the pool; "… rộng", "… trong nhà", "… xe hơi" only a kind of it
_KIND_WORDS = frozenset(
    {"rong", "to", "lon", "rieng", "truc", "chung", "trong", "ngoai", "bon", "truoc", "sau"}
    | {"huong", "xe", "o", "hoi", "may", "dep", "xin", "cao", "moi", "nho", "bu", "vo", "sieu"}
    | {"tang", "tren", "nuoc", "kinh", "phia", "oto", "view", "24", "san"}
)


def _kind_of_it(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    k = h.last
    if k >= len(p.tokens) or p.tokens[k].stop_before:
        return False
    return p.tokens[k].folded in _KIND_WORDS


_TRAILING = frozenset({"nhe", "nha", "dau", "nua", "a", "ak", "nhen", "day", "thoi", "vay", "the"})


def _qualified(tokens: list[Token], h: Hit[VocabItem]) -> bool:
    """Words describing the type follow it in its clause: what is refused is that kind of it."""
    for k in range(h.last, len(tokens)):
        if tokens[k].stop_before:
            return False
        if tokens[k].folded not in _TRAILING:
            return True
    return False


def _adjacent(
    tokens: list[Token], a: Hit[VocabItem], b: Hit[VocabItem] | None, triggers: set[int]
) -> bool:
    if b is None or (b.first < len(tokens) and tokens[b.first].stop_before):
        return False  # "không lấy chung cư, sổ hồng riêng": a new clause
    return all(k in triggers for k in range(a.last, b.first))


_NEGATED_PLACE_GAP = frozenset({"la", "o", "tai", "the", "in"})


_CORRECTING = ("phai", "not", "khong phai la")  # "chứ không phải", "not"


def _corrected_places(
    tokens: list[Token], hits: list[Hit[VocabItem]], places: list[PlaceMention]
) -> list[PlaceMention]:
    """Places a correction names as wrong: right after a negation ("chứ không phải quận 7",
    "not District 7") or "instead of", when the message names another place of that kind."""
    # a correction's negation ("không phải", "not"), not a question's "không" ("có … quận 2
    # không, quận 7 thì sao") nor a "không" left of a clause break
    ends = [
        h.last
        for h in hits
        if h.payload.kind == "negation"
        and fold(h.phrase).endswith(
            ("phai", "not", "khong phai la", "forget", "forget about", "but", "except", "tru")
        )
    ]
    ends += [
        k + 2
        for k, t in enumerate(tokens[:-1])
        if t.folded == "instead" and tokens[k + 1].folded == "of"
    ]
    excepting = {
        h.last
        for h in hits
        if h.payload.kind == "negation"
        and fold(h.phrase) in ("anywhere but", "anything but", "except", "tru", "ngoai tru")
    }
    wrong = []
    for m in places:
        negated = any(
            0 <= m.first - e <= 1
            and all(tokens[k].folded in _NEGATED_PLACE_GAP for k in range(e, m.first))
            and not any(tokens[k].stop_before for k in range(e, m.first + 1))
            for e in ends
        )
        alone = m.kind in ("district", "province") and any(  # "anywhere but D7", "trừ Q7":
            0 <= m.first - e <= 1 and e in excepting
            for e in ends  # out, whatever else is named
        )
        if (negated and any(o is not m and o.kind == m.kind for o in places)) or alone:
            wrong.append(m)
    # "Thanh Xuân chứ không phải Đống Đa, Đống Đa giờ đắt quá": named again, still wrong
    # (not "…, à mà Q7 cũng được": taken back in)
    wrong += [
        m
        for m in places
        if m not in wrong
        and any(w.place == m.place for w in wrong)
        and not _added_back(tokens, m.last)
    ]
    return wrong


_ADDED_BACK = re.compile(
    r"(?<![a-z])(?:cung\s+(?:duoc|dc|ok|on|gui|xem)|also\s+(?:fine|ok|good)|"
    r"(?:fine|ok|good)\s+too)(?![a-z])"
)


def _added_back(tokens: list[Token], k: int) -> bool:
    """ "…, Q9 also fine", "Q7 có căn nào rẻ thì cũng gửi": a place added, not a mistake
    (not "Q7 cũng đắt")."""
    return _ADDED_BACK.search(" ".join(t.folded for t in tokens[k : k + 8])) is not None


_MISTAKE = ("nham", "y la", "y minh la", "i mean", "i meant", "sorry")


def _mistaken_places(
    tokens: list[Token], places: list[PlaceMention], text: str = ""
) -> list[PlaceMention]:
    """ "quận 3 à nhầm quận 10": a place right before a correction word, with one of its
    kind after it, is the one taken back."""
    folded = [t.folded for t in tokens]
    out: list[PlaceMention] = []
    for m in places:
        end = m.last  # "lê chân hải phòng à nhầm …": past the district's own province
        end = next((o.last for o in places if o.first == end and o.kind == "province"), end)
        after = " ".join(folded[end : end + 3])
        said = after.removeprefix("a ").removeprefix("ah ")
        if said.startswith(_MISTAKE):
            if any(o.first > m.last and o.kind == m.kind for o in places):
                out.append(m)
            continue
        # said without commas: "quận ba à không quận mười", "ninh kiều à không cái răng"
        taken_back = end + 1 < len(tokens) and tokens[end].lower == "à"
        taken_back = taken_back and (folded[end + 1] == "khong" or tokens[end + 1].lower == "lộn")
        at = end + 3 if end + 2 < len(tokens) and folded[end + 2] in ("o", "tai") else end + 2
        also = "cung" in folded[at : at + 6]  # "nhà quận 7 à không quận 4 cũng được": added
        if taken_back and not also and any(o.first == at and o.kind == m.kind for o in places):
            out.append(m)  # (not "q7, à không, thêm q4", "à không biết quận 8 …")
    # "ko q1 đắt quá, q3 đi", "Q7 xa quá, qua Q4 thôi": a place turned down for its price or
    # distance, and another of its kind asked for after the break
    for m in places:
        said_after = " ".join(t.lower for t in tokens[m.last : m.last + 3])
        if m in out or not _TURNED_DOWN.match(said_after):
            continue
        later = [o for o in places if o.first > m.last and o.kind == m.kind and o.place != m.place]
        broken = bool(later) and any(
            tokens[k].stop_before or _FULL_STOP.search(text[tokens[k - 1].end : tokens[k].start])
            for k in range(m.last, later[0].first + 1)
        )
        if broken and _asked_for(tokens, later[0].last):
            out.append(m)
    # "căn hộ Q7 view sông dưới 5 tỷ, à nhầm, Q2 mới đúng": the last place of the kind named
    # right after the correction word is the one taken back
    for k in range(len(folded)):
        if not (k == 0 or tokens[k].stop_before) or not _said_mistake(tokens, k):
            continue
        nxt = next((o for o in places if k <= o.first <= k + 4), None)
        if nxt is None or _added_back(tokens, nxt.last):
            continue
        before = [o for o in places if o.last <= k and o.kind == nxt.kind]
        if before and before[-1] not in out and before[-1].place != nxt.place:
            out.append(before[-1])
    return out


_TURNED_DOWN = re.compile(
    r"(?:thì\s+|thi\s+)?(?:đắt|mắc|mac|xa|chát|chat)\s+(?:quá|qua|wá|wa|lắm|lam)\b"
)
_FULL_STOP = re.compile(r"[.…]")
_ASKING = frozenset({"di", "thoi", "nha", "nhe", "duoc", "dc", "ok", "vay"})
_PARTICLES_AFTER = frozenset({"nha", "nhe", "nhen", "di", "luon", "a", "thoi", "vay"})


def _asked_for(tokens: list[Token], k: int) -> bool:
    """The place ending before token `k` is asked for: "q3 đi", "quận 4 thôi nha", "q3 thì
    sao", or nothing after it (not "quận 1 đi làm mất 1 tiếng")."""
    if k >= len(tokens) or tokens[k].stop_before:
        return True
    if tokens[k].folded == "thi" and k + 1 < len(tokens) and tokens[k + 1].folded == "sao":
        return True
    if tokens[k].folded not in _ASKING:
        return False
    nxt = k + 1
    return nxt >= len(tokens) or tokens[nxt].stop_before or tokens[nxt].folded in _PARTICLES_AFTER


def _said_mistake(tokens: list[Token], k: int) -> bool:
    said = " ".join(t.folded for t in tokens[k : k + 3])
    if tokens[k].lower in ("à", "ah") and said.startswith("a khong"):
        # "Thủ Đức, à không, ở Quận 9 cũ": a typed "à", then "không" closing its clause (not
        # teencode "a không thích q4", "à không cần …", "à không biết …"), nor "…, thêm q4"
        closes = k + 2 >= len(tokens) or tokens[k + 2].stop_before
        return closes and (k + 2 >= len(tokens) or tokens[k + 2].folded not in _ADDING)
    return said.removeprefix("a ").removeprefix("ah ").startswith(("nham", "i mean"))


_ADDING = frozenset({"them", "ca", "cung", "va", "voi"})


def _direction_ok(
    tokens: list[Token], hit: Hit[VocabItem], accepted: list[Hit[VocabItem]], triggers: set[int]
) -> bool:
    before = range(max(0, hit.first - 3), hit.first)
    after = range(hit.last, min(len(tokens), hit.last + 1))
    unbroken = [
        k for k in before if not any(tokens[j].stop_before for j in range(k + 1, hit.first + 1))
    ]  # "có ban công, đông người ở": a comma ends what the trigger governs
    has_trigger = any(k in triggers for k in unbroken) or any(
        tokens[k].folded in ("facing", "facing") for k in after
    )
    joined = hit.last < len(tokens) and tokens[hit.last].folded in ("or", "and")
    if joined:  # "east or southeast facing": both are faced
        ahead = range(hit.last + 1, min(len(tokens), hit.last + 4))
        has_trigger = has_trigger or any(
            tokens[k].folded == "facing"
            and not any(tokens[j].stop_before for j in range(hit.last, k + 1))
            for k in ahead
        )
        # "east or south-east": a bare point joined to a two-word one, which is a facing alone
        pair = [t.folded for t in tokens[hit.last + 1 : hit.last + 3]]
        has_trigger = has_trigger or (
            len(pair) == 2 and pair[0] in ("north", "south") and pair[1] in ("east", "west")
        )
    if hit.payload.short:  # "hướng ĐN", "SE facing"
        facing = hit.last < len(tokens) and tokens[hit.last].folded == "facing"
        return (hit.first > 0 and tokens[hit.first - 1].folded == "huong") or facing
    chained = any(0 <= hit.first - a.last <= 1 for a in accepted)
    return has_trigger or chained


def _apply_vocab(
    p: ParsedQuery,
    hits: list[Hit[VocabItem]],
    negation: tuple[set[tuple[int, int]], set[tuple[int, int]]],
) -> None:
    negated, generic = negation
    triggers = {k for h in _trigger_lexicon().scan(p.tokens) for k in range(h.first, h.last)}
    greeting = {  # "chao ban", "cam on ban": the unaccented "ban" is "bạn", not "bán"
        k
        for h in cue_lexicon().scan(p.tokens)
        if h.payload == "smalltalk"
        for k in range(h.first, h.last)
    }
    hits = [h for h in hits if not all(k in greeting for k in range(h.first, h.last))]
    accepted_dirs: list[Hit[VocabItem]] = []
    asked: dict[tuple[str, ...], list[str]] = {}  # the features' phrases asked for so far
    rent_only = {fold(x) for x in vocab()["rent_only_types"]}
    for h in hits:
        item = h.payload
        if item.kind == "negation":
            continue
        if (h.first, h.last) in generic:
            p.unkeyed += 1  # named only to refuse a kind of it: no type sought, no key
            continue
        if (h.first, h.last) in negated:
            p.negated.setdefault(item.kind, []).extend(item.values)
            # "có hồ bơi, …, à mà không cần hồ bơi": the later word (not "có ban công, không
            # cần ban công rộng": a kind of it refused)
            said = fold(h.phrase)
            narrower = any(said != a and said.startswith(a) for a in asked.get(item.values, []))
            if item.kind == "feature" and not _kind_of_it(p, h) and not narrower:
                p.features = [f for f in p.features if f.value not in item.values]
            mark_tokens(p.consumed, p.tokens, h.start, h.end)
            continue
        if item.kind == "feature":  # "có chỗ đậu xe, không cần chỗ đậu xe hơi": a kind of it
            asked.setdefault(item.values, []).append(fold(h.phrase))
        if item.kind == "direction":
            # "hướng tây bắc à nhầm đông nam": the facing said first is taken back
            between = p.text[accepted_dirs[-1].end : h.start] if accepted_dirs else ""
            said_again = bool(accepted_dirs) and taken_back_between(_FACING_SAID.sub("", between))
            if said_again:
                wrong = accepted_dirs[-1].payload.values
                p.directions = [d for d in p.directions if d.value not in wrong]
            elif not _direction_ok(p.tokens, h, accepted_dirs, triggers):
                continue
            accepted_dirs.append(h)
        if item.kind == "type" and fold(h.phrase) == "can" and not _bare_can_is_apartment(p, h):
            continue
        if item.kind != "no_tag":
            mark_tokens(p.consumed, p.tokens, h.start, h.end)
        elif h.last - h.first >= 2 and fold(h.phrase) not in _people_phrases():
            p.unkeyed += 1
        _collect(p, item, h, rent_only)


@cache
def _serviced() -> frozenset[str]:
    return frozenset(fold(x) for x in vocab()["serviced_types"]["phrases"])


_USD_MONTH = re.compile(  # "$800/month", "1000 usd per month", "$1000-1200/month"
    r"(?:(?:\$|usd)\s*\d[\d.,]*k?(?:\s*-\s*\$?\d[\d.,]*k?)?|\d[\d.,]*k?\s*(?:usd|\$|do\b|do la))"
    r"\s*(?:/|mot|moi|a|per)?\s*(?:thang|month)"
)


def _project_named(p: ParsedQuery) -> bool:
    return any(m.kind == "project" for m in p.places)  # read before the vocabulary


def _vietnamese_can(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """ "căn", not the English "can" ("how much can I rent out my 1br")."""
    typed = p.tokens[h.first].lower
    return typed == "căn" or (typed == "can" and p.language == "vi")


_CORNER = re.compile(r"\s*goc(?![a-z])")  # "căn góc": a corner unit


def _bare_can_is_apartment(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """LABELS: "căn" alone is an apartment in "căn 2PN", "căn 3 ngủ", "căn studio", and in a
    message that counts bedrooms; a project's name never types it ("The Sun Avenue 2BR")."""
    rest = fold_aligned(p.text[h.end :])
    if _CORNER.match(rest):
        # "shophouse … ưu tiên căn góc": a corner unit of the type named elsewhere
        others = [x for x in vocab_lexicon().scan(p.tokens) if x.payload.kind == "type"]
        return all(x.first == h.first for x in others)
    if re.match(rf"\s*(?:{NUMW})\s*-?\s*{ROOM_UNIT}|\s*(?:studio|penthouse)", rest):
        return True
    if _word_before(p, h) == "co" and re.match(rf"\s*nao\s+(?:{NUMW})\s*-?\s*{ROOM_UNIT}", rest):
        p.can_asked = True  # "có căn nào 2pn ở q9 không" (LABELS: "căn" with a count)
        return True
    if p.bedrooms is not None and _project_named(p) and _vietnamese_can(p, h):
        # "có căn nào 3pn ở Eco Green", "căn Royal City 120m2 3PN" (not "căn villa 4pn …")
        others = [x for x in vocab_lexicon().scan(p.tokens) if x.payload.kind == "type"]
        return all(x.first == h.first for x in others)
    return False


@cache
def _people_phrases() -> frozenset[str]:
    """no_tag phrases naming people or chores ("nhà đầu tư", "VP Bank"): no detail asked."""
    return frozenset(fold(x) for x in vocab()["no_tag_people"]["phrases"])


# a home let now, said in a sale: "đang cho thuê", "đang có hđ thuê", "hợp đồng thuê"
_LEASED_NOW = re.compile(r"(?:\bdang(?:\s+co)?(?:\s+khach)?|\bhd|\bhop\s+dong)\s*$")
_BAN_TYPED = re.compile(r"(?<!\w)bán(?!\w)")  # typed with its mark: "ban" is as often "bạn"


def _word_before(p: ParsedQuery, h: Hit[VocabItem]) -> str:
    return p.tokens[h.first - 1].folded if h.first > 0 else ""


_BUILD = frozenset({"lam", "xay", "cat", "build"})  # "mua đất làm nhà ở": a plot to build on
_PLOTS = frozenset({"dat", "manh", "mieng", "thua"})  # (a "lô liền kề" is a townhouse lot)


def _to_build(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """The phrase follows "xây"/"build" (within three words): a plan, not what is sought."""
    return any(
        p.tokens[k].folded in ("xay", "build")
        and (k == 0 or p.tokens[k - 1].folded not in ("moi", "da", "vua", "newly"))  # "mới xây"
        and not p.tokens[k + 1].folded[:1].isdigit()  # "nhà xây 3 tầng": how it is built
        for k in range(max(0, h.first - 3), h.first)
    )


_PURPOSE = frozenset({"de", "to"})  # "mua để cho thuê lại": the buyer's plan, not the deal


_GOODS = frozenset({"do", "sam", "xe"})  # "mua đồ", "mua sắm", "mua xe"


def _word_after(p: ParsedQuery, h: Hit[VocabItem], skip: int = 0) -> str:
    k = h.last + skip
    return p.tokens[k].folded if k < len(p.tokens) else ""


_EITHER_WAY = re.compile(
    r"^(?:(?:hay|hoac)\s+(?:khong|ko|k)\s+(?:cung|cx|deu|thi\s+tuy|tuy|sao|gi|khong\s+quan"
    r"|ko\s+quan|k\s+quan|dau\s+quan|khong\s+thanh|khong\s+sao|mien)"
    r"|or\s+not\s+(?:is\s+fine|whatever|doesn|does\s+not|either))(?![a-z])"
)


def _either_way(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """The feature followed by "hay không" / "hoặc không": either will do."""
    after = p.tokens[h.last : h.last + 4]
    if not after or after[0].stop_before:
        return False
    words = " ".join(t.folded for t in after)
    ends = h.last + 2 >= len(p.tokens) or p.tokens[h.last + 2].stop_before
    if ends and words.startswith(("hoac khong", "hoac ko")):  # "có hồ bơi hoặc không"
        return True
    return _EITHER_WAY.match(words) is not None


def _buys(p: ParsedQuery) -> bool:
    """The message buys ("mua", "buy"): then "để cho thuê" is the plan, not the deal."""
    return any(t.folded in ("mua", "buy", "buying", "purchase") for t in p.tokens)


_DEAR_BEFORE = frozenset({"hoi", "qua", "rat", "kha", "bi", "cang", "hoa", "too"})
_DEAR_AFTER = frozenset({"qua", "vay", "nhi", "ghe", "xac", "nhat"})  # not "ha", "lam": places
_QUESTION_END = frozenset({"khong", "ko", "k", "hok", "hem", "ha", "a", "nhi"})


def _dear(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """An unaccented "dat" that is "đắt" (dear), not "đất" (land): "hơi dat", "dat quá", or
    "có dat không" about a property already named ("căn hộ … 2ty8 co dat khong")."""
    if h.last - h.first != 1 or p.tokens[h.first].lower != "dat":
        return False
    before = _word_before(p, h)
    after = p.tokens[h.last].folded if h.last < len(p.tokens) else ""
    if before in _DEAR_BEFORE or after in _DEAR_AFTER:
        return True
    named = bool(p.types) or bool(p.prices)
    return named and before == "co" and (after in _QUESTION_END or not after)


_FAMILY = re.compile(
    r"^(?:(?:minh|toi|em|chung toi) )?(?:sap (?:co )?(?:them )?|co them |them )"
    r"(?:be|em be|nguoi|con|chau)\b|^(?:minh|toi|em) (?:co )?\d+ nguoi\b"
)
_POSSESSIVE = frozenset({"minh", "toi", "em", "chung"})


def _family(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """ "nhà" as the family: "nhà sắp có thêm bé", "nhà mình 4 người", "quá tầm nhà mình",
    "so với nhà mình" (not "nhà cho 4 người", "nhà gồm 1 trệt 2 lầu")."""
    if not fold(h.phrase).startswith("nha"):
        return False
    after = " ".join(t.folded for t in p.tokens[h.first + 1 : h.first + 6])
    if _FAMILY.search(after):
        return True
    owner = p.tokens[h.first + 1].folded if h.first + 1 < len(p.tokens) else ""
    return _word_before(p, h) in ("voi", "tam") and owner in _POSSESSIVE


_LOT_REMARKS = frozenset({"rong", "vuong", "dep", "thoang", "no", "to", "lon", "san", "vuon"})


def _lot(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """ "nhà cấp 4 … đất rộng": the lot of a house already named, not land for sale."""
    return (
        h.last - h.first == 1
        and bool(p.types)
        and PropertyType.LAND not in p.types
        and _word_after(p, h) in _LOT_REMARKS
        and _word_before(p, h) not in ("hoac", "hay", "or", "va")  # "biệt thự hoặc đất rộng"
    )


_FURNITURE_REFUSED = re.compile(
    r"(?<![a-z])(?:(?:bo|khong\s+can|ko\s+can|k\s+can|khong\s+lay)\s+(?:phan\s+|dieu\s+kien\s+)?"
    r"(?:co\s+)?noi\s+that(?!\s+co\s+ban)|noi\s+that\s+(?:khong\s+quan\s+trong|"
    r"(?:sao|gi|the\s+nao)\s+cung\s+(?:duoc|dc|ok)))(?![a-z])"
)
_NEAR_JOIN = frozenset({"voi", "va", "hoac", "lan", "and", "or"})


def _near_list(p: ParsedQuery, hits: list[Hit[VocabItem]]) -> None:
    """ "gần chợ với trường học", "near a park and a school": "gần" governs the list, so a
    bare "trường học" after the joiner is near a school too."""
    for h in hits:
        near = fold(h.phrase).startswith(("gan ", "near "))
        if h.payload.kind not in ("feature", "no_tag") or not near:
            continue
        j = h.last
        if j + 1 >= len(p.tokens) or p.tokens[j].folded not in _NEAR_JOIN:
            continue
        head = "near " if fold(h.phrase).startswith("near") else "gần "
        rest = tokenize(normalize(head + p.text[p.tokens[j + 1].start :]))
        more = vocab_lexicon().match_at(rest, 0)
        if more is not None and more.payload.kind == "feature":
            p.features += [Feature(v) for v in more.payload.values if Feature(v) not in p.features]
            end = p.tokens[min(len(p.tokens), j + more.last) - 1].end  # rest[0] is the "gần"
            mark_tokens(p.consumed, p.tokens, p.tokens[j + 1].start, end)


def _balcony_facing(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """ "hướng ban công đông nam": "hướng" right before, in its clause, and a direction right
    after (not "ưu tiên hướng ban công đẹp", "cần hướng, ban công rộng")."""
    if _word_before(p, h) != "huong" or p.tokens[h.first].stop_before:
        return False
    k = h.last
    if k >= len(p.tokens) or p.tokens[k].stop_before:
        return False
    facing = vocab_lexicon().match_at(p.tokens, k)  # the vocabulary's own direction words
    return facing is not None and facing.payload.kind == "direction" and not facing.payload.short


_OFFICE_KINDS = (
    "luat", "dai dien", "cong ty", "cty", "ke toan", "thiet ke", "kien truc", "giao dich",
    "du lich", "dich vu", "tu van", "xuat nhap", "bat dong",
)  # fmt: skip
_PEOPLE = frozenset({"minh", "toi", "em", "anh", "chi", "tui", "chong", "vo", "ban", "con"})


def _works_in_one(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """ "(vợ chồng) mình làm văn phòng": a person's job, not an office sought."""
    if h.first < 2 or _word_before(p, h) != "lam" or p.tokens[h.first - 2].folded not in _PEOPLE:
        return False
    if h.first >= 3 and p.tokens[h.first - 3].folded in ("ty", "cty", "ben"):
        return False  # "công ty mình làm văn phòng, cần thuê 100m2": the company's office
    k = h.last
    if k >= len(p.tokens) or p.tokens[k].stop_before:
        return True
    kind = " ".join(t.folded for t in p.tokens[k : k + 2])
    return not kind.startswith(_OFFICE_KINDS)  # "mình làm văn phòng luật": runs one


def _rise_or_fall(p: ParsedQuery, k: int) -> bool:
    """ "tang hay xuong gia": rising or falling, not "… hay xưởng" (a workshop listed)."""
    return k >= 2 and p.tokens[k - 2].folded in ("tang", "len", "gia")


def _instead_of(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """The type comes right after "instead of" / "thay vì", another type before it."""
    before = " ".join(t.folded for t in p.tokens[max(0, h.first - 3) : h.first])
    return before.endswith(("instead of", "instead of a", "thay vi")) and bool(p.types)


def _transaction_given_up(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """ "make it rent instead of buy", "thuê thay vì mua": the deal after "instead of"."""
    before = " ".join(t.folded for t in p.tokens[max(0, h.first - 2) : h.first])
    return before.endswith(("instead of", "thay vi")) and bool(p.transactions)


def _collect(p: ParsedQuery, item: VocabItem, h: Hit[VocabItem], rent_only: set[str]) -> None:
    if item.kind == "type" and tuple(item.values) == ("house",) and _word_before(p, h) in _BUILD:
        return
    if item.kind == "type" and fold(h.phrase).startswith("nha") and _word_before(p, h) == "toa":
        p.features.extend(item.extra_features)  # "tòa nhà MT": street front still
        return  # "văn phòng tòa nhà MT Điện Biên Phủ": the building it is in
    before = p.tokens[h.first - 1].lower if h.first > 0 else ""
    # "bán đất kèm nhà cấp 4" (not "tìm đất có kèm nhà ở được": both sought)
    given = before == "tặng" or (before == "kèm" and _BAN_TYPED.search(p.text.lower()) is not None)
    if item.kind == "type" and p.types and given:
        return  # "bán đất tặng nhà cấp 4": the house comes with the land sold
    if item.kind == "type" and fold(h.phrase) == "lien ke" and _word_before(p, h) in _PLOTS:
        return  # "2 lô đất liền kề": plots side by side, no townhouse
    if (
        item.kind == "type"
        and item.values == ("office",)
        and _word_before(p, h) in ("co", "kem", "lam")
        and any(t is not PropertyType.OFFICE for t in p.types)
    ):
        return  # "xưởng 2000m2, có văn phòng": a part or a use of the named property
    if item.kind == "type" and item.values == ("office",) and _works_in_one(p, h):
        return  # "mình làm văn phòng, tìm chỗ ở q3": the user's job
    if item.kind in ("type", "transaction") and p.types and _to_build(p, h):
        return  # "đất Tây Hồ để xây CHDV cho thuê": what is to be built on it, and its use
    if item.kind == "type" and tuple(item.values) == ("land",) and (_dear(p, h) or _lot(p, h)):
        return
    if item.kind == "type" and _word_before(p, h) == "tu" and _word_after(p, h) in ("sang", "qua"):
        return  # "đổi từ chung cư sang nhà đất": the type left behind
    if (
        item.kind == "type"
        and item.values == ("warehouse",)
        and p.tokens[h.first].lower == "xuong"
        and h.last - h.first == 1
        and any(t is not PropertyType.WAREHOUSE for t in p.types)
        and (_word_before(p, h) not in _NEAR_JOIN | {"hay"} or _rise_or_fall(p, h.first))
        and (
            (_word_before(p, h) not in ("ban", "thue", "mua") and not p.tokens[h.first].stop_before)
            or _word_after(p, h) in ("gia", "con", "roi", "them")  # "nha q7 ban xuong gia"
        )
    ):
        return  # "nha q7 xuong gia chua": unaccented "xuống" (down) after another type
    if item.kind == "transaction" and _transaction_given_up(p, h):
        return  # "make it rent instead of buy": the deal given up
    if item.kind == "type" and _instead_of(p, h):
        return  # "a townhouse instead of villa", "nhà phố thay vì biệt thự": the type given up
    if item.kind in ("type", "weak_type") and item.values == ("house",) and _family(p, h):
        return
    if item.kind == "type" and fold(h.phrase) == "nha dat" and _word_after(p, h) == "nhat":
        p.types.append(PropertyType.HOUSE)  # unaccented "nha dat nhat": the dearest house
        p.sort = Sort.PRICE_DESC
        return
    if (
        item.kind == "transaction"
        and tuple(item.values) == ("rent",)
        and _word_before(p, h) in _PURPOSE
        and _buys(p)
    ):
        return
    buys_goods = fold(h.phrase).endswith("mua") and _word_after(p, h) in _GOODS
    if item.kind == "transaction" and buys_goods:
        return  # "lười mua đồ": buying furniture, not a property
    if (
        item.kind == "type"
        and fold(h.phrase) in ("dat", "dat o", "land")
        and (
            _AREA_TOKEN.fullmatch(_word_before(p, h))
            or _word_before(p, h) in ("m2", "vuong", "tich", "dt")
            or _DIMS_TOKEN.fullmatch(_word_after(p, h))  # "nhà cấp 4 …, đất 6x30"
            or _plot_size_after(p, h)  # "nhà cấp 4 …, đất khoảng 60m2"
        )
        and (
            any(t is not PropertyType.LAND for t in p.types)
            or (p.tokens[0].folded == "nha" and 0 not in p.place_tokens)  # "Nhà của tôi …"
        )
        and not any(t.folded in _LIST_JOIN for t in p.tokens[max(0, h.first - 3) : h.first])
        and "cung" not in {t.folded for t in p.tokens[h.last : h.last + 3]}  # "đất … cũng được"
    ):
        return  # "biệt thự … 300m2 đất", "nhà, diện tích đất 80m2": the home's plot
    if (
        item.kind == "type"
        and p.text[h.start : h.end] in ("dat", "Dat")
        and _word_after(p, h) in _PRICEY_AFTER
        and all(t.folded in _PRICEY_AFTER for t in p.tokens[h.last : h.last + 3])
        and h.last + 3 >= len(p.tokens)
        and _word_before(p, h) not in _LAND_VERBS
        and any(c.isdigit() for c in p.text)  # a price judged: "ban 6ty5 dat ko"
    ):
        return  # unaccented "6ty5 dat ko", "dat qua": đắt (dear), not đất (land)
    if item.kind == "type" and fold(h.phrase) == "phong" and p.types and _vacant_rooms(p, h):
        return  # "ccmn …, còn 2 phòng trống": how many are free, no room sought
    if item.kind == "type" and fold(h.phrase) == "phong" and _word_before(p, h) in _COUNT_ASKED:
        return  # "mấy phòng cũng được", "bao nhiêu phòng": a count asked about, not a room
    if item.kind == "type":
        p.types.extend(PropertyType(v) for v in item.values)
        p.features.extend(item.extra_features)
        p.rent_only_type = p.rent_only_type or fold(h.phrase) in rent_only
        p.serviced = p.serviced or fold(h.phrase) in _serviced()
        p.bare_room = p.bare_room or fold(h.phrase) == "phong"
        p.bare_nha = p.bare_nha or fold(h.phrase) == "nha"
    elif item.kind == "weak_type":
        p.weak_types.extend(PropertyType(v) for v in item.values)
    elif item.kind == "feature":
        if _either_way(p, h):
            return  # "có nội thất hay không cũng được": no wish either way
        if item.values == ("furnished",) and fold(h.phrase).endswith("noi that"):
            after = " ".join(_word_after(p, h, k) for k in range(3))
            if after.startswith(("co ban", "basic", "nhung co ban", "so sai")):
                return  # "có nội thất cơ bản", "có nội thất nhưng cơ bản": not furnished (LABELS)
        if item.values == ("balcony",) and _balcony_facing(p, h):
            return  # "hướng ban công tây bắc": which way the balcony faces, a direction only
        if not frontage_width_follows(h.phrase, p.text[h.end :]):
            p.features.extend(Feature(v) for v in item.values)
    elif item.kind == "direction":
        p.directions.extend(Direction(v) for v in item.values)
    elif item.kind == "legal":
        if fold(h.phrase) == "hop dong" and _word_before(p, h) in ("lam", "ky", "ki"):
            return  # "có làm hợp đồng không", "ký hợp đồng 1 năm": signing one, no legal status
        p.legal.extend(LegalStatus(v) for v in item.values)
    elif item.kind == "sort":
        if item.values[0] == Sort.PRICE_ASC.value and _word_after(p, h, 0) == "hon":
            return  # "chỗ nào giá mềm hơn": a comparison ("cheaper"), not an order
        p.sort = Sort(item.values[0])
    elif item.kind == "transaction":
        said = p.text[: h.start].lower()
        if item.values == ("rent",) and _LEASED_NOW.search(fold(said)) and _BAN_TYPED.search(said):
            return  # "bán căn 2pn, đang cho thuê 8tr/tháng": a sale with its tenant
        p.transactions.append(Transaction(item.values[0]))


def _one_square_metre(tokens: list[Token], skip: list[bool]) -> list[bool]:
    """`skip` with the unit of "1 m2 đất", "một mét vuông đất", "mỗi m2 đất" taken: the
    price of land by the square metre names land, while "100m2 đất" is a home's plot."""
    out = skip
    for i, tok in enumerate(tokens[1:], 1):
        unit = 1 if tok.folded in ("m2", "m²") else 0
        if tok.folded == "met" and i + 1 < len(tokens) and tokens[i + 1].folded == "vuong":
            unit = 2
        if unit and tokens[i - 1].folded in ("1", "mot", "moi"):
            out = list(out) if out is skip else out
            out[i : i + unit] = [True] * unit
    return out


def _find_places_and_vocab(p: ParsedQuery) -> None:
    gaz = gazetteer()
    skip = list(p.consumed)
    places = resolve_places(gaz, p.tokens, skip, p.text, p.region)
    hits = vocab_lexicon().scan(p.tokens, _one_square_metre(p.tokens, skip))
    straddled = [
        h
        for h in hits
        for m in places
        if m.first < h.first < m.last < h.last
        and m.kind != "street"
        and h.payload.kind != "no_tag"  # "Central Park view sông": not "park view"
    ]
    if straddled:  # "sunrise city view sông": the place gives way to "view sông"
        for h in straddled:
            skip[h.first : h.last] = [True] * (h.last - h.first)
        places = resolve_places(gaz, p.tokens, skip, p.text, p.region)
    settled, hits = _settle(places, hits, p.tokens)
    if len(settled) < len(places):  # a place gave way to a phrase: its other words may name one
        taken = list(skip)
        types = [
            (h.first, h.last)
            for h in hits
            if h.payload.kind in ("type", "weak_type", "no_tag")
            or (
                h.payload.kind == "direction"
                and h.first
                and p.tokens[h.first - 1].folded == "huong"
            )
        ]
        for span in [(m.first, m.last) for m in settled] + types:
            taken[span[0] : span[1]] = [True] * (span[1] - span[0])
        found = resolve_places(gaz, p.tokens, taken, p.text, p.region)
        more = [m for m in found if m.kind != "street"]
        if more:  # the words the new place takes are no longer the vocabulary's
            spans = [(m.first, m.last) for m in more]
            hits = [h for h in hits if not any(_overlaps(s, (h.first, h.last)) for s in spans)]
        settled = sorted(settled + more, key=lambda m: m.first)
    places = [_named_street(p, _ward_as_street_or_lake(p.tokens, m)) for m in settled]
    places = [_street_of_the_district(p, m, places) for m in places]
    places = _metro_line(places, p.tokens, p.text)
    places = [m for m in places if not _everyday_phrase(p.tokens, m, p.text)]
    places = _landmarks_named_by_wards(p.tokens, places)
    places = alley_streets(gaz, p.tokens, p.text, places)
    frontage = [  # "mt", "mặt tiền", "nhà mt": the street named next
        h.last for h in hits if re.search(r"(?:^|\s)(?:mt|mat tien)$", fold(h.phrase))
    ]
    if frontage:
        places = frontage_streets(gaz, p.tokens, p.text, places, frontage)
    covered = list(skip)
    for span in [(m.first, m.last) for m in places] + [(h.first, h.last) for h in hits]:
        covered[span[0] : span[1]] = [True] * (span[1] - span[0])
    hits = sorted(hits + vocab_lexicon().scan(p.tokens, covered), key=lambda h: h.first)
    near_cues = {h.last for h in cue_lexicon().scan(p.tokens) if h.payload == "near"}
    near_cues |= {  # "gần ga metro Bến Thành": the place after a "near" feature is a point
        h.last for h in hits if fold(h.phrase).startswith(("gan ", "near ", "sat ", "canh "))
    }
    corrected = _corrected_places(p.tokens, hits, places)
    corrected += _mistaken_places(p.tokens, places, p.text)
    for m in places:
        mark_tokens(p.consumed, p.tokens, p.tokens[m.first].start, p.tokens[m.last - 1].end)
        if m in corrected:
            p.cues.setdefault("place_corrected", m.first)
            continue  # "quận 2 chứ không phải quận 7": the place being corrected away
        p.place_tokens.update(range(m.first, m.last))
        is_near = m.first in near_cues or (m.first - 1 in near_cues and m.kind == "landmark")
        (p.near_places if is_near and m.kind in ("project", "ward") else p.places).append(m)
        studies = m.landmark_kind == "school" and _studies_at(p.tokens, m.first)
        if (is_near or studies) and m.landmark_kind == "school":  # LABELS: a university too
            p.features.append(Feature.NEAR_SCHOOL)
    _numbered_districts_joined(p)
    wards = _marked_wards(p)
    hits = [h for h in hits if not any(_overlaps(w, (h.first, h.last)) for w in wards)]
    _apply_vocab(p, hits, _negated_hits(p.tokens, hits, places))
    _near_list(p, hits)
    if _FURNITURE_REFUSED.search(fold(p.text)):  # "bỏ (phần/điều kiện) nội thất", "nội thất
        p.negated.setdefault("feature", []).append(Feature.FURNISHED.value)  # không quan trọng"
        p.features = [f for f in p.features if f is not Feature.FURNISHED]
    heard = _heard_districts(p)
    _heard_vocab(p)  # (after the places: "hà đôn năm nay" is Hà Đông, then the year)
    if not [m for m in p.places if m not in heard] and not p.near_places:
        _fuzzy_district(p)  # "gò vắp hoặc binh thnah": a misspelling beside a heard name
    if p.types and any(t != PropertyType.HOUSE for t in p.types):
        bare = [i for i, t in enumerate(p.types) if t == PropertyType.HOUSE]
        if bare and len(bare) < len(p.types):
            p.types = [t for t in p.types if t != PropertyType.HOUSE] if _bare_house(p) else p.types
    if p.rooms_bare and p.types and all(t == PropertyType.ROOM for t in p.types):
        p.bedrooms = None  # "cho thuê ở ghép 1 phòng": rooms to let, not a flat's bedrooms
    if not p.types and not p.weak_types and _storeys_in_alley(p):
        p.weak_types.append(PropertyType.HOUSE)  # LABELS: a ground floor plus storeys in an alley
    if Feature.STREET_FRONT in p.features and _bare_house(p):
        # "nhà 4x18 mặt tiền Lê Văn Sỹ": a street-front house is a townhouse (LABELS)
        if p.types == [PropertyType.HOUSE]:
            p.types = [PropertyType.TOWNHOUSE]
        elif not p.types and p.weak_types == [PropertyType.HOUSE]:
            p.weak_types = [PropertyType.TOWNHOUSE]
    if _bare_tro(p):
        p.types.append(PropertyType.ROOM)  # "tim tro q10", "tro gan dh bach khoa": phòng trọ
        p.rent_only_type = True
    if _NEAR_STATION.search(fold(p.text)):
        p.features.append(Feature.NEAR_METRO)  # "near Cầu Giấy metro station"
    school = _NEAR_A_SCHOOL.search(fold(p.text))
    refused = school and _REFUSED_BEFORE.search(fold(p.text)[: school.start()])
    if school and not refused and Feature.NEAR_SCHOOL not in p.features:
        p.features.append(Feature.NEAR_SCHOOL)  # "near the Australian International School"
    if _SERVICED.search(fold(p.text)) and not p.transactions and _monthly_sized(p):
        p.transactions.append(Transaction.RENT)  # "serviced apartment D1 around 25m": let
    if _CAR_REACHES.search(fold(p.text)):
        p.features.append(Feature.CAR_ALLEY)  # "… 50m2 o to vao": a car reaches the door
    p.types = list(dict.fromkeys(p.types))
    p.features = list(dict.fromkeys(p.features))
    p.directions = list(dict.fromkeys(p.directions))
    p.legal = list(dict.fromkeys(p.legal))


_ALLEYS = frozenset({"hem", "ngo", "kiet", "ngach", "hxh"})
_NEAR_A_SCHOOL = re.compile(
    r"(?<![a-z])(?:near|close\s+to)\s+(?:the\s+|an?\s+)?(?:[a-z]+\s+){1,3}"
    r"(?:international\s+)?school(?![a-z])"
)
_SERVICED = re.compile(
    r"(?<![a-z])(?:serviced\s+(?:apartment|apt|flat|suite)s?|chdv|can\s+ho\s+dich\s+vu)"
)


_REFUSED_BEFORE = re.compile(r"(?:not|no|khong|far\s+from)\s*$")  # "not near a school"
_MONEY_TALK = re.compile(r"(?<![a-z])(?:dau\s+tu|doanh\s+thu|von|invest\w*|revenue)(?![a-z])")


def _monthly_sized(p: ParsedQuery) -> bool:
    """Every price named is a month's rent in size (under 100 million), one is named, and no
    investment or takings are spoken of ("vốn 300 triệu", "doanh thu 200tr")."""
    folded = fold(p.text)
    money_talk = _MONEY_TALK.search(folded)
    small = all((a.high or a.low) < 100_000_000 for a in p.prices)
    return bool(p.prices) and small and money_talk is None


_NEAR_STATION = re.compile(
    r"(?<![a-z])near\s+(?:the\s+)?(?:[a-z]+\s+){1,3}metro\s+station(?![a-z])"
)
# a car reaching the house, closing its clause ("ô tô vào", "oto vào tận nhà"); not "ô tô vào
# cách 50m", "ô tô vào không được"
_CAR_REACHES = re.compile(
    r"(?<![a-z])(?:o\s*to|xe\s+hoi)\s+vao(?:\s+(?:duoc|tan\s+(?:noi|nha|cua)|nha|cua))?"
    r"\s*(?:$|[,.;!?\n])"
)


def _storeys_in_alley(p: ParsedQuery) -> bool:
    """ "1 trệt 2 lầu trong hẻm": a ground floor with storeys above, in an alley."""
    words = {t.folded for t in p.tokens}
    commercial = "mat bang" in " ".join(t.folded for t in p.tokens)
    return (
        "tret" in words
        and bool(words & {"lau", "tang"})
        and bool(words & _ALLEYS)
        and (not commercial)
    )


_LIST_JOIN = frozenset({"hay", "hoac", "va", "voi", "or", "and"})


_LINE_JOIN = re.compile(r"\s*[-–—]?\s*")
_LINE_ENDS = frozenset({"ben thanh", "suoi tien", "cat linh", "ha dong", "nhon", "ga ha noi"})


def _metro_line(places: list[PlaceMention], tokens: list[Token], text: str) -> list[PlaceMention]:
    """ "gần metro Bến Thành - Suối Tiên", "tuyến Cát Linh - Hà Đông": a metro line named by
    its two ends runs through many districts; it names the city only."""
    out: list[PlaceMention] = []
    k = 0
    while k < len(places):
        a = places[k]
        b = places[k + 1] if k + 1 < len(places) else None
        words = {" ".join(t.folded for t in tokens[m.first : m.last]) for m in (a, b) if m}
        line = (
            b is not None
            and b.first == a.last  # "Bến Thành - Suối Tiên", not "Bến Thành hoặc Suối Tiên"
            and _LINE_JOIN.fullmatch(text[tokens[a.last - 1].end : tokens[b.first].start])
            and a.first > 0
            and tokens[a.first - 1].folded in ("metro", "tuyen", "line")
            and {_end_name(w) for w in words} <= _LINE_ENDS
            and a.place.province is not None
            and a.place.province == b.place.province
        )
        if line and b is not None:
            out.append(PlaceMention(a.first, b.last, "landmark", Place(a.place.province)))
            k += 2
            continue
        out.append(a)
        k += 1
    return out


def _end_name(words: str) -> str:
    return words.removeprefix("cho ").removeprefix("khu du lich ").removeprefix("ga ")


_STREET_AFTER = frozenset({"street", "st", "road", "rd", "avenue", "ave", "boulevard", "blvd"})


def _named_street(p: ParsedQuery, m: PlaceMention) -> PlaceMention:
    """A district or ward name followed by "street"/"road" is the street of that name
    ("Dien Bien Phu street", "Tran Phu road"), when REE knows a street so spelled."""
    if m.kind not in ("district", "ward", "province") or m.last >= len(p.tokens):
        return m
    if p.tokens[m.last].folded not in _STREET_AFTER:
        return m
    before = p.tokens[m.first - 1].folded if m.first else ""
    if before not in ("on", "along", "at") and not before.isdigit():
        return m  # "villa in Thao Dien street": the area, loosely named
    raw = p.text[p.tokens[m.first].start : p.tokens[m.last - 1].end]
    if not gazetteer().knows_street(raw):
        return m
    return PlaceMention(m.first, m.last + 1, "street", Place(None, street=gazetteer().street(raw)))


def _street_of_the_district(
    p: ParsedQuery, m: PlaceMention, places: list[PlaceMention]
) -> PlaceMention:
    """ "house for sale on Điện Biên Phủ, Bình Thạnh": a place of another province after
    "on"/"along", beside a district it cannot lie in, is the street of that name there."""
    if m.kind not in ("district", "province"):
        return m
    after_on = m.first > 0 and p.tokens[m.first - 1].folded in ("on", "along")
    street_said = m.last < len(p.tokens) and p.tokens[m.last].folded in ("street", "road", "st")
    if not (after_on or street_said):
        return m  # "Hai Ba Trung street D1": the street, said before its district
    beside = [o for o in places if o is not m and o.kind == "district" and o.place.province]
    if not beside or all(o.place.province == m.place.province for o in beside):
        return m
    raw = p.text[p.tokens[m.first].start : p.tokens[m.last - 1].end]
    if not gazetteer().knows_street(raw):
        return m
    last = m.last + 1 if street_said else m.last
    return PlaceMention(m.first, last, "street", Place(None, street=gazetteer().street(raw)))


def _ward_as_street_or_lake(tokens: list[Token], m: PlaceMention) -> PlaceMention:
    """A named ward right after "phố"/"đường" is the street of that name ("phố Liễu Giai"), and
    one after "hồ" the lake ("view hồ Ngọc Khánh"): neither is the ward (nor sets a district)."""
    if m.kind != "ward" or m.first == 0 or not m.place.ward or m.place.ward.startswith("Phường "):
        return m
    before = tokens[m.first - 1]
    if before.lower == "hồ":  # the lake's district still places it ("gần X" uses X's district)
        return PlaceMention(m.first, m.last, "landmark", Place(m.place.province, m.place.district))
    after_nha = m.first > 1 and tokens[m.first - 2].folded == "nha"  # "nhà phố": a type
    if before.lower in ("phố", "đường", "pho", "duong") and not after_nha:  # not "nghỉ dưỡng"
        return PlaceMention(m.first - 1, m.last, "street", Place(None, street=m.place.ward))
    return m


_WARD_WORDS = frozenset({"phường", "xã"})  # typed with accents: "xa" (far) is not "xã"


def _studies_at(tokens: list[Token], first: int) -> bool:
    """ "phòng trọ cho cháu học Đại học Hải Phòng", "sinh viên ĐH Duy Tân": a room for a
    student of that school is sought near it."""
    before = [t.folded for t in tokens[max(0, first - 3) : first]]
    if before[-2:] in (["hoc", "o"], ["hoc", "tai"]):
        before = before[:-1]
    if before[-2:] == ["sinh", "vien"]:
        return True
    # "tôi từng học ĐH Luật": a school once attended
    return bool(before) and before[-1] == "hoc" and before[-2:-1] not in (["tung"], ["da"])


def _marked_wards(p: ParsedQuery) -> list[tuple[int, int]]:
    """ "phường Hưng Thạnh", "xã Hòa Phong": a ward the gazetteer does not list (it holds the
    wards of Hồ Chí Minh and Hà Nội) is still a ward when typed as one, with its capitals."""
    from ree.vi.gazetteer import Place
    from ree.vi.places import PlaceMention

    spans: list[tuple[int, int]] = []
    for k, tok in enumerate(p.tokens[:-1]):
        if tok.lower not in _WARD_WORDS or p.consumed[k] or p.consumed[k + 1]:
            continue
        end = k + 1
        while (
            end < len(p.tokens)
            and end - k <= 3
            and not p.consumed[end]
            and (end == k + 1 or not p.tokens[end].stop_before)
            and p.text[p.tokens[end].start].isupper()
            and p.tokens[end].folded.isalpha()
        ):
            end += 1
        if end - k < 2:
            continue
        name = p.text[p.tokens[k + 1].start : p.tokens[end - 1].end]
        p.places.append(PlaceMention(k, end, "ward", Place(None, None, name)))
        mark_tokens(p.consumed, p.tokens, tok.start, p.tokens[end - 1].end)
        p.place_tokens.update(range(k, end))
        spans.append((k, end))
    p.places.sort(key=lambda m: m.first)
    return spans


def _numbered_districts_joined(p: ParsedQuery) -> None:
    """ "q7 hay 8", "gò vấp hoặc 12", "q2, 9": a bare number joined to a named district of Hồ
    Chí Minh continues the list ("Quận 8"); a number with a unit after it ("8 tỷ") is no place."""
    from ree.vi.gazetteer import Place
    from ree.vi.places import PlaceMention

    hcm = "Hồ Chí Minh"
    for m in [m for m in p.places if m.kind == "district" and m.place.province == hcm]:
        k = m.last
        while k < len(p.tokens):
            joined = p.tokens[k].folded in _LIST_JOIN
            at = k + 1 if joined else k
            if not (joined or p.tokens[k].stop_before) or at >= len(p.tokens):
                break
            tok = p.tokens[at]
            after = p.tokens[at + 1] if at + 1 < len(p.tokens) else None
            free_after = after is None or after.stop_before or after.folded in _LIST_JOIN
            if not (tok.folded.isdigit() and 1 <= int(tok.folded) <= 12 and free_after):
                break
            if p.consumed[at] or (joined and p.consumed[k]):
                break
            place = Place(hcm, f"Quận {int(tok.folded)}")
            p.places.append(PlaceMention(at, at + 1, "district", place))
            mark_tokens(p.consumed, p.tokens, p.tokens[k].start, tok.end)
            p.place_tokens.update(range(k, at + 1))
            k = at + 1
    p.places.sort(key=lambda m: m.first)


def _fuzzy_district(p: ParsedQuery) -> None:
    """A district misspelled without "quận" ("binh thnah"): two or three leftover words
    close enough (rapidfuzz ratio >= 90 on folded text, 6+ characters) to one district name."""
    from ree.vi.gazetteer import Place
    from ree.vi.places import PlaceMention

    filler = {fold(w) for w in chat_vocab()["filler"]}
    cue_tokens = {k for h in cue_lexicon().scan(p.tokens) for k in range(h.first, h.last)}
    cue_tokens |= {k for h in drop_key_lexicon().scan(p.tokens) for k in range(h.first, h.last)}
    free = [
        not p.consumed[k] and k not in cue_tokens and t.folded.isalpha() and t.folded not in filler
        for k, t in enumerate(p.tokens)
    ]
    for n in (3, 2):
        for i in range(len(p.tokens) - n + 1):
            if not all(free[i : i + n]) or any(
                p.tokens[k].stop_before for k in range(i + 1, i + n)
            ):
                continue
            words = " ".join(t.folded for t in p.tokens[i : i + n])
            name = gazetteer().fuzzy_district(words, cutoff=90) if len(words) >= 6 else None
            if name is not None and not _marks_agree(p.tokens[i : i + n], name):
                continue
            if name is not None:
                place = Place(gazetteer().province_of(name), name)
                p.places.append(PlaceMention(i, i + n, "district", place))
                mark_tokens(p.consumed, p.tokens, p.tokens[i].start, p.tokens[i + n - 1].end)
                return


def _heard_districts(p: ParsedQuery) -> list[PlaceMention]:
    """Districts written as speech-to-text heard them ("cầu dấy", "hai bà chưng", "thủ đứt",
    "gò vắp"): two to four leftover words, typed with marks, that sound like one district's
    name across the regions (see `heard_key`), carry its tones syllable by syllable (a
    speaker's accent shifts sounds, not tones: "bình thản" is no Bình Thạnh, "quê vợ" no Quế
    Võ), differ from it in a letter (a tone alone is the gazetteer's call: "nhà bé") and
    follow a word a place is said after ("ở", "với", a type, a feature), or open the message."""
    from ree.vi.gazetteer import Place
    from ree.vi.places import PlaceMention

    heard: list[PlaceMention] = []
    if p.text.isascii():
        return heard  # typed without marks, misspellings are `_fuzzy_district`'s
    lowers = {t.lower for t in p.tokens}
    if not lowers & (_BEFORE_A_PLACE | _READ_ENDS | {"là"}):
        return heard  # no word a place is said after
    free = [not p.consumed[k] and t.folded.isalpha() for k, t in enumerate(p.tokens)]
    cues: set[int] | None = None  # read only when a name is heard
    # "nha chang": an unaccented "nha", read as a house, may open a name
    nha = [t.lower == "nha" and p.consumed[k] for k, t in enumerate(p.tokens)]
    known = {m.place.district for m in p.places}
    # "lam từ liêm": a misheard first word, then a ward's bare name ("Từ Liêm") the rest is
    wards = {(m.first, m.last): m for m in p.places if m.kind == "ward"}
    for n in (4, 3, 2):
        for i in range(len(p.tokens) - n + 1):
            window = p.tokens[i : i + n]
            ward = wards.get((i + 1, i + n)) if free[i] else None
            if not (all(free[i + 1 : i + n]) or ward) or not (free[i] or nha[i]):
                continue
            if any(t.stop_before for t in window[1:]) or i == 0 or p.tokens[i].stop_before:
                continue
            if any(t.lower in _NOT_IN_A_NAME for t in window):
                continue
            said = " ".join(t.lower for t in window)
            name = gazetteer().heard_district(said) or _one_hat_off(said)
            province = None if name else gazetteer().heard_province(said)  # "hà lội"
            if province and province not in {m.place.province for m in p.places}:
                name = province
            again = name in known and not (ward and ward.place.district == name)
            if name is None or again or strip_tones(said) == strip_tones(name.lower()):
                continue
            if cues is None:  # a cue opens no name ("giá vậy" is no Giá Rai); "cái" may
                cues = {h.first for h in cue_lexicon().scan(p.tokens)} - {
                    k for k, t in enumerate(p.tokens) if t.folded == "cai"
                }
            if i in cues or not _place_may_follow(p, i, cues):
                continue
            if [tone_marks(w) for w in said.split()] != [tone_marks(w) for w in name.split()]:
                continue
            if ward is not None:
                p.places.remove(ward)
            if name == province:
                p.places.append(PlaceMention(i, i + n, "province", Place(name)))
            else:
                place = Place(gazetteer().province_of(name), name)
                p.places.append(PlaceMention(i, i + n, "district", place))
            mark_tokens(p.consumed, p.tokens, window[0].start, window[-1].end)
            p.place_tokens.update(range(i, i + n))
            if nha[i] and sum(t.folded == "nha" for t in p.tokens) == 1:
                p.types = [t for t in p.types if t is not PropertyType.HOUSE]  # the name's "nha"
            free[i : i + n] = [False] * n
            known.add(name)
            heard.append(p.places[-1])
    p.places.sort(key=lambda m: m.first)
    for m in heard:  # "không phải hoàng mai mà là hai bà chưng": the first refused
        said_is = m.first >= 2 and [t.lower for t in p.tokens[m.first - 2 : m.first]] == [
            "mà",
            "là",
        ]
        for o in [o for o in p.places if said_is and o.kind == m.kind and o.last <= m.first]:
            if [t.folded for t in p.tokens[max(0, o.first - 2) : o.first]] == ["khong", "phai"]:
                p.places.remove(o)
    for m in heard:  # "ở gò dấp à không phú nhuận": taken back for the place said next
        nxt = [t.folded for t in p.tokens[m.last : m.last + 2]]
        taken_back = nxt in (["a", "khong"], ["a", "nham"]) and p.tokens[m.last].lower == "à"
        if taken_back and any(m.last + 2 <= o.first <= m.last + 3 for o in p.places):
            p.places.remove(m)
    return heard


@cache
def _heard_phrases() -> dict[str, tuple[tuple[str, ...], VocabItem]]:
    """Multi-word Vietnamese phrases of a legal status, by how they sound across the regions
    (`heard_key`): "xổ đỏ" is heard for "sổ đỏ" (only sounds no other phrase shares)."""
    found: dict[str, set[tuple[str, VocabItem]]] = {}
    for phrase, item in vocab_lexicon().entries():
        low = phrase.lower()
        if item.kind != "legal" or low.isascii():  # (a feature or a type heard is too often
            # an everyday word: "có giường", "thang mấy", "đắt ở", "canh hộ")
            continue
        if len(low.split()) < 2 or any(w.isascii() and not w.isalpha() for w in low.split()):
            continue
        found.setdefault(heard_key(strip_tones(low)), set()).add((low, item))
    return {
        k: (tuple(sorted(x[0] for x in v)), next(iter(v))[1])
        for k, v in found.items()
        if len({x[1] for x in v}) == 1
    }


@cache
def _heard_openings() -> frozenset[str]:
    """How the first word of each heard phrase sounds ("sổ", "xổ" -> "so")."""
    return frozenset(key.split()[0] for key in _heard_phrases())


def _heard_vocab(p: ParsedQuery) -> None:
    """Vocabulary as speech-to-text heard it: two or three leftover words typed with marks
    that sound like one legal phrase, carry its tones syllable by syllable and differ from it
    in a letter ("có xổ đỏ"); and "hướng đông lam" (nam)."""
    if p.text.isascii():
        return
    rent_only = {fold(x) for x in vocab()["rent_only_types"]}
    free = [not p.consumed[k] and t.folded.isalpha() for k, t in enumerate(p.tokens)]
    for k in range(len(p.tokens) - 1):  # "đông lam": a facing read as "đông", then "nam" heard
        pair = (p.tokens[k].lower, p.tokens[k + 1].lower)
        street = k + 2 < len(p.tokens) and p.tokens[k + 2].folded == "son"  # "Lam Sơn" street
        if pair[0] in ("đông", "tây") and pair[1] == "lam" and free[k + 1] and not street:
            east = pair[0] == "đông"
            wrong, right = (
                (Direction.EAST, Direction.SOUTH_EAST)
                if east
                else (Direction.WEST, Direction.SOUTH_WEST)
            )
            if wrong in p.directions and not p.tokens[k + 1].stop_before:
                p.directions = [right if d is wrong else d for d in p.directions]
                free[k + 1] = False
                p.consumed[k + 1] = True
    for n in (3, 2):
        for i in range(len(p.tokens) - n + 1):
            window = p.tokens[i : i + n]
            if not all(free[i : i + n]) or any(t.stop_before for t in window[1:]):
                continue
            if heard_key(strip_tones(window[0].lower)) not in _heard_openings():
                continue  # (the cheap test first: no legal phrase opens with that sound)
            said = " ".join(t.lower for t in window)
            if said.isascii():
                continue
            got = _heard_phrases().get(heard_key(strip_tones(said)))
            if got is None or vocab_lexicon().match_at(p.tokens, i) is not None:
                continue  # (a phrase typed as written, read or refused already: "chung cư")
            tones = [tone_marks(w) for w in said.split()]
            phrase = next((x for x in got[0] if [tone_marks(w) for w in x.split()] == tones), None)
            if phrase is None or any(strip_tones(said) == strip_tones(x) for x in got[0]):
                continue
            hit = Hit(i, i + n, window[0].start, window[-1].end, got[1], phrase)
            _collect(p, got[1], hit, rent_only)
            mark_tokens(p.consumed, p.tokens, hit.start, hit.end)
            free[i : i + n] = [False] * n


# words too common to be a misheard syllable of a district ("và làm" is no Gia Lâm), as
# typed with or without their marks ("đà" may be one: "đà nạt" is Đà Lạt)
_NOT_IN_A_NAME = frozenset(
    {"và", "của", "là", "có", "thì", "mà", "đã", "được", "với", "nó", "để", "này", "đó", "do"}
    | {"va", "cua", "la", "co", "thi", "ma", "da", "duoc", "voi", "no", "de", "nay", "do"}
)


# the words a place is said after, typed with their marks: "ở cầu dấy", "khu vực gò dấp",
# "bên nong biên" (not "liên quan", "thì", "về", "với": they open everyday words as often)
_BEFORE_A_PLACE = frozenset(
    {"ở", "tại", "quận", "huyện", "khu", "vực", "gần", "quanh", "bên", "mạn", "chỗ", "phường",
     "hoặc", "hay", "và", "qua", "sang", "thêm"}
)  # fmt: skip


_READ_ENDS = frozenset(
    {"phố", "hơi", "tô", "hộ", "cư", "đất", "nền", "trọ", "thự", "căn", "nhà", "tầng"}
)


def _place_may_follow(p: ParsedQuery, i: int, cues: set[int]) -> bool:
    """A heard district follows a word a place is said after, in its clause."""
    if i == 0 or p.tokens[i].stop_before:
        return False
    before = p.tokens[i - 1]
    # … or the end of a type or a feature just read: "nhà phố lam từ niêm", "hẻm xe hơi gò vắp"
    if before.lower in _BEFORE_A_PLACE or (p.consumed[i - 1] and before.lower in _READ_ENDS):
        return True
    if before.lower == "là" and i >= 2 and p.tokens[i - 2].lower == "mà":
        return True  # "không phải hoàng mai mà là hai bà chưng": the place meant
    # … or a numbered ward just read: "phường mười lăm tân bìn"
    ward = i >= 2 and p.tokens[i - 2].folded in ("phuong", "p")
    return (i - 1) in p.place_tokens and before.folded.isdigit() and ward


def _one_hat_off(said: str) -> str | None:
    """ "gò vắp", "hốc môn": a district typed with its letters and one syllable's hat (ă for
    â, ô for o) misheard, or None."""
    if said.isascii():
        return None
    name = gazetteer().district_named(fold(said))
    if name is None or fold(name) != fold(said):
        return None
    typed, named = strip_tones(said).split(), strip_tones(name.lower()).split()
    return name if sum(a != b for a, b in zip(typed, named, strict=False)) == 1 else None


def _marks_agree(tokens: list[Token], name: str) -> bool:
    """Typed with diacritics, a misspelling must still be close with its letters' shapes
    (tones aside): "đầu tiên" is not "Dầu Tiếng", "bình thnah" is "Bình Thạnh"."""
    if all(t.lower.isascii() for t in tokens):
        return True
    typed = strip_tones(" ".join(t.lower for t in tokens))
    if fuzz.ratio(typed, strip_tones(name.lower())) < 88:
        return False
    # a syllable typed with another tone *and* other letters is another word: "hài lòng"
    # (pleased) is not "Hạ Long", where "Hoàng Mại" (a wrong tone alone) is "Hoàng Mai"
    syllables = name.lower().split()
    return len(syllables) != len(tokens) or not any(
        tone_marks(t.lower)
        and tone_marks(t.lower) != tone_marks(s)
        and strip_tones(t.lower) != strip_tones(s)
        for t, s in zip(tokens, syllables, strict=True)
    )


def _bare_house(p: ParsedQuery) -> bool:
    """Whether every "house" came from a bare "nhà" (which yields to a named type)."""
    folded = [t.folded for t in p.tokens]
    for k, f in enumerate(folded):
        nxt = folded[k + 1] if k + 1 < len(folded) else ""
        if f == "nha" and nxt in ("rieng", "dat", "pho", "o", "cap", "hay", "hoac", "or"):
            return False  # a named house, or one of two choices ("nhà hay đất đều được")
        prev = folded[k - 1] if k > 0 else ""
        if f in ("house", "houses") and {nxt, prev} & {"or", "and", "hay", "hoac"}:
            return False  # "house or villa", "villa or house": both are asked for
    return True


# ----- cues and the remaining words --------------------------------------------------------


def _cue_hits(p: ParsedQuery) -> list[Hit[str]]:
    skip = [k in p.place_tokens for k in range(len(p.tokens))]
    return cue_lexicon().scan(p.tokens, skip)


_POSTFIX_DROPS = ("cung duoc", "khong quan trong", "tuy", "khong sao")
_COUNT_ASKED = frozenset({"may", "nhieu"})


@cache
def _place_words() -> tuple[dict[str, frozenset[str]], frozenset[str], frozenset[str]]:
    """chat.json `place_names_as_words`: (district -> folded words after it that make it an
    everyday phrase, acronyms typed in lowercase as words, words naming a landmark)."""
    data = chat_vocab()["place_names_as_words"]
    before = {d: frozenset(fold(w) for w in ws) for d, ws in data["district_before"].items()}
    acronyms = frozenset(a.lower() for a in data["acronyms"])
    return before, acronyms, frozenset(data["landmark_words"])


def _everyday_phrase(tokens: list[Token], m: PlaceMention, text: str) -> bool:
    """A place name read as everyday words: "cần giờ giấc tự do", "near the unis"."""
    before, acronyms, _ = _place_words()
    said = text[tokens[m.first].start : tokens[m.last - 1].end]
    if m.kind == "landmark" and said in acronyms:
        return True  # "near the unis": universities, not the school UNIS
    nxt = tokens[m.last].folded if m.last < len(tokens) else ""
    return m.kind == "district" and nxt in before.get(m.place.district or "", frozenset())


def _landmarks_named_by_wards(
    tokens: list[Token], places: list[PlaceMention]
) -> list[PlaceMention]:
    """ "gần chợ Tân Định", "cầu Cát Lái": a bare ward's name after "chợ/cầu/bến/phà/cảng"
    names the landmark, so only its district is meant (LABELS: "gần X" uses X's district) —
    and none where the message names another district ("Nhơn Trạch gần cầu Cát Lái")."""
    words = _place_words()[2]

    def landmark(m: PlaceMention) -> bool:
        bare = m.kind == "ward" and m.first > 0 and tokens[m.first].folded != "phuong"
        return bare and tokens[m.first - 1].lower in words

    named = {m.place.district for m in places if m.kind == "district" and not landmark(m)}
    out: list[PlaceMention] = []
    for m in places:
        if not landmark(m):
            out.append(m)
        elif not named or m.place.district in named:
            place = Place(m.place.province, m.place.district)
            out.append(PlaceMention(m.first, m.last, "landmark", place, typed=False))
    return out


def _vacant_rooms(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """ "còn 2 phòng trống", "còn 1 phòng": the rooms still free in a building posted."""
    before = [t.folded for t in p.tokens[max(0, h.first - 2) : h.first]]
    return (
        len(before) == 2
        and before[0] == "con"
        and before[1].isdigit()
        and (_word_after(p, h) in ("trong", ""))
    )


_LAND_VERBS = frozenset({"ban", "mua", "co", "con", "tim", "kiem", "can", "thue", "lo", "manh"})
_PRICEY_AFTER = frozenset({"ko", "khong", "k", "qua", "vay", "the", "hon", "nhi", "ha", "lam"})
_PLOT_HEDGE = frozenset({"khoang", "tam", "rong", "la", "chung", "co", "tren", "gan"})


def _plot_size_after(p: ParsedQuery, h: Hit[VocabItem]) -> bool:
    """ "đất 60m2", "đất khoảng 60 m2": the plot's size follows the word."""
    after = [t.folded for t in p.tokens[h.last : h.last + 3]]
    if after and after[0] in _PLOT_HEDGE:
        after = after[1:]
    if not after:
        return False
    if _AREA_TOKEN.fullmatch(after[0]):
        return True
    return after[0].replace(",", "").replace(".", "").isdigit() and after[1:2] in (["m2"], ["m"])


_DIMS_TOKEN = re.compile(r"\d+(?:[.,]\d+)?m?x\d+(?:[.,]\d+)?m?")
_AREA_TOKEN = re.compile(r"[\d.,]+\s*(?:m2|m²|m)")
_ANY_WORDS = frozenset({"nao", "gi", "sao", "nhieu", "dau", "may"})


# "2 phòng ngủ cũng được", "2 bedroom is also ok": also acceptable
_ALSO_FINE = frozenset({"cung duoc", "is also ok", "also ok", "also fine", "is fine too", "ok too"})


def _also_fine(p: ParsedQuery, h: Hit[str]) -> bool:
    """ "nhà phố cũng được", "2 phòng ngủ cũng được": a named type or room count is also
    acceptable (added, widened), where "quận nào cũng được" / "bao nhiêu cũng được" lift a
    constraint."""
    words = [t.folded for t in p.tokens[h.first : h.last]]
    before = {t.folded for t in p.tokens[max(0, h.first - 2) : h.first]}  # "mấy phòng cũng được"
    named = bool(p.types) or p.bedrooms is not None or _place_just_before(p, h.first)
    # "2pn thôi cũng được": only that; "thôi 3pn cũng dc": settling for it, in its place
    opening = [k for k in range(min(3, h.first)) if p.tokens[k].folded == "thoi"]
    just = h.first > 0 and p.tokens[h.first - 1].folded == "thoi"
    just = just or any(
        not any(t.stop_before for t in p.tokens[k + 1 : h.first + 1]) for k in opening
    )
    fine = " ".join(words) in _ALSO_FINE
    return fine and named and not before & _ANY_WORDS and not just


def _place_just_before(p: ParsedQuery, at: int) -> bool:
    """ "hoặc Lê Chân cũng được": a place closing the clause right before "cũng được" (not
    "qua quận 2 đi, xa chút cũng được", where the place is replaced)."""
    return any(
        0 <= at - m.last <= 1 and not any(p.tokens[j].stop_before for j in range(m.last, at + 1))
        for m in p.places
    ) and not p.has("replace", "only")


def _rate_after_amount(p: ParsedQuery, h: Hit[str]) -> bool:
    """ "dưới 2 tỷ giá rẻ": "tỷ giá" (exchange rate) straddling an amount is no such cue."""
    before = p.tokens[h.first - 1].folded if h.first > 0 else ""
    return h.payload == "oos" and fold(h.phrase) == "ty gia" and before[-1:].isdigit()


_TOO_PRICEY = frozenset({"too pricey", "nah too pricey", "too expensive for me"})
# out-of-scope phrases that ask about a listing shown when one is referred to
_OF_A_LISTING = frozenset({"what are the rules", "the procedure for", "how long"})


_SOUGHT_PLURAL = frozenset(
    {"houses", "homes", "apartments", "condos", "flats", "villas", "townhouses", "options",
     "listings", "places", "units", "plots", "ones", "rooms"}
)  # fmt: skip


def _good_value_sought(p: ParsedQuery, h: Hit[str]) -> bool:
    """ "good value houses in Thu Duc?": homes sought for their value, no one home valued."""
    nxt = p.tokens[h.last].folded if h.last < len(p.tokens) else ""
    return h.payload == "valuation" and fold(h.phrase) == "good value" and nxt in _SOUGHT_PLURAL


def _buy_not_rain(p: ParsedQuery, h: Hit[str]) -> bool:
    """ "có mua được căn hộ nào": "mua" typed without marks is "mưa" (rain) only in a message
    typed without marks that names no type and buys nothing ("mai sg co mua k")."""
    if h.payload != "oos" or fold(h.phrase) not in ("co mua", "mua khong"):
        return False
    rain = next(t for t in p.tokens[h.first : h.last] if t.folded == "mua")
    after = p.tokens[h.last].folded if h.last < len(p.tokens) else ""
    return rain.lower == "mua" and (not p.text.isascii() or bool(p.types) or after == "duoc")


_CLOSING = frozenset({"di", "nua", "nhe", "nha", "luon", "ha", "a", "thoi"})


def _ends_clause(p: ParsedQuery, k: int) -> bool:
    """Nothing but a particle follows token k-1 in its clause ("bỏ đi", "không cần nữa")."""
    while k < len(p.tokens) and not p.tokens[k].stop_before:
        if p.tokens[k].folded not in _CLOSING:
            return False
        k += 1
    return True


def _valued(p: ParsedQuery, key: str) -> bool:
    """The message gives the key a value ("2 phòng ngủ"), so a "cũng được" after it accepts
    the value rather than any."""
    given = {"bedrooms": p.bedrooms, "price": p.prices, "area": p.areas}
    return bool(given.get(key))


def _amount_between(p: ParsedQuery, first: int, last: int) -> bool:
    return any(t.folded[:1].isdigit() for t in p.tokens[first:last])


def _find_cues(p: ParsedQuery) -> None:
    hits = [
        h
        for h in _cue_hits(p)
        if not _rate_after_amount(p, h)
        and not _buy_not_rain(p, h)
        and not (p.refs and fold(h.phrase) in _OF_A_LISTING)  # "… for pets in number 2"
        # "too pricey, what about District 4": the place turned down, no lower cap
        and not (p.places and fold(h.phrase) in _TOO_PRICEY)
        and not _good_value_sought(p, h)
        # "từ 500 m2 trở lên giá rẻ": a lower bound, then the price, no "lên giá" (rising)
        and not (
            fold(h.phrase) == "len gia" and h.first > 0 and p.tokens[h.first - 1].folded == "tro"
        )
    ]
    hits = [replace(h, payload="also") if _also_fine(p, h) else h for h in hits]
    for h in hits:
        p.cues.setdefault(h.payload, h.first)
    if "?" in p.text:
        p.cues.setdefault("question", len(p.tokens))
    keys = [  # "quận 3", "District 7": a place, not the key "district"
        k
        for k in drop_key_lexicon().scan(p.tokens)
        if not (
            k.payload == "districts"
            and k.last < len(p.tokens)
            and p.tokens[k.last].folded.isdigit()
        )
    ]
    drops = [h for h in hits if h.payload == "drop"]
    for d in drops:
        # "bỏ giá", "không cần phòng ngủ" name the key after; "giá nào cũng được", "phòng ngủ
        # không quan trọng" before it ("căn nhỏ gì cũng được, giá tầm 3 triệu" keeps the price)
        after = not fold(d.phrase).endswith(_POSTFIX_DROPS)
        # "bỏ giá": the key after, within the clause ("không cần view sông, giá 6 tỷ" keeps
        # the price); else the key before ("giá nào cũng được"), unless an amount stands
        # between ("giá lên 2tr5 cũng được": a new bound)
        near = [
            k
            for k in keys
            if after
            and -1 <= k.first - d.last <= 3
            and not any(p.tokens[j].stop_before for j in range(d.last, k.first + 1))
        ] or [
            k
            for k in keys
            if 0 <= d.first - k.last <= 2
            and not _amount_between(p, k.last, d.first)
            and not _valued(p, k.payload)  # "hai phòng ngủ thôi cũng được": 2 it is
            and (
                not any(p.tokens[j].stop_before for j in range(k.last, d.first + 1))
                # "giá, bỏ đi", "giá, không quan trọng", "hướng, gì cũng được": the key before,
                # the topic of the clause after ("2 ngủ, khu nào cũng được" keeps the rooms)
                or (after and _ends_clause(p, d.last))
                or (not after and _bare_comment(p, d.first))
            )
        ]
        p.drop_keys.extend(k.payload for k in near if not k.payload.startswith("_"))
        key = _counted_key(p, d.last) if after else ""
        if key == "bedrooms" and _another_count(p, d.last):
            p.cues.pop("also", None)  # "không cần 3pn đâu, 2pn cũng được": 2 it is
        elif key:  # "không cần 3pn nữa": the count's key goes
            p.drop_keys.append(key)
    p.drop_keys = list(dict.fromkeys(p.drop_keys))
    if "only" in p.cues and _only_this(p, p.cues["only"]):
        _only_clause_places(p, p.cues["only"])
    if "search_verb" in p.cues:
        _remark_clause_places(p, p.cues["search_verb"])


_COMMENT_WORDS = frozenset(
    {"nao", "gi", "sao", "may", "bao", "nhieu", "thi", "la", "cung", "minh", "toi", "em", "ve"}
)


def _bare_comment(p: ParsedQuery, end: int) -> bool:
    """The clause ending at token `end` says nothing but the comment ("gì cũng được",
    "không quan trọng"), so it is about the key before the break ("khu nào cũng được" names
    its own)."""
    start = end
    while start > 0 and not p.tokens[start].stop_before:
        start -= 1
    if not p.tokens[start].stop_before:
        return False
    return all(t.folded in _COMMENT_WORDS for t in p.tokens[start:end])


def _clauses(p: ParsedQuery) -> list[int]:
    clause = [0] * len(p.tokens)
    for k in range(1, len(p.tokens)):
        clause[k] = clause[k - 1] + (1 if p.tokens[k].stop_before else 0)
    return clause


_COMPLAINED = frozenset({"dat", "cao", "mac", "xa", "chat"})
_SO = frozenset({"qua", "lam", "vai"})


def _remark_clause_places(p: ParsedQuery, at: int) -> None:
    """ "giá đất Thủ Đức đắt quá, tìm giúp lô đất Củ Chi": a place complained about before
    "đắt quá"/"xa quá" in another clause is not where to search ("… q1 cao quá nên q4 cũng
    được" still takes q4)."""
    clause = _clauses(p)
    if not any(clause[m.first] == clause[at] for m in p.places):
        return
    cut: dict[int, int] = {}  # clause -> the token where its complaint starts
    for k in range(len(p.tokens) - 1):
        if clause[k] == clause[at] or clause[k] in cut:
            continue
        limit = k > 0 and p.tokens[k - 1].folded in ("dung", "khong", "it", "chua")
        if p.tokens[k].folded in _COMPLAINED and p.tokens[k + 1].folded in _SO and not limit:
            cut[clause[k]] = k  # "đừng xa quá", "không cao quá" set a limit: no complaint
    p.places = [
        m for m in p.places if not (clause[m.first] in cut and m.first < cut[clause[m.first]])
    ]


def _only_this(p: ParsedQuery, at: int) -> bool:
    """ "chỉ Hải Châu thôi", "only District 7": "chỉ" typed as such (not "chi" = chị) right
    before a place, or "only" (not "just", "phải có", "chỉ cần")."""
    typed = p.tokens[at].lower
    nxt = at + 1
    place_next = any(m.first == nxt for m in p.places)
    return (typed == "chỉ" or typed == "only") and place_next


def _only_clause_places(p: ParsedQuery, at: int) -> None:
    """ "thôi chỉ Hải Châu thôi, Thanh Khê xa chỗ làm": the places of the "chỉ" clause are the
    ones wanted; another clause's place is a remark."""
    clause = _clauses(p)
    mine = [m for m in p.places if clause[m.first] == clause[at]]
    if mine and len(mine) < len(p.places):
        p.places = mine


_COUNTED = (
    (re.compile(r"\d{1,2}\s*(?:pn|phong\s+ngu|ngu|br|bed(?:room)?s?)$"), "bedrooms"),
    (re.compile(r"\d{1,2}\s*(?:wc|ve\s+sinh|toilets?|bath(?:room)?s?)$"), "bathrooms"),
)


def _counted_key(p: ParsedQuery, i: int) -> str:
    """The key of a count right after token `i` ("3pn", "2 wc"), or ""."""
    words = " ".join(t.folded for t in p.tokens[i : i + 3])
    for n in (1, 2, 3):
        head = " ".join(words.split()[:n])
        for pattern, key in _COUNTED:
            if pattern.match(head) and p.consumed[i]:
                return key
    return ""


def _another_count(p: ParsedQuery, i: int) -> bool:
    """A second bedroom count after the one dropped at token `i` replaces it (set here)."""
    from ree.vi.quantities import BEDS

    start = p.tokens[i].end if i < len(p.tokens) else len(p.text)
    rest = fold_aligned(p.text)[start:]
    m = BEDS.search(rest)
    if m is None or not m.group(1).isdigit():
        return False
    n = int(m.group(1))
    p.bedrooms = (n, n)
    return True


def query_text(p: ParsedQuery) -> str:
    """The words no parser used (for BM25), without filler words."""
    filler = {fold(w) for w in chat_vocab()["filler"]}
    cue_tokens = {k for h in _cue_hits(p) for k in range(h.first, h.last)}
    bound_tokens = {k for h in bound_lexicon().scan(p.tokens) for k in range(h.first, h.last)}
    trig = {k for h in _trigger_lexicon().scan(p.tokens) for k in range(h.first, h.last)}
    cue_tokens |= bound_tokens | trig
    words = [
        p.text[t.start : t.end]
        for k, t in enumerate(p.tokens)
        if not p.consumed[k] and k not in cue_tokens and t.folded not in filler
    ]
    return " ".join(words)


_VERBS = frozenset({"thue", "ban", "mua", "tim", "kiem", "can", "xem"})
# words addressing someone, as typed (accents matter: "bán", "mới", "chỉ" are not vocatives)
_VOCATIVES = frozenset(
    {"bot", "bạn", "em", "anh", "chị", "ad", "admin", "shop", "cả", "mọi", "cháu", "con", "bác",
     "cô", "chú"}
)  # fmt: skip
_VOCATIVES_PLAIN = frozenset(
    {"bot", "ban", "em", "anh", "chi", "ad", "admin", "shop", "e", "a", "c"}
)


def _house_asked(p: ParsedQuery) -> bool:
    """A closing "nhà" that a search verb or a link word asks for ("giúp được gì không, mình
    muốn tìm nhà", "căn hộ hay nhà"), not the visit or the family of a thanks ("để chị hẹn
    xem nhà", "bàn với ông nhà")."""
    if len(p.tokens) < 2 or p.tokens[-1].lower == "nha":
        return False
    return p.tokens[-2].folded in (_VERBS - {"xem"}) | _BEFORE_A_HOUSE


def _thanks(p: ParsedQuery) -> bool:
    return any(h.payload == "smalltalk" for h in cue_lexicon().scan(p.tokens))


_TRO_AFTER = frozenset(
    {"len", "lai", "thanh", "ve", "nen", "choi", "chuyen", "ngai", "xuong", "giup", "ly", "luc"}
)


def _bare_tro(p: ParsedQuery) -> bool:
    """An unaccented "tro" naming a room to rent ("tim tro", "tro cai rang"), not "trở lên",
    "trở lại", "trò chơi" or "trợ giúp"; accented "trọ" is in the vocabulary."""
    if PropertyType.ROOM in p.types:
        return False
    for k, t in enumerate(p.tokens):
        nxt = p.tokens[k + 1].folded if k + 1 < len(p.tokens) else ""
        if t.lower == "tro" and not p.consumed[k] and nxt not in _TRO_AFTER:
            return True
    return False


_BEFORE_A_HOUSE = frozenset({"hoac", "hay", "va", "or", "mot", "can", "cai", "ngoi", "1"})
# the marked words that open the next detail of a home (or "để anh coi lại"), after a particle
# said without a comma
_DISTRICT_NUMBER = re.compile(r"q\d{1,2}")  # "q4 nha": a district's number
_COUNT_WORDS = frozenset({"ngu", "pn", "wc", "tang", "lau", "ty", "trieu", "tr", "m2"})
_TAKES_A_HOUSE = frozenset(
    {"có", "muốn", "thích", "cần", "tìm", "kiếm", "mua", "bán", "thuê", "xem", "lấy", "gấp",
     "nguyên", "đổi", "sửa", "xây", "về", "của", "cho", "ngôi", "cái", "căn", "một"}
)  # fmt: skip
_DETAIL_OPENS = frozenset(
    {"hướng", "giá", "sổ", "diện", "ngang", "gần", "cách", "hẻm", "nội", "để", "thêm", "phải"}
)
_COUNT_BEFORE = re.compile(r"\d+(?:pn|wc)")
_DETAIL_BEFORE = frozenset(
    {"do", "that", "boi", "gym", "cong", "vien", "dieu", "hoa", "rong", "thoi", "nhe", "di"}
    | {"nua", "luon", "lun"}  # "them ho boi nua nha", "dang luon nha" (not "thue nua nha")
    | {"shr", "hong", "sdcc", "rieng"}  # "shr nha", "so hong rieng nha": a legal detail
    | {"hxh", "hxt"}  # "hxh nha": the alley asked for
)
_LEGAL_BEFORE = frozenset({"shr", "sdcc", "hxh", "hxt"})


def _particle_at(p: ParsedQuery) -> int | None:
    """The token of an unaccented "nha" closing a short request after a detail ("full do
    nha", "co ho boi nha", "ban cong rong nha", "2PN+1 nha em": a particle, before a closing
    vocative too); None after a verb, a link word or a count's house ("ban nha", "can ho hoac
    nha")."""
    k = len(p.tokens) - 1
    if k >= 2 and p.tokens[k].folded in _VOCATIVES_PLAIN and p.tokens[k - 1].lower == "nha":
        k -= 1
    if k < 1 or p.tokens[k].lower != "nha":
        return None
    before = p.tokens[k - 1].folded
    if before == "1" and k >= 2 and _COUNT_BEFORE.fullmatch(p.tokens[k - 2].folded):
        before = p.tokens[k - 2].folded  # "2PN+1 nha"
    if _COUNT_BEFORE.fullmatch(before):
        return k  # "2pn nha", "3 ty nha": a count or amount, then the particle
    if before in _COUNT_WORDS and k >= 2 and p.tokens[k - 2].folded[:1].isdigit():
        return k  # "duoi 3 ty nha", "2 ngu nha"
    detail = (
        (k >= 2 or before in _LEGAL_BEFORE)
        and all(t.lower.isascii() for t in p.tokens)
        and before in _DETAIL_BEFORE
        and before not in _VERBS | _BEFORE_A_HOUSE
        and not (before == "nua" and p.tokens[k - 2].folded in _VERBS | {"lai"})  # "nửa nhà"
    )
    return k if detail else None


_KIN = frozenset({"ông", "bà", "người"})
_AFTER_KIN = frozenset({"đã", "rồi", "tôi", "mình", "em", "nữa", "thì", "xem", "cũng", "muốn"})


def _spouse_or_family(p: ParsedQuery) -> list[int]:
    """ "bàn với ông nhà đã", "hỏi ý người nhà": the "nhà" of a spouse or the family, closing
    the clause or followed by its subject, is no house ("tìm cho bà nhà cấp 4" is one)."""
    out = []
    last = len(p.tokens) - 1
    for k in range(1, last + 1):
        if p.tokens[k].lower != "nhà" or p.tokens[k - 1].lower not in _KIN:
            continue
        if k == last or p.tokens[k + 1].stop_before or p.tokens[k + 1].lower in _AFTER_KIN:
            out.append(k)
    return out


# "nhà e 5 người", "nhà mình có 4 người": the speaker's household, no house
_HOUSEHOLD = re.compile(
    r"(?<![a-z])(?<!thue\s)(?<!ban\s)(?<!mua\s)nha\s+(?:e|em|minh|toi|tui|tao)\s+(?:co\s+)?"
    r"(?:\d|hai|ba|bon|nam|sau|bay|tam)\s+(?:nguoi|thanh\s+vien|mieng\s+an)(?![a-z])"
)
_GREETS = frozenset({"chào", "hello", "hi", "chúc", "mời", "xin"})


def _everyone_addressed(p: ParsedQuery) -> list[int]:
    """ "hello cả nhà", "chúc cả nhà cuối tuần vui vẻ", "cả nhà ơi": the group addressed, no
    house ("thuê cả nhà 3 tầng" is the whole house)."""
    out = []
    for k in range(1, len(p.tokens)):
        if p.tokens[k].lower != "nhà" or p.tokens[k - 1].lower != "cả":
            continue
        greeted = k >= 2 and p.tokens[k - 2].lower in _GREETS
        # "chào ad với cả nhà ạ": the group greeted beside someone else, closing the clause
        closes = k + 1 == len(p.tokens) or p.tokens[k + 1].stop_before
        closes = closes or p.tokens[k + 1].lower in ("ạ", "nhé", "nha")
        beside = any(t.lower in ("chào", "hello", "hi") for t in p.tokens[max(0, k - 5) : k - 1])
        beside = beside and closes and not any(t.stop_before for t in p.tokens[max(1, k - 4) : k])
        greeted = greeted or beside
        called = k + 1 < len(p.tokens) and p.tokens[k + 1].lower == "ơi"
        if greeted or called:
            out.append(k)
    return out


def _mark_particles(p: ParsedQuery) -> None:
    """An unaccented "nha"/"nhé" ending a clause of an accented message ("cảm ơn bạn nhiều
    nha, hữu ích lắm") is a particle, not "nhà"."""
    particles = set(vocab()["language"]["particles"]["words"])
    if p.tokens and p.tokens[-1].folded == "nha" and _thanks(p) and not _house_asked(p):
        p.consumed[-1] = True  # "cam on nhieu nha", "cảm ơn, để bác bàn với ông nhà đã"
    at = _particle_at(p)
    if at is not None:
        p.consumed[at] = True  # "full do nha", "co ho boi nha (em)": a request's particle
    for k in _spouse_or_family(p):
        p.consumed[k] = True
    for m in _HOUSEHOLD.finditer(fold(p.text)):
        p.consumed[token_at(p.tokens, m.start())] = True  # "nhà e 5 người": the family
    for k in _everyone_addressed(p):
        p.consumed[k] = True
    if not p.tokens or not any(not t.lower.isascii() for t in p.tokens):
        return
    last = len(p.tokens) - 1
    for k in range(1, last + 1):
        ends_clause = k == last or p.tokens[k + 1].stop_before
        # "cảm ơn nha bot": before a word addressing someone the clause still ends
        vocative = k < last and p.tokens[k + 1].lower in _VOCATIVES
        vocative = vocative or (k + 1 == last and p.tokens[last].lower in ("b", "mn", "ae"))
        # "cho thuê nha, quận 7": a house (not "cảm ơn bạn nha": "bạn" is no "bán")
        before = p.tokens[k - 1]
        object_of_verb = before.folded in _VERBS and before.lower not in _VOCATIVES
        # said without a comma: "mặt tiền đường nhựa nha hướng bắc" (not "căn nha hướng bắc")
        detail = (
            k < last
            and p.tokens[k + 1].lower in _DETAIL_OPENS
            and p.tokens[k - 1].folded not in _BEFORE_A_HOUSE
            and p.tokens[k - 1].lower not in _TAKES_A_HOUSE  # "có nha giá rẻ", "muốn nha …"
        )
        # "3 ngủ nha ko phải 2": a count, then the particle
        counted = (
            p.tokens[k - 1].folded in _COUNT_WORDS and k >= 2 and p.tokens[k - 2].folded.isdigit()
        )
        # "q4 nha ko phải q7": a district's number, then the particle
        counted = counted or _DISTRICT_NUMBER.fullmatch(p.tokens[k - 1].folded) is not None
        said = ends_clause or vocative or detail or counted
        if said and p.tokens[k].lower in particles and not object_of_verb:
            p.consumed[k] = True


@cache
def _said_in_capitals() -> frozenset[str]:
    """Shorthand a post's headline may type in capitals ("BÁN NHÀ MTKD"), chat.json."""
    return frozenset(chat_vocab()["teencode_in_capitals"]["words"])


@cache
def _shorthand() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {k: v for k, v in chat_vocab()["teencode"].items() if not k.startswith("_")}
    words = "|".join(sorted(map(re.escape, table), key=len, reverse=True))
    return re.compile(rf"(?<![\w.,$])({words})(?!\w)", re.IGNORECASE), table


# a block, tower or lane letter: "tòa K", "block J", "ngõ Z", "đường số K"
_MUN_BEFORE = re.compile(r"(?:manh|mun)\s*$")
_NAMED_BEFORE = re.compile(r"(?:toa|block|thap|khu|lo|ngo|hem|duong|so|can|day|phan\s+khu)\s*$")


def _spell_shorthand(text: str) -> str:
    """ "còn căn nào k", "bot làm dc những j" -> "… không", "… được những gì" (chat.json
    `teencode`, lowercase only); "500 k" after a number stays a price, and a letter naming a
    block or a lane ("tòa K") stays a letter. A message typed without accents gets the
    spelling without accents, so its other words are still read as unaccented ("hai phong …
    k" keeps the city)."""
    pattern, table = _shorthand()
    plain = text.isascii()

    def spell(m: re.Match[str]) -> str:
        word, before = m.group(1), fold(text[max(0, m.start() - 12) : m.start()])
        if word not in table:  # a post's headline: "BÁN NHÀ MTKD" (not "Ko", "K", "Dc")
            if not (word.isupper() and word.lower() in _said_in_capitals()):
                return word  # (not "NTN Group", a name)
            word = word.lower()
        after_number = re.search(r"\d\s*$", before) is not None
        if (word == "k" and after_number) or (len(word) == 1 and _NAMED_BEFORE.search(before)):
            return word
        if fold(word) == "mun" and _MUN_BEFORE.search(before):
            return word  # "đất manh mún" (fragmented), not "muốn"
        return fold(table[word]) if plain else table[word]

    return pattern.sub(spell, text)


_GLUED_NUMBER = re.compile(r"(quan|phuong|huyen)(\d{1,2})")
_PLACE_KINDS = frozenset({"district", "province", "ward"})


def _unglue_places(text: str) -> str:
    """Place names typed as one word: "quan7", "gòvấp", "thuduc", "bìnhthạnh" get their
    space back when the two halves name a district, ward or province (a word that cannot
    be one Vietnamese syllable is split where the gazetteer knows the pair); a last letter
    typed twice ("tìmm", "bơii") is dropped."""
    out: list[str] = []
    last = 0
    for tok in tokenize(text):
        spaced = _respelled(text[tok.start : tok.end], tok.folded)
        if spaced is not None:
            out.append(text[last : tok.start] + spaced)
            last = tok.end
    return "".join(out) + text[last:] if out else text


@lru_cache(maxsize=8192)
def _respelled(word: str, folded: str) -> str | None:
    """The word as meant, or None when it is fine as typed (see `_unglue_places`)."""
    from ree.vi.vocab import looks_glued

    if len(folded) < 3:
        return None
    glued = _GLUED_NUMBER.fullmatch(folded)
    if glued:
        cut = len(glued.group(1))
        return f"{word[:cut]} {word[cut:]}"
    if _doubled_end(folded, word.isascii()):
        return word[:-1]  # "tìmm", "hồ bơii": a key pressed twice
    unit = _DOUBLED_UNIT.fullmatch(folded)
    if unit and unit.group(2) + unit.group(3) in _UNITS:
        return word[:-1]  # "2pnn", "4tyy": the unit's last key pressed twice
    held = _HELD_KEY.sub(r"\1", folded)
    # "hooo", "nhaaa": a key held down (not "xxx" masking a phone's digits, nor "kkk" laughing)
    known = len(held) > 1 and held in _known_words()
    if held != folded and known and word.islower() and word.isascii():
        return held
    if not word.isascii() and folded[-1] == "g" and folded[-2] in "aeiouy":
        # "hướg", "sổ hồg": no syllable ends in a bare "g"; "bìnhdươg" is split after
        fixed = word[:-1] + "ng"
        return _respelled(fixed, folded[:-1] + "ng") or fixed
    if _GLUED_CURRENCY.fullmatch(folded):
        return f"{word[3:]} {word[:3]}"  # "VND5bn": "5bn VND", read as any amount with its unit
    bound = _GLUED_BOUND.fullmatch(folded)
    if bound:  # "duoi3ty", "tầm5tỷ"
        cut = len(bound.group(1))
        head = "tối đa" if bound.group(1) == "toida" else word[:cut]
        return f"{head} {word[cut:]}"
    if 5 <= len(folded) <= 20 and looks_glued(folded) and folded not in _known_words():
        return _place_split(word) or _telex_read(word, folded)
    return _telex_read(word, folded)


def _telex_read(word: str, folded: str) -> str | None:
    """ "nhaf", "caanf", "quanaj", "chung cuw": a word typed in Telex with the input method
    off, read as meant where it cannot be a syllable as typed, is no word REE knows, and reads
    as a word REE's phrases write with those very marks ("cư" of "chung cư"; not "how" ->
    "hơ"). A tone key alone reads only as "f" or "j" (huyền, nặng): a final "s", "r" or "x"
    ends many English words ("has", "car", "max"), and so does "ow" ("now", "own")."""
    from ree.vi.vocab import looks_glued

    if len(word) < 3 or not word.isascii() or not looks_glued(folded):
        return None
    if folded in _known_words():
        return None
    read = telex(word.lower())
    if read is None:
        return None
    meant, marked = read
    toned = folded[-1] in "fjrsx"
    if (not marked and folded[-1] not in "fj") or (not toned and "ow" in folded):
        return None  # "has", "car"; "now", "own", "town" (a bare "ơ" typed "ow")
    if meant not in _written_words() or looks_glued(fold(meant)):
        return None
    return meant if word.islower() else meant.capitalize()


@cache
def _written_words() -> frozenset[str]:
    """Every word of a place, vocabulary or cue phrase as written, with its diacritics."""
    words: set[str] = set()
    for lex in (gazetteer().lexicon, vocab_lexicon(), cue_lexicon()):
        words |= lex.written_words()
    return frozenset(words)


@cache
def _known_words() -> frozenset[str]:
    """Every word of a place or vocabulary phrase ("saigon", "riverview", "hanoi"): those
    are never split."""
    words: set[str] = set()
    for lex in (gazetteer().lexicon, vocab_lexicon()):
        words |= lex.words()
    return frozenset(words)


_DOUBLED_UNIT = re.compile(r"(\d[\d.,]*)([a-z]*)([a-z])\3")
_UNITS = frozenset({"pn", "ty", "ti", "tr", "wc", "pk", "tang", "lau"})
_GLUED_CURRENCY = re.compile(r"(?:vnd|usd)\d[\d.,]*[a-z]{0,8}")
_HELD_KEY = re.compile(r"([a-z])\1{2,}")
_GLUED_BOUND = re.compile(r"(duoi|tren|tam|khoang|gia|hon|toida)(\d[\w.,]*)")


def _doubled_end(folded: str, word_is_ascii: bool) -> bool:
    """A word ending in a doubled letter that is a Vietnamese syllable without it."""
    from ree.vi.vocab import looks_glued

    return (
        len(folded) >= 3
        and folded[-1] == folded[-2]
        and folded.isalpha()
        # "bơii" typed with marks; unaccented only a consonant ("timm"), never "too", "see"
        and (
            folded[-1] not in "aeiouy"
            if word_is_ascii
            else folded[-1] in "aeioy" or looks_glued(folded)
        )
        and not looks_glued(folded[:-1])
    )


_GLUED_KINDS = frozenset({"type", "weak_type", "legal", "feature"})


def _place_split(word: str) -> str | None:
    """Two words typed as one: a place ("gòvấp") or a phrase of the vocabulary ("canho",
    "nhàphố", "sổhồng")."""
    places, words = gazetteer().lexicon, vocab_lexicon()
    for cut in range(2, len(word) - 1):
        candidate = f"{word[:cut]} {word[cut:]}"
        tokens = tokenize(candidate)
        if len(tokens) != 2:
            continue
        hit = places.match_at(tokens, 0)
        if hit is not None and hit.last == 2 and hit.payload[0].kind in _PLACE_KINDS:
            return candidate
        phrase = words.match_at(tokens, 0)
        if phrase is not None and phrase.last == 2 and phrase.payload.kind in _GLUED_KINDS:
            return candidate
    return None


def parse_query(message: str, region: str | None = None) -> ParsedQuery:
    """Parse one message (at most 2,000 characters are read); `region` is the province the
    conversation is about, where a name several provinces share is read."""
    from ree.vi.vocab import detect_language

    text = _unglue_places(spoken_digits(_spell_shorthand(normalize(message or "")[:2000])))
    tokens = tokenize(text)
    p = ParsedQuery(text=text, tokens=tokens, consumed=[False] * len(tokens), region=region)
    p.language = detect_language(text)
    folded = fold_aligned(text)
    _mark_particles(p)
    find_refs(p, folded)
    find_bare_pairs(p, folded)
    find_ids(p, folded)
    find_amounts(p, folded)
    p.monthly_usd = bool(_USD_MONTH.search(folded))
    find_rooms(p, folded)
    _find_places_and_vocab(p)
    _find_cues(p)
    return p
