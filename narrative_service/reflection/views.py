"""Reflection session pages: set up, listen, reflect, learn, summarise."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from ..auth.models import User
from ..auth.permissions import requires_role
from ..database import rows
from ..errors import DomainError, EditConflict
from ..extensions import db
from ..forms import ConfirmForm
from ..narratives import access, turns
from ..themes.models import ThemeGroup
from ..transcription import rules as recording_rules
from ..transcription.models import Recording
from ..transcription.views import send_audio
from ..web import (
    AuditEntry,
    apply_rule,
    current_person,
    form_page,
    get_or_404,
    render_audited,
    submit_form,
)
from . import access as reflection_access
from . import rules
from .forms import AttendeeForm, DifferenceForm, LearningPointForm, RecordForm, SessionForm
from .models import LearningPoint, ReflectionSession

bp = Blueprint("reflection", __name__, url_prefix="/reflection-sessions")

READERS = ("facilitator", "lead", "admin", "advocate")
ORGANISERS = reflection_access.ORGANISING_ROLES


def _back_to(session: ReflectionSession, anchor: str = "") -> str:
    return url_for("reflection.show", session_id=session.id, _anchor=anchor or None)


def _back(session: ReflectionSession, anchor: str = ""):
    return redirect(_back_to(session, anchor))


def _fill_choices(form: SessionForm, session: ReflectionSession | None = None) -> None:
    form.facilitator_id.choices = [SelectChoice(0, "Choose the facilitator")] + [
        SelectChoice(person.id, f"{person.name} ({person.role_name})")
        for person in reflection_access.facilitators()
    ]
    candidates = reflection_access.eligible_narratives(current_person())
    if session is not None:
        candidates += [n for n in session.narratives if n not in candidates]
    form.narrative_ids.choices = [
        SelectChoice(n.id, f"{n.case.reference}: {n.title} (captured {n.captured_from:%-d %b %Y})")
        for n in candidates
    ]


def _details(form: SessionForm) -> rules.SessionDetails:
    return rules.SessionDetails(
        held_on=form.held_on.data,
        is_group=form.is_group.data == "group",
        is_online=form.is_online.data == "online",
        facilitator_id=form.facilitator_id.data or None,
        narrative_ids=list(form.narrative_ids.data or []),
        early_date_reason=form.early_date_reason.data or "",
    )


def _session_form(form: SessionForm, session: ReflectionSession | None):
    return form_page("reflection/session_form.html", form=form, session=session)


def _theme_groups() -> list[ThemeGroup]:
    return rows(select(ThemeGroup).options(selectinload(ThemeGroup.themes)).order_by(ThemeGroup.id))


@bp.route("")
@requires_role(*READERS)
def index():
    sessions = db.session.scalars(
        reflection_access.visible_sessions(current_person()).order_by(
            ReflectionSession.held_on.desc(), ReflectionSession.id.desc()
        )
    ).all()
    return render_template(
        "reflection/index.html", sessions=sessions, can_create=current_person().role in ORGANISERS
    )


@bp.route("/new", methods=["GET", "POST"])
@requires_role(*ORGANISERS)
def new():
    form = SessionForm()
    _fill_choices(form)
    if request.method == "GET":
        form.facilitator_id.data = current_person().id
        if request.args.get("narrative", type=int):
            form.narrative_ids.data = [request.args.get("narrative", type=int)]
    elif done := submit_form(
        form,
        lambda: rules.create_session(_details(form), by=current_person()),
        "Session created. Add the attendees, then open the listening view.",
        _back_to,
    ):
        return done
    return _session_form(form, None)


@bp.route("/<int:session_id>")
@requires_role(*READERS)
def show(session_id: int):
    session = reflection_access.load_for(current_person(), session_id)
    attendee_form = AttendeeForm(formdata=None, prefix="attendee")
    attendee_form.user_id.choices = _people_choices(session)
    learning_form = LearningPointForm(formdata=None, prefix="learning")
    return render_audited(
        "reflection/show.html",
        AuditEntry("reflection.view", session),
        session=session,
        can_change=reflection_access.can_change(current_person(), session),
        attendee_form=attendee_form,
        difference_form=DifferenceForm(formdata=None, prefix="difference"),
        learning_form=learning_form,
        theme_groups=_theme_groups(),
        confirm=ConfirmForm(),
        heard_how=rules.HEARD_HOW,
        summary=rules.summary(session),
        recordings=recording_rules.session_recordings(session),
        recording_labels=recording_rules.STATUS_LABELS,
        narratives=[
            (narrative, access.may_read(current_person(), narrative), not why_not)
            for narrative, why_not in reflection_access.heard_narratives(current_person(), session)
        ],
    )


def _people_choices(session: ReflectionSession) -> list[SelectChoice]:
    taken = {a.user_id for a in session.attendees}
    people = db.session.scalars(
        select(User)
        .where(User.is_active_account.is_(True), User.role != "board")
        .order_by(User.name)
    )
    return [SelectChoice("", "Not someone with an account")] + [
        SelectChoice(str(person.id), f"{person.name} ({person.role_name})")
        for person in people
        if person.id not in taken
    ]


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@requires_role(*ORGANISERS)
def edit(session_id: int):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    form = SessionForm()
    _fill_choices(form, session)
    if request.method == "GET":
        form.held_on.data = session.held_on
        form.is_group.data = "group" if session.is_group else "individual"
        form.is_online.data = "online" if session.is_online else "in_person"
        form.facilitator_id.data = session.facilitator_id
        form.narrative_ids.data = [n.id for n in session.narratives]
        form.early_date_reason.data = session.early_date_reason
    elif done := submit_form(
        form,
        lambda: rules.update_session(session, _details(form), by=current_person()),
        "Session details saved.",
        _back_to(session),
    ):
        return done
    return _session_form(form, session)


@bp.route("/<int:session_id>/listen")
@requires_role(*READERS)
def listen(session_id: int):
    session = reflection_access.load_for(current_person(), session_id)
    heard = reflection_access.heard_narratives(current_person(), session)
    narratives = [
        {
            "narrative": narrative,
            "turns": [t for t in turns.conversation(narrative) if not t.removed_at and t.text],
            "recordings": [
                (recording, recording_rules.segments_of(recording))
                for recording in recording_rules.interview_recordings(narrative)
                if recording.status in ("transcribed", "accepted")
            ],
        }
        for narrative, why_not in heard
        if not why_not
    ]
    return render_audited(
        "reflection/listen.html",
        AuditEntry("reflection.listen", session),
        session=session,
        narratives=narratives,
        not_heard=[(narrative, why_not) for narrative, why_not in heard if why_not],
        speakers=turns.SPEAKERS,
        can_change=reflection_access.can_change(current_person(), session),
        confirm=ConfirmForm(),
        heard_how=rules.HEARD_HOW,
    )


@bp.route("/<int:session_id>/recordings/<int:recording_id>/audio")
@requires_role(*READERS)
def narrative_audio(session_id: int, recording_id: int):
    """A narrative's recording played in the session's listening view, to those who hear
    the narrative there (narratives.access decides)."""
    session = reflection_access.load_for(current_person(), session_id)
    recording = db.session.get(Recording, recording_id)
    heard = {
        n.id
        for n, why_not in reflection_access.heard_narratives(current_person(), session)
        if not why_not
    }
    if recording is None or recording.narrative_id not in heard:
        abort(404)
    return send_audio(recording)


@bp.route("/<int:session_id>/heard", methods=["POST"])
@requires_role(*ORGANISERS)
def heard(session_id: int):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    choices = {
        attendee.id: request.form.get(f"heard-{attendee.id}", "") for attendee in session.attendees
    }
    chosen = {attendee_id: how for attendee_id, how in choices.items() if how}
    if apply_rule(
        lambda: rules.mark_heard(session, chosen, by=current_person()),
        f"Recorded that {len(chosen)} attendee{'s' if len(chosen) != 1 else ''} heard the "
        "narrative directly.",
    ):
        return _back(session, "record")
    return redirect(url_for("reflection.listen", session_id=session.id, _anchor="heard"))


@bp.route("/<int:session_id>/attendees", methods=["POST"])
@requires_role(*ORGANISERS)
def add_attendee(session_id: int):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    form = AttendeeForm(prefix="attendee")
    form.user_id.choices = _people_choices(session)
    if form.validate_on_submit():
        apply_rule(
            lambda: rules.add_attendee(
                session,
                by=current_person(),
                user_id=form.user_id.data,
                name=form.name.data or "",
                role=form.role.data or "",
                team=form.team.data or "",
                agency=form.agency.data or "",
                was_involved_in_case=form.was_involved_in_case.as_bool() is not False,
            ),
            "Attendee added.",
        )
    else:
        flash("; ".join(e for field in form for e in field.errors), "error")
    return _back(session, "attendees")


def _confirmed_removal(session_id: int, remove, done: str, anchor: str):
    """Remove one of a session's items once the organiser confirmed; back to its section."""
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    if ConfirmForm().validate_on_submit():
        apply_rule(lambda: remove(session, current_person()), done)
    return _back(session, anchor)


