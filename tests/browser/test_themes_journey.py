"""Tagging a narrative and approving its anonymised version, in a real browser with axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from narrative_service.extensions import db
from narrative_service.themes.codebook import load_default_if_empty
from tests.browser.accessibility import assert_accessible
from tests.factories import TEST_PASSWORD, make_narrative, make_user

STORY = (
    "My name is Jean Doyle and I live at 12 Acacia Road, Leeds LS6 2AB. Nobody told me what "
    "was happening. They never listened to me. In the end I felt safe at home again."
)


def test_an_advocate_tags_a_narrative_and_approves_an_anonymised_version(page, live_app):
    with live_app.app_context():
        load_default_if_empty()
        advocate = make_user("advocate", name="Priya Nair")
        narrative = make_narrative(advocate, body=STORY, title="Being heard at home")
        db.session.commit()
        narrative_id, email = narrative.id, advocate.email

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/narratives/{narrative_id}")
    page.get_by_role("link", name="Themes: suggestions and tags").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes: Being heard at home")
    page.get_by_role("button", name="Suggest themes").click()
    expect(page.get_by_text(re.compile(r"\d+ new suggestions?\."))).to_be_visible()
    assert_accessible(page, "the themes page with suggestions")

    suggestion = page.locator(".app-suggestions li", has_text="Being told what is happening")
    # The theme may rest on several spans: accept the one for "Nobody told me".
    suggestion.get_by_role("button", name=re.compile("^Accept.*Nobody told me")).click()
    expect(page.get_by_text("Being told what is happening: accepted.")).to_be_visible()
    safe = page.locator(".app-suggestions li", has_text="Feeling safe")
    safe.get_by_role("button", name=re.compile("^Reject Feeling safe for")).first.click()
    expect(page.get_by_text("Feeling safe: rejected.")).to_be_visible()

    # Select words in the text with the mouse, as a person would, then tag them by hand.
    # The page's scripts (modules: they run once the page is parsed) must be listening first.
    page.wait_for_load_state("domcontentloaded")
    text = page.locator("#tagged-text")
    text.evaluate(
        """element => {
            const node = [...element.childNodes].find(n => n.textContent.includes("at home again"));
            const start = node.textContent.indexOf("at home again");
            const range = document.createRange();
            range.setStart(node.firstChild || node, start);
            range.setEnd(node.firstChild || node, start + "at home again".length);
            const selection = document.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    expect(page.get_by_label("The words the theme rests on")).to_have_value("at home again")
    page.get_by_label("Theme", exact=True).select_option(
        label="Trust (The person's experience of safeguarding)"
    )
    page.get_by_role("button", name="Tag these words").click()
    expect(page.get_by_text("Tagged.")).to_be_visible()
    expect(page.get_by_text("(tagged by hand)")).to_be_visible()

    # An accepted tag shows who decided; another theme is chosen on a page of its own.
    accepted = page.locator("li", has_text="at home again").filter(has_text="tagged by hand")
    expect(accepted.get_by_text("Priya Nair")).to_be_visible()
    accepted.get_by_role("link", name=re.compile("^Change theme")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the theme of these words")
    assert_accessible(page, "choosing another theme for a tag")
    page.get_by_label("The theme they should have").select_option(
        label="Feeling safe (The person's experience of safeguarding)"
    )
    page.get_by_role("button", name="Change the theme").click()
    expect(page.get_by_text(re.compile("moved from Trust to Feeling safe"))).to_be_visible()
    # A theme's suggestions, a page at a time.
    with live_app.app_context():
        from sqlalchemy import select

        from narrative_service.themes.models import Theme

        listened = db.session.scalars(
            select(Theme).where(Theme.code == "experience.listened_to")
        ).one()
        listened_id = listened.id
    page.goto(f"/narratives/{narrative_id}/themes/themes/{listened_id}/suggestions")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Being listened to")
    assert_accessible(page, "one theme's suggestions")
    page.get_by_role("link", name="Back to the themes").click()

    page.get_by_role("link", name="Back to the narrative").click()
    page.get_by_role("link", name=re.compile("Prepare an anonymised version")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare an anonymised version")
    preview = page.locator("#redacted-text")
    expect(preview).not_to_contain_text("Jean Doyle")
    expect(preview).to_contain_text("[PERSON 1]")
    assert_accessible(page, "the anonymised version review")
    page.get_by_label("Also hide these words (one per line)").fill("Acacia")
    page.get_by_role("button", name="Approve this anonymised version").click()
    expect(page.get_by_text("Anonymised version approved.")).to_be_visible()
    expect(page.get_by_text(re.compile("Approved by Priya Nair"))).to_be_visible()
