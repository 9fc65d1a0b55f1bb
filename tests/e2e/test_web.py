"""The web chat page, driven in headless Chromium against a real `ree serve`."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Request, Route, expect

pytestmark = pytest.mark.browser

TURN_TIMEOUT_MS = 120_000
SCREENSHOT = "/tmp/ree-web.png"
FINISHED = ".msg.assistant[data-state='done'], .msg.assistant[data-state='error']"

# Records whether #send was ever disabled, so a fast turn cannot slip past the check.
WATCH_SEND = """() => {
  window.__sendWasDisabled = false;
  const send = document.getElementById('send');
  new MutationObserver(() => { if (send.disabled) window.__sendWasDisabled = true; })
    .observe(send, { attributes: true, attributeFilter: ['disabled'] });
}"""


def ask(page: Page, text: str, *, press_enter: bool = False) -> None:
    """Type `text` and send it, then wait until that turn has finished (done or error)."""
    before = page.locator(FINISHED).count()
    page.fill("#message", text)
    if press_enter:
        page.press("#message", "Enter")
    else:
        page.click("#send")
    wait_turns(page, before + 1)


def wait_turns(page: Page, count: int) -> None:
    """Wait until `count` assistant turns have finished, and check the last one succeeded."""
    expect(page.locator(FINISHED)).to_have_count(count, timeout=TURN_TIMEOUT_MS)
    last = page.locator(".msg.assistant").last
    error = last.locator(".error-text")
    assert error.count() == 0, f"turn failed: {error.inner_text()}"
    expect(last).to_have_attribute("data-state", "done")


def last_answer(page: Page) -> str:
    return page.locator(".msg.assistant").last.locator(".answer").inner_text()


def last_cards(page: Page) -> list[dict[str, Any]]:
    """The cards of the latest assistant turn: their text and `data-price`."""
    cards = page.locator(".msg.assistant").last.locator(".listing-card")
    return [
        {"text": cards.nth(i).inner_text(), "price": cards.nth(i).get_attribute("data-price")}
        for i in range(cards.count())
    ]


def prices(cards: list[dict[str, Any]]) -> list[int]:
    values = [card["price"] for card in cards]
    assert all(values), f"every card must carry a price: {values}"
    return [int(v) for v in values]


def test_page_loads(page: Page) -> None:
    expect(page).to_have_title(re.compile("REE"))
    expect(page.locator("h1")).to_contain_text("REE — trợ lý bất động sản")
    expect(page.locator("#message")).to_be_enabled()
    expect(page.locator("#send")).to_be_enabled()
    expect(page.locator(".example-chip")).to_have_count(4)
    expect(page.locator("#messages")).to_have_attribute("aria-live", "polite")
    expect(page.locator("label[for='message']")).to_have_count(1)


def test_search_then_cheaper_follow_up(page: Page) -> None:
    page.evaluate(WATCH_SEND)
    ask(page, "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ")
    assert page.evaluate("window.__sendWasDisabled") is True, "#send stayed enabled during the turn"
    expect(page.locator("#send")).to_be_enabled()
    expect(page.locator("#message")).to_be_enabled()
    expect(page.locator(".msg.user")).to_have_count(1)
    assert last_answer(page).strip(), "the assistant message is empty"
    first = last_cards(page)
    assert first, "no listing cards for a search with matching demo data"
    for card in first:
        assert "Quận 7" in card["text"], card["text"]
    first_prices = prices(first)
    assert max(first_prices) <= 4_000_000_000
    chips = page.locator(".msg.assistant").last.locator(".filter-chip")
    expect(chips.filter(has_text="Quận 7")).to_have_count(1)
    page.screenshot(path=SCREENSHOT, full_page=False)

    ask(page, "rẻ hơn chút")
    second = last_cards(page)
    assert second, "the cheaper follow-up showed no listings"
    assert max(prices(second)) < min(first_prices), (prices(second), first_prices)
    for card in second:
        assert "Quận 7" in card["text"], "the follow-up lost the district"
    expect(page.locator("#send")).to_be_enabled()


def test_example_chip_sends_it(page: Page) -> None:
    chip = page.locator(".example-chip", has_text="Nhà hẻm xe hơi Gò Vấp")
    chip_text = chip.inner_text().strip()
    chip.click()
    wait_turns(page, 1)
    expect(page.locator(".msg.user .bubble")).to_have_text(chip_text)
    expect(page.locator("#welcome")).to_be_hidden()
    assert last_answer(page).strip()


def test_english_question_gets_english_answer(page: Page) -> None:
    ask(page, "Find apartments in District 2 under 5 billion", press_enter=True)
    answer = last_answer(page)
    assert "Tìm thấy" not in answer and "Không tìm thấy" not in answer, answer
    assert re.search(r"\b(found|listings?|apartments?|no)\b", answer, re.IGNORECASE), answer
    chips = page.locator(".msg.assistant").last.locator(".filter-chip")
    expect(chips.filter(has_text="≤ 5 billion")).to_have_count(1)


def test_follow_up_keeps_conversation_and_new_chat_resets_it(page: Page) -> None:
    with page.expect_request(_is_chat) as first:
        ask(page, "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ")
    assert "conversation_id" not in _body(first.value)
    with page.expect_request(_is_chat) as second:
        ask(page, "còn ở Bình Thạnh?")
    conversation_id = _body(second.value).get("conversation_id")
    assert conversation_id, "the follow-up was sent without the conversation id"

    page.click("#new-chat")
    expect(page.locator("#messages > *")).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()
    with page.expect_request(_is_chat) as third:
        ask(page, "Cho thuê căn hộ Quận 1 dưới 20 triệu")
    assert "conversation_id" not in _body(third.value)


def test_deleted_conversation_shows_error_then_starts_afresh(page: Page, server_url: str) -> None:
    ask(page, "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ")
    with page.expect_request(_is_chat) as follow_up:
        ask(page, "rẻ hơn chút")
    conversation_id = _body(follow_up.value)["conversation_id"]
    deleted = httpx.delete(f"{server_url}/v1/conversations/{conversation_id}", timeout=10)
    assert deleted.status_code == 204

    page.fill("#message", "còn ở Bình Thạnh?")
    page.click("#send")
    expect(page.locator(FINISHED)).to_have_count(3, timeout=TURN_TIMEOUT_MS)
    expect(page.locator(".msg.assistant").last.locator("[role='alert']")).to_be_visible()
    expect(page.locator("#send")).to_be_enabled()
    with page.expect_request(_is_chat) as fresh:
        ask(page, "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ")
    assert "conversation_id" not in _body(fresh.value)


def test_shift_enter_adds_a_newline_and_user_text_is_not_html(page: Page) -> None:
    page.click("#message")
    page.keyboard.type("<img src=x onerror=alert(1)>căn hộ Quận 7")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("dưới 4 tỷ")
    assert page.input_value("#message") == "<img src=x onerror=alert(1)>căn hộ Quận 7\ndưới 4 tỷ"
    expect(page.locator(".msg.user")).to_have_count(0)
    page.keyboard.press("Enter")
    wait_turns(page, 1)
    expect(page.locator(".msg.user .bubble")).to_contain_text("<img src=x")
    expect(page.locator("#messages img")).to_have_count(0)
    expect(page.locator("#message")).to_have_value("")


def test_falls_back_to_plain_json_when_streaming_fails(page: Page) -> None:
    def break_streams(route: Route, request: Request) -> None:
        if _body(request).get("stream") is True:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/v1/chat", break_streams)
    ask(page, "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ")
    assert last_cards(page), "the non-streaming fallback rendered no listings"


def test_unreachable_server_shows_an_error_and_re_enables_input(page: Page) -> None:
    page.route("**/v1/chat", lambda route: route.abort("connectionrefused"))
    page.fill("#message", "Tìm căn hộ Quận 7")
    page.click("#send")
    alert = page.locator(".msg.assistant [role='alert']")
    expect(alert).to_be_visible()
    expect(page.locator(".msg.assistant").last).to_have_attribute("data-state", "error")
    expect(page.locator("#send")).to_be_enabled()
    expect(page.locator("#message")).to_be_enabled()


def _is_chat(request: Request) -> bool:
    return request.method == "POST" and request.url.endswith("/v1/chat")


def _body(request: Request) -> dict[str, Any]:
    data = request.post_data_json
    assert isinstance(data, dict), data
    return data
