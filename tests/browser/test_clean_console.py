"""Every page of the journeys, for every role, loads with a clean console: no Content
Security Policy violation and no request to any host but the service itself."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from narrative_service.auth import rules as accounts
from narrative_service.auth.models import User
from narrative_service.demo.loader import load_demo
from narrative_service.extensions import db
from narrative_service.milestones.models import Milestone
from narrative_service.narratives.models import Narrative
from narrative_service.reflection.models import ReflectionSession
from tests.browser.test_milestone_journey import demo_two_step_key, sign_in
from tests.factories import TEST_PASSWORD

PAGES = (
    "/",
    "/narratives",
    "/narratives/{narrative}",
    "/narratives/{narrative}/conversation",
    "/narratives/{narrative}/history",
    "/narratives/{narrative}/themes",
    "/reflection-sessions",
    "/reflection-sessions/{session}",
    "/themes/analysis",
    "/themes/codebook",
    "/programmes",
    "/milestones/{milestone}",
    "/board",
    "/audit",
    "/admin/users",
    "/account",
)


@pytest.fixture
def demo(live_app):
    """The demo data, with each role's first account given the test password."""
    with live_app.app_context():
        load_demo(live_app)
        people = {}
        for role in ("advocate", "facilitator", "lead", "admin"):
            user = db.session.scalars(select(User).where(User.role == role)).first()
            accounts.set_password(user, TEST_PASSWORD)
            people[role] = user.email
        db.session.commit()
        ids = {
            "narrative": db.session.scalars(select(Narrative.id)).first(),
            "session": db.session.scalars(select(ReflectionSession.id)).first(),
            "milestone": db.session.scalars(select(Milestone.id)).first(),
        }
    return people, ids


@pytest.mark.parametrize("role", ["advocate", "facilitator", "lead", "admin"])
def test_no_page_breaks_the_content_security_policy_or_calls_another_host(
    page, live_app, live_server, demo, role
):
    people, ids = demo
    service = urlsplit(live_server).netloc
    problems: list[str] = []
    visiting = {"path": "/sign-in"}

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            problems.append(f"{visiting['path']}: {message.text}")

    def on_request(request) -> None:
        host = urlsplit(request.url).netloc
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != service:
            problems.append(f"{visiting['path']}: requested {request.url}")

    page.on("console", on_console)
    page.on("request", on_request)
    page.on("requestfailed", on_request)

    email = people[role]
    sign_in(page, email, demo_two_step_key(live_app, email) if role in ("lead", "admin") else None)
    page.wait_for_load_state("networkidle")
    for template in PAGES:
        visiting["path"] = template.format(**ids)
        page.goto(visiting["path"])
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").count() >= 1, f"{visiting['path']} showed no page"
    assert problems == []
