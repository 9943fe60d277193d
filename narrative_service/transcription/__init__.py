"""transcription feature."""

# The tasks register themselves with the queue, and the optional engine with engine_for.
from . import openai_engine, tasks, withdrawal  # noqa: F401


def init_app() -> None:
    """Register, when the app is created, what this feature erases on withdrawal."""
    withdrawal.init_app()
