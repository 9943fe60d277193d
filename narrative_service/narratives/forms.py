"""The narrative form: every field of stage 1 of seed 002."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import Form
from . import choices
from .withdrawal import HOW_COMMUNICATED

NOT_RECORDED = [SelectChoice("", "Not recorded")]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class YesNoField(RadioField):
    """A yes/no question stored as a boolean (None when unanswered)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label,
            validators,
            choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
            **kwargs,
        )

    def process_data(self, value):
        self.data = {True: "yes", False: "no"}.get(value, value)

    def as_bool(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.data)


class RealDateField(DateField):
    """A date field whose error names the field and what a real date looks like."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"{self.label.text} must be a real date, like 14/05/2025") from None


def _date(label: str, description: str = "") -> DateField:
    return RealDateField(
        label,
        format="%Y-%m-%d",
        description=description,
        validators=[Optional()],
        render_kw={"type": "date"},
    )


def _items(mapping: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in mapping.items()]


class NarrativeForm(Form):
    case_reference = StringField(
        "Case reference",
        description="The pseudonymous reference, like SG-2025-0143. Never the person's name.",
    )
    is_new_case = RadioField(
        "Is this a new case?",
        choices=[SelectChoice("new", "A new case"), SelectChoice("existing", "An existing case")],
        default="new",
        validators=[InputRequired("Select whether this is a new case or an existing one")],
    )
    title = StringField("Title", description="A few words staff will recognise, without names.")
    narrator_type = RadioField(
        "Who is telling the story?", choices=_items(choices.NARRATOR_TYPES), validate_choice=False
    )
    reason_not_direct = TextAreaField(
        "Why could the person not tell it directly?",
        description="Needed when someone speaks for them.",
    )
    facilitator_name = StringField(
        "Facilitator", description="Who supported the narrator, and their role."
    )
    is_facilitator_independent = YesNoField(
        "Is the facilitator independent of the case?", validate_choice=False
    )
    facilitator_relationship = TextAreaField(
        "Facilitator's relationship to the case",
        description="Needed when they are not independent.",
    )
    captured_from = _date("Date captured", "The first sitting.")
    captured_to = _date("Date of the last sitting", "Leave empty if there was one sitting.")
    capture_method = RadioField(
        "How was it captured?",
        choices=_items(choices.CAPTURE_METHODS),
        default="written",
        validate_choice=False,
    )
    has_consent = YesNoField("Has the person given consent?", validate_choice=False)
    consent_date = _date("Date of consent")
    consent_recorded_by = StringField("Consent recorded by")
    consent_scope = MultiCheckboxField(
        "What does the consent cover?",
        choices=_items(choices.CONSENT_SCOPES),
        validate_choice=False,
    )
    were_outcomes_asked = RadioField(
        "Was the person asked what outcomes they wanted?",
        choices=_items(choices.OUTCOMES_ASKED),
        validate_choice=False,
    )
    desired_outcomes = TextAreaField(
        "The outcomes they wanted, in their own words", render_kw={"rows": 4}
    )
    outcomes_achieved = RadioField(
        "Were the outcomes achieved?",
        choices=_items(choices.OUTCOMES_ACHIEVED),
        default="not_yet_known",
        validate_choice=False,
    )
    are_children_affected = BooleanField("Children were involved or affected")
    are_family_affected = BooleanField("Other family members were involved or affected")
    think_family_notes = TextAreaField("Think Family notes", render_kw={"rows": 4})
    age_band = SelectField(
        "Age band", choices=NOT_RECORDED + _items(choices.AGE_BANDS), validate_choice=False
    )
    gender = SelectField(
        "Gender", choices=NOT_RECORDED + _items(choices.GENDERS), validate_choice=False
    )
    ethnicity = SelectField(
        "Ethnicity (Census 2021 groups)",
        choices=NOT_RECORDED + _items(choices.ETHNICITIES),
        validate_choice=False,
    )
    disability = SelectField(
        "Does the person consider themselves disabled?",
        choices=NOT_RECORDED + _items(choices.DISABILITY),
        validate_choice=False,
    )
    body = TextAreaField(
        "The narrative, in the narrator's own words",
        description="As long as it needs to be. Keep their words; do not summarise.",
        render_kw={"rows": 20, "spellcheck": "false"},
    )
    based_on_version = HiddenField()

    def values(self) -> dict[str, Any]:
        """The form's data in the shape narratives.rules expects."""
        scope = set(self.consent_scope.data or [])
        return {
            "case_reference": self.case_reference.data or "",
            "title": self.title.data or "",
            "narrator_type": self.narrator_type.data or "",
            "reason_not_direct": self.reason_not_direct.data or "",
            "facilitator_name": self.facilitator_name.data or "",
            "is_facilitator_independent": self.is_facilitator_independent.as_bool(),
            "facilitator_relationship": self.facilitator_relationship.data or "",
            "captured_from": self.captured_from.data,
            "captured_to": self.captured_to.data,
            "capture_method": self.capture_method.data or "",
            "has_consent": self.has_consent.as_bool() is True,
            "consent_date": self.consent_date.data,
            "consent_recorded_by": self.consent_recorded_by.data or "",
            "has_reflection_consent": "reflection" in scope,
            "has_dissemination_consent": "dissemination" in scope,
            "has_board_quotes_consent": "board_quotes" in scope,
            "were_outcomes_asked": self.were_outcomes_asked.data or "",
            "desired_outcomes": self.desired_outcomes.data or "",
            "outcomes_achieved": self.outcomes_achieved.data or "",
            "are_children_affected": self.are_children_affected.data,
            "are_family_affected": self.are_family_affected.data,
            "think_family_notes": self.think_family_notes.data or "",
            "age_band": self.age_band.data or "",
            "gender": self.gender.data or "",
            "ethnicity": self.ethnicity.data or "",
            "disability": self.disability.data or "",
            "body": self.body.data or "",
        }

    def fill_from(self, narrative) -> None:
        """Load a saved narrative into an unsubmitted form."""
        for name in self._fields:
            if hasattr(narrative, name) and name not in ("csrf_token",):
                self[name].process_data(getattr(narrative, name))
        self.case_reference.data = narrative.case.reference
        self.is_new_case.data = "existing"
        self.consent_scope.data = [
            scope
            for scope, flag in (
                ("reflection", narrative.has_reflection_consent),
                ("dissemination", narrative.has_dissemination_consent),
                ("board_quotes", narrative.has_board_quotes_consent),
            )
            if flag
        ]
        self.based_on_version.data = str(narrative.version_number)


