"""Former districts cover their wards under the unit that absorbed them."""

from __future__ import annotations

import pytest

from ree.models import Filters, Listing
from ree.vi.scope import district_scope


@pytest.mark.parametrize(
    ("districts", "district", "ward", "covered"),
    [
        (["Quận 2"], "Thủ Đức", "Thảo Điền", True),
        (["Quận 2"], "Thủ Đức", "An Phú", True),
        (["Quận 2"], "Thủ Đức", "Linh Trung", False),  # old Thủ Đức, not Quận 2
        (["Quận 2"], "Quận 2", None, True),  # stored under the former name
        (["Quận 9"], "Thủ Đức", "Long Thạnh Mỹ", True),
        (["Quận 9"], "Thủ Đức", "Thảo Điền", False),
        (["Thủ Đức"], "Thủ Đức", "Linh Trung", True),
        (["Quận 7"], "Thủ Đức", "Thảo Điền", False),
        (["Quận 2", "Quận 7"], "Quận 7", "Tân Phong", True),
    ],
)
def test_scope(districts: list[str], district: str, ward: str | None, covered: bool) -> None:
    assert district_scope(districts).covers(district, ward) is covered
    listing = Listing(id="t:1", source="t", title="x", district=district, ward=ward)
    assert Filters(districts=districts).matches(listing) is covered
