"""Near-duplicate listings: the same property reposted under another id or on another site.

Two listings are duplicates when their texts are near-identical AND their attributes agree:

1. **Text**: MinHash signatures (`datasketch`) of word 3-shingles of the folded title and
   description, after removing what changes between reposts of one property — phone numbers
   (masked or not), dates, urls, emoji debris ("????"). A `MinHashLSH` index finds the
   candidates whose estimated Jaccard similarity is at least `threshold`.
2. **Attributes**: a near-identical text (≥ `near_similarity`, 0.9) needs only the same
   transaction and no gross price/area conflict (25%): what differs then is parsing noise
   (a misread bedroom count, a place read from the wrong word). Below that, no known
   attribute may conflict — same type, price and area within 10%, same bedrooms, district
   and province when both sides know them — so different units of one project, posted from
   one template with another area or price, stay apart; below `strong_similarity` (0.7)
   price or area must also be known and agree (a template text alone is not enough).

`ListingDeduplicator.run(listing)` answers the canonical id the listing duplicates (or None)
and remembers the listing. `merge(a, b)` picks the canonical of two duplicates — the more
complete, then the more recent — and lists the other's id in `sources`. The deduplicator's
state saves to a file so a later ingest merges reposts into the canonicals already indexed.
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from datasketch import MinHash, MinHashLSH

from ree.models import Listing
from ree.vi.text import fold

__all__ = [
    "Attributes",
    "DedupEvaluation",
    "DedupMatch",
    "ListingDeduplicator",
    "evaluate_dedup",
    "evaluate_pairs",
    "fingerprint_text",
    "merge",
    "read_pairs",
]

_PHONE = re.compile(r"(?:\+?84|0)[\d .*x-]{7,14}[\dx*]|\d{4,}[*x]{2,}\d*|[*x]{3,}\d{2,}")
_DATE = re.compile(r"\b\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?\b")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")
_WORD = re.compile(r"[a-z0-9]+")
_STATE_VERSION = 1


def fingerprint_text(title: str, description: str) -> list[str]:
    """The folded words of a listing with phones, dates, urls and symbols removed."""
    text = fold(f"{title}\n{description}")
    if "@" in text or "http" in text or "www." in text:  # else no url can match
        text = _URL.sub(" ", text)
    text = _PHONE.sub(" ", text)
    text = _DATE.sub(" ", text)
    return _WORD.findall(text)


@dataclass(frozen=True, slots=True)
class Attributes:
    """What two listings must agree on to be one property (None: unknown, agrees)."""

    transaction: str
    property_type: str
    price_vnd: int | None
    area_m2: float | None
    bedrooms: int | None
    district: str | None
    province: str | None

    @classmethod
    def of(cls, listing: Listing) -> Attributes:
        return cls(
            listing.transaction.value,
            listing.property_type.value,
            listing.price_vnd,
            listing.area_m2,
            listing.bedrooms,
            listing.district,
            listing.province,
        )


@dataclass(frozen=True, slots=True)
class DedupMatch:
    """The listing a new one duplicates: its canonical id, the member matched, similarity."""

    canonical_id: str
    matched_id: str
    similarity: float


@dataclass(slots=True)
class _Member:
    signature: MinHash
    attributes: Attributes
    canonical_id: str


@lru_cache(maxsize=4)
def _blank(num_perm: int) -> MinHash:
    """An empty MinHash to copy (never updated itself): drawing the random permutations is
    most of the cost of a new one."""
    return MinHash(num_perm=num_perm)


def _close(a: float | None, b: float | None, tolerance: float) -> bool | None:
    """True/False when both are known; None when either is unknown."""
    if a is None or b is None:
        return None
    return abs(a - b) <= tolerance * max(a, b)


class ListingDeduplicator:
    """Finds reposts of known listings: `run(listing) -> DedupMatch | None`.

    `threshold` is the Jaccard similarity the LSH index retrieves candidates from (and the
    least a duplicate has); see `agree` for `strong_similarity` and `near_similarity`.
    Defaults were chosen on tests/data/dedup_pairs.csv (`ree eval dedup`). Raises
    `ValueError` unless 0 < threshold <= strong_similarity <= near_similarity <= 1.
    """

    def __init__(
        self,
        threshold: float = 0.6,
        strong_similarity: float = 0.7,
        near_similarity: float = 0.9,
        num_perm: int = 128,
        shingle: int = 3,
        price_tolerance: float = 0.1,
        area_tolerance: float = 0.1,
        loose_tolerance: float = 0.25,
    ) -> None:
        if not 0 < threshold <= strong_similarity <= near_similarity <= 1:
            raise ValueError("need 0 < threshold <= strong_similarity <= near_similarity <= 1")
        if num_perm < 16 or shingle < 1:
            raise ValueError("num_perm must be >= 16 and shingle >= 1")
        self.threshold, self.strong_similarity = threshold, strong_similarity
        self.near_similarity, self.loose_tolerance = near_similarity, loose_tolerance
        self.num_perm, self.shingle = num_perm, shingle
        self.price_tolerance, self.area_tolerance = price_tolerance, area_tolerance
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._members: dict[str, _Member] = {}

    def __len__(self) -> int:
        return len(self._members)

    def __contains__(self, listing_id: object) -> bool:
        return listing_id in self._members

    # ----- signatures ----------------------------------------------------------------------

    def signature(self, listing: Listing) -> MinHash:
        """The MinHash of a listing's word shingles."""
        words = fingerprint_text(listing.title, listing.description)
        n = self.shingle
        if len(words) < n:
            shingles = {" ".join(words)}
        else:  # the n-word windows
            shingles = {" ".join(w) for w in zip(*(words[k:] for k in range(n)), strict=False)}
        signature = _blank(self.num_perm).copy()  # shares the permutations, not made anew
        signature.update_batch([s.encode("utf-8") for s in shingles if s])
        return signature

    def similarity(self, a: Listing, b: Listing) -> float:
        """Estimated Jaccard similarity of two listings' shingles (0-1)."""
        return float(self.signature(a).jaccard(self.signature(b)))

    # ----- decisions -----------------------------------------------------------------------

    def agree(self, a: Attributes, b: Attributes, similarity: float) -> bool:
        """True when the attributes allow one property at this text similarity.

        Near-identical texts (≥ `near_similarity`) only need the same transaction and no
        gross price/area conflict (beyond `loose_tolerance`): the rest is parsing noise.
        Below that, type, price, area, bedrooms and place must not conflict, and under
        `strong_similarity` price or area must be known and agree.
        """
        if similarity < self.threshold or a.transaction != b.transaction:
            return False
        if similarity >= self.near_similarity:
            loose = self.loose_tolerance
            return (
                _close(a.price_vnd, b.price_vnd, loose) is not False
                and _close(a.area_m2, b.area_m2, loose) is not False
            )
        if a.property_type != b.property_type:
            return False
        price = _close(a.price_vnd, b.price_vnd, self.price_tolerance)
        area = _close(a.area_m2, b.area_m2, self.area_tolerance)
        same = [price, area]
        for x, y in (
            (a.bedrooms, b.bedrooms),
            (a.district, b.district),
            (a.province, b.province),
        ):
            if x is not None and y is not None:
                same.append(x == y)
        if False in same:
            return False
        return similarity >= self.strong_similarity or price is True or area is True

    def is_duplicate(self, a: Listing, b: Listing) -> bool:
        """The pairwise decision, as `run` makes it (for evaluation and tests)."""
        return self.agree(Attributes.of(a), Attributes.of(b), self.similarity(a, b))

    def find(self, listing: Listing, signature: MinHash | None = None) -> DedupMatch | None:
        """The most similar known listing this one duplicates, or None."""
        signature = signature if signature is not None else self.signature(listing)
        attributes = Attributes.of(listing)
        best: DedupMatch | None = None
        for key in sorted(self._lsh.query(signature)):  # ties go the same way in every run
            if key == listing.id:
                continue
            member = self._members[key]
            sim = float(signature.jaccard(member.signature))
            if not self.agree(attributes, member.attributes, sim):
                continue
            if best is None or sim > best.similarity:
                best = DedupMatch(member.canonical_id, key, sim)
        return best

    def run(self, listing: Listing) -> DedupMatch | None:
        """Match `listing` against the known ones and remember it (under its canonical).

        A listing seen before keeps its canonical (re-ingesting is a no-op); a new one that
        duplicates a known listing joins that listing's canonical.
        """
        known = self._members.get(listing.id)
        if known is not None:
            if known.canonical_id == listing.id:
                return None
            return DedupMatch(known.canonical_id, listing.id, 1.0)
        signature = self.signature(listing)
        match = self.find(listing, signature)
        canonical = match.canonical_id if match else listing.id
        self._members[listing.id] = _Member(signature, Attributes.of(listing), canonical)
        self._lsh.insert(listing.id, signature)
        return match

    def rename_canonical(self, old_id: str, new_id: str) -> None:
        """Point every member of `old_id`'s group at `new_id` (the group's new canonical)."""
        for member in self._members.values():
            if member.canonical_id == old_id:
                member.canonical_id = new_id

    def canonical_of(self, listing_id: str) -> str | None:
        """The canonical id a known listing belongs to."""
        member = self._members.get(listing_id)
        return member.canonical_id if member else None

    # ----- persistence ---------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the state atomically (a pickle this process wrote; not for foreign files)."""
        state = {"version": _STATE_VERSION, "config": self._config(), "self": self.__dict__}
        # a temporary file of its own: `ree ingest` and a server may save at the same time
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    @classmethod
    def load(cls, path: Path, **config: float) -> ListingDeduplicator:
        """The state saved at `path` if it matches the configuration, else a fresh one."""
        fresh = cls(**config)  # type: ignore[arg-type]
        if not path.exists():
            return fresh
        state = pickle.loads(path.read_bytes())
        if state.get("version") != _STATE_VERSION or state.get("config") != fresh._config():
            return fresh
        fresh.__dict__.update(state["self"])
        return fresh

    def _config(self) -> tuple[float, ...]:
        return (
            self.threshold,
            self.strong_similarity,
            self.near_similarity,
            self.num_perm,
            self.shingle,
            self.price_tolerance,
            self.area_tolerance,
            self.loose_tolerance,
        )


