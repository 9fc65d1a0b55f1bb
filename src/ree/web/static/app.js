/* REE web chat: plain modern JavaScript, no framework, no build step.
 *
 * Talks to POST /v1/chat with `stream: true` and reads the Server-Sent Events it returns
 * (`token` → append text, `done` → the full response object, `error` → a visible error).
 * If the stream fails it asks again with `stream: false`. Display formats live in format.js.
 * Server text is only ever put in the page through textContent / text nodes, never innerHTML.
 */
"use strict";

(() => {
  const CHAT_URL = "/v1/chat";
  const TURN_TIMEOUT_MS = 180_000;

  const state = { conversationId: null, busy: false, controller: null, turn: 0 };
  const ui = {};

  /** Display functions for one answer's language ("vi" by default); see format.js. */
  const formatterFor = (lang) => window.REEFormat.formatter(lang === "en" ? "en" : "vi");

  // ---------------------------------------------------------------- DOM helpers

  /** Create an element; `props` sets className/text/attributes; children are nodes or text. */
  function h(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Answer text with **bold** spans, built from text nodes (no HTML parsing). */
  function richText(text) {
    const frag = document.createDocumentFragment();
    const parts = String(text).split(/\*\*(.+?)\*\*/gs);
    parts.forEach((part, i) => frag.append(i % 2 ? h("strong", { text: part }) : part));
    return frag;
  }

  function scrollToBottom() {
    ui.chat.scrollTop = ui.chat.scrollHeight;
  }

  /** Show a finished turn from its question down, so a long answer is read from the top. */
  function revealTurn(view) {
    const question = view.msg.previousElementSibling || view.msg;
    const top = question.offsetTop - ui.chat.offsetTop - 12;
    ui.chat.scrollTop = Math.min(top, ui.chat.scrollHeight);
  }

  // ---------------------------------------------------------------- rendering

  function appendUserMessage(text) {
    const msg = h("article", { class: "msg user", "aria-label": "Bạn" },
      h("div", { class: "bubble", text }));
    ui.messages.append(msg);
    scrollToBottom();
  }

  /** A pending assistant message; returns handles to fill it as the turn progresses. */
  function appendAssistantMessage() {
    const answer = h("div", { class: "answer" });
    const typing = h("div", { class: "typing", "aria-label": "Đang trả lời" },
      h("span"), h("span"), h("span"));
    const bubble = h("div", { class: "bubble" }, typing, answer);
    const msg = h("article", { class: "msg assistant pending", "data-state": "pending",
      "aria-label": "REE", "aria-busy": "true" }, h("span", { class: "avatar", "aria-hidden": "true", text: "R" }),
    h("div", { class: "msg-body" }, bubble));
    ui.messages.append(msg);
    scrollToBottom();
    return { msg, bubble, answer, typing, streamed: "" };
  }

  function appendToken(view, text) {
    if (!text) return;
    view.typing.remove();
    view.streamed += text;
    view.answer.textContent = view.streamed;
    scrollToBottom();
  }

  function finishMessage(view, stateName) {
    view.typing.remove();
    view.msg.classList.remove("pending");
    view.msg.dataset.state = stateName;
    view.msg.removeAttribute("aria-busy");
    if (stateName === "error") view.msg.classList.add("error");
  }

  function listingCard(item, index, rentSearch, fmt) {
    const rent = item.transaction ? item.transaction === "rent" : rentSearch;
    const price = Number.isFinite(Number(item.price_vnd)) && item.price_vnd !== null
      ? String(item.price_vnd) : "";
    const place = [item.district, item.province].filter(Boolean).join(", ");
    const facts = [fmt.area(item.area_m2), fmt.bedrooms(item.bedrooms)].filter(Boolean);
    const titleId = `card-${state.turn}-${index}`;
    const link = item.url
      ? h("a", { class: "source-link", href: safeUrl(item.url), target: "_blank",
        rel: "noopener noreferrer", "aria-label": `${fmt.words.sourceOf}${item.title || ""}` },
      `${fmt.words.source} ↗`)
      : null;
    return h("li", { class: "listing-card", "data-id": item.id, "data-price": price,
      "aria-labelledby": titleId },
    h("div", { class: "card-top" },
      h("span", { class: "card-index", "aria-hidden": "true", text: String(index + 1) }),
      h("span", { class: "price", text: fmt.price(item.price_vnd, rent) })),
    h("h3", { class: "card-title", id: titleId, text: item.title || item.id || "" }),
    facts.length ? h("p", { class: "facts" }, ...facts.map((f) => h("span", { text: f }))) : null,
    place ? h("p", { class: "place", text: place }) : null,
    item.address ? h("p", { class: "address", text: item.address }) : null,
    item.why ? h("p", { class: "why", text: item.why }) : null,
    item.snippet ? h("p", { class: "snippet", text: item.snippet }) : null,
    h("div", { class: "card-foot" },
      h("span", { class: "posted", text: fmt.posted(item.posted_at) || "" }), link));
  }

  /** Only http(s) links leave the page; anything else becomes an inert "#". */
  function safeUrl(url) {
    try {
      const u = new URL(String(url), window.location.href);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : "#";
    } catch {
      return "#";
    }
  }

  function metaLine(result, fmt) {
    const w = fmt.words;
    const parts = [];
    const total = result.timings_ms && result.timings_ms.total;
    if (Number.isFinite(Number(total))) parts.push(`${w.time} ${fmt.number(Number(total), 0)} ms`);
    const route = result.route || {};
    if (route.tier) parts.push(`${w.tier} ${route.tier}`);
    if (route.model) parts.push(String(route.model));
    const fallbacks = Array.isArray(route.fallbacks) ? route.fallbacks.map(String) : [];
    if (fallbacks.length) {
      // Entries read "tier: why"; the tiers go in the line, the reasons in the tooltip.
      parts.push(`${w.fallbacks}: ${fallbacks.map((f) => f.split(":")[0]).join(", ")}`);
    }
    if (result.cached) parts.push(w.cached);
    const details = [route.reason, ...fallbacks].filter(Boolean).join("\n");
    return h("p", { class: "meta", title: details, text: parts.join(" · ") });
  }

  function renderResult(view, result) {
    const fmt = formatterFor(result.language);
    const body = view.msg.querySelector(".msg-body");
    const answer = typeof result.answer === "string" ? result.answer : view.streamed;
    view.answer.replaceChildren(richText(answer));
    if (result.language) view.answer.setAttribute("lang", String(result.language));
    const labels = fmt.filters(result.filters);
    if (labels.length) {
      body.append(h("ul", { class: "filter-chips", "aria-label": fmt.words.filtersLabel },
        ...labels.map((l) => h("li", { class: "filter-chip", text: l }))));
    }
    const listings = Array.isArray(result.listings) ? result.listings : [];
    if (listings.length) {
      const rent = Boolean(result.filters && result.filters.transaction === "rent");
      body.append(h("ol", { class: "listings", "aria-label": fmt.words.listings(listings.length) },
        ...listings.map((item, i) => listingCard(item || {}, i, rent, fmt))));
    }
    body.append(metaLine(result, fmt));
    renderFreshness(result.data_freshness);
    finishMessage(view, "done");
    revealTurn(view);
  }

  function renderError(view, err) {
    const message = err && err.message ? err.message : String(err);
    const code = err && err.code ? ` (${err.code})` : "";
    view.answer.replaceChildren();
    view.bubble.append(h("p", { class: "error-text", role: "alert" },
      h("strong", { text: "Không thể trả lời: " }), `${message}${code}`));
    finishMessage(view, "error");
    scrollToBottom();
  }

  function renderFreshness(fresh) {
    if (!fresh || !fresh.stale) {
      ui.staleBanner.hidden = true;
      return;
    }
    const hours = Number(fresh.age_hours);
    const age = Number.isFinite(hours)
      ? (hours >= 48 ? `${Math.round(hours / 24)} ngày` : `${Math.round(hours)} giờ`) : null;
    ui.staleBanner.textContent = age
      ? `⚠ Dữ liệu có thể đã cũ: lần thu thập gần nhất cách đây ${age}. Giá và tình trạng có thể đã thay đổi.`
      : "⚠ Dữ liệu có thể đã cũ. Giá và tình trạng có thể đã thay đổi.";
    ui.staleBanner.hidden = false;
  }

  // ---------------------------------------------------------------- transport

  class ApiError extends Error {
    constructor(message, { code = null, status = 0, retry = false } = {}) {
      super(message);
      this.name = "ApiError";
      this.code = code;
      this.status = status;
      this.retry = retry; // true: worth trying again without streaming
    }
  }

  async function errorFromResponse(response) {
    let code = null;
    let message = `Máy chủ trả lỗi HTTP ${response.status}`;
    try {
      const data = await response.json();
      if (data && data.error) {
        code = data.error.code || null;
        message = data.error.message || message;
      }
    } catch {
      /* not JSON: keep the generic message */
    }
    return new ApiError(message, { code, status: response.status, retry: response.status >= 500 });
  }

  function post(body, signal) {
    return fetch(CHAT_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json",
        Accept: body.stream ? "text/event-stream" : "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  }

  /** Yield `{event, data}` from a text/event-stream body (handles \r\n, comments, multi-line data). */
  async function* readEvents(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let event = "message";
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === "") {
          if (data.length) yield { event, data: data.join("\n") };
          event = "message";
          data = [];
        } else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let val = colon < 0 ? "" : line.slice(colon + 1);
          if (val.startsWith(" ")) val = val.slice(1);
          if (field === "event") event = val;
          else if (field === "data") data.push(val);
        }
      }
    }
    if (data.length) yield { event, data: data.join("\n") };
  }

  function parseJson(text, what) {
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(`Dữ liệu ${what} không hợp lệ từ máy chủ`, { retry: true });
    }
  }

  async function streamTurn(body, view, signal) {
    let response;
    try {
      response = await post({ ...body, stream: true }, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      throw new ApiError("Không kết nối được máy chủ", { retry: true });
    }
    if (!response.ok) throw await errorFromResponse(response);
    const type = response.headers.get("content-type") || "";
    if (type.includes("application/json")) return response.json();
    if (!type.includes("text/event-stream") || !response.body) {
      throw new ApiError("Máy chủ không trả luồng sự kiện", { retry: true });
    }
    try {
      for await (const { event, data } of readEvents(response)) {
        if (event === "token") appendToken(view, parseJson(data, "token").text);
        else if (event === "done") return parseJson(data, "kết quả");
        else if (event === "error") {
          const e = parseJson(data, "lỗi").error || {};
          throw new ApiError(e.message || "Lỗi không xác định", { code: e.code || null });
        }
      }
    } catch (err) {
      if (err instanceof ApiError || signal.aborted) throw err;
      throw new ApiError("Luồng trả lời bị ngắt", { retry: true });
    }
    throw new ApiError("Luồng trả lời kết thúc khi chưa xong", { retry: true });
  }

  async function plainTurn(body, signal) {
    let response;
    try {
      response = await post({ ...body, stream: false }, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      throw new ApiError("Không kết nối được máy chủ. Vui lòng thử lại.");
    }
    if (!response.ok) throw await errorFromResponse(response);
    try {
      return await response.json();
    } catch {
      throw new ApiError("Máy chủ trả dữ liệu không hợp lệ");
    }
  }

  // ---------------------------------------------------------------- turns

  function setBusy(busy) {
    state.busy = busy;
    ui.send.disabled = busy;
    ui.input.disabled = busy;
    ui.form.setAttribute("aria-busy", String(busy));
    document.querySelectorAll(".example-chip").forEach((b) => { b.disabled = busy; });
  }

  async function sendMessage(raw) {
    const text = String(raw || "").trim();
    if (!text || state.busy) return;
    setBusy(true);
    state.turn += 1;
    ui.welcome.hidden = true;
    ui.input.value = "";
    autoGrow();
    appendUserMessage(text);
    const view = appendAssistantMessage();
    const controller = new AbortController();
    state.controller = controller;
    const timer = setTimeout(() => controller.abort(), TURN_TIMEOUT_MS);
    const body = { message: text };
    if (state.conversationId) body.conversation_id = state.conversationId;
    try {
      let result;
      try {
        result = await streamTurn(body, view, controller.signal);
      } catch (err) {
        if (!(err instanceof ApiError) || !err.retry) throw err;
        view.streamed = "";
        view.answer.textContent = "";
        result = await plainTurn(body, controller.signal);
      }
      if (!result || typeof result !== "object") throw new ApiError("Máy chủ trả kết quả rỗng");
      if (result.conversation_id) state.conversationId = result.conversation_id;
      renderResult(view, result);
    } catch (err) {
      if (state.controller !== controller) return; // the conversation was reset meanwhile
      renderError(view, explain(err, controller.signal.aborted, body.conversation_id));
    } finally {
      clearTimeout(timer);
      if (state.controller === controller) {
        state.controller = null;
        setBusy(false);
        ui.input.focus();
      }
    }
  }

  /** The error to show; a conversation the server no longer knows is dropped so the next turn works. */
  function explain(err, timedOut, conversationId) {
    if (timedOut) return new ApiError("Quá thời gian chờ trả lời. Vui lòng thử lại.");
    if (err instanceof ApiError && err.status === 404 && conversationId) {
      if (state.conversationId === conversationId) state.conversationId = null;
      return new ApiError(`${err.message}. Gửi lại câu hỏi để bắt đầu cuộc trò chuyện mới.`,
        { code: err.code, status: err.status });
    }
    if (err instanceof ApiError && err.status === 429) {
      return new ApiError("Bạn gửi quá nhanh, vui lòng đợi một chút rồi thử lại.",
        { code: err.code, status: err.status });
    }
    return err;
  }

  function newConversation() {
    if (state.controller) state.controller.abort();
    state.controller = null;
    state.conversationId = null;
    ui.messages.replaceChildren();
    ui.staleBanner.hidden = true;
    ui.welcome.hidden = false;
    setBusy(false);
    ui.input.value = "";
    autoGrow();
    ui.input.focus();
  }

  function autoGrow() {
    ui.input.style.height = "auto";
    ui.input.style.height = `${Math.min(ui.input.scrollHeight, 200)}px`;
  }

  function init() {
    ui.form = document.getElementById("composer");
    ui.input = document.getElementById("message");
    ui.send = document.getElementById("send");
    ui.messages = document.getElementById("messages");
    ui.chat = document.getElementById("chat");
    ui.welcome = document.getElementById("welcome");
    ui.staleBanner = document.getElementById("stale-banner");

    ui.form.addEventListener("submit", (e) => {
      e.preventDefault();
      sendMessage(ui.input.value);
    });
    ui.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        sendMessage(ui.input.value);
      }
    });
    ui.input.addEventListener("input", autoGrow);
    document.getElementById("new-chat").addEventListener("click", newConversation);
    document.querySelectorAll(".example-chip").forEach((chip) => {
      chip.addEventListener("click", () => sendMessage(chip.textContent));
    });
    document.body.dataset.ready = "true";
    ui.input.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
