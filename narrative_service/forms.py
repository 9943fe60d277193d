"""Forms shared by every feature."""

from flask_wtf import FlaskForm


class Form(FlaskForm):
    """A form that can show a rule's messages (ValidationFailed.errors) on its fields."""

    def add_errors(self, errors: dict[str, str]) -> None:
        """Show the rules' messages on their fields, unless the field already has one."""
        for name, message in errors.items():
            field = self[name]
            if not field.errors:
                field.errors = [message]


class ConfirmForm(FlaskForm):
    """A button-only form: its CSRF token is all it carries."""
