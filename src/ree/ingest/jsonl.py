"""JSON Lines of `Listing`: one object per line, UTF-8, None fields left out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ree.models import Listing


def write_jsonl(listings: Iterable[Listing], path: Path | str) -> int:
    """Write `listings` to `path` (created or replaced); returns how many were written.

    The file is written to a temporary sibling and renamed, so readers never see half a file.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    count = 0
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        for listing in listings:
            fh.write(listing.model_dump_json(exclude_none=True))
            fh.write("\n")
            count += 1
    tmp.replace(target)
    return count
