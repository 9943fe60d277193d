"""Safe by default: headers, cookies, CSRF, error pages, media never public."""

from __future__ import annotations

import pytest

from narrative_service import create_app
from tests.conftest import base_config
from tests.factories import TEST_PASSWORD


def test_pages_carry_the_security_headers(client):
    headers = client.get("/sign-in").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"


def test_no_page_contains_inline_script(client_as):
    for path in ("/start", "/narratives", "/narratives/new"):
        page = client_as("lead").get(path).text
        assert "<script>" not in page
        assert "onclick=" not in page


def test_session_cookie_is_httponly_and_samesite(client, users):
    response = client.post(
        "/sign-in", data={"email": users["lead"].email, "password": TEST_PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on a laptop


def test_session_cookie_is_secure_over_https(client, users):
    response = client.post(
        "/sign-in",
        data={"email": users["lead"].email, "password": TEST_PASSWORD},
        base_url="https://localhost",
    )
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.fixture
def csrf_app(tmp_path, migrated_sqlite):
    import shutil

    from narrative_service.extensions import db

    path = tmp_path / "csrf.db"
    shutil.copyfile(migrated_sqlite, path)
    app = create_app({**base_config(tmp_path, f"sqlite:///{path}"), "WTF_CSRF_ENABLED": True})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_form_without_its_csrf_token_gets_a_clear_400_page(csrf_app):
    response = csrf_app.test_client().post(
        "/sign-in", data={"email": "a@b.nhs.uk", "password": "x"}
    )
    assert response.status_code == 400
    assert "This form has expired" in response.text
    assert "Nothing you saved before has been lost" in response.text


def test_a_form_with_its_csrf_token_is_accepted(csrf_app):
    import re

    from tests.factories import make_user

    user = make_user("lead")
    client = csrf_app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    response = client.post(
        "/sign-in", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_an_unknown_page_is_a_404_page_without_a_stack_trace(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Traceback" not in response.text


def test_media_folder_is_not_served(client_as, app):
    from pathlib import Path

    media = Path(app.config["MEDIA_DIR"])
    (media / "secret.txt").write_text("special category data")
    client = client_as("lead")
    for path in (
        "/static/../instance/media/secret.txt",
        "/media/secret.txt",
        "/assets/../../secret.txt",
    ):
        assert client.get(path).status_code == 404


def test_health_check_answers_without_sign_in(client):
    assert client.get("/health").json == {"status": "ok"}


def test_the_design_system_stylesheet_is_served_without_web_fonts_from_another_host(client):
    response = client.get("/assets/nhsuk-frontend.min.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert ".nhsuk-header" in css
    assert "@font-face" not in css and "assets.nhs.uk" not in css
    again = client.get(
        "/assets/nhsuk-frontend.min.css", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
