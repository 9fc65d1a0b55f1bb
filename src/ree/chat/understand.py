"""Query understanding: one message (+ the conversation state) -> intent and effective filters.

The rules are LABELS.md's: constraints carry over from turn to turn, the latest value wins,
"thêm X" adds, "còn X thì sao" replaces, "bỏ …"/"không cần …" removes, switching between sale
and rent drops the price bounds, turns that change nothing keep the state, and a complete new
request starts again. `ree.vi.query.parse_query` reads the message; this module decides.
Pure and deterministic; no I/O after the first call loads the data files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ree.models import (
    ConversationState,
    Filters,
    Intent,
    Language,
    PropertyType,
    Sort,
    Transaction,
)
from ree.vi.parsed import chat_vocab, cue_lexicon
from ree.vi.places import PlaceMention
from ree.vi.quantities import draft_floor
from ree.vi.query import Amount, ParsedQuery, parse_query, query_text
from ree.vi.text import fold, fold_aligned
from ree.vi.vocab import language_scores, vocab

__all__ = ["Understanding", "understand"]

_LISTING_CONTEXT = {Intent.SEARCH, Intent.REFINE, Intent.LISTING_DETAIL, Intent.COMPARE}
_KEEP_INTENTS = {Intent.LISTING_DETAIL, Intent.COMPARE, Intent.SMALLTALK, Intent.OUT_OF_SCOPE}


@dataclass
class Understanding:
    """What one message means in its conversation."""

    intent: Intent
    filters: Filters
    language: Language
    refers_to: list[int] = field(default_factory=list)
    query_text: str = ""
    relative: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    listing_ids: list[str] = field(default_factory=list)
    confirm: bool = False  # "đăng luôn", "xác nhận", "ok": a go-ahead (the seller's flow)
    # a property described to be valued (not a shown listing): "own" when it is the user's
    # ("nhà mình", "căn hộ … của tôi", "cô có căn nhà"), "described" otherwise
    subject: str | None = None
    # the deal a market question asks about where the conversation keeps another one ("giá
    # thuê ở đây bao nhiêu" while buying): the figures are rents, the search stays a purchase
    asked_deal: Transaction | None = None


def _mode(state: ConversationState | None) -> str:
    """What the conversation was doing: search, market, post, valuation or none."""
    if state is None:
        return "none"
    last = state.last_intent
    if last == Intent.POST_LISTING:
        return "post"
    if last == Intent.MARKET:
        return "market"
    if last == Intent.VALUATION and not state.shown_ids and not state.focus:
        return "valuation"  # a described subject, not a shown listing
    if last in _LISTING_CONTEXT or state.shown_ids:
        return "search"
    return "search" if not state.filters.is_empty() else "none"


def _own_place(p: ParsedQuery) -> bool:
    return bool(p.places) or bool(p.near_places)


def _complete(p: ParsedQuery) -> bool:
    """A self-contained request: it names both what and where."""
    return bool(p.types or p.weak_types) and _own_place(p)


def _is_refine_phrase(p: ParsedQuery) -> bool:
    relative = p.has("cheaper", "pricier", "larger", "smaller")
    return relative or p.has("replace", "add", "also", "only", "drop") or bool(p.negated)


# "my company needs a warehouse …": whose it is, not the property's owner
_NOT_THE_PROPERTY = frozenset(
    {"company", "family", "wife", "husband", "kids", "children", "parents", "boss", "team"}
)
_WHO_SELLS = re.compile(  # "có ai cần bán", "ai có căn 1PN+1 Smart City cần bán … ib em"
    r"(?<![a-z])co\s+ai\s+(?:can\s+|muon\s+)?ban\b"
    r"|(?<![a-z])ai\s+co\s+(?:can|nha|lo|dat|phong|mieng|manh)\b[^.?!\n]{0,60}?\bcan\s+ban\b"
)
_SELL_OR_WAIT = re.compile(
    r"\b(?:ban\s+(?:duoc\s+chua|luon|ngay)\s+hay\s+(?:cho|doi|giu)|nen\s+ban\s+hay\s+(?:cho|doi|giu)|"
    r"sell\s+(?:now\s+)?or\s+(?:wait|hold))\b"
)
_BUY_NOW_ASKED = re.compile(r"\bnen\s+xuong\s+tien\b")
_BUDGET_SAID = re.compile(r"\b(?:tai\s+chinh|ngan\s+sach|budget|(?:minh|toi|em|anh)\s+co)\b")


def _budget(p: ParsedQuery) -> bool:
    return _BUDGET_SAID.search(fold(p.text)) is not None


_SELLING = re.compile(r"\b(?:sell|selling|sale|ban)\b")
_THESE = re.compile(r"(?<![a-z])(?:these|those)(?![a-z])")
_HOME_NOUNS = frozenset({"house", "home", "apartment", "flat", "condo", "villa", "land", "'s", "s"})
_WANTS = frozenset({"need", "needs", "want", "wants", "is", "looking"})
_URGENT_WITH_REASON = re.compile(r"(?<!\w)bán gấp(?!\w).*?(?<!\w)(?:vì|do|cần tiền|kẹt tiền)(?!\w)")
_URGENT_WITH_REASON_PLAIN = re.compile(
    r"(?<!\w)ban gap(?!\w).*?(?<!\w)(?:vi(?!\s+bang)|can tien|ket tien)(?!\w)"
)


def _seller(p: ParsedQuery) -> bool:
    at = p.cues.get("search_verb")
    searching_first = (
        at is not None
        and at < p.cues.get("seller", -1)
        and p.tokens[at].folded in ("tim", "kiem", "find", "looking", "search")
    )
    # "có ai cần bán nhà Tân Bình … ko ạ": a buyer looking for sellers
    who = _WHO_SELLS.search(fold(p.text))
    wanted = who is not None and " ban" not in " " + fold(p.text)[: who.start()]
    # "có người trả 1ty7, em bán được chưa hay chờ thêm?": whether to sell, an offer weighed
    weighing = _SELL_OR_WAIT.search(fold(p.text)) is not None
    unsure = searching_first or wanted or weighing
    if p.has("seller") and not (_newest_posted(p) or _whole_unit(p) or unsure):
        return True  # "tìm nhà bán gấp quận 7" looks for urgent sales; it sells nothing
    lower = p.text.lower()
    urgent = _URGENT_WITH_REASON_PLAIN if lower.isascii() else _URGENT_WITH_REASON
    if urgent.search(lower):
        return True  # "bán gấp nhà Quận 8 vì …": a seller's reason; a bare "bán gấp" is a title
    buying = any(t.folded in ("mua", "buy", "buying") for t in p.tokens)  # "mua nhà chính chủ"
    at_weak = p.cues.get("seller_weak")
    if at_weak is not None and at_weak + 2 < len(p.tokens):  # "my company needs a warehouse"
        whose = p.tokens[at_weak + 1].folded in _NOT_THE_PROPERTY
        wants = any(t.folded in _WANTS for t in p.tokens[at_weak + 2 :])
        buying = buying or (whose and wants)  # "my wife and I + 2 kids, need a house"
        # "need a 3 bed house for my family …": a need stated first, for them to live in
        wanted = any(t.folded in _WANTS for t in p.tokens[:at_weak])
        buying = buying or (whose and wanted)
        # "a place to rent … for my family of 4": the people it is for, no home of theirs
        after = p.tokens[at_weak + 2].folded if at_weak + 2 < len(p.tokens) else ""
        for_them = at_weak > 0 and p.tokens[at_weak - 1].folded == "for"
        buying = buying or (whose and for_them and after not in _HOME_NOUNS)
    # "How is the rental market for condos in D7? One of my units has been empty": the market
    asked = p.has("search_verb", "market")
    return p.has("seller_weak") and bool(p.transactions) and not asked and not buying


# "15% của 3 tỷ là bao nhiêu": arithmetic, not a budget
_PERCENT_OF = re.compile(r"\d\s*%\s*(?:của|cua|of)(?!\w)", re.IGNORECASE)
# what a legal term means ("sổ hồng và sổ đỏ khác nhau thế nào", "vi bằng là gì"): knowledge,
# not a search
_TERM_QUESTION = re.compile(
    r"(?:s[ổo]\s+(?:h[ồo]ng|đ[ỏo]|do|chung)|h[đd]mb|vi\s+b[ằa]ng|gi[ấa]y\s+tay|th[ổo]\s+c[ưu])"
    r"[^.?!]{0,30}?(?:khác\s+nhau|khac\s+nhau|khác\s+gì|khac\s+gi|là\s+gì|la\s+gi|"
    r"nghĩa\s+là|nghia\s+la|là\s+sao|la\s+sao|what\s+is|mean)(?!\w)(?!\s*(?:cũng|cung)\b)",
    re.IGNORECASE,
)
# "what's the legal difference between pink book and red book?", "what is a red book"
_TERM_QUESTION_EN = re.compile(
    r"\bdifference\s+between\s+(?:an?\s+|the\s+)?(?:pink|red)\s+books?\b"
    r"|\bwhat(?:\s*'?\s*s|\s+is|\s+are)\s+(?:an?\s+)?(?:pink|red)\s+books?\s*\??\s*$"
)
# what a contract must say, or an astrologer's question: nothing the index answers
# ("hợp đồng đặt cọc cần ghi những gì", "mẫu hợp đồng thuê nhà", "tuổi Canh Ngọ mua nhà")
_ADVICE_ASKED = re.compile(
    r"(?<![a-z])(?:hop\s+dong(?:\s+\w+){0,4}\s+(?:can|phai|nen)\s+(?:ghi|luu\s+y|chu\s+y|co\s+nhung)"
    r"[^.?!]{0,20}?(?:gi|dieu\s+gi)|mau\s+hop\s+dong|xem\s+(?:giup\s+)?tuoi|"
    r"tuoi\s+(?:giap|at|binh|dinh|mau|ky|canh|tan|nham|quy)\s+"
    r"(?:ty|suu|dan|mao|thin|ti|ngo|mui|than|dau|tuat|hoi))(?![a-z])"
)
# arithmetic on amounts: "1tr5 nhân 12 bằng bao nhiêu", "100 chia cho 4 bằng mấy" (not
# "chia cho các con", "2pn cộng 1 là bao nhiêu", "5 nhân 20 là bao nhiêu tiền")
_AMOUNT = r"\d[\d.,]*(?:\s*(?:tr|triệu|trieu|tỷ|ty|k|nghìn|nghin|ngàn|ngan|%)\d*)?"
_ARITHMETIC = re.compile(
    rf"(?<![\w.,]){_AMOUNT}\s*(?:nhân|nhan|chia|cộng|cong|trừ|tru|times|plus|minus|divided\s+by)"
    rf"(?:\s+(?:với|voi|cho|đi|di))?\s+{_AMOUNT}\s+(?:bằng|bang|=|equals)(?!\w)",
    re.IGNORECASE,
)
# residence paperwork ("how do I get a TRC before signing a lease"), out of scope when nothing
# else is asked ("I have a work permit, looking for a 2BR in Tây Hồ" is a search)
_PAPERWORK = re.compile(
    r"(?<![a-z])(?:visa|work\s+permit|residence\s+card|temporary\s+residence|trc|"
    r"the\s+tam\s+tru|giay\s+phep\s+lao\s+dong)(?![a-z])"
)
_INVESTMENT_ASKED = re.compile(
    r"\s*(?:is|are|will|do\s+you\s+think|what\s+is)\s+[^?]{0,60}?\b(?:a\s+)?good\s+"
    r"(?:investment|time\s+to\s+(?:buy|invest)|(?:place|area|city)\s+to\s+(?:buy|invest))"
    r"|\bgood\s+investment\s*(?:\?|or\s+not|không|khong)",
    re.IGNORECASE,
)
_MEANS_TO_DEAL = re.compile(r"(?<![a-z])(?:dinh|muon|sap|can)\s+(?:ban|cho\s+thue)(?![a-z])")
# how a contract is made: "làm hợp đồng thuê nhà cần những gì", "… thế nào", "… ở đâu"
_CONTRACT_HOWTO = re.compile(
    r"(?<![a-z])(?:lam\s+)?hop\s+dong\s+(?:dat\s+coc|mua\s+ban|thue|coc)?\b[^.?!]{0,40}?"
    r"(?:can\s+(?:nhung\s+)?gi|the\s+nao|o\s+dau|viet\s+sao|ghi\s+(?:nhung\s+)?gi)"
)
_TYPICAL_ASKED = re.compile(
    r"(?<![a-z])(?:thuong|thong\s+thuong|usually|typically)\s+(?:thi\s+)?"
    r"(?:duoc\s+|la\s+|khoang\s+|tam\s+|go\s+for\s+|cost\s+)?(?:bao\s+nhieu|bn|how\s+much)"
)
# writing a document for the user: "viết giúp mình hợp đồng đặt cọc mua bán nhà"
_WRITE_A_CONTRACT = re.compile(
    r"(?<![a-z])(?:(?:viet|soan|draft|write)\s+(?:\w+\s+){0,3}?"
    r"|lam\s+(?:giup|gium|dum|ho)\s+(?:\w+\s+){0,2}?"
    r"|(?:(?:ban|em|giup|gium|cach)\s+(?:\w+\s+)?)lam\s+)"
    r"(?:cai\s+)?(?:hop\s+dong|giay\s+dat\s+coc|contract|agreement)(?![a-z])"
    r"(?:(?!\s*(?:\d|dai\s+han|ngan\s+han|chinh\s+chu|\w+\s+(?:nam|thang)\b)))"
)
# a price judged: "giá 7ty5 vậy ổn chưa", "hét 3 tỏi, thực tế đáng bao nhiêu"
_PRICE_JUDGED = re.compile(
    r"(?<![a-z])gia\s+(?:\S+\s+){0,3}(?:vay|do|nhu\s+vay|the)\s+(?:on|hop\s+ly|duoc|ok)\s+"
    r"(?:chua|khong|ko|k)(?![a-z])"
)
# "… cho thuê 3 triệu một tháng, như vậy có thấp quá không?": a named price weighed
_PRICE_WEIGHED = re.compile(  # on the lowercased text: "đất" (land) is not "đắt" (dear)
    r"(?<!\w)(?<!tầng\s)(?:thấp|cao|đắt|rẻ|mắc)\s+(?:quá\s+|lắm\s+|quá\s+trời\s+)?"
    r"(?:không|ko|k|chưa)\s*\??\s*$"
)
# an amount that is no property's price: fees, deposits, bills, loans
_NOT_A_PRICE = re.compile(
    r"(?<![a-z])(?:phi|coc|dat\s+coc|tien\s+(?:dien|nuoc|coc|mang)|(?<!nhu\s)vay(?!\s+(?:co|thi|la|ha|a)\b)|lai\s+suat)(?![a-z])"
)
# "… at 300k/m2/month - reasonable?": a named price questioned at the end of the message
_FAIR_ASKED = re.compile(
    r"(?<!\w)(?:(?:reasonable|fair|overpriced)\s*\?|hợp\s+l[ýí]\s+chứ"
    r"(?:\s+(?:nhỉ|ạ|bạn|anh|chị|em|nhé|hả))?\s*\??)\s*$",
    re.IGNORECASE,
)
# an English question weighing a named price: "Is 3.2 billion ok for 65m2 …?", "Is 25 million
# a month reasonable for …?", "They want $2,000/month for a villa …, too expensive?"
_EN_JUDGED = re.compile(
    r"^\s*(?:is|isn'?t|would|will)\s+(?:\$\s*)?\d[\d.,]*\s*(?:k|m|bn|billion|million|tỷ|ty|tỉ|triệu|trieu|tr|usd|"
    r"dollars?|vnd|dong)?(?:\s*(?:a|per|/)\s*month)?\s+(?:be\s+)?(?:really\s+)?(?:ok|okay|reasonable|"
    r"fair|overpriced|too\s+(?:much|high|expensive|pricey)|expensive|pricey|cheap|"
    r"a\s+good\s+(?:price|deal))(?![a-z])|(?<![a-z])(?<!not\s)(?:too\s+(?:expensive|much|high|pricey)|"
    r"overpriced|a\s+rip-?\s*off|fair\s+or\s+not|reasonable\s+or\s+not|should\s+i\s+take\s+it|"
    r"is\s+(?:that|this|it)\s+(?:ok|okay|fair|reasonable))"
    r"\s*\?\s*$",
    re.IGNORECASE,
)
# a budget checked, or a search asked beside the judgement: "is 3 billion ok? show me 2br",
# "my budget is 5 billion, is that too high?", "is 3 billion ok or should I go higher?"
_EN_BUDGET = re.compile(
    r"(?<![a-z])(?:budget|max|maximum|under|below|enough|or\s+should|if\s+so|show\s+me|"
    r"looking\s+for|look\s+for|i\s+want|i\s+need|find\s+me|as\s+a\s+budget)(?![a-z])"
)


_FOR_IT = re.compile(r"(?<![a-z])(?:for|of)\s+(?:it|that|this)(?:\s+one)?\s*\??\s*$")


def _en_judged(p: ParsedQuery) -> re.Match[str] | None:
    """`_EN_JUDGED` weighing a home the message describes (a type, an area, rooms, a listing
    shown), not a budget nor a search beside it."""
    m = _EN_JUDGED.search(p.text)
    if m is None or p.has("search_verb") or _EN_BUDGET.search(fold(p.text)):
        return None
    if _FOR_IT.search(fold(p.text)):
        p.demonstrative = True  # "is 3.2 ty ok for it?": the listing talked about
    described = p.types or p.areas or p.bedrooms or p.refs or p.demonstrative
    return m if described or p.superlative_ref else None


_OWN_TO_LET = re.compile(r"(?<![a-z])i\s+own\s+[^.?!]{1,60}?\b(?:rent|let|sell)\s+it(?:\s+out)?\b")
_TO_LET = re.compile(r"(?<![a-z])(?:to\s+let|for\s+rent|to\s+rent\s+out)(?![a-z])", re.I)
_LANDLORD_OPENS = re.compile(
    r"\s*(?:landlord\s+here|i'?m\s+(?:a|the)\s+landlord|i\s+am\s+(?:a|the)\s+landlord)\b",
    re.IGNORECASE,
)
# "muốn bán nhà đất ra mua căn hộ", "bán nhà để mua chung cư": selling one home to buy another
_SELL_TO_BUY = re.compile(
    r"(?<![a-z])ban\s+(?:\S+\s+){0,4}?(?:ra|de|roi|xong|lay\s+tien)\s+mua(?![a-z])"
)


def _sold_to_buy(p: ParsedQuery) -> None:
    """A home sold to buy another: the user buys, and seeks the kind named after "mua" (the
    one sold is no type sought)."""
    m = _SELL_TO_BUY.search(fold_aligned(p.text).lower())
    if m is None:
        return
    p.cues.pop("seller", None)
    p.cues.pop("seller_weak", None)
    wanted = parse_query(p.text[m.end() :], p.region).types
    if wanted:
        p.types = [t for t in p.types if t in wanted] or wanted


_VALUE_ASKED = re.compile(
    r"\s*(?:approx(?:imate)?\s+|estimated\s+)?value\s+of\s+(?:a|an|my)\s[^?]{3,80}\?\s*$",
    re.IGNORECASE,
)
_WHERE_TO_BUY = re.compile(r"\s*where\s+(?:in\s+\S+\s+)?should\s+(?:i|we)\s+(?:buy|invest)\b")
_NEGOTIABLE_ASKED = re.compile(
    r"(?<![a-z])(?:co\s+)?(?:thuong\s+luong|tl|bot)\s+(?:duoc|dc)\s+(?:khong|ko|k)(?![a-z])"
    r"|(?<![a-z])negotiable\s*\?"
)
_YIELDS = re.compile(r"(?<![a-z])(?:yields?|rental\s+returns?|loi\s+suat\s+cho\s+thue)(?![a-z])")
# "how much are 2br rents around here usually?", "What's the rent like for villas in Tay Ho?"
_RENTS_ASKED = re.compile(
    r"(?<![a-z])(?:how\s+much\s+are\s+(?:\S+\s+){0,3}rents|what(?:'s|\s+is)\s+the\s+rent\s+like|"
    r"what\s+are\s+(?:the\s+)?rents\s+like)(?![a-z])"
)
_BETTER_TO_BUY = re.compile(
    r"(?<![a-z])better\s+(?:to\s+)?(?:buy|invest|rent)(?:ing)?\s+in\b[^?.!]*\b(?:or|vs)\b"
    r"|(?<![a-z])(?:would\s+you|should\s+(?:i|we)|which\s+would\s+you)\s+(?:pick|choose)\b"
)
_OWN_FETCHES = re.compile(
    r"(?<![a-z])what\s+(?:could|would|can)\s+(?:my|our)\s+[^?]{1,60}?(?:rent|sell|go)\s+for(?![a-z])"
)
# what homes of a kind fetch: "what do 2br apartments in Tay Ho sell for", "what do villas go for"
_SEGMENT_FETCHES = re.compile(
    r"(?<![a-z])what\s+do\s+(?:\S+\s+){1,6}?(?:sell|rent|go)\s+for(?![a-z])"
    # "what are townhouses in D2 going for", "what are condo prices per m2 like"
    r"|(?<![a-z])what\s+are\s+(?:\S+\s+){1,6}?going\s+for(?![a-z])"
    r"|(?<![a-z])what\s+are\s+(?:\S+\s+){0,4}?prices?\s+(?:\S+\s+){0,5}?like(?![a-z])"
)
# a price in dollars, which `p.prices` (VND) does not hold: "$450k", "1.2 million USD"
_DOLLARS = re.compile(r"\$\s*\d|\d[\d.,]*\s*(?:k|m|million|mil)?\s*(?:usd|do la|dollars?)(?![a-z])")
# "… giá 1 tỷ 8 có nên mua không": whether to buy one property at a named price
_BUY_ASKED = re.compile(
    r"(?<![a-z])nen\s+(?:xuong\s+tien\s+)?(?:mua|thue|chot)\s+(?:\w+\s+){0,2}?"
    r"(?:khong|ko|k|chua|hay\s+khong)(?![a-z])"
)
_WHERE_OR_WHEN = re.compile(
    r"(?<![a-z])(?:(?:quan|khu|khu\s+vuc|cho|huyen|du\s+an)\s+nao|o\s+dau|luc\s+nay|"
    r"thoi\s+diem|bay\s+gio|nam\s+nay|hien\s+tai)(?![a-z])"
)
_ABOUT = re.compile(r"(?<![a-z])(?:khoang|tam|co|around|about|tu|duoi|tren)\s+\d")
# "giá hợp lý" listed among a search's wishes, not asked about
_REASONABLE_WISH = re.compile(r"(?<![a-z])(?<!la\s)gia\s+(?:ca\s+)?hop\s+ly\s*(?:[,;]|$)(?!.*\?)")
_WORTH_ASKED = re.compile(r"(?<!\w)đáng\s+(?:giá\s+)?bao\s+nhiêu(?!\w)", re.IGNORECASE)
# the cost or steps of a procedure: "chuyển đất vườn lên thổ cư phải nộp phí bao nhiêu",
# "trước bạ bao nhiêu %" (not "đất đã lên thổ cư", "giá đã gồm phí trước bạ")
_PROCEDURE_COST = re.compile(
    r"(?<![a-z])(?<!da\s)(?:len\s+(?:dat\s+)?tho\s+cu|chuyen\s+(?:doi\s+)?muc\s+dich|"
    r"chuyen\s+(?:dat\s+\w+\s+)?len|truoc\s+ba|sang\s+ten)(?![a-z])"
    r"[^.?!]{0,40}?(?<![a-z])(?:phi|thue|ton|bao\s+nhieu|bn|may\s+phan|thu\s+tuc|"
    r"nhu\s+the\s+nao|the\s+nao|ra\s+sao|lam\s+sao|mat\s+bao\s+lau)(?![a-z])"
)


_HAS_OFFICE = re.compile(r"(?<![a-z])(?:co|kem)\s+(?:van\s+phong|vp)(?![a-z])")


_PLOT_OF = re.compile(r"(?<![a-z])(?:dien\s+tich|dt)\s+dat(?![a-z])|\d\s*m2\s+dat(?![a-z])")


def _part_of_the_draft(p: ParsedQuery, state: ConversationState | None) -> bool:
    """ "có văn phòng" while posting or valuing another type, "dt đất 50m2" after any other
    type: a part of that property, not a new type."""
    held = state.filters.property_types or [] if state is not None else []
    if state is None or not held:
        return False
    text = fold(p.text)
    if p.types == [PropertyType.OFFICE] and PropertyType.OFFICE not in held:
        return _mode(state) in ("post", "valuation") and _HAS_OFFICE.search(text) is not None
    if p.types == [PropertyType.LAND] and PropertyType.LAND not in held:
        lands = sum(t.folded == "dat" for t in p.tokens)  # not "thôi tìm đất nền, dt đất 100m2"
        return lands == 1 and _PLOT_OF.search(text) is not None  # "3 tầng, …, dt đất 50m2"
    return False


def _nothing_sought(p: ParsedQuery) -> bool:
    """No place, type or search verb: the message asks for no listing."""
    return not p.places and not p.types and not p.has("search_verb")


def _knowledge_question(p: ParsedQuery) -> bool:
    """ "sổ hồng và sổ đỏ khác nhau thế nào": what a term means, with nothing to search for
    ("thổ cư là sao, tìm đất thổ cư Bình Chánh" is a search)."""
    term = _TERM_QUESTION.search(p.text) or _TERM_QUESTION_EN.search(fold(p.text))
    return (
        term is not None
        and not p.places
        and not p.has("search_verb")
        and not any(c.isdigit() for c in p.text)
    )


def _newest_posted(p: ParsedQuery, cue: str = "seller") -> bool:
    """ "xếp tin mới đăng lên đầu": the seller cue (or, typed without accents, the trend
    cue "dang len", "đang lên") is the sort's "đăng" (newly posted)."""
    at = p.cues.get(cue)
    return (
        p.sort is Sort.NEWEST
        and at is not None
        and p.tokens[at].folded == "dang"
        and at > 0
        and p.tokens[at - 1].folded == "moi"
    )


