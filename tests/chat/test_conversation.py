"""Conversation rules: carry over, latest wins, add, replace, drop, switch, references."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ree.chat.state import next_state
from ree.chat.understand import Understanding, understand
from ree.models import ConversationState, Intent, PropertyType, Sort

B, M = 1_000_000_000, 1_000_000


class Chat:
    """Drives understand + next_state the way the turn handler does (listings are shown only
    for searches and refinements; other turns keep what was shown)."""

    def __init__(self) -> None:
        self.state: ConversationState | None = None

    def say(
        self,
        message: str,
        prices: list[int | None] | None = None,
        areas: list[float | None] | None = None,
    ) -> Understanding:
        u = understand(message, self.state)
        if u.intent not in (Intent.SEARCH, Intent.REFINE) and self.state is not None:
            old = self.state
            self.state = next_state(old, u, old.shown_ids, old.shown_prices, old.shown_areas)
            return u
        prices = prices or []
        ids = [f"demo:{i}" for i in range(len(prices or areas or []))]
        self.state = next_state(self.state, u, ids, prices, areas or [None] * len(prices))
        return u


def test_refine_cheaper_then_another_district() -> None:
    chat = Chat()
    first = chat.say("căn hộ quận 7 2pn dưới 4 tỷ", prices=[3_800 * M, 3_450 * M, 3_900 * M])
    assert first.intent == Intent.SEARCH
    cheaper = chat.say("rẻ hơn chút", prices=[3_200 * M, 3_100 * M])
    assert cheaper.intent == Intent.REFINE
    assert cheaper.relative == ["cheaper"]
    assert cheaper.filters.price_max is not None and cheaper.filters.price_max < 3_450 * M
    assert cheaper.filters.districts == ["Quận 7"] and cheaper.filters.bedrooms_min == 2
    moved = chat.say("còn ở Bình Thạnh thì sao?")
    assert moved.intent == Intent.REFINE
    assert moved.filters.districts == ["Bình Thạnh"]
    assert moved.filters.property_types == ["apartment"]
    assert moved.filters.price_max == cheaper.filters.price_max


def test_cheaper_without_shown_prices_lowers_the_previous_cap() -> None:
    chat = Chat()
    chat.say("nhà gò vấp dưới 8 tỷ")
    u = chat.say("có căn nào rẻ hơn không")
    assert u.intent == Intent.REFINE
    assert u.filters.price_max == 7_200 * M


def test_larger_sets_area_min_above_what_was_shown() -> None:
    chat = Chat()
    chat.say("căn hộ thủ đức 2pn", prices=[3 * B, 3 * B], areas=[68.0, 72.5])
    u = chat.say("rộng hơn được không")
    assert u.relative == ["larger"]
    assert u.filters.area_min is not None and u.filters.area_min > 72.5


def test_drop_a_constraint() -> None:
    chat = Chat()
    chat.say("căn hộ cầu giấy 3 phòng ngủ dưới 6 tỷ")
    u = chat.say("bỏ điều kiện phòng ngủ")
    assert u.intent == Intent.REFINE
    assert u.filters.bedrooms_min is None and u.filters.bedrooms_max is None
    assert set(u.dropped) == {"bedrooms_min", "bedrooms_max"}
    assert u.filters.price_max == 6 * B
    no_cap = chat.say("giá nào cũng được")
    assert no_cap.filters.price_max is None
    assert no_cap.filters.districts == ["Cầu Giấy"]


def test_negated_feature_is_removed() -> None:
    chat = Chat()
    chat.say("căn hộ quận 4 có hồ bơi và gym")
    u = chat.say("không cần hồ bơi nữa")
    assert u.filters.features == ["gym"]


def test_correction_replaces_the_district() -> None:
    chat = Chat()
    chat.say("nhà phố quận 3 dưới 15 tỷ")
    u = chat.say("à nhầm, quận 10 chứ")
    assert u.intent == Intent.REFINE
    assert u.filters.districts == ["Quận 10"]
    assert u.filters.price_max == 15 * B


@pytest.mark.parametrize(
    ("first", "correction", "want"),
    [
        ("nhà phố quận 3 dưới 15 tỷ", "à nhầm, quận 10 chứ không phải quận 3", ["Quận 10"]),
        ("chung cư hoàng mai 2pn", "xin lỗi, thanh xuân chứ không phải hoàng mai", ["Thanh Xuân"]),
        ("flats in district 4", "sorry, District 8 instead of District 4", ["Quận 8"]),
        ("nhà bình thạnh 5 tỷ", "không phải bình thạnh mà là phú nhuận", ["Phú Nhuận"]),
    ],
)
def test_a_correction_naming_the_wrong_place_keeps_only_the_right_one(
    first: str, correction: str, want: list[str]
) -> None:
    chat = Chat()
    chat.say(first)
    u = chat.say(correction)
    assert u.intent == Intent.REFINE
    assert u.filters.districts == want


def test_add_a_district() -> None:
    chat = Chat()
    chat.say("căn hộ cầu giấy 3pn")
    u = chat.say("thêm cả Đống Đa nữa")
    assert u.filters.districts == ["Cầu Giấy", "Đống Đa"]
    assert u.filters.province == "Hà Nội"


def test_switching_sale_to_rent_drops_the_price() -> None:
    chat = Chat()
    chat.say("mua căn hộ quận 2 tầm 5 tỷ")
    u = chat.say("nếu thuê thì sao")
    assert u.filters.transaction == "rent"
    assert u.filters.price_min is None and u.filters.price_max is None
    assert u.filters.districts == ["Quận 2"]


def test_a_complete_new_request_resets() -> None:
    chat = Chat()
    chat.say("căn hộ quận 7 2pn dưới 4 tỷ có hồ bơi")
    u = chat.say("thôi, tìm biệt thự quận 2")
    assert u.intent == Intent.SEARCH
    assert u.filters.constrained() == {
        "property_types": ["villa"],
        "province": "Hồ Chí Minh",
        "districts": ["Quận 2"],
    }


def test_references_keep_the_filters() -> None:
    chat = Chat()
    first = chat.say("căn hộ quận 7 dưới 5 tỷ", prices=[4 * B, 3 * B, 4_500 * M])
    detail = chat.say("căn thứ 2 có sổ hồng không?")
    assert detail.intent == Intent.LISTING_DETAIL
    assert detail.refers_to == [2]
    assert detail.filters == first.filters
    cheapest = chat.say("căn rẻ nhất có ban công không")
    assert cheapest.refers_to == [2]
    compare = chat.say("so sánh căn 1 với căn 3")
    assert compare.intent == Intent.COMPARE and compare.refers_to == [1, 3]
    assert compare.filters == first.filters


def test_small_talk_in_the_middle_keeps_the_search() -> None:
    chat = Chat()
    chat.say("nhà hẻm xe hơi tân bình dưới 9 tỷ")
    thanks = chat.say("cảm ơn bạn")
    assert thanks.intent == Intent.SMALLTALK
    assert thanks.filters.districts == ["Tân Bình"]
    again = chat.say("3 phòng ngủ trở lên")
    assert again.intent == Intent.REFINE
    assert again.filters.bedrooms_min == 3 and again.filters.features == ["car_alley"]


def test_posting_flow_builds_an_exact_draft() -> None:
    chat = Chat()
    first = chat.say("tôi muốn bán căn hộ ở quận 7")
    assert first.intent == Intent.POST_LISTING
    chat.say("2 phòng ngủ, 70m2")
    priced = chat.say("giá 4 tỷ 2, sổ hồng")
    assert priced.intent == Intent.POST_LISTING
    assert priced.filters.constrained() == {
        "transaction": "sale",
        "property_types": ["apartment"],
        "province": "Hồ Chí Minh",
        "districts": ["Quận 7"],
        "price_min": 4_200 * M,
        "price_max": 4_200 * M,
        "area_min": 70.0,
        "area_max": 70.0,
        "bedrooms_min": 2,
        "bedrooms_max": 2,
        "legal": ["pink_book"],
    }
    done = chat.say("ok đăng luôn")
    assert done.intent == Intent.POST_LISTING
    assert done.filters == priced.filters
    assert chat.state is not None and chat.state.draft == priced.filters.constrained()


def test_market_follow_up_replaces_the_district() -> None:
    chat = Chat()
    chat.say("giá thuê căn hộ 1pn quận 1 trung bình bao nhiêu")
    u = chat.say("còn quận 3 thì sao")
    assert u.intent == Intent.MARKET
    assert u.filters.districts == ["Quận 3"] and u.filters.bedrooms_min == 1
    both = chat.say("so với quận 5")
    assert both.filters.districts == ["Quận 3", "Quận 5"]


def test_language_follows_the_user() -> None:
    chat = Chat()
    assert chat.say("Looking for a house in District 7").language == "en"
    assert chat.say("ok").language == "en"
    assert chat.say("còn quận 8 thì sao").language == "vi"


def test_next_state_records_what_was_shown() -> None:
    u = understand("căn hộ quận 7")
    state = next_state(None, u, ["a:1", "a:2"], [3 * B, None], [70.0, None])
    assert state.shown_ids == ["a:1", "a:2"]
    assert state.shown_prices == [3 * B, None]
    assert state.last_intent == Intent.SEARCH
    assert state.filters == u.filters
    hello = understand("xin chào", state)
    after = next_state(state, hello, state.shown_ids, state.shown_prices, state.shown_areas)
    assert after.last_intent == Intent.SEARCH  # small talk does not change the mode


def test_an_english_conversation() -> None:
    chat = Chat()
    chat.say("2 bedroom apartments in District 7 under 4 billion")
    assert chat.say("show me cheaper ones").filters.price_max == 3_600 * M
    assert chat.say("drop the price limit").filters.price_max is None
    assert chat.say("remove the bedroom filter").filters.bedrooms_min is None
    assert chat.say("in District 3 instead").filters.districts == ["Quận 3"]
    assert chat.say("also District 4").filters.districts == ["Quận 3", "Quận 4"]
    renting = chat.say("what about renting?")
    assert renting.filters.transaction == "rent" and renting.filters.price_max is None
    compare = chat.say("compare 1 and 3")
    assert compare.intent == Intent.COMPARE and compare.refers_to == [1, 3]


def test_removing_a_feature_and_unkeyed_details() -> None:
    chat = Chat()
    chat.say("nhà phố quận 3 dưới 20 tỷ có thang máy và hẻm xe hơi")
    floors = chat.say("3 tầng trở lên")
    assert floors.intent == Intent.REFINE  # floors have no key: nothing changes
    assert floors.filters.features == ["elevator", "car_alley"]
    assert chat.say("bỏ thang máy").filters.features == ["car_alley"]
    assert chat.say("thêm hướng nam").filters.directions == ["south"]


CONVERSATIONS = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "conversations.jsonl")
    .read_text("utf-8")
    .splitlines()
    if line
]


@pytest.mark.parametrize("conv", CONVERSATIONS, ids=[c["id"] for c in CONVERSATIONS])
def test_conversations_from_file(conv: dict[str, Any]) -> None:
    """Whole conversations written for these tests: the effective state after every turn."""
    state: ConversationState | None = None
    for turn in conv["turns"]:
        u = understand(turn["message"], state)
        assert (u.intent.value, u.filters.constrained()) == (turn["intent"], turn["filters"]), turn
        assert u.refers_to == turn.get("refers_to", [])
        assert u.relative == turn.get("relative", [])
        state = next_state(state, u, [], [], [])


def test_a_price_question_inside_a_draft_stays_with_the_draft() -> None:
    chat = Chat()
    chat.say("mình muốn bán căn hộ 2PN Quận 8 70m2")
    assert chat.say("giá bao nhiêu thì hợp lý?").intent == Intent.POST_LISTING


def test_an_english_fairness_question_on_a_shown_listing_is_a_valuation() -> None:
    chat = Chat()
    chat.say("apartments in District 7 under 4 billion")
    assert chat.say("Is the second one fairly priced?").intent == Intent.VALUATION


def test_a_market_question_about_the_current_area_keeps_the_state() -> None:
    chat = Chat()
    chat.say("đất Đà Lạt dưới 3 tỷ", prices=[2_800 * M, 2_500 * M])
    u = chat.say("đất Đà Lạt mấy năm nay có lên giá không")
    assert u.intent == Intent.MARKET
    assert u.filters.price_max == 3 * B and u.filters.property_types == [PropertyType.LAND]
    other = chat.say("còn giá nhà ở Bảo Lộc thì sao")
    assert other.intent == Intent.MARKET and other.filters.districts != u.filters.districts


def test_a_type_that_is_also_fine_is_added() -> None:
    chat = Chat()
    chat.say("biệt thự Quận 9 dưới 30 tỷ", prices=[25 * B, 28 * B])
    u = chat.say("nhà liền kề cũng được")
    assert u.intent == Intent.REFINE
    assert u.filters.property_types == [PropertyType.VILLA, PropertyType.TOWNHOUSE]
    lifted = chat.say("giá bao nhiêu cũng được")
    assert lifted.filters.price_max is None


def test_two_shown_listings_weighed_against_each_other_are_a_comparison() -> None:
    chat = Chat()
    chat.say("căn hộ Quận 2 3PN", prices=[7 * B, 8 * B, 9 * B])
    assert chat.say("căn 2 và căn 3 căn nào đáng mua hơn").intent == Intent.COMPARE
    assert chat.say("căn thứ 2 có đáng tiền không").intent == Intent.VALUATION


def test_newest_posted_first_is_a_sort_not_a_seller() -> None:
    chat = Chat()
    chat.say("phòng trọ Thủ Đức dưới 4 triệu", prices=[3 * M, 3_500 * M])
    u = chat.say("cho tin mới đăng lên trước nhé")
    assert u.intent == Intent.REFINE and u.filters.sort == Sort.NEWEST
    assert u.filters.districts == ["Thủ Đức"]


def test_a_wish_no_filter_holds_is_a_refinement_that_keeps_the_search() -> None:
    chat = Chat()
    first = chat.say("nhà vườn Bảo Lộc dưới 2 tỷ", prices=[1_800 * M])
    u = chat.say("gần suối thì càng tốt")
    assert u.intent == Intent.REFINE and u.filters == first.filters


def test_a_room_count_that_is_also_fine_widens_the_range() -> None:
    chat = Chat()
    chat.say("căn hộ 3PN Quận 7 dưới 6 tỷ", prices=[5_500 * M])
    u = chat.say("2 phòng ngủ cũng được")
    assert (u.filters.bedrooms_min, u.filters.bedrooms_max) == (2, 3)
    assert u.filters.price_max == 6 * B


def test_a_market_comparison_with_another_district_keeps_the_search() -> None:
    chat = Chat()
    chat.say("nhà hẻm xe hơi Tân Bình dưới 8 tỷ", prices=[7 * B])
    u = chat.say("giá nhà Tân Bình so với Tân Phú chênh nhau bao nhiêu")
    assert u.intent == Intent.MARKET
    assert u.filters.districts == ["Tân Bình", "Tân Phú"]
    assert u.filters.price_max == 8 * B and u.filters.features is not None


def test_dropping_the_street_front_keeps_the_budget() -> None:
    chat = Chat()
    chat.say("cho thuê mặt bằng Quận 3 tầm 40 triệu", prices=[38 * M, 42 * M])
    u = chat.say("không cần mặt tiền")
    assert (u.filters.price_min, u.filters.price_max) == (36 * M, 44 * M)


def test_a_pasted_listing_asked_about_with_nothing_shown_is_the_subject() -> None:
    u = Chat().say(
        "Bán nhà hẻm 4x12m Quận 8, sổ hồng, giá 3,9 tỷ — tin này giá vậy có bị hớ không?"
    )
    assert u.intent == Intent.VALUATION
    assert u.filters.price_min == u.filters.price_max == 3_900 * M
    assert u.filters.districts == ["Quận 8"]


def test_a_corrected_budget_replaces_an_approximate_one() -> None:
    chat = Chat()
    first = chat.say("căn hộ Quận 8 khoảng 2 tỷ", prices=[2 * B])
    assert (first.filters.price_min, first.filters.price_max) == (1_800 * M, 2_200 * M)
    u = chat.say("à nhầm, ngân sách 3 tỷ")
    assert (u.filters.price_min, u.filters.price_max) == (None, 3 * B)
    narrowed = Chat()
    narrowed.say("căn hộ Quận 8 dưới 4 tỷ", prices=[3 * B])
    assert narrowed.say("trên 2 tỷ").filters.price_max == 4 * B  # two bounds: narrowed


def test_a_seller_describing_the_property_stays_on_the_draft() -> None:
    chat = Chat()
    assert chat.say("mình muốn bán nhà").intent == Intent.POST_LISTING
    described = chat.say("nhà hẻm xe hơi Tân Bình, 4x15, 3 tầng")
    assert described.intent == Intent.POST_LISTING
    assert described.filters.districts == ["Tân Bình"]
    priced = chat.say("giá tầm 7 tỷ")
    assert priced.intent == Intent.POST_LISTING
    assert priced.filters.price_min == priced.filters.price_max == 7 * B  # a draft's price
    assert chat.say("ok đăng luôn").intent == Intent.POST_LISTING
    new = chat.say("thôi, tìm giúp mình căn hộ Quận 7 dưới 3 tỷ")
    assert new.intent == Intent.SEARCH


def test_a_bare_amount_correcting_a_cap_is_the_new_cap() -> None:
    chat = Chat()
    chat.say("nhà hẻm Bình Tân dưới 3 tỷ", prices=[2_900 * M])
    u = chat.say("à mình nhầm, 4 tỷ")
    assert (u.filters.price_min, u.filters.price_max) == (None, 4 * B)
    switched = Chat()
    switched.say("bán nhà phố Quận 12 dưới 6 tỷ", prices=[5 * B])
    rent = switched.say("thôi thuê thì sao, tầm 12 triệu")
    assert (rent.filters.price_min, rent.filters.price_max) == (10_800_000, 13_200_000)


def test_an_explicit_range_is_narrowed_not_replaced() -> None:
    chat = Chat()
    chat.say("cho thuê căn hộ quận 7 từ 18 đến 22 triệu", prices=[20 * M])
    u = chat.say("dưới 20 triệu thôi")
    assert (u.filters.price_min, u.filters.price_max) == (18 * M, 20 * M)


def test_a_room_count_beside_another_addition_replaces() -> None:
    chat = Chat()
    chat.say("căn hộ 2PN Quận 2", prices=[5 * B])
    u = chat.say("thêm hồ bơi, 3 phòng ngủ")
    assert (u.filters.bedrooms_min, u.filters.bedrooms_max) == (3, 3)


def test_a_property_valued_then_posted_is_the_draft() -> None:
    chat = Chat()
    valued = chat.say("căn nhà của tôi ở Thủ Đức, 5x16, 2 lầu, sổ hồng, bán giờ được tầm bao nhiêu")
    assert valued.intent == Intent.VALUATION
    assert valued.filters.area_min == valued.filters.area_max == 80
    market = chat.say("nhà ở Thủ Đức dạo này trung bình bao nhiêu một m2?")
    assert market.intent == Intent.MARKET
    posted = chat.say("thôi được rồi, đăng bán giúp tôi giá 7 tỷ 2")
    assert posted.intent == Intent.POST_LISTING
    assert posted.filters.districts == ["Thủ Đức"]
    assert posted.filters.area_min == 80
    assert posted.filters.legal == ["pink_book"]
    assert posted.filters.price_min == posted.filters.price_max == 7_200 * M
    # a search in between forgets the valued property
    other = Chat()
    other.say("nhà tôi ở Gò Vấp 4x15 bán được bao nhiêu")
    other.say("tìm căn hộ Quận 7 dưới 3 tỷ", prices=[2_900 * M])
    assert other.say("mình muốn đăng tin bán nhà").filters.districts is None


def test_a_correction_names_the_wrong_amount_and_the_right_one() -> None:
    chat = Chat()
    chat.say("căn hộ Hải Châu dưới 2 tỷ", prices=[1_900 * M])
    u = chat.say("xin lỗi, ngân sách của mình là 3 tỷ chứ không phải 2 tỷ")
    assert (u.filters.price_min, u.filters.price_max) == (None, 3 * B)


def test_no_longer_needing_a_room_count_drops_it() -> None:
    chat = Chat()
    chat.say("chung cư Sơn Trà 3pn", prices=[3 * B])
    u = chat.say("ko can 3pn nua")
    assert (u.filters.bedrooms_min, u.filters.bedrooms_max) == (None, None)
    assert u.filters.districts == ["Sơn Trà"]


def test_a_fact_about_a_shown_listing_is_a_detail_question() -> None:
    chat = Chat()
    chat.say("cho thuê nhà nguyên căn Ninh Kiều", prices=[12 * M, 15 * M])
    assert chat.say("căn thứ 1 hiện đang cho thuê được bao nhiêu").intent == Intent.LISTING_DETAIL
    assert chat.say("căn 2 xe tải vào được không").intent == Intent.LISTING_DETAIL
    assert chat.say("căn 2 giá vậy được không").intent == Intent.VALUATION


def test_the_rooms_of_a_flat_being_posted_are_not_a_room_to_rent() -> None:
    chat = Chat()
    chat.say("mình cần cho thuê căn hộ 1pn ở Hoàng Mai giá 7 triệu")
    u = chat.say("phòng có đủ nội thất, tòa có thang máy")
    assert u.intent == Intent.POST_LISTING
    assert u.filters.property_types == [PropertyType.APARTMENT]


def test_somewhere_cheaper_refines_the_search() -> None:
    chat = Chat()
    chat.say("phòng trọ Đống Đa dưới 4 triệu", prices=[3_800_000, 3_500_000])
    u = chat.say("có chỗ nào rẻ hơn không")
    assert u.intent == Intent.REFINE
    assert u.filters.price_max is not None and u.filters.price_max < 3_500_000


def test_only_the_users_own_valued_property_becomes_the_draft() -> None:
    search_then_post = Chat()
    search_then_post.say("căn hộ 2pn Quận 7 dưới 4 tỷ", prices=[3_900 * M])
    search_then_post.say("giá này có hợp lý không")
    posted = search_then_post.say("mình muốn đăng tin bán nhà của mình")
    assert posted.filters.districts is None and posted.filters.price_max is None
    someone_elses = Chat()
    someone_elses.say("căn hộ Vinhomes Grand Park 2pn giá 3 tỷ có hợp lý không")
    assert someone_elses.say("mình cần cho thuê phòng trọ").filters.project is None
    named_again = Chat()
    named_again.say("căn hộ 2pn 70m2 Masteri An Phú thuê 18tr/tháng có thấp không")
    again = named_again.say("vậy mình cho thuê căn đó luôn, giá 19 triệu/tháng")
    assert again.filters.project == "Masteri An Phú"
    assert again.filters.price_min == again.filters.price_max == 19 * M


def test_a_second_room_count_replaces_the_one_not_needed() -> None:
    chat = Chat()
    chat.say("căn hộ Quận 7 3pn", prices=[4 * B])
    u = chat.say("không cần 3pn đâu, 2pn cũng được")
    assert (u.filters.bedrooms_min, u.filters.bedrooms_max) == (2, 2)


def test_a_room_asked_after_a_house_search_is_a_room() -> None:
    chat = Chat()
    chat.say("cho thuê nhà nguyên căn Đống Đa", prices=[12 * M])
    u = chat.say("có phòng nào tầm 3 triệu không")
    assert u.filters.property_types == [PropertyType.ROOM]


def test_only_the_place_of_the_only_clause_stays() -> None:
    chat = Chat()
    chat.say("căn hộ Ngũ Hành Sơn hoặc Sơn Trà 2pn", prices=[2 * B])
    u = chat.say("thôi chỉ Sơn Trà thôi, Ngũ Hành Sơn xa quá")
    assert u.filters.districts == ["Sơn Trà"]


def test_a_budget_asked_about_in_a_search_refines_it() -> None:
    chat = Chat()
    chat.say("thuê nhà nguyên căn Quận 7 3pn", prices=[20 * M])
    u = chat.say("nếu mua thì tầm 9 tỷ có được không")
    assert u.intent == Intent.REFINE
    assert u.filters.districts == ["Quận 7"]


def test_a_search_after_a_market_question_refines() -> None:
    chat = Chat()
    chat.say("giá căn hộ Cầu Giấy trung bình bao nhiêu 1m2")
    u = chat.say("thế thuê thì sao, tầm 12 triệu/tháng")
    assert u.intent == Intent.REFINE
    assert u.filters.transaction is not None and u.filters.price_max == 13_200_000


def test_a_valued_flat_is_posted_after_a_market_question() -> None:
    chat = Chat()
    chat.say("định giá giúp mình căn hộ 2PN 70m2 ở Royal City")
    chat.say("khu đó giá trung bình bao nhiêu 1m2")
    u = chat.say("ok vậy mình muốn đăng bán, giá 5 tỷ")
    assert u.intent == Intent.POST_LISTING
    assert u.filters.project == "Royal City" and u.filters.area_min == 70
    assert u.filters.price_min == u.filters.price_max == 5 * B


def test_a_bare_house_word_keeps_the_drafts_type() -> None:
    chat = Chat()
    chat.say("mình cần bán biệt thự Thủ Đức 200m2")
    u = chat.say("nhà có sổ hồng, hướng đông")
    assert u.filters.property_types == [PropertyType.VILLA]


def test_a_need_above_an_area_is_no_reference() -> None:
    chat = Chat()
    chat.say("tìm đất nền Đà Nẵng dưới 3 tỷ", prices=[2 * B])
    u = chat.say("à mình cần trên 120m2 nữa")
    assert u.intent == Intent.REFINE and u.filters.area_min == 120


def test_a_name_several_provinces_share_is_read_in_the_conversations() -> None:
    chat = Chat()
    chat.say("tìm phòng trọ Hai Bà Trưng Hà Nội dưới 3 triệu", prices=[2_500_000])
    u = chat.say("còn gần ĐH Bách Khoa thì sao")
    assert u.filters.province == "Hà Nội" and u.filters.districts == ["Hai Bà Trưng"]
    alone = Chat().say("phòng trọ gần ĐH Bách Khoa Đà Nẵng")
    assert alone.filters.districts == ["Liên Chiểu"]


def test_any_room_count_drops_it_and_a_raised_cap_replaces_the_price() -> None:
    chat = Chat()
    chat.say("thuê căn hộ 2 phòng ngủ Ngũ Hành Sơn dưới 8 triệu")
    u = chat.say("số phòng ngủ mấy phòng cũng được nha")
    assert u.intent == Intent.REFINE
    assert u.filters.bedrooms_min is None and u.filters.bedrooms_max is None
    assert u.filters.property_types == ["apartment"]  # "mấy phòng" asks a count, not a room
    raised = chat.say("giá lên tới 10 triệu cũng được")
    assert (raised.filters.price_min, raised.filters.price_max) == (None, 10 * M)
    assert raised.filters.districts == ["Ngũ Hành Sơn"]


def test_the_first_one_bought_is_listing_one_only_once_listings_are_shown() -> None:
    chat = Chat()
    chat.say("căn hộ Quận 7 dưới 3 tỷ", prices=[2_900 * M, 2_800 * M])
    u = chat.say("ok mình mua căn đầu tiên")
    assert (u.intent, u.refers_to) == (Intent.LISTING_DETAIL, [1])
    fresh = understand("khu nào hợp cho vợ chồng trẻ mua căn đầu tiên ở Dĩ An")
    assert fresh.intent == Intent.MARKET and fresh.refers_to == []


def test_pets_are_a_wish_and_a_budget_is_a_cap() -> None:
    chat = Chat()
    chat.say("apartment for rent in Tây Hồ, 2BR")
    assert chat.say("it must allow a small dog").intent == Intent.REFINE
    u = chat.say("sorry, budget is 30 triệu")
    assert (u.filters.price_min, u.filters.price_max) == (None, 30 * M)


def test_asking_what_is_missing_stays_in_the_draft() -> None:
    chat = Chat()
    chat.say("tôi muốn cho thuê căn hộ 1PN ở Cầu Giấy giá 8 triệu")
    assert chat.say("thiếu thông tin gì nữa không?").intent == Intent.POST_LISTING


def test_a_negotiable_floor_and_another_area_added() -> None:
    chat = Chat()
    chat.say("tôi muốn bán lô đất 100m2 ở Long Thành")
    u = chat.say("giá 2 tỷ 8, thương lượng được xuống 2 tỷ 6")
    assert (u.filters.price_min, u.filters.price_max) == (2_600 * M, 2_800 * M)
    other = Chat()
    other.say("kho xưởng Biên Hòa 1000m2")
    more = other.say("xem thêm bên Nhơn Trạch")
    assert more.filters.districts == ["Biên Hòa", "Nhơn Trạch"]


def test_a_part_of_the_draft_and_the_owner_named_stay_in_the_draft() -> None:
    chat = Chat()
    chat.say("cần cho thuê kho 3000m2 ở Bến Lức")
    u = chat.say("có văn phòng, trạm điện riêng, xe container vào tận nơi")
    assert u.intent == Intent.POST_LISTING and u.filters.property_types == ["warehouse"]
    assert chat.say("chủ nhà là tôi").intent == Intent.POST_LISTING


def test_another_district_also_fine_is_added_and_one_named_is_dropped() -> None:
    chat = Chat()
    chat.say("nhà Ngô Quyền Hải Phòng dưới 3 tỷ")
    assert chat.say("hoặc Lê Chân cũng được").filters.districts == ["Ngô Quyền", "Lê Chân"]
    other = Chat()
    other.say("căn hộ quận 2 quận 9 có hồ bơi ban công")
    assert other.say("bỏ luôn điều kiện ban công").filters.features == ["pool"]
    assert other.say("bỏ quận 9").filters.districts == ["Quận 2"]
    assert other.say("thêm Bình Thạnh").filters.districts == ["Quận 2", "Bình Thạnh"]


def test_the_plot_of_the_home_sought_is_no_land() -> None:
    chat = Chat()
    chat.say("cho thuê nhà nguyên căn Cầu Giấy")
    u = chat.say("3 tầng, 4 phòng ngủ, dt đất 50m2")
    assert u.filters.property_types == ["house"]


def test_short_follow_ups_drop_and_particles() -> None:
    chat = Chat()
    chat.say("thue can ho q7 1pn")
    assert chat.say("full do nha").filters.property_types == ["apartment"]
    u = chat.say("bo dk 1pn")
    assert u.filters.bedrooms_min is None and u.filters.bedrooms_max is None


def test_drops_and_additions_keep_to_their_clause() -> None:
    chat = Chat()
    chat.say("căn hộ quận 7 quận 9 dưới 4 tỷ")
    assert chat.say("bỏ quận 9, thêm quận 2").filters.districts == ["Quận 7", "Quận 2"]
    only = Chat()
    only.say("căn hộ quận 7 quận 9 dưới 4 tỷ")
    assert only.say("bỏ quận 9, chỉ quận 7 thôi").filters.districts == ["Quận 7"]
    moved = Chat()
    moved.say("căn hộ quận 7 dưới 4 tỷ")
    assert moved.say("qua quận 2 đi, xa chút cũng được").filters.districts == ["Quận 2"]
    price = Chat()
    price.say("căn hộ quận 7 3pn dưới 4 tỷ")
    assert price.say("giá, bỏ đi").filters.price_max is None
    land = Chat()
    land.say("nhà phố gò vấp dưới 6 tỷ")
    assert land.say("thôi tìm đất nền, diện tích đất 100m2").filters.property_types == ["land"]


def test_an_asking_price_with_its_lowest() -> None:
    chat = Chat()
    chat.say("tôi muốn bán nhà Gò Vấp 4x15")
    u = chat.say("giá 6 tỷ 8, thấp nhất 6 tỷ 5")
    assert (u.filters.price_min, u.filters.price_max) == (6_500 * M, 6_800 * M)
