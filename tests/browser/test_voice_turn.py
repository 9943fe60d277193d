"""A spoken chat turn in a real browser: Chromium's fake microphone plays speech from espeak-ng.

The live server queues the recording on an SQLite queue and a real `narrative-service
worker` process transcribes it; the page shows the progress and then the words, without
anyone reloading it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from narrative_service import create_app
from narrative_service.extensions import db
from tests.audio import speak
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import base_config
from tests.factories import TEST_PASSWORD, make_narrative, make_user

COMMAND = Path(sys.executable).with_name("narrative-service")
SPOKEN = "Nobody told me what was happening. Then someone sat with me and listened."


@pytest.fixture
def service(tmp_path, migrated_sqlite):
    """The live app (CSRF on, a real SQLite queue) and a real worker process beside it."""
    database = tmp_path / "voice.db"
    shutil.copyfile(migrated_sqlite, database)
    config = {
        **base_config(tmp_path, f"sqlite:///{database}"),
        "WTF_CSRF_ENABLED": True,
        "QUEUE_IMMEDIATE": False,
    }
    app = create_app(config)
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=config["SQLALCHEMY_DATABASE_URI"],
        MEDIA_DIR=config["MEDIA_DIR"],
        QUEUE_PATH=config["QUEUE_PATH"],
        INSTANCE_DIR=config["INSTANCE_DIR"],
        SECRET_KEY=config["SECRET_KEY"],
    )
    worker = subprocess.Popen(
        [str(COMMAND), "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    from waitress import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.effective_port}"
    server.close()
    server.task_dispatcher.shutdown()
    thread.join(timeout=10)
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=60)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def microphone_page(tmp_path, service, playwright):
    """Chromium with a fake microphone that says SPOKEN once."""
    speech = speak(SPOKEN, tmp_path / "microphone.wav")
    app, address = service
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={speech}%noloop",
        ],
    )
    context = browser.new_context(base_url=address, permissions=["microphone"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield app, page
    context.close()
    browser.close()


def test_an_advocate_records_a_spoken_turn_and_sees_its_transcript_appear(microphone_page):
    app, page = microphone_page
    with app.app_context():
        advocate = make_user("advocate", name="Priya Nair")
        narrative_id = make_narrative(advocate).id
        email = advocate.email

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")

    page.goto(f"/narratives/{narrative_id}/conversation")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conversation")
    assert_accessible(page, "the conversation page")

    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    expect(page.locator("[data-timer]")).to_have_text("0:05", timeout=10_000)
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("[data-recorder-message]")).to_contain_text("Recorded")
    expect(page.get_by_role("button", name="Record again")).to_be_visible()
    page.get_by_role("button", name="Send").click()

    # The page reloads with the spoken turn waiting for the worker, then with its words.
    turn = page.locator(".app-chat__turn--narrator").first
    expect(turn).to_contain_text("listened", timeout=90_000)
    assert_accessible(page, "the conversation with a spoken turn")

    with app.app_context():
        from sqlalchemy import select

        from narrative_service.narratives.models import NarrativeTurn

        saved = db.session.scalars(select(NarrativeTurn)).one()
        assert saved.recording.purpose == "turn" and saved.recording.status == "accepted"
        # Recorded through the browser (Opus), tiny.en may mishear a word; these it keeps.
        assert "what was happening" in saved.text.lower() and "listened" in saved.text.lower()

    page.get_by_role("link", name="Spoken: listen and review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recording and transcript")
    expect(page.locator("#transcript")).to_contain_text("listened")
    assert_accessible(page, "the recording page")