def _whole_unit(p: ParsedQuery) -> bool:
    """ "nha nguyen can cho thue": the seller's "cần cho thuê" is "nguyên căn" (whole house)."""
    at = p.cues.get("seller")
    return at is not None and at > 0 and p.tokens[at - 1].folded == "nguyen"


# "em giúp được gì cho người lần đầu đi thuê nhà?", "what can you help me with"
_CAPABILITY = re.compile(
    r"(?<![a-z])(?:(?:giup|lam)\s+duoc\s+(?:\w+\s+)?(?:nhung\s+)?gi|giup\s+gi|what\s+can\s+you|"
    r"how\s+can\s+you\s+help)(?![a-z])(?!\s+(?:khong|ko|k|chua)\b)"  # not "… gì không"
)


_FOR_SOMEONE = re.compile(r"\s*(?:cho|for)\s+(?:nguoi|ai|nhung\s+nguoi|someone|a\s+first)")


def _opens_with_correction(p: ParsedQuery) -> bool:
    """ "à không, …", "à nhầm …", "nhầm, …" open the message (a typed "à", not teencode "a")."""
    t = p.tokens
    if t and t[0].folded == "nham":
        return True
    if len(t) < 2 or t[0].lower not in ("à", "ah"):
        return False
    return t[1].folded == "nham" or (t[1].folded == "khong" and (len(t) < 3 or t[2].stop_before))


