"""narratives feature."""

from . import recordings, tagged, withdrawal


def init_app() -> None:
    """Register, when the app is created, what this feature erases on withdrawal and the
    records of it that themes are tagged on and that recordings belong to."""
    withdrawal.init_app()
    tagged.init_app()
    recordings.init_app()
