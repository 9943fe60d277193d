"""Signing in and out, throttling, deactivation and session renewal."""

from __future__ import annotations

from sqlalchemy import select

from narrative_service.audit.models import AuditEvent
from narrative_service.auth import rules, throttle
from narrative_service.extensions import db
from tests.factories import TEST_PASSWORD


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_correct_credentials_sign_in_and_are_audited(client, users):
    response = sign_in(client, users["advocate"].email)
    assert response.status_code == 302
    assert client.get("/start").status_code == 200
    assert "sign_in" in actions()


def test_email_is_matched_without_regard_to_case_or_spaces(client, users):
    response = sign_in(client, "  " + users["advocate"].email.upper())
    assert response.status_code == 302


def test_wrong_password_gives_a_message_that_reveals_nothing(client, users):
    response = sign_in(client, users["advocate"].email, "not the password")
    assert response.status_code == 401
    assert "Enter a correct email address and password" in response.text
    unknown = sign_in(client, "nobody@example.nhs.uk", "not the password")
    assert "Enter a correct email address and password" in unknown.text


def test_empty_fields_are_named_in_the_error_summary(client, users):
    response = client.post("/sign-in", data={"email": "", "password": ""})
    assert "There is a problem" in response.text
    assert "Enter your email address" in response.text
    assert "Enter your password" in response.text


def test_repeated_failures_slow_that_address_down_for_that_account(client, users):
    email = users["advocate"].email
    for _ in range(throttle.PASSWORD_FROM_ADDRESS.free_failures):
        sign_in(client, email, "wrong password")
    refused = sign_in(client, email)  # right password, but too soon after the failures
    assert refused.status_code == 401
    assert "There have been too many failed attempts to sign in. Wait 2 seconds" in refused.text
    assert "sign_in_refused" in actions()


def test_the_wait_doubles_with_each_failure(app):
    from datetime import timedelta

    from narrative_service.timeutil import utcnow

    policy = throttle.PASSWORD_FROM_ADDRESS
    now = utcnow()
    assert policy.wait(policy.free_failures - 1, now, now, now) == 0
    assert policy.wait(policy.free_failures, now, now, now) == 2
    assert policy.wait(policy.free_failures + 2, now, now, now) == 8
    assert policy.wait(policy.free_failures + 2, now, now, now + timedelta(seconds=9)) == 0
    assert policy.wait(policy.free_failures + 40, now, now, now) == 15 * 60


def test_too_many_attempts_from_one_address_are_refused(client, users):
    statuses = [sign_in(client, f"x{n}@example.nhs.uk", "wrong").status_code for n in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429


def test_a_deactivated_user_cannot_sign_in(client, users):
    users["advocate"].is_active_account = False
    db.session.commit()
    response = sign_in(client, users["advocate"].email)
    assert response.status_code == 401
    assert "deactivated" in response.text


def test_deactivation_signs_the_user_out_at_their_next_request(client_as, users):
    advocate = client_as("advocate")
    assert advocate.get("/narratives").status_code == 200
    admin = client_as("admin")
    admin.post(f"/admin/users/{users['advocate'].id}/deactivate")
    response = advocate.get("/narratives")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_sign_in_starts_a_fresh_session(client, users):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in(client, users["advocate"].email)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_sign_out_ends_the_session(client_as):
    client = client_as("advocate")
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert client.get("/narratives").status_code == 302
    assert "sign_out" in actions()


def test_next_only_returns_to_a_page_on_this_site(client, users):
    response = client.post(
        "/sign-in?next=https://evil.example/steal",
        data={"email": users["advocate"].email, "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/"
    client.post("/sign-out")
    response = client.post(
        "/sign-in?next=/narratives",
        data={"email": users["advocate"].email, "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/narratives"


def test_passwords_are_stored_with_argon2(app):
    assert rules.hash_password("a long password here").startswith("$argon2id$")


def test_a_user_can_change_their_own_password(client_as, users):
    client = client_as("advocate")
    response = client.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": "another long passphrase"},
    )
    assert response.status_code == 302
    assert client.get("/start").status_code == 200  # still signed in, in a new session
    assert rules.verify_password(users["advocate"].password_hash, "another long passphrase")


def test_a_short_new_password_is_refused_with_the_rule(client_as):
    response = client_as("advocate").post(
        "/account/password", data={"current_password": TEST_PASSWORD, "new_password": "short"}
    )
    assert "at least 12 characters" in response.text