# "what's 10 million in dollars btw?": a currency sum, no listing
_CONVERSION = re.compile(
    r"(?<![a-z])(?:what'?s|what\s+is|how\s+much\s+is|convert)\s+[^?]{0,30}?\b(?:in(?:to)?|to)\s+"
    r"(?:usd|dollars?|vnd|dong)\b",
    re.IGNORECASE,
)
# "mai mốt đi Đà Lạt chơi chỗ nào vui": a trip, when no home is sought
_TRAVEL = re.compile(
    r"(?<![a-z])(?:cho\s+nao\s+vui|choi\s+cho\s+nao|di\s+choi\s+(?:o\s+dau|cho\s+nao)|an\s+gi\s+ngon)"
)
# "can foreigners (legally) own a house in Vietnam?": the law, unless homes are sought
_FOREIGNERS_RULES = re.compile(
    r"(?<![a-z])(?:can|may|are)\s+(?:a\s+)?(?:foreigners?|overseas\s+vietnamese|viet\s+kieu)\s+"
    r"(?:legally\s+|allowed\s+to\s+|actually\s+|really\s+|even\s+)?"
    r"(?:own|buy|get\s+a\s+(?:(?:pink|red)\s+book|so\s+(?:hong|do)))\b"
    r"|nguoi\s+nuoc\s+ngoai\s+co\s+duoc\s+(?:mua|so\s+huu)"
)


def _home_sought(p: ParsedQuery) -> bool:
    """A type, rooms, a price or a transaction: a home asked for (not "best pho near D1?")."""
    return bool(p.types or p.bedrooms or p.prices or p.transactions)


def _searched_for(p: ParsedQuery) -> bool:
    """The message asks for homes: a place, a bound, a size or rooms."""
    return bool(p.places or p.prices or p.areas or p.bedrooms)


# a home's type, then "sale" (not the Vietnamese "sale" of an agent or a discount)
_TYPE_SALE = re.compile(
    r"\b(?:house|apartment|condo|villa|land|townhouse|flat|home|shophouse|plot)s?\s+sale\b"
    r"|,\s*(?:sale|to\s+buy)\s*[.!]?\s*$"  # "Saigon Pearl condo 2 bed, sale"
)
_PRICE_KNOWN = re.compile(r"\b(?:muon|can|de)\s+biet\s+gia\b")
_BUYS_ONE = re.compile(r"\bmua\s+(?:duoc|dc|đc)\s+(?:khong|ko|k)\b")
# the words of a negotiable floor (not "thấp nhất", "lowest": a price quoted)
_FLOOR_WORDS = re.compile(
    r"(?<![a-z])(?:fix|negotiable|negotiate|go\s+down|bot\s+con|thuong\s+luong\s+con|tl\s+con)(?![a-z])"
)
# "đăng tin", "đăng ở đây được không" (not "đang bán": selling now; see `_post_asked`)
_POST_ASKED = re.compile(r"\bdang\s+(?:tin|ban|bai|len|luon|o\s+day)\b")


def _post_asked(p: ParsedQuery) -> bool:
    """ "đăng tin", "đăng ở đây được không": posting asked for; typed with marks only as
    "đăng" ("đang bán" is selling now)."""
    m = _POST_ASKED.search(fold(p.text))
    return m is not None and (
        p.text.isascii() or p.text[m.start() : m.start() + 4].lower() == "đăng"
    )


