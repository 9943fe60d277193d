"""A safeguarding lead completes Q1 from the demo data in a real browser and downloads the
evidence pack; a board member then reads only what was approved for the board."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
from playwright.sync_api import expect
from sqlalchemy import select

from narrative_service.auth import rules as accounts
from narrative_service.auth.models import User
from narrative_service.demo.credentials import sign_in_details
from narrative_service.demo.loader import load_demo
from narrative_service.extensions import db
from narrative_service.milestones.models import Milestone
from tests.browser.accessibility import assert_accessible
from tests.browser.test_reflection_journey import reveal
from tests.factories import TEST_PASSWORD, current_code


def sign_in(page, email: str, two_step_key: str | None = None) -> None:
    """Sign in; with a key, enter the code an authenticator app with that key shows."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if two_step_key:
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
        assert_accessible(page, "the code page")
        page.get_by_label("Code").fill(current_code(two_step_key.replace(" ", "")))
        page.get_by_role("button", name="Continue").click()


def demo_two_step_key(app, email: str) -> str:
    """The authenticator key the demo printed for this account, as a person would read it."""
    text = sign_in_details(app)
    section = text.split(f"Two-step verification for {email}:", 1)[1]
    return re.search(r"authenticator key \(time-based\)\s+([A-Z2-7 ]+)\n", section).group(1)


def test_a_lead_completes_q1_from_the_demo_and_downloads_the_pack(page, live_app):
    with live_app.app_context():
        load_demo(live_app)
        people = {}
        for role in ("lead", "board"):
            user = db.session.scalars(select(User).where(User.role == role)).first()
            accounts.set_password(user, TEST_PASSWORD)
            people[role] = user.email
        db.session.commit()
        q1 = db.session.scalar(select(Milestone).where(Milestone.quarter == "Q1"))
        q1_id = q1.id

    # The demo lead must use two-step verification: the key the demo printed works.
    sign_in(page, people["lead"], demo_two_step_key(live_app, people["lead"]))
    page.get_by_role("link", name="Milestones").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Milestones")
    assert_accessible(page, "the programme dashboard")
    page.get_by_role("link", name="Q1", exact=True).click()
    expect(page.locator("#milestone-status")).not_to_have_text("Complete")
    assert_accessible(page, "the Q1 milestone")

    for level, audience, channel, day in (
        ("Frontline staff", "Adult social care east team", "Team meeting", "2025-06-10"),
        ("Board", "Trust board", "Board paper", "2025-06-26"),
    ):
        reveal(page, "Record dissemination")
        form = page.locator("form[action$='/dissemination']")
        form.get_by_label("Date").fill(day)
        form.get_by_label(level).check()
        form.get_by_label("Audience").fill(audience)
        form.get_by_label("How").select_option(label=channel)
        form.get_by_label("Number of people reached").fill("14")
        form.locator("input[type=checkbox]").first.check()  # a learning point shared
        form.get_by_role("button", name="Record dissemination").click()
        expect(page.get_by_text("Dissemination recorded.")).to_be_visible()

    reveal(page, "Add an action")
    form = page.locator("form[action$='/actions']")
    form.get_by_label("Recommendation").fill("Explain each step of an enquiry in plain words.")
    form.get_by_label("Lead", exact=True).fill("Head of safeguarding")
    form.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added to the action plan.")).to_be_visible()

    reveal(page, "Record the strategic objective")
    form = page.locator("form[action$='/strategic-plan']")
    form.get_by_label("Strategic objective reference").fill("SO3")
    form.get_by_label("The objective").fill("Hear people's own voices in every enquiry.")
    form.get_by_role("button", name="Save the objective").click()
    expect(page.get_by_text("Strategic objective saved.")).to_be_visible()

    reveal(page, "Record feedback")
    form = page.locator("form[action$='/feedback']")
    form.get_by_label("Date given").fill("2025-06-27")
    form.get_by_label("What they were told about the outcome").fill(
        "Letters are now written in plain words."
    )
    form.get_by_role("button", name="Record feedback").click()
    expect(page.get_by_text("Feedback recorded.")).to_be_visible()
    expect(page.locator("#milestone-status")).to_have_text("Complete")
    assert_accessible(page, "the completed Q1 milestone")

    # The pack is redacted and typeset on request: allow it time on a shared machine.
    with page.expect_download(timeout=120_000) as download_info:
        page.get_by_role("link", name="Download the evidence pack (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = pypdf.PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Adult social care east team" in text and "SO3" in text
    assert "plain words" in text

    page.goto(f"/milestones/{q1_id}/board-summaries/new")
    assert_accessible(page, "the board summary draft")
    page.get_by_role("button", name="Approve for the board").click()
    expect(page.get_by_text("Summary approved")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, people["board"])
    page.get_by_role("link", name="For the board").first.click()
    # The board's page redacts the action plan as it is asked for: allow it time on a shared
    # machine, as for the pack.
    expect(page.get_by_role("heading", level=1)).to_have_text("For the board", timeout=30_000)
    expect(page.locator("#summaries ~ .nhsuk-card").first).to_contain_text("Key learning points")
    assert_accessible(page, "the board's page")
    body = page.content()
    for identifier in ("Sam Okoro", "Kim Lee", "Jo Hart"):
        assert identifier not in body
