"""Forms for recordings and transcript review."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from .audio import ACCEPTED_FORMATS
from .models import MAX_SPEAKER_NAME, OTHER, SPEAKERS

AUDIO_TYPES = "audio/*,video/*,.wav,.mp3,.m4a,.aac,.ogg,.opus,.webm,.flac,.mp4,.mov"


class UploadRecordingForm(FlaskForm):
    recording = FileField(
        "Recording",
        description=f"{ACCEPTED_FORMATS[0].upper()}{ACCEPTED_FORMATS[1:]}. "
        "A whole interview of two hours or more is fine.",
    )
    speaker = RadioField(
        "Who is speaking in it?",
        choices=[SelectChoice(key, label) for key, label in SPEAKERS.items()],
        default="narrator",
        description="Who is speaking can be changed segment by segment after transcription.",
        validators=[InputRequired("Choose who is speaking in the recording")],
    )


class SegmentForm(FlaskForm):
    text = TextAreaField("What was said", render_kw={"rows": 4})


# Who may be speaking in a segment. "Someone else" takes a name; the rule checks both.
SEGMENT_SPEAKERS = [
    *(SelectChoice(key, label) for key, label in SPEAKERS.items()),
    SelectChoice(OTHER, "Someone else"),
]
NAME_HINT = (
    f"If someone else: who they are, such as Interpreter, Daughter or Social worker "
    f"(up to {MAX_SPEAKER_NAME} characters)."
)


class SegmentNumberField(IntegerField):
    """A segment's number as the page shows it; anything else is named as wrong."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Write the segment's number as a whole number, such as 12.") from None


class SegmentSpeakerForm(FlaskForm):
    """Who is speaking in the segments ticked, or in a run of them given by number."""

    segment_ids = SelectMultipleField("Segments", coerce=int, validate_choice=False)
    first = SegmentNumberField("From segment", validators=[Optional()])
    last = SegmentNumberField("To segment", validators=[Optional()])
    # The rules check the choice and the name, and say what is wrong with them.
    speaker = RadioField(
        "Who is speaking in them?", choices=SEGMENT_SPEAKERS, validate_choice=False
    )
    speaker_name = StringField("Their name or role", description=NAME_HINT)


class RenameSpeakerForm(FlaskForm):
    """Another name for a named speaker, everywhere in the transcript."""

    old_name = SelectField("Speaker to rename", validate_choice=False)
    speaker = RadioField("Who are they?", choices=SEGMENT_SPEAKERS, validate_choice=False)
    speaker_name = StringField("Their name or role", description=NAME_HINT)


class SplitSegmentForm(FlaskForm):
    # A character position in the segment's words; the rule refuses one with no words on
    # either side.
    at = RadioField("Where should the segment be split?", validate_choice=False)


class FindReplaceForm(FlaskForm):
    find = StringField("Find")
    replace = StringField("Replace with", description="Leave empty to remove what is found.")
    match_case = BooleanField("Match capital letters exactly")
    whole_words = BooleanField("Only whole words")
    previewed = HiddenField()
    preview = SubmitField("Preview the changes")
    apply = SubmitField("Replace in these segments")


class WordListForm(FlaskForm):
    terms = TextAreaField(
        "Terms, one per line",
        description="Abbreviations, terms of practice, and local place and service names.",
        render_kw={"rows": 12},
    )
