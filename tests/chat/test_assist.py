"""The understanding assist: only what the message itself states survives a model rewrite.

The grounding rules and the merge are pure, so they are tested with rewrites written here
(what a model might answer, right or wrong); the whole path through a real llama.cpp server
is in tests/llm/test_understand_assist.py.
"""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ree.chat.assist import (
    AssistResult,
    GatewayAssistModel,
    UnderstandAssist,
    grounded,
    merge,
    wanted,
)
from ree.chat.understand import Understanding, understand
from ree.llm.openai_http import aclose_pools
from ree.models import Intent

GROUNDED = [
    ("can ho hai ngu o q bay tam ba ty ruoi", "bedrooms_min", 2, True),
    ("can ho hai ngu o q bay tam ba ty ruoi", "price_max", 3_850_000_000, True),
    ("can ho hai ngu o q bay tam ba ty ruoi", "price_max", 4_000_000_000, False),
    ("can ho hai ngu o q bay tam ba ty ruoi", "districts", "Quận 7", True),
    ("can ho hai ngu o q bay tam ba ty ruoi", "districts", "Quận 2", False),
    ("nha go vap 1 ty 2", "price_max", 1_200_000_000, True),
    ("nha go vap 1 ty 2", "price_max", 2_000_000_000, False),
    ("kiem nha gan benh vien, dt tam 60 met vuong", "area_min", 54, True),
    ("kiem nha gan benh vien, dt tam 60 met vuong", "area_min", 80, False),
    ("phong tro binh thanh co ho boi", "features", "pool", True),
    ("phong tro binh thanh", "features", "pool", False),
    ("phong tro binh thnah", "districts", "Bình Thạnh", True),
    ("phong tro binh thanh", "districts", "Gò Vấp", False),
    ("muon thue can ho", "transaction", "rent", True),
    ("muon thue can ho", "transaction", "sale", False),
    ("muon thue can ho", "property_types", "apartment", True),
    ("muon thue can ho", "property_types", "villa", False),
    ("nha huong dong nam", "directions", "south_east", True),
    ("nha huong dong nam", "directions", "north", False),
    ("nha so hong rieng", "legal", "pink_book", True),
    ("nha so hong rieng", "legal", "red_book", False),
]


@pytest.mark.parametrize(("message", "key", "value", "expected"), GROUNDED)
def test_grounding_accepts_only_what_the_message_states(
    message: str, key: str, value: object, expected: bool
) -> None:
    assert grounded(message, key, value) is expected


def test_a_province_follows_from_a_grounded_district() -> None:
    assert grounded("nha q bay", "province", "Hồ Chí Minh", {"districts": ["Quận 7"]})
    assert not grounded("nha q bay", "province", "Hà Nội", {"districts": ["Quận 7"]})


def test_merge_keeps_grounded_constraints_and_refuses_invented_ones() -> None:
    message = "kiem can ho hai ngu o q bay"
    rules = understand(message)
    rewrite = "căn hộ 2 phòng ngủ Quận 7 dưới 5 tỷ có hồ bơi"  # price and pool are invented
    result = merge(message, rules, understand(rewrite), rewrite)
    f = result.understanding.filters
    assert f.districts == ["Quận 7"] and f.province == "Hồ Chí Minh"
    assert f.bedrooms_min == 2 and f.property_types == ["apartment"]
    assert f.price_max is None and not f.features
    assert any(r.startswith("price_max") for r in result.refused)
    assert any(r.startswith("features") for r in result.refused)


def test_merge_never_overrides_or_removes_what_the_rules_read() -> None:
    message = "căn hộ Quận 7 dưới 3 tỷ mà phải thật là xịn xò nha bạn"
    rules = understand(message)
    rewrite = "căn hộ Quận 2 dưới 7 tỷ"
    result = merge(message, rules, understand(rewrite), rewrite)
    f = result.understanding.filters
    assert f.price_max == rules.filters.price_max == 3_000_000_000
    assert f.districts == ["Quận 7"]


