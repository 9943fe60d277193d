"""Forms shared by every feature."""

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """A button-only form: its CSRF token is all it carries."""
