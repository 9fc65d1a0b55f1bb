"""The dev files scored end to end (looser bars than the targets, so CI stays stable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ree.chat.evaluate import evaluate_understanding, main

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def report() -> dict[str, object]:
    queries = DATA / "queries-dev.jsonl"
    if not queries.exists():
        pytest.skip(f"{queries} is absent: the labelled dev files live outside the repo")
    return evaluate_understanding(queries, DATA / "conversations-dev.jsonl")


def test_dev_scores(report: dict[str, dict[str, float]]) -> None:
    for part in ("queries", "conversations", "total"):
        assert report[part]["intent_accuracy"] >= 0.9, part
        assert report[part]["exact_match"] >= 0.8, part


def test_report_shape(report: dict[str, dict[str, object]]) -> None:
    assert report["queries"]["items"] == 150
    fields = report["total"]["fields"]
    assert isinstance(fields, dict) and "districts" in fields
    assert set(fields["districts"]) == {"precision", "recall", "support"}


def test_runner(capsys: pytest.CaptureFixture[str]) -> None:
    if not (DATA / "queries-dev.jsonl").exists():
        pytest.skip("dev files absent")
    assert main([str(DATA)]) == 0
    assert "total" in capsys.readouterr().out
    assert main(["/nonexistent"]) == 2
