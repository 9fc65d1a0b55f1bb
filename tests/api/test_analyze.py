"""`POST /v1/listings/analyze` on the real app over the demo index (router included here
until the app registers it)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ree.api.app import create_app
from ree.api.routes import analyze
from ree.config import Settings


@pytest.fixture(scope="module")
def client(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data_dir = tmp_path_factory.mktemp("analyze") / "data"
    shutil.copytree(demo_data_dir, data_dir)
    for db in data_dir.glob("ree.db*"):
        db.unlink()
    app = create_app(Settings(data_dir=data_dir, demo_listings=600))
    if not any(getattr(r, "path", "") == "/v1/listings/analyze" for r in app.routes):
        app.include_router(analyze.router)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _district_with_apartments(client: TestClient) -> str:
    body = {"filters": {"property_types": ["apartment"], "transaction": "sale"}, "limit": 100}
    listings = client.post("/v1/search", json=body).json()["listings"]
    counts: dict[str, int] = {}
    for x in listings:
        if x["district"]:
            counts[x["district"]] = counts.get(x["district"], 0) + 1
    return max(counts, key=lambda d: counts[d])


def test_analyze_returns_the_contract(client: TestClient) -> None:
    district = _district_with_apartments(client)
    body = {
        "title": f"Bán căn hộ 2PN 2WC 70m2 {district} giá 3 tỷ",
        "description": "Sổ hồng riêng, hướng Đông Nam, full nội thất.",
        "address": f"{district}, Hồ Chí Minh",
        "language": "en",
    }
    r = client.post("/v1/listings/analyze", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["property_type"] == "apartment"
    assert data["listing"]["price_vnd"] == 3_000_000_000
    assert data["listing"]["bedrooms"] == 2
    assert 0 <= data["completeness"]["score"] <= 100
    assert data["completeness"]["feedback"]
    estimate = data["price_estimate"]
    if estimate is None:
        assert "too few" in data["price_note"]
    else:
        assert estimate["low_vnd"] <= estimate["price_vnd"] <= estimate["high_vnd"]
        assert estimate["comparables"]


def test_without_area_there_is_no_price_estimate(client: TestClient) -> None:
    r = client.post("/v1/listings/analyze", json={"title": "Bán nhà Quận 7 sổ hồng"})
    assert r.status_code == 200
    assert r.json()["price_estimate"] is None
    assert "area" in r.json()["price_note"]


@pytest.mark.parametrize(
    "body",
    [{}, {"title": ""}, {"title": "x" * 1001}, {"title": "ok", "bedrooms": -1}, {"title": 5}],
)
def test_bad_bodies_are_422_not_500(client: TestClient, body: dict[str, object]) -> None:
    r = client.post("/v1/listings/analyze", json=body)
    assert r.status_code == 422
    assert "error" in r.json()


def test_the_assistant_analyzer_prices_with_the_model(client: TestClient) -> None:
    """The analyzer the serving process holds uses the price model fitted at first start:
    its estimate is the model's, shown with comparables from the index."""
    from ree.chat.service import Assistant
    from ree.listings.extract import RawListing
    from ree.models import Filters, Transaction

    assistant: Assistant = client.app.state.assistant  # type: ignore[attr-defined]
    model = assistant.price_model.get()
    assert model is not None
    hits = assistant.search.search(None, Filters(transaction=Transaction.SALE), limit=600).hits
    x = next(h.listing for h in hits if model.predict(h.listing) is not None)
    raw = RawListing(
        title=x.title,
        description=x.description,
        address=x.address,
        area=x.area_m2,
        property_type=x.property_type.value,
        transaction=x.transaction,
        district=x.district,
        province=x.province,
    )
    analysis = assistant.analyzer.run(raw, "en")
    assert analysis.price_estimate is not None, analysis.price_note
    expected = model.predict(analysis.listing)
    assert expected is not None
    assert analysis.price_estimate.price_vnd == expected.price_vnd
    assert analysis.price_estimate.comparables
    assert "price model" in analysis.price_note
