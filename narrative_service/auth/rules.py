"""Accounts: passwords, sign-in throttling, and what admins may change."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select

from ..audit.rules import record
from ..errors import DomainError
from ..extensions import db
from ..timeutil import utcnow
from .models import ROLES, User

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
# Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

MIN_PASSWORD_LENGTH = 12
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 15 * 60
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str, email: str = "") -> None:
    """Raise DomainError naming what is wrong with a proposed password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            f"Password must be at least {MIN_PASSWORD_LENGTH} characters long", "password"
        )
    if len(password) > 256:
        raise DomainError("Password must be 256 characters or fewer", "password")
    local_part = email.split("@")[0].lower()
    if local_part and len(local_part) >= 4 and local_part in password.lower():
        raise DomainError("Password must not contain your email address", "password")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    email = normalise_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise DomainError(
            "Enter an email address in the correct format, like name@example.nhs.uk", "email"
        )
    return email


def retry_after_seconds(user: User, now: datetime | None = None) -> int:
    """Seconds the account must wait before another sign-in attempt is considered.

    The first few mistakes cost nothing; after that each failure doubles the wait.
    """
    if user.failed_sign_ins < FREE_ATTEMPTS or user.last_failed_sign_in_at is None:
        return 0
    delay = min(2 ** (user.failed_sign_ins - FREE_ATTEMPTS + 1), MAX_DELAY_SECONDS)
    last = user.last_failed_sign_in_at
    if last.tzinfo is None:  # SQLite returns naive datetimes
        last = last.replace(tzinfo=UTC)
    waited = ((now or utcnow()) - last).total_seconds()
    return max(0, int(delay - waited + 0.999))


class SignInRefused(DomainError):
    pass


def authenticate(email: str, password: str) -> User:
    """Return the user for these credentials or raise with a message that reveals nothing."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        record("sign_in_failed", user_id=None, reason="unknown email")
        db.session.commit()
        raise SignInRefused("Enter a correct email address and password")
    wait = retry_after_seconds(user)
    if wait:
        record("sign_in_refused", user_id=user.id, subject=user, reason="throttled", wait=wait)
        db.session.commit()
        raise SignInRefused(
            f"Too many failed attempts for this account. Try again in {wait} seconds."
        )
    if not verify_password(user.password_hash, password):
        user.failed_sign_ins += 1
        user.last_failed_sign_in_at = utcnow()
        record("sign_in_failed", user_id=user.id, subject=user, attempts=user.failed_sign_ins)
        db.session.commit()
        raise SignInRefused("Enter a correct email address and password")
    if not user.is_active_account:
        record("sign_in_refused", user_id=user.id, subject=user, reason="deactivated")
        db.session.commit()
        raise SignInRefused(
            "This account has been deactivated. Ask your administrator if you need access."
        )
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_sign_ins = 0
    user.last_failed_sign_in_at = None
    user.last_signed_in_at = utcnow()
    record("sign_in", user_id=user.id, subject=user)
    db.session.commit()
    return user


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def create_user(
    *, email: str, name: str, role: str, password: str, created_by: User | None = None
) -> User:
    email = check_email(email)
    if role not in ROLES:
        raise DomainError(f"Choose a role: {', '.join(ROLES)}", "role")
    name = name.strip()
    if not name:
        raise DomainError("Enter the person's name", "name")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise DomainError(f"A user with the email {email} already exists", "email")
    check_password_rules(password, email)
    user = User(email=email, name=name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record("user.create", user_id=created_by.id if created_by else None, subject=user, role=role)
    return user


def change_role(user: User, role: str, *, by: User) -> None:
    if role not in ROLES:
        raise DomainError(f"Choose a role: {', '.join(ROLES)}", "role")
    if user.id == by.id:
        raise DomainError("You cannot change your own role; ask another administrator", "role")
    old = user.role
    user.role = role
    user.session_version += 1
    record("user.change_role", user_id=by.id, subject=user, old=old, new=role)


def set_active(user: User, is_active: bool, *, by: User) -> None:
    if user.id == by.id and not is_active:
        raise DomainError("You cannot deactivate your own account")
    user.is_active_account = is_active
    user.session_version += 1
    record("user.reactivate" if is_active else "user.deactivate", user_id=by.id, subject=user)


def reset_password(user: User, *, by: User | None) -> str:
    """Give the user a new random password, shown once to the admin, and end their sessions."""
    password = secrets.token_urlsafe(12)
    set_password(user, password)
    user.failed_sign_ins = 0
    user.last_failed_sign_in_at = None
    record("user.reset_password", user_id=by.id if by else None, subject=user)
    return password


def set_password(user: User, password: str) -> None:
    check_password_rules(password, user.email)
    user.password_hash = hash_password(password)
    user.session_version += 1
