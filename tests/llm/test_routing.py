"""Routing: rules first, complexity score, and the share knob holding its target."""

from __future__ import annotations

import random

import pytest

from ree.llm.routing import ComplexityRouter, ShareCalibrator, Signals, complexity
from ree.models import Intent


def test_rules_send_obvious_intents_to_extractive() -> None:
    router = ComplexityRouter(["local", "remote"], {"remote": 1.0})
    for intent in (Intent.SEARCH, Intent.REFINE, Intent.SMALLTALK, Intent.OUT_OF_SCOPE):
        decision = router.decide(Signals(intent, "tại sao nên mua căn này? so sánh giúp"))
        assert decision.tier is None and decision.reason.startswith("rule:")


def test_reasoning_comparison_and_depth_raise_the_score() -> None:
    plain = complexity(Signals(Intent.MARKET, "giá căn hộ Quận 2"))
    reasoned = complexity(Signals(Intent.MARKET, "Tại sao giá căn hộ Quận 2 tăng, có nên đầu tư?"))
    assert reasoned > plain
    two = complexity(Signals(Intent.COMPARE, "so sánh", listings=2))
    four = complexity(Signals(Intent.COMPARE, "so sánh", listings=4, history_turns=6))
    assert four > two
    assert 0 <= plain <= 1 and complexity(Signals(None, "why " * 2000, 9, 99)) <= 1.0


@pytest.mark.parametrize("share", [0.1, 0.3, 0.6])
def test_the_knob_holds_the_target_share(share: float) -> None:
    rng = random.Random(4)
    router = ComplexityRouter(["local", "remote"], {"remote": share}, ShareCalibrator(warmup=50))
    words = ["giá", "tại sao", "so sánh", "có nên", "đầu tư", "Quận 7", "rủi ro", "căn hộ"]
    picked = []
    for _ in range(1500):
        text = " ".join(rng.choices(words, k=rng.randint(1, 12)))
        intent = rng.choice([Intent.COMPARE, Intent.MARKET, Intent.VALUATION])
        picked.append(router.decide(Signals(intent, text, rng.randint(0, 4), rng.randint(0, 8))))
    remote = sum(d.tier == "remote" for d in picked[200:]) / len(picked[200:])
    assert abs(remote - share) < 0.1, remote
    assert all(d.reason for d in picked)


def test_three_model_tiers_split_by_declared_shares() -> None:
    router = ComplexityRouter(["small", "mid", "big"], {"mid": 0.3, "big": 0.2})
    rng = random.Random(1)
    for _ in range(300):
        router.calibrator.observe(rng.random())
    tiers = {
        router.decide(Signals(Intent.MARKET, "x" * rng.randint(0, 9000))).tier for _ in range(60)
    }
    assert tiers <= {"small", "mid", "big"}
    assert router.calibrator.threshold(0.2) > router.calibrator.threshold(0.5)
    with pytest.raises(ValueError):
        ComplexityRouter(["a", "b"], {"b": 0.7, "a": 0.6})
