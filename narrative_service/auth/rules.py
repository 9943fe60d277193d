"""Accounts: signing in (password, then the authenticator's code), passwords, two-step
verification, and what admins may change."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import delete, func, select, update

from ..audit.rules import add_and_record, record
from ..errors import DomainError
from ..extensions import db
from ..timeutil import as_utc, utcnow
from . import mfa, sessions, throttle
from .models import ROLES, RecoveryCode, User
from .passwords import check_new_password, hash_matches

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
# Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TEMPORARY_PASSWORD_DAYS = 7
# How long after the password step the code may be entered.
SECOND_STEP_MINUTES = 5

WRONG_CREDENTIALS = "Enter a correct email address and password"
WRONG_CODE = (
    "That code is not right, or it has been used already. Enter the 6-digit code your "
    "authenticator app shows now, or one of your recovery codes."
)


class SignInRefused(DomainError):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    return hash_matches(_hasher, password_hash, password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    email = normalise_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise DomainError(
            "Enter an email address in the correct format, like name@example.nhs.uk", "email"
        )
    return email


def _too_many(wait: int) -> str:
    when = f"{wait} seconds" if wait < 120 else f"{(wait + 59) // 60} minutes"
    return f"There have been too many failed attempts to sign in. Wait {when} and try again."


# Signing in


def authenticate(email: str, password: str, *, address: str, now: datetime | None = None) -> User:
    """The user these credentials belong to, or SignInRefused with a message that reveals nothing.

    Known and unknown email addresses do the same work in the same order (look
    up, verify an argon2 hash, consult the throttle, record), so neither the
    answer nor its timing says whether an account exists. A user who has
    two-step verification is not signed in yet: see verify_second_step.
    """
    now = now or utcnow()
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    is_correct = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    keys = throttle.password_keys(email, address)
    wait = throttle.wait_seconds(keys, now)
    user_id = user.id if user else None
    if wait:
        record("sign_in_refused", user_id=user_id, subject=user, reason="throttled", wait=wait)
        db.session.commit()
        raise SignInRefused(_too_many(wait))
    if user is None or not is_correct:
        throttle.record_failure(keys, now)
        reason = "unknown email" if user is None else "wrong password"
        record("sign_in_failed", user_id=user_id, subject=user, reason=reason)
        db.session.commit()
        raise SignInRefused(WRONG_CREDENTIALS)
    if not user.is_active_account:
        record("sign_in_refused", user_id=user.id, subject=user, reason="deactivated")
        db.session.commit()
        raise SignInRefused(
            "This account has been deactivated. Ask your administrator if you need access."
        )
    if user.has_temporary_password and now > as_utc(user.temporary_password_until):
        record("sign_in_refused", user_id=user.id, subject=user, reason="temporary expired")
        db.session.commit()
        raise SignInRefused(
            f"Your temporary password has expired: it could be used for "
            f"{TEMPORARY_PASSWORD_DAYS} days. Ask your administrator to reset your password."
        )
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.clear(keys[0])
    if not user.has_two_step:
        _signed_in(user, now, method="password")
    db.session.commit()
    return user


def _signed_in(user: User, now: datetime, **detail) -> None:
    user.last_signed_in_at = now
    record("sign_in", user_id=user.id, subject=user, **detail)


def awaiting_code(user_id: int, password_checked_at: float, now: datetime | None = None):
    """The user whose password was right a moment ago and who must now enter a code, or None."""
    now = now or utcnow()
    if now.timestamp() - password_checked_at > SECOND_STEP_MINUTES * 60:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active_account or not user.has_two_step:
        return None
    return user


def verify_second_step(user: User, code: str, *, address: str, now: datetime | None = None) -> None:
    """Accept a code from the authenticator app (once only) or an unused recovery code."""
    now = now or utcnow()
    keys = throttle.code_keys(user.id, address)
    wait = throttle.wait_seconds(keys, now)
    if wait:
        record("sign_in_refused", user_id=user.id, subject=user, reason="throttled", wait=wait)
        db.session.commit()
        raise SignInRefused(_too_many(wait))
    if mfa.looks_like_totp(code):
        method, is_correct = "authenticator", _use_totp_code(user, code, now)
    else:
        method, is_correct = "recovery code", _use_recovery_code(user, code, now)
    if not is_correct:
        throttle.record_failure(keys, now)
        record("sign_in_failed", user_id=user.id, subject=user, reason="wrong code")
        db.session.commit()
        raise SignInRefused(WRONG_CODE)
    throttle.clear(keys[0])
    _signed_in(user, now, method=method)
    db.session.commit()


def _use_totp_code(user: User, code: str, now: datetime) -> bool:
    step = mfa.matching_step(
        mfa.decrypt(user.totp_secret), code, now=now, after_step=user.totp_last_step
    )
    if step is None:
        return False
    # Conditional, so that the same code sent twice at once is still accepted only once.
    taken = db.session.execute(
        update(User)
        .where(User.id == user.id, User.totp_last_step < step)
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user)
    return taken.rowcount == 1


def _use_recovery_code(user: User, typed: str, now: datetime) -> bool:
    code = mfa.normalise_recovery_code(typed)
    if len(code) != mfa.RECOVERY_CODE_LENGTH:
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    for stored in unused:
        if mfa.recovery_code_matches(stored.code_hash, code):
            taken = db.session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == stored.id, RecoveryCode.used_at.is_(None))
                .values(used_at=now)
                .execution_options(synchronize_session=False)
            )
            return taken.rowcount == 1
    return False


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def sign_out(user: User, token: str | None) -> None:
    if token:
        sessions.end(token)
    record("sign_out", user_id=user.id, subject=user)


def sign_out_everywhere(user: User) -> None:
    sessions.end_all(user)
    record("sign_out_everywhere", user_id=user.id, subject=user)


# What a person must do before anything else


PASSWORD_STEP = "password"  # noqa: S105 (the name of a step)
TWO_STEP_STEP = "two_step"


def setup_step(user: User) -> str | None:
    """What this person must do before they may use the service: change a temporary
    password, then set up two-step verification where their role requires it."""
    if user.has_temporary_password:
        return PASSWORD_STEP
    if not user.has_two_step and mfa.is_required(user):
        return TWO_STEP_STEP
    return None


def _check_current_password(user: User, password: str, *, address: str, now: datetime) -> None:
    """Re-check the password before a change to the account, throttled like signing in."""
    keys = throttle.password_keys(user.email, address)
    wait = throttle.wait_seconds(keys, now)
    if wait:
        raise DomainError(_too_many(wait), "current_password")
    if not verify_password(user.password_hash, password or ""):
        throttle.record_failure(keys, now)
        raise DomainError("Your current password is not correct", "current_password")


# Passwords


def check_password_rules(password: str, email: str = "", name: str = "") -> None:
    """Raise DomainError naming what is wrong with a proposed password."""
    check_new_password(password, email=email, name=name)


def set_password(user: User, password: str) -> None:
    """A password the person chose: checked, hashed, and every session of theirs ended."""
    check_password_rules(password, user.email, user.name)
    user.password_hash = hash_password(password)
    user.temporary_password_until = None
    sessions.end_all(user)


def change_own_password(
    user: User, current: str, new: str, *, address: str, now: datetime | None = None
) -> None:
    now = now or utcnow()
    _check_current_password(user, current, address=address, now=now)
    if new == current:
        raise DomainError(
            "Choose a new password that is different from your current one", "new_password"
        )
    try:
        set_password(user, new)
    except DomainError as wrong:
        raise DomainError(wrong.message, "new_password") from wrong
    record("password.change", user_id=user.id, subject=user)


def _temporary_password(user: User, now: datetime) -> str:
    password = secrets.token_urlsafe(12)
    user.password_hash = hash_password(password)
    user.temporary_password_until = now + timedelta(days=TEMPORARY_PASSWORD_DAYS)
    return password


# Two-step verification


def pending_two_step_secret(user: User) -> str:
    """The secret being set up for this person's app: made when first asked for, kept until
    confirmed."""
    if user.totp_pending_secret is None:
        user.totp_pending_secret = mfa.encrypt(mfa.new_secret())
    return mfa.decrypt(user.totp_pending_secret)


def confirm_two_step(
    user: User,
    code: str,
    *,
    password: str = "",
    address: str,
    now: datetime | None = None,
) -> list[str]:
    """Turn on two-step verification with the app just set up; return the new recovery codes.

    Replacing an app that is already set up needs the current password too. Every
    session of the person ends (the caller starts a new one for this browser).
    """
    now = now or utcnow()
    if user.has_two_step:
        _check_current_password(user, password, address=address, now=now)
    if user.totp_pending_secret is None:
        raise DomainError(
            "Scan the QR code on this page with your app, then enter its code", "code"
        )
    step = mfa.matching_step(mfa.decrypt(user.totp_pending_secret), code, now=now, after_step=0)
    if step is None:
        raise DomainError(
            "That code does not match. Enter the 6-digit code the app shows for Narrative "
            "service now (a new one appears every 30 seconds).",
            "code",
        )
    return _turn_on_two_step(user, user.totp_pending_secret, last_step=step, now=now)


def set_up_known_authenticator(user: User, secret: str, now: datetime | None = None) -> list[str]:
    """Turn on two-step verification with a secret made here, for the demo accounts (whose
    secrets are printed with their password); return the recovery codes."""
    return _turn_on_two_step(user, mfa.encrypt(secret), last_step=0, now=now or utcnow())


def _turn_on_two_step(user: User, encrypted: str, *, last_step: int, now: datetime) -> list[str]:
    was_on = user.has_two_step
    user.totp_secret, user.totp_pending_secret = encrypted, None
    user.totp_enabled_at = now
    user.totp_last_step = last_step
    codes = _replace_recovery_codes(user)
    sessions.end_all(user)
    record("mfa.set_up", user_id=user.id, subject=user, replaced_app=was_on)
    return codes


def new_recovery_codes(
    user: User, password: str, *, address: str, now: datetime | None = None
) -> list[str]:
    """Ten new recovery codes in place of the old ones, after the password is checked again."""
    now = now or utcnow()
    if not user.has_two_step:
        raise DomainError("Set up two-step verification first", "current_password")
    _check_current_password(user, password, address=address, now=now)
    codes = _replace_recovery_codes(user)
    record("mfa.recovery_codes", user_id=user.id, subject=user)
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = mfa.new_recovery_codes()
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=mfa.hash_recovery_code(code)) for code in codes
    )
    return [mfa.show_recovery_code(code) for code in codes]


def reset_two_step(user: User, *, by: User) -> None:
    """An administrator turns off someone's two-step verification (a lost phone): they set it
    up again at their next sign-in if their role requires it."""
    if user.id == by.id:
        raise DomainError(
            "You cannot reset your own two-step verification; ask another administrator"
        )
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = 0
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    sessions.end_all(user)
    record("user.reset_mfa", user_id=by.id, subject=user)


# What administrators change


def create_user(
    *, email: str, name: str, role: str, password: str, created_by: User | None = None
) -> User:
    """A new account with a password the person chose (the command line, the demo)."""
    check_password_rules(password, normalise_email(email), name.strip())
    user = _new_user(email, name, role, created_by)
    user.password_hash = hash_password(password)
    return user


def create_user_with_temporary_password(
    *, email: str, name: str, role: str, created_by: User, now: datetime | None = None
) -> tuple[User, str]:
    """A new account with a temporary password, to be shown once to the administrator and
    changed at the first sign-in."""
    user = _new_user(email, name, role, created_by)
    return user, _temporary_password(user, now or utcnow())


def _new_user(email: str, name: str, role: str, created_by: User | None) -> User:
    email = check_email(email)
    if role not in ROLES:
        raise DomainError(f"Choose a role: {', '.join(ROLES)}", "role")
    name = name.strip()
    if not name:
        raise DomainError("Enter the person's name", "name")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise DomainError(f"A user with the email {email} already exists", "email")
    user = User(email=email, name=name, role=role, password_hash="")
    return add_and_record(user, "user.create", by=created_by, role=role)


def change_role(user: User, role: str, *, by: User) -> None:
    if role not in ROLES:
        raise DomainError(f"Choose a role: {', '.join(ROLES)}", "role")
    if user.id == by.id:
        raise DomainError("You cannot change your own role; ask another administrator", "role")
    old = user.role
    user.role = role
    sessions.end_all(user)
    record("user.change_role", user_id=by.id, subject=user, old=old, new=role)


def set_active(user: User, is_active: bool, *, by: User) -> None:
    if user.id == by.id and not is_active:
        raise DomainError("You cannot deactivate your own account")
    user.is_active_account = is_active
    sessions.end_all(user)
    record("user.reactivate" if is_active else "user.deactivate", user_id=by.id, subject=user)


def reset_password(user: User, *, by: User | None, now: datetime | None = None) -> str:
    """Give the user a temporary password, shown once to the admin, and end their sessions."""
    password = _temporary_password(user, now or utcnow())
    sessions.end_all(user)
    record("user.reset_password", user_id=by.id if by else None, subject=user)
    return password
