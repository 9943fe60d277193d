"""The narrative form can be completed with the keyboard alone: no mouse, no clicks."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from narrative_service.extensions import db
from narrative_service.narratives.models import Narrative
from tests.factories import TEST_PASSWORD

MAX_TABS = 250


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, element_id: str) -> None:
    """Press Tab until the element has focus, as a keyboard user moves through the page."""
    for _ in range(MAX_TABS):
        if focused_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def type_into(page, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    page.keyboard.type(text)


def choose_radio(page, group_first_id: str, option_id: str) -> None:
    """Tab into a radio group, then move with the arrow keys to the option."""
    tab_to(page, group_first_id)
    for _ in range(10):
        if focused_id(page) == option_id:
            break
        page.keyboard.press("ArrowDown")
    assert focused_id(page) == option_id, f"#{option_id} cannot be reached with the arrow keys"
    page.keyboard.press("Space")


def test_an_advocate_completes_the_narrative_form_with_the_keyboard_only(page, advocate, live_app):
    page.goto("/sign-in")
    type_into(page, "email", advocate["email"])
    type_into(page, "password", TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")

    page.goto("/narratives/new")
    type_into(page, "case_reference", "SG-2025-0777")
    type_into(page, "title", "Keeping my things")
    choose_radio(page, "narrator_type", "narrator_type")  # the person themselves
    type_into(page, "facilitator_name", "Mei Lin Chen, peer support worker")
    choose_radio(page, "is_facilitator_independent", "is_facilitator_independent")  # yes
    # A date input's segments follow the browser's language (Debian's chromium ships
    # only en-US, so month first); the test keeps whatever date the control made.
    type_into(page, "captured_from", "12082025")
    captured = date.fromisoformat(page.locator("#captured_from").input_value())
    choose_radio(page, "has_consent", "has_consent")  # yes
    type_into(page, "consent_date", "12082025")
    type_into(page, "consent_recorded_by", "Mei Lin Chen")
    tab_to(page, "consent_scope")
    page.keyboard.press("Space")  # staff reflection
    type_into(page, "body", "They called it self-neglect. I call it my house.")
    page.keyboard.press("Tab")  # on to the Save button
    assert page.evaluate("document.activeElement.textContent").strip() == "Save as draft"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    errors = page.locator(".nhsuk-error-summary")
    assert errors.count() == 0, errors.inner_text()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keeping my things")
    expect(page.locator("#narrative-body")).to_contain_text("I call it my house.")
    expect(page.get_by_text("staff reflection")).to_be_visible()

    with live_app.app_context():
        saved = db.session.scalars(select(Narrative)).one()
        assert (saved.title, saved.captured_from) == ("Keeping my things", captured)
        assert saved.has_consent and saved.has_reflection_consent
