"""The price model: a fair price and an honest 80% range, learned from the indexed listings.

`PriceModel.fit(listings)` learns log(price per m²) with scikit-learn's
`HistGradientBoostingRegressor` from place, type, deal, size, rooms, floors, frontage, road
width, legal status, furnishing, feature tags and coordinates. Places are target-encoded
(`TargetEncoder`, cross-fitted) as keys of growing detail: province, district and ward, each
within the deal and property type, plus the district over every type and the project.

The 80% range is conformalised quantile regression (CQR): two quantile models (0.1, 0.9) are
fitted on one part of the rows, and on the held-out rest the interval is widened (or
narrowed) by the conformity score's quantile, per deal, so that it covers 80% of held-out
prices. The point model (median loss, robust to mistyped prices) is fitted on all rows.

Never a number the model cannot justify: a listing without an area, or of a segment (deal,
type, district — or province when no district is known) with fewer than `min_rows` training
rows, gets no estimate and a reason (`PriceQuote.reason`).

Saved with joblib under `$REE_DATA_DIR/price_model/`; a file of another `MODEL_VERSION`
(or one that does not load) reads as absent, so it is refit rather than crashed on.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ree.llm.numbers import round_money
from ree.models import (
    Direction,
    Feature,
    Furnishing,
    LegalStatus,
    Listing,
    PriceEstimate,
    PropertyType,
    Transaction,
)

__all__ = [
    "MIN_ROWS",
    "MODEL_FILE",
    "MODEL_VERSION",
    "PriceModel",
    "PriceModelFile",
    "PriceQuote",
    "priceable",
]

log = logging.getLogger(__name__)

MODEL_VERSION = 1
MODEL_FILE = "price_model.joblib"
MIN_ROWS = 5
"""Training rows a segment needs before the model prices it."""
MIN_PROVINCE_ROWS = 20
"""Rows of the deal and type in the province when the listing names no district."""
COVERAGE = 0.8
SEED = 20_240_611

# Plausible price per m² (VND): outside it a row is a typing error, not a market price.
_PPM2_BOUNDS = {Transaction.SALE: (1e6, 2e9), Transaction.RENT: (5e3, 5e6)}

_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("transaction", tuple(Transaction)),
    ("property_type", tuple(PropertyType)),
    ("legal_status", tuple(LegalStatus)),
    ("furnishing", tuple(Furnishing)),
    ("direction", tuple(Direction)),
)
_NUMERIC = ("bedrooms", "bathrooms", "floors", "frontage_m", "road_width_m", "lat", "lon")
_PLACE_KEYS = ("province", "district", "ward", "district_all", "project")
_FLAGS = tuple(Feature)
N_FEATURES = len(_PLACE_KEYS) + 1 + len(_NUMERIC) + len(_CATEGORIES) + len(_FLAGS)


@dataclass(frozen=True, slots=True)
class PriceQuote:
    """The model's answer for one listing: an estimate, or None with the reason."""

    estimate: PriceEstimate | None
    reason: str
    support: int = 0
    """Training rows of the listing's segment (deal, type, district or province)."""


def priceable(listing: Listing) -> bool:
    """True when `listing` has a plausible price per m² to learn from."""
    if not listing.price_vnd or not listing.area_m2:
        return False
    low, high = _PPM2_BOUNDS[listing.transaction]
    return low <= listing.price_vnd / listing.area_m2 <= high


def _place_keys(x: Listing) -> list[str | None]:
    head = f"{x.transaction.value}|{x.property_type.value}|{x.province or '?'}"
    district = f"{head}|{x.district}" if x.district else None
    return [
        head if x.province else None,
        district,
        f"{district}|{x.ward}" if district and x.ward else None,
        f"{x.transaction.value}|{x.province or '?'}|{x.district}" if x.district else None,
        f"{x.transaction.value}|{x.project}" if x.project else None,
    ]


def _row(x: Listing, codes: dict[str, dict[str, int]]) -> list[float]:
    area = x.area_m2 or math.nan
    out: list[float] = [math.log(area) if area == area else math.nan]
    for name in _NUMERIC:
        value = getattr(x, name)
        out.append(math.nan if value is None else float(value))
    for name, _ in _CATEGORIES:
        value = getattr(x, name)
        out.append(math.nan if value is None else float(codes[name][value.value]))
    tags = set(x.features)
    out.extend(1.0 if flag in tags else 0.0 for flag in _FLAGS)
    return out


_CODES = {name: {v: i for i, v in enumerate(values)} for name, values in _CATEGORIES}


def _segments(x: Listing) -> tuple[tuple[str, ...], tuple[str, ...]]:
    province = (x.transaction.value, x.property_type.value, x.province or "?")
    return province, (*province, x.district or "?")


