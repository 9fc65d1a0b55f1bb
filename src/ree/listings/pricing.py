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
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ree.listings.persist import ModelFile, load_versioned, model_file, save_versioned
from ree.models import (
    Direction,
    Feature,
    Filters,
    Furnishing,
    LegalStatus,
    Listing,
    PriceEstimate,
    PropertyType,
    Transaction,
)
from ree.rag.facts import MIN_COMPARABLES, comparables_filters, estimate
from ree.search.base import SearchBackend

__all__ = [
    "MIN_ROWS",
    "MODEL_FILE",
    "MODEL_VERSION",
    "PriceModel",
    "PriceModelFile",
    "PriceQuote",
    "Pricer",
    "Valuation",
    "fit_from_index",
    "index_listings",
    "index_signature",
    "nearest_comparables",
    "priceable",
]

log = logging.getLogger(__name__)

MODEL_VERSION = 2
MODEL_FILE = "price_model.joblib"
MIN_ROWS = 5
"""Training rows a segment needs before the model prices it."""
MIN_PROVINCE_ROWS = 20
"""Rows of the deal and type in the province when the listing names no district."""
COVERAGE = 0.8
BATCH = 256
"""From this many rows on, scikit-learn's own predict is faster than the flat forest."""
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


@dataclass
class Forest:
    """Fitted `HistGradientBoostingRegressor`s as flat node arrays, evaluated for all trees
    at once with numpy: the same numbers as `predict` (tested), without its per-tree and
    per-call overhead (a single listing in ~1 ms instead of ~20 ms).

    Reads the boosters' trees (`_predictors`, nodes: feature_idx, num_threshold,
    missing_go_to_left, left, right, is_leaf, value); a split goes left when the value is
    <= the threshold, a missing value the way the tree learned. The constant each booster
    starts from is recovered through its public `predict`.
    """

    feature: NDArray[np.intp]
    threshold: NDArray[np.float64]
    missing_left: NDArray[np.bool_]
    left: NDArray[np.intp]
    right: NDArray[np.intp]
    leaf: NDArray[np.bool_]
    value: NDArray[np.float64]
    roots: NDArray[np.intp]
    owner: NDArray[np.intp]
    baseline: NDArray[np.float64]
    depth: int
    chunk: int = 1024

    @classmethod
    def of(cls, boosters: Sequence[Any], sample: NDArray[np.float64]) -> Forest | None:
        """The flat forest of `boosters` (None when a booster has categorical splits or its
        trees cannot be read: then `predict` of scikit-learn is used)."""
        parts, roots, owner, offset, depth = [], [], [], 0, 0
        try:
            for k, booster in enumerate(boosters):
                for (tree,) in booster._predictors:
                    nodes = tree.nodes
                    if nodes["is_categorical"].any():
                        return None
                    parts.append((nodes, offset))
                    roots.append(offset)
                    owner.append(k)
                    offset += len(nodes)
                    depth = max(depth, int(nodes["depth"].max()))
        except (AttributeError, KeyError, ValueError, TypeError):
            return None
        nodes = np.concatenate([n for n, _ in parts])
        shift = np.concatenate([np.full(len(n), o, dtype=np.intp) for n, o in parts])
        forest = cls(
            feature=nodes["feature_idx"].astype(np.intp),
            threshold=nodes["num_threshold"].astype(np.float64),
            missing_left=nodes["missing_go_to_left"].astype(bool),
            left=nodes["left"].astype(np.intp) + shift,
            right=nodes["right"].astype(np.intp) + shift,
            leaf=nodes["is_leaf"].astype(bool),
            value=nodes["value"].astype(np.float64),
            roots=np.array(roots, dtype=np.intp),
            owner=np.array(owner, dtype=np.intp),
            baseline=np.zeros(len(boosters)),
            depth=depth,
        )
        with one_thread():
            expected = np.column_stack([b.predict(sample) for b in boosters])
        forest.baseline = (expected - forest.predict(sample))[0]
        return forest

    def predict(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        """One column per booster, one row per row of `features`."""
        out = np.empty((len(features), len(self.baseline)))
        for start in range(0, len(features), self.chunk):
            out[start : start + self.chunk] = self._predict(features[start : start + self.chunk])
        return out

    def _predict(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        rows = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            value = x[rows, self.feature[node]]
            go_left = np.where(
                np.isnan(value), self.missing_left[node], value <= self.threshold[node]
            )
            step = np.where(go_left, self.left[node], self.right[node])
            node = np.where(self.leaf[node], node, step)
        leaves = self.value[node]
        sums = np.stack(
            [leaves[:, self.owner == k].sum(axis=1) for k in range(len(self.baseline))], axis=1
        )
        return sums + self.baseline


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
        out.append(math.nan if value is None else float(codes[name][value]))
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

    places: list[dict[str, float]]
    """Per place key column: the target encoding of each key seen in training."""
    prior: float
    """The encoding of an unseen key (the overall mean)."""
    point: Any
    low: Any
    high: Any
    widen: dict[str, float]
    province_rows: Counter[tuple[str, ...]]
    district_rows: Counter[tuple[str, ...]]
    min_rows: int = MIN_ROWS
    used: NDArray[np.bool_] | None = None
    """The feature columns the training rows made informative (others are dropped)."""
    meta: dict[str, Any] = field(default_factory=dict)
    version: int = MODEL_VERSION
    forest: Forest | None = None
    """The three boosters' trees as flat arrays: one vectorised pass predicts all three."""

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
        from sklearn.ensemble import HistGradientBoostingRegressor  # type: ignore[import-untyped]
        from sklearn.model_selection import KFold  # type: ignore[import-untyped]
        from sklearn.preprocessing import TargetEncoder  # type: ignore[import-untyped]

        started = time.perf_counter()
        rows = [x for x in listings if priceable(x)]
        if len(rows) < 50:
            raise ValueError(f"need at least 50 priced listings to fit, got {len(rows)}")
        y = np.array([math.log(x.price_vnd / x.area_m2) for x in rows])  # type: ignore[operator]
        keys = _key_matrix(rows)
        encoder = TargetEncoder(
            target_type="continuous", cv=KFold(5, shuffle=True, random_state=seed)
        )
        encoded = encoder.fit_transform(keys, y)  # cross-fitted: no leak of a row's own price
        features = _assemble(encoded, keys, rows)
        used = _informative(features)
        features = features[:, used]
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(rows))
        n_cal = max(int(len(rows) * calibration_share), 20)
        cal, train = order[:n_cal], order[n_cal:]

        def booster(loss: str, quantile: float | None = None) -> Any:
            return HistGradientBoostingRegressor(
                loss=loss,
                quantile=quantile,
                max_iter=150,
                learning_rate=0.1,
                max_leaf_nodes=31,
                max_depth=8,
                min_samples_leaf=10,
                l2_regularization=1.0,
                categorical_features=None,
                early_stopping=False,
                random_state=seed,
            )

        with one_thread():
            point = booster("quantile", 0.5).fit(features, y)
            low = booster("quantile", (1 - COVERAGE) / 2).fit(features[train], y[train])
            high = booster("quantile", (1 + COVERAGE) / 2).fit(features[train], y[train])
            widen = _calibrate(low, high, features[cal], y[cal], [rows[i] for i in cal])
        places = [
            dict(zip(cats.tolist(), codes.tolist(), strict=True))
            for cats, codes in zip(encoder.categories_, encoder.encodings_, strict=True)
        ]
        model = cls(
            places,
            float(encoder.target_mean_),
            point,
            low,
            high,
            widen,
            Counter(_segments(x)[0] for x in rows),
            Counter(_segments(x)[1] for x in rows),
            min_rows,
            used=used,
        )
        model.forest = Forest.of([point, low, high], features[:1])
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
            features = self.features([listings[i] for i in todo])
            if self.forest is not None and len(features) < BATCH:
                mid, lo, hi = self.forest.predict(features).T
            else:  # scikit-learn's compiled loop wins on big batches
                mid, lo, hi = self.predict_raw(features).T
            for j, i in enumerate(todo):
                quotes[i] = self._quote(listings[i], mid[j], lo[j], hi[j])
        return [q for q in quotes if q is not None]

    def features(self, rows: Sequence[Listing]) -> NDArray[np.float64]:
        """The model's feature matrix for `rows` (place keys encoded as in training)."""
        keys = _key_matrix(rows)
        encoded = np.array(
            [[self.places[j].get(k, self.prior) for j, k in enumerate(r)] for r in keys],
            dtype=np.float64,
        ).reshape(len(rows), len(_PLACE_KEYS))
        features = _assemble(encoded, keys, rows)
        return features[:, self.used] if self.used is not None else features

    def predict_raw(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        """log price per m² by scikit-learn itself: columns median, q10, q90 (uncalibrated)."""
        with one_thread():
            return np.column_stack([m.predict(features) for m in (self.point, self.low, self.high)])

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
        what = f"{x.property_type} for {x.transaction}"
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
        q = self.widen.get(x.transaction, self.widen["all"])
        lo, hi = min(lo - q, mid), max(hi + q, mid)
        area = x.area_m2
        ppm2 = math.exp(mid)
        estimate = PriceEstimate.model_construct(  # our own ints: no validation needed
            price_vnd=round_money(ppm2 * area),
            low_vnd=round_money(math.exp(lo) * area),
            high_vnd=round_money(math.exp(hi) * area),
            price_per_m2_vnd=round_money(ppm2),
            comparables=[],
        )
        where = x.district or x.province
        n = self.support(x)
        return PriceQuote(estimate, f"price model learned from {n} similar listings in {where}", n)

    # ----- persistence ------------------------------------------------------------------------

    def save(self, path: Path) -> Path:
        """Write the model to `path` (a directory gets `MODEL_FILE`), atomically."""
        return save_versioned(self, _file(path), MODEL_VERSION)

    @classmethod
    def load(cls, path: Path) -> PriceModel | None:
        """The model saved at `path`, or None when absent, of another version, or unreadable."""
        model: PriceModel | None = load_versioned(_file(path), MODEL_VERSION, PriceModel)
        return model

    @property
    def signature(self) -> str | None:
        """What the index looked like when the model was fitted (see `index_signature`)."""
        value = self.meta.get("signature")
        return str(value) if value is not None else None


class PriceModelFile(ModelFile[PriceModel]):
    """The price model file of a serving process (`ModelFile`): a folder gets `MODEL_FILE`."""

    def __init__(self, path: Path, check_every_s: float = 5.0) -> None:
        super().__init__(_file(path), PriceModel.load, check_every_s)


# ----- helpers ------------------------------------------------------------------------------


def _file(path: Path) -> Path:
    return model_file(path, MODEL_FILE)


@lru_cache(maxsize=1)
def _controller() -> Any:
    import sklearn.ensemble  # type: ignore[import-untyped]  # noqa: F401  (OpenMP runtime first)
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return ThreadpoolController()


def one_thread() -> Any:
    """A context running scikit-learn's OpenMP loops on the calling thread only: on a busy
    2-core machine OpenMP's spinning threads made a fit 15x slower (docs/pricing.md)."""
    return _controller().limit(limits=1, user_api="openmp")


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


def round_money(vnd: float) -> int:
    """Three significant figures, as prices are quoted (58,615,384 -> 58,600,000)."""
    if vnd <= 0:
        return 0
    step = 10 ** max(len(str(int(vnd))) - 3, 0)
    return int(round(vnd / step) * step)


def _informative(features: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Columns with at least two distinct known values (an all-missing column cannot split)."""
    keep = np.zeros(features.shape[1], dtype=bool)
    for j in range(features.shape[1]):
        known = features[:, j][~np.isnan(features[:, j])]
        keep[j] = len(known) > 0 and bool(np.ptp(known) > 0)
    return keep


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


# ----- from the index: signature, training rows, comparables ---------------------------------

PAGE = 5_000


def index_signature(search: SearchBackend) -> str:
    """A cheap fingerprint of the index (listing count and newest crawl): a model fitted
    under another signature is out of date."""
    newest = search.newest_crawl()
    return f"{search.count()}|{newest.isoformat() if newest else '-'}"


def index_listings(search: SearchBackend, max_rows: int = 500_000) -> Iterator[Listing]:
    """Every listing of the index (up to `max_rows`), page by page, newest first."""
    offset = 0
    while offset < max_rows:
        hits = search.search(None, Filters(), limit=min(PAGE, max_rows - offset), offset=offset)
        for hit in hits.hits:
            yield hit.listing
        offset += len(hits.hits)
        if len(hits.hits) == 0 or offset >= hits.total:
            return


def fit_from_index(search: SearchBackend, min_rows: int = MIN_ROWS) -> PriceModel:
    """Fit on the indexed listings, stamped with the index signature."""
    signature = index_signature(search)
    return PriceModel.fit(index_listings(search), min_rows=min_rows, signature=signature)


@dataclass(frozen=True, slots=True)
class Valuation:
    """A priced listing: the estimate (or None), how it was made, the comparables shown."""

    estimate: PriceEstimate | None
    note: str
    comparables: list[Listing]
    method: str  # "model" | "comparables" | "none"
    support: int = 0

    def facts(self, subject: Listing | None = None) -> dict[str, Any]:
        """The `facts["valuation"]` the answer composers read: n, price, low, high,
        median_ppm2, plus method, note, comparables and the asking-price verdict."""
        e = self.estimate
        if e is None:
            found = len([c for c in self.comparables if c.price_vnd and c.area_m2])
            return {"n": 0, "comparables_found": found, "note": self.note}
        out: dict[str, Any] = {
            "n": self.support,
            "price": e.price_vnd,
            "low": e.low_vnd,
            "high": e.high_vnd,
            "median_ppm2": e.price_per_m2_vnd,
            "method": self.method,
            "note": self.note,
            "comparables": e.comparables,
        }
        if subject is not None and subject.price_vnd:
            out["asking_price"] = subject.price_vnd
            out["verdict"] = (
                "below"
                if subject.price_vnd < e.low_vnd
                else "above"
                if subject.price_vnd > e.high_vnd
                else "fair"
            )
        return out


ModelSource = PriceModel | PriceModelFile


class Pricer:
    """Price one listing: the model's estimate with the nearest comparables from the index;
    without a model, the comparables' median price per m² (p10–p90 as the range).

    `run(listing, pool=None)` searches the index for comparables (same deal, type, district,
    ±30% area: `comparables_filters`) unless the caller passes the `pool` it already has.
    """

    def __init__(
        self,
        search: SearchBackend | None,
        model: ModelSource | None = None,
        limit: int = 60,
        shown: int = 5,
    ) -> None:
        if limit < 1 or shown < 0:
            raise ValueError("limit must be >= 1 and shown >= 0")
        self.search = search
        self.source = model
        self.limit = limit
        self.shown = shown

    @property
    def model(self) -> PriceModel | None:
        """The model in use now (a model file is re-read when a newer one appears)."""
        if isinstance(self.source, PriceModelFile):
            return self.source.get()
        return self.source

    def run(self, listing: Listing, pool: Sequence[Listing] | None = None) -> Valuation:
        """The valuation of `listing`; never a number without the data to justify it."""
        model = self.model
        if not listing.area_m2:
            return Valuation(None, "no area: a price per m² cannot be applied", [], "none")
        if not listing.district and not listing.province:
            return Valuation(None, "no place: pricing needs a district or province", [], "none")
        if pool is None:
            pool = self._comparables(listing)
        nearest = nearest_comparables(listing, pool)
        if model is not None:
            return self._modelled(model, listing, nearest)
        return self._from_comparables(listing, nearest)

    def _comparables(self, listing: Listing) -> list[Listing]:
        if self.search is None:
            return []
        hits = self.search.search(None, comparables_filters(listing), self.limit, 0).hits
        return [h.listing for h in hits]

    def _modelled(self, model: PriceModel, listing: Listing, nearest: list[Listing]) -> Valuation:
        quote = model.quote(listing)
        shown = nearest[: self.shown]
        if quote.estimate is None:
            return Valuation(None, quote.reason, shown, "none", quote.support)
        estimate = quote.estimate.model_copy(update={"comparables": [c.id for c in shown]})
        note = quote.reason + ", 80% range calibrated on held-out listings"
        return Valuation(estimate, note, shown, "model", quote.support)

    def _from_comparables(self, listing: Listing, nearest: list[Listing]) -> Valuation:
        found = estimate(listing.area_m2, nearest)
        if not found.get("n"):
            n = found.get("comparables_found", 0)
            note = f"too few comparables ({n} < {MIN_COMPARABLES}) for a fair price"
            return Valuation(None, note, nearest[: self.shown], "none")
        shown = nearest[: self.shown]
        result = PriceEstimate(
            price_vnd=found["price"],
            low_vnd=found["low"],
            high_vnd=found["high"],
            price_per_m2_vnd=found["median_ppm2"],
            comparables=[c.id for c in shown],
        )
        note = f"median price per m² of {found['n']} comparables, 80% range p10-p90"
        return Valuation(result, note, shown, "comparables", found["n"])


def nearest_comparables(subject: Listing, pool: Iterable[Listing]) -> list[Listing]:
    """The priced listings of `pool` in the subject's segment (deal, type, district), not the
    subject itself, most similar first: size, then same ward, rooms and legal status."""
    area = subject.area_m2 or 1.0

    def distance(c: Listing) -> float:
        d = abs(math.log((c.area_m2 or area) / area))
        if subject.ward and c.ward != subject.ward:
            d += 0.3
        if subject.bedrooms is not None and c.bedrooms is not None:
            d += 0.1 * min(abs(subject.bedrooms - c.bedrooms), 3)
        if subject.legal_status and c.legal_status and c.legal_status != subject.legal_status:
            d += 0.2
        return d

    def same_segment(c: Listing) -> bool:
        return (
            c.transaction == subject.transaction
            and c.property_type == subject.property_type
            and (not subject.district or c.district == subject.district)
            and (not subject.province or c.province == subject.province)
        )

    priced = [c for c in pool if c.id != subject.id and priceable(c) and same_segment(c)]
    return sorted(priced, key=distance)
