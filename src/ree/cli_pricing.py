"""`ree eval price`: the price model against the district-median baseline on real listings.

The main CLI registers it with `register(app, eval_app)`. Prints a table per scenario;
`--json` also writes `bench/results/price_eval.json` (or the path given with `--out`).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["eval_price", "register"]

console = Console(stderr=True)
DEFAULT_OUT = Path("bench/results/price_eval.json")


def _pct(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{100 * float(value):.1f}%"


def _table(scenario: dict[str, Any]) -> Table:
    title = (
        f"{scenario['name']}  (train {scenario['train_rows']}, test {scenario['test_rows']}, "
        f"fit {scenario['fit_s']} s)"
    )
    table = Table(title=title, title_justify="left")
    for column in ("method", "rows", "answered", "median APE", "within ±20%", "in 80% range"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for method, r in scenario["results"].items():
        table.add_row(
            method,
            str(r["rows"]),
            _pct(r["answered"]),
            _pct(r["median_ape"]),
            _pct(r["within_20pct"]),
            _pct(r.get("coverage_80")),
        )
    return table


def eval_price(
    data: Annotated[Path, typer.Option(help="The shared data folder.")] = Path("../shared/data"),
    json_out: Annotated[
        bool, typer.Option("--json", help="Also write the figures as JSON (see --out).")
    ] = False,
    out: Annotated[Path, typer.Option(help="Where --json writes.")] = DEFAULT_OUT,
) -> None:
    """Price model vs district-median baseline: median abs. % error and 80%-range coverage."""
    from ree.listings.evaluate_price import HCM_2023, SET_2025, evaluate

    if not (data / HCM_2023).is_file() and not (data / SET_2025).is_file():
        console.print(f"[red]neither {HCM_2023} nor {SET_2025} is in {data}[/]")
        raise typer.Exit(2)
    scenarios = [s.as_dict() for s in evaluate(data)]
    printer = Console(width=max(Console().width, 110))
    for scenario in scenarios:
        printer.print(_table(scenario))
    if json_out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"scenarios": scenarios}, indent=2) + "\n", encoding="utf-8")
        sys.stderr.write(f"wrote {out}\n")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add `price` to the main app's `eval` group (`app` is unused: no top-level command)."""
    del app
    eval_app.command("price")(eval_price)
