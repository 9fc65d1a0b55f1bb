"""The learned type model: it learns a portal's conventions the rules do not know, persists,
refuses too little data, and never overrides a type the source gave.

The labelled rows are our own phrases. The convention taught: a run-down house sold for its
plot ("nhà nát", "nhà cũ tiện xây mới") is filed under land, where the rules read a house or
nothing. A category that spans two of REE's types ("biệt thự liền kề") is learned as the type
the text names, so the model stays in REE's one vocabulary.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ree.cli import app
from ree.listings.extract import AttributeExtractor, RawListing
from ree.listings.persist import save_versioned
from ree.listings.type_model import (
    MODEL_FILE,
    LearnedTypeExtractor,
    TypeModel,
    TypeModelFile,
    fit_files,
    labelled_rows,
    portal_types,
    sample_of,
)
from ree.models import Filters, PropertyType
from ree.search.embedded import EmbeddedSearch

PLACES = ["Gò Vấp", "Quận 7", "Thủ Đức", "Hà Đông", "Cầu Giấy", "Biên Hòa", "Dĩ An", "Long Biên"]
TEMPLATES = {
    "ban-dat": [
        "Bán nhà nát tiện xây mới {p} {a}m2",
        "Nhà nát {p} {a}m2 giá {m} tỷ, tiện xây mới",
        "Bán nhà cũ nát {p} {a}m2 sổ riêng",
        "Bán đất thổ cư {p} {a}m2 giá {m} tỷ",
    ],
    "ban-nha-rieng": [
        "Bán nhà hẻm xe hơi {p} {f} tầng {a}m2",
        "Nhà riêng {p} {a}m2 {f} lầu hẻm 4m giá {m} tỷ",
        "Bán gấp nhà trong ngõ {p}, {a}m2, {f} tầng",
    ],
    "ban-nha-biet-thu-lien-ke": [
        "Bán biệt thự {p} {a}m2 sân vườn",
        "Bán nhà liền kề khu đô thị {p} {f} tầng {a}m2",
        "Biệt thự song lập {p} {a}m2 giá {m} tỷ",
    ],
    "ban-can-ho-chung-cu": [
        "Bán căn hộ {r}PN {p} {a}m2 giá {m} tỷ",
        "Chung cư {p} {r} phòng ngủ {a}m2 nội thất đầy đủ",
        "Cần bán căn hộ chung cư {p}, {a}m2, {r}PN",
    ],
}


SLUG_TYPE = {
    "ban-dat": PropertyType.LAND,
    "ban-nha-rieng": PropertyType.HOUSE,
    "ban-nha-biet-thu-lien-ke": PropertyType.VILLA,
    "ban-can-ho-chung-cu": PropertyType.APARTMENT,
}


def _rows(n_per_slug: int, seed: int) -> list[dict[str, str]]:
    rnd = random.Random(seed)
    rows = []
    for slug, templates in TEMPLATES.items():
        for _ in range(n_per_slug):
            title = rnd.choice(templates).format(
                p=rnd.choice(PLACES),
                f=rnd.randint(2, 5),
                a=rnd.randint(40, 200),
                m=rnd.randint(2, 15),
                r=rnd.randint(1, 3),
            )
            rows.append({"title": title, "description": "", "property_type_slug": slug})
    rnd.shuffle(rows)
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["title", "description", "property_type_slug"])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> TypeModel:
    path = _write(tmp_path_factory.mktemp("types") / "portal.csv", _rows(40, seed=3))
    return fit_files([path], min_rows=100)


def test_it_learns_a_portal_convention_the_rules_do_not_know(model: TypeModel) -> None:
    title = "Bán nhà nát hẻm xe hơi Gò Vấp 4x18, tiện xây mới"  # a phrase not in training
    rules = AttributeExtractor().run(RawListing(title=title))
    assert rules.classification.property_type is not PropertyType.LAND
    [(ptype, probability)] = model.predict([sample_of(rules)])
    assert ptype is PropertyType.LAND and 0.5 < probability <= 1.0
    assert model.meta["rows"] == 160


def test_a_category_spanning_two_types_is_learned_as_the_type_the_text_names(
    model: TypeModel,
) -> None:
    """ "biệt thự liền kề" rows: "nhà liền kề" stays a townhouse (as a query reads it), "biệt
    thự" a villa; nothing is learned that a search for townhouses would miss."""
    extractor = AttributeExtractor()
    row_house = sample_of(extractor.run(RawListing(title="Bán nhà liền kề Văn Quán 4 tầng 70m2")))
    villa = sample_of(extractor.run(RawListing(title="Bán biệt thự đơn lập Ecopark 300m2")))
    assert [t for t, _ in model.predict([row_house, villa])] == [
        PropertyType.TOWNHOUSE,
        PropertyType.VILLA,
    ]
    assert model.meta["types"]["townhouse"] > 0 and model.meta["types"]["villa"] > 0


