"""What the service writes for a recording is readable by the service's own user only.

(The database and queue files are checked in tests/cli/test_cli.py, where the service
creates them itself: here the database is a copy the fixture made.)"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.factories import make_narrative
from tests.transcription.test_recording_pages import only_recording, silence, upload


@pytest.fixture
def operator_umask():
    """The umask of a typical login shell, as the service is started with."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def app(operator_umask, app):  # the app is built under the operator's umask
    return app


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_uploaded_recording_and_its_folders_are_private_to_the_service_user(
    app, users, client_as
):
    advocate = client_as("advocate")
    narrative = make_narrative(users["advocate"])
    assert upload(advocate, narrative, silence(1), "quiet.wav").status_code == 302

    media = Path(app.config["MEDIA_DIR"])
    stored = media / only_recording().stored_path
    folders = [media, media / ".incoming", stored.parent]
    assert {str(f): mode(f) for f in folders} == {str(f): 0o700 for f in folders}
    assert mode(stored) == 0o600
