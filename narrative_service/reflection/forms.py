"""Forms for reflection sessions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from ..narratives.forms import MultiCheckboxField, RealDateField, YesNoField
from .rules import PROMPTS


class SessionForm(FlaskForm):
    held_on = RealDateField(
        "Date of the session",
        format="%Y-%m-%d",
        validators=[Optional()],
        render_kw={"type": "date"},
    )
    is_group = RadioField(
        "Individual or group?",
        choices=[SelectChoice("group", "A group"), SelectChoice("individual", "One person")],
        default="group",
        validators=[InputRequired("Choose whether this is a group or one person")],
    )
    is_online = RadioField(
        "In person or online?",
        choices=[SelectChoice("in_person", "In person"), SelectChoice("online", "Online")],
        default="in_person",
        validators=[InputRequired("Choose whether the session is in person or online")],
    )
    facilitator_id = SelectField("Facilitator", coerce=int, validate_choice=False)
    narrative_ids = MultiCheckboxField(
        "Narratives to reflect on",
        coerce=int,
        validate_choice=False,
        description="Only complete narratives whose consent covers staff reflection can be chosen.",
    )
    early_date_reason = TextAreaField(
        "If the session is dated before a narrative was captured, why?",
        description="Only needed in that case: for example, the date was entered wrongly at "
        "capture.",
        render_kw={"rows": 2},
    )


class AttendeeForm(FlaskForm):
    user_id = SelectField(
        "Someone with an account",
        coerce=lambda value: int(value) if value else None,
        validate_choice=False,
    )
    name = StringField(
        "Or the name of someone without an account",
        description="For example, a police officer or a GP who took part.",
    )
    role = StringField("Role or profession", description="For example: social worker, ward nurse.")
    team = StringField("Team")
    agency = StringField(
        "Agency",
        description="For example: NHS trust, police, GP practice, housing, local authority.",
    )
    was_involved_in_case = YesNoField(
        "Were they involved in the case?",
        default="yes",
        validators=[InputRequired("Say whether they were involved in the case")],
    )


class RecordForm(FlaskForm):
    notes = TextAreaField("Notes", render_kw={"rows": 8})
    based_on_version = HiddenField()


for _key, _label in PROMPTS.items():
    setattr(RecordForm, f"prompt_{_key}", TextAreaField(_label, render_kw={"rows": 3}))


class DifferenceForm(FlaskForm):
    person_view = TextAreaField("What the person said or felt", render_kw={"rows": 3})
    practitioner_view = TextAreaField("What practitioners saw or did", render_kw={"rows": 3})
    agency = StringField("Which agency (if one)")
    learning = TextAreaField("What was learned from the difference", render_kw={"rows": 3})


class LearningPointForm(FlaskForm):
    text = TextAreaField(
        "Learning point",
        description="A short statement of what staff learned.",
        render_kw={"rows": 3},
    )
    owner = StringField("Owner", description="Who will take it forward.")
    theme_ids = MultiCheckboxField("Themes", coerce=int, validate_choice=False)
    is_best_practice = BooleanField("This is good practice to share")
