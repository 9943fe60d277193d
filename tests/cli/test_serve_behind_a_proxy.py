"""Behind a proxy: the real servers (gunicorn and waitress) take the client's address from the
configured number of X-Forwarded-For entries, and never from further left, where a client
can write what it likes.

The client address is seen through the sign-in page's per-address limit: each response says
how many attempts that address has left (X-RateLimit-Remaining).
"""

from __future__ import annotations

import http.client
import re
import subprocess
import urllib.parse

import pytest

from tests.cli.test_cli import COMMAND, _free_port, _wait_for_health, env, upgraded  # noqa: F401


class Browser:
    """One cookie jar, talking to the server as if through a proxy that sets the headers."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, headers: dict, body: str | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {**headers, **({"Cookie": self.cookie} if self.cookie else {})}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("narrative_session="):
                self.cookie = value.split(";", 1)[0]
        connection.close()
        return response, text

    def failed_sign_in(self, forwarded_for: str) -> int:
        """Attempts left for the address the server took, after one failed sign-in."""
        _, page = self.request("GET", "/sign-in", {})
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"email": "nobody@example.nhs.uk", "password": "wrong guess", "csrf_token": token}
        )
        response, _ = self.request("POST", "/sign-in", {"X-Forwarded-For": forwarded_for}, body)
        assert response.status == 401
        return int(response.getheader("X-RateLimit-Remaining"))


@pytest.fixture
def serve(upgraded):  # noqa: F811
    started = []

    def start(web_server: str, **settings: str) -> Browser:
        port = _free_port()
        process = subprocess.Popen(
            [str(COMMAND), "serve", "--no-worker", "--port", str(port), "--processes", "1"],
            env={**upgraded, "WEB_SERVER": web_server, **settings},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        _wait_for_health(port, process)
        return Browser(port)

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.mark.parametrize("web_server", ["gunicorn", "waitress"])
def test_the_client_address_is_the_last_forwarded_entry_and_spoofing_it_does_not_help(
    serve, web_server
):
    browser = serve(web_server, TRUST_PROXY="true")
    first = browser.failed_sign_in("192.0.2.10")
    # The same client writing made-up addresses in front: still counted as itself.
    assert browser.failed_sign_in("10.9.9.1, 192.0.2.10") == first - 1
    assert browser.failed_sign_in("10.9.9.2, 192.0.2.10") == first - 2
    # Someone else behind the same proxy has their own limit.
    assert browser.failed_sign_in("192.0.2.20") == first


@pytest.mark.parametrize("web_server", ["gunicorn", "waitress"])
def test_the_scheme_from_the_proxy_marks_the_cookie_secure(serve, web_server):
    browser = serve(web_server, TRUST_PROXY="true")
    response, _ = browser.request("GET", "/sign-in", {"X-Forwarded-Proto": "https"})
    assert "Secure" in response.getheader("Set-Cookie")


@pytest.mark.parametrize("web_server", ["gunicorn", "waitress"])
def test_two_hops_take_the_second_entry_from_the_right(serve, web_server):
    browser = serve(web_server, TRUST_PROXY="true", TRUSTED_PROXY_HOPS="2")
    first = browser.failed_sign_in("10.9.9.1, 192.0.2.10, 172.16.0.5")
    assert browser.failed_sign_in("10.9.9.2, 192.0.2.10, 172.16.0.6") == first - 1
    assert browser.failed_sign_in("10.9.9.1, 192.0.2.20, 172.16.0.5") == first


@pytest.mark.parametrize("web_server", ["gunicorn", "waitress"])
def test_without_trust_proxy_forwarded_headers_are_ignored(serve, web_server):
    browser = serve(web_server)
    first = browser.failed_sign_in("192.0.2.10")
    assert browser.failed_sign_in("192.0.2.20") == first - 1
    new_browser = Browser(browser.port)
    response, _ = new_browser.request("GET", "/sign-in", {"X-Forwarded-Proto": "https"})
    assert "Secure" not in response.getheader("Set-Cookie")
