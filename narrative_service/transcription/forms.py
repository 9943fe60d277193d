"""Forms for recordings and transcript review."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from .audio import ACCEPTED_FORMATS
from .rules import SPEAKERS

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
        description="Segments can be corrected after transcription.",
        validators=[InputRequired("Choose who is speaking in the recording")],
    )


class SegmentForm(FlaskForm):
    text = TextAreaField("What was said", render_kw={"rows": 4})
