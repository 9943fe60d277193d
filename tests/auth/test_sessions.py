"""Sessions live on the server: a copy of the cookie opens nothing once the session has ended."""

from __future__ import annotations

from datetime import timedelta

import pytest

from narrative_service.auth import sessions
from narrative_service.timeutil import utcnow
from tests.conftest import sign_in_with_password
from tests.factories import TEST_PASSWORD, make_user

COOKIE = "narrative_session"


def signed_in_lead(app):
    """A lead signed in through the pages, on a browser of their own."""
    lead = make_user("lead")
    browser = app.test_client()
    assert sign_in_with_password(browser, lead.email).status_code == 302
    assert browser.get("/audit").status_code == 200
    return lead, browser


def copy_of_cookie(app, browser):
    """Another browser holding a copy of this one's session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, browser.get_cookie(COOKIE).value)
    return thief


def is_refused(client) -> bool:
    response = client.get("/audit")
    return response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app):
    _, browser = signed_in_lead(app)
    thief = copy_of_cookie(app, browser)
    assert thief.get("/audit").status_code == 200  # the copy works while the session lives
    browser.post("/sign-out")
    assert is_refused(thief)


def test_a_copied_cookie_is_refused_after_a_password_change(app):
    _, browser = signed_in_lead(app)
    thief = copy_of_cookie(app, browser)
    response = browser.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": "tidal marble orchard lantern"},
    )
    assert response.status_code == 302
    assert is_refused(thief)
    assert browser.get("/audit").status_code == 200  # the browser that changed it goes on


def test_a_copied_cookie_is_refused_after_a_role_change(app, client_as):
    lead, browser = signed_in_lead(app)
    thief = copy_of_cookie(app, browser)
    client_as("admin").post(f"/admin/users/{lead.id}", data={"role": "facilitator"})
    assert is_refused(thief)
    assert is_refused(browser)


def test_a_copied_cookie_is_refused_after_deactivation(app, client_as):
    lead, browser = signed_in_lead(app)
    thief = copy_of_cookie(app, browser)
    client_as("admin").post(f"/admin/users/{lead.id}/deactivate")
    client_as("admin").post(f"/admin/users/{lead.id}/reactivate")
    # Reactivating does not bring the old sessions back.
    assert is_refused(thief)
    assert is_refused(browser)


def test_a_cookie_without_a_session_on_the_server_is_refused(app, users):
    # A cookie signed with the right key, naming a user, as sessions were before: not enough.
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = users["lead"].get_id()
        session["_fresh"] = True
    assert is_refused(browser)


@pytest.fixture
def clock(monkeypatch):
    """Move the sessions' clock forward without sleeping."""
    moments = {"now": utcnow()}
    monkeypatch.setattr(sessions, "utcnow", lambda: moments["now"])

    def advance(**delta) -> None:
        moments["now"] += timedelta(**delta)

    return advance


def test_a_session_ends_after_thirty_minutes_without_use(app, clock):
    _, browser = signed_in_lead(app)
    clock(minutes=29)
    assert browser.get("/audit").status_code == 200
    clock(minutes=29)  # 58 minutes after sign-in, but used 29 minutes ago
    assert browser.get("/audit").status_code == 200
    clock(minutes=31)
    assert is_refused(browser)


def test_the_idle_limit_is_configurable(app, clock):
    app.config["SESSION_IDLE_MINUTES"] = 5
    _, browser = signed_in_lead(app)
    clock(minutes=6)
    assert is_refused(browser)


def test_a_session_ends_at_its_lifetime_however_busy(app, clock):
    app.config["SESSION_LIFETIME_MINUTES"] = 60
    _, browser = signed_in_lead(app)
    for _ in range(3):
        clock(minutes=20)
        assert browser.get("/audit").status_code == 200
    clock(minutes=1)
    assert is_refused(browser)


def test_sign_out_of_every_device_ends_the_other_devices_too(app):
    lead, laptop = signed_in_lead(app)
    phone = app.test_client()
    sign_in_with_password(phone, lead.email, steps_ahead=1)
    page = laptop.get("/account")
    assert "You are signed in 2 times" in page.text
    response = laptop.post("/account/sign-out-everywhere")
    assert response.status_code == 302
    assert is_refused(phone)
    assert is_refused(laptop)
    assert is_refused(copy_of_cookie(app, phone))


def test_signing_out_here_leaves_other_devices_signed_in(app):
    lead, laptop = signed_in_lead(app)
    phone = app.test_client()
    sign_in_with_password(phone, lead.email, steps_ahead=1)
    laptop.post("/sign-out")
    assert phone.get("/audit").status_code == 200


def test_the_server_keeps_only_a_hash_of_the_token(app):
    from narrative_service.auth.loader import SESSION_TOKEN
    from narrative_service.auth.models import SignInSession
    from narrative_service.extensions import db

    _, browser = signed_in_lead(app)
    with browser.session_transaction() as session:
        token = session[SESSION_TOKEN]
    stored = db.session.query(SignInSession.token_hash).all()
    assert len(stored) == 1 and token not in stored[0].token_hash
