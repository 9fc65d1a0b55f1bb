"""Health, readiness, metrics, the page, and the search endpoint."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ree.models import Filters, Listing


def test_health_ready_and_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"memory": True, "search": True}
    client.post("/v1/chat", json={"message": "căn hộ Quận 7"})
    metrics = client.get("/metrics").text
    assert 'ree_http_requests_total{method="POST",route="/v1/chat",status="200"}' in metrics
    assert "ree_llm_generations_total" in metrics


def test_the_page_and_its_assets_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'id="send"' in page.text
    assert client.get("/static/app.js").status_code == 200


def test_search_honours_filters_and_paginates(client: TestClient) -> None:
    filters = {
        "province": "Hồ Chí Minh",
        "property_types": ["apartment"],
        "price_max": 6_000_000_000,
    }
    first = client.post("/v1/search", json={"query": "view sông", "filters": filters, "limit": 5})
    assert first.status_code == 200
    data = first.json()
    assert data["total"] >= len(data["listings"]) > 0
    second = client.post(
        "/v1/search", json={"query": "view sông", "filters": filters, "limit": 5, "offset": 5}
    ).json()
    ids = [c["id"] for c in data["listings"]] + [c["id"] for c in second["listings"]]
    assert len(ids) == len(set(ids))
    f = Filters.model_validate(filters)
    for card in data["listings"] + second["listings"]:
        listing = Listing.model_validate(client.get(f"/v1/listings/{card['id']}").json())
        assert f.matches(listing)


def test_understand_endpoint(client: TestClient) -> None:
    data = client.post("/v1/understand", json={"message": "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ"}).json()
    assert data["intent"] == "search"
    assert data["filters"]["districts"] == ["Quận 7"]
    assert data["filters"]["price_max"] == 4_000_000_000


def test_a_former_district_finds_listings_filed_under_the_new_unit(client: TestClient) -> None:
    data = client.post(
        "/v1/search", json={"filters": {"districts": ["Quận 2"]}, "limit": 50}
    ).json()
    assert data["total"] > 0
    for card in data["listings"]:
        listing = Listing.model_validate(client.get(f"/v1/listings/{card['id']}").json())
        assert listing.district in ("Quận 2", "Thủ Đức")
        assert Filters(districts=["Quận 2"]).matches(listing)