def test_an_out_of_scope_reading_becomes_a_search_only_with_a_grounded_constraint() -> None:
    message = "kiem gium cai can ho o q bay nha"
    rules = understand(message)
    good = merge(message, rules, understand("căn hộ Quận 7"), "căn hộ Quận 7")
    assert good.understanding.filters.districts == ["Quận 7"]
    assert good.understanding.intent in (Intent.SEARCH, rules.intent)
    bad = merge(
        "thời tiết hôm nay thế nào bạn ơi",
        understand("thời tiết hôm nay thế nào bạn ơi"),
        understand("căn hộ Quận 7"),
        "căn hộ Quận 7",
    )
    assert not bad.used or not bad.understanding.filters.districts


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Tìm căn hộ 2PN Quận 7 dưới 4 tỷ", False),  # the rules read it all
        ("cảm ơn", False),
        ("kiem gium cai chung cu o khu quan bay gan pmh nha ban", False),  # all read
        ("nha minh co 4 nguoi, can cho o rong rai o go vap, tai chinh tam 5 ty", True),
        ("mình cần tìm chỗ ở cho gia đình gần chỗ làm, ưu tiên yên tĩnh thoáng mát", True),
    ],
)
def test_the_assist_is_asked_only_when_the_rules_leave_words_unread(
    message: str, expected: bool
) -> None:
    assert wanted(message, understand(message)) is expected


def _dead_gateway_assist() -> UnderstandAssist:
    """The assist over a real gateway whose only model deployment is a closed port."""
    from ree.llm import Gateway
    from ree.llm.dispatch import GatewayConfig, TierSpec
    from ree.llm.llamacpp import free_port
    from ree.llm.providers import Deployment

    dead = Deployment(
        name="dead",
        provider="openai-compatible",
        model="gemma3-270m",
        api_base=f"http://127.0.0.1:{free_port()}/v1",
        timeout_s=2.0,
    )
    config = GatewayConfig(
        tiers=[TierSpec(name="local", style="fewshot", deployments=[dead])], retries=0
    )
    return UnderstandAssist(GatewayAssistModel(Gateway.from_config(config)))


def _improve(message: str, rules: Understanding) -> AssistResult:
    """Run the assist on a loop of its own and close that loop's HTTP session after."""

    async def run() -> AssistResult:
        try:
            return await _dead_gateway_assist().improve(message, None, rules)
        finally:
            await aclose_pools()

    return asyncio.run(run())


def test_a_failing_model_leaves_the_rules_reading() -> None:
    message = "ai co nha ban o thu duc khong, dien tich tam 60 met, hai phong ngu"
    rules = understand(message)
    assert wanted(message, rules)
    out = _improve(message, rules)
    assert out.understanding is rules and out.rewrite is None


def test_a_message_the_rules_read_never_reaches_the_model() -> None:
    message = "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ"
    out = _improve(message, understand(message))
    assert not out.used and out.rewrite is None


WORDS = ["căn hộ", "nhà", "Quận 7", "Quận 2", "Gò Vấp", "dưới", "trên", "tỷ", "triệu", "2PN",
         "3 phòng ngủ", "hồ bơi", "sổ hồng", "hướng đông", "thuê", "bán", "80m2", "5", "12",
         "3,5 tỷ", "Bình Thạnh", "Thủ Đức", "gần trường", "mặt tiền"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    message=st.lists(st.sampled_from([*WORDS, "kiem", "gium", "o", "khu", "nha ban"]), max_size=8),
    rewrite=st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
)
def test_whatever_the_model_says_every_new_value_is_grounded(
    message: list[str], rewrite: list[str]
) -> None:
    text, new = " ".join(message), " ".join(rewrite)
    rules = understand(text)
    out = merge(text, rules, understand(new), new).understanding.filters.model_dump()
    before = rules.filters.model_dump()
    for key, value in out.items():
        if value is None or value == before.get(key):
            continue
        values = value if isinstance(value, list) else [value]
        extra = (
            [v for v in values if v not in (before.get(key) or [])]
            if isinstance(value, list)
            else values
        )
        for v in extra:
            assert grounded(text, key, v, out), (text, new, key, v)
