"""ConversationLocks: one turn at a time per conversation, in arrival order, bounded wait."""

from __future__ import annotations

import asyncio

import pytest

from ree.errors import Conflict
from ree.infra.locks import ConversationLocks

# Guards against a hang if locking were broken; never reached when it works.
DEADLOCK_GUARD_S = 10.0


async def test_one_conversation_runs_one_turn_at_a_time_in_order() -> None:
    locks = ConversationLocks()
    inside = 0
    most_inside = 0
    entered: list[int] = []
    left: list[int] = []

    async def turn(n: int) -> None:
        nonlocal inside, most_inside
        async with locks.acquire("c1", timeout_s=DEADLOCK_GUARD_S):
            inside += 1
            most_inside = max(most_inside, inside)
            entered.append(n)
            for _ in range(3):  # give every other task the chance to barge in
                await asyncio.sleep(0)
            left.append(n)
            inside -= 1

    tasks = []
    for n in range(10):
        tasks.append(asyncio.create_task(turn(n)))
        await asyncio.sleep(0)  # arrival order is creation order
    await asyncio.gather(*tasks)
    assert most_inside == 1
    assert entered == list(range(10))
    assert left == list(range(10))
    assert len(locks) == 0


async def test_different_conversations_run_concurrently() -> None:
    locks = ConversationLocks()
    a_inside, b_inside = asyncio.Event(), asyncio.Event()

    async def hold(cid: str, mine: asyncio.Event, other: asyncio.Event) -> None:
        async with locks.acquire(cid):
            mine.set()
            await other.wait()  # only finishes if the other conversation got in too

    await asyncio.wait_for(
        asyncio.gather(hold("a", a_inside, b_inside), hold("b", b_inside, a_inside)),
        DEADLOCK_GUARD_S,
    )
    assert len(locks) == 0


async def test_wait_past_the_bound_is_a_conflict_and_the_queue_survives() -> None:
    locks = ConversationLocks()
    release = asyncio.Event()
    holding = asyncio.Event()
    order: list[str] = []

    async def holder() -> None:
        async with locks.acquire("c"):
            holding.set()
            await release.wait()
            order.append("holder")

    async def patient() -> None:
        async with locks.acquire("c", timeout_s=DEADLOCK_GUARD_S):
            order.append("patient")

    first = asyncio.create_task(holder())
    await holding.wait()
    second = asyncio.create_task(patient())
    await asyncio.sleep(0)
    with pytest.raises(Conflict, match="busy") as info:
        async with locks.acquire("c", timeout_s=0.05):
            order.append("impatient")
    assert info.value.code == "conflict"
    assert locks.busy("c")
    release.set()
    await asyncio.wait_for(asyncio.gather(first, second), DEADLOCK_GUARD_S)
    assert order == ["holder", "patient"]
    assert len(locks) == 0


async def test_cancelled_waiter_does_not_block_the_next() -> None:
    locks = ConversationLocks()
    release = asyncio.Event()
    holding = asyncio.Event()
    ran: list[str] = []

    async def holder() -> None:
        async with locks.acquire("c"):
            holding.set()
            await release.wait()

    async def waiter(name: str) -> None:
        async with locks.acquire("c"):
            ran.append(name)

    first = asyncio.create_task(holder())
    await holding.wait()
    doomed = asyncio.create_task(waiter("doomed"))
    last = asyncio.create_task(waiter("last"))
    await asyncio.sleep(0)
    doomed.cancel()
    release.set()
    await asyncio.wait_for(asyncio.gather(first, last), DEADLOCK_GUARD_S)
    with pytest.raises(asyncio.CancelledError):
        await doomed
    assert ran == ["last"]
    assert len(locks) == 0


async def test_error_inside_releases_the_lock() -> None:
    locks = ConversationLocks()
    with pytest.raises(RuntimeError):
        async with locks.acquire("c"):
            raise RuntimeError("turn failed")
    assert len(locks) == 0
    async with locks.acquire("c", timeout_s=DEADLOCK_GUARD_S):
        assert locks.busy("c")


async def test_registry_does_not_grow_with_conversations_served() -> None:
    locks = ConversationLocks()

    async def turn(cid: str) -> None:
        async with locks.acquire(cid):
            await asyncio.sleep(0)

    for batch in range(20):
        await asyncio.gather(*(turn(f"c{batch}-{i}") for i in range(50)))
        assert len(locks) == 0
    held = [locks.acquire(f"h{i}") for i in range(5)]
    for cm in held:
        await cm.__aenter__()
    assert len(locks) == 5
    for cm in held:
        await cm.__aexit__(None, None, None)
    assert len(locks) == 0


@pytest.mark.parametrize("bad", [0, -1.0])
async def test_non_positive_timeouts_are_rejected(bad: float) -> None:
    with pytest.raises(ValueError):
        ConversationLocks(default_timeout_s=bad)
    with pytest.raises(ValueError):
        async with ConversationLocks().acquire("c", timeout_s=bad):
            pass
