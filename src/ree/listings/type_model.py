"""A property-type model learned from listings whose portal gave the type.

The rules (`ListingClassifier`) read what the words say. A portal's category is the
poster's choice among overlapping ones — "nhà riêng" or "nhà mặt phố" for a house on a
street, a teardown filed under land — and the rules agree with it on about 85% of
bdscomvn-2025-dev. This model learns those conventions from labelled listings:

- TF-IDF of the folded title and the opening of the description (word 1–2-grams and
  character 2–4-grams, so "chdv", "nhà mt" and typos still count);
- what the rules read: the type they chose, weighted by their confidence;
- which attributes the extractor found (bedrooms, storeys, frontage, road width, a project)
  and the log area.

It learns REE's one vocabulary, the one queries are read in: where a category spans two types
("biệt thự liền kề" files villas and row houses alike), the row is learned as the type its text
names (`taxonomy_label`), so a "nhà liền kề" stays a townhouse and a search for townhouses
finds it. A multinomial logistic regression turns the features into a type and its
probability, which becomes the type confidence (in cross-validation the 0.9+ band is right
96% of the time). `ree fit-types FILE…` fits it from portal exports that carry a category
(bdscomvn's `property_type_slug`) and saves it as `$REE_DATA_DIR/type_model.joblib`; ingest,
`POST /v1/listings`, `ree analyze` and the chat's analyzer then use it through
`LearnedTypeExtractor` for listings whose source gives no type. A source's own type always
wins. Without a saved model the rules decide alone.
"""

from __future__ import annotations

import csv
import math
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ree.listings.classify import ListingClassifier
from ree.listings.extract import AttributeExtractor, Extraction, RawListing
from ree.listings.persist import ModelFile, load_versioned, model_file, save_versioned
from ree.models import PropertyType
from ree.vi.text import fold

__all__ = [
    "DESCRIPTION_CHARS",
    "MIN_ROWS",
    "MODEL_FILE",
    "LearnedTypeExtractor",
    "TypeModel",
    "TypeModelFile",
    "TypeSample",
    "fit_files",
    "labelled_rows",
    "portal_types",
    "sample_of",
    "taxonomy_label",
]

MODEL_VERSION = 1
MODEL_FILE = "type_model.joblib"
MIN_ROWS = 200  # fewer labelled listings than this teach the model less than the rules know
MIN_PER_TYPE = 5  # a type seen fewer times is left to the rules
DESCRIPTION_CHARS = 300
_TYPES = list(PropertyType)
_REGULARISATION = 10.0  # inverse strength (C); 3-30 scored within 0.5 point in 5-fold CV


@dataclass(frozen=True, slots=True)
class TypeSample:
    """What the model reads of one listing: its text and what the rules made of it."""

    text: str  # folded title, then the opening of the description
    rule_type: PropertyType
    rule_confidence: float
    found: tuple[bool, bool, bool, bool, bool]  # bedrooms, floors, frontage, road, project
    area_m2: float | None

    def numbers(self) -> list[float]:
        """The non-text features, each in [0, ~1.5]."""
        onehot = [0.0] * len(_TYPES)
        onehot[_TYPES.index(self.rule_type)] = self.rule_confidence
        area = math.log1p(self.area_m2) / 8 if self.area_m2 else 0.0
        return [*onehot, *(float(f) for f in self.found), area]


def sample_of(extraction: Extraction) -> TypeSample:
    """The model's view of a text-only extraction (rules' type and the attributes found)."""
    listing, cls = extraction.listing, extraction.classification
    title = fold(listing.title).lower()
    opening = fold(listing.description[:DESCRIPTION_CHARS]).lower()
    found = (
        listing.bedrooms is not None,
        listing.floors is not None,
        listing.frontage_m is not None,
        listing.road_width_m is not None,
        listing.project is not None,
    )
    return TypeSample(
        f"{title} . {opening}", cls.property_type, cls.type_confidence, found, listing.area_m2
    )


