"""Forms for a milestone's evidence."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from ..narratives.forms import MultiCheckboxField, YesNoField, _date
from .rules import (
    ACTION_STATUSES,
    AUDIENCE_LEVELS,
    AUDIT_KINDS,
    CHANNELS,
    DELIVERABLE_KINDS,
    FEEDBACK_METHODS,
)
from .templates import TEMPLATES


def _optional_int(value):
    return int(value) if value not in (None, "") else None


def _percent(label: str) -> DecimalField:
    return DecimalField(
        label,
        places=None,
        validators=[Optional(), NumberRange(0, 100, message="Enter a percentage from 0 to 100")],
    )


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
    learning_point_ids = MultiCheckboxField(
        "Learning points shared", coerce=int, validate_choice=False
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


class ProgrammeForm(FlaskForm):
    template = RadioField(
        "Template",
        choices=[SelectChoice(key, spec["name"]) for key, spec in TEMPLATES.items()],
        validate_choice=False,
    )
    financial_year = StringField(
        "Financial year", description="For example: 2026/27 (1 April to 31 March)."
    )


class MilestoneDatesForm(FlaskForm):
    period_start = _date("Start of the period")
    period_end = _date("End of the period")
    reporting_date = _date("Reporting date")
    weighting_percent = _percent("Weighting (% of the scheme)")
    target_percent = _percent("Audit target (%)")


class EvidenceFileForm(FlaskForm):
    file = FileField("Evidence file")
    description = StringField("What it is", description="For example: minutes of the board.")
    activity_id = SelectField(
        "The dissemination it evidences (optional)", coerce=_optional_int, validate_choice=False
    )


class ActionUpdateForm(FlaskForm):
    on = _date("Date")
    text = TextAreaField("Progress made", render_kw={"rows": 2})
    status = SelectField(
        "Status now", choices=[SelectChoice(k, v) for k, v in ACTION_STATUSES.items()]
    )


class SubmitForm(FlaskForm):
    rationale = TextAreaField("Rationale for submitting with items missing", render_kw={"rows": 3})
    remedial_action = TextAreaField("Remedial action", render_kw={"rows": 3})


class RiskAuditForm(FlaskForm):
    kind = RadioField(
        "Audit",
        choices=[SelectChoice(k, v) for k, v in AUDIT_KINDS.items()],
        validate_choice=False,
    )
    audited_on = _date("Date of the audit")
    service_users = IntegerField("Service users audited", validators=[Optional()])
    collaborated = IntegerField(
        "Of those, how many collaborated in their own risk assessment and safety plan",
        validators=[Optional()],
    )
    notes = TextAreaField("Notes", render_kw={"rows": 2})


class ShortfallForm(FlaskForm):
    rationale = TextAreaField("Why the target was not reached", render_kw={"rows": 3})
    remedial_plan = TextAreaField(
        "The remedial action plan, and the steps taken to put it right", render_kw={"rows": 3}
    )


class DeliverableForm(FlaskForm):
    kind = RadioField(
        "What it is",
        choices=[SelectChoice(k, v) for k, v in DELIVERABLE_KINDS.items()],
        validate_choice=False,
    )
    title = StringField("Title")
    summary = TextAreaField("Summary, findings and recommendations", render_kw={"rows": 3})
    completed_on = _date("Date completed")
    staff_satisfaction_percent = _percent("Staff satisfaction (%)")
    service_user_satisfaction_percent = _percent("Service-user satisfaction (%)")


class BoardSummaryForm(FlaskForm):
    session_id = SelectField("Reflection session", coerce=_optional_int, validate_choice=False)
    title = StringField("Title")
    text = TextAreaField(
        "Summary for the board",
        description="Drafted with identifiers replaced. Check it reads safely before approving.",
        render_kw={"rows": 12},
    )
