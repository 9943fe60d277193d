"""milestones feature."""

from . import tasks, theme_uses, withdrawal  # noqa: F401  (tasks register themselves with the queue)


def init_app() -> None:
    """Register, when the app is created, what this feature erases on withdrawal."""
    withdrawal.init_app()
    theme_uses.init_app()
