"""New passwords: long, not common or guessable, and an administrator's temporary one replaced."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from narrative_service.auth import rules
from narrative_service.auth.passwords import check_new_password, common_passwords
from narrative_service.errors import DomainError
from narrative_service.extensions import db
from narrative_service.timeutil import utcnow
from tests.conftest import sign_in_with_password
from tests.factories import TEST_PASSWORD

EMAIL = "priya.nair@example.nhs.uk"
NAME = "Priya Nair"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pass", "Use at least 12 characters"),
        ("password1234", "one of the most common passwords"),
        ("Password2024!", "one of the most common passwords"),
        ("qwertyuiop123", "one of the most common passwords"),
        ("P@ssw0rd12345", "one of the most common passwords"),
        ("iloveyouiloveyou", "one of the most common passwords"),
        ("Safeguarding2025", "one of the most common passwords"),
        # A look-alike swap as well as a year or symbols at the end.
        ("P4ssword2025", "one of the most common passwords"),
        ("Sunsh1ne!!!!", "one of the most common passwords"),
        ("Footb4ll2025", "one of the most common passwords"),
        ("S4feguarding2025", "one of the most common passwords"),
        ("123456789012", "a run of neighbouring keys"),
        ("priya.nair.2025", "Do not use your email address or your name"),
        ("NAIRsecretword", "Do not use your email address or your name"),
        ("abcabcabcabc", "a few characters repeated"),
        ("zzzzzzzzzzzzzz", "a few characters repeated"),
        ("asdfghjklzxcv", "a run of neighbouring keys"),
        ("34567890123456", "a run of neighbouring keys"),
    ],
)
def test_a_weak_password_is_refused_saying_why(password, reason):
    with pytest.raises(DomainError, match=reason):
        check_new_password(password, email=EMAIL, name=NAME)


@pytest.mark.parametrize(
    "password",
    [
        "tidal marble orchard lantern",
        "correct horse battery staple",
        "kx7#Qm2!vR9p",
        "my nan's 3 cats",
    ],
)
def test_a_long_uncommon_password_is_accepted_without_composition_rules(password):
    check_new_password(password, email=EMAIL, name=NAME)


def test_the_list_has_the_ten_thousand_most_common_passwords():
    common = common_passwords()
    assert len(common) == 10_000
    assert {"123456", "password", "qwerty", "iloveyou", "1qaz2wsx3edc"} <= common


def test_the_change_password_page_says_why_a_common_password_is_refused(client_as):
    response = client_as("advocate").post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": "Password12345"},
    )
    assert "This password is one of the most common passwords" in response.text


def test_the_new_password_must_differ_from_the_current_one(client_as):
    response = client_as("advocate").post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": TEST_PASSWORD},
    )
    assert "different from your current one" in response.text


def issued_password(response) -> str:
    return re.search(r'id="temporary-password">([^<]+)<', response.text).group(1)


def test_a_user_an_admin_created_must_choose_their_own_password_at_first_sign_in(app, client_as):
    response = client_as("admin").post(
        "/admin/users/new",
        data={"name": "Jo Whitfield", "email": "jo.whitfield@example.nhs.uk", "role": "advocate"},
    )
    temporary = issued_password(response)
    browser = app.test_client()
    assert (
        sign_in_with_password(browser, "jo.whitfield@example.nhs.uk", temporary).status_code == 302
    )
    for path in ("/start", "/narratives", "/account"):
        assert browser.get(path).headers["Location"].endswith("/account/password"), path
    page = browser.get("/account/password")
    assert "Choose your own password" in page.text
    changed = browser.post(
        "/account/password",
        data={"current_password": temporary, "new_password": "tidal marble orchard lantern"},
    )
    assert changed.status_code == 302
    assert browser.get("/narratives").status_code == 200


def test_a_lead_an_admin_created_changes_the_password_then_sets_up_two_step(app, client_as):
    response = client_as("admin").post(
        "/admin/users/new",
        data={"name": "Sam Okafor", "email": "sam.okafor@example.nhs.uk", "role": "lead"},
    )
    browser = app.test_client()
    sign_in_with_password(browser, "sam.okafor@example.nhs.uk", issued_password(response))
    assert browser.get("/start").headers["Location"].endswith("/account/password")
    browser.post(
        "/account/password",
        data={
            "current_password": issued_password(response),
            "new_password": "tidal marble orchard lantern",
        },
    )
    assert browser.get("/start").headers["Location"].endswith("/account/two-step")


def test_a_password_reset_by_an_admin_must_be_changed_too(app, client_as, users):
    response = client_as("admin").post(f"/admin/users/{users['advocate'].id}/reset-password")
    browser = app.test_client()
    sign_in_with_password(browser, users["advocate"].email, issued_password(response))
    assert browser.get("/start").headers["Location"].endswith("/account/password")


def test_a_temporary_password_stops_working_after_seven_days(app, users):
    password = rules.reset_password(users["advocate"], by=users["admin"])
    db.session.commit()
    later = utcnow() + timedelta(days=rules.TEMPORARY_PASSWORD_DAYS, minutes=1)
    with pytest.raises(rules.SignInRefused, match="Your temporary password has expired"):
        rules.authenticate(users["advocate"].email, password, address="192.0.2.1", now=later)