def test_held_out_rows_are_mostly_right(model: TypeModel) -> None:
    rows = _rows(10, seed=99)
    extractor = AttributeExtractor()
    samples = [sample_of(extractor.run(RawListing(title=r["title"]))) for r in rows]
    got = [t for t, _ in model.predict(samples)]
    right = sum(g in portal_types(r["property_type_slug"]) for g, r in zip(got, rows, strict=True))
    assert right / len(rows) >= 0.9
    assert model.predict([]) == []


def test_the_extractor_uses_the_model_only_where_the_text_decided(model: TypeModel) -> None:
    extractor = LearnedTypeExtractor(model)
    text = RawListing(title="Bán nhà nát Hà Đông 5x18, tiện xây mới, giá 4 tỷ")
    found = extractor.run(text)
    assert found.listing.property_type is PropertyType.LAND
    assert found.found_in["property_type"] == "model"
    assert found.classification.property_type is PropertyType.LAND
    assert 0.5 < found.classification.type_confidence <= 1.0
    assert found.listing.price_vnd == 4_000_000_000 and found.listing.area_m2 == 90
    given = text.model_copy(update={"property_type": "house"})
    kept = extractor.run(given)
    assert kept.listing.property_type is PropertyType.HOUSE
    assert kept.found_in["property_type"] == "portal"
    batch = extractor.run_many([text, given])
    assert [e.listing.property_type for e in batch] == [PropertyType.LAND, PropertyType.HOUSE]


def test_junk_flags_stay_the_rules(model: TypeModel) -> None:
    junk = RawListing(title="???? ???? ???? ????", description="???? ???? ???? ???? ????")
    rules = AttributeExtractor().run(junk).classification
    learned = LearnedTypeExtractor(model).run(junk).classification
    assert rules.is_junk and learned.flags == rules.flags


def test_save_load_round_trip_and_bad_files(model: TypeModel, tmp_path: Path) -> None:
    path = model.save(tmp_path)
    assert path == tmp_path / MODEL_FILE
    loaded = TypeModel.load(tmp_path)
    assert loaded is not None
    sample = sample_of(AttributeExtractor().run(RawListing(title="Bán đất thổ cư Dĩ An 100m2")))
    assert loaded.predict([sample]) == model.predict([sample])
    save_versioned(model, tmp_path / "old.joblib", version=0)
    assert TypeModel.load(tmp_path / "old.joblib") is None  # another format version
    (tmp_path / "torn.joblib").write_bytes(b"not a joblib file")
    assert TypeModel.load(tmp_path / "torn.joblib") is None
    assert TypeModel.load(tmp_path / "absent") is None