class TypeModel:
    """`TypeModel.fit(samples, labels)`; `predict(samples) -> [(type, probability)]`."""

    def __init__(self, words: Any, chars: Any, classifier: Any, meta: dict[str, Any]) -> None:
        self._words, self._chars, self._classifier = words, chars, classifier
        self.meta = meta

    @classmethod
    def fit(
        cls,
        samples: Sequence[TypeSample],
        labels: Sequence[PropertyType],
        min_rows: int = MIN_ROWS,
    ) -> TypeModel:
        """Learn from labelled samples; ValueError when there are too few to learn from."""
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

        if len(samples) != len(labels):
            raise ValueError(f"{len(samples)} samples but {len(labels)} labels")
        counts = Counter(labels)
        keep = [i for i, label in enumerate(labels) if counts[label] >= MIN_PER_TYPE]
        if len(keep) < min_rows or len({labels[i] for i in keep}) < 2:
            raise ValueError(
                f"{len(keep)} labelled listings of {len({labels[i] for i in keep})} types: "
                f"need at least {min_rows} of two or more types"
            )
        started = time.perf_counter()
        texts = [samples[i].text for i in keep]
        words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32)
        chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True, dtype=np.float32
        )
        words.fit(texts)
        chars.fit(texts)
        model = cls(words, chars, None, {})
        matrix = model._matrix([samples[i] for i in keep])
        classifier = LogisticRegression(C=_REGULARISATION, max_iter=3000)
        classifier.fit(matrix, [labels[i].value for i in keep])
        model._classifier = classifier
        model.meta = {
            "rows": len(keep),
            "types": {t.value: n for t, n in sorted(counts.items()) if n >= MIN_PER_TYPE},
            "fit_s": round(time.perf_counter() - started, 3),
        }
        return model

    def predict(self, samples: Sequence[TypeSample]) -> list[tuple[PropertyType, float]]:
        """The most probable type of each sample and its probability."""
        if not samples:
            return []
        proba = self._classifier.predict_proba(self._matrix(samples))
        classes = [PropertyType(c) for c in self._classifier.classes_]
        best = proba.argmax(axis=1)
        return [(classes[b], round(float(proba[i, b]), 3)) for i, b in enumerate(best)]

    def _matrix(self, samples: Sequence[TypeSample]) -> Any:
        from scipy import sparse  # type: ignore[import-untyped]

        texts = [s.text for s in samples]
        numbers = sparse.csr_matrix(np.array([s.numbers() for s in samples], dtype=np.float32))
        return sparse.hstack(
            [self._words.transform(texts), self._chars.transform(texts), numbers], format="csr"
        )

    # ----- persistence ------------------------------------------------------------------------

    def save(self, path: Path) -> Path:
        """Write the model to `path` (a directory gets `MODEL_FILE`), atomically."""
        return save_versioned(self, _file(path), MODEL_VERSION)

    @classmethod
    def load(cls, path: Path) -> TypeModel | None:
        """The model saved at `path`, or None when absent, of another version, or unreadable."""
        model: TypeModel | None = load_versioned(_file(path), MODEL_VERSION, TypeModel)
        return model


class TypeModelFile(ModelFile[TypeModel]):
    """The type model file of a serving process (`ModelFile`): a folder gets `MODEL_FILE`."""

    def __init__(self, path: Path, check_every_s: float = 5.0) -> None:
        super().__init__(_file(path), TypeModel.load, check_every_s)


def _file(path: Path) -> Path:
    return model_file(path, MODEL_FILE)


class LearnedTypeExtractor(AttributeExtractor):
    """An `AttributeExtractor` whose text-read types are decided by a `TypeModel`.

    A listing whose source gives its type keeps it. Otherwise the model reads the rules'
    extraction; when it picks another type the listing is extracted again as that type (a
    flat's catalogue unit, a house's storeys depend on it). `found_in["property_type"]` is
    then "model", and the classification carries the model's probability as confidence.
    Junk flags stay the rules'. Without a model (`model()` returns None) it is the plain
    extractor.
    """

    def __init__(
        self, model: TypeModel | TypeModelFile, classifier: ListingClassifier | None = None
    ) -> None:
        super().__init__(classifier)
        self._rules = AttributeExtractor(self._classifier)
        self._source = model

    def model(self) -> TypeModel | None:
        """The model in use (a model file's newest)."""
        src = self._source
        return src.get() if isinstance(src, TypeModelFile) else src

    def run(self, raw: RawListing) -> Extraction:
        return self.run_many([raw])[0]

    def rules(self) -> AttributeExtractor:
        """The plain extractor this one refines (the rules' reading)."""
        return self._rules

    def run_many(self, raws: Sequence[RawListing]) -> list[Extraction]:
        """Extract a batch (the model predicts all at once, which is much cheaper)."""
        return self.refine(raws, [self._rules.run(raw) for raw in raws])

    def refine(self, raws: Sequence[RawListing], read: Sequence[Extraction]) -> list[Extraction]:
        """The rules' extractions `read` of `raws`, with the model's types where the text
        decided the type."""
        out = list(read)
        model = self.model()
        todo = [i for i, e in enumerate(out) if e.found_in.get("property_type") == "text"]
        if model is None or not todo:
            return out
        guesses = model.predict([sample_of(out[i]) for i in todo])
        for i, (ptype, probability) in zip(todo, guesses, strict=True):
            first = out[i]
            cls = replace(first.classification, property_type=ptype, type_confidence=probability)
            again = first
            if ptype is not first.classification.property_type:
                typed = raws[i].model_copy(update={"property_type": ptype.value})
                again = self._rules.run(typed)
            found = {**again.found_in, "property_type": "model"}
            out[i] = replace(again, found_in=found, classification=cls)
        return out


