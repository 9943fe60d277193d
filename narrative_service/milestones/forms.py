"""Forms for a milestone's evidence."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..narratives.forms import YesNoField, _date
from .rules import ACTION_STATUSES, AUDIENCE_LEVELS, CHANNELS, FEEDBACK_METHODS


class DisseminationForm(FlaskForm):
    held_on = _date("Date")
    audience_level = RadioField(
        "Who was it shared with?",
        choices=[SelectChoice(k, v) for k, v in AUDIENCE_LEVELS.items()],
        validate_choice=False,
    )
    audience = StringField("Audience", description="Teams, wards or committees.")
    channel = SelectField(
        "How",
        choices=[SelectChoice("", "Choose")] + [SelectChoice(k, v) for k, v in CHANNELS.items()],
    )
    reach = IntegerField("Number of people reached", validators=[Optional()])
    notes = TextAreaField("The learning shared", render_kw={"rows": 3})
    link_url = StringField(
        "Link to the evidence (optional)", description="Minutes, slides or a bulletin."
    )


class ActionForm(FlaskForm):
    recommendation = TextAreaField("Recommendation", render_kw={"rows": 2})
    lead = StringField("Lead")
    action_completed = TextAreaField("Action completed", render_kw={"rows": 2})
    further_action = TextAreaField("Further action", render_kw={"rows": 2})
    due_on = _date("Due date")
    method_of_measurement = TextAreaField("Method of measurement", render_kw={"rows": 2})
    outcome_indicator = TextAreaField("Outcome indicator or standard", render_kw={"rows": 2})
    reported_to = StringField("Reported to")
    status = SelectField(
        "Status",
        choices=[SelectChoice(k, v) for k, v in ACTION_STATUSES.items()],
        default="not_started",
    )


class StrategicForm(FlaskForm):
    reference = StringField("Strategic objective reference", description="For example: SO3.")
    text = TextAreaField(
        "The objective, and how this quarter's learning relates to it", render_kw={"rows": 3}
    )


class FeedbackForm(FlaskForm):
    was_possible = YesNoField("Was feedback given to the person or family?", default="yes")
    given_on = _date("Date given")
    method = SelectField(
        "How", choices=[SelectChoice("", "Choose")] + [SelectChoice(m, m) for m in FEEDBACK_METHODS]
    )
    given_by = StringField("Given by")
    told_outcome = TextAreaField("What they were told about the outcome", render_kw={"rows": 2})
    improvements = TextAreaField(
        'The improvements made ("you said, we did")', render_kw={"rows": 2}
    )
    response = TextAreaField("Their response", render_kw={"rows": 2})
    not_possible_reason = TextAreaField("If it was not possible, why", render_kw={"rows": 2})


class TrainingNeedForm(FlaskForm):
    theme_id = SelectField(
        "Theme", coerce=lambda value: int(value) if value else None, validate_choice=False
    )
    staff_group = StringField("Staff group", description="For example: ward nurses, night staff.")
    need = TextAreaField("The training need", render_kw={"rows": 2})
    planned_response = TextAreaField("Planned response", render_kw={"rows": 2})
