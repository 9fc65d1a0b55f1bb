"""`POST /v1/listings` analyses what it writes, as `ree ingest` does, and reports it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

ADMIN = {"X-Admin-Key": "test-admin"}

# Invented listings (no real data): a rental posted without its deal or type, a house whose
# portal fields contradict its text, a repost of it, a flat of a segment the demo index's
# price model knows, and junk.
RENTAL = {
    "id": "post:rent-1",
    "source": "post",
    "title": "Cho thuê căn hộ 2 phòng ngủ 68m2 Quận 7, giá 15 triệu/tháng",
    "description": (
        "Căn hộ tầng 12, 2 phòng ngủ 2 WC, ban công hướng Đông Nam, hồ bơi, gym. "
        "Nội thất đầy đủ, vào ở ngay. Hợp đồng 1 năm, cọc 2 tháng."
    ),
    "address": "Đường Nguyễn Thị Thập, Phường Tân Phú, Quận 7, Hồ Chí Minh",
}
HOUSE = {
    "id": "post:house-1",
    "source": "post",
    "title": "Bán nhà hẻm xe hơi Phan Văn Trị Gò Vấp 4x15m 3 tầng giá 6,2 tỷ",
    "description": (
        "Nhà 1 trệt 2 lầu, 3 phòng ngủ 3 WC, hẻm 6m thông, sổ hồng riêng, hoàn công đủ. "
        "Gần trường học, chợ. Liên hệ chủ nhà xem nhà mọi ngày trong tuần."
    ),
    "address": "Phường 10, Gò Vấp, Hồ Chí Minh",
    "transaction": "sale",
    "property_type": "townhouse",
    "price_vnd": 6_100_000_000,
}
REPOST = {
    **HOUSE,
    "id": "post:house-2",
    "title": "CẦN BÁN GẤP nhà hẻm xe hơi Phan Văn Trị Gò Vấp 4x15m 3 tầng giá 6,2 tỷ",
}
FLAT = {
    "id": "post:flat-1",
    "source": "post",
    "title": "Bán căn hộ 2PN 70m2 Thảo Điền Thủ Đức giá 5,2 tỷ, sổ hồng",
    "description": "Căn hộ 2 phòng ngủ 2 WC, tầng trung, view sông, hồ bơi, nội thất cơ bản.",
    "address": "Phường Thảo Điền, Thủ Đức, Hồ Chí Minh",
}
JUNK = {"id": "post:junk-1", "source": "post", "title": "??????????", "description": "???? ????"}


def post(client: TestClient, listings: list[dict[str, Any]]) -> Any:
    return client.post("/v1/listings", json={"listings": listings}, headers=ADMIN)


def test_posted_listings_are_analysed_merged_and_junk_is_reported(client: TestClient) -> None:
    resp = post(client, [RENTAL, HOUSE, REPOST, FLAT, JUNK])
    assert resp.status_code == 200, resp.text
    out = resp.json()
    assert out["written"] == 3 and out["received"] == 5
    assert out["duplicates"] == 1
    assert out["merged"] == [{"id": "post:house-2", "into": "post:house-1"}]
    assert [j["id"] for j in out["junk"]] == ["post:junk-1"] and out["junk"][0]["reason"]
    assert out["invalid"] == []
    assert client.get("/v1/listings/post:junk-1").status_code == 404
    assert client.get("/v1/listings/post:house-2").status_code == 404

    rental = client.get("/v1/listings/post:rent-1").json()
    assert (rental["transaction"], rental["property_type"]) == ("rent", "apartment")
    assert rental["price_vnd"] == 15_000_000 and rental["area_m2"] == 68
    assert rental["bedrooms"] == 2 and rental["district"] == "Quận 7"
    assert {"pool", "gym"} <= set(rental["features"])
    assert rental["completeness"] is not None

    house = client.get("/v1/listings/post:house-1").json()
    assert house["property_type"] == "townhouse"  # the posted field wins over the text
    assert house["price_vnd"] == 6_100_000_000
    assert house["bedrooms"] == 3 and house["legal_status"] == "pink_book"
    assert house["sources"] == ["post:house-2"]
    flat = client.get("/v1/listings/post:flat-1").json()
    assert (flat["transaction"], flat["property_type"]) == ("sale", "apartment")
    assert flat["district"] == "Thủ Đức" and flat["price_vnd"] == 5_200_000_000
    estimate = flat["price_estimate"]  # the demo index's price model knows the segment
    assert estimate["low_vnd"] <= estimate["price_vnd"] <= estimate["high_vnd"]
    priced = [x for x in (rental, house, flat) if x["price_estimate"] is not None]
    assert out["priced"] == len(priced)


def test_posting_the_same_listings_again_changes_nothing(client: TestClient) -> None:
    post(client, [RENTAL, HOUSE, REPOST])
    again = post(client, [RENTAL, HOUSE, REPOST]).json()
    assert again["written"] == 2 and again["duplicates"] == 1
    assert client.get("/v1/listings/post:house-1").json()["sources"] == ["post:house-2"]


def test_only_junk_is_a_report_not_an_error(client: TestClient) -> None:
    resp = post(client, [{**JUNK, "id": "post:junk-2"}])
    assert resp.status_code == 200
    out = resp.json()
    assert out["written"] == 0 and [j["id"] for j in out["junk"]] == ["post:junk-2"]


def test_invalid_bodies_keep_their_errors(client: TestClient) -> None:
    assert post(client, []).status_code == 422
    assert post(client, [{"id": "post:x", "source": "post"}]).status_code == 422
    bad_id = {**RENTAL, "id": "other:1"}
    assert post(client, [bad_id]).status_code == 422
    assert client.post("/v1/listings", json={"listings": [RENTAL]}).status_code == 403


def test_analyze_false_writes_the_listings_as_posted(client: TestClient) -> None:
    twins = [{**RENTAL, "id": f"post:as-is-{i}"} for i in range(2)]
    resp = client.post(
        "/v1/listings", json={"listings": twins}, headers=ADMIN, params={"analyze": "false"}
    )
    assert resp.status_code == 200
    assert resp.json()["written"] == 2 and resp.json()["duplicates"] == 0
    stored = client.get("/v1/listings/post:as-is-1").json()
    assert stored["property_type"] == "other" and stored["price_vnd"] is None