# a post calling on takers: "ai quan tâm ib", "ai có nhu cầu alo mình", "ai cần thuê phòng …
# inbox mình nhé" (not "ai có phòng cho thuê inbox mình": a seeker asking who has one)
_CALLS_TAKERS = re.compile(
    r"\bai\s+(?:quan\s+tam|co\s+nhu\s+cau)\s*(?:thi\s+)?(?:ib|inbox|ibx|alo|lh|lien\s+he|goi)\b"
    r"|\bai\s+can\s+(?:thue|mua)\b[^.?!\n]*\b(?:ib|inbox|ibx|alo|lh|lien\s+he|goi)\s+"
    r"(?:minh|em|e|chi|anh|toi|tui)\b"
)
_IF_ASKED = re.compile(
    r"\bneu\s+(?:minh|toi|tui|em|anh|chi|nha minh|nha toi)?\s*(?:ban|cho thue|rao|de gia|ra gia)\b"
)


# a listing's own terms, not a procedure asked about: "giá 3ty9 bao thuế phí", "shr công
# chứng ngay", "sổ chung công chứng vi bằng"
_TERMS_OF_A_POST = frozenset({"thue", "cong chung", "sang ten"})


_HA_ASKED = re.compile(r"(?<!\w)hả\s*[?!.]*\s*$")  # typed "hả" (not the particle "ha")
_HOW_ASKED = re.compile(
    r"(?<![a-z])(?:o\s+dau|the\s+nao|ra\s+sao|bao\s+lau|mat\s+bao|lam\s+sao|bao\s+nhieu|"
    r"can\s+gi|nhu\s+nao|khong\s*\?|ko\s*\?|k\s*\?|tinh\s+sao|ai\s+chiu|may\s+ngay|"
    r"bao\s+nhieu\s+ngay|"
    r"(?:gi|sao|khong|ko|k|chua|hong|hok)(?:\s+(?:vay|v|a|em|ban|b|ad))?\s*[?!.]*\s*$)"
)


def _terms_of_a_post(p: ParsedQuery, mode: str) -> bool:
    """A home described with its type, price and size or place, whose only out-of-scope
    words are such terms."""
    described = (p.types or p.weak_types) and p.prices and (p.areas or p.places or p.bedrooms)
    # in a draft, a detail told with it: "sổ hồng có rồi nha, sang tên ngay"
    told = mode == "post" and bool(p.legal or p.features or p.areas or p.prices)
    if not (described or told):
        return False
    if _HOW_ASKED.search(fold(p.text)) or _HA_ASKED.search(p.text.lower()):
        return False  # "mua căn hộ … công chứng ở đâu": the procedure asked about
    said = {fold(h.phrase) for h in cue_lexicon().scan(p.tokens) if h.payload == "oos"}
    return said <= _TERMS_OF_A_POST


# two areas weighed for investing: "A or B for an investment?", "A hay B để đầu tư"
_AREAS_FOR_INVESTING = re.compile(
    r"\b(?:or|hay|hoac|vs|versus)\b.*\b(?:investment|invest(?:ing)?|dau\s+tu)\b"
)
# which area still has them: "where in Hanoi can I still find houses under 5bn?"
_WHERE_TO_FIND = re.compile(
    r"\s*where\s+(?:in\s+[a-z ]{2,20}?\s+)?(?:can|could|should)\s+(?:i|we|you)\s+(?:still\s+)?"
    r"(?:find|get|buy|afford)\b"
)


# "office rents in Phu Nhuan per sqm?", "whats the avg villa rent in D2?": a segment's price
_RENT_PER_AREA = re.compile(r"\brents?\s+in\s+[a-z0-9 ]{2,30}?\s+per\s+(?:sqm|m2|square)")
_USUAL_PRICE = re.compile(r"\b(?:avg|average|typical)\s+(?:[a-z]+\s+){0,2}(?:rents?|prices?)\b")
_HERE = re.compile(r"\b(?:there|here)\b")
# "Thao Dien vs An Phu prices?": two areas' prices
_AREAS_PRICED = re.compile(r"\b(?:vs|versus)\b.*\bprices?\b")
# "prices there vs Ngu Hanh Son?", "how does that compare with Long Bien prices?"
_PRICES_WEIGHED = re.compile(
    r"\bprices?\s+(?:there|here|in\s+\w+(?:\s+\w+)?)\s+(?:vs|versus|compared?\s+(?:with|to))\b"
    r"|\bcompares?\s+(?:with|to)\s+(?:\w+\s+){1,3}prices?\b"
)
_SKIP_OPENS = re.compile(r"\s*(?:(?:hmm+|ok|okay|actually|and)[\s,]+)?skip\s")
_PRICES_THERE_VS = re.compile(r"\b(?:there|here)\s+(?:vs|versus|compared?\s+(?:with|to))\b")
# "best pho near District 1?" (not "2br near good restaurants in D1": a home sought)
_FOOD = re.compile(r"\b(?:best|good|nice)\s+(?:pho|banh\s+mi|coffee|cafes?|restaurants?|food)\b")
_INSTEAD_SAID = re.compile(r"\b(?:instead|just|only|rather|thay|thoi|chuyen|doi)\b")
_OR_OPENS = re.compile(r"\s*(?:or|hoặc|hoac)\s+\S", re.IGNORECASE)  # ("hay là X đi": instead)
_HOW_ABOUT = re.compile(r"\bthi\s+(?:the\s+nao|sao|rang|ra\s+sao)\s*[?!.]*\s*$")


def _classify_special(p: ParsedQuery, mode: str) -> Intent | None:
    """Intents decided by cues alone, before the search/refine question."""
    refs = len(p.refs) + len(p.ids) + (1 if p.demonstrative else 0)
    described = p.places or p.prices or p.areas or p.bedrooms or p.features or p.legal
    capability = _CAPABILITY.search(fold(p.text))
    if not refs and not described and capability:
        # "em giúp được gì cho người lần đầu đi thuê nhà": what the assistant can do; "mình
        # cần thuê nhà, bạn giúp được gì" states a need first: a search
        need = p.types or p.transactions or p.has("search_verb", "seller")
        if not need or _FOR_SOMEONE.match(fold(p.text)[capability.end() :]):
            return Intent.SMALLTALK
    terms_of_one = refs and "dieu khoan" in " ".join(t.folded for t in p.tokens)
    if (
        (p.has("oos") and not terms_of_one and not _terms_of_a_post(p, mode))
        or _PERCENT_OF.search(p.text)
        or _ARITHMETIC.search(p.text)
        or (not refs and _PROCEDURE_COST.search(fold(p.text)) and not p.has("search_verb"))
        or (_PAPERWORK.search(fold(p.text)) and _nothing_sought(p))
        or (not refs and _WRITE_A_CONTRACT.search(fold(p.text)) and not p.places)
        or (not refs and _CONTRACT_HOWTO.search(fold(p.text)) and not p.places)
        or (not refs and _ADVICE_ASKED.search(fold(p.text)) and not p.has("search_verb"))
        or (not refs and _knowledge_question(p))
        or (_CONVERSION.search(p.text) is not None and _nothing_sought(p) and not refs)
        or (_TRAVEL.search(fold(p.text)) and not (p.types or p.prices or p.has("search_verb")))
        or (_FOOD.search(fold(p.text)) and not _home_sought(p))
        or (_FOREIGNERS_RULES.search(fold(p.text)) and not _searched_for(p))
    ):
        return Intent.OUT_OF_SCOPE  # but "căn số 2 thanh toán theo điều khoản gì" is a detail
    # "giá bao nhiêu thì hợp lý?", "căn này bán tầm bn thì hợp lý" about the seller's own
    # draft ("căn này" is the home being posted: nothing was shown)
    own = not refs or (p.demonstrative and not (p.refs or p.ids))
    if mode == "post" and own and p.has("how_much", "valuation", "valuation_weak"):
        return Intent.POST_LISTING
    weighed = refs >= 2 and bool({"nao", "hon"} & _words(p))  # "căn 1 với căn 2 căn nào bớt …"
    if refs and _NEGOTIABLE_ASKED.search(fold(p.text)) and not (p.has("compare") or weighed):
        return Intent.LISTING_DETAIL  # "căn này có thương lượng dc ko shop": a fact of it
    if refs >= 2 and (p.has("compare") or "hon" in _words(p)):
        return Intent.COMPARE  # "căn 1 với căn 2 căn nào đáng tiền hơn"
    if _projects_weighed(p):
        return Intent.COMPARE  # "Times City or Royal City for a family?" (LABELS: two projects)
    if p.has("cheaper", "pricier") and len({_area_of(m) for m in p.places}) >= 2:
        return Intent.MARKET  # "Quận 7 và Quận 2, chỗ nào rẻ hơn?": comparing areas
    areas = len({_area_of(m) for m in p.places})
    if areas >= 2 and _AREAS_FOR_INVESTING.search(fold(p.text)) and not refs:
        return Intent.MARKET  # "Son Tra or Ngu Hanh Son for a holiday apartment investment?"
    # (not "my apartment …, what's a typical rent for it?": one home valued)
    usual = _USUAL_PRICE.search(fold(p.text)) or _RENT_PER_AREA.search(fold(p.text))
    if usual and not refs and not (_owns(p) or p.prices):
        return Intent.MARKET
    two_projects = len({m.place.project for m in p.places if m.kind == "project"}) >= 2
    here = mode != "none" and _HERE.search(fold(p.text)) is not None  # "prices here vs …"
    prices_weighed = bool(_PRICES_WEIGHED.search(fold(p.text))) and bool(p.places or here)
    named = {m.place.ward or m.place.district or m.place.province for m in p.places}
    areas_weighed = _AREAS_PRICED.search(fold(p.text)) and len(named) >= 2
    if (prices_weighed or areas_weighed) and not refs and not two_projects:
        return Intent.MARKET  # "how does that compare with Long Bien prices?", "prices there vs X"
    only_a_city = all(m.kind == "province" for m in p.places)  # (a district named: a search)
    if _WHERE_TO_FIND.match(fold(p.text)) and not refs and only_a_city:
        return Intent.MARKET  # "where in Hanoi can I still find houses under 5bn?"
    if p.has("trend") and not refs and not _newest_posted(p, "trend"):
        return Intent.MARKET  # "đang lên hay xuống giá", "so với mặt bằng chung": the segment
    if refs == 1 and _current_fact(p):
        return Intent.LISTING_DETAIL  # "cái thứ 2 hiện đang cho thuê được bao nhiêu?": a fact
    # a price per m² weighed is a valuation for one described property (type and area), a
    # segment question otherwise ("giá đất Thủ Đức 100 triệu/m2 có cao không")
    per_m2_one = p.per_m2_price and bool(p.areas) and len(set(p.types)) == 1
    priced = (p.prices and _described(p)) or per_m2_one or _weak_about_price(p)
    # "is 12k usd/month too high for a 500m2 office?": a dollar rent (no key holds it) weighed
    priced = priced or (bool(p.monthly_usd) and _described(p))
    priced = priced or (_owns(p) and _judged(p))  # "nhà mình ở Gò Vấp có đắt không"
    # "nếu mình bán 5 tỷ 8 thì có cao ko": a price the owner weighs asking, no posting yet
    if_asked = _IF_ASKED.search(fold(p.text)) and not _post_asked(p)
    priced = priced or (bool(p.prices) and bool(if_asked))
    # "cần thuê căn hộ … q1 chắc cao quá nên q4 cũng được": a search that remarks on prices
    weak = p.has("valuation_weak") and bool(priced) and not p.has("search_verb")
    weak = weak and (not _appraisal_asked(p) or _one_priced(p))
    # "ccmn đống đa dưới 1t5 mua đc ko": whether a budget buys one, a search
    capped = bool(p.prices) and all(a.bound == "max" for a in p.prices)
    weak = weak and not (capped and _BUYS_ONE.search(fold(p.text)))
    if weak and _post_asked(p) and _seller(p):
        return Intent.POST_LISTING  # "cần bán căn …, giá 1t35 có tl, đăng ở đây đc ko ad"
    if p.has("valuation") or weak:
        return Intent.VALUATION
    if _segment_dear(p, refs):
        return Intent.MARKET  # "đất Long Biên có đắt không": a segment's prices
    if p.has("valuation_q") and not _existential(p):
        one = refs or p.prices or p.areas or p.bedrooms or _owns(p)
        # "đất Long Biên có đắt không": a segment asked about is a market question
        return Intent.VALUATION if one or not (p.types or _own_place(p)) else Intent.MARKET
    if _seller(p):
        return Intent.POST_LISTING
    if p.has("trend_weak") and not refs and not p.has("search_verb"):
        return Intent.MARKET  # "nhà phố Gò Vấp năm nay tăng giá nhiều không"
    projects = [m for m in p.places if m.kind == "project"]
    if refs >= 2 or (len(projects) >= 2 and (p.has("compare") or {"hay", "hon"} & _words(p))):
        return Intent.COMPARE
    if p.has("compare", "compare_with") and len({m.place.district for m in p.places}) >= 2:
        return Intent.MARKET
    if refs == 1 or (refs and p.has("detail")):
        return Intent.LISTING_DETAIL
    if p.has("market", "how_much") and _owns(p) and (p.areas or p.bedrooms) and not refs:
        return Intent.VALUATION  # "mình có miếng đất 5x20 …, giá thị trường khoảng bao nhiêu"
    if _invest_where(p):
        return Intent.MARKET  # "đầu tư đất nền ở đâu bây giờ"
    if p.has("market") and _priced_one_worth(p):
        return Intent.VALUATION  # "tòa chdv Bình Thạnh giá 28 tỷ có đáng đầu tư ko": that one
    if p.has("market") and not _any_area_will_do(p):
        return Intent.MARKET
    if p.has("price_topic") and not p.prices and not _one_property(p):
        return Intent.MARKET  # "giá thuê văn phòng ở Q1 hiện nay": the segment's prices
    if p.has("how_much") and _one_property(p) and not p.has("drop", "market"):
        return Intent.VALUATION  # "nhà 5x20 Gò Vấp sổ hồng bao nhiêu tiền?": one property
    # "thế còn bên Tây Hồ thì thế nào": another place, how about it (not its prices)
    how_about = p.has("replace") and bool(_HOW_ABOUT.search(fold(p.text)))
    how_about = how_about and "gia" not in _words(p)
    if p.has("how_much") and (p.types or _own_place(p)) and not p.has("drop") and not how_about:
        return Intent.MARKET
    # "thế thuê thì sao, tầm 15 triệu/tháng" searches; "còn loại 3pn thì bao nhiêu" asks
    searching = (p.prices or p.bedrooms or p.areas) and not p.has("how_much", "market")
    if (
        mode == "market"
        and not p.has("search_verb")
        and not searching
        and (_own_place(p) or p.has("replace"))
    ):
        return Intent.MARKET
    return None


