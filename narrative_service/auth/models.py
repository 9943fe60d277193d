"""People who sign in, the role that decides what they may see, and what sign-in keeps."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

ROLES = {
    "admin": "Administrator",
    "lead": "Safeguarding lead",
    "facilitator": "Facilitator",
    "advocate": "Independent advocate",
    "board": "Board member",
}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Set when an administrator issued the password: it must be changed at the next
    # sign-in, and cannot be used at all after this time.
    temporary_password_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    # Two-step verification (auth/mfa.py): the authenticator app's secret, encrypted;
    # a secret being set up and not yet confirmed; and the last time step accepted,
    # so that no code is accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(Text)
    totp_pending_secret: Mapped[str | None] = mapped_column(Text)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.is_active_account)

    @property
    def role_name(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def has_temporary_password(self) -> bool:
        return self.temporary_password_until is not None

    @property
    def has_two_step(self) -> bool:
        return self.totp_secret is not None

    def get_id(self) -> str:
        return str(self.id)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class SignInSession(db.Model):
    """One signed-in browser. The cookie carries a random token; only its hash is kept here.

    Signing out deletes the row, so a copy of the cookie opens nothing afterwards.
    """

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RecoveryCode(db.Model):
    """A single-use code for signing in without the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SignInThrottle(db.Model):
    """Failed attempts counted under one key (auth/throttle.py) when Redis is not configured.

    The key is a keyed hash: neither the email address typed nor the client's
    address is stored.
    """

    __tablename__ = "sign_in_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
