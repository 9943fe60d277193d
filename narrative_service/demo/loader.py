"""Load the fictional demo data: users, a 2025/26 programme, cases and narratives.

The demo users share one random password, generated at load time and kept in
the instance folder (readable by its owner only) so `serve` can print it. The
accounts whose role needs two-step verification (the lead and the administrator,
by default) get an authenticator secret and recovery codes made here, kept in
the same file: add the secret to any authenticator app, or sign in with a
recovery code, each once.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from importlib import resources

import yaml
from flask import Flask
from sqlalchemy import func, select

from ..audit.rules import record
from ..auth import mfa
from ..auth import rules as accounts
from ..auth.models import User
from ..extensions import db
from ..milestones.models import Programme
from ..milestones.rules import create_programme
from ..narratives import rules as narratives
from ..narratives import withdrawal
from ..narratives.models import Case, Narrative
from ..reflection import access as reflection_access
from ..reflection import rules as reflection
from ..themes.codebook import load_default_if_empty
from ..themes.models import Theme
from ..timeutil import today
from .credentials import save_sign_in_details


def demo_narratives() -> list[dict]:
    """The fictional narratives in narratives.yaml, each a dict of a narrative's fields."""
    text = resources.files(__package__).joinpath("narratives.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


DEMO_USERS = [
    ("admin@demo.invalid", "Alex Admin", "admin"),
    ("lead@demo.invalid", "Sam Okafor", "lead"),
    ("facilitator@demo.invalid", "Jo Whitfield", "facilitator"),
    ("advocate@demo.invalid", "Priya Nair", "advocate"),
    ("advocate2@demo.invalid", "Tom Brennan", "advocate"),
    ("board@demo.invalid", "Dr Helen Marsh", "board"),
]


def load_demo(app: Flask, *, only_if_empty: bool = False) -> str:
    if only_if_empty and db.session.scalar(select(func.count(Narrative.id))):
        return "The database already has narratives; demo data not loaded."

    load_default_if_empty()
    password = secrets.token_urlsafe(9)
    people = {}
    two_step = {}
    for email, name, role in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = accounts.create_user(email=email, name=name, role=role, password=password)
        else:
            accounts.set_password(user, password)
        if mfa.is_required(user):
            secret = mfa.new_secret()
            two_step[email] = (secret, accounts.set_up_known_authenticator(user, secret))
        people[role] = people.get(role) or user
    advocates = db.session.scalars(select(User).where(User.role == "advocate")).all()

    if not db.session.scalar(select(Programme).where(Programme.financial_year == "2025/26")):
        create_programme("reflecting_on_practice", "2025/26", by=people["lead"])

    created = 0
    for index, entry in enumerate(demo_narratives()):
        data = dict(entry)
        status = data.pop("status")
        author = advocates[index % len(advocates)]
        if db.session.scalar(select(Narrative.id).where(Narrative.title == data["title"])):
            continue
        is_new = (
            db.session.scalar(select(Case).where(Case.reference == data["case_reference"])) is None
        )
        if status == "withdrawn":
            data["body"] = data["body"] or "(erased)"
        narrative = narratives.create(data, by=author, is_new_case=is_new)
        db.session.flush()
        if status in ("complete", "withdrawn") and not narratives.missing_for_completion(narrative):
            narratives.mark_complete(narrative, by=author)
        if status == "withdrawn":
            withdrawal.withdraw(narrative, by=author, withdrawn_on=today(), how="in_writing")
        if index % 3 == 0:
            narratives.share(narrative, people["facilitator"], by=author)
        created += 1
    sessions = _demo_reflection_session(people) if created else 0
    record("demo.load", user_id=None, narratives=created, reflection_sessions=sessions)
    db.session.commit()

    lines = ["Demo sign-in (fictional people; password for every demo account):"]
    lines += [f"  {role:<12} {email}" for email, _, role in DEMO_USERS]
    lines.append(f"  password     {password}")
    for email, (secret, codes) in two_step.items():
        lines.append(f"Two-step verification for {email}:")
        lines.append(f"  authenticator key (time-based)  {mfa.grouped(secret)}")
        lines.append("  recovery codes (each works once):")
        lines += [f"    {' '.join(codes[i : i + 5])}" for i in range(0, len(codes), 5)]
    text = "\n".join(lines) + "\n"
    save_sign_in_details(app, text)
    return f"Loaded {created} demo narratives.\n{text}"


DEMO_LEARNING = (
    (
        "Explain each step of the enquiry before it happens, in plain words, and check it "
        "was understood.",
        ["experience.information", "principle.empowerment"],
    ),
    (
        "Ask the person what outcome they want at the first contact, and come back to it "
        "at every meeting.",
        ["experience.choice_control"],
    ),
    (
        "Agree with the person which family members are told, what, and when.",
        ["experience.family_carers", "experience.trust"],
    ),
)


def _demo_reflection_session(people: dict) -> int:
    """One reflection session on the first complete narrative with reflection consent."""
    eligible = reflection_access.eligible_narratives(people["lead"])
    if not eligible:
        return 0
    narrative = eligible[-1]
    session = reflection.create_session(
        reflection.SessionDetails(
            held_on=(narrative.captured_from or date.today()) + timedelta(days=21),
            is_group=True,
            is_online=False,
            facilitator_id=people["facilitator"].id,
            narrative_ids=[narrative.id],
        ),
        by=people["lead"],
    )
    attendees = [
        reflection.add_attendee(
            session, by=people["lead"], name=name, role=role, team=team, agency=agency
        )
        for name, role, team, agency in (
            ("Sam Okoro", "Social worker", "Adult social care east", "Local authority"),
            ("Kim Lee", "Ward nurse", "Older people's ward", "NHS trust"),
            ("PC Jo Hart", "Police officer", "Safeguarding unit", "Police"),
        )
    ]
    reflection.mark_heard(
        session, {attendee.id: "read_aloud" for attendee in attendees}, by=people["lead"]
    )
    themes = {theme.code: theme.id for theme in db.session.scalars(select(Theme))}
    for text, codes in DEMO_LEARNING:
        reflection.add_learning_point(
            session,
            text=text,
            owner="Safeguarding lead",
            theme_ids=[themes[code] for code in codes if code in themes],
            by=people["lead"],
        )
    reflection.add_difference(
        session,
        person_view="I thought they were going to put me in a home.",
        practitioner_view="Staff saw a short respite stay that had been agreed with the family.",
        agency="Local authority",
        learning="Agree the plan with the person themselves, not only with their family.",
        by=people["lead"],
    )
    return 1
