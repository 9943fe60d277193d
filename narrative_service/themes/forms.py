"""Forms for theme tagging."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField


class ManualTagForm(FlaskForm):
    quote = TextAreaField(
        "The words the theme rests on",
        description="Select words in the text above (or copy them here exactly).",
        render_kw={"rows": 2},
    )
    theme_id = SelectField(
        "Theme",
        coerce=lambda value: int(value) if value else None,
        validate_choice=False,
    )
    start = HiddenField()
