"""Load the fictional demo data: users, a 2025/26 programme, cases and narratives.

The demo users share one random password, generated at load time and kept in
the instance folder (readable by its owner only) so `serve` can print it.
"""

from __future__ import annotations

import secrets

from flask import Flask
from sqlalchemy import func, select

from ..audit.rules import record
from ..auth import rules as accounts
from ..auth.models import User
from ..extensions import db
from ..milestones.models import Programme
from ..milestones.rules import create_programme
from ..narratives import rules as narratives
from ..narratives.models import Case, Narrative
from .credentials import save_sign_in_details
from .narratives import NARRATIVES

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
    password = secrets.token_urlsafe(9)
    people = {}
    for email, name, role in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = accounts.create_user(email=email, name=name, role=role, password=password)
        else:
            accounts.set_password(user, password)
        people[role] = people.get(role) or user
    advocates = db.session.scalars(select(User).where(User.role == "advocate")).all()

    if not db.session.scalar(select(Programme).where(Programme.financial_year == "2025/26")):
        create_programme("reflecting_on_practice", "2025/26", by=people["lead"])

    created = 0
    for index, entry in enumerate(NARRATIVES):
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
            narratives.withdraw(narrative, by=author)
        if index % 3 == 0:
            narratives.share(narrative, people["facilitator"], by=author)
        created += 1
    record("demo.load", user_id=None, narratives=created)
    db.session.commit()

    lines = ["Demo sign-in (fictional people; password for every demo account):"]
    lines += [f"  {role:<12} {email}" for email, _, role in DEMO_USERS]
    lines.append(f"  password     {password}")
    text = "\n".join(lines) + "\n"
    save_sign_in_details(app, text)
    return f"Loaded {created} demo narratives.\n{text}"
