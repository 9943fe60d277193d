"""The leads' e-mail digest: what falls due in the next 14 days. Off unless SMTP_HOST is set.

The message leaves the organisation's systems, so it carries no record content: only
programme and quarter names, statuses, dates, which checklist items are missing, and
counts of actions due and feedback owed, with a link back to the service.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from ..audit.rules import record
from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..timeutil import today
from . import checklist, dashboard
from .models import Programme

log = logging.getLogger(__name__)


@dataclass
class Digest:
    subject: str
    body: str
    items: int  # milestones due plus actions due plus feedback owed


def _days(n: int) -> str:
    if n < 0:
        return f"{-n} day{'s' if n != -1 else ''} overdue"
    return f"{n} day{'s' if n != 1 else ''}"


def compose(on: date | None = None) -> Digest:
    # The checklist builds its "fix it" links, so it needs a request context even here.
    with current_app.test_request_context(base_url=current_app.config.get("BASE_URL") or None):
        return _compose(on or today())


def _compose(on: date) -> Digest:
    lines: list[str] = []
    count = 0
    for milestone_check in checklist.due_soon(on):
        m = milestone_check.milestone
        count += 1
        missing = "; ".join(item.label.lower() for item in milestone_check.missing)
        lines.append(
            f"- {m.programme.name}, {m.quarter}: {milestone_check.status_label.lower()}, report by "
            f"{m.reporting_date:%-d %B %Y} ({_days(milestone_check.days_to_report)}). "
            f"Missing: {missing}."
        )
    if not lines:
        lines.append("- No milestone falls due in the next 14 days with items missing.")
    programmes = db.session.scalars(select(Programme).order_by(Programme.financial_year)).all()
    due = owed = 0
    for board in (dashboard.for_programme(programme, on) for programme in programmes):
        due += len(board.actions_due)
        owed += len(board.feedback_owed)
    count += due + owed
    lines.append("")
    lines.append(f"Actions due in the next 14 days or overdue: {due}.")
    lines.append(f"Quarters where feedback to the person or family is owed: {owed}.")
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    if base:
        lines.append("")
        lines.append(f"See the milestones: {base}/programmes")
    subject = (
        f"Safeguarding milestones: {count} thing{'s' if count != 1 else ''} to look at"
        if count
        else "Safeguarding milestones: nothing due in the next 14 days"
    )
    intro = f"What falls due in the next 14 days, as of {on:%-d %B %Y}:"
    return Digest(subject, "\n".join([intro, "", *lines, ""]), count)


def is_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def recipients() -> list[str]:
    leads = db.session.scalars(
        select(User)
        .where(User.role == "lead", User.is_active_account.is_(True))
        .order_by(User.email)
    )
    return [lead.email for lead in leads]


def send(digest: Digest, to: list[str] | None = None) -> int:
    """Send the digest to each lead; returns how many were sent to."""
    config = current_app.config
    if not is_configured():
        raise DomainError("SMTP_HOST is not set: the e-mail digest is off.")
    to = recipients() if to is None else to
    if not to:
        return 0
    sender = config.get("MAIL_FROM") or "narrative-service@localhost"
    port = int(config.get("SMTP_PORT") or 25)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], port, timeout=30) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
            for address in to:  # one message each: leads do not see each other's addresses
                message = EmailMessage()
                message["Subject"] = digest.subject
                message["From"] = sender
                message["To"] = address
                message.set_content(digest.body)
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as failure:
        raise DomainError(
            f"The digest could not be sent through {config['SMTP_HOST']}:{port}: {failure}"
        ) from failure
    record("milestone.digest_sent", user_id=None, recipients=len(to), items=digest.items)
    db.session.commit()
    return len(to)
