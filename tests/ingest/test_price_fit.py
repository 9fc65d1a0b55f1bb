"""The first ingest into a fresh data dir fits the price model and leaves a priced index."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from ree.cli import app
from ree.cli_listings import print_ingest
from ree.ingest.demo import generate
from ree.ingest.jsonl import write_jsonl
from ree.ingest.pipeline import Analysis, IngestPipeline
from ree.listings.pricing import PriceModel
from ree.models import Filters
from ree.search.embedded import EmbeddedSearch

from .conftest import NOW
from .test_pipeline import RecordingBackend


def test_ree_ingest_into_a_fresh_dir_fits_the_model_and_prices_what_it_wrote(
    tmp_path: Path,
) -> None:
    source, data_dir = tmp_path / "demo.jsonl", tmp_path / "data"
    write_jsonl(generate(150, seed=41, now=NOW), source)
    env = {"REE_PRICE_MIN_ROWS": "2"}  # 150 listings: few segments have the default 5 rows
    r = CliRunner().invoke(app, ["ingest", str(source), "--data-dir", str(data_dir)], env=env)
    assert r.exit_code == 0, r.output
    assert "price model: fitted on" in r.output and "second pass" in r.output
    model = PriceModel.load(data_dir / "price_model")
    assert model is not None and model.meta["rows"] >= 50
    search = EmbeddedSearch(data_dir / "index")
    try:
        stored = [h.listing for h in search.search(None, Filters(), limit=200).hits]
    finally:
        search.close()
    priced = [x for x in stored if x.price_estimate is not None]
    assert len(stored) == 150 and len(priced) >= 50
    assert all(x.price_estimate == model.predict(x) for x in priced[:20])
    # the next ingest loads the saved model: it prices in the stream, fits nothing
    args = ["ingest", str(source), "--data-dir", str(data_dir)]
    again = CliRunner().invoke(app, args, env=env)
    assert again.exit_code == 0, again.output
    assert "price model: the saved one" in again.output


def test_too_few_priced_listings_fit_nothing_and_say_why(tmp_path: Path) -> None:
    backend = RecordingBackend()  # its search returns nothing: no training rows
    analysis = Analysis.default(tmp_path)
    assert analysis.price is None and analysis.fit_price_to == tmp_path / "price_model"
    report = IngestPipeline(backend, analysis).run(generate(10, seed=42, now=NOW))
    assert report.written == 10
    assert "need at least 50" in report.price_model["skipped"]
    assert not (tmp_path / "price_model").exists()
    out = Console(record=True, width=200)
    print_ingest(report, out, priced=False)
    assert "not fitted (need at least 50" in out.export_text()


def test_nothing_is_fitted_when_a_model_is_given() -> None:
    model = PriceModel.fit(generate(300, seed=43, now=NOW))
    backend = RecordingBackend()
    report = IngestPipeline(backend, Analysis.with_price_model(model)).run(
        generate(20, seed=44, now=NOW)
    )
    assert report.price_model == {}
    stored = list(backend.items.values())
    assert report.priced == sum(1 for x in stored if x.price_estimate is not None) > 0
