"""Tier `extractive`: answers composed from the context alone, in the user's language.

It never states a number that is not in the request (listings or computed facts), so it always
passes the quality gate; it is the last tier of every route and is always available.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ree.llm.base import AnswerRequest
from ree.llm.numbers import round_money
from ree.models import Filters, Intent, Language, Listing
from ree.vi.display import label, place_name
from ree.vi.numbers import format_price_en, format_price_vi

MAX_LINES = 3


def fmt_price(vnd: int, lang: Language) -> str:
    return format_price_vi(vnd) if lang == "vi" else format_price_en(vnd)


def fmt_area(area: float, lang: Language) -> str:
    text = f"{area:g}"
    return (text.replace(".", ",") if lang == "vi" else text) + " m²"


def listing_line(listing: Listing, lang: Language) -> str:
    """ "Title — 4,2 tỷ · 76 m² · 2 PN · Quận 7": the facts a listing line may state.

    Titles are written in Vietnamese by sellers; an English answer names the listing from its
    fields instead ("Apartment in Sunrise City"), so the whole answer stays in one language.
    """
    parts = [listing.title.strip() if lang == "vi" else english_name(listing)]
    facts: list[str] = []
    if listing.price_vnd:
        rent = listing.transaction == "rent"
        per = ("/tháng" if lang == "vi" else "/month") if rent else ""
        facts.append(fmt_price(listing.price_vnd, lang) + per)
    if listing.area_m2:
        facts.append(fmt_area(listing.area_m2, lang))
    if listing.bedrooms:
        facts.append(f"{listing.bedrooms} PN" if lang == "vi" else f"{listing.bedrooms} BR")
    where = listing.district or listing.province
    if where:
        facts.append(place_name(where, lang))
    return parts[0] + (" — " + " · ".join(facts) if facts else "")


def english_name(listing: Listing) -> str:
    kind = label("property_type", listing.property_type, "en").capitalize()
    where = place_name(listing.project or listing.ward or "", "en")
    deal = " for rent" if listing.transaction == "rent" else ""
    return f"{kind}{deal}" + (f" in {where}" if where else "")


def describe_filters(filters: Filters, lang: Language) -> str:
    """A short phrase of the constraints, e.g. "căn hộ ở Quận 7, 2 PN, dưới 4 tỷ"."""
    bits: list[str] = []
    if filters.property_types:
        names = [label("property_type", t, lang, plural=True) for t in filters.property_types]
        bits.append(" / ".join(names))
    places = filters.districts or ([filters.province] if filters.province else [])
    if places:
        joined = ", ".join(place_name(p, lang) for p in places)
        bits.append(("ở " if lang == "vi" else "in ") + joined)
    if filters.bedrooms_min is not None and filters.bedrooms_min == filters.bedrooms_max:
        n = filters.bedrooms_min
        bits.append(f"{n} PN" if lang == "vi" else f"{n} bedrooms")
    elif filters.bedrooms_min is not None:
        n = filters.bedrooms_min
        bits.append(f"từ {n} PN" if lang == "vi" else f"{n}+ bedrooms")
    if filters.price_max is not None:
        bits.append(("dưới " if lang == "vi" else "under ") + fmt_price(filters.price_max, lang))
    elif filters.price_min is not None:
        bits.append(("trên " if lang == "vi" else "over ") + fmt_price(filters.price_min, lang))
    for feature in filters.features or []:
        bits.append(label("feature", feature, lang))
    return ", ".join(bits)


def _search(req: AnswerRequest) -> str:
    lang = req.language
    what = describe_filters(req.filters, lang)
    if not req.listings:
        if lang == "vi":
            return (
                f"Chưa tìm thấy tin nào phù hợp ({what}). "
                "Bạn thử nới ngân sách, diện tích hoặc khu vực xem sao?"
            )
        return (
            f"I found no listings matching {what or 'your request'}. "
            "Try a higher budget, another size or a nearby area."
        )
    shown = req.listings[:MAX_LINES]
    lines = [f"{i}. {listing_line(x, lang)}" for i, x in enumerate(shown, 1)]
    wishes = _wishes_line(req, shown)
    if lang == "vi":
        head = f"Tìm thấy {req.total} tin phù hợp" + (f" ({what})" if what else "") + "."
        return head + wishes + " Nổi bật:\n" + "\n".join(lines)
    noun = "listing" if req.total == 1 else "listings"
    head = f"I found {req.total} matching {noun}" + (f" ({what})" if what else "") + "."
    return head + wishes + " Top picks:\n" + "\n".join(lines)


def _wishes_line(req: AnswerRequest, shown: list[Listing]) -> str:
    """ " Tin có hồ bơi được xếp trước (2/3 tin dưới đây)." for a search's soft wishes
    (features that rank listings rather than filter them), so the answer never implies that
    every listing has them."""
    wanted = {str(f) for f in (req.facts.get("preferences") or {}).get("features") or []}
    if not wanted or not shown:
        return ""
    lang = req.language
    names = (" và " if lang == "vi" else " and ").join(
        label("feature", f, lang) for f in sorted(wanted)
    )
    meeting = sum(wanted <= {str(f) for f in x.features} for x in shown)
    if lang == "vi":
        return f" Tin có {names} được xếp trước ({meeting}/{len(shown)} tin dưới đây)."
    return f" Listings with {names} come first ({meeting} of the {len(shown)} below)."


def _clarify(req: AnswerRequest) -> str:
    if req.language == "vi":
        return (
            "Bạn cho mình biết thêm nhé: loại nhà (căn hộ, nhà phố, đất…), khu vực, "
            "ngân sách và số phòng ngủ bạn cần?"
        )
    return (
        "Tell me a little more: the kind of property (apartment, house, land…), "
        "the area, your budget and how many bedrooms you need?"
    )


def _detail(req: AnswerRequest) -> str:
    lang = req.language
    if not req.listings:
        return _no_reference(lang)
    x = req.listings[0]
    lines = [listing_line(x, lang)]
    extra: list[str] = []
    if x.legal_status:
        extra.append(
            ("Pháp lý: " if lang == "vi" else "Legal: ")
            + label("legal_status", x.legal_status, lang)
        )
    if x.direction:
        extra.append(
            ("Hướng: " if lang == "vi" else "Facing: ") + label("direction", x.direction, lang)
        )
    if x.address:
        extra.append(("Địa chỉ: " if lang == "vi" else "Address: ") + x.address)
    if x.features:
        names = ", ".join(label("feature", f, lang) for f in x.features)
        extra.append(("Tiện ích: " if lang == "vi" else "Features: ") + names)
    if x.url:
        extra.append(("Nguồn: " if lang == "vi" else "Source: ") + x.url)
    return "\n".join(lines + extra)


def _compare(req: AnswerRequest) -> str:
    lang = req.language
    if len(req.listings) < 2:
        if lang == "vi":
            return (
                'Mình cần ít nhất hai căn đã hiển thị để so sánh, ví dụ: "so sánh căn 1 và căn 3".'
            )
        return 'I need at least two of the listings shown to compare, e.g. "compare 1 and 3".'
    positions: list[int] = req.facts.get("positions") or list(range(1, len(req.listings) + 1))
    word = "Căn" if lang == "vi" else "Listing"
    lines = [
        f"{word} {p}: {listing_line(x, lang)}" for p, x in zip(positions, req.listings, strict=True)
    ]
    priced = [
        (p, x) for p, x in zip(positions, req.listings, strict=True) if x.price_vnd and x.area_m2
    ]
    if priced:
        pos, best = min(priced, key=lambda px: (px[1].price_vnd or 0) / (px[1].area_m2 or 1))
        ppm2 = fmt_price(round_money((best.price_vnd or 0) / (best.area_m2 or 1)), lang)
        lines.append(
            f"Giá/m² tốt nhất: căn {pos} (khoảng {ppm2}/m²)."
            if lang == "vi"
            else f"Best price per m²: listing {pos} (about {ppm2}/m²)."
        )
    return "\n".join(lines)


def _market(req: AnswerRequest) -> str:
    lang = req.language
    stats: dict[str, Any] = req.facts.get("market", {})
    what = describe_filters(req.filters, lang) or (
        "toàn thị trường" if lang == "vi" else "the whole market"
    )
    if not stats.get("n"):
        return (
            f"Chưa đủ dữ liệu để tính giá cho {what}."
            if lang == "vi"
            else f"There is not enough data to compute prices for {what}."
        )
    n = stats["n"]
    median = fmt_price(stats["median_price"], lang)
    text = (
        f"Theo {n} tin đang đăng ({what}): giá trung vị {median}"
        if lang == "vi"
        else f"From {n} current listings ({what}): median price {median}"
    )
    if stats.get("median_ppm2"):
        text += (
            (", khoảng " if lang == "vi" else ", about ")
            + fmt_price(stats["median_ppm2"], lang)
            + "/m²"
        )
    return text + "."


_VERDICT = {
    "below": ("thấp hơn mức hợp lý", "below the fair range"),
    "fair": ("nằm trong khoảng hợp lý", "within the fair range"),
    "above": ("cao hơn mức hợp lý", "above the fair range"),
}


def _valuation(req: AnswerRequest) -> str:
    lang = req.language
    est: dict[str, Any] = req.facts.get("valuation", {})
    if not est.get("n"):
        if lang == "vi":
            return (
                "Chưa đủ tin tương tự để định giá đáng tin cậy; "
                "bạn cho mình thêm khu vực, loại nhà và diện tích nhé."
            )
        return (
            "There are too few comparable listings for a reliable estimate; "
            "tell me the area, type and size."
        )
    low, high = fmt_price(est["low"], lang), fmt_price(est["high"], lang)
    ppm2 = fmt_price(est["median_ppm2"], lang) if est.get("median_ppm2") else None
    verdict = _VERDICT.get(str(est.get("verdict")))
    asking = est.get("asking_price")
    if lang == "vi":
        text = f"Dựa trên {est['n']} tin tương tự, giá hợp lý khoảng {low} – {high}"
        text += f" (khoảng {ppm2}/m²)." if ppm2 else "."
        if verdict and asking:
            text += f" Giá chào {fmt_price(int(asking), lang)} {verdict[0]}."
        return text
    text = f"Based on {est['n']} comparable listings, a fair price is about {low} – {high}"
    text += f" (about {ppm2}/m²)." if ppm2 else "."
    if verdict and asking:
        text += f" The asking price of {fmt_price(int(asking), lang)} is {verdict[1]}."
    return text


def _draft_line(draft: dict[str, Any], lang: Language) -> str:
    """ "căn hộ · Quận 7 · 70 m² · 2 PN · 3,5 tỷ": what the draft holds so far."""
    parts: list[str] = []
    if draft.get("property_type"):
        parts.append(label("property_type", draft["property_type"], lang))
    place = draft.get("project") or draft.get("ward") or draft.get("district")
    if place:
        parts.append(place_name(str(place), lang))
    if draft.get("area_m2"):
        parts.append(fmt_area(float(draft["area_m2"]), lang))
    if draft.get("bedrooms"):
        n = draft["bedrooms"]
        parts.append(f"{n} PN" if lang == "vi" else f"{n} BR")
    if draft.get("price_vnd"):
        rent = draft.get("transaction") == "rent"
        per = ("/tháng" if lang == "vi" else "/month") if rent else ""
        parts.append(fmt_price(int(draft["price_vnd"]), lang) + per)
    if draft.get("legal_status"):
        parts.append(label("legal_status", draft["legal_status"], lang))
    return " · ".join(parts)


def _post(req: AnswerRequest) -> str:
    """The seller's flow: what the draft holds, what is missing, the suggested price, and
    either how to publish or that it is published."""
    lang, vi = req.language, req.language == "vi"
    f = req.facts
    missing: list[str] = f.get("missing", [])
    published = f.get("published")
    if published:
        what = _draft_line(f.get("draft", {}), lang)
        if vi:
            return f"Đã đăng tin của bạn (mã {published}): {what}."
        return f"Your listing is published (id {published}): {what}."
    lines: list[str] = []
    held = _draft_line(f.get("draft", {}), lang)
    if held:
        lines.append(("Tin đăng của bạn: " if vi else "Your draft: ") + held + ".")
    else:
        lines.append(
            "Mình sẽ giúp bạn soạn tin đăng." if vi else "I'll help you draft the listing."
        )
    est = f.get("price_estimate")
    if est:
        low, high = fmt_price(est["low"], lang), fmt_price(est["high"], lang)
        n = len(est.get("comparables", []))
        if vi:
            against = f", so với {n} tin tương tự." if n else "."
            lines.append(f"Giá đề xuất: {low} – {high}{against}")
        else:
            against = f", against {n} similar listings." if n else "."
            lines.append(f"Suggested price: {low} – {high}{against}")
    blocked: list[str] = f.get("blocked", [])
    if blocked:
        lines.append(
            ("Chưa đăng được: còn thiếu " if vi else "Not published yet: still missing ")
            + ", ".join(blocked)
            + "."
        )
    elif missing:
        lines.append(("Bạn cho mình thêm: " if vi else "Please add: ") + ", ".join(missing) + ".")
    if not blocked:
        ready = 'Khi xong, gõ "đăng luôn" để đăng tin.'
        lines.append(ready if vi else 'When ready, say "publish" to post it.')
    return " ".join(lines)


def _smalltalk(req: AnswerRequest) -> str:
    if req.language == "vi":
        return (
            "Chào bạn! Mình là REE, trợ lý bất động sản: tìm nhà theo khu vực, giá, số phòng; "
            "so sánh các căn; ước tính giá và xem giá thị trường. Bạn đang tìm gì?"
        )
    return (
        "Hi! I'm REE, a real-estate assistant for Vietnam: I find listings by area, price and "
        "rooms, compare them, estimate prices and show market figures. What are you looking for?"
    )


def _out_of_scope(req: AnswerRequest) -> str:
    if req.language == "vi":
        return "Xin lỗi, mình chỉ hỗ trợ về bất động sản: tìm, so sánh, định giá nhà đất."
    return "Sorry, I can only help with real estate: finding, comparing and pricing property."


def _no_reference(lang: Language) -> str:
    if lang == "vi":
        return 'Mình chưa rõ bạn hỏi căn nào; hãy tìm kiếm trước rồi hỏi "căn thứ 2" chẳng hạn.'
    return 'I am not sure which listing you mean; search first, then ask about "the 2nd one".'


_COMPOSERS: dict[Intent, Callable[[AnswerRequest], str]] = {
    Intent.SEARCH: _search,
    Intent.REFINE: _search,
    Intent.LISTING_DETAIL: _detail,
    Intent.COMPARE: _compare,
    Intent.MARKET: _market,
    Intent.VALUATION: _valuation,
    Intent.POST_LISTING: _post,
    Intent.SMALLTALK: _smalltalk,
    Intent.OUT_OF_SCOPE: _out_of_scope,
}


class ExtractiveComposer:
    """Tier `extractive`: grounded answers from templates over the request's own facts."""

    name = "extractive"
    model = "ree-extractive-1"

    def generate(self, request: AnswerRequest) -> str:
        if request.facts.get("clarify"):
            return _clarify(request)
        return _COMPOSERS[request.intent](request)
