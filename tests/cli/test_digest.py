"""`narrative-service digest`: the leads' e-mail digest, through a real SMTP server."""

from __future__ import annotations

import os
import socket
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller

from narrative_service.extensions import db
from narrative_service.milestones import rules
from narrative_service.reflection import rules as reflection
from narrative_service.timeutil import today
from tests.cli.test_cli import run
from tests.factories import make_narrative, make_session, make_theme, make_user


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def cli_env(app):
    """The command, typed by a user, on the same database and folders as the test's app."""
    environment = dict(os.environ, LOG_LEVEL="WARNING")
    for name in ("REDIS_URL", "SMTP_HOST", "SMTP_PORT", "BASE_URL", "MAIL_FROM"):
        environment.pop(name, None)
    environment.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY=app.config["SECRET_KEY"],
        INSTANCE_DIR=app.config["INSTANCE_DIR"],
        MEDIA_DIR=app.config["MEDIA_DIR"],
        QUEUE_PATH=app.config["QUEUE_PATH"],
    )
    return environment


@pytest.fixture
def due_soon(app, users):
    """A quarter reporting in 5 days with items missing, and an action due in 3."""
    programme = rules.create_programme("reflecting_on_practice", "2025/26", by=users["lead"])
    q1 = programme.milestones[0]
    q1.reporting_date = today() + timedelta(days=5)
    q1.period_end = min(q1.period_end, q1.reporting_date)
    narrative = make_narrative(
        users["advocate"], status="complete", body="Mrs Edna Pryce said nobody told her."
    )
    session = make_session(
        users["facilitator"], [narrative], by=users["lead"], held_on=date(2025, 6, 2)
    )
    attendee = reflection.add_attendee(session, by=users["lead"], name="Sam Okoro")
    reflection.mark_heard(session, {attendee.id: "read_aloud"}, by=users["lead"])
    reflection.add_learning_point(
        session, text="Tell Mrs Pryce first.", theme_ids=[make_theme().id], by=users["lead"]
    )
    rules.add_action(
        q1,
        {"recommendation": "Rewrite Mrs Pryce's letter", "due_on": today() + timedelta(days=3)},
        by=users["lead"],
    )
    make_user("lead", email="second.lead@example.org")
    db.session.commit()
    return q1


def test_the_digest_reaches_each_lead_and_names_no_one(app, cli_env, due_soon, smtp):
    inbox, port = smtp
    env = dict(
        cli_env,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(port),
        MAIL_FROM="safeguarding@example.org",
        BASE_URL="https://narratives.example.org",
    )
    result = run(env, "digest")
    assert result.returncode == 0, result.stderr
    assert "Sent the digest to 2 people" in result.stdout
    assert sorted(m.rcpt_tos[0] for m in inbox.messages) == sorted([u for u in _lead_emails(app)])
    body = inbox.messages[0].content.decode()
    assert "Q1: at risk" in body and "5 days" in body
    assert "Feedback to the person and/or family".lower() in body
    assert "Actions due in the next 14 days or overdue: 1." in body
    assert "Quarters where feedback to the person or family is owed: 1." in body
    assert "https://narratives.example.org/programmes" in body
    for identifier in ("Pryce", "Okoro", "Edna"):
        assert identifier not in body


def _lead_emails(app):
    from narrative_service.auth.models import User

    return [u.email for u in db.session.query(User).filter_by(role="lead")]


def test_without_smtp_the_digest_is_off_and_says_so(app, cli_env, due_soon):
    result = run(cli_env, "digest")
    assert result.returncode != 0
    assert "SMTP_HOST is not set" in result.stderr
    dry = run(cli_env, "digest", "--dry-run")
    assert dry.returncode == 0 and "Q1: at risk" in dry.stdout


def test_an_unreachable_smtp_server_is_named(app, cli_env, due_soon):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    result = run(cli_env | {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port)}, "digest")
    assert result.returncode != 0
    assert f"could not be sent through 127.0.0.1:{port}" in result.stderr
