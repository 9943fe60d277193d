"""Programmes and their quarterly milestones: the checklist, and the evidence behind it."""

from __future__ import annotations

import functools

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import downloads
from ..audit.rules import record
from ..auth.permissions import requires_role
from ..errors import DomainError
from ..extensions import db
from ..reflection.models import ReflectionSession
from ..request_checks import accepts_uploads
from ..themes.models import Theme
from ..web import (
    AuditEntry,
    current_person,
    form_page,
    get_or_404,
    render_audited,
    show_refusal,
    submit_form,
)
from . import board, checklist, dashboard, evidence, rules
from .forms import (
    ActionForm,
    ActionUpdateForm,
    BoardSummaryForm,
    DeliverableForm,
    DisseminationForm,
    EvidenceFileForm,
    FeedbackForm,
    MilestoneDatesForm,
    ProgrammeForm,
    RiskAuditForm,
    ShortfallForm,
    StrategicForm,
    SubmitForm,
    TrainingNeedForm,
)
from .models import (
    Action,
    BoardSummary,
    Deliverable,
    DisseminationActivity,
    EvidenceFile,
    Milestone,
    ParticipantFeedback,
    Programme,
    RiskAudit,
    TrainingNeed,
)

bp = Blueprint("milestones", __name__)

VIEWERS = ("lead", "admin")
# The words the milestone pages show for each stored choice.
LABELS = {
    "action_status": rules.ACTION_STATUSES,
    "audience_level": rules.AUDIENCE_LEVELS,
    "channel": rules.CHANNELS,
    "audit_kind": rules.AUDIT_KINDS,
    "deliverable_kind": rules.DELIVERABLE_KINDS,
}


def _overdue(actions) -> set[int]:
    """The ids of the actions past their due date and not complete."""
    return {action.id for action in actions if rules.is_overdue(action)}


