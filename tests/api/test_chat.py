"""The chat endpoint through the real app: constraints honoured, refinement, language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ree.models import Filters, Listing
from ree.vi.vocab import detect_language


def chat(client: TestClient, message: str, conversation_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message}
    if conversation_id:
        body["conversation_id"] = conversation_id
    resp = client.post("/v1/chat", json=body)
    assert resp.status_code == 200, resp.text
    data: dict[str, Any] = resp.json()
    return data


def full_listings(client: TestClient, data: dict[str, Any]) -> list[Listing]:
    out = []
    for card in data["listings"]:
        resp = client.get(f"/v1/listings/{card['id']}")
        assert resp.status_code == 200
        out.append(Listing.model_validate(resp.json()))
    return out


SEARCHES = [
    ("Tìm căn hộ 2PN Quận 7 dưới 4 tỷ", {"districts": ["Quận 7"], "price_max": 4_000_000_000}),
    ("can ho 2pn q7 duoi 4ty", {"districts": ["Quận 7"], "bedrooms_min": 2}),
    ("nhà phố Gò Vấp dưới 15 tỷ", {"districts": ["Gò Vấp"]}),
    ("cho thuê căn hộ Quận 1 dưới 30 triệu", {"transaction": "rent"}),
    ("Find apartments in District 2 under 5 billion", {"price_max": 5_000_000_000}),
    ("chung cư Cầu Giấy 3 phòng ngủ", {"districts": ["Cầu Giấy"], "province": "Hà Nội"}),
    ("đất nền Bình Chánh", {"property_types": ["land"]}),
]


@pytest.mark.parametrize(("message", "expected"), SEARCHES)
def test_every_listing_honours_the_filters(
    client: TestClient, message: str, expected: dict[str, Any]
) -> None:
    data = chat(client, message)
    assert data["intent"] == "search"
    for key, value in expected.items():
        assert data["filters"][key] == value
    filters = Filters.model_validate(data["filters"])
    listings = full_listings(client, data)
    for listing in listings:
        assert filters.violations(listing) == [], (listing.id, filters)


def test_the_headline_question_finds_listings(client: TestClient) -> None:
    data = chat(client, "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ")
    assert data["listings"], data["answer"]
    assert data["filters"]["bedrooms_min"] == data["filters"]["bedrooms_max"] == 2
    assert data["filters"]["property_types"] == ["apartment"]
    assert set(data["timings_ms"]) >= {
        "understand",
        "retrieve",
        "history",
        "rerank",
        "generate",
        "verify",
        "total",
    }
    assert data["route"]["tier"] == "extractive"
    for card in data["listings"]:
        assert card["why"]
        assert card["district"] == "Quận 7"


def test_follow_ups_refine_the_previous_search(client: TestClient) -> None:
    first = chat(client, "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ")
    cid = first["conversation_id"]
    assert first["listings"]
    cheapest = min(c["price_vnd"] for c in first["listings"])

    cheaper = chat(client, "rẻ hơn chút", cid)
    assert cheaper["conversation_id"] == cid
    assert cheaper["intent"] == "refine"
    assert cheaper["filters"]["price_max"] < cheapest
    assert cheaper["filters"]["districts"] == ["Quận 7"]
    assert cheaper["filters"]["bedrooms_min"] == 2
    assert all(c["price_vnd"] < cheapest for c in cheaper["listings"])

    moved = chat(client, "còn ở Bình Thạnh thì sao?", cid)
    assert moved["intent"] == "refine"
    assert moved["filters"]["districts"] == ["Bình Thạnh"]
    assert moved["filters"]["property_types"] == ["apartment"]
    assert moved["filters"]["bedrooms_min"] == 2
    assert all(c["district"] == "Bình Thạnh" for c in moved["listings"])

    history = client.get(f"/v1/conversations/{cid}").json()
    assert [t["user_message"] for t in history["turns"]] == [
        "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ",
        "rẻ hơn chút",
        "còn ở Bình Thạnh thì sao?",
    ]


def test_a_reference_resolves_to_a_shown_listing(client: TestClient) -> None:
    first = chat(client, "căn hộ Quận 7 dưới 5 tỷ")
    assert len(first["listings"]) >= 2
    second_id = first["listings"][1]["id"]
    detail = chat(client, "căn thứ 2 có sổ hồng không?", first["conversation_id"])
    assert detail["intent"] == "listing_detail"
    assert [c["id"] for c in detail["listings"]] == [second_id]


def test_english_questions_get_english_answers(client: TestClient) -> None:
    en = chat(client, "Find apartments in District 7 under 5 billion")
    assert en["language"] == "en"
    assert detect_language(en["answer"]) == "en"
    assert "listing" in en["answer"].lower()
    vi = chat(client, "Tìm căn hộ Quận 7 dưới 5 tỷ")
    assert vi["language"] == "vi"
    assert detect_language(vi["answer"]) == "vi"


def test_a_question_without_constraints_asks_what_matters(client: TestClient) -> None:
    data = chat(client, "Tìm nhà đẹp")
    assert data["listings"] == []
    assert "?" in data["answer"]
    # a refinement of nothing, as a first message, asks too
    order = chat(client, "sắp xếp theo giá từ thấp đến cao giúp mình")
    assert order["intent"] == "refine" and order["listings"] == []
    assert "?" in order["answer"]


def test_market_and_smalltalk_answer_without_listing_cards(client: TestClient) -> None:
    market = chat(client, "giá căn hộ quận 7 bao nhiêu một m2?")
    assert market["intent"] == "market"
    assert "m²" in market["answer"]
    hello = chat(client, "chào bạn")
    assert hello["intent"] == "smalltalk"
    assert hello["listings"] == []


def test_streaming_sends_tokens_then_the_whole_object(client: TestClient) -> None:
    with client.stream(
        "POST", "/v1/chat", json={"message": "căn hộ Quận 7 2PN", "stream": True}
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        body = "".join(r.iter_text())
    events = [block for block in body.split("\n\n") if block.strip()]
    names = [block.split("\n")[0].removeprefix("event: ") for block in events]
    assert names[-1] == "done" and names.count("done") == 1
    assert "token" in names
    import json

    done = json.loads(events[-1].split("\n", 1)[1].removeprefix("data: "))
    tokens = "".join(
        json.loads(b.split("\n", 1)[1].removeprefix("data: "))["text"] for b in events[:-1]
    )
    assert tokens == done["answer"]
    assert done["intent"] == "search"


def test_a_repeated_question_is_served_from_cache(client: TestClient) -> None:
    chat(client, "nhà phố Quận 3 dưới 20 tỷ")
    again = chat(client, "nhà phố Quận 3 dưới 20 tỷ")
    assert again["cached"] is True


def test_a_sale_level_budget_never_lists_rentals(client: TestClient) -> None:
    data = chat(client, "căn hộ Quận 7 dưới 4 tỷ")
    assert "transaction" not in data["filters"]  # not stated: the label stays unconstrained
    assert data["listings"]
    assert all(c["transaction"] == "sale" for c in data["listings"])


def test_market_figures_ignore_the_budget_a_search_carried(client: TestClient) -> None:
    question = "giá căn hộ quận 7 dạo này thế nào"
    fresh = chat(client, question)
    searched = chat(client, "căn hộ quận 7 dưới 2 tỷ")
    follow = chat(client, question, searched["conversation_id"])
    assert fresh["intent"] == follow["intent"] == "market"
    assert follow["filters"]["price_max"] == 2_000_000_000  # the state carries the cap...
    numbers = re.compile(r"\d+(?:[.,]\d+)*")
    assert numbers.findall(follow["answer"]) == numbers.findall(fresh["answer"])  # ...not the stats
