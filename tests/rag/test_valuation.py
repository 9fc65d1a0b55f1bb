"""Chat valuation over a real demo index: the price model's numbers, comparables as cards."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ree.chat.service import Assistant
from ree.config import Settings
from ree.listings.pricing import PriceModel
from ree.models import Filters, Intent, Listing, Transaction
from ree.rag.pipeline import RagRequest, RagResult


@pytest.fixture(scope="module")
def assistant(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    data_dir = tmp_path_factory.mktemp("valuation") / "data"
    shutil.copytree(demo_data_dir, data_dir)
    shutil.rmtree(data_dir / "price_model", ignore_errors=True)
    a = Assistant.open(Settings(data_dir=data_dir, demo_listings=600, redis_url=None))
    a.ensure_demo_data()  # the index is there: this only fits the missing price model
    yield a
    a.close()


def _model(a: Assistant) -> PriceModel:
    model = a.price_model.get()
    assert model is not None, "ensure_demo_data fits the price model on first start"
    return model


def _priced_listing(a: Assistant) -> Listing:
    model = _model(a)
    hits = a.search.search(None, Filters(transaction=Transaction.SALE), limit=600).hits
    return next(h.listing for h in hits if model.predict(h.listing) is not None)


def _run(a: Assistant, req: RagRequest) -> RagResult:
    return asyncio.run(a.pipeline.run(req))


def test_first_start_fits_and_saves_the_model(assistant: Assistant) -> None:
    model = _model(assistant)
    assert (assistant.settings.data_dir / "price_model").is_dir()
    assert model.meta["rows"] > 300
    assert model.signature is not None and model.signature.startswith("600|")


def test_valuation_of_a_shown_listing_comes_from_the_model(assistant: Assistant) -> None:
    subject = _priced_listing(assistant)
    expected = _model(assistant).predict(subject)
    assert expected is not None
    req = RagRequest(
        message="căn này giá có hợp lý không?",
        intent=Intent.VALUATION,
        filters=Filters(),
        language="vi",
        referenced_ids=[subject.id],
    )
    result = _run(assistant, req)
    facts = result.facts["valuation"]
    assert facts["method"] == "model"
    assert (facts["price"], facts["low"], facts["high"]) == (
        expected.price_vnd,
        expected.low_vnd,
        expected.high_vnd,
    )
    assert facts["asking_price"] == subject.price_vnd and facts["verdict"] in (
        "below",
        "fair",
        "above",
    )
    assert result.shown[0].listing.id == subject.id
    cards = [r.listing for r in result.shown[1:]]
    assert cards, "the comparables are shown as cards after the listing"
    assert [c.id for c in cards] == facts["comparables"][: len(cards)]
    for c in cards:
        assert (c.property_type, c.district) == (subject.property_type, subject.district)
    assert result.answer


def test_valuation_of_a_described_property(assistant: Assistant) -> None:
    subject = _priced_listing(assistant)
    assert subject.area_m2 is not None
    filters = Filters(
        property_types=[subject.property_type],
        province=subject.province,
        districts=[subject.district] if subject.district else None,
        area_min=subject.area_m2 * 0.9,
        area_max=subject.area_m2 * 1.1,
    )
    req = RagRequest(
        message="giá bao nhiêu?", intent=Intent.VALUATION, filters=filters, language="vi"
    )
    result = _run(assistant, req)
    facts = result.facts["valuation"]
    assert facts["method"] == "model" and facts["n"] >= 5
    assert facts["low"] <= facts["price"] <= facts["high"]
    assert result.shown and all(r.listing.district == subject.district for r in result.shown)


def test_a_property_the_model_cannot_price_gets_no_number(assistant: Assistant) -> None:
    filters = Filters(
        property_types=["warehouse"],  # type: ignore[list-item]
        province="Hồ Chí Minh",
        districts=["Cần Giờ"],
        area_min=5000,
        area_max=5000,
    )
    req = RagRequest(
        message="kho này bao nhiêu?", intent=Intent.VALUATION, filters=filters, language="vi"
    )
    facts = _run(assistant, req).facts["valuation"]
    assert facts["n"] == 0 and "price" not in facts
    assert facts["note"]


def test_chat_turn_values_the_listing_just_shown(assistant: Assistant) -> None:
    subject = _priced_listing(assistant)

    async def talk() -> tuple[Intent, list[str]]:
        first = await assistant.turns.handle(
            f"tìm {_type_words(subject)} {subject.district} để mua"
        )
        second = await assistant.turns.handle(
            "căn số 1 giá có hợp lý không?", first.conversation_id
        )
        return second.intent, [r.listing.id for r in second.shown]

    intent, shown = asyncio.run(talk())
    assert intent == Intent.VALUATION
    assert len(shown) >= 2  # the listing, then its comparables


def _type_words(x: Listing) -> str:
    return {"apartment": "căn hộ", "house": "nhà", "land": "đất", "townhouse": "nhà phố"}.get(
        x.property_type.value, "nhà"
    )
