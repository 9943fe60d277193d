"""Two-step verification: an authenticator app's codes, recovery codes, set-up, and resets."""

from __future__ import annotations

import base64
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from narrative_service import create_app
from narrative_service.audit.models import AuditEvent
from narrative_service.auth import mfa, rules
from narrative_service.auth.models import RecoveryCode, User
from narrative_service.extensions import db
from narrative_service.timeutil import utcnow
from tests.conftest import base_config, sign_in_with_password
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, current_code, make_user


def password_step(client, user, **request):
    return client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD}, **request)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# The codes themselves


@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_codes_match_the_rfc_6238_test_vectors(unix_time, expected):
    secret = base64.b32encode(b"12345678901234567890").decode()
    moment = datetime.fromtimestamp(unix_time, UTC)
    assert mfa.code_at(secret, mfa.time_step(moment), digits=8) == expected


def test_a_code_one_step_either_side_is_accepted_and_two_steps_away_is_not():
    now = utcnow()
    step = mfa.time_step(now)
    for offset in (-1, 0, 1):
        code = mfa.code_at(TEST_TOTP_SECRET, step + offset)
        assert mfa.matching_step(TEST_TOTP_SECRET, code, now=now, after_step=0) == step + offset
    for offset in (-2, 2):
        code = mfa.code_at(TEST_TOTP_SECRET, step + offset)
        assert mfa.matching_step(TEST_TOTP_SECRET, code, now=now, after_step=0) is None


# Signing in with a code


def test_after_the_password_a_code_is_asked_for_before_anything_opens(app):
    lead = make_user("lead")
    client = app.test_client()
    response = password_step(client, lead)
    assert response.headers["Location"].endswith("/sign-in/code")
    assert "Enter your code" in client.get("/sign-in/code").text
    assert client.get("/start").status_code == 302  # not signed in yet
    assert "sign_in" not in actions()


def test_the_right_code_signs_in_and_is_audited(app):
    lead = make_user("lead")
    client = app.test_client()
    password_step(client, lead)
    response = client.post("/sign-in/code", data={"code": current_code()})
    assert response.status_code == 302
    assert client.get("/start").status_code == 200
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in")).one()
    assert event.detail == {"method": "authenticator"}


def test_a_code_is_never_accepted_twice(app):
    lead = make_user("lead")
    first, second = app.test_client(), app.test_client()
    code = current_code()
    password_step(first, lead)
    assert first.post("/sign-in/code", data={"code": code}).status_code == 302
    password_step(second, lead)
    again = second.post("/sign-in/code", data={"code": code})
    assert again.status_code == 401
    assert "has been used already" in again.text
    # Nor a code from an earlier step than the one used.
    earlier = second.post("/sign-in/code", data={"code": current_code(steps_ahead=-1)})
    assert earlier.status_code == 401
    later = second.post("/sign-in/code", data={"code": current_code(steps_ahead=1)})
    assert later.status_code == 302


def test_a_wrong_code_is_refused_with_what_to_do(app):
    lead = make_user("lead")
    client = app.test_client()
    password_step(client, lead)
    wrong = str((int(current_code()) + 1) % 1_000_000).zfill(6)
    response = client.post("/sign-in/code", data={"code": wrong})
    assert response.status_code == 401
    assert "Enter the 6-digit code your authenticator app shows now" in response.text
    assert actions()[-1] == "sign_in_failed"


def test_wrong_codes_are_throttled_per_address_not_for_the_owner_elsewhere(app):
    lead = make_user("lead")
    attacker = app.test_client()
    away = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}
    password_step(attacker, lead, **away)
    for guess in ("000000", "111111", "222222"):
        attacker.post("/sign-in/code", data={"code": guess}, **away)
    refused = attacker.post("/sign-in/code", data={"code": current_code()}, **away)
    assert "too many failed attempts" in refused.text
    owner = app.test_client()
    home = {"environ_base": {"REMOTE_ADDR": "198.51.100.7"}}
    assert sign_in_with_password(owner, lead.email, **home).status_code == 302
    assert owner.get("/start", **home).status_code == 200


