"""`ree analyze FILE`, `ree eval extract`, `ree eval classify` (listing analysis commands),
and `print_ingest`, the summary `ree ingest` prints.

The main CLI registers them with `register(app, eval_app)`. FILE is JSON (one raw listing
object, or a list of them, with the fields of `POST /v1/listings/analyze`) or plain text
(first line the title, the rest the description). Output is JSON on stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

__all__ = ["analyze", "eval_classify", "eval_extract", "print_ingest", "register"]

console = Console(stderr=True)
DataOption = Annotated[Path, typer.Option(help="The shared data folder.")]


def _raw_items(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    title, _, description = text.strip().partition("\n")
    return [{"title": title.strip() or path.stem, "description": description.strip()}]


def analyze(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSON or text file.")],
    language: Annotated[str | None, typer.Option(help="Feedback language: vi or en.")] = None,
    index: Annotated[bool, typer.Option(help="Price against the local index.")] = True,
    data_dir: Annotated[Path | None, typer.Option(help="Data directory (REE_DATA_DIR).")] = None,
) -> None:
    """Analyse listings: extracted attributes, type, completeness, price estimate."""
    from pydantic import ValidationError

    from ree.api.routes.analyze import response_of
    from ree.config import Settings
    from ree.listings.analyze import ListingAnalyzer
    from ree.listings.extract import RawListing

    if language not in (None, "vi", "en"):
        raise typer.BadParameter("language must be vi or en")
    from ree.listings.pricing import PriceModelFile, Pricer
    from ree.listings.type_model import LearnedTypeExtractor, TypeModelFile

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    search = None
    if index:
        from ree.search.factory import open_search

        search = open_search(settings)
    try:
        model = PriceModelFile(settings.data_dir / "price_model")
        extractor = LearnedTypeExtractor(TypeModelFile(settings.data_dir))
        analyzer = ListingAnalyzer(search, extractor=extractor, pricer=Pricer(search, model))
        out = []
        for item in _raw_items(file):
            try:
                raw = RawListing.model_validate(item)
            except ValidationError as exc:
                console.print(f"[red]invalid listing: {exc.errors()[0]['msg']}[/]")
                raise typer.Exit(2) from None
            result = analyzer.run(raw, language)  # type: ignore[arg-type]
            out.append(response_of(result).model_dump(mode="json", exclude_none=True))
    finally:
        if search is not None:
            search.close()
    sys.stdout.write(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2))
    sys.stdout.write("\n")


def print_ingest(report: Any, out: Console, priced: bool) -> None:
    """The summary of an ingest: counts, junk by reason, the price model, time per stage.

    `priced`: a price model existed before the run (else the report says whether one was
    fitted at its end, with its rows and seconds, or why not).
    """
    from rich.table import Table

    from ree.ingest.pipeline import STAGES, IngestReport

    assert isinstance(report, IngestReport)
    out.print(
        f"read {report.read}, written {report.written}, duplicates merged {report.duplicates}, "
        f"junk {report.junk_count}, invalid {report.rejected_count}, priced {report.priced} "
        f"in {report.seconds:.1f} s ({report.listings_per_s:.0f} listings/s)"
    )
    for reason, n in report.junk.most_common():
        out.print(f"  junk [yellow]{reason}[/]: {n}")
    out.print(_price_model_line(report.price_model, priced))
    table = Table(show_header=True, header_style="bold")
    for col in ("stage", "seconds", "listings/s"):
        table.add_column(col, justify="right" if col != "stage" else "left")
    for stage in STAGES:
        seconds = report.stage_seconds.get(stage)
        if seconds is None:
            note = "skipped (no price model)" if stage == "price" else "—"
            table.add_row(stage, note, "")
            continue
        rate = report.read / seconds if seconds > 0 else 0.0
        table.add_row(stage, f"{seconds:.2f}", f"{rate:,.0f}")
    out.print(table)
    for where, why in report.rejected[:10]:
        out.print(f"[yellow]invalid[/] {where}: {why}")


def _price_model_line(fit: dict[str, Any], priced: bool) -> str:
    if "rows" in fit:
        return (
            f"price model: fitted on {fit['rows']} listings in {fit['fit_s']:.1f} s, "
            f"saved; {fit['priced']} written listings priced in a second pass "
            f"({fit['price_s']:.1f} s)"
        )
    if "skipped" in fit:
        return f"price model: [yellow]not fitted[/] ({fit['skipped']}); listings unpriced"
    return "price model: the saved one" if priced else "price model: none (analysis off)"


def _report(data: Path, limit: int | None) -> Any:
    from ree.listings.evaluate import DEV_FILE, evaluate_extraction

    path = data / DEV_FILE
    if not path.exists():
        console.print(f"[red]{path} not found[/]")
        raise typer.Exit(2)
    return evaluate_extraction(path, limit)


def eval_extract(
    data: DataOption = Path("../shared/data"),
    limit: Annotated[int | None, typer.Option(help="Only the first N rows.")] = None,
) -> None:
    """Per-field extraction accuracy on bdscomvn-2025-dev.csv (portal columns withheld)."""
    summary = _report(data, limit).summary()
    summary.pop("classification", None)
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")


def eval_classify(
    data: DataOption = Path("../shared/data"),
    limit: Annotated[int | None, typer.Option(help="Only the first N rows.")] = None,
    learned: Annotated[
        bool, typer.Option(help="Also score the learned type model (5-fold cross-validation).")
    ] = True,
) -> None:
    """Classification accuracy against property_type_slug of bdscomvn-2025-dev.csv: the
    rules, and the learned type model by cross-validation."""
    report = _report(data, limit)
    out = dict(report.summary()["classification"])
    out["confusions"] = [
        {"slug": slug, "got": got, "count": n}
        for (slug, got), n in report.type_confusion.most_common(10)
    ]
    if learned:
        from ree.listings.evaluate import cross_validate_types

        out["learned"] = cross_validate_types(report)
    sys.stdout.write(json.dumps(out, indent=2) + "\n")


def fit_types(
    files: Annotated[
        list[Path],
        typer.Argument(exists=True, dir_okay=False, help="Portal exports (CSV) with a category."),
    ],
    data_dir: Annotated[Path | None, typer.Option(help="Data directory (REE_DATA_DIR).")] = None,
    min_rows: Annotated[int, typer.Option(min=2, help="Fewest labelled rows to learn from.")] = 200,
) -> None:
    """Learn property types from listings whose portal gave them (a CSV with title,
    description and property_type_slug); every analysis then uses the model where a
    listing's source gives no type."""
    from ree.config import Settings
    from ree.listings.type_model import MODEL_FILE, fit_files

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    with console.status("reading and fitting…"):
        try:
            model = fit_files(files, min_rows=min_rows)
        except ValueError as exc:
            console.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from None
    path = model.save(settings.data_dir / MODEL_FILE)
    types = ", ".join(f"{t} {n}" for t, n in model.meta["types"].items())
    console.print(
        f"type model fitted on {model.meta['rows']} listings ({types}) in "
        f"{model.meta['fit_s']} s; saved to {path}"
    )


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add `analyze` to the main app and `extract`, `classify` to its `eval` group."""
    app.command("analyze")(analyze)
    app.command("fit-types")(fit_types)
    eval_app.command("extract")(eval_extract)
    eval_app.command("classify")(eval_classify)
