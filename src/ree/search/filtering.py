"""How a `Listing` becomes a tantivy document, `Filters` + query text tantivy queries, and back.

Text fields use the `vi_fold` analyzer: NFC-normalised input, tantivy's simple tokenizer,
lowercase, then ASCII folding (which maps Vietnamese letters, stacked diacritics and `đ`/`Đ`
to plain ASCII), so "can ho quan 7" matches "Căn hộ Quận 7". Filter fields are exact terms
(raw tokenizer) or fast numeric fields, so every filter runs inside tantivy and agrees with
`Filters.matches`: equal strings, inclusive ranges, unknown values never pass a bound.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any, Final

import numpy as np
import tantivy
from numpy.typing import NDArray

from ree.models import Filters, Listing, Sort
from ree.vi.scope import district_scope

__all__ = [
    "FOLD_TOKENIZER",
    "SCHEMA_VERSION",
    "SORT_ORDERS",
    "build_schema",
    "count_matches",
    "filter_query",
    "fold_analyzer",
    "keys_matching",
    "listing_document",
    "load_listings",
    "sort_by_field",
    "text_query",
    "timestamp_us",
    "token_pairs",
    "tokenize",
]

SCHEMA_VERSION: Final = 2
FOLD_TOKENIZER: Final = "vi_fold"

# Text fields and their weights in the lexical (BM25) query.
TEXT_BOOSTS: Final = {"title": 3.0, "place": 1.5, "body": 1.0}
# Adjacent-token pairs ("can_ho") as plain terms: a phrase query costs ~10x more at 100k docs.
PAIR_BOOSTS: Final = {"title_pairs": 3.0, "pairs": 1.0}
MAX_QUERY_TOKENS: Final = 32

# Filters key -> exact-term field (multi-valued for features).
_TERM_FIELDS: Final = (
    "transaction",
    "property_type",
    "province",
    "district",
    "ward",
    "street",
    "project",
    "direction",
    "legal",
    "feature",
)

# sort -> (fast field, descending?); listings without the value always come last.
SORT_ORDERS: Final = {
    Sort.PRICE_ASC: ("price", False),
    Sort.PRICE_DESC: ("price", True),
    Sort.AREA_DESC: ("area", True),
    Sort.NEWEST: ("posted", True),
}


def fold_analyzer() -> tantivy.TextAnalyzer:
    """The Vietnamese folding analyzer, registered on the index as `vi_fold`."""
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    builder = builder.filter(tantivy.Filter.remove_long(40))
    builder = builder.filter(tantivy.Filter.lowercase())
    return builder.filter(tantivy.Filter.ascii_fold()).build()


def tokenize(analyzer: tantivy.TextAnalyzer, text: str) -> list[str]:
    """Folded tokens of `text`, as the index sees them."""
    return analyzer.analyze(unicodedata.normalize("NFC", text))


def build_schema() -> tantivy.Schema:
    """The listing schema: folded text, exact filter terms, fast numbers, stored JSON."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    sb.add_integer_field("vkey", indexed=True, fast=True)
    sb.add_integer_field("ehash", fast=True)
    for name in TEXT_BOOSTS:
        sb.add_text_field(name, tokenizer_name=FOLD_TOKENIZER, index_option="freq")
    for name in PAIR_BOOSTS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    for name in _TERM_FIELDS:
        sb.add_text_field(name, tokenizer_name="raw", fast=True)
    for name in ("price", "bedrooms", "bathrooms", "posted", "crawled"):
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_float_field("area", indexed=True, fast=True)
    sb.add_bytes_field("json", stored=True)
    return sb.build()