_PRICE_WORDS = frozenset({"gia", "tien", "price", "priced"})


_WORTH_MORE = re.compile(r" đáng (?:mua|đầu tư|sống|ở|đồng tiền)(?: \w+){0,3}? hơn (?!\d)")
_WORTH_MORE_PLAIN = re.compile(r" dang (?:mua|dau tu|song|o|dong tien)(?: \w+){0,3}? hon (?!\d)")


# "A hay B thì hợp lý/tốt/lợi hơn": which of two places is the better buy
_BETTER_THEN = re.compile(r" thi (?:hop ly|tot|loi|co loi|on) hon (?!\d)")
_WHICH_OF_TWO = re.compile(r" should (?:i|we) (?:buy|invest) in (?:\w+ ){1,4}or ")
_BETTER_ASKED = re.compile(r"(?<![a-z])or\s[^,.;?]{1,30}\bbetter\s*(?:for\s+(?:\w+\s*){1,3})?\?")


def _invest_where(p: ParsedQuery) -> bool:
    """ "đầu tư đất nền ở đâu", "đầu tư Liên Chiểu hay Cẩm Lệ": where to invest."""
    folded = " " + " ".join(t.folded for t in p.tokens) + " "
    where = any(w in folded for w in (" o dau ", " khu nao ", " cho nao "))
    two = len({m.place.district for m in p.places if m.place.district}) >= 2
    purpose = " de dau tu " in folded  # "mua lô đất … để đầu tư": a buyer's plan, a search
    lower = " " + " ".join(t.lower for t in p.tokens) + " "
    worth = _WORTH_MORE_PLAIN.search(folded) if lower.isascii() else _WORTH_MORE.search(lower)
    if two and worth:
        return True  # "Long Biên hay Gia Lâm đáng mua chung cư hơn?"
    if two and _WHICH_OF_TWO.search(folded):
        return True  # "Should I buy in Thu Duc or Binh Thanh, budget 4 billion for a 2br?"
    better = _BETTER_THEN.search(folded) or _BETTER_ASKED.search(p.text.lower())
    if two and better and not (p.prices or p.bedrooms or p.areas):
        return True  # "mua nhà ở Cầu Giấy hay Thanh Xuân thì hợp lý hơn"
    return " dau tu " in folded and (where or two) and not purpose


def _any_area_will_do(p: ParsedQuery) -> bool:
    """ "tìm nhà ở Hà Nội, quận nào cũng được": "quận nào" lifts a constraint, it asks no
    market question."""
    at = p.cues.get("market")
    if at is None:
        return False
    return "cung duoc" in " ".join(t.folded for t in p.tokens[at : at + 5])


def _segment_dear(p: ParsedQuery, refs: int) -> bool:
    """A type or place judged dear ("có đắt không", "cao quá") with no one property named."""
    at = p.cues.get("valuation_weak")
    if at is None or refs or p.prices or p.areas or p.bedrooms or p.has("search_verb"):
        return False
    if _owns(p):
        return False  # "nhà mình ở Gò Vấp có đắt không": the user's own, a valuation
    if p.has("place_corrected") or _MISTAKE_SAID.search(fold(p.text)):
        return False  # "à nhầm, Thanh Xuân chứ không phải Đống Đa, Đống Đa đắt quá": a refine
    return _judged(p) and bool(p.types or p.places)


_DEAR_WORDS = frozenset({"dat", "cao", "mac", "chat", "expensive", "high", "overpriced"})
_DEAR_TYPED = frozenset({"đắt", "mắc", "chát", "expensive", "overpriced"})


_MISTAKE_SAID = re.compile(r"(?<![a-z])(?:a\s+nham|nham|a\s+lon)(?![a-z])")


def _workshop_priced(p: ParsedQuery) -> bool:
    """An unaccented "xuong gia" after a deal's verb ("cho thue xuong gia 50 trieu") is a
    workshop and its price, not prices going down."""
    at = p.cues.get("trend")
    if at is None or at == 0 or PropertyType.WAREHOUSE not in p.types:
        return False
    before = p.tokens[at - 1].folded  # "cho thue xuong gia 50tr", "van phong hay xuong gia re"
    rise_or_fall = at >= 2 and p.tokens[at - 2].folded in ("tang", "len", "gia")
    joined = before in ("ban", "thue", "mua", "hay", "va", "voi") and not rise_or_fall
    return p.tokens[at].lower == "xuong" and joined


def _appraisal_asked(p: ParsedQuery) -> bool:
    """The weak cue is "đánh giá giúp" (judge it for me), which asks about anything."""
    at = p.cues.get("valuation_weak")
    return at is not None and p.tokens[at].folded == "danh"


_CHOICE = re.compile(r"(?<![a-z])(?:nao|hay|o\s+dau|khu\s+nao|hoac)(?![a-z])")


def _one_priced(p: ParsedQuery) -> bool:
    """One property at one stated price ("xưởng 5000m2 trảng bom, giá 45 tỷ"), not a budget
    weighed over choices ("với 3 tỷ, nên mua căn hộ hay nhà phố", "quận 7 tầm 2 tỷ")."""
    if len(p.prices) != 1 or p.prices[0].bound != "bare" or len(set(p.types)) != 1:
        return False
    if len({m.place.district or m.place.province for m in p.places}) > 1:
        return False
    return _CHOICE.search(fold(p.text)) is None


def _judged(p: ParsedQuery) -> bool:
    """The weak valuation cue weighs the price ("có đắt không", "cao quá"), not just "ok?"."""
    at = p.cues.get("valuation_weak")  # "có đắt không", "cao quá", "đắt vậy có ok không"
    if at is None:
        return False
    if any(t.folded in _DEAR_WORDS for t in p.tokens[at : at + 3]):
        return True
    # before the cue only a word typed as "dear" ("đất", "tầng cao", "cao cấp" are not)
    return any(t.lower in _DEAR_TYPED for t in p.tokens[max(0, at - 3) : at])


def _described(p: ParsedQuery) -> bool:
    """The price belongs to a property the message describes, not to a bare budget ("nếu
    mua thì khoảng 8 tỷ có được không")."""
    return bool(p.types or p.weak_types or p.places or p.areas or p.bedrooms)


def _weak_about_price(p: ParsedQuery) -> bool:
    """A shown listing and "cao quá" / "có đắt không" weigh its price; a bare "được không"
    does only beside a price word ("căn 2 giá vậy được không", not "cái số 2 hẻm xe hơi vào
    được không")."""
    refs = len(p.refs) + len(p.ids) + (1 if p.demonstrative else 0)
    if not refs:
        return False
    return _judged(p) or bool(_PRICE_WORDS & _words(p))


