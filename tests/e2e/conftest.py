"""Fixtures for the end-to-end tests: a real `ree serve` subprocess and headless Chromium.

The server is started once per session on a free port with a fresh data dir and a small demo
index (`REE_DEMO_LISTINGS=300`). Three hundred demo listings spread over the whole country
hold only a handful in any one district, too few for "rẻ hơn chút" to still find something,
so the fixture also adds a few invented listings (source `e2e`) through the real admin
endpoint `POST /v1/listings`. Set `REE_E2E_URL` to run the tests against a server that is
already running instead (with `REE_E2E_ADMIN_KEY`, the same listings are added to it).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY_TIMEOUT_S = 180.0


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (install Debian's chromium: apt-get install chromium)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ree_executable() -> str:
    beside_python = Path(sys.executable).parent / "ree"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("ree")
    if found is None:
        raise RuntimeError("the `ree` command is not installed (pip install -e . in the venv)")
    return found


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _wait_ready(base_url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"`ree serve` exited with {proc.returncode}:\n{_tail(log)}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"`ree serve` not ready after {READY_TIMEOUT_S:.0f} s:\n{_tail(log)}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


def _listing(key: str, days_ago: int, **fields: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "id": f"e2e:{key}",
        "source": "e2e",
        "url": f"https://example.com/e2e/{key}",
        "province": "Hồ Chí Minh",
        "posted_at": (now - timedelta(days=days_ago)).isoformat(),
        "crawled_at": now.isoformat(),
        **fields,
    }


def invented_listings() -> list[dict[str, Any]]:
    """Listings made up for these tests (none copied from real data).

    Quận 7 gets eight fresh, complete 2PN apartments at 2.6–3.65 tỷ, which a search for them
    ranks first, and six older, terse ones at 1.5–2.25 tỷ that still match its filters: those
    are what "rẻ hơn chút" must find. Gò Vấp and Quận 1 get a few for the example chips.
    """
    q7 = {"transaction": "sale", "property_type": "apartment", "bedrooms": 2, "district": "Quận 7"}
    out = []
    for i in range(8):
        area = 62.0 + i * 2.5
        rich = {
            "title": f"Bán căn hộ 2PN Quận 7, {area:g} m², view thoáng",
            "description": f"Căn hộ 2 phòng ngủ, 2 WC, {area:g} m² ở Quận 7, sổ hồng, hồ bơi.",
            "price_vnd": 2_600_000_000 + i * 150_000_000,
            "area_m2": area,
            "bathrooms": 2,
            "address": f"{10 + i} Đường số {i + 1}",
            "legal_status": "pink_book",
            "direction": "south_east",
            "features": ["pool"],
        }
        out.append(_listing(f"q7-{i}", i, **q7, **rich))
    for i in range(6):
        terse = {"title": f"Chung cư giá mềm, lô {chr(65 + i)}", "description": "Hai phòng ngủ."}
        price = 1_500_000_000 + i * 150_000_000
        out.append(_listing(f"q7-old-{i}", 40 + i, **q7, **terse, price_vnd=price, area_m2=50.0))
    for i in range(6):
        price = 5_500_000_000 + i * 200_000_000
        house = {
            "title": f"Nhà hẻm xe hơi Gò Vấp, 4x15m, 3 tầng, {price / 1e9:g} tỷ".replace(".", ","),
            "description": "Nhà hẻm xe hơi, 3 phòng ngủ, sổ hồng riêng.",
            "transaction": "sale",
            "property_type": "house",
            "price_vnd": price,
            "area_m2": 60.0,
            "bedrooms": 3,
            "district": "Gò Vấp",
            "features": ["car_alley"],
        }
        out.append(_listing(f"gv-{i}", i, **house))
    for i in range(6):
        rent = 12_000_000 + i * 1_500_000
        flat = {
            "title": f"Cho thuê căn hộ 1PN Quận 1, {rent / 1e6:g} triệu/tháng".replace(".", ","),
            "description": "Căn hộ cho thuê, đầy đủ nội thất.",
            "transaction": "rent",
            "property_type": "apartment",
            "price_vnd": rent,
            "area_m2": 45.0 + i,
            "bedrooms": 1,
            "district": "Quận 1",
        }
        out.append(_listing(f"q1-{i}", i, **flat))
    return out


def _seed(base_url: str, admin_key: str) -> None:
    response = httpx.post(
        f"{base_url}/v1/listings",
        json={"listings": invented_listings()},
        params={"analyze": "false"},  # fixtures as written: one template would merge as reposts
        headers={"X-Admin-Key": admin_key},
        timeout=120.0,
    )
    if response.status_code != 200:
        raise RuntimeError(
            f"adding the e2e listings failed: {response.status_code} {response.text}"
        )


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running REE server (started here unless REE_E2E_URL is set)."""
    _require_chromium()
    external = os.environ.get("REE_E2E_URL")
    if external:
        if os.environ.get("REE_E2E_ADMIN_KEY"):
            _seed(external.rstrip("/"), os.environ["REE_E2E_ADMIN_KEY"])
        yield external.rstrip("/")
        return
    data_dir = tmp_path_factory.mktemp("ree-data")
    log = data_dir.parent / "ree-serve.log"
    port = _free_port()
    admin_key = secrets.token_urlsafe(16)
    env = {**os.environ, "REE_DEMO_LISTINGS": "300", "REE_DATA_DIR": str(data_dir)}
    env["REE_ADMIN_KEY"] = admin_key
    env.pop("REE_API_KEYS", None)
    cmd = [_ree_executable(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--data-dir", str(data_dir)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base_url, proc, log)
        _seed(base_url, admin_key)
        yield base_url
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium driven by Playwright (never a downloaded browser).

    Module scope: Playwright's sync API keeps an event loop running while it is open, which
    would break every asyncio test collected after this module.
    """
    _require_chromium()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    """A fresh browser context with the chat page loaded; fails on any JavaScript error."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server_url}/")
    page.wait_for_selector("body[data-ready='true']")
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
