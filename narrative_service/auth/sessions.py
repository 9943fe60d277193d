"""Sign-in sessions kept on the server, so that ending one really ends it.

The browser's cookie carries a random token; the server keeps only its SHA-256
hash with the user and two times. A session is live while its row exists, it
is younger than SESSION_LIFETIME_MINUTES and it has been used within
SESSION_IDLE_MINUTES. Signing out deletes the row; a new password, a new role,
deactivation, a two-step reset or "sign out of every device" delete every row
of that person, so any copy of any of their cookies opens nothing afterwards.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from ..extensions import db
from ..timeutil import as_utc, utcnow
from .models import SignInSession, User

# Writing the last-used time at most once a minute keeps page views from being writes;
# the idle limit is therefore exact to within a minute.
TOUCH_EVERY = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config.get("SESSION_IDLE_MINUTES", 30))


def lifetime() -> timedelta:
    return timedelta(minutes=current_app.config.get("SESSION_LIFETIME_MINUTES", 480))


def start(user: User, now: datetime | None = None) -> str:
    """Open a session for this user and return the token for their cookie (the caller commits)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(
        SignInSession(token_hash=_digest(token), user_id=user.id, created_at=now, last_seen_at=now)
    )
    # Sessions of this person that ran out are of no further use to anyone.
    db.session.execute(
        delete(SignInSession).where(
            SignInSession.user_id == user.id,
            (SignInSession.created_at < now - lifetime())
            | (SignInSession.last_seen_at < now - idle_limit()),
        )
    )
    return token


def live_session(user_id: int, token: str, now: datetime | None = None) -> SignInSession | None:
    """The live session this token opens for this user, marked as used; None if there is none.

    A session found to have run out is deleted. The caller commits when
    ``db.session`` has changes.
    """
    now = now or utcnow()
    found = db.session.scalar(
        select(SignInSession).where(SignInSession.token_hash == _digest(token))
    )
    if found is None or found.user_id != user_id:
        return None
    created, last_seen = as_utc(found.created_at), as_utc(found.last_seen_at)
    if now - created > lifetime() or now - last_seen > idle_limit():
        db.session.delete(found)
        return None
    if now - last_seen >= TOUCH_EVERY:
        found.last_seen_at = now
    return found


def end(token: str) -> None:
    db.session.execute(delete(SignInSession).where(SignInSession.token_hash == _digest(token)))


def end_all(user: User) -> None:
    """End every session of this person, on every device (the caller commits)."""
    db.session.execute(delete(SignInSession).where(SignInSession.user_id == user.id))


def live_sessions(user: User, now: datetime | None = None) -> list[SignInSession]:
    now = now or utcnow()
    rows = db.session.scalars(
        select(SignInSession)
        .where(SignInSession.user_id == user.id)
        .order_by(SignInSession.last_seen_at.desc())
    )
    return [
        row
        for row in rows
        if now - as_utc(row.created_at) <= lifetime()
        and now - as_utc(row.last_seen_at) <= idle_limit()
    ]