def _current_fact(p: ParsedQuery) -> bool:
    """ "đang cho thuê được bao nhiêu": what a shown listing earns now, not an estimate."""
    at = p.cues.get("valuation")
    if at is None or at == 0 or p.tokens[at].folded not in ("cho", "thue", "ban"):
        return False  # "căn số 2 đang định giá bao nhiêu" still asks for an estimate
    return p.tokens[at - 1].folded in ("dang", "currently")


_WORTH = re.compile(r"\b(?:đáng|nên|dang|nen)\s+(?:đầu\s+tư|dau\s+tu|xuống\s+tiền|xuong\s+tien)\b")
_STATED_PRICE = re.compile(r"\b(?:gia|rao|chao)\s*:?\s*\d")
_SEGMENT_WORDS = frozenset({"thi truong", "xu huong", "hay", "hoac", "khu vuc"})


def _priced_one_worth(p: ParsedQuery) -> bool:
    """ "tòa chdv Bình Thạnh giá 28 tỷ có đáng đầu tư": one property at its stated price
    ("giá"/"rao"/"chào" X, not a budget), in one place, weighed — not "đất nền đầu tư" nor
    "Quận 7 hay Quận 8 đáng đầu tư, tầm 3 tỷ"."""
    if len(p.prices) != 1 or p.prices[0].bound != "bare" or len(set(p.types)) != 1:
        return False
    if len({m.place.district or m.place.province for m in p.places}) > 1:
        return False
    folded = " " + " ".join(t.folded for t in p.tokens) + " "
    if any(f" {w} " in folded for w in _SEGMENT_WORDS) or not _STATED_PRICE.search(folded):
        return False
    return bool(_WORTH.search(p.text.lower()))


def _area_of(m: PlaceMention) -> str | None:
    return m.place.district or m.place.province


def _one_property(p: ParsedQuery) -> bool:
    """A described property (one type, a place, one size), not a segment; a price per m²
    asks about the segment."""
    per_m2 = any(  # "bao nhiêu một mét" (not the size said: "tám chục mét" -> "80 m2")
        t.folded in ("m2", "met", "m")
        and (k == 0 or not p.tokens[k - 1].folded.isdigit() or p.tokens[k - 1].folded == "1")
        for k, t in enumerate(p.tokens)
    )
    return (
        len(set(p.types)) == 1
        and _own_place(p)
        and len(p.areas) == 1
        and not p.prices
        and not per_m2
        and not p.has("compare", "compare_with")
    )


def _existential(p: ParsedQuery) -> bool:
    """ "có căn hộ nào rẻ không": asks whether any exist (a search), not about one."""
    return "nao" in _words(p) or (p.has("search_verb") and not (p.refs or p.demonstrative))


_THE_ONES = re.compile(
    r"(?<!\w)(?:the\s+ones|those|những\s+(?:căn|cái)|mấy\s+(?:căn|cái))(?!\w)", re.IGNORECASE
)


def _only_a_city(p: ParsedQuery) -> bool:
    return (
        p.constraint_count() == 1
        and bool(p.places)
        and all(m.kind == "province" for m in p.places)
        and not p.transactions
    )


def _place_only_switch(p: ParsedQuery) -> bool:
    """ "còn Q2 thì sao": another place and nothing else."""
    others = p.types or p.prices or p.areas or p.bedrooms or p.features or p.legal or p.refs
    if others or p.has("seller", "confirm", "place_corrected") or _corrects(p):
        return False  # "à không, gò vấp", "ý tôi là gò vấp": the draft's place corrected
    return p.has("replace") and bool(p.places)


_CORRECTING = re.compile(
    r"(?<!\w)(?:à\s+không|nhầm|nham|ý\s+(?:tôi|mình|em)\s+là|y\s+(?:toi|minh|em)\s+la|"
    r"đổi\s+thành|doi\s+thanh|sửa\s+(?:lại|thành)|sua\s+(?:lai|thanh))(?!\w)"
)


def _corrects(p: ParsedQuery) -> bool:
    """A correction typed: "à không", "nhầm", "ý tôi là", "đổi thành", "sửa lại" (not "sửa
    chữa", "nhắm" typed with their marks)."""
    lower = p.text.lower()
    return any(
        m.group(0).isascii() == lower[m.start() : m.end()].isascii()
        for m in _CORRECTING.finditer(lower)
    ) and not lower.rstrip(" ?!.").endswith(("đổi thành gì", "doi thanh gi"))


def _words(p: ParsedQuery) -> set[str]:
    return {t.folded for t in p.tokens}


# a detail of the home told in a draft that no filter holds: "đường trước lô rộng 12m",
# "cách chợ 500m", "có vỉa hè" (or asked: "thiếu thông tin gì nữa không?", a `draft_ask`)
_DETAIL_TOLD = re.compile(
    r"(?<![a-z])(?:(?:duong|hem|ngo|kiet)\s+(?:truoc|vao)|cach\s+\w+(?:\s+\w+)?\s+\d+\s*(?:m|km)"
    r"|via\s+he|rong\s+\d+(?:[.,]\d+)?\s*m)(?![a-z])"
)


def _classify(p: ParsedQuery, state: ConversationState | None) -> Intent:
    mode = _mode(state)
    if mode == "post" and state is not None and state.aside and _place_only_switch(p):
        return Intent.MARKET  # "… || thị trường q7 sao || còn q2 thì sao": still the market
    special = _classify_special(p, mode)
    if special is not None:
        return special
    relative = p.has("cheaper", "pricier", "larger", "smaller")
    constrained = (
        p.constraint_count() > 0
        or relative
        or p.drop_keys
        or p.negated
        or p.unkeyed
        or p.monthly_usd  # "budget is 1000 USD per month": a bound no key holds (LABELS)
    )
    if (
        mode == "post"
        and (constrained or p.has("confirm", "draft_ask") or _DETAIL_TOLD.search(fold(p.text)))
        and not _leaves_draft(p)
    ):
        return Intent.POST_LISTING
    if mode == "valuation" and constrained and not _leaves_draft(p) and not p.refs:
        return Intent.VALUATION  # "định giá nhà mình" then "diện tích 4x15, 2 lầu": the subject
    if mode == "none" and p.has("smalltalk") and _only_a_city(p) and not p.has("search_verb"):
        return Intent.SMALLTALK  # "hi! I just moved to Saigon, what can you help me with?"
    if not constrained:
        if mode == "search" and p.has("wish"):
            return Intent.REFINE  # "có view đồi thì tốt": a wish no filter can hold
        if p.has("replace") and _existential(p) and not p.has("search_verb"):
            return Intent.REFINE  # "còn căn nào không": more of the same
        if p.has("smalltalk") or p.has("confirm"):
            return Intent.SMALLTALK
        return Intent.OUT_OF_SCOPE if not p.has("search_verb") else Intent.SEARCH
    if mode == "none":
        relative = p.has("cheaper", "pricier", "larger", "smaller") and not _complete(p)
        refine = _is_refine_phrase(p) and not p.types and not p.has("search_verb")
        # "any with pink book?", "and with a pool?": a follow-up's opening
        refine = refine or (_FOLLOW_UP.match(fold(p.text)) is not None and not _own_place(p))
        swapped = _AND_IN.match(fold(p.text)) is not None and "?" in p.text
        asked = p.types or p.prices or p.bedrooms or p.areas or p.features
        refine = refine or (swapped and not asked)
        # "forget D2, show me D7 instead": a place given up for another
        refine = refine or (p.has("drop") and not p.types and bool(_INSTEAD.search(fold(p.text))))
        # "quận 3 nha, ko phải quận 10": a place corrected, and nothing else asked
        only_places = not (p.types or p.weak_types or p.transactions or p.features or p.legal)
        corrects = _opens_with_correction(p)  # "à không, tìm …"
        verbless = corrects or not p.has("search_verb")
        refine = refine or (p.has("place_corrected") and only_places and verbless)
        # "vậy còn nhà phố thì sao": another type for whatever was asked
        refine = refine or (
            p.has("replace") and p.constraint_count() == 1 and not p.has("search_verb")
        )
        # "đổi sang thuê đi, tầm 15 triệu/tháng": a switch with nothing else to search for
        refine = refine or (p.has("reset") and _elliptical(p, transactions_too=False))
        # "ờ lấy mấy căn có thang máy thôi": only those of whatever was asked
        only = p.has("only") or (bool(p.tokens) and p.tokens[-1].folded == "thoi")
        narrowing = only and bool(_THE_ONES.search(p.text))
        refine = refine or (narrowing and not (p.types or _own_place(p)))
        # "show me the newest first": only an order, which sorts whatever was asked
        refine = refine or (p.sort is not None and p.constraint_count() == 1)
        return Intent.REFINE if refine or relative or _elliptical(p) else Intent.SEARCH
    # "show me villas there instead": the place of the conversation, another type
    folded = fold(p.text)
    there = not _own_place(p) and bool(_THERE.search(folded) and _INSTEAD.search(folded))
    # "ok show me 2br ones, 3-4 ty" after a market question: listings of the segment asked about
    # (or "ok show me 2 bedrooms only")
    asked_ones = _ONES.search(folded) is not None or p.has("only")
    ones = mode == "market" and not (p.places or p.types) and asked_ones
    there = there or ones
    if _new_search(p) and not there:
        return Intent.SEARCH
    # after a market turn "có căn nào rẻ hơn không" and "only the ones in PMH" refine
    narrowing = p.has("only") and bool(_THE_ONES.search(p.text))
    if (
        mode != "search"
        and p.has("search_verb")
        and not (relative and not _complete(p))
        and not narrowing
        and not there
    ):
        return Intent.SEARCH
    return Intent.REFINE


# the place of the conversation, named by a word that points back to it
_THERE = re.compile(r"(?<![a-z])(?:there|o\s+do|khu\s+do|cho\s+do)(?![a-z])")
_ONES = re.compile(r"(?<![a-z])ones(?![a-z])")
_FOLLOW_UP = re.compile(r"\s*(?:and|any|also)\s+with(?![a-z])")
_AND_IN = re.compile(r"\s*and\s+(?:in|near|around)\s")  # "and in District 3?": the place swapped
_INSTEAD = re.compile(r"(?<![a-z])(?:instead|thay\s+vao\s+do)(?![a-z])")


