"""The conversation view of a narrative: chat-style turns, typed or spoken.

Without JavaScript every action is a plain form post. With it (static/js/conversation.mjs)
turns are sent in the background, text not yet sent is kept in the browser, and a turn
re-sent after a dropped connection is saved once (its token).
"""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, request, url_for

from ..auth.permissions import requires_role
from ..errors import DomainError
from ..extensions import db
from ..request_checks import accepts_uploads
from ..transcription import rules as recording_rules
from ..transcription.tasks import queue_transcription
from ..web import (
    AuditEntry,
    current_person,
    edit_text_page,
    form_page,
    get_or_404,
    render_audited,
    submit_form,
)
from . import access, turns
from .forms import EditTurnForm, PromptsForm, RemoveTurnForm, TurnForm
from .models import NarrativeTurn

bp = Blueprint("conversation", __name__, url_prefix="/narratives")

READERS = ("advocate", "facilitator", "lead", "admin")
WRITERS = access.EDITORS


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _turn_of(narrative, turn_id: int) -> NarrativeTurn:
    return get_or_404(NarrativeTurn, turn_id, narrative_id=narrative.id)


def _page(narrative, form, status=200):
    conversation = turns.conversation(narrative)
    pending = {
        turn.recording_id: recording_rules.progress(turn.recording)
        for turn in conversation
        if turn.recording is not None and turn.recording.status in ("queued", "transcribing")
    }
    failed = {
        turn.recording_id: turn.recording.failure_reason
        for turn in conversation
        if turn.recording is not None and turn.recording.status == "failed"
    }
    html = render_audited(
        "narratives/conversation.html",
        AuditEntry("conversation.view", narrative),
        narrative=narrative,
        conversation=conversation,
        pending=pending,
        failed=failed,
        form=form,
        can_change=access.may_change(current_person(), narrative) and not narrative.is_withdrawn,
        speakers=turns.SPEAKERS,
        prompts=turns.prompts(),
    )
    return html, status


@bp.route("/<int:narrative_id>/conversation")
@requires_role(*READERS)
def show(narrative_id: int):
    narrative = access.load(current_person(), narrative_id)
    return _page(narrative, TurnForm(formdata=None))


@bp.route("/<int:narrative_id>/conversation", methods=["POST"])
@requires_role(*WRITERS)
@accepts_uploads
def send(narrative_id: int):
    narrative = access.load(current_person(), narrative_id, to_change=True)
    form = TurnForm()
    upload = request.files.get("recording")
    has_upload = upload is not None and bool(upload.filename)
    if form.validate_on_submit():
        try:
            if has_upload:
                recording = recording_rules.add_recording(
                    narrative,
                    upload.stream,
                    upload.filename,
                    by=current_person(),
                    purpose="turn",
                    speaker=form.speaker.data,
                )
                turn = turns.add_spoken_turn(
                    narrative, recording, by=current_person(), client_token=form.client_token.data
                )
                created = True
            else:
                turn, created = turns.add_turn(
                    narrative,
                    form.speaker.data,
                    form.text.data or "",
                    by=current_person(),
                    client_token=form.client_token.data,
                )
        except DomainError as refused:
            db.session.rollback()
            form[refused.field if refused.field in form else "text"].errors = [refused.message]
        else:
            db.session.commit()
            if has_upload:
                queue_transcription(turn.recording_id)
            if _wants_json():
                return jsonify({"turn": turn.id, "created": created, "position": turn.position}), (
                    201 if created else 200
                )
            flash("Sent. The recording is being transcribed." if has_upload else "Sent.")
            return redirect(
                url_for("conversation.show", narrative_id=narrative.id, _anchor="send-turn")
            )
    if _wants_json():
        errors = {name: field.errors[0] for name, field in form._fields.items() if field.errors}
        return jsonify({"errors": errors}), 400
    return _page(narrative, form, status=400)


@bp.route("/<int:narrative_id>/conversation/turns/<int:turn_id>/edit", methods=["GET", "POST"])
@requires_role(*WRITERS)
def edit_turn(narrative_id: int, turn_id: int):
    narrative = access.load(current_person(), narrative_id, to_change=True)
    turn = _turn_of(narrative, turn_id)
    return edit_text_page(
        EditTurnForm(),
        turn.text,
        lambda text: turns.edit_turn(turn, text, by=current_person()),
        lambda changed: (
            "Turn changed; its earlier wording is kept." if changed else "Nothing changed."
        ),
        url_for("conversation.show", narrative_id=narrative.id, _anchor=f"turn-{turn.id}"),
        "narratives/edit_turn.html",
        narrative=narrative,
        turn=turn,
    )


@bp.route("/<int:narrative_id>/conversation/turns/<int:turn_id>/remove", methods=["GET", "POST"])
@requires_role(*WRITERS)
def remove_turn(narrative_id: int, turn_id: int):
    narrative = access.load(current_person(), narrative_id, to_change=True)
    turn = _turn_of(narrative, turn_id)
    form = RemoveTurnForm()
    if done := submit_form(
        form,
        lambda: turns.remove_turn(turn, form.reason.data or "", by=current_person()),
        "Turn removed. It is kept, marked as removed, with your reason.",
        url_for("conversation.show", narrative_id=narrative.id),
        field="reason",
    ):
        return done
    return form_page("narratives/remove_turn.html", narrative=narrative, turn=turn, form=form)


@bp.route("/conversation-prompts", methods=["GET", "POST"])
@requires_role("lead")
def prompts():
    form = PromptsForm()
    if request.method == "GET":
        form.prompts.data = "\n".join(turns.prompts())
    elif done := submit_form(
        form,
        lambda: turns.set_prompts(form.prompts.data or "", by=current_person()),
        "Prompts saved. Facilitators see them on every conversation.",
        url_for("conversation.prompts"),
        field="prompts",
    ):
        return done
    return form_page("narratives/prompts.html", form=form, defaults=turns.DEFAULT_PROMPTS)