class ShareForm(FlaskForm):
    user = SelectField("Share with", coerce=int, validate_choice=False)


class TurnForm(FlaskForm):
    """One turn of a conversation: typed, or spoken (a recording) — either, not both needed."""

    speaker = RadioField(
        "Who is speaking?",
        choices=[SelectChoice("narrator", "Narrator"), SelectChoice("facilitator", "Facilitator")],
        default="narrator",
        validators=[InputRequired("Choose who is speaking")],
    )
    text = TextAreaField("What they said", render_kw={"rows": 4})
    recording = FileField(
        "Or a recording of what they said",
        description="Optional. It is transcribed on this machine and appears as the turn.",
    )
    client_token = HiddenField()


class EditTurnForm(FlaskForm):
    text = TextAreaField("What they said", render_kw={"rows": 6})


class RemoveTurnForm(FlaskForm):
    reason = TextAreaField(
        "Why is this turn being removed?",
        description="For example: the narrator asked for it to be taken out.",
        render_kw={"rows": 3},
    )


class PromptsForm(FlaskForm):
    prompts = TextAreaField(
        "Prompts, one per line",
        description="Open and non-directive: they invite the person to say what mattered to "
        "them. Facilitators may offer them; nothing requires them. Leave empty to go back to "
        "the standard prompts.",
        render_kw={"rows": 8},
    )


class WithdrawForm(Form):
    withdrawn_on = _date(
        "When was consent withdrawn?", "The day the person (or their representative) told you."
    )
    how = RadioField(
        "How did they let you know?",
        choices=_items(HOW_COMMUNICATED),
        validators=[Optional()],
    )
    is_understood = BooleanField(
        "I understand that the narrative's content and everything made from it will be erased "
        "and cannot be recovered"
    )
