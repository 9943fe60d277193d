"""The transcript studio: the recording page's JavaScript corrects segments in place.

Each route answers JSON and runs the same rule (transcription/editing.py) as the page that
does the same thing without JavaScript: correct, confirm, split, merge, who is speaking.
Each loads the recording as those pages do (may this person change it?), is protected
against cross-site requests by the app's CSRF check, and refuses a transcript that can no
longer be changed with the rule's own message (409). A refusal names its field, so the page
can show it beside what the person typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify

from ..auth.permissions import requires_role
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..forms import ConfirmForm
from ..web import current_person
from . import editing, rules
from .forms import SegmentForm, SegmentSpeakerForm, SplitSegmentForm
from .models import TranscriptSegment
from .views import REVIEWERS, _segment_to_change

bp = Blueprint("studio", __name__)

# Words the machine was less sure of than this are shaded on the page, in two bands: below
# rules.LOW_CONFIDENCE_WORD it was unsure (the words the page lists as "Unsure of"), below
# NOT_QUITE_SURE it was not quite sure.
NOT_QUITE_SURE = 0.75
BANDS = (("unsure", rules.LOW_CONFIDENCE_WORD), ("not-sure", NOT_QUITE_SURE))


@bp.app_template_global()
def shaded_words(segment: TranscriptSegment) -> list[tuple[str, str | None]]:
    """The segment's words as pieces (text, band) for the page: band is "unsure" or
    "not-sure" for a word the machine doubted, None for the rest. Nothing is shaded once a
    person corrected or confirmed the segment, nor when its stored words no longer line up
    with its text (words replaced across the transcript, say)."""
    text = segment.text
    if segment.is_reviewed or not segment.words:
        return [(text, None)]
    pieces: list[tuple[str, str | None]] = []
    cursor = 0
    for word in segment.words:
        token = str(word.get("word", "")).strip()
        if not token:
            continue
        found = text.find(token, cursor)
        if found < 0:
            return [(text, None)]
        end = found + len(token)
        band = _band(word.get("probability"))
        if band is None:
            _add_plain(pieces, text[cursor:end])
        else:
            _add_plain(pieces, text[cursor:found])
            pieces.append((text[found:end], band))
        cursor = end
    _add_plain(pieces, text[cursor:])
    return pieces


def _band(probability: Any) -> str | None:
    try:
        probability = float(probability)
    except (TypeError, ValueError):
        return None
    for band, below in BANDS:
        if probability < below:
            return band
    return None


def _add_plain(pieces: list[tuple[str, str | None]], text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1][1] is None:
        pieces[-1] = (pieces[-1][0] + text, None)
    else:
        pieces.append((text, None))


def segment_state(segment: TranscriptSegment) -> dict[str, Any]:
    """What the page shows of a segment, to show it again after a change."""
    return {
        "id": segment.id,
        "text": segment.text,
        "machine_text": segment.machine_text,
        "is_corrected": segment.edited_text is not None,
        "is_reviewed": segment.is_reviewed,
        "speaker": segment.speaker,
        "speaker_name": segment.speaker_name,
        "speaker_label": segment.speaker_label,
        "start": segment.start_seconds,
        "end": segment.end_seconds,
    }


def _answer(
    recording_id: int,
    segment_id: int,
    form,
    change: Callable[[TranscriptSegment], Any],
    answer: Callable[[TranscriptSegment, Any], dict[str, Any]],
    *,
    field: str | None = None,
):
    """The step every studio route takes: load what this person may change, refuse a closed
    transcript, check the form, run one rule and commit; or roll back and say why, naming the
    field the refusal is about (or `field`)."""
    recording, _owner, _record, segment = _segment_to_change(recording_id, segment_id)
    try:
        editing.check_can_change(recording)
    except DomainError as closed:
        return jsonify(message=closed.message, errors={}), 409
    if not form.validate_on_submit():
        errors = {name: f.errors[0] for name, f in form._fields.items() if f.errors}
        return jsonify(message="; ".join(errors.values()), errors=errors), 400
    try:
        result = change(segment)
    except DomainError as refused:
        db.session.rollback()
        if isinstance(refused, ValidationFailed):
            errors = dict(refused.errors)
        else:
            errors = {refused.field or field or "": refused.message}
        return jsonify(message=refused.message, errors=errors), 400
    body = answer(segment, result)
    db.session.commit()
    return jsonify(body)


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/text.json", methods=["POST"])
@requires_role(*REVIEWERS)
def save_text(recording_id: int, segment_id: int):
    """Correct a segment's words."""
    form = SegmentForm()
    return _answer(
        recording_id,
        segment_id,
        form,
        lambda segment: editing.edit_segment(segment, form.text.data or "", by=current_person()),
        lambda segment, changed: {"changed": changed, "segment": segment_state(segment)},
        field="text",
    )


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/confirm.json", methods=["POST"])
@requires_role(*REVIEWERS)
def confirm(recording_id: int, segment_id: int):
    """A person listened: the segment's words are right as the machine heard them."""
    return _answer(
        recording_id,
        segment_id,
        ConfirmForm(),
        lambda segment: editing.confirm_segment(segment, by=current_person()),
        lambda segment, changed: {"changed": changed, "segment": segment_state(segment)},
    )


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/split.json", methods=["POST"])
@requires_role(*REVIEWERS)
def split(recording_id: int, segment_id: int):
    """Split a segment at a character position of its words (`at`, as the split page
    sends it: the second part starts there)."""
    form = SplitSegmentForm()
    return _answer(
        recording_id,
        segment_id,
        form,
        lambda segment: editing.split_segment(segment, _number(form.at.data), by=current_person()),
        lambda segment, new: {"segment": segment_state(segment), "new": segment_state(new)},
        field="at",
    )


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/merge.json", methods=["POST"])
@requires_role(*REVIEWERS)
def merge(recording_id: int, segment_id: int):
    """Join a segment and the one after it."""
    return _answer(
        recording_id,
        segment_id,
        ConfirmForm(),
        lambda segment: editing.merge_with_next(segment, by=current_person()),
        lambda segment, _merged: {"segment": segment_state(segment)},
    )


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/speaker.json", methods=["POST"])
@requires_role(*REVIEWERS)
def speaker(recording_id: int, segment_id: int):
    """Who is speaking in this one segment: the narrator, the facilitator, or someone else by
    name (one already in the transcript, or a new one)."""
    form = SegmentSpeakerForm()
    return _answer(
        recording_id,
        segment_id,
        form,
        lambda segment: editing.set_speaker(
            segment.recording,
            [segment.id],
            form.speaker.data,
            form.speaker_name.data,
            by=current_person(),
        ),
        lambda segment, changed: {
            "changed": changed,
            "segment": segment_state(segment),
            "named_speakers": editing.named_speakers(segment.recording),
        },
        field="speaker",
    )


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
