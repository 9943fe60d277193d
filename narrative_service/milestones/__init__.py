"""milestones feature."""

from . import withdrawal


def init_app() -> None:
    """Register, when the app is created, what this feature erases on withdrawal."""
    withdrawal.init_app()
