"""Bad input gets a clear error in one shape, never a 500."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def assert_error(resp: Any, status: int, code: str | None = None) -> None:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


def test_empty_message_is_400(client: TestClient) -> None:
    assert_error(client.post("/v1/chat", json={"message": "   "}), 400, "invalid_input")


def test_a_100kb_message_is_413(client: TestClient) -> None:
    assert_error(client.post("/v1/chat", json={"message": "căn hộ " * 15_000}), 413, "too_large")


def test_a_body_over_the_cap_is_413(client: TestClient) -> None:
    resp = client.post(
        "/v1/chat",
        content=b'{"message": "' + b"a" * 2_000_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert_error(resp, 413, "too_large")


def test_wrong_types_are_422(client: TestClient) -> None:
    assert_error(client.post("/v1/chat", json={"message": 123}), 422, "validation_error")
    assert_error(client.post("/v1/chat", json={"message": "hi", "stream": "yes please"}), 422)
    assert_error(client.post("/v1/chat", json={}), 422)
    assert_error(client.post("/v1/chat", json={"message": "hi", "surprise": 1}), 422)
    assert_error(client.post("/v1/search", json={"limit": "ten"}), 422)
    assert_error(client.post("/v1/search", json={"filters": {"price_max": -5}}), 422)


def test_malformed_json_is_422(client: TestClient) -> None:
    resp = client.post(
        "/v1/chat", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error(resp, 422)


def test_unknown_things_are_404(client: TestClient) -> None:
    assert_error(client.get("/v1/listings/demo:nope"), 404, "not_found")
    assert_error(client.post("/v1/chat", json={"message": "hi", "conversation_id": "nope"}), 404)
    assert_error(client.get("/v1/conversations/nope"), 404)
    assert_error(client.get("/v1/no-such-route"), 404)


def test_users_only_see_their_own_conversations(client: TestClient) -> None:
    mine = client.post("/v1/chat", json={"message": "chào bạn", "user_id": "an"}).json()
    cid = mine["conversation_id"]
    assert client.get(f"/v1/conversations/{cid}", params={"user_id": "an"}).status_code == 200
    assert_error(client.get(f"/v1/conversations/{cid}", params={"user_id": "binh"}), 404)
    other = client.post(
        "/v1/chat", json={"message": "hi", "conversation_id": cid, "user_id": "binh"}
    )
    assert_error(other, 404)
    assert_error(client.delete(f"/v1/conversations/{cid}", params={"user_id": "binh"}), 404)
    assert client.delete(f"/v1/conversations/{cid}", params={"user_id": "an"}).status_code == 204
    assert_error(client.get(f"/v1/conversations/{cid}", params={"user_id": "an"}), 404)


def test_writes_need_the_admin_key(client: TestClient) -> None:
    listing = {"id": "user:1", "source": "user", "title": "Bán căn hộ test"}
    assert_error(client.post("/v1/listings", json={"listings": [listing]}), 403, "forbidden")
    ok = client.post(
        "/v1/listings", json={"listings": [listing]}, headers={"X-Admin-Key": "test-admin"}
    )
    assert ok.status_code == 200 and ok.json()["written"] == 1
    assert client.get("/v1/listings/user:1").json()["title"] == "Bán căn hộ test"
    assert (
        client.delete("/v1/listings/user:1", headers={"X-Admin-Key": "test-admin"}).status_code
        == 204
    )
    assert_error(client.get("/v1/listings/user:1"), 404)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)
bodies = st.dictionaries(
    st.sampled_from(
        [
            "message",
            "conversation_id",
            "user_id",
            "stream",
            "query",
            "filters",
            "limit",
            "offset",
            "x",
        ]
    ),
    json_values,
    max_size=4,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies, path=st.sampled_from(["/v1/chat", "/v1/search", "/v1/understand"]))
def test_arbitrary_bodies_never_yield_a_500(
    client: TestClient, body: dict[str, Any], path: str
) -> None:
    resp = client.post(path, json=body)
    assert resp.status_code < 500, (path, body, resp.text)
    if resp.status_code >= 400:
        assert "error" in resp.json()
