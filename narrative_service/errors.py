"""Domain exceptions: each carries a message a person can act on.

Rules raise these, never HTTP exceptions, so the CLI and the worker can call them too;
web.py turns them into pages: NotFound 404, NotAllowed 403, a DomainError a message on
the form or the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """A rule of the domain refused the request; the message says why and what to do."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Several fields are wrong at once: {field: message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class EditConflict(DomainError):
    """Someone else saved the record after this form was opened."""


class AccessRefused(Exception):
    """Not a refusal to correct but a door that stays shut: never shown as a form error."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(AccessRefused):
    """No such record, or one this person may not know exists: the two look the same to
    them. `exists` (never shown) lets the audit log record the attempt."""

    def __init__(self, message: str = "There is no such record.", *, exists: bool = False):
        super().__init__(message)
        self.exists = exists


class NotAllowed(AccessRefused):
    """This person may see the record but may not do this to it."""

    def __init__(self, message: str = "Your role does not allow this."):
        super().__init__(message)


def for_this_person(found: T | None, may_see: Callable[[T], bool], may_change=None) -> T:
    """The record a rule loaded, if this person may see it (and, given `may_change`, change
    it): one they may not see is NotFound, exactly as one that does not exist."""
    if found is None:
        raise NotFound()
    if not may_see(found):
        raise NotFound(exists=True)
    if may_change is not None and not may_change(found):
        raise NotAllowed()
    return found
