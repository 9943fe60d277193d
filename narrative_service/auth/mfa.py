"""Two-step verification: an authenticator app's codes (TOTP) and single-use recovery codes.

TOTP follows RFC 6238 with its usual settings (HMAC-SHA1, 30-second steps, six
digits), so any authenticator app reads the QR code. A code is accepted one step
either side of now, for clocks that drift, and never twice: the last step
accepted is kept and only a later one is taken.

The secret is held encrypted (Fernet: AES-128 in CBC mode with an HMAC-SHA256
tag) under MFA_SECRET_KEY, which lives outside the database, so a copy of the
database alone does not give anyone the codes. It is never logged or audited.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime
from urllib.parse import quote, urlencode

from argon2 import PasswordHasher
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from .models import ROLES, User
from .passwords import hash_matches

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends
ISSUER = "Narrative service"
DEFAULT_REQUIRED_ROLES = ("admin", "lead")

RECOVERY_CODE_COUNT = 10
# Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives.
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RECOVERY_CODE_LENGTH = 12  # 60 bits
# Recovery codes are hashed like passwords (argon2id, salted) at OWASP's minimum cost:
# up to ten are tried at each use, and at the password cost that would take seconds.
_recovery_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class SecretUnreadable(Exception):
    """The stored secret cannot be decrypted: MFA_SECRET_KEY is not the key it was made with."""


def required_roles(setting: str) -> frozenset[str]:
    """MFA_REQUIRED_ROLES ("admin,lead", "all" or "none") as a set of roles."""
    words = [word.strip().lower() for word in setting.split(",") if word.strip()]
    if words == ["all"]:
        return frozenset(ROLES)
    if words in ([], ["none"]):
        return frozenset()
    unknown = [word for word in words if word not in ROLES]
    if unknown:
        raise ValueError(
            f"MFA_REQUIRED_ROLES names {', '.join(unknown)}, which is not a role: "
            f"use some of {', '.join(ROLES)}, or all, or none"
        )
    return frozenset(words)


def is_required(user: User) -> bool:
    return user.role in required_roles(current_app.config.get("MFA_REQUIRED_ROLES", "admin,lead"))


# The secret and its encryption


def new_secret() -> str:
    """A random secret in base 32 without padding, the form authenticator apps take."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode().rstrip("=")


def _fernet() -> Fernet:
    # Any long random string will do as MFA_SECRET_KEY: Fernet's key is derived from it.
    key = hashlib.sha256(current_app.config["MFA_SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(stored: str) -> str:
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken as wrong_key:
        raise SecretUnreadable(
            "The authenticator secret cannot be read with this MFA_SECRET_KEY. Restore the key "
            "it was made with, or have an administrator reset this person's two-step "
            "verification."
        ) from wrong_key


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# Codes


def time_step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int, digits: int = DIGITS) -> str:
    """The code for one time step (RFC 6238 over RFC 4226's HOTP, HMAC-SHA1)."""
    padded = secret.upper() + "=" * (-len(secret) % 8)
    key = base64.b32decode(padded)
    digest = hmac.new(key, step.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def matching_step(secret: str, code: str, *, now: datetime, after_step: int) -> int | None:
    """The time step this code belongs to, if it is within the drift and later than after_step."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    current = time_step(now)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        # Every candidate is compared, in constant time, whatever matched before.
        if hmac.compare_digest(code_at(secret, step), code) and step > after_step:
            found = step
    return found


def looks_like_totp(code: str) -> bool:
    code = "".join(code.split())
    return len(code) == DIGITS and code.isdigit()


def provisioning_uri(secret: str, account: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    label = quote(f"{ISSUER}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": ISSUER, "algorithm": "SHA1", "digits": DIGITS, "period": 30}
    )
    return f"otpauth://totp/{label}?{query}"


def qr_code_data_uri(uri: str) -> str:
    """The QR code as an SVG data: address, made here (the page's policy allows data: images)."""
    import segno

    # A white quiet zone: on the page's grey some cameras miss the code's edge.
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, light="#ffffff")


# Recovery codes


def new_recovery_codes() -> list[str]:
    return [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def show_recovery_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_recovery_code(typed: str) -> str:
    """What the person typed, as stored: lower case, no spaces or hyphens, I/L as 1 and O as 0."""
    cleaned = "".join(ch for ch in typed.lower() if ch.isalnum())
    return cleaned.translate(str.maketrans({"i": "1", "l": "1", "o": "0"}))


def hash_recovery_code(code: str) -> str:
    return _recovery_hasher.hash(code)


def recovery_code_matches(code_hash: str, code: str) -> bool:
    return hash_matches(_recovery_hasher, code_hash, code)