@bp.route("/programmes")
@requires_role(*VIEWERS)
def programmes():
    found = db.session.scalars(select(Programme).order_by(Programme.financial_year.desc())).all()
    boards = [dashboard.for_programme(programme) for programme in found]
    return render_template(
        "milestones/programmes.html",
        boards=boards,
        can_change=current_person().role == "lead",
        labels=LABELS,
        overdue=_overdue(action for shown in boards for action in shown.actions),
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@requires_role("lead")
def new_programme():
    form = ProgrammeForm()
    done = submit_form(
        form,
        lambda: rules.create_programme(
            form.template.data or "", (form.financial_year.data or "").strip(), by=current_person()
        ),
        lambda programme: f"{programme.name} created with its quarters.",
        url_for("milestones.programmes"),
    )
    if done:
        return done
    return form_page("milestones/programme_form.html", form=form)


@bp.route("/board")
@requires_role("board", "lead", "admin")
def board_view():
    """What the board sees: progress, the action plan, and approved anonymised summaries."""
    found = db.session.scalars(select(Programme).order_by(Programme.financial_year.desc())).all()
    boards = [dashboard.for_programme(programme) for programme in found]
    for shown in boards:
        shown.actions = board.actions_for_board(shown.programme.milestones, shown.actions)
    return render_audited(
        "milestones/board.html",
        AuditEntry("milestone.board_view", None),
        boards=boards,
        summaries=board.published(),
        labels=LABELS,
        overdue=_overdue(action for shown in boards for action in shown.actions),
    )


def _page(milestone: Milestone, forms: dict, status: int = 200):
    forms = {
        "dissemination": DisseminationForm(formdata=None, prefix="dissemination"),
        "action": ActionForm(formdata=None, prefix="action"),
        "strategic": StrategicForm(formdata=None, prefix="strategic"),
        "feedback": FeedbackForm(formdata=None, prefix="feedback"),
        "training": TrainingNeedForm(formdata=None, prefix="training"),
        "evidence": EvidenceFileForm(formdata=None, prefix="evidence"),
        "submit": SubmitForm(formdata=None, prefix="submit"),
        "audit": RiskAuditForm(formdata=None, prefix="audit"),
        "shortfall": ShortfallForm(formdata=None, prefix="shortfall"),
        "deliverable": DeliverableForm(formdata=None, prefix="deliverable"),
        **forms,
    }
    forms["training"].theme_id.choices = _theme_choices()
    points = rules.learning_points_for(milestone)
    forms["dissemination"].learning_point_ids.choices = [(p.id, p.text) for p in points]
    activities = db.session.scalars(
        select(DisseminationActivity)
        .where(DisseminationActivity.milestone_id == milestone.id)
        .order_by(DisseminationActivity.held_on)
    ).all()
    forms["evidence"].activity_id.choices = [("", "Not for a particular activity")] + [
        (str(a.id), f"{a.held_on:%-d %B %Y}: {a.audience}") for a in activities
    ]
    if not forms["shortfall"].rationale.data:
        forms["shortfall"].rationale.data = milestone.shortfall_rationale
        forms["shortfall"].remedial_plan.data = milestone.shortfall_remedial_plan
    if not forms["strategic"].reference.data:
        forms["strategic"].reference.data = milestone.strategic_objective_ref
        forms["strategic"].text.data = milestone.strategic_objective_text
    actions = checklist.records_of(Action, milestone, Action.id)
    return render_audited(
        "milestones/milestone.html",
        AuditEntry("milestone.view", milestone),
        milestone=milestone,
        checklist=checklist.build(milestone),
        activities=activities,
        learning_points={p.id: p for p in points},
        evidence_files=checklist.records_of(EvidenceFile, milestone, EvidenceFile.uploaded_at),
        audits=checklist.records_of(RiskAudit, milestone, RiskAudit.audited_on),
        deliverables=checklist.records_of(Deliverable, milestone, Deliverable.id),
        summaries=board.published([milestone.id]),
        sessions=checklist.sessions_for(milestone),
        accepted_files=evidence.accepted_names(),
        evidence_limit_mb=evidence.limit_bytes() // 1024 // 1024,
        actions=actions,
        overdue=_overdue(actions),
        feedback=db.session.scalars(
            select(ParticipantFeedback).where(ParticipantFeedback.milestone_id == milestone.id)
        ).all(),
        training_needs=db.session.scalars(
            select(TrainingNeed).where(TrainingNeed.milestone_id == milestone.id)
        ).all(),
        themes_by_id={theme.id: theme for theme in db.session.scalars(select(Theme))},
        forms=forms,
        can_change=current_person().role == "lead",
        labels=LABELS,
    ), status


def _theme_choices():
    from wtforms.fields.choices import SelectChoice

    themes = db.session.scalars(select(Theme).order_by(Theme.code))
    return [SelectChoice("", "No particular theme")] + [
        SelectChoice(str(theme.id), theme.name) for theme in themes
    ]


@bp.route("/milestones/<int:milestone_id>")
@requires_role(*VIEWERS)
def milestone(milestone_id: int):
    return _page(get_or_404(Milestone, milestone_id), {})


def _values(form) -> dict:
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


def _float(value):
    return float(value) if value is not None else None


# ------------------------------------------------------------------ recording evidence
# Each form on the milestone page posts to its own address, and each is the same thin step:
# read the form, call one rule, and show the page again with the rule's message if refused.
# The decorator below is that step; each view under it is only the change its form makes.


def _milestone_form(rule: str, prefix: str, form_class, done: str, anchor: str, uploads=False):
    """Route a POST of one milestone-page form to `change(milestone, form)`; refused, the page
    again with that form and its message; done, the page at `anchor` with `done` flashed."""

    def decorate(change):
        @functools.wraps(change)
        def view(milestone_id: int):
            milestone = get_or_404(Milestone, milestone_id)
            form = form_class(prefix=prefix)
            then = url_for("milestones.milestone", milestone_id=milestone.id, _anchor=anchor)
            saved = submit_form(form, lambda: change(milestone, form), done, then)
            return saved or _page(milestone, {prefix: form}, status=400)

        if uploads:
            view = accepts_uploads(view)
        return bp.route(rule, methods=["POST"])(requires_role("lead")(view))

    return decorate


@_milestone_form(
    "/milestones/<int:milestone_id>/dissemination",
    "dissemination",
    DisseminationForm,
    "Dissemination recorded.",
    "dissemination",
)
def add_dissemination(milestone: Milestone, form) -> None:
    rules.add_dissemination(milestone, _values(form), by=current_person())


@_milestone_form(
    "/milestones/<int:milestone_id>/actions",
    "action",
    ActionForm,
    "Action added to the action plan.",
    "actions",
)
def add_action(milestone: Milestone, form) -> None:
    rules.add_action(milestone, _values(form), by=current_person())


@_milestone_form(
    "/milestones/<int:milestone_id>/strategic-plan",
    "strategic",
    StrategicForm,
    "Strategic objective saved.",
    "strategic-plan",
)
def strategic_plan(milestone: Milestone, form) -> None:
    rules.set_strategic_objective(
        milestone, form.reference.data, form.text.data, by=current_person()
    )


@_milestone_form(
    "/milestones/<int:milestone_id>/feedback",
    "feedback",
    FeedbackForm,
    "Feedback recorded.",
    "feedback",
)
def add_feedback(milestone: Milestone, form) -> None:
    values = _values(form)
    values["was_possible"] = form.was_possible.as_bool() is not False
    rules.add_feedback(milestone, values, by=current_person())


@_milestone_form(
    "/milestones/<int:milestone_id>/training-needs",
    "training",
    TrainingNeedForm,
    "Training need recorded.",
    "strategic-plan",
)
def add_training_need(milestone: Milestone, form) -> None:
    rules.add_training_need(milestone, _values(form), by=current_person())


@_milestone_form(
    "/milestones/<int:milestone_id>/evidence-files",
    "evidence",
    EvidenceFileForm,
    "Evidence file kept.",
    "evidence-files",
    uploads=True,
)
def add_evidence_file(milestone: Milestone, form) -> None:
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        raise DomainError("Choose a file to upload", "file")
    evidence.add_evidence_file(
        milestone,
        upload.filename,
        upload.stream,
        description=form.description.data,
        activity_id=form.activity_id.data,
        by=current_person(),
    )


@_milestone_form(
    "/milestones/<int:milestone_id>/submit",
    "submit",
    SubmitForm,
    "Marked as submitted to the commissioner.",
    "submission",
)
def submit(milestone: Milestone, form) -> None:
    missing = [item.label for item in checklist.build(milestone).missing]
    rules.submit(milestone, missing, _values(form), by=current_person())


@_milestone_form(
    "/milestones/<int:milestone_id>/audits",
    "audit",
    RiskAuditForm,
    "Audit recorded.",
    "audits",
)
def add_risk_audit(milestone: Milestone, form) -> None:
    rules.add_risk_audit(milestone, _values(form), by=current_person())


@_milestone_form(
    "/milestones/<int:milestone_id>/shortfall",
    "shortfall",
    ShortfallForm,
    "Rationale and remedial action plan saved.",
    "audits",
)
def shortfall(milestone: Milestone, form) -> None:
    rules.set_shortfall(
        milestone, form.rationale.data, form.remedial_plan.data, by=current_person()
    )


@_milestone_form(
    "/milestones/<int:milestone_id>/deliverables",
    "deliverable",
    DeliverableForm,
    "Recorded.",
    "programme-work",
)
def add_deliverable(milestone: Milestone, form) -> None:
    values = _values(form)
    for name in ("staff_satisfaction_percent", "service_user_satisfaction_percent"):
        values[name] = _float(values[name])
    rules.add_deliverable(milestone, values, by=current_person())


@bp.route("/milestones/<int:milestone_id>/dates", methods=["GET", "POST"])
@requires_role("lead")
def dates(milestone_id: int):
    milestone = get_or_404(Milestone, milestone_id)
    form = MilestoneDatesForm(obj=milestone)

    def change():
        values = _values(form)
        values["weighting_percent"] = _float(values["weighting_percent"])
        values["target_percent"] = _float(values["target_percent"])
        rules.update_milestone(milestone, values, by=current_person())

    done = submit_form(
        form,
        change,
        f"{milestone.quarter}'s dates and weighting saved.",
        url_for("milestones.programmes"),
    )
    if done:
        return done
    return form_page("milestones/dates.html", form=form, milestone=milestone)


@bp.route("/milestones/evidence-files/<int:file_id>")
@requires_role(*VIEWERS)
def evidence_file(file_id: int):
    found = get_or_404(EvidenceFile, file_id)
    path = evidence.path_of(found)
    if not path.is_file():
        abort(410, "The evidence file is missing from the media folder.")
    record(
        "milestone.evidence_file_download",
        user_id=current_person().id,
        subject=db.session.get(Milestone, found.milestone_id),
        evidence_file=found.id,
    )
    db.session.commit()
    return downloads.attachment(
        path, found.content_type or "application/octet-stream", found.original_filename
    )


@bp.route("/milestones/evidence-files/<int:file_id>/remove", methods=["POST"])
@requires_role("lead")
def remove_evidence_file(file_id: int):
    found = get_or_404(EvidenceFile, file_id)
    milestone_id = found.milestone_id
    path = evidence.remove_evidence_file(found, by=current_person())
    db.session.commit()
    path.unlink(missing_ok=True)
    flash(f"“{found.original_filename}” removed.")
    return redirect(
        url_for("milestones.milestone", milestone_id=milestone_id, _anchor="evidence-files")
    )


@bp.route("/milestones/actions/<int:action_id>", methods=["GET", "POST"])
@requires_role(*VIEWERS)
def action(action_id: int):
    """One action of the plan with its dated progress; leads record progress here."""
    found = db.session.get(Action, action_id)
    if found is None or found.milestone_id is None:
        abort(404)
    milestone = get_or_404(Milestone, found.milestone_id)
    form = ActionUpdateForm(status=found.status)
    if request.method == "POST":
        if current_person().role != "lead":
            abort(403)
        done = submit_form(
            form,
            lambda: rules.add_action_update(found, _values(form), by=current_person()),
            "Progress recorded.",
            url_for("milestones.action", action_id=found.id),
        )
        if done:
            return done
    return form_page(
        "milestones/action.html",
        action=found,
        milestone=milestone,
        form=form,
        can_change=current_person().role == "lead",
        labels=LABELS,
        is_overdue=rules.is_overdue(found),
    )


def _session_for(milestone: Milestone, session_id) -> ReflectionSession | None:
    if session_id in (None, ""):
        return None
    session = db.session.get(ReflectionSession, int(session_id))
    if session is None or session not in checklist.sessions_for(milestone):
        raise DomainError("Choose a reflection session of this quarter", "session_id")
    return session


@bp.route("/milestones/<int:milestone_id>/board-summaries/new", methods=["GET", "POST"])
@requires_role("lead")
def new_board_summary(milestone_id: int):
    milestone = get_or_404(Milestone, milestone_id)
    sessions = checklist.sessions_for(milestone)
    form = BoardSummaryForm()
    form.session_id.choices = [("", "Not drawn from one session")] + [
        (str(s.id), f"Reflection session, {s.held_on:%-d %B %Y}") for s in sessions
    ]
    if request.method == "GET":
        chosen = request.args.get("session_id") or (str(sessions[0].id) if sessions else "")
        form.session_id.data = int(chosen) if chosen.isdigit() else None
        try:
            session = _session_for(milestone, form.session_id.data)
            if session is not None:
                form.title.data = f"Learning from a person's experience ({milestone.quarter})"
                form.text.data = board.draft(session)
        except DomainError as refused:
            show_refusal(form, refused)
    elif form.validate_on_submit():
        try:
            board.approve(
                milestone,
                _session_for(milestone, form.session_id.data),
                form.title.data,
                form.text.data,
                by=current_person(),
            )
        except DomainError as refused:
            db.session.rollback()
            show_refusal(form, refused)
        else:
            db.session.commit()
            flash("Summary approved: board members can now read it.")
            return redirect(
                url_for("milestones.milestone", milestone_id=milestone.id, _anchor="board")
            )
    return form_page("milestones/board_summary_form.html", form=form, milestone=milestone)


@bp.route("/milestones/board-summaries/<int:summary_id>/withdraw", methods=["POST"])
@requires_role("lead")
def withdraw_board_summary(summary_id: int):
    summary = get_or_404(BoardSummary, summary_id)
    try:
        board.withdraw(summary, by=current_person())
    except DomainError as refused:
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash("Summary withdrawn from the board.")
    return redirect(
        url_for("milestones.milestone", milestone_id=summary.milestone_id, _anchor="board")
    )