def test_the_code_page_without_the_password_step_sends_you_to_sign_in(client):
    response = client.get("/sign-in/code")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")


def test_the_code_must_follow_the_password_within_five_minutes(app, monkeypatch):
    lead = make_user("lead")
    client = app.test_client()
    password_step(client, lead)
    later = utcnow() + timedelta(minutes=6)
    monkeypatch.setattr(rules, "utcnow", lambda: later)
    response = client.post("/sign-in/code", data={"code": current_code()})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")
    assert client.get("/start").status_code == 302


def test_a_recovery_code_signs_in_once(app):
    lead = make_user("lead")
    codes = rules.set_up_known_authenticator(lead, mfa.new_secret())
    db.session.commit()
    client = app.test_client()
    password_step(client, lead)
    # Typed as people do: upper case, spaces for hyphens.
    typed = codes[3].upper().replace("-", " ")
    assert client.post("/sign-in/code", data={"code": typed}).status_code == 302
    client.post("/sign-out")
    password_step(client, lead)
    assert client.post("/sign-in/code", data={"code": codes[3]}).status_code == 401
    assert rules.recovery_codes_left(lead) == 9


# Who must have it, and setting it up


def test_a_lead_without_two_step_is_taken_to_set_it_up_and_can_do_nothing_else(app):
    lead = make_user("lead", has_two_step=False)
    client = app.test_client()
    assert sign_in_with_password(client, lead.email).status_code == 302
    for path in ("/start", "/narratives", "/audit", "/account"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith("/account/two-step"), path
    page = client.get("/account/two-step")
    assert page.status_code == 200
    assert "Your role needs two-step verification" in page.text
    assert client.post("/sign-out").status_code == 302  # signing out is always possible


def test_other_roles_may_go_without_it(client_as):
    assert client_as("advocate").get("/narratives").status_code == 200


def test_mfa_required_roles_can_make_it_required_for_everyone(app, client_as):
    app.config["MFA_REQUIRED_ROLES"] = "all"
    response = client_as("advocate").get("/narratives")
    assert response.headers["Location"].endswith("/account/two-step")


def test_an_unknown_role_in_mfa_required_roles_stops_the_start_naming_it(tmp_path):
    config = {**base_config(tmp_path, "sqlite://"), "MFA_REQUIRED_ROLES": "admin,leads"}
    with pytest.raises(ValueError, match="MFA_REQUIRED_ROLES names leads, which is not a role"):
        create_app(config)


def set_up_page(client) -> tuple[str, str]:
    page = client.get("/account/two-step").text
    secret = re.search(r'id="two-step-secret">([^<]+)<', page).group(1).replace(" ", "")
    return page, secret


def test_the_set_up_page_shows_a_qr_code_made_here_and_the_key(client_as):
    page, secret = set_up_page(client_as("advocate"))
    qr = re.search(r'<img class="app-qr-code" src="([^"]+)"', page).group(1)
    assert qr.startswith("data:image/svg+xml")  # no external service, allowed by the policy
    assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert "<script>" not in page


def test_confirming_the_app_turns_it_on_and_shows_ten_recovery_codes_once(client_as, users):
    client = client_as("advocate")
    _, secret = set_up_page(client)
    response = client.post("/account/two-step", data={"code": current_code(secret)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-z-]+)</code></li>", response.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    advocate = db.session.get(User, users["advocate"].id)
    assert advocate.has_two_step
    assert secret not in advocate.totp_secret  # held encrypted
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(
        code.replace("-", "") in h for code in codes for h in stored
    )
    assert client.get("/start").status_code == 200  # still signed in, in a new session
    assert "shown only this once" not in client.get("/account").text


def test_a_wrong_code_during_set_up_is_refused_with_the_reason(client_as):
    client = client_as("advocate")
    set_up_page(client)
    response = client.post("/account/two-step", data={"code": "123456"})
    assert "That code does not match" in response.text
    assert not db.session.scalar(select(User).where(User.role == "advocate")).has_two_step


def test_moving_to_a_new_app_needs_the_current_password(client_as):
    client = client_as("lead")
    _, secret = set_up_page(client)
    refused = client.post("/account/two-step", data={"code": current_code(secret)})
    assert "Your current password is not correct" in refused.text
    accepted = client.post(
        "/account/two-step",
        data={"code": current_code(secret), "current_password": TEST_PASSWORD},
    )
    assert "Your recovery codes" in accepted.text


def test_new_recovery_codes_replace_the_old_ones(client_as, users):
    lead = users["lead"]
    old = rules.set_up_known_authenticator(lead, TEST_TOTP_SECRET)
    db.session.commit()
    response = client_as(lead).post(
        "/account/two-step/recovery-codes", data={"current_password": TEST_PASSWORD}
    )
    new = re.findall(r"<li><code>([0-9a-z-]+)</code></li>", response.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert rules.recovery_codes_left(lead) == 10


def test_an_admin_resets_someones_two_step_and_it_is_audited(client_as, users):
    lead = users["lead"]
    lead_browser = client_as("lead")
    response = client_as("admin").post(f"/admin/users/{lead.id}/reset-two-step")
    assert response.status_code == 302
    lead = db.session.get(User, lead.id)
    assert not lead.has_two_step
    assert "user.reset_mfa" in actions()
    # Signed out, and asked to set it up again at the next sign-in.
    assert lead_browser.get("/start").status_code == 302
    browser = client_as(lead)
    assert browser.get("/start").headers["Location"].endswith("/account/two-step")


def test_an_admin_cannot_reset_their_own(client_as, users):
    client_as("admin").post(f"/admin/users/{users['admin'].id}/reset-two-step")
    assert db.session.get(User, users["admin"].id).has_two_step


def test_the_secret_reaches_neither_the_log_nor_the_audit_log(app, client_as, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_as("advocate")
    _, secret = set_up_page(client)
    client.post("/account/two-step", data={"code": current_code(secret)})
    details = " ".join(str(event.detail) for event in db.session.scalars(select(AuditEvent)))
    for form in (secret, mfa.grouped(secret)):
        assert form not in caplog.text
        assert form not in details


def test_a_secret_made_under_another_key_is_refused_saying_what_to_do(app, users):
    app.config["MFA_SECRET_KEY"] = "a different key"
    with pytest.raises(mfa.SecretUnreadable, match="MFA_SECRET_KEY"):
        mfa.decrypt(users["lead"].totp_secret)


def test_the_demo_lead_and_admin_sign_in_with_what_the_demo_printed(app):
    from narrative_service.demo.credentials import sign_in_details
    from narrative_service.demo.loader import load_demo

    load_demo(app)
    text = sign_in_details(app)
    password = re.search(r"^  password +(\S+)$", text, re.MULTILINE).group(1)
    assert "Two-step verification for advocate@demo.invalid" not in text
    lead_part = text.split("Two-step verification for lead@demo.invalid:", 1)[1]
    recovery = re.search(r"recovery codes \(each works once\):\n\s+(\S+)", lead_part).group(1)
    admin_part = text.split("Two-step verification for admin@demo.invalid:", 1)[1]
    key = re.search(r"authenticator key \(time-based\)\s+([A-Z2-7 ]+)\n", admin_part).group(1)

    lead = app.test_client()
    lead.post("/sign-in", data={"email": "lead@demo.invalid", "password": password})
    assert lead.post("/sign-in/code", data={"code": recovery}).status_code == 302
    assert lead.get("/audit").status_code == 200
    admin = app.test_client()
    admin.post("/sign-in", data={"email": "admin@demo.invalid", "password": password})
    code = current_code(key.replace(" ", ""))
    assert admin.post("/sign-in/code", data={"code": code}).status_code == 302
    assert admin.get("/admin/users").status_code == 200
