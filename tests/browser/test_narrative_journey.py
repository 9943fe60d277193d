"""An advocate records a narrative in a real browser, every page checked by axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.factories import TEST_PASSWORD


def sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    assert_accessible(page, "the sign-in page")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def test_advocate_records_a_narrative_corrects_an_error_and_finds_its_history(page, advocate):
    sign_in(page, advocate["email"])
    assert_accessible(page, "the start page")

    page.get_by_role("link", name="Record a narrative").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a narrative")
    assert_accessible(page, "the narrative form")

    page.get_by_label("Case reference").fill("SG-2025-0143")
    page.get_by_label("Title").fill("Being heard about the money")
    page.get_by_label("A carer").check()
    # Deliberately left empty: why the person could not tell it directly.
    page.get_by_label("Facilitator", exact=True).fill("Priya Nair, independent advocate")
    page.get_by_role("group", name="Is the facilitator independent of the case?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Date captured").fill("2025-05-14")
    page.get_by_role("group", name="Has the person given consent?").get_by_label("Yes").check()
    page.get_by_label("Date of consent").fill("2025-05-14")
    page.get_by_label("Consent recorded by").fill("Priya Nair")
    page.get_by_label("Staff reflection: staff involved may hear the narrative").check()
    page.get_by_label("The narrative, in the narrator's own words").fill(
        "She said nobody told her what was happening.\n\nThen someone sat with her and listened."
    )
    page.get_by_role("button", name="Save as draft").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Explain why the person could not tell their story directly")
    expect(summary).to_be_focused()  # so a screen reader announces it first
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page, "the narrative form with an error")
    # Nothing typed was lost.
    expect(page.get_by_label("Case reference")).to_have_value("SG-2025-0143")
    expect(page.get_by_label("Title")).to_have_value("Being heard about the money")
    expect(page.get_by_label("A carer")).to_be_checked()
    expect(page.get_by_label("Facilitator", exact=True)).to_have_value(
        "Priya Nair, independent advocate"
    )
    expect(page.get_by_label("Date captured")).to_have_value("2025-05-14")
    expect(page.get_by_label("Date of consent")).to_have_value("2025-05-14")
    expect(
        page.get_by_label("Staff reflection: staff involved may hear the narrative")
    ).to_be_checked()
    expect(page.get_by_label("The narrative, in the narrator's own words")).to_have_value(
        "She said nobody told her what was happening.\n\nThen someone sat with her and listened."
    )

    summary.get_by_role("link", name=re.compile("Explain why")).click()
    expect(page.get_by_label("Why could the person not tell it directly?")).to_be_focused()
    page.keyboard.type("She has advanced dementia and asked her carer to speak for her.")
    page.get_by_role("button", name="Save as draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Being heard about the money")
    expect(page.locator("#narrative-body")).to_contain_text(
        "Then someone sat with her and listened."
    )
    assert_accessible(page, "the narrative page")

    page.get_by_role("link", name="Narratives", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Narratives")
    expect(page.get_by_role("link", name="Being heard about the money")).to_be_visible()
    assert_accessible(page, "the narratives list")

    page.get_by_role("link", name="Being heard about the money").click()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History")
    expect(page.get_by_role("heading", name=re.compile("Version 1: Created"))).to_be_visible()
    assert_accessible(page, "the history page")