def test_a_model_file_is_picked_up_when_it_appears(model: TypeModel, tmp_path: Path) -> None:
    file = TypeModelFile(tmp_path, check_every_s=0)
    extractor = LearnedTypeExtractor(file)
    raw = RawListing(title="Bán nhà nát Long Biên 80m2 tiện xây mới")
    assert extractor.model() is None
    assert extractor.run(raw).listing.property_type is not PropertyType.LAND  # rules alone
    file.set(model)
    assert extractor.run(raw).listing.property_type is PropertyType.LAND


def test_too_little_data_is_refused_with_a_reason() -> None:
    extractor = AttributeExtractor()
    rows = _rows(10, seed=5)
    samples = [sample_of(extractor.run(RawListing(title=r["title"]))) for r in rows]
    labels = [SLUG_TYPE[r["property_type_slug"]] for r in rows]
    with pytest.raises(ValueError, match="need at least 200"):
        TypeModel.fit(samples, labels)
    with pytest.raises(ValueError, match="two or more types"):
        TypeModel.fit(samples, [PropertyType.LAND] * len(samples), min_rows=10)
    with pytest.raises(ValueError, match="labels"):
        TypeModel.fit(samples, labels[:-1], min_rows=10)


def test_labelled_rows_skip_unknown_categories_and_need_the_columns(tmp_path: Path) -> None:
    rows = [
        {"title": "Bán đất Củ Chi 200m2", "description": "", "property_type_slug": "ban-dat"},
        {"title": "Bán gì đó", "description": "", "property_type_slug": "ban-loai-khac-la"},
        {"title": "", "description": "x", "property_type_slug": "ban-dat"},
    ]
    got = list(labelled_rows(_write(tmp_path / "a.csv", rows)))
    assert [(raw.title, t) for raw, t in got] == [("Bán đất Củ Chi 200m2", PropertyType.LAND)]
    (tmp_path / "b.csv").write_text("name,price\nx,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="property_type_slug"):
        list(labelled_rows(tmp_path / "b.csv"))


def test_ree_fit_types_saves_the_model_and_reports(tmp_path: Path) -> None:
    source = _write(tmp_path / "portal.csv", _rows(30, seed=8))
    data = tmp_path / "data"
    args = ["fit-types", str(source), "--data-dir", str(data), "--min-rows", "50"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "fitted on 120 listings" in r.output
    assert TypeModel.load(data) is not None
    few = CliRunner().invoke(app, ["fit-types", str(source), "--data-dir", str(tmp_path / "x")])
    assert few.exit_code == 2 and "need at least 200" in few.output
    assert not (tmp_path / "x" / MODEL_FILE).exists()


def test_ingest_and_analyze_use_the_saved_type_model(tmp_path: Path) -> None:
    data = tmp_path / "data"
    portal = _write(tmp_path / "portal.csv", _rows(30, seed=12))
    fit = ["fit-types", str(portal), "--data-dir", str(data), "--min-rows", "50"]
    assert CliRunner().invoke(app, fit).exit_code == 0
    title = "Bán nhà nát Thanh Trì 75m2 tiện xây mới, giá 5 tỷ"
    rows = [
        {"id": "t:untyped", "source": "t", "title": title},
        {
            "id": "t:typed",
            "source": "t",
            "title": "Nhà cũ nát ngõ 12 Văn Quán Hà Đông, 60m2, giá 6 tỷ, ở ngay được",
            "property_type": "house",
        },
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    r = CliRunner().invoke(app, ["ingest", str(source), "--data-dir", str(data)])
    assert r.exit_code == 0, r.output
    search = EmbeddedSearch(data / "index")
    try:
        stored = {h.listing.id: h.listing for h in search.search(None, Filters(), limit=10).hits}
    finally:
        search.close()
    assert stored["t:untyped"].property_type is PropertyType.LAND  # the learned convention
    assert stored["t:typed"].property_type is PropertyType.HOUSE  # the source's word
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({"title": title}, ensure_ascii=False), "utf-8")
    out = CliRunner().invoke(app, ["analyze", str(draft), "--data-dir", str(data), "--no-index"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["property_type"] == "land"
