"""Forms for theme tagging and for changing the codebook."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField


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


CODE_HINT = (
    "The group's code, a dot, then lower-case words joined by underscores. A code is fixed "
    "once the theme is created: codes let figures compare across organisations."
)


class ThemeForm(FlaskForm):
    """A theme's name, description and patterns; checked by codebook.update_theme."""

    name = StringField("Name")
    description = TextAreaField(
        "Description",
        description="A sentence or two saying what the theme covers.",
        render_kw={"rows": 3},
    )
    patterns = TextAreaField(
        "Patterns",
        description=(
            "A YAML list, one pattern a line, as in the codebook file: for example "
            "“- lemma: [listen, hear]” or “- phrase: [nobody told me]”. Leave it empty for a "
            "theme applied only by hand."
        ),
        render_kw={"rows": 12},
    )


class NewThemeForm(ThemeForm):
    code = StringField("Code", description=CODE_HINT)


class DeleteThemeForm(FlaskForm):
    merge_into = SelectField(
        "Move its tags to",
        description="Needed only when tags or learning points use it.",
        coerce=lambda value: int(value) if value else None,
        validate_choice=False,
    )


class ImportCodebookForm(FlaskForm):
    codebook_file = FileField(
        "Codebook file",
        description="A YAML file in the same shape as the export.",
        validators=[FileRequired("Choose a codebook file (.yaml) to import")],
    )
