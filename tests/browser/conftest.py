"""A live server on a real socket and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from narrative_service import create_app
from narrative_service.extensions import db
from tests.conftest import base_config

CHROMIUM = Path("/usr/bin/chromium")
# Chromium as root in a sandbox with no network: these flags keep it quiet and local.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def require_chromium() -> None:
    if not CHROMIUM.exists():
        message = (
            f"No browser at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: browser tests must run in CI")
        pytest.skip(message)


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the session: its sync API cannot be started twice at once."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def live_app(tmp_path, migrated_sqlite):
    """The real app with CSRF on, as a person would meet it."""
    path = tmp_path / "live.db"
    shutil.copyfile(migrated_sqlite, path)
    app = create_app({**base_config(tmp_path, f"sqlite:///{path}"), "WTF_CSRF_ENABLED": True})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(live_app):
    """Serve live_app with waitress on a free port for the length of one test."""
    from waitress import create_server

    server = create_server(live_app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    # close() stops the listening loop but leaves waitress's worker threads waiting.
    server.task_dispatcher.shutdown()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the live server did not stop"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def advocate(live_app):
    from tests.factories import make_user

    with live_app.app_context():
        user = make_user("advocate", name="Priya Nair")
        return {"email": user.email, "name": user.name}
