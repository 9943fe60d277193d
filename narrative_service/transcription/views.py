"""Recording pages: upload, progress, transcript review, downloads."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    jsonify,
    redirect,
    request,
    url_for,
)

from .. import downloads
from ..audit.rules import record
from ..auth.permissions import requires_role
from ..extensions import db
from ..forms import ConfirmForm
from ..request_checks import accepts_uploads
from ..web import (
    AuditEntry,
    apply_rule,
    current_person,
    edit_text_page,
    form_page,
    get_or_404,
    render_audited,
    submit_form,
)
from . import rules
from .forms import SegmentForm, UploadRecordingForm
from .models import Recording, TranscriptSegment
from .owners import OWNERS, Owner, load_owner
from .tasks import queue_transcription

bp = Blueprint("recordings", __name__)

READERS = ("advocate", "facilitator", "lead", "admin")
# The roles that change narratives (narratives.access.EDITORS); each record's own rule decides.
WRITERS = ("lead", "advocate")
# Who may correct, accept or retry: narrative editors, and facilitators for their sessions'
# recordings (each object's own rules decide, through _load).
REVIEWERS = (*WRITERS, "facilitator")
DOWNLOADS = {
    "txt": ("text/plain", rules.as_text),
    "vtt": ("text/vtt", rules.as_webvtt),
    "srt": ("application/x-subrip", rules.as_srt),
}


def _load(recording_id: int, *, to_change: bool = False) -> tuple[Recording, Owner, object]:
    """The recording, its kind of owner and the record it belongs to (a narrative or a
    reflection session), if this user may see (or change) that record."""
    recording = get_or_404(Recording, recording_id)
    owner, record_ = load_owner(current_person(), recording, to_change=to_change)
    return recording, owner, record_


def _store(form: UploadRecordingForm, owner: Owner, record_):
    upload = request.files.get("recording")
    return rules.add_recording(
        record_ if owner.kind == "narrative" else None,
        upload.stream if upload else None,
        upload.filename if upload else "",
        by=current_person(),
        speaker=form.speaker.data,
        reflection_session=record_ if owner.kind == "session" else None,
    )


def _upload_page(column: str, owner_id: int):
    owner = OWNERS[column]
    record_ = owner.load(current_person(), owner_id, True)
    form = UploadRecordingForm()
    if done := submit_form(
        form,
        lambda: _store(form, owner, record_),
        "Recording saved. It is being transcribed on this machine.",
        lambda recording: url_for("recordings.show", recording_id=recording.id),
        field="recording",
        after=lambda recording: queue_transcription(recording.id),  # once safely stored
    ):
        return done
    return form_page("recordings/upload.html", form=form, **_owner_values(owner, record_))


def _owner_values(owner: Owner, record_) -> dict:
    """What the templates need to say whose recording this is."""
    return {
        "narrative": record_ if owner.kind == "narrative" else None,
        "session": record_ if owner.kind == "session" else None,
    }


@bp.route("/narratives/<int:narrative_id>/recordings/new", methods=["GET", "POST"])
@requires_role(*WRITERS)
@accepts_uploads
def upload(narrative_id: int):
    return _upload_page("narrative_id", narrative_id)


@bp.route("/reflection-sessions/<int:session_id>/recordings/new", methods=["GET", "POST"])
@requires_role("facilitator", "lead")
@accepts_uploads
def upload_for_session(session_id: int):
    return _upload_page("reflection_session_id", session_id)


@bp.route("/recordings/<int:recording_id>")
@requires_role(*READERS)
def show(recording_id: int):
    recording, owner, record_ = _load(recording_id)
    segments = rules.segments_of(recording)
    return render_audited(
        "recordings/show.html",
        AuditEntry("recording.view", recording),
        recording=recording,
        **_owner_values(owner, record_),
        segments=segments,
        progress=rules.progress(recording),
        can_change=owner.may_change(current_person(), record_),
        can_review=rules.can_review(recording),
        confirm=ConfirmForm(),
        speakers=rules.SPEAKERS,
        doubts={
            segment.id: (rules.is_low_confidence(segment), rules.unsure_words(segment))
            for segment in segments
        },
    )


@bp.route("/recordings/<int:recording_id>/progress")
@requires_role(*READERS)
def progress(recording_id: int):
    recording, _owner, _record = _load(recording_id)
    return jsonify(rules.progress(recording))


@bp.route("/recordings/<int:recording_id>/audio")
@requires_role(*READERS)
def audio(recording_id: int):
    recording, _owner, _record = _load(recording_id)
    return send_audio(recording)


def send_audio(recording: Recording):
    """The recording's sound, for a person already allowed to hear it."""
    path = rules.media_path(recording)
    if recording.status == "erased" or not recording.stored_path or not path.is_file():
        abort(404)
    return downloads.media(path, rules.served_media_type(recording), recording.original_filename)


@bp.route("/recordings/<int:recording_id>/retry", methods=["POST"])
@requires_role(*REVIEWERS)
def retry(recording_id: int):
    recording, _owner, _record = _load(recording_id, to_change=True)
    if ConfirmForm().validate_on_submit() and apply_rule(
        lambda: rules.retry(recording, by=current_person()), "Queued to be transcribed again."
    ):
        queue_transcription(recording.id)
    return redirect(url_for("recordings.show", recording_id=recording_id))


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/edit", methods=["GET", "POST"])
@requires_role(*REVIEWERS)
def edit_segment(recording_id: int, segment_id: int):
    recording, owner, record_ = _load(recording_id, to_change=True)
    segment = get_or_404(TranscriptSegment, segment_id, recording_id=recording.id)
    return edit_text_page(
        SegmentForm(),
        segment.text,
        lambda text: rules.edit_segment(segment, text, by=current_person()),
        lambda changed: "Segment corrected." if changed else "Nothing was changed.",
        url_for("recordings.show", recording_id=recording.id, _anchor=f"s{segment.id}"),
        "recordings/edit_segment.html",
        recording=recording,
        owner_label=owner.label(record_),
        segment=segment,
    )


@bp.route("/recordings/<int:recording_id>/accept", methods=["POST"])
@requires_role(*REVIEWERS)
def accept(recording_id: int):
    recording, owner, record_ = _load(recording_id, to_change=True)
    if ConfirmForm().validate_on_submit() and apply_rule(
        lambda: rules.accept(recording, by=current_person()), owner.accepted_message
    ):
        return redirect(owner.after_accept(record_))
    return redirect(url_for("recordings.show", recording_id=recording_id))


@bp.route("/recordings/<int:recording_id>/transcript.<kind>")
@requires_role(*READERS)
def download(recording_id: int, kind: str):
    if kind not in DOWNLOADS:
        abort(404)
    recording, _owner, _record = _load(recording_id)
    mimetype, render = DOWNLOADS[kind]
    body = render(rules.segments_of(recording))
    record("export", user_id=current_person().id, subject=recording, format=kind)
    db.session.commit()
    return downloads.attachment(
        body, f"{mimetype}; charset=utf-8", f"transcript-{recording.id}.{kind}"
    )