@dataclass
class PriceModel:
    """A fitted price model; build with `PriceModel.fit`, persist with `save`/`load`."""

    encoder: Any
    point: Any
    low: Any
    high: Any
    widen: dict[str, float]
    province_rows: Counter[tuple[str, ...]]
    district_rows: Counter[tuple[str, ...]]
    min_rows: int = MIN_ROWS
    meta: dict[str, Any] = field(default_factory=dict)
    version: int = MODEL_VERSION

    # ----- fitting ----------------------------------------------------------------------------

    @classmethod
    def fit(
        cls,
        listings: Iterable[Listing],
        min_rows: int = MIN_ROWS,
        seed: int = SEED,
        calibration_share: float = 0.25,
        signature: str | None = None,
    ) -> PriceModel:
        """Learn from the priced listings among `listings` (others are skipped).

        Raises ValueError when fewer than 50 listings carry a usable price and area.
        """
        from sklearn.ensemble import HistGradientBoostingRegressor
        from sklearn.preprocessing import TargetEncoder

        started = time.perf_counter()
        rows = [x for x in listings if priceable(x)]
        if len(rows) < 50:
            raise ValueError(f"need at least 50 priced listings to fit, got {len(rows)}")
        y = np.array([math.log(x.price_vnd / x.area_m2) for x in rows])  # type: ignore[operator]
        keys = _key_matrix(rows)
        encoder = TargetEncoder(target_type="continuous", random_state=seed)
        encoded = encoder.fit_transform(keys, y)  # cross-fitted: no leak of a row's own price
        features = _assemble(encoded, keys, rows)
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(rows))
        n_cal = max(int(len(rows) * calibration_share), 20)
        cal, train = order[:n_cal], order[n_cal:]

        def booster(loss: str, quantile: float | None = None) -> Any:
            return HistGradientBoostingRegressor(
                loss=loss,  # type: ignore[arg-type]
                quantile=quantile,
                max_iter=300,
                learning_rate=0.06,
                max_leaf_nodes=31,
                min_samples_leaf=10,
                l2_regularization=1.0,
                categorical_features=_categorical_mask(),
                early_stopping=False,
                random_state=seed,
            )

        point = booster("quantile", 0.5).fit(features, y)
        low = booster("quantile", (1 - COVERAGE) / 2).fit(features[train], y[train])
        high = booster("quantile", (1 + COVERAGE) / 2).fit(features[train], y[train])
        widen = _calibrate(low, high, features[cal], y[cal], [rows[i] for i in cal])
        model = cls(
            encoder,
            point,
            low,
            high,
            widen,
            Counter(_segments(x)[0] for x in rows),
            Counter(_segments(x)[1] for x in rows),
            min_rows,
        )
        model.meta = {
            "rows": len(rows),
            "fitted_at": datetime.now(UTC).isoformat(),
            "fit_s": round(time.perf_counter() - started, 3),
            "signature": signature,
            "sklearn": _sklearn_version(),
        }
        return model

    # ----- predicting -------------------------------------------------------------------------

    def predict(self, listing: Listing) -> PriceEstimate | None:
        """The estimate for one listing, or None (see `quote` for why)."""
        return self.quote(listing).estimate

    def predict_many(self, listings: Sequence[Listing]) -> list[PriceEstimate | None]:
        """Estimates for many listings at once (one batched pass of each model)."""
        return [q.estimate for q in self.quote_many(listings)]

    def quote(self, listing: Listing) -> PriceQuote:
        """The estimate for one listing with the reason, or the reason there is none."""
        return self.quote_many([listing])[0]

    def quote_many(self, listings: Sequence[Listing]) -> list[PriceQuote]:
        """`quote` for many listings: the models run once over the rows that can be priced."""
        quotes: list[PriceQuote | None] = []
        todo: list[int] = []
        for i, x in enumerate(listings):
            refusal = self._refusal(x)
            quotes.append(refusal)
            if refusal is None:
                todo.append(i)
        if todo:
            rows = [listings[i] for i in todo]
            keys = _key_matrix(rows)
            features = _assemble(self.encoder.transform(keys), keys, rows)
            mid = self.point.predict(features)
            lo = self.low.predict(features)
            hi = self.high.predict(features)
            for j, i in enumerate(todo):
                quotes[i] = self._quote(listings[i], mid[j], lo[j], hi[j])
        return [q for q in quotes if q is not None]

    def support(self, listing: Listing) -> int:
        """Training rows of the listing's segment: its district, or its province without one."""
        province, district = _segments(listing)
        return self.district_rows[district] if listing.district else self.province_rows[province]

    def _refusal(self, x: Listing) -> PriceQuote | None:
        if not x.area_m2:
            return PriceQuote(None, "no area: a price per m² cannot be applied")
        if not x.province and not x.district:
            return PriceQuote(None, "no place: the model needs a province or district")
        n = self.support(x)
        where = x.district or x.province
        what = f"{x.property_type.value} for {x.transaction.value}"
        if x.district and n < self.min_rows:
            return PriceQuote(
                None,
                f"too few listings to learn from: {n} {what} in {where} (need {self.min_rows})",
                n,
            )
        if not x.district and n < max(self.min_rows, MIN_PROVINCE_ROWS):
            need = max(self.min_rows, MIN_PROVINCE_ROWS)
            return PriceQuote(
                None, f"too few listings to learn from: {n} {what} in {where} (need {need})", n
            )
        return None

    def _quote(self, x: Listing, mid: float, lo: float, hi: float) -> PriceQuote:
        assert x.area_m2 is not None
        q = self.widen.get(x.transaction.value, self.widen["all"])
        lo, hi = min(lo - q, mid), max(hi + q, mid)
        area = x.area_m2
        ppm2 = math.exp(mid)
        estimate = PriceEstimate(
            price_vnd=round_money(ppm2 * area),
            low_vnd=round_money(math.exp(lo) * area),
            high_vnd=round_money(math.exp(hi) * area),
            price_per_m2_vnd=round_money(ppm2),
        )
        where = x.district or x.province
        n = self.support(x)
        return PriceQuote(estimate, f"price model learned from {n} similar listings in {where}", n)

    # ----- persistence ------------------------------------------------------------------------

    def save(self, path: Path) -> Path:
        """Write the model to `path` (a directory gets `MODEL_FILE`), atomically."""
        import joblib

        target = _file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".price_model.", suffix=".tmp")
        os.close(fd)
        try:
            joblib.dump({"version": MODEL_VERSION, "model": self}, tmp)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return target

    @classmethod
    def load(cls, path: Path) -> PriceModel | None:
        """The model saved at `path`, or None when absent, of another version, or unreadable."""
        import joblib

        target = _file(path)
        if not target.is_file():
            return None
        try:
            data = joblib.load(target)
        except Exception:  # a file from an older library or a torn write: refit, do not crash
            log.warning("pricing.load_failed path=%s", target, exc_info=True)
            return None
        if not isinstance(data, dict) or data.get("version") != MODEL_VERSION:
            log.info("pricing.version_mismatch path=%s", target)
            return None
        model = data.get("model")
        return model if isinstance(model, PriceModel) else None

    @property
    def signature(self) -> str | None:
        """What the index looked like when the model was fitted (see `index_signature`)."""
        value = self.meta.get("signature")
        return str(value) if value is not None else None