def timestamp_us(moment: datetime) -> int:
    """Microseconds since the epoch; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1_000_000)


def listing_document(
    listing: Listing, vkey: int, ehash: int, analyzer: tantivy.TextAnalyzer
) -> tantivy.Document:
    """The tantivy document of `listing`, whose vector is row `vkey` (`ehash`: its text hash).

    `analyzer` (the `vi_fold` one) makes the token pairs of the `*_pairs` fields.
    """
    doc = tantivy.Document()
    doc.add_text("id", listing.id)
    doc.add_integer("vkey", vkey)
    doc.add_integer("ehash", ehash)
    place = place_text(listing)
    doc.add_text("title", _nfc(listing.title))
    doc.add_text("body", _nfc(listing.description))
    doc.add_text("place", _nfc(place))
    doc.add_text("title_pairs", " ".join(token_pairs(tokenize(analyzer, listing.title))))
    pairs = token_pairs(tokenize(analyzer, place)) + token_pairs(
        tokenize(analyzer, listing.description)
    )
    doc.add_text("pairs", " ".join(pairs))
    terms = {
        "transaction": listing.transaction.value,
        "property_type": listing.property_type.value,
        "province": listing.province,
        "district": listing.district,
        "ward": listing.ward,
        "street": listing.street,
        "project": listing.project,
        "direction": listing.direction.value if listing.direction else None,
        "legal": listing.legal_status.value if listing.legal_status else None,
    }
    for name, value in terms.items():
        if value is not None:
            doc.add_text(name, value)
    for feature in dict.fromkeys(listing.features):
        doc.add_text("feature", feature.value)
    _add_numbers(doc, listing)
    doc.add_bytes("json", listing.model_dump_json().encode())  # orjson: ints <= 64 bits only
    return doc


def place_text(listing: Listing) -> str:
    """Project and address parts, de-duplicated, for the `place` text field."""
    parts = [
        listing.project,
        listing.address,
        listing.street,
        listing.ward,
        listing.district,
        listing.province,
    ]
    return " · ".join(dict.fromkeys(p for p in parts if p))


def _add_numbers(doc: tantivy.Document, listing: Listing) -> None:
    ints = {
        "price": listing.price_vnd,
        "bedrooms": listing.bedrooms,
        "bathrooms": listing.bathrooms,
        "posted": timestamp_us(listing.posted_at) if listing.posted_at else None,
        "crawled": timestamp_us(listing.crawled_at) if listing.crawled_at else None,
    }
    for name, value in ints.items():
        if value is not None:
            doc.add_integer(name, _i64(value))
    if listing.area_m2 is not None:
        doc.add_float("area", float(listing.area_m2))


def filter_query(schema: tantivy.Schema, filters: Filters) -> tantivy.Query:
    """One query matching exactly the listings `filters.matches` accepts (sort ignored)."""
    clauses = _term_clauses(schema, filters) + _range_clauses(schema, filters)
    if not clauses:
        return tantivy.Query.all_query()
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in clauses])


def _term_clauses(schema: tantivy.Schema, f: Filters) -> list[tantivy.Query]:
    any_of: dict[str, list[str] | None] = {
        "transaction": [f.transaction.value] if f.transaction else None,
        "property_type": [p.value for p in f.property_types] if f.property_types else None,
        "province": [f.province] if f.province else None,
        "ward": f.wards or None,
        "street": f.streets or None,
        "project": [f.project] if f.project else None,
        "direction": [d.value for d in f.directions] if f.directions else None,
        "legal": [s.value for s in f.legal] if f.legal else None,
    }
    out: list[tantivy.Query] = []
    for name, values in any_of.items():
        if not values:
            continue
        if len(values) == 1:
            out.append(tantivy.Query.term_query(schema, name, values[0]))
        else:
            out.append(tantivy.Query.term_set_query(schema, name, sorted(set(values))))
    if f.districts:
        out.append(_district_clause(schema, f.districts))
    for feature in dict.fromkeys(f.features or []):  # every feature is required
        out.append(tantivy.Query.term_query(schema, "feature", feature.value))
    return out


def _district_clause(schema: tantivy.Schema, districts: list[str]) -> tantivy.Query:
    """Listings in the districts, or in a former district's wards under its new unit."""
    scope = district_scope(districts)
    either = [tantivy.Query.term_set_query(schema, "district", sorted(scope.districts))]
    for parent, wards in sorted(scope.wards_of.items()):
        inside = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, tantivy.Query.term_query(schema, "district", parent)),
                (tantivy.Occur.Must, tantivy.Query.term_set_query(schema, "ward", sorted(wards))),
            ]
        )
        either.append(inside)
    if len(either) == 1:
        return either[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in either])


