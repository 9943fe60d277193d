"""People who sign in, and the role that decides what they may see."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Integer, String
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
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on deactivation, password reset and role change so every session
    # issued before it stops working at its next request.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.is_active_account)

    @property
    def role_name(self) -> str:
        return ROLES.get(self.role, self.role)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