@bp.route("/<int:session_id>/attendees/<int:attendee_id>/remove", methods=["POST"])
@requires_role(*ORGANISERS)
def remove_attendee(session_id: int, attendee_id: int):
    return _confirmed_removal(
        session_id,
        lambda session, by: rules.remove_attendee(session, attendee_id, by=by),
        "Attendee removed.",
        "attendees",
    )


@bp.route("/<int:session_id>/record", methods=["GET", "POST"])
@requires_role(*ORGANISERS)
def record(session_id: int):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    form = RecordForm()
    conflict = None
    if request.method == "GET":
        form.notes.data = session.notes
        for key in rules.PROMPTS:
            form[f"prompt_{key}"].data = (session.prompts or {}).get(key, "")
        form.based_on_version.data = str(session.version_number)
    elif form.validate_on_submit():
        answers = {key: form[f"prompt_{key}"].data or "" for key in rules.PROMPTS}
        try:
            changed = rules.save_record(
                session,
                form.notes.data or "",
                answers,
                based_on_version=int(form.based_on_version.data or -1),
                by=current_person(),
            )
        except EditConflict as clash:
            db.session.commit()  # the conflicting text is kept as a version
            conflict = clash.message
            form.based_on_version.data = str(session.version_number)
        except DomainError as refused:
            db.session.rollback()
            field = f"prompt_{refused.field}" if refused.field in rules.PROMPTS else "notes"
            form[field].errors = [refused.message]
        else:
            db.session.commit()
            flash("Reflective record saved." if changed else "Nothing had changed.")
            return _back(session, "record")
    return form_page(
        "reflection/record.html",
        session=session,
        form=form,
        conflict=conflict,
        prompts=rules.PROMPTS,
        not_heard=rules.not_yet_heard(session),
    )


