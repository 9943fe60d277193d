"""Theme pages for a reflection session: its reflective record and its learning points, with
suggested and accepted themes highlighted, tagged by the same rules as a narrative."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from wtforms import SelectField

from ..auth.permissions import requires_role
from ..extensions import db
from ..forms import ConfirmForm
from ..themes import tagging
from ..themes.forms import ManualTagForm
from ..themes.models import ThemeTag
from ..themes.tasks import suggest_or_queue
from ..web import AuditEntry, apply_rule, current_person, get_or_404, render_audited, submit_form
from . import access as reflection_access
from . import tagged
from .models import ReflectionSession

bp = Blueprint("reflection_themes", __name__, url_prefix="/reflection-sessions")

# Only those who may change the session tag it (reflection_access.can_change decides each).
TAGGERS = reflection_access.ORGANISING_ROLES
RECORD = "record"


class SessionTagForm(ManualTagForm):
    subject = SelectField("Where the words are", validate_choice=False)


def _subjects(session: ReflectionSession) -> dict[str, tuple[str, int, str]]:
    """What on this page can be tagged: form value -> (subject type, id, name for people)."""
    subjects = {RECORD: (tagging.REFLECTION_RECORD, session.id, "The reflective record")}
    for number, point in enumerate(session.learning_points, start=1):
        subjects[f"learning-point-{point.id}"] = (
            tagging.LEARNING_POINT,
            point.id,
            f"Learning point {number}",
        )
    return subjects


def _form(session: ReflectionSession, *, posted: bool) -> SessionTagForm:
    form = SessionTagForm() if posted else SessionTagForm(formdata=None)
    form.theme_id.choices = tagging.theme_choices()
    form.subject.choices = [(value, name) for value, (_t, _i, name) in _subjects(session).items()]
    return form


@bp.route("/<int:session_id>/themes")
@requires_role(*TAGGERS)
def for_session(session_id: int, form: SessionTagForm | None = None, status: int = 200):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    record_tags = tagging.tags_for(tagging.REFLECTION_RECORD, session.id)
    point_tags = {
        point.id: tagging.tags_for(tagging.LEARNING_POINT, point.id)
        for point in session.learning_points
    }
    tags = record_tags + [tag for tags in point_tags.values() for tag in tags]
    text = tagged.record_text(session)
    return render_audited(
        "reflection/themes.html",
        AuditEntry("themes.view", session),
        session=session,
        sections=tagging.highlighted_sections(tagged.record_sections(session), record_tags),
        points=[
            (point, tagging.highlighted(point.text, point_tags[point.id]))
            for point in session.learning_points
        ],
        places={(kind, subject_id): name for kind, subject_id, name in _subjects(session).values()},
        suggested=[t for t in tags if t.status == "suggested"],
        accepted=[t for t in tags if t.status == "accepted"],
        rejected=[t for t in tags if t.status == "rejected"],
        form=form or _form(session, posted=False),
        confirm=ConfirmForm(),
        words=len(text.split()),
        inline_words=tagging.INLINE_WORDS,
    ), status


@bp.route("/<int:session_id>/themes/suggest", methods=["POST"])
@requires_role(*TAGGERS)
def suggest(session_id: int):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    if ConfirmForm().validate_on_submit():
        subjects = [(kind, subject_id) for kind, subject_id, _name in _subjects(session).values()]
        outcome = suggest_or_queue(subjects, by=current_person())
        db.session.commit()
        if not outcome.texts:
            flash("There is no text to suggest themes for yet.", "error")
        for message in outcome.messages:
            flash(message, "error")
        if outcome.queued:
            flash("The record is long: its themes are being suggested in the background.")
        elif outcome.texts:
            flash(f"{outcome.added} new suggestion{'s' if outcome.added != 1 else ''}.")
    return redirect(url_for("reflection_themes.for_session", session_id=session.id))


def _tag(session: ReflectionSession, tag_id: int) -> ThemeTag:
    tag = get_or_404(ThemeTag, tag_id)
    owners = {(kind, subject_id) for kind, subject_id, _name in _subjects(session).values()}
    if (tag.subject_type, tag.subject_id) not in owners:
        abort(404)
    return tag


@bp.route(
    "/<int:session_id>/themes/tags/<int:tag_id>/<any(accept, reject):decision>",
    methods=["POST"],
)
@requires_role(*TAGGERS)
def decide(session_id: int, tag_id: int, decision: str):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    tag = _tag(session, tag_id)
    if ConfirmForm().validate_on_submit():
        status = "accepted" if decision == "accept" else "rejected"
        apply_rule(
            lambda: tagging.decide(tag, status, by=current_person()),
            f"{tag.theme.name}: {'accepted' if status == 'accepted' else 'rejected'}.",
        )
    return redirect(
        url_for("reflection_themes.for_session", session_id=session.id, _anchor="suggested")
    )


@bp.route("/<int:session_id>/themes/tags", methods=["POST"])
@requires_role(*TAGGERS)
def tag(session_id: int):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    form = _form(session, posted=True)
    subject = _subjects(session).get(form.subject.data or RECORD)
    if subject is None:
        form.subject.errors = ["Choose where the words are: the record or a learning point."]
    else:
        subject_type, subject_id, _name = subject
        done = submit_form(
            form,
            lambda: tagging.tag_by_hand(
                subject_type,
                subject_id,
                tagging.subject_text(subject_type, subject_id) or "",
                form.theme_id.data,
                form.quote.data or "",
                by=current_person(),
            ),
            "Tagged.",
            url_for("reflection_themes.for_session", session_id=session.id),
            field="quote",
        )
        if done:
            return done
    return for_session(session.id, form=form, status=400)