def _range_clauses(schema: tantivy.Schema, f: Filters) -> list[tantivy.Query]:
    int_ranges = {
        "price": (f.price_min, f.price_max),
        "bedrooms": (f.bedrooms_min, f.bedrooms_max),
        "bathrooms": (f.bathrooms_min, None),
    }
    out: list[tantivy.Query] = []
    for name, (low, high) in int_ranges.items():
        if low is not None or high is not None:
            low_i = _i64(low) if low is not None else None
            high_i = _i64(high) if high is not None else None
            out.append(
                tantivy.Query.range_query(schema, name, tantivy.FieldType.Integer, low_i, high_i)
            )
    if f.area_min is not None or f.area_max is not None:
        low_f = float(f.area_min) if f.area_min is not None else None
        high_f = float(f.area_max) if f.area_max is not None else None
        out.append(
            tantivy.Query.range_query(schema, "area", tantivy.FieldType.Float, low_f, high_f)
        )
    return out


def token_pairs(tokens: list[str]) -> list[str]:
    """Adjacent folded tokens joined by "_" ("can", "ho" -> "can_ho"); repeats dropped."""
    return [f"{a}_{b}" for a, b in pairwise(tokens) if a != b]


def text_query(schema: tantivy.Schema, tokens: list[str]) -> tantivy.Query | None:
    """BM25 query: any token in any text field (boosted by field), plus adjacent-token pairs.

    Vietnamese words are mostly two syllables ("căn hộ", "hồ bơi"), so the pair terms
    reward listings holding the words, not just their syllables. None when no tokens.
    """
    tokens = tokens[:MAX_QUERY_TOKENS]
    if not tokens:
        return None
    should: list[tantivy.Query] = []
    for token in dict.fromkeys(tokens):
        for name, boost in TEXT_BOOSTS.items():
            term = tantivy.Query.term_query(schema, name, token)
            should.append(tantivy.Query.boost_query(term, boost))
    for pair in dict.fromkeys(token_pairs(tokens)):
        for name, boost in PAIR_BOOSTS.items():
            term = tantivy.Query.term_query(schema, name, pair)
            should.append(tantivy.Query.boost_query(term, boost))
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in should])


def _i64(value: int) -> int:
    """Clamp to tantivy's signed 64-bit range (absurd values still compare the same way)."""
    return max(-(2**63), min(value, 2**63 - 1))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ----- reading back --------------------------------------------------------------------------


def load_listings(searcher: tantivy.Searcher, addrs: list[tantivy.DocAddress]) -> list[Listing]:
    """The stored listings at `addrs`, in that order."""
    out = []
    for addr in addrs:
        data = searcher.doc(addr).get_first("json")
        if data is not None:
            out.append(Listing.model_validate_json(data))
    return out


def count_matches(searcher: tantivy.Searcher, query: tantivy.Query) -> int:
    """How many live documents match `query`."""
    found: Any = searcher.search(query, limit=1, count=True)
    return int(found.count)


def keys_matching(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    where: tantivy.Query,
    keys: NDArray[np.int64],
) -> dict[int, tantivy.DocAddress]:
    """Which of `keys` belong to a live document matching `where` (key -> its address)."""
    if len(keys) == 0:
        return {}
    among = tantivy.Query.term_set_query(schema, "vkey", [int(k) for k in keys])
    query = tantivy.Query.boolean_query([(tantivy.Occur.Must, among), (tantivy.Occur.Must, where)])
    hits = searcher.search(query, limit=len(keys), count=False).hits
    addrs = [addr for _, addr in hits]
    found = searcher.fast_field_values("vkey", addrs)
    return {int(k): a for k, a in zip(found, addrs, strict=True) if k is not None}


def sort_by_field(
    searcher: tantivy.Searcher,
    fused: list[tuple[int, float]],
    addrs: dict[int, tantivy.DocAddress],
    field: str,
    descending: bool,
) -> list[tuple[int, float]]:
    """`fused` (key, score) pairs reordered by a fast field; missing values last, stable."""
    values = searcher.fast_field_values(field, [addrs[key] for key, _ in fused])
    sign = -1.0 if descending else 1.0

    def order(pair: tuple[tuple[int, float], int | float | bool | None]) -> tuple[bool, float]:
        value = pair[1]
        return (value is None, sign * float(value) if value is not None else 0.0)

    return [item for item, _ in sorted(zip(fused, values, strict=True), key=order)]
