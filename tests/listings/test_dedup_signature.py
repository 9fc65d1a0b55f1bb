"""The deduplicator's signatures: copies of one blank MinHash, equal to a fresh one's."""

from __future__ import annotations

from datasketch import MinHash

from ree.listings.dedup import ListingDeduplicator, fingerprint_text
from ree.models import Listing, PropertyType, Transaction


def test_dedup_signature_is_a_plain_minhash_of_the_shingles() -> None:
    listing = Listing(
        id="t:1",
        source="t",
        title="Bán nhà phố 3 tầng Gò Vấp",
        description="Nhà mới xây, hẻm xe hơi, sổ hồng riêng, gần chợ và trường học",
        transaction=Transaction.SALE,
        property_type=PropertyType.TOWNHOUSE,
    )
    dedup = ListingDeduplicator()
    words = fingerprint_text(listing.title, listing.description)
    plain = MinHash(num_perm=dedup.num_perm)
    plain.update_batch([" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)])
    first, second = dedup.signature(listing), dedup.signature(listing)
    assert (first.hashvalues == plain.hashvalues).all()
    assert first.jaccard(plain) == 1.0
    assert second.hashvalues is not first.hashvalues
