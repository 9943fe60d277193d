"""The real service for tests: `narrative-service serve` on a free port, with its worker,
on a fresh instance folder, and just enough of a browser to use it over HTTP."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD

COMMAND = Path(sys.executable).with_name("narrative-service")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser: a cookie, CSRF tokens from forms, multipart uploads."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def request(self, method, path, body=b"", content_type=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("narrative_session="):
                self.cookie = value.split(";", 1)[0]
        connection.close()
        return response.status, text, dict(response.getheaders())

    def token(self, path) -> str:
        _status, page, _ = self.request("GET", path)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def sign_in(self, email):
        body = urllib.parse.urlencode(
            {"email": email, "password": TEST_PASSWORD, "csrf_token": self.token("/sign-in")}
        )
        status, _, _ = self.request(
            "POST", "/sign-in", body.encode(), "application/x-www-form-urlencoded"
        )
        assert status == 302, "sign-in failed"

    def post(self, path, fields: dict, *, token_from: str | None = None):
        """Send a form as the browser would, with the CSRF token of the page it is on."""
        body = urllib.parse.urlencode(
            {**fields, "csrf_token": self.token(token_from or path)}, doseq=True
        )
        return self.request("POST", path, body.encode(), "application/x-www-form-urlencoded")

    def upload(self, path, fields, filename, content: bytes):
        """Send a file as the upload form does: its CSRF token is in the address too, so the
        service checks it before it reads (and streams to disk) the body."""
        if "csrf_token" in fields:
            path = f"{path}?{urllib.parse.urlencode({'csrf_token': fields['csrf_token']})}"
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="recording"; '
            f'filename="{filename}"\r\nContent-Type: audio/wav\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )


@pytest.fixture
def service_env(tmp_path):
    env = dict(os.environ)
    for name in ("DATABASE_URL", "MEDIA_DIR", "QUEUE_PATH", "REDIS_URL", "SECRET_KEY"):
        env.pop(name, None)
    env.update(
        INSTANCE_DIR=str(tmp_path / "instance"),
        LOG_LEVEL="INFO",
        WEB_SERVER="gunicorn",
        WEB_PROCESSES="1",
        # Small pieces, so the work is saved (and can resume) several times a minute.
        TRANSCRIPTION_PIECE_SECONDS="10",
        TRANSCRIPTION_LEASE_SECONDS="600",
    )
    subprocess.run([str(COMMAND), "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [str(COMMAND), "create-user", "--email", "adv@example.nhs.uk", "--role", "advocate",
         "--name", "Priya Nair", "--password-stdin"],
        env=env, input=TEST_PASSWORD + "\n", text=True, check=True, capture_output=True,
    )  # fmt: skip
    return env


def start_service(env, port, log_path):
    log = open(log_path, "a")  # noqa: SIM115 (closed when the process is reaped)
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: kill -9 takes every process
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, Path(log_path).read_text()
        try:
            if Browser(port).request("GET", "/health")[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the service did not start:\n" + Path(log_path).read_text())


def wait_for(check, seconds: float, what: str, log_path: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting until {what}\n" + log_path.read_text()[-4000:])


def one_row(database: Path, query: str):
    """The first row a query gives on the service's SQLite database, read from outside it."""
    import sqlite3

    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute(query).fetchone()


def narrative_of_the_service_user(env) -> tuple[Path, int]:
    """A complete narrative recorded by the service's one user (the advocate service_env
    made), in the service's own database: (that database, the narrative's id)."""
    from narrative_service import create_app
    from narrative_service.auth.models import User
    from narrative_service.extensions import db
    from tests.factories import make_narrative

    database = Path(env["INSTANCE_DIR"]) / "narrative_service.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "TESTING": True})
    with app.app_context():
        narrative_id = make_narrative(db.session.query(User).one(), status="complete").id
        db.engine.dispose()
    return database, narrative_id
