"""A facilitator runs a reflection session in a real browser, every page checked by axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from narrative_service.extensions import db
from narrative_service.reflection import rules
from tests.browser.accessibility import assert_accessible
from tests.factories import TEST_PASSWORD, make_narrative, make_session, make_theme, make_user

LEARNING = [
    ("Explain each step before it happens, in plain words.", "Being told what is happening"),
    ("Ask the person what they want before the meeting.", "Choice and control"),
    ("Agree with the person who will be told, and when.", "Being listened to"),
]


def reveal(page, summary_text: str) -> None:
    """Open a details element by its summary, as a person would, unless it is open already
    (Chromium may keep a details element open across a same-page form post)."""
    details = page.locator("details", has=page.locator("summary", has_text=summary_text)).last
    if not details.evaluate("element => element.open"):
        details.locator(":scope > summary").click()
    expect(details).to_have_attribute("open", "")


def test_a_facilitator_listens_marks_who_heard_records_learning_and_prints(page, live_app):
    with live_app.app_context():
        facilitator = make_user("facilitator", name="Mei Lin Chen")
        lead = make_user("lead", name="Alex Morgan")
        advocate = make_user("advocate", name="Priya Nair")
        narrative = make_narrative(
            advocate,
            status="complete",
            title="Keeping my home",
            body="Nobody told me what was happening.\n\nThen someone sat with me and listened.",
        )
        session = make_session(facilitator, [narrative], by=lead)
        for name, role in (("Sam Okoro", "Social worker"), ("Kim Lee", "Ward nurse"),
                           ("PC Jo Hart", "Police officer")):  # fmt: skip
            rules.add_attendee(session, by=facilitator, name=name, role=role)
        db.session.commit()
        make_theme("experience.information", "Being told what is happening")
        make_theme("experience.choice_control", "Choice and control")
        make_theme("experience.listened_to", "Being listened to")
        email = facilitator.email

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Reflection sessions").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflection sessions")
    assert_accessible(page, "the sessions list")
    page.get_by_role("link", name=re.compile("2025")).first.click()
    assert_accessible(page, "the session page")

    page.get_by_role("button", name="Open the listening view").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keeping my home")
    expect(page.locator(".app-listen__words")).to_contain_text("Nobody told me")
    assert_accessible(page, "the listening view")
    for name, how in (("Sam Okoro", "Heard it read aloud"), ("Kim Lee", "Heard it read aloud"),
                      ("PC Jo Hart", "Read it themselves")):  # fmt: skip
        page.get_by_role("group", name=re.compile(name)).get_by_label(how).check()
    page.get_by_role("button", name="Save who heard it").click()
    expect(
        page.get_by_text("Recorded that 3 attendees heard the narrative directly.")
    ).to_be_visible()

    for text, theme in LEARNING:
        reveal(page, "Record a learning point")
        page.get_by_label("Learning point").fill(text)
        page.get_by_label("Owner").fill("Safeguarding lead")
        reveal(page, theme_group := "Experience")
        page.locator("details", has_text=theme_group).last.get_by_label(theme).check()
        page.get_by_role("button", name="Record the learning point").click()
        expect(page.get_by_text("Learning point recorded.")).to_be_visible()

    reveal(page, "Record a difference of perspective")
    page.get_by_label("What the person said or felt").fill("I thought I was being moved.")
    page.get_by_label("What practitioners saw or did").fill("Staff thought the move was agreed.")
    page.get_by_label("Which agency (if one)").fill("Housing")
    page.get_by_label("What was learned from the difference").fill("Check with the person.")
    page.get_by_role("button", name="Record the difference").click()
    expect(page.get_by_text("Difference of perspective recorded.")).to_be_visible()
    assert_accessible(page, "the session with its learning")

    page.get_by_role("button", name="Summary").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Summary of the reflection")
    for text, _theme in LEARNING:
        expect(page.get_by_text(text)).to_be_visible()
    expect(page.get_by_text("3 of 3 heard the narrative directly")).to_be_visible()
    assert_accessible(page, "the summary")

    # (The trailing null: Playwright calls an expression that evaluates to a function.)
    page.evaluate("window.printed = 0; window.print = () => { window.printed += 1; }; null")
    page.get_by_role("button", name="Print this summary").click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    expect(page.locator(".nhsuk-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this summary")).to_be_hidden()
    expect(page.get_by_text("Check with the person.")).to_be_visible()
    assert page.pdf()[:4] == b"%PDF"
