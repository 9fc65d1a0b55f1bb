"""Numbers as people quote them."""

from __future__ import annotations


def round_money(vnd: float) -> int:
    """Round to 3 significant figures, as prices are quoted (58,615,384 -> 58,600,000)."""
    if vnd <= 0:
        return 0
    digits = len(str(int(vnd))) - 3
    step = 10 ** max(digits, 0)
    return int(round(vnd / step) * step)