_FOR_WHOM = re.compile(r"(?<![a-z])(?:for|cho)\s+(?:a\s+)?(?:family|kids|gia\s+dinh|con\s+nho)")
_ANYTHING_IN = re.compile(
    r"(?<![a-z])(?:what|how)\s+about|anything|listings?|available|any(?![a-z])|co\s+(?:can|cai)"
)
_WEIGHED_JOIN = frozenset({"hay", "or", "voi", "vs", "hoac", "versus"})


_FOR_LIVING = re.compile(r"\bfor\s+living\b")
_FOR_A_USE = re.compile(r"\bfor\s+(?:renting|investing|investment|letting)\b")


def _projects_weighed(p: ParsedQuery) -> bool:
    """Two projects joined by "hay/or/với/vs" and weighed ("… thì nên mua chỗ nào", "… for
    a family?"), with no bound, count or area that would make it a search over both."""
    projects = [m for m in p.places if m.kind == "project"]
    if len({m.place.project for m in projects}) < 2 or p.prices or p.areas:
        return False
    if p.bedrooms and not _FOR_A_USE.search(fold(p.text)):  # ("a 2br for living" is sought)
        return False  # (but "Times City or Royal City for renting a 2br?" weighs the two)
    first, second = projects[0], projects[1]
    between = {t.folded for t in p.tokens[first.last : second.first]}
    weighed = bool({"nao", "which", "better", "hon", "nen"} & _words(p))
    weighed = weighed or _FOR_WHOM.search(fold(p.text)) is not None  # "… for a family?"
    use = _FOR_A_USE.search(fold(p.text)) or (not p.bedrooms and _FOR_LIVING.search(fold(p.text)))
    weighed = weighed or ("?" in p.text and use is not None)
    # "Vinhomes Central Park or Saigon Pearl?": the two alone, asked which
    alone = "?" in p.text and all(
        p.consumed[k] or t.folded in _WEIGHED_JOIN for k, t in enumerate(p.tokens)
    )
    weighed = weighed or alone
    listing = p.types or _ANYTHING_IN.search(fold(p.text))
    return bool(between & _WEIGHED_JOIN) and weighed and not listing and not p.has("search_verb")


def _leaves_draft(p: ParsedQuery) -> bool:
    """A seller describing the property ("nhà ở hẻm xe hơi Gò Vấp, 4x15") is still on the
    draft; only a search verb or a reset starts a search."""
    return _new_search(p) and p.has("search_verb", "reset")


def _elliptical(p: ParsedQuery, transactions_too: bool = True) -> bool:
    """Only a bound, a room count or an order, with nothing to search for: "dưới 2 tỏi thôi",
    "3 phòng ngủ được không", "sắp xếp giá từ cao đến thấp" modify a search (LABELS: an
    elliptical request is a refinement), even with none in context."""
    named = bool(p.types or p.weak_types or p.places or p.near_places)
    named = named or (bool(p.transactions) and transactions_too)
    return not named and not p.has("search_verb") and not p.features and not p.legal


def _new_search(p: ParsedQuery) -> bool:
    """A search that stands on its own ("thôi, tìm nhà phố Gò Vấp")."""
    if p.has("replace", "add", "also") and not p.has("reset"):
        return False
    if _complete(p):
        return True
    return p.has("search_verb") and bool(p.types) and p.has("reset")


# "có căn rẻ nhất không", "căn rẻ nhất, không cần to", "… lên đầu được không": a sort asked for
_NOT_ASKED = re.compile(
    r"(?:^|\s)co\s+can\s+\w+\s+nhat|khong\s+(?:can|qua|co\s+a|lay)|duoc\s+khong|len\s+dau"
)


_WHAT_ASKED = re.compile(r"(?<!khong can )(?<![a-z])gi(?![a-z])(?!\s+(?:cung|them|nua|het|ca))")


def _resolve_superlative(p: ParsedQuery, state: ConversationState | None) -> None:
    """ "căn rẻ nhất" among the listings shown: a reference, not a sort. Asked about ("căn
    rẻ nhất nằm tầng mấy", "căn đầu tiên với căn rẻ nhất …") it is one even when the shown
    prices are unknown; "cho xem căn rẻ nhất" stays a sort."""
    if p.superlative_ref is None or p.types or p.places:
        return
    words = {t.folded for t in p.tokens}
    folded_msg = " ".join(t.folded for t in p.tokens)
    picking = words & {"xem", "show", "tim", "kiem", "lay", "chon"} or p.has("search_verb")
    asked = (
        p.has("detail")
        or bool(words & {"may", "chua", "does", "why", "how", "what", "which"})
        or _WHAT_ASKED.search(folded_msg) is not None  # "… hướng gì vậy", not "gì cũng được"
        or ("khong" in words and not _NOT_ASKED.search(folded_msg))
        or (p.language == "en" and ("is" in words or "?" in p.text))
        or "bao nhieu" in " ".join(t.folded for t in p.tokens)
        or p.has("valuation")  # "căn rẻ nhất … giá có sát thị trường không"
    ) and not picking
    if (asked or p.refs) and (state is None or not state.shown_prices or p.refs):
        p.sort = None
        p.demonstrative = True  # that one (resolved by the chat from what it showed)
        return
    if state is None:
        return
    values: list[float | None]
    if p.superlative_ref in ("cheapest", "priciest"):
        values = [float(x) if x is not None else None for x in state.shown_prices]
    else:
        values = list(state.shown_areas)
    known = [(v, i) for i, v in enumerate(values) if v is not None]
    if not known:
        return
    pick = min(known) if p.superlative_ref == "cheapest" else max(known)
    p.refs = [pick[1] + 1]
    p.sort = None


_DOLLAR_RATE = re.compile(r"(?:usd|\$|do\s+la|do)\s*/\s*m2|/\s*m2\s*(?:usd|\$)")
_DOLLAR_BUDGET = re.compile(
    r"(?<![a-z])(?:duoi|tren|toi\s+da|max|under|below|tam|khoang|budget|ngan\s+sach)\s*\$?\s*\d"
)


def _stated_dollars(p: ParsedQuery) -> bool:
    """A price in dollars stated for the property described, not a budget ("dưới 1000 usd"):
    a rate per m² needs the size it is charged on ("văn phòng 500m2 … 30 usd/m2"), a total a
    described unit ("căn hộ 2pn quận 2 thuê 800 usd")."""
    folded = fold(p.text)
    if _DOLLARS.search(folded) is None or _DOLLAR_BUDGET.search(folded):
        return False
    if _DOLLAR_RATE.search(folded):
        return bool(p.areas)
    return bool(p.areas or p.bedrooms)


def _weighed(p: ParsedQuery) -> re.Match[str] | None:
    """ "… 3 triệu một tháng, như vậy có thấp quá không?", "… 30 usd/m2/tháng có đắt không":
    one stated price judged too low or too high (not a search's "tìm … dưới 3 tỷ, giá rẻ
    không")."""
    stated = len(p.prices) == 1 and p.prices[0].bound in ("bare", "approx")
    in_dollars = not p.prices and _stated_dollars(p)  # "500m2 … 30 usd/m2/tháng"
    if not (stated or in_dollars) or p.has("search_verb"):
        return None
    if not (p.types and (p.areas or p.places)) or _NOT_A_PRICE.search(fold_aligned(p.text)):
        return None  # "3 tỷ có cao quá không", "phí quản lý 2 triệu có cao quá không"
    return _PRICE_WEIGHED.search(p.text.lower())


def _reasonable_wish(p: ParsedQuery) -> bool:
    """ "nhà Hạ Long gần biển, giá hợp lý, 4 phòng ngủ": a search's wish, not a question about
    a shown or described property ("căn này giá hợp lý")."""
    if p.has("question") or p.refs or p.demonstrative or p.constraint_count() == 0:
        return False
    return _REASONABLE_WISH.search(fold_aligned(p.text)) is not None


def _one_priced_and_weighed(p: ParsedQuery) -> bool:
    """ "mảnh đất 100m2 Từ Sơn người ta bán 3 tỷ 5, tôi có nên mua không": one property at
    one stated price, weighed for buying, is a valuation (not "nên mua nhà lúc này không",
    nor "3 tỷ nên mua ở quận nào", a budget)."""
    if len(p.prices) != 1 or p.prices[0].bound not in ("bare", "approx") or not p.types:
        return False
    if not p.areas or p.has("search_verb") or len({m.place.district for m in p.places}) > 1:
        return False  # "căn hộ quận 7 2 tỷ có nên mua không": a budget, no property described
    folded = fold_aligned(p.text)
    return (
        _BUY_ASKED.search(folded) is not None
        and _WHERE_OR_WHEN.search(folded) is None
        and _ABOUT.search(folded) is None
    )


