"""The understanding assist end to end: a real llama.cpp server rewrites, the rules re-read,
and only what the message states is kept (whatever the small base model writes)."""

from __future__ import annotations

import asyncio

import pytest

from ree.chat.assist import GatewayAssistModel, UnderstandAssist, grounded, wanted
from ree.chat.understand import understand
from ree.llm import Gateway
from ree.llm.dispatch import GatewayConfig, TierSpec
from ree.llm.providers import Deployment

MESSAGES = [
    "em kiếm căn nào xinh xinh cho vợ chồng son, tầm hai tỉ rưỡi đổ lại",
    "nha minh co 4 nguoi, can cho o rong rai o go vap, tai chinh tam 5 ty",
    "ai co nha ban o thu duc khong, dien tich tam 60 met, hai phong ngu",
    "mình cần tìm chỗ ở cho gia đình gần chỗ làm ở quận ba, ưu tiên yên tĩnh",
]


@pytest.fixture(scope="module")
def assist(llama_url: str) -> UnderstandAssist:
    dep = Deployment(
        name="local-a",
        provider="openai-compatible",
        model="gemma3-270m",
        api_base=llama_url,
        timeout_s=60.0,
    )
    config = GatewayConfig(tiers=[TierSpec(name="local", style="fewshot", deployments=[dep])])
    return UnderstandAssist(GatewayAssistModel(Gateway.from_config(config)))


@pytest.mark.parametrize("message", MESSAGES)
def test_a_real_model_rewrite_adds_only_grounded_constraints(
    assist: UnderstandAssist, message: str
) -> None:
    rules = understand(message)
    assert wanted(message, rules)
    out = asyncio.run(assist.improve(message, None, rules))
    assert out.used and out.rewrite, "the local tier answered"
    before = rules.filters.model_dump()
    after = out.understanding.filters.model_dump()
    for key, value in after.items():
        old = before.get(key)
        if value == old or value is None:
            continue
        assert old is None or isinstance(value, list), f"{key} overridden: {old} -> {value}"
        new = [v for v in value if v not in (old or [])] if isinstance(value, list) else [value]
        for v in new:
            assert grounded(message, key, v, after), (message, out.rewrite, key, v)
    assert all(k.split("=")[0] in after for k in out.kept)
