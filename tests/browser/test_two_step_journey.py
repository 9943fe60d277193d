"""A new safeguarding lead signs in for the first time in a real browser: taken straight to
set up two-step verification, scans (here: reads) the QR code's key, keeps the recovery codes,
then signs out of every device."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.factories import TEST_PASSWORD, current_code, make_user


def test_a_new_lead_sets_up_two_step_verification_before_anything_else(page, live_app):
    with live_app.app_context():
        email = make_user("lead", name="Sam Okafor", has_two_step=False).email
    # The QR code is an image the page's policy must allow (img-src 'self' data:).
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step verification")
    expect(page.get_by_text("Your role needs two-step verification")).to_be_visible()
    qr_code = page.get_by_role("img", name="QR code for setting up Narrative service")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    assert_accessible(page, "the two-step set-up page")

    page.goto("/narratives")  # nothing else opens until it is done
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step verification")

    key = page.locator("#two-step-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(current_code(key))
    page.get_by_role("button", name="Turn on two-step verification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page, "the recovery codes page")

    page.get_by_role("button", name="I have kept my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    page.get_by_role("link", name="Your account").click()
    expect(page.locator("#two-step-status")).to_contain_text("10 unused recovery codes")
    assert_accessible(page, "the account page")
    page.get_by_role("button", name="Sign out of every device").click()
    expect(page.get_by_text("You have signed out of every device")).to_be_visible()
    assert refused == [], refused