# ----- canonical choice ----------------------------------------------------------------------

_COMPARED = (
    "price_vnd",
    "area_m2",
    "bedrooms",
    "bathrooms",
    "floors",
    "frontage_m",
    "road_width_m",
    "direction",
    "legal_status",
    "furnishing",
    "project",
    "street",
    "ward",
    "district",
    "province",
    "lat",
)


def _richness(listing: Listing) -> tuple[int, int, datetime]:
    known = sum(getattr(listing, name) is not None for name in _COMPARED)
    score = listing.completeness if listing.completeness is not None else known * 6
    when = listing.posted_at or listing.crawled_at or datetime.min.replace(tzinfo=UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return score, len(listing.description), when


def merge(a: Listing, b: Listing) -> Listing:
    """The canonical of two duplicates, with the other one's id (and sources) in `sources`.

    The more complete listing wins (completeness score, then fields known), then the longer
    description, then the more recent; on a full tie, `a` (the one already indexed).
    """
    winner, loser = (b, a) if _richness(b) > _richness(a) else (a, b)
    sources = [s for s in (*winner.sources, loser.id, *loser.sources) if s != winner.id]
    return winner.model_copy(update={"sources": list(dict.fromkeys(sources))})


# ----- evaluation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DedupEvaluation:
    """Precision and recall of the pairwise decision on labelled pairs."""

    pairs: int
    positives: int
    true_positives: int
    false_positives: int
    false_negatives: int
    missing: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 0.0


def evaluate_pairs(
    deduplicator: ListingDeduplicator,
    labelled: list[tuple[str, str, bool]],
    listings: dict[str, Listing],
) -> DedupEvaluation:
    """Score `deduplicator.is_duplicate` on (id_a, id_b, is_duplicate) labels.

    Pairs whose listings are not in `listings` are counted as `missing` and skipped.
    """
    tp = fp = fn = positives = missing = 0
    for id_a, id_b, label in labelled:
        a, b = listings.get(id_a), listings.get(id_b)
        if a is None or b is None:
            missing += 1
            continue
        positives += label
        decided = deduplicator.is_duplicate(a, b)
        tp += decided and label
        fp += decided and not label
        fn += label and not decided
    return DedupEvaluation(len(labelled) - missing, positives, tp, fp, fn, missing)


def read_pairs(path: Path) -> list[tuple[str, str, bool]]:
    """Labelled pairs from a CSV with columns id_a, id_b, label (1/0), note."""
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["id_a"], r["id_b"], r["label"].strip() == "1") for r in csv.DictReader(fh)]


def evaluate_dedup(
    source: Path, pairs: Path, deduplicator: ListingDeduplicator | None = None
) -> dict[str, object]:
    """`ree eval dedup`: precision/recall on labelled pairs of listings from `source`."""
    from ree.ingest.loaders import read_listings

    labelled = read_pairs(pairs)
    wanted = {i for a, b, _ in labelled for i in (a, b)}
    listings = {x.id: x for x in read_listings(source) if x.id in wanted}
    dedup = deduplicator or ListingDeduplicator()
    result = evaluate_pairs(dedup, labelled, listings)
    return {
        "pairs": result.pairs,
        "duplicates_labelled": result.positives,
        "precision": round(result.precision, 3),
        "recall": round(result.recall, 3),
        "true_positives": result.true_positives,
        "false_positives": result.false_positives,
        "false_negatives": result.false_negatives,
        "missing_listings": result.missing,
        "threshold": dedup.threshold,
        "strong_similarity": dedup.strong_similarity,
        "near_similarity": dedup.near_similarity,
    }