# ----- learning from portal exports ---------------------------------------------------------


def labelled_rows(
    path: Path,
) -> Iterator[tuple[RawListing, PropertyType | frozenset[PropertyType]]]:
    """The listings of a portal export whose category names a type, text only.

    A CSV with `title`, optional `description` and `property_type_slug` (a portal category
    such as "ban-can-ho-chung-cu") or `property_type` (a REE type) columns; rows without a
    title or a known category are skipped. Nothing else of the row is read: the model
    learns what the text says about the category.
    """
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = set(reader.fieldnames or ())
        if "title" not in columns or not columns & {"property_type_slug", "property_type"}:
            raise ValueError(f"{path}: needs a title and a property_type_slug or type column")
        for row in reader:
            label = _label(row)
            title = (row.get("title") or "").strip()
            if label is None or label is PropertyType.OTHER or not title:
                continue
            raw = RawListing(
                title=title[:1000], description=(row.get("description") or "")[:50_000]
            )
            yield raw, label


def _label(row: dict[str, str]) -> PropertyType | frozenset[PropertyType] | None:
    slug = row.get("property_type_slug")
    if slug:
        allowed = portal_types(slug)
        return allowed if len(allowed) > 1 else next(iter(allowed), None)
    try:
        return PropertyType((row.get("property_type") or "").strip())
    except ValueError:
        return None


# Portal categories that span two of REE's types: "biệt thự liền kề" files villas and row houses
# alike, "shophouse nhà phố" shophouses and townhouses.
_OVERLAPPING = {
    "ban-nha-biet-thu-lien-ke": frozenset({PropertyType.VILLA, PropertyType.TOWNHOUSE}),
    "ban-shophouse": frozenset({PropertyType.SHOPHOUSE, PropertyType.TOWNHOUSE}),
}


def portal_types(slug: str) -> frozenset[PropertyType]:
    """REE's types a portal category covers: one, or two where the category overlaps."""
    from ree.ingest.fields import slug_type  # ree.ingest's stages import this module

    ptype, _ = slug_type(slug)
    for prefix, both in _OVERLAPPING.items():
        if slug.startswith(prefix):
            return both
    return frozenset({ptype}) if ptype else frozenset()


def taxonomy_label(
    label: PropertyType | frozenset[PropertyType], rules: PropertyType
) -> PropertyType:
    """The type to learn, in REE's one vocabulary: where the category covers two types, the
    one the text names ("liền kề" a townhouse, "biệt thự" a villa), else the category's
    first (a villa for an untyped "biệt thự liền kề" post)."""
    if isinstance(label, PropertyType):
        return label
    if rules in label:
        return rules
    return min(label, key=lambda t: list(PropertyType).index(t))


def fit_files(
    paths: Sequence[Path], extractor: AttributeExtractor | None = None, min_rows: int = MIN_ROWS
) -> TypeModel:
    """Fit on the labelled rows of portal exports (`labelled_rows`)."""
    extractor = extractor or AttributeExtractor()
    samples: list[TypeSample] = []
    labels: list[PropertyType] = []
    for path in paths:
        for raw, label in labelled_rows(path):
            sample = sample_of(extractor.run(raw))
            samples.append(sample)
            labels.append(taxonomy_label(label, sample.rule_type))
    model = TypeModel.fit(samples, labels, min_rows=min_rows)
    model.meta["files"] = [str(p) for p in paths]
    return model
