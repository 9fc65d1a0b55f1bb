"""The price model on demo listings (whose prices come from a known market table) and on the
real portal sets when ../shared/data is there."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import pytest

from ree.ingest.demo import generate
from ree.ingest.market import market_table
from ree.listings.pricing import (
    MODEL_FILE,
    PriceModel,
    PriceModelFile,
    Pricer,
    nearest_comparables,
    priceable,
)
from ree.models import Listing, PropertyType, Transaction

TRAIN_N, TEST_N = 3000, 1000


@pytest.fixture(scope="module")
def train() -> list[Listing]:
    return list(generate(TRAIN_N, seed=11))


@pytest.fixture(scope="module")
def test_rows() -> list[Listing]:
    return [x for x in generate(TEST_N, seed=12) if priceable(x)]


@pytest.fixture(scope="module")
def model(train: list[Listing]) -> PriceModel:
    return PriceModel.fit(train)


def _market_range(x: Listing) -> tuple[float, float] | None:
    """The generator's per-m² range for the listing's segment, in VND."""
    for d in market_table().districts():
        if d.name == x.district and d.province == x.province:
            found = d.prices(x.transaction).get(x.property_type)
            if found is None:
                return None
            unit = 1e6 if x.transaction is Transaction.SALE else 1e3
            return found[0] * unit, found[1] * unit
    return None


def test_estimates_follow_the_market_table(model: PriceModel, test_rows: list[Listing]) -> None:
    inside, ratios = 0, []
    quotes = model.quote_many(test_rows)
    priced = [(x, q.estimate) for x, q in zip(test_rows, quotes, strict=True) if q.estimate]
    assert len(priced) >= 0.4 * len(test_rows)
    for x, e in priced:
        span = _market_range(x)
        assert span is not None and e.price_per_m2_vnd is not None
        low, high = span
        inside += low * 0.9 <= e.price_per_m2_vnd <= high * 1.1
        ratios.append(e.price_per_m2_vnd / ((low + high + low + (high - low) * 0.4) / 3))
    assert inside / len(priced) >= 0.9
    assert 0.85 <= statistics.median(ratios) <= 1.15  # the triangular distribution's mean


def test_the_80_percent_range_covers_about_80_percent(
    model: PriceModel, test_rows: list[Listing]
) -> None:
    estimates = [e for e in model.predict_many(test_rows)]
    pairs = [(x, e) for x, e in zip(test_rows, estimates, strict=True) if e is not None]
    covered = sum(e.low_vnd <= (x.price_vnd or 0) <= e.high_vnd for x, e in pairs)
    assert 0.65 <= covered / len(pairs) <= 0.95
    assert all(e.low_vnd <= e.price_vnd <= e.high_vnd for _, e in pairs)


def test_a_thin_segment_gets_no_estimate_and_a_reason(
    model: PriceModel, train: list[Listing]
) -> None:
    counts = Counter(
        (x.transaction, x.property_type, x.province, x.district) for x in train if priceable(x)
    )
    thin = next(k for k, n in counts.items() if 1 <= n < model.min_rows)
    subject = next(
        x for x in train if (x.transaction, x.property_type, x.province, x.district) == thin
    )
    quote = model.quote(subject)
    assert quote.estimate is None
    assert "too few" in quote.reason and str(counts[thin]) in quote.reason
    unknown = subject.model_copy(update={"district": "Nowhere"})
    assert model.quote(unknown).estimate is None


def test_no_area_or_no_place_gets_no_estimate(model: PriceModel, train: list[Listing]) -> None:
    x = next(x for x in train if priceable(x))
    no_area = model.quote(x.model_copy(update={"area_m2": None}))
    assert no_area.estimate is None and "area" in no_area.reason
    nowhere = model.quote(x.model_copy(update={"district": None, "province": None}))
    assert nowhere.estimate is None and "place" in nowhere.reason


def test_predict_many_matches_predict(model: PriceModel, test_rows: list[Listing]) -> None:
    rows = test_rows[:40]
    assert model.predict_many(rows) == [model.predict(x) for x in rows]


def test_save_load_round_trip(model: PriceModel, test_rows: list[Listing], tmp_path: Path) -> None:
    path = model.save(tmp_path / "price_model")
    assert path.name == MODEL_FILE
    loaded = PriceModel.load(tmp_path / "price_model")
    assert loaded is not None
    assert loaded.predict_many(test_rows[:50]) == model.predict_many(test_rows[:50])
    assert PriceModel.load(tmp_path / "absent") is None


def test_an_old_or_broken_file_reads_as_absent(model: PriceModel, tmp_path: Path) -> None:
    import joblib

    old = tmp_path / "old"
    old.mkdir()
    joblib.dump({"version": 0, "model": model}, old / MODEL_FILE)
    assert PriceModel.load(old) is None
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / MODEL_FILE).write_bytes(b"not a pickle")
    assert PriceModel.load(broken) is None


def test_model_file_picks_up_a_newer_model(
    model: PriceModel, train: list[Listing], tmp_path: Path
) -> None:
    served = PriceModelFile(tmp_path, check_every_s=0)
    assert served.get() is None
    model.save(tmp_path)
    assert served.get() is not None
    apartments = [x for x in train if x.property_type is PropertyType.APARTMENT]
    newer = PriceModel.fit(apartments, signature="newer")
    newer.save(tmp_path)
    found = served.get()
    assert found is not None and found.signature == "newer"


def test_too_few_rows_to_fit_is_an_error(train: list[Listing]) -> None:
    with pytest.raises(ValueError, match="at least 50"):
        PriceModel.fit(train[:20])


def test_pricer_shows_nearest_comparables_with_the_model(
    model: PriceModel, train: list[Listing], test_rows: list[Listing]
) -> None:
    pricer = Pricer(None, model, shown=4)
    subject = next(x for x in test_rows if model.predict(x) is not None)
    valuation = pricer.run(subject, pool=train)
    assert valuation.method == "model" and valuation.estimate is not None
    assert 1 <= len(valuation.comparables) <= 4
    for c in valuation.comparables:
        assert (c.transaction, c.property_type, c.district) == (
            subject.transaction,
            subject.property_type,
            subject.district,
        )
    assert valuation.estimate.comparables == [c.id for c in valuation.comparables]
    facts = valuation.facts(subject)
    assert facts["price"] == valuation.estimate.price_vnd and facts["n"] >= 5
    assert facts["verdict"] in ("below", "fair", "above")


def test_pricer_without_a_model_uses_comparables(
    train: list[Listing], test_rows: list[Listing]
) -> None:
    pricer = Pricer(None, None)
    subject = next(
        x
        for x in test_rows
        if len(nearest_comparables(x, [c for c in train if _similar_size(c, x)])) >= 8
    )
    pool = [c for c in train if _similar_size(c, subject)]
    valuation = pricer.run(subject, pool=pool)
    assert valuation.method == "comparables" and valuation.estimate is not None
    alone = pricer.run(subject, pool=pool[:0])
    assert alone.estimate is None and "too few comparables" in alone.note


def _similar_size(c: Listing, x: Listing) -> bool:
    return bool(c.area_m2 and x.area_m2 and 0.7 * x.area_m2 <= c.area_m2 <= 1.3 * x.area_m2)


@pytest.mark.shared_data
def test_real_data_model_beats_the_district_median_baseline() -> None:
    from ree.listings.evaluate_price import HCM_2023, load_priced, run_scenario, split

    path = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / HCM_2023
    if not path.exists():
        pytest.skip(f"{path} is absent: the real data sets live outside the repo")
    rows = load_priced(path)
    train, test = split(rows)
    results = run_scenario("hcm-2023", train, test).results
    model, baseline = results["model"], results["baseline_district_median"]
    assert model["answered"] >= 0.9
    assert model["median_ape"] <= 0.8 * baseline["median_ape"]  # clearly better
    assert 0.7 <= model["coverage_80"] <= 0.9


def test_the_flat_forest_predicts_what_scikit_learn_predicts(
    model: PriceModel, test_rows: list[Listing]
) -> None:
    import numpy as np

    assert model.forest is not None
    features = model.features(test_rows)
    np.testing.assert_allclose(
        model.forest.predict(features), model.predict_raw(features), rtol=0, atol=1e-9
    )
