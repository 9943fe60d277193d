"""Recording pages: upload, progress, transcript review, downloads."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import downloads
from ..audit.rules import record
from ..auth.permissions import requires_role
from ..errors import DomainError
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
    show_refusal,
    submit_form,
)
from . import editing, find_replace, queue, rules, transcript_files
from .forms import (
    FindReplaceForm,
    RenameSpeakerForm,
    SegmentForm,
    SegmentSpeakerForm,
    SplitSegmentForm,
    UploadRecordingForm,
)
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
    "txt": ("text/plain", transcript_files.as_text),
    "vtt": ("text/vtt", transcript_files.as_webvtt),
    "srt": ("application/x-subrip", transcript_files.as_srt),
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
        can_edit=owner.may_change(current_person(), record_) and editing.is_open(recording),
        confirm=ConfirmForm(),
        speakers=rules.SPEAKERS,
        doubts={segment.id: rules.doubts(segment) for segment in segments},
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
    return _queue_again(recording_id, rules.retry, "Queued to be transcribed again.")


def _queue_again(recording_id: int, rule, done: str):
    """Put a recording back in the queue by `rule(recording, by=...)`, once confirmed."""
    recording, _owner, _record = _load(recording_id, to_change=True)
    if ConfirmForm().validate_on_submit() and apply_rule(
        lambda: rule(recording, by=current_person()), done
    ):
        queue_transcription(recording.id)
    return redirect(url_for("recordings.show", recording_id=recording_id))


@bp.route("/recordings/<int:recording_id>/stop", methods=["POST"])
@requires_role(*REVIEWERS)
def stop(recording_id: int):
    """Stop a transcription: `keep` keeps what is done for review; otherwise discarded."""
    recording, _owner, _record = _load(recording_id, to_change=True)
    if ConfirmForm().validate_on_submit():
        keep = request.form.get("keep") == "yes"
        apply_rule(lambda: queue.stop(recording, keep=keep, by=current_person()), str)
    return redirect(url_for("recordings.show", recording_id=recording_id))


@bp.route("/recordings/<int:recording_id>/carry-on", methods=["POST"])
@requires_role(*REVIEWERS)
def carry_on(recording_id: int):
    """Queue a stopped transcription again, from where it stopped."""
    return _queue_again(recording_id, queue.carry_on, "Queued to be transcribed.")


def _at_segment(recording_id: int, segment_id: int) -> str:
    return url_for("recordings.show", recording_id=recording_id, _anchor=f"s{segment_id}")


def _closed(recording: Recording):
    """On opening a page that changes the transcript: back to the recording, saying why,
    when it can no longer (or cannot yet) be changed; None when it can."""
    try:
        editing.check_can_change(recording)
    except DomainError as refused:
        flash(refused.message, "error")
        return redirect(url_for("recordings.show", recording_id=recording.id))
    return None


def _segment_to_change(recording_id: int, segment_id: int):
    recording, owner, record_ = _load(recording_id, to_change=True)
    segment = get_or_404(TranscriptSegment, segment_id, recording_id=recording.id)
    return recording, owner, record_, segment


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/edit", methods=["GET", "POST"])
@requires_role(*REVIEWERS)
def edit_segment(recording_id: int, segment_id: int):
    recording, owner, record_, segment = _segment_to_change(recording_id, segment_id)
    if request.method == "GET" and (closed := _closed(recording)):
        return closed
    return edit_text_page(
        SegmentForm(),
        segment.text,
        lambda text: editing.edit_segment(segment, text, by=current_person()),
        lambda changed: "Segment corrected." if changed else "Nothing was changed.",
        _at_segment(recording.id, segment.id),
        "recordings/edit_segment.html",
        recording=recording,
        owner_label=owner.label(record_),
        segment=segment,
    )


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/confirm", methods=["POST"])
@requires_role(*REVIEWERS)
def confirm_segment(recording_id: int, segment_id: int):
    recording, _owner, _record, segment = _segment_to_change(recording_id, segment_id)
    if ConfirmForm().validate_on_submit():
        apply_rule(
            lambda: editing.confirm_segment(segment, by=current_person()),
            "This segment was already checked." if segment.is_reviewed else "Segment confirmed.",
        )
    return redirect(_at_segment(recording.id, segment.id))


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/merge", methods=["POST"])
@requires_role(*REVIEWERS)
def merge_segment(recording_id: int, segment_id: int):
    recording, _owner, _record, segment = _segment_to_change(recording_id, segment_id)
    if ConfirmForm().validate_on_submit():
        apply_rule(
            lambda: editing.merge_with_next(segment, by=current_person()),
            "The segment and the one after it are now one segment.",
        )
    return redirect(_at_segment(recording.id, segment.id))


@bp.route("/recordings/<int:recording_id>/segments/<int:segment_id>/split", methods=["GET", "POST"])
@requires_role(*REVIEWERS)
def split_segment(recording_id: int, segment_id: int):
    recording, owner, record_, segment = _segment_to_change(recording_id, segment_id)
    if request.method == "GET" and (closed := _closed(recording)):
        return closed
    form = SplitSegmentForm()
    points = editing.split_points(segment)
    form.at.choices = [(str(point.at), point.after) for point in points]
    if done := submit_form(
        form,
        lambda: editing.split_segment(segment, _number(form.at.data), by=current_person()),
        "Segment split in two.",
        lambda new: _at_segment(recording.id, new.id),
        field="at",
    ):
        return done
    return form_page(
        "recordings/split_segment.html",
        form=form,
        recording=recording,
        owner_label=owner.label(record_),
        segment=segment,
        points=points,
    )


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.route("/recordings/<int:recording_id>/speakers", methods=["GET", "POST"])
@requires_role(*REVIEWERS)
def segment_speakers(recording_id: int):
    """Who is speaking: in the segments ticked, or in a run of them by number."""
    recording, owner, record_ = _load(recording_id, to_change=True)
    if request.method == "GET" and (closed := _closed(recording)):
        return closed
    form = SegmentSpeakerForm()
    if request.method == "GET" and (ticked := _number(request.args.get("segment"))):
        form.segment_ids.data = [ticked]
    if done := submit_form(
        form,
        lambda: editing.set_speaker(
            recording,
            _chosen_segments(form, recording),
            form.speaker.data,
            form.speaker_name.data,
            by=current_person(),
        ),
        lambda changed: (
            f"Speaker saved for {_segments_count(changed)}."
            if changed
            else "Nothing was changed: those segments already had that speaker."
        ),
        url_for("recordings.segment_speakers", recording_id=recording.id),
    ):
        return done
    return _speakers_page(
        recording, owner, record_, form, RenameSpeakerForm(formdata=None, prefix="rename"), form
    )


def _chosen_segments(form: SegmentSpeakerForm, recording: Recording) -> list[int]:
    chosen = list(form.segment_ids.data or [])
    if form.first.data is not None or form.last.data is not None:
        chosen += editing.segments_numbered(recording, form.first.data, form.last.data)
    return chosen


def _segments_count(count: int) -> str:
    return "1 segment" if count == 1 else f"{count} segments"


def _speakers_page(recording, owner, record_, speaker_form, rename_form, sent):
    names = editing.named_speakers(recording)
    rename_form.old_name.choices = [(name, name) for name in names]
    return form_page(
        "recordings/speakers.html",
        form=sent,  # the form whose problems the page's summary lists
        speaker_form=speaker_form,
        rename_form=rename_form,
        recording=recording,
        owner_label=owner.label(record_),
        segments=rules.segments_of(recording),
        chosen=set(speaker_form.segment_ids.data or []),
        named_speakers=names,
    )


@bp.route("/recordings/<int:recording_id>/speakers/rename", methods=["POST"])
@requires_role(*REVIEWERS)
def rename_speaker(recording_id: int):
    """A named speaker called something else everywhere in the transcript at once."""
    recording, owner, record_ = _load(recording_id, to_change=True)
    rename = RenameSpeakerForm(prefix="rename")
    if done := submit_form(
        rename,
        lambda: editing.rename_speaker(
            recording,
            rename.old_name.data,
            rename.speaker.data,
            rename.speaker_name.data,
            by=current_person(),
        ),
        lambda changed: f"Speaker renamed in {_segments_count(changed)}.",
        url_for("recordings.segment_speakers", recording_id=recording.id),
    ):
        return done
    return _speakers_page(
        recording, owner, record_, SegmentSpeakerForm(formdata=None), rename, rename
    )


@bp.route("/recordings/<int:recording_id>/find-and-replace", methods=["GET", "POST"])
@requires_role(*REVIEWERS)
def find_and_replace(recording_id: int):
    """Find words across the transcript, preview each segment they would change, and
    replace them in exactly the segments previewed."""
    recording, owner, record_ = _load(recording_id, to_change=True)
    if request.method == "GET" and (closed := _closed(recording)):
        return closed
    form = FindReplaceForm()
    changes = []
    if form.validate_on_submit():
        find, replace, options = _what_to_replace(form)
        if form.apply.data and (
            done := submit_form(
                form,
                lambda: find_replace.replace_all(
                    recording,
                    find,
                    replace,
                    **options,
                    previewed=form.previewed.data,
                    by=current_person(),
                ),
                lambda count: f"Replaced in {_segments_count(count)}.",
                url_for("recordings.show", recording_id=recording.id),
                field="find",
            )
        ):
            return done
        # A preview, or the preview again when the transcript changed since it was shown.
        changes = _preview(form, recording)
    page = render_template(
        "recordings/find_and_replace.html",
        form=form,
        recording=recording,
        owner_label=owner.label(record_),
        changes=changes,
    )
    # A preview is what was asked for; a refusal shows the form again (400).
    return page, 400 if any(field.errors for field in form) else 200


def _what_to_replace(form: FindReplaceForm) -> tuple:
    find, replace = form.find.data, form.replace.data
    return find, replace, {"match_case": form.match_case.data, "whole_words": form.whole_words.data}


def _preview(form: FindReplaceForm, recording: Recording) -> list:
    """The segments the replacement would change, with the fingerprint the button sends."""
    find, replace, options = _what_to_replace(form)
    try:
        changes = find_replace.find_replacements(recording, find, replace, **options)
    except DomainError as refused:
        db.session.rollback()
        field = refused.field if refused.field in form else "find"
        if refused.message not in form[field].errors:  # the refused replacement said it
            show_refusal(form, refused, field)
        return []
    form.previewed.data = find_replace.fingerprint(
        recording, find, replace, options["match_case"], options["whole_words"]
    )
    return changes


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