class PriceModelFile:
    """The model file of a serving process: loaded lazily, reloaded when a newer one appears.

    `get()` checks the file's modification time at most every `check_every_s` seconds.
    """

    def __init__(self, path: Path, check_every_s: float = 5.0) -> None:
        self.path = _file(path)
        self.check_every_s = check_every_s
        self._model: PriceModel | None = None
        self._mtime: int | None = None
        self._checked = -math.inf

    def get(self) -> PriceModel | None:
        """The newest saved model, or None when there is none."""
        now = time.monotonic()
        if now - self._checked >= self.check_every_s:
            self._checked = now
            self._refresh()
        return self._model

    def set(self, model: PriceModel) -> None:
        """Save `model` to the file and serve it from now on."""
        model.save(self.path)
        self._model, self._mtime = model, self.path.stat().st_mtime_ns
        self._checked = time.monotonic()

    def _refresh(self) -> None:
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            self._model, self._mtime = None, None
            return
        if mtime != self._mtime:
            self._model, self._mtime = PriceModel.load(self.path), mtime


# ----- helpers ------------------------------------------------------------------------------


def _file(path: Path) -> Path:
    path = Path(path)
    return path if path.suffix == ".joblib" else path / MODEL_FILE


def _sklearn_version() -> str:
    import sklearn

    return str(sklearn.__version__)


def _key_matrix(rows: Sequence[Listing]) -> NDArray[np.object_]:
    keys = np.empty((len(rows), len(_PLACE_KEYS)), dtype=object)
    for i, x in enumerate(rows):
        keys[i] = [k if k is not None else "" for k in _place_keys(x)]
    return keys


def _assemble(
    encoded: NDArray[np.float64], keys: NDArray[np.object_], rows: Sequence[Listing]
) -> NDArray[np.float64]:
    """Place encodings (NaN where the key is missing) + the per-listing features."""
    places = np.where(keys == "", np.nan, encoded).astype(np.float64)
    rest = np.array([_row(x, _CODES) for x in rows], dtype=np.float64)
    return np.hstack([places, rest])


def _categorical_mask() -> NDArray[np.bool_]:
    mask = np.zeros(N_FEATURES, dtype=bool)
    start = len(_PLACE_KEYS) + 1 + len(_NUMERIC)
    mask[start : start + len(_CATEGORIES)] = True
    return mask


def _calibrate(
    low: Any, high: Any, features: NDArray[np.float64], y: NDArray[np.float64], rows: list[Listing]
) -> dict[str, float]:
    """CQR: how much to widen [q10, q90] (log scale) so 80% of held-out rows fall inside;
    per deal when it has 50 held-out rows, else the pooled value."""
    scores = np.maximum(low.predict(features) - y, y - high.predict(features))
    out = {"all": _conformal_quantile(scores)}
    deals = np.array([x.transaction.value for x in rows])
    for deal in np.unique(deals):
        mine = scores[deals == deal]
        if len(mine) >= 50:
            out[str(deal)] = _conformal_quantile(mine)
    return out


def _conformal_quantile(scores: NDArray[np.float64]) -> float:
    n = len(scores)
    level = min(1.0, math.ceil((n + 1) * COVERAGE) / n)
    return float(np.quantile(scores, level, method="higher"))