def understand(message: str, state: ConversationState | None = None) -> Understanding:
    """Intent, effective filters (state + this turn) and references of one message."""
    from ree.chat.state import effective_filters

    p = parse_query(message, state.filters.province if state is not None else None)
    if p.can_asked and state is not None and state.filters.property_types:
        # "có căn nào 4pn ở Thảo Điền không" while houses are searched: one of those
        p.types = [t for t in p.types if t is not PropertyType.APARTMENT]
    judged = (
        _PRICE_JUDGED.search(fold_aligned(p.text))
        or _WORTH_ASKED.search(p.text)
        or _FAIR_ASKED.search(p.text)
        or _en_judged(p)
        or _weighed(p)
    )
    # a price named (total, per m², or in dollars) and judged
    if judged and (p.prices or p.per_m2_price or p.monthly_usd or _DOLLARS.search(fold(p.text))):
        at = next((k for k, t in enumerate(p.tokens) if t.start >= judged.start()), 0)
        p.cues.setdefault("valuation", at)
    elif _one_priced_and_weighed(p):
        p.cues.pop("market", None)
        p.cues.setdefault("valuation", 0)
    typical = _TYPICAL_ASKED.search(fold(p.text)) and p.types and not p.has("seller")
    typical = typical and not _MEANS_TO_DEAL.search(fold(p.text))  # "em định bán căn 2pn …"
    if typical and not (_owns(p) or p.refs or p.demonstrative):
        p.cues.pop("valuation", None)  # "cho thuê căn hộ 2pn Q7 thường được bao nhiêu"
        p.cues.setdefault("market", 0)  # what such homes usually fetch: the segment
    _sold_to_buy(p)
    if _SELL_OR_WAIT.search(fold(p.text)) and (p.prices or p.has("valuation")):
        p.cues.setdefault("valuation", 0)  # "có người trả 1ty7, em bán được chưa hay chờ?"
    quoted = [a for a in p.prices if a.bound in ("bare", "range")]  # a price told, no budget
    if _BUY_NOW_ASKED.search(fold(p.text)) and quoted and (p.types or p.areas) and not _budget(p):
        p.cues.pop("market", None)  # "căn shophouse 98m2 báo 16ty5, có nên xuống tiền không":
        p.cues.setdefault("valuation", 0)  # one priced home weighed (not the market's timing)
    short = len(p.tokens) <= 4 and not _INSTEAD_SAID.search(fold(p.text))  # not "or D2 instead"
    if state is not None and p.places and _OR_OPENS.match(p.text) and short:
        p.cues.setdefault("add", 0)  # "or D3": another place besides the one asked
    if state is not None and p.places and _SKIP_OPENS.match(fold(p.text)):
        p.cues.setdefault("drop", 0)  # "hmm skip Hoan Kiem, too busy": that place dropped
    if state is not None and p.places and _PRICES_THERE_VS.search(fold(p.text)):
        p.cues.setdefault("add", 0)  # "prices there vs Ngu Hanh Son?": both places weighed
    if not p.transactions and _TYPE_SALE.search(fold(p.text)):
        p.transactions.append(Transaction.SALE)  # "D3 house sale 100m2+ 20B max"
    if _OWN_TO_LET.search(fold(p.text)) and not {"buy", "bought", "mua"} & _words(p):
        p.cues.setdefault(
            "seller", 0
        )  # "I own an apartment in Sunrise City and want to rent it out"
    calls = _CALLS_TAKERS.search(fold(p.text))
    if calls and (calls.group(0).startswith("ai can") or not p.has("search_verb")):
        p.cues.setdefault("seller", 0)  # "ai cần thuê phòng … inbox mình nhé": a landlord's post
    if _LANDLORD_OPENS.match(p.text):
        p.cues.setdefault("seller", 0)  # "landlord here – got a villa in Thao Dien to let"
        # a landlord lets ("I'm a landlord w/ 10 rooms …, how do I post them?"), unless selling
        selling = _SELLING.search(fold(p.text)) is not None
        priced = bool(p.prices) or p.has("valuation", "how_much")
        if not p.transactions and (_TO_LET.search(p.text) or not (selling or priced)):
            p.transactions.append(Transaction.RENT)
    if _owns(p) and _PRICE_KNOWN.search(fold(p.text)) and not p.has("search_verb", "seller"):
        p.cues.setdefault("valuation", 0)  # "mình có mảnh đất …, muốn biết giá hiện tại của nó"
    if _VALUE_ASKED.match(p.text):
        p.cues.setdefault("valuation", 0)  # "value of a 3 bed condo at Times City, 90m2?"
    better = _BETTER_TO_BUY.search(fold(p.text)) and not p.has("search_verb")
    if better and len({_area_of(m) for m in p.places}) >= 2:
        p.cues.setdefault("market", 0)  # "Is it better to buy in D7 or Binh Thanh?"
    these = _THESE.search(fold(p.text))
    rents = _RENTS_ASKED.search(fold(p.text)) and not p.has("search_verb")
    if rents and not (p.refs or p.demonstrative or these):
        p.cues.setdefault("market", 0)
    if _WHERE_TO_BUY.match(fold(p.text)):
        p.cues.setdefault("market", 0)  # "where in HCM should I buy … for the best rental return?"
    if _OWN_FETCHES.search(fold(p.text)):
        p.cues.setdefault("valuation", 0)  # "What could my 3 bedroom unit … rent for?"
    fetches = _SEGMENT_FETCHES.search(fold(p.text)) and not p.has("search_verb")
    if fetches and not (_owns(p) or p.refs or p.demonstrative):
        p.cues.pop("valuation", None)  # "what do 2br apartments in Tay Ho sell for these days?"
        p.cues.setdefault("market", 0)
    yields = _YIELDS.search(fold(p.text)) and not p.has("search_verb")
    if yields and not (_owns(p) or p.refs or p.demonstrative or p.prices):
        p.cues.pop("valuation", None)  # "shophouse yields in Phu My Hung - worth it?": a segment
        p.cues.pop("valuation_weak", None)
        p.cues.setdefault("market", 0)
    if _INVESTMENT_ASKED.search(p.text) and not p.has("search_verb") and not p.prices:
        p.cues.setdefault("market", 0)  # "is Da Nang real estate a good investment now?"
    if _workshop_priced(p):
        p.cues.pop("trend", None)  # "ban xuong gia 30 ty": a workshop's price, not "xuống giá"
    if _reasonable_wish(p):
        p.cues.pop("valuation", None)  # "nhà Hạ Long gần biển, giá hợp lý, 4 phòng ngủ"
        p.unkeyed += 1  # a wish no key holds
    if _part_of_the_draft(p, state):
        p.types = []  # a warehouse's draft, then "có văn phòng, trạm điện…": a part of it
        p.unkeyed += 1  # … a detail of the draft that no key holds
    # … and with results shown, when the home told has its size ("tôi có căn hộ ở cùng tòa
    # 70m2, căn đó bán được bao nhiêu")
    told = _mode(state) in ("none", "valuation") or bool(p.areas)
    if p.own_home_told and told and not p.refs:
        p.demonstrative = False  # the home just told of, with no listing shown to point at
    if p.first_home and (state is None or not state.shown_ids) and p.refs == [1]:
        p.refs = []  # "… mua căn đầu tiên" with nothing shown: a first home, not listing 1
    _resolve_superlative(p, state)
    asked = state.filters.price_max if state is not None and _mode(state) == "post" else None
    one = len(p.prices) == 1 and p.prices[0].low == p.prices[0].high
    floor = draft_floor(fold(p.text), asked) if asked and (not p.prices or one) else None
    if floor is not None and p.prices and float(floor) != p.prices[0].low:
        floor = None  # "à e muốn để fix 5ty thôi": the amount named is the floor itself
    if floor is not None and p.prices and not _FLOOR_WORDS.search(fold(p.text)):
        floor = None  # "giá thấp nhất khu này là 5 tỷ à": a price quoted, no floor of the draft
    if floor is not None and asked is not None:  # "can go down to 5.9" after asking 6.2
        p.prices = [Amount(float(floor), float(asked), "range", False)]
    intent = Intent.POST_LISTING if floor is not None else _classify(p, state)
    filters, relative, dropped = effective_filters(p, intent, state, _mode(state))
    language: Language = p.language
    if state is not None and sum(language_scores(p.text)) == 0:
        language = state.language
    return Understanding(
        intent=intent,
        filters=filters,
        language=language,
        refers_to=[r for r in p.refs if r > 0] or _last_ref(p, state),
        query_text=query_text(p),
        relative=relative,
        dropped=dropped,
        listing_ids=list(p.ids),
        confirm=_confirms(p),
        subject=_subject_kind(p, intent, state),
        asked_deal=_asked_deal(p, intent, filters),
    )


def _asked_deal(p: ParsedQuery, intent: Intent, filters: Filters) -> Transaction | None:
    """Rents asked about while the conversation keeps a purchase (see `Understanding`)."""
    if intent != Intent.MARKET or Transaction.RENT not in p.transactions:
        return None
    return Transaction.RENT if filters.transaction != Transaction.RENT else None


_OWNER = r"(?:toi|minh|em|tui|chung\s+toi|anh|chi)"  # not "cô" ("nhà có …")
_OWNS = re.compile(
    rf"\b(?:nha|can|can\s+ho|can\s+nha|dat|lo|lo\s+dat|manh\s+dat|mieng\s+dat)\s+"
    rf"(?:cua\s+)?{_OWNER}\b|\bcua\s+(?:{_OWNER}|bac|chu|co|ong|ba|bo|me)\b"
    r"|\b(?:toi|minh|em|tui|co|chu|bac|anh|chi)\s+(?:co|dang\s+co|so\s+huu)\s+"
    r"(?:1|mot|can|lo|manh|mieng|nha|dat)\b"
    r"|\b(?:my|our|i\s+own|we\s+own)\b"
)


def _subject_kind(p: ParsedQuery, intent: Intent, state: ConversationState | None) -> str | None:
    """Whether a valuation is of a described property, and whether it is the user's own."""
    if intent != Intent.VALUATION or p.refs or p.ids:
        return None
    before = state.draft.get("subject_kind") if state is not None and state.draft else None
    if before and _mode(state) == "valuation":
        return "own" if before == "own" or _owns(p) else "described"  # more of the same
    if p.constraint_count() == 0:
        return None  # "giá này có hợp lý không": the search's listings, not one described
    return "own" if _owns(p) else "described"


def _owns(p: ParsedQuery) -> bool:
    """The speaker's own home is named ("nhà mình", "tôi có căn", "my villa"), outside a place's
    name ("Phú Mỹ Hưng" folds to "phu my hung")."""
    words = (t.folded for k, t in enumerate(p.tokens) if k not in p.place_tokens)
    return bool(_OWNS.search(" ".join(words)))


@cache
def _confirm_phrases() -> tuple[str, ...]:
    """Go-ahead phrases of two words or more, folded ("đăng luôn" is also a seller cue)."""
    phrases = chat_vocab()["cues"]["confirm"]
    return tuple(f" {fold(x)} " for x in phrases if len(x.split()) > 1)


def _confirms(p: ParsedQuery) -> bool:
    if p.has("confirm"):
        return True
    folded = " " + " ".join(t.folded for t in p.tokens) + " "
    return any(x in folded for x in _confirm_phrases())


def _last_ref(p: ParsedQuery, state: ConversationState | None) -> list[int]:
    """ "căn cuối": the last one shown; "căn đó" / "that one": the listing(s) last talked
    about, else the only one shown (never a guess among several)."""
    if state is None or not state.shown_ids:
        return []
    if -1 in p.refs:
        return [len(state.shown_ids)]
    if p.demonstrative:
        if state.focus:
            return list(state.focus)
        return [1] if len(state.shown_ids) == 1 else []
    return []


def is_rent_only(types: list[PropertyType] | None) -> bool:
    """Types that are only ever rented (LABELS: phòng trọ, nhà trọ, ở ghép)."""
    return bool(types) and all(t == PropertyType.ROOM for t in types or [])


def transaction_of(p: ParsedQuery) -> Transaction | None:
    """The transaction the message states (explicit words, a monthly price, a rented type)."""
    if p.transactions:
        return p.transactions[-1]
    if any(a.per_month for a in p.prices) or p.rent_only_type or p.monthly_usd:
        return Transaction.RENT
    monthly_level = vocab()["serviced_types"]["monthly_below_vnd"]
    if p.serviced and p.prices and all(max(a.low, a.high) < monthly_level for a in p.prices):
        return Transaction.RENT
    return None
