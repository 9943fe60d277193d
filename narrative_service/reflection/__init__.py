"""reflection feature."""

from . import tagged, withdrawal


def init_app() -> None:
    """Register, when the app is created, what this feature erases on withdrawal and the
    records of it that themes are tagged on."""
    withdrawal.init_app()
    tagged.init_app()