@bp.route("/<int:session_id>/differences", methods=["POST"])
@requires_role(*ORGANISERS)
def add_difference(session_id: int):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    form = DifferenceForm(prefix="difference")
    if form.validate_on_submit():
        apply_rule(
            lambda: rules.add_difference(
                session,
                person_view=form.person_view.data or "",
                practitioner_view=form.practitioner_view.data or "",
                agency=form.agency.data or "",
                learning=form.learning.data or "",
                by=current_person(),
            ),
            "Difference of perspective recorded.",
        )
    return _back(session, "differences")


@bp.route("/<int:session_id>/differences/<int:difference_id>/remove", methods=["POST"])
@requires_role(*ORGANISERS)
def remove_difference(session_id: int, difference_id: int):
    return _confirmed_removal(
        session_id,
        lambda session, by: rules.remove_difference(session, difference_id, by=by),
        "Difference of perspective removed.",
        "differences",
    )


def _learning_point_values(form: LearningPointForm) -> dict:
    """What the learning point form says, as the learning point rules take it."""
    return {
        "text": form.text.data or "",
        "owner": form.owner.data or "",
        "theme_ids": list(form.theme_ids.data or []),
        "is_best_practice": bool(form.is_best_practice.data),
    }


@bp.route("/<int:session_id>/learning-points", methods=["POST"])
@requires_role(*ORGANISERS)
def add_learning_point(session_id: int):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    form = LearningPointForm(prefix="learning")
    if form.validate_on_submit():
        apply_rule(
            lambda: rules.add_learning_point(
                session, **_learning_point_values(form), by=current_person()
            ),
            "Learning point recorded.",
        )
    return _back(session, "learning")


def _point(session: ReflectionSession, point_id: int) -> LearningPoint:
    return get_or_404(LearningPoint, point_id, session_id=session.id)


@bp.route("/<int:session_id>/learning-points/<int:point_id>/edit", methods=["GET", "POST"])
@requires_role(*ORGANISERS)
def edit_learning_point(session_id: int, point_id: int):
    session = reflection_access.load_for(current_person(), session_id, to_change=True)
    point = _point(session, point_id)
    form = LearningPointForm(prefix="learning")
    if request.method == "GET":
        form.text.data, form.owner.data = point.text, point.owner
        form.theme_ids.data = [theme.id for theme in point.themes]
        form.is_best_practice.data = point.is_best_practice
    elif done := submit_form(
        form,
        lambda: rules.update_learning_point(
            point, **_learning_point_values(form), by=current_person()
        ),
        "Learning point saved.",
        _back_to(session, "learning"),
        field="text",
    ):
        return done
    return form_page(
        "reflection/learning_point.html",
        session=session,
        point=point,
        form=form,
        theme_groups=_theme_groups(),
    )


@bp.route("/<int:session_id>/learning-points/<int:point_id>/remove", methods=["POST"])
@requires_role(*ORGANISERS)
def remove_learning_point(session_id: int, point_id: int):
    return _confirmed_removal(
        session_id,
        lambda session, by: rules.remove_learning_point(session, point_id, by=by),
        "Learning point removed.",
        "learning",
    )


@bp.route("/<int:session_id>/summary")
@requires_role(*READERS)
def summary(session_id: int):
    session = reflection_access.load_for(current_person(), session_id)
    return render_audited(
        "reflection/summary.html",
        AuditEntry("reflection.summary", session),
        session=session,
        summary=rules.summary(session),
        excerpts=[
            (narrative, rules.excerpt(narrative))
            for narrative, why_not in reflection_access.heard_narratives(current_person(), session)
            if not why_not
        ],
        me_as_attendee=reflection_access.attendee_for(session, current_person()),
        confirm=ConfirmForm(),
        heard_how=rules.HEARD_HOW,
    )


@bp.route("/<int:session_id>/summary/confirm", methods=["POST"])
@requires_role(*READERS)
def confirm_summary(session_id: int):
    session = reflection_access.load_for(current_person(), session_id)
    if ConfirmForm().validate_on_submit():
        apply_rule(
            lambda: rules.confirm_summary(session, by=current_person()),
            "Thank you: your confirmation that this is a fair record is saved.",
        )
    return redirect(url_for("reflection.summary", session_id=session.id))
