"""Domain exceptions: each carries a message a person can act on."""


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
