"""`ree analyze` through typer (registered here as the main CLI will)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from ree.cli_listings import register


def _app() -> typer.Typer:
    app, eval_app = typer.Typer(), typer.Typer()
    register(app, eval_app)
    app.add_typer(eval_app, name="eval")
    return app


def test_analyze_a_text_file(tmp_path: Path) -> None:
    f = tmp_path / "tin.txt"
    f.write_text("Bán đất nền 100m2 Long An giá 1,2 tỷ\nSổ đỏ, đường 8m.\n", encoding="utf-8")
    r = CliRunner().invoke(_app(), ["analyze", str(f), "--no-index"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["property_type"] == "land"
    assert data["listing"]["price_vnd"] == 1_200_000_000
    assert "bedrooms" not in data["completeness"]["missing"]


def test_analyze_a_json_list_in_english(tmp_path: Path) -> None:
    f = tmp_path / "many.json"
    items = [{"title": "Cho thuê căn hộ 2PN 12 triệu/tháng"}, {"title": "Bán nhà 4x15 3 tỷ"}]
    f.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    r = CliRunner().invoke(_app(), ["analyze", str(f), "--no-index", "--language", "en"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [d["transaction"] for d in data] == ["rent", "sale"]
    assert "Add" in data[0]["completeness"]["feedback"]


def test_invalid_json_listing_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "bad.json"
    f.write_text(json.dumps({"title": ""}), encoding="utf-8")
    assert CliRunner().invoke(_app(), ["analyze", str(f), "--no-index"]).exit_code == 2


def test_eval_price_without_the_data_exits_2(tmp_path: Path) -> None:
    from ree.cli_pricing import register as register_pricing

    app, eval_app = typer.Typer(), typer.Typer()
    register_pricing(app, eval_app)
    app.add_typer(eval_app, name="eval")
    r = CliRunner().invoke(app, ["eval", "price", "--data", str(tmp_path)])
    assert r.exit_code == 2
    assert "bdscomvn" in r.output
