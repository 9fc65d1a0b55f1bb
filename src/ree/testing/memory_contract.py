"""The contract every `ConversationStore` backend passes (SQLite, PostgreSQL, ...).

Subclass `ConversationStoreContract` in a test module and supply a `store` fixture::

    class TestSqlMemory(ConversationStoreContract):
        @pytest.fixture
        def store(self, tmp_path: Path) -> Iterator[ConversationStore]:
            memory = SqlMemory(f"sqlite:///{tmp_path / 'ree.db'}")
            yield memory
            memory.close()

The suite assumes nothing about the backend: every test makes its own conversations with
fresh ids, so a store shared between tests (one server database) works too.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

import pytest

from ree.errors import Conflict, NotFound
from ree.memory.base import ConversationStore, Turn
from ree.models import (
    ConversationState,
    Direction,
    Feature,
    Filters,
    Intent,
    LegalStatus,
    PropertyType,
    Sort,
    Transaction,
)

__all__ = ["ConversationStoreContract", "rich_state"]


def rich_state() -> ConversationState:
    """A state that sets every kind of field: enums, lists with gaps, a nested draft."""
    filters = Filters(
        transaction=Transaction.SALE,
        property_types=[PropertyType.APARTMENT, PropertyType.TOWNHOUSE],
        province="Hồ Chí Minh",
        districts=["Quận 7", "Bình Thạnh"],
        price_min=2_000_000_000,
        price_max=4_500_000_000,
        area_min=55.5,
        bedrooms_min=2,
        bedrooms_max=3,
        directions=[Direction.SOUTH_EAST, Direction.NORTH_WEST],
        legal=[LegalStatus.PINK_BOOK],
        features=[Feature.POOL, Feature.ELEVATOR],
        sort=Sort.PRICE_ASC,
    )
    draft: dict[str, object] = {
        "property_type": "apartment",
        "area_m2": 70.5,
        "bedrooms": 2,
        "address": {"district": "Quận 7", "street": "Nguyễn Hữu Thọ"},
        "missing": ["price", "legal_status"],
        "confirmed": False,
    }
    return ConversationState(
        filters=filters,
        shown_ids=["demo:1", "demo:22", "demo:333"],
        shown_prices=[3_200_000_000, None, 4_100_000_000],
        shown_areas=[68.0, 72.25, None],
        language="en",
        last_intent=Intent.REFINE,
        draft=draft,
    )


def _turn(n: int, state: ConversationState | None = None, answer: str | None = None) -> Turn:
    return Turn(
        user_message=f"câu hỏi {n}",
        answer=f"trả lời {n}" if answer is None else answer,
        intent=Intent.SEARCH.value,
        state=state or ConversationState(shown_ids=[f"demo:{n}"]),
        meta={"n": n},
    )


def _fill(store: ConversationStore, conversation_id: str, count: int) -> None:
    for n in range(1, count + 1):
        store.append_turn(conversation_id, _turn(n), expected_version=n - 1)


class ConversationStoreContract:
    """Behaviour every conversation store must show; subclasses provide `store`."""

    def test_satisfies_protocol(self, store: ConversationStore) -> None:
        assert isinstance(store, ConversationStore)
        assert store.ping() is True

    def test_create_then_get(self, store: ConversationStore) -> None:
        made = store.create(user_id="user-1")
        assert made.version == 0
        assert made.user_id == "user-1"
        assert made.state == ConversationState()
        got = store.get(made.id)
        assert got is not None
        assert (got.id, got.user_id, got.version) == (made.id, "user-1", 0)
        assert got.state == ConversationState()
        assert isinstance(got.created_at, datetime)
        assert got.created_at.tzinfo is not None
        assert got.updated_at >= got.created_at

    def test_create_without_user(self, store: ConversationStore) -> None:
        made = store.create()
        got = store.get(made.id)
        assert got is not None
        assert got.user_id is None

    def test_get_unknown_is_none(self, store: ConversationStore) -> None:
        assert store.get(uuid.uuid4().hex) is None

    def test_ids_are_unique(self, store: ConversationStore) -> None:
        ids = {store.create().id for _ in range(50)}
        assert len(ids) == 50
        assert all(ids)

    def test_given_id_is_kept_and_cannot_be_reused(self, store: ConversationStore) -> None:
        wanted = f"conv-{uuid.uuid4().hex}"
        assert store.create(user_id="a", conversation_id=wanted).id == wanted
        store.append_turn(wanted, _turn(1), expected_version=0)
        with pytest.raises(Conflict):
            store.create(user_id="b", conversation_id=wanted)
        got = store.get(wanted)
        assert got is not None
        assert (got.user_id, got.version) == ("a", 1)

    def test_version_counts_turns(self, store: ConversationStore) -> None:
        cid = store.create().id
        versions = [store.append_turn(cid, _turn(n), expected_version=n - 1) for n in (1, 2, 3)]
        assert versions == [1, 2, 3]
        got = store.get(cid)
        assert got is not None
        assert got.version == 3
        assert got.updated_at >= got.created_at

    def test_history_oldest_first_with_limit(self, store: ConversationStore) -> None:
        cid = store.create().id
        _fill(store, cid, 5)
        last3 = store.history(cid, limit=3)
        assert [t.seq for t in last3] == [3, 4, 5]
        assert [t.user_message for t in last3] == ["câu hỏi 3", "câu hỏi 4", "câu hỏi 5"]
        assert [t.answer for t in last3] == ["trả lời 3", "trả lời 4", "trả lời 5"]
        assert [t.meta for t in last3] == [{"n": 3}, {"n": 4}, {"n": 5}]
        assert [t.seq for t in store.history(cid)] == [1, 2, 3, 4, 5]
        assert [t.seq for t in store.history(cid, limit=50)] == [1, 2, 3, 4, 5]
        assert store.history(cid, limit=0) == []
        stamps = [t.created_at for t in store.history(cid)]
        assert all(s is not None and s.tzinfo is not None for s in stamps)

    def test_history_of_unknown_conversation_is_empty(self, store: ConversationStore) -> None:
        assert store.history(uuid.uuid4().hex) == []
        assert store.history(store.create().id) == []

    def test_state_round_trips(self, store: ConversationStore) -> None:
        cid = store.create().id
        state = rich_state()
        store.append_turn(cid, _turn(1, state=state), expected_version=0)
        got = store.get(cid)
        assert got is not None
        assert got.state == state
        assert got.state.filters.property_types == [PropertyType.APARTMENT, PropertyType.TOWNHOUSE]
        assert isinstance(got.state.filters.directions, list)
        assert isinstance(got.state.filters.directions[0], Direction)
        assert got.state.last_intent is Intent.REFINE
        assert got.state.language == "en"
        (turn,) = store.history(cid)
        assert turn.state == state
        assert turn.intent == "search"

    def test_each_turn_keeps_its_own_state(self, store: ConversationStore) -> None:
        cid = store.create().id
        first = ConversationState(filters=Filters(districts=["Quận 1"]), shown_ids=["a:1"])
        second = ConversationState(filters=Filters(districts=["Quận 3"]), shown_ids=["a:2"])
        store.append_turn(cid, _turn(1, state=first), expected_version=0)
        store.append_turn(cid, _turn(2, state=second), expected_version=1)
        assert [t.state for t in store.history(cid)] == [first, second]
        got = store.get(cid)
        assert got is not None
        assert got.state == second

    def test_stale_version_conflicts_and_writes_nothing(self, store: ConversationStore) -> None:
        cid = store.create().id
        kept = ConversationState(shown_ids=["kept:1"])
        store.append_turn(cid, _turn(1, state=kept), expected_version=0)
        stale = _turn(2, state=ConversationState(shown_ids=["lost:1"]))
        for expected in (0, 2, 7, -1):
            with pytest.raises(Conflict):
                store.append_turn(cid, stale, expected_version=expected)
        got = store.get(cid)
        assert got is not None
        assert got.version == 1
        assert got.state == kept
        assert [t.user_message for t in store.history(cid, limit=100)] == ["câu hỏi 1"]
        assert store.append_turn(cid, _turn(2), expected_version=1) == 2

    def test_append_to_unknown_conversation_is_not_found(self, store: ConversationStore) -> None:
        missing = uuid.uuid4().hex
        with pytest.raises(NotFound):
            store.append_turn(missing, _turn(1), expected_version=0)
        assert store.get(missing) is None
        assert store.history(missing) == []

    def test_delete_removes_conversation_and_turns(self, store: ConversationStore) -> None:
        cid, other = store.create().id, store.create().id
        _fill(store, cid, 3)
        _fill(store, other, 2)
        assert store.delete(cid) is True
        assert store.get(cid) is None
        assert store.history(cid) == []
        assert store.delete(cid) is False
        assert [t.seq for t in store.history(other)] == [1, 2]

    def test_deleted_id_can_start_afresh(self, store: ConversationStore) -> None:
        cid = f"again-{uuid.uuid4().hex}"
        store.create(conversation_id=cid)
        _fill(store, cid, 2)
        store.delete(cid)
        assert store.create(conversation_id=cid).version == 0
        assert store.append_turn(cid, _turn(1), expected_version=0) == 1
        assert [t.seq for t in store.history(cid)] == [1]

    def test_unicode_content_round_trips(self, store: ConversationStore) -> None:
        cid = store.create(user_id="người dùng ✓").id
        message = "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ, có hồ bơi 🏊 — “giá” ‘tốt’?"
        answer = "Có 3 căn: Đường Nguyễn Hữu Thọ… 😀 日本語 עברית \\ \" '; DROP TABLE messages;--"
        decomposed = "Qua\u0302\u0323n"  # "Quận" in decomposed form: stored as sent, not NFC
        turn = Turn(message, answer, Intent.SEARCH.value, rich_state(), {"note": decomposed})
        store.append_turn(cid, turn, expected_version=0)
        (got,) = store.history(cid)
        assert (got.user_message, got.answer) == (message, answer)
        assert got.meta == {"note": decomposed}
        conversation = store.get(cid)
        assert conversation is not None
        assert conversation.user_id == "người dùng ✓"

    def test_large_answer_round_trips(self, store: ConversationStore) -> None:
        cid = store.create().id
        answer = ("Căn hộ Quận 7, 2 phòng ngủ, giá 3,2 tỷ. " * 2600)[:100_000]
        assert len(answer) == 100_000
        store.append_turn(cid, _turn(1, answer=answer), expected_version=0)
        (got,) = store.history(cid)
        assert got.answer == answer

    def test_concurrent_appends_land_once_in_order(self, store: ConversationStore) -> None:
        cid = store.create().id
        writers, per_writer = 4, 10
        start = threading.Barrier(writers)
        errors: list[BaseException] = []

        def write(w: int) -> None:
            try:
                start.wait()
                for i in range(per_writer):
                    _append_with_retry(store, cid, Turn(f"{w}:{i}", "", "search", _state(w, i)))
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        turns = store.history(cid, limit=writers * per_writer + 10)
        total = writers * per_writer
        assert [t.seq for t in turns] == list(range(1, total + 1))
        sent = {f"{w}:{i}" for w in range(writers) for i in range(per_writer)}
        assert sorted(t.user_message for t in turns) == sorted(sent)
        sent_by = [tuple(map(int, t.user_message.split(":"))) for t in turns]
        for w in range(writers):
            assert [i for writer, i in sent_by if writer == w] == list(range(per_writer))
        got = store.get(cid)
        assert got is not None
        assert got.version == total
        assert got.state == turns[-1].state


def _state(writer: int, i: int) -> ConversationState:
    return ConversationState(shown_ids=[f"w{writer}:{i}"])


def _append_with_retry(store: ConversationStore, cid: str, turn: Turn) -> int:
    """What a caller does on `Conflict`: reload the version and try again."""
    for _ in range(10_000):
        current = store.get(cid)
        assert current is not None
        try:
            return store.append_turn(cid, turn, expected_version=current.version)
        except Conflict:
            continue
    raise AssertionError("append never succeeded")
