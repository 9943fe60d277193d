"""What makes a new password acceptable: long enough, and not one that would be guessed.

No composition rules (a capital, a digit, a symbol): they make passwords harder to
remember and hardly harder to guess. Instead a password is refused when it is
short, when it is one of the 10,000 most common passwords (or one of them with
numbers or symbols added, or a common letter swap such as 0 for o), when it is a
run of neighbouring keys or a repeated pattern, or when it is built from the
person's own email address or name or the name of this service.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..errors import DomainError

MIN_LENGTH = 12
MAX_LENGTH = 256
# Words anyone guessing a password for this service would try first.
SERVICE_WORDS = frozenset(
    {"narrative", "narratives", "narrativeservice", "safeguarding", "safeguard", "nhs"}
)
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
_LOOK_ALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                              "@": "a", "$": "s", "!": "i"})  # fmt: skip
_EDGES = re.compile(r"^[^a-z]+|[^a-z]+$")

ADVICE = "A few unrelated words make a strong password that is easy to remember."


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def check_new_password(password: str, *, email: str = "", name: str = "") -> None:
    """Raise DomainError saying what is wrong with a proposed password, and how to do better."""
    if len(password) < MIN_LENGTH:
        raise DomainError(f"Use at least {MIN_LENGTH} characters. {ADVICE}", "password")
    if len(password) > MAX_LENGTH:
        raise DomainError(f"Use {MAX_LENGTH} characters or fewer.", "password")
    lowered = password.lower()
    if _uses_personal_words(lowered, email, name):
        raise DomainError(
            f"Do not use your email address or your name in your password. {ADVICE}", "password"
        )
    if _is_common(lowered):
        raise DomainError(
            "This password is one of the most common passwords, or one of them with numbers "
            f"or symbols added, so it would be guessed quickly. {ADVICE}",
            "password",
        )
    if _is_pattern(lowered):
        raise DomainError(
            "This password is a run of neighbouring keys or letters, or a few characters "
            f"repeated, so it would be guessed quickly. {ADVICE}",
            "password",
        )


def _uses_personal_words(lowered: str, email: str, name: str) -> bool:
    local_part = email.lower().split("@")[0]
    words = {local_part, *re.split(r"[^a-z]+", local_part), *re.split(r"[^a-z]+", name.lower())}
    squashed = re.sub(r"[^a-z0-9]", "", lowered)
    return any(len(word) >= 4 and (word in lowered or word in squashed) for word in words)


def _cores(lowered: str) -> set[str]:
    """The password as typed, without the numbers and symbols at either end, and with
    look-alike characters read as letters, each alone and both together (in either order:
    "P4ssword2025" is "password" once the year is gone and the 4 read as an a)."""
    swapped = lowered.translate(_LOOK_ALIKES)
    trimmed = _EDGES.sub("", lowered)
    cores = {
        lowered,
        trimmed,
        swapped,
        _EDGES.sub("", swapped),
        _EDGES.sub("", trimmed.translate(_LOOK_ALIKES)),
    }
    cores |= {re.sub(r"[\s._-]+", "", core) for core in cores}
    return {core for core in cores if core}


def _is_common(lowered: str) -> bool:
    common = common_passwords() | SERVICE_WORDS
    for core in _cores(lowered):
        if core in common:
            return True
        # The same common word twice or more ("passwordpassword").
        for size in range(3, len(core) // 2 + 1):
            repeated = len(core) % size == 0 and core[:size] * (len(core) // size) == core
            if repeated and core[:size] in common:
                return True
    return False


def _is_pattern(lowered: str) -> bool:
    squashed = re.sub(r"\s+", "", lowered)
    for size in range(1, len(squashed) // 2 + 1):
        if len(squashed) % size == 0 and squashed[:size] * (len(squashed) // size) == squashed:
            return size <= 4
    return any(squashed in run or squashed in run[::-1] for run in _SEQUENCES)


def hash_matches(hasher: PasswordHasher, stored_hash: str, given: str) -> bool:
    """Whether `given` is what `stored_hash` (argon2) was made from; a damaged or foreign
    hash is no match, never an error."""
    try:
        return hasher.verify(stored_hash, given)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
