"""Programmes and their quarterly milestones: the checklist, and the evidence behind it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import downloads
from ..audit.rules import record
from ..auth.permissions import requires_role
from ..errors import DomainError
from ..extensions import db
from ..reflection.models import ReflectionSession
from ..request_checks import accepts_uploads
from ..themes.models import Theme
from ..web import AuditEntry, render_audited
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


def _me():
    return current_user._get_current_object()


def _milestone(milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None:
        abort(404)
    return milestone


@bp.route("/programmes")
@requires_role(*VIEWERS)
def programmes():
    found = db.session.scalars(select(Programme).order_by(Programme.financial_year.desc())).all()
    return render_template(
        "milestones/programmes.html",
        boards=[dashboard.for_programme(programme) for programme in found],
        can_change=_me().role == "lead",
        rules=rules,
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@requires_role("lead")
def new_programme():
    form = ProgrammeForm()
    if form.validate_on_submit():
        try:
            programme = rules.create_programme(
                form.template.data or "", (form.financial_year.data or "").strip(), by=_me()
            )
        except DomainError as refused:
            db.session.rollback()
            _show(form, refused)
        else:
            db.session.commit()
            flash(f"{programme.name} created with its quarters.")
            return redirect(url_for("milestones.programmes"))
    return render_template("milestones/programme_form.html", form=form), (
        400 if form.errors else 200
    )


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
        rules=rules,
    )


def _show(form, refused: DomainError) -> None:
    field = refused.field if refused.field and refused.field in form else None
    if field:
        form[field].errors = list(form[field].errors or []) + [refused.message]
    else:
        flash(refused.message, "error")


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
    return render_audited(
        "milestones/milestone.html",
        AuditEntry("milestone.view", milestone),
        milestone=milestone,
        checklist=checklist.build(milestone),
        activities=activities,
        learning_points={p.id: p for p in points},
        evidence_files=_rows(EvidenceFile, milestone, EvidenceFile.uploaded_at),
        audits=_rows(RiskAudit, milestone, RiskAudit.audited_on),
        deliverables=_rows(Deliverable, milestone, Deliverable.id),
        summaries=board.published([milestone.id]),
        sessions=checklist.sessions_for(milestone),
        accepted_files=evidence.accepted_names(),
        evidence_limit_mb=evidence.limit_bytes() // 1024 // 1024,
        actions=db.session.scalars(
            select(Action).where(Action.milestone_id == milestone.id).order_by(Action.id)
        ).all(),
        feedback=db.session.scalars(
            select(ParticipantFeedback).where(ParticipantFeedback.milestone_id == milestone.id)
        ).all(),
        training_needs=db.session.scalars(
            select(TrainingNeed).where(TrainingNeed.milestone_id == milestone.id)
        ).all(),
        themes_by_id={theme.id: theme for theme in db.session.scalars(select(Theme))},
        forms=forms,
        can_change=_me().role == "lead",
        rules=rules,
    ), status


def _rows(model, milestone: Milestone, order) -> list:
    return db.session.scalars(
        select(model).where(model.milestone_id == milestone.id).order_by(order)
    ).all()


def _theme_choices():
    from wtforms.fields.choices import SelectChoice

    themes = db.session.scalars(select(Theme).order_by(Theme.code))
    return [SelectChoice("", "No particular theme")] + [
        SelectChoice(str(theme.id), theme.name) for theme in themes
    ]


@bp.route("/milestones/<int:milestone_id>")
@requires_role(*VIEWERS)
def milestone(milestone_id: int):
    return _page(_milestone(milestone_id), {})


def _save(milestone: Milestone, name: str, form, change, done: str, anchor: str):
    if form.validate_on_submit():
        try:
            change()
        except DomainError as refused:
            db.session.rollback()
            _show(form, refused)
        else:
            db.session.commit()
            flash(done)
            return redirect(
                url_for("milestones.milestone", milestone_id=milestone.id, _anchor=anchor)
            )
    return _page(milestone, {name: form}, status=400)


def _values(form) -> dict:
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


def _float(value):
    return float(value) if value is not None else None


# ------------------------------------------------------------------ recording evidence
# Each form on the milestone page posts to its own address, and each is the same thin step:
# read the form, call one rule, and show the page again with the rule's message if refused.


def _dissemination(milestone: Milestone, form) -> None:
    rules.add_dissemination(milestone, _values(form), by=_me())


def _feedback(milestone: Milestone, form) -> None:
    values = _values(form)
    values["was_possible"] = form.was_possible.as_bool() is not False
    rules.add_feedback(milestone, values, by=_me())


def _evidence_upload(milestone: Milestone, form) -> None:
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        raise DomainError("Choose a file to upload", "file")
    evidence.add_evidence_file(
        milestone,
        upload.filename,
        upload.stream,
        description=form.description.data,
        activity_id=form.activity_id.data,
        by=_me(),
    )


def _submission(milestone: Milestone, form) -> None:
    missing = [item.label for item in checklist.build(milestone).missing]
    rules.submit(milestone, missing, _values(form), by=_me())


def _deliverable(milestone: Milestone, form) -> None:
    values = _values(form)
    for name in ("staff_satisfaction_percent", "service_user_satisfaction_percent"):
        values[name] = _float(values[name])
    rules.add_deliverable(milestone, values, by=_me())


# endpoint: (path, form class and prefix, the step, what to say when done, where to return)
EVIDENCE_FORMS = {
    "add_dissemination": (
        "dissemination",
        DisseminationForm,
        "dissemination",
        _dissemination,
        "Dissemination recorded.",
        "dissemination",
    ),
    "add_action": (
        "actions",
        ActionForm,
        "action",
        lambda milestone, form: rules.add_action(milestone, _values(form), by=_me()),
        "Action added to the action plan.",
        "actions",
    ),
    "strategic_plan": (
        "strategic-plan",
        StrategicForm,
        "strategic",
        lambda milestone, form: rules.set_strategic_objective(
            milestone, form.reference.data, form.text.data, by=_me()
        ),
        "Strategic objective saved.",
        "strategic-plan",
    ),
    "add_feedback": (
        "feedback",
        FeedbackForm,
        "feedback",
        _feedback,
        "Feedback recorded.",
        "feedback",
    ),
    "add_training_need": (
        "training-needs",
        TrainingNeedForm,
        "training",
        lambda milestone, form: rules.add_training_need(milestone, _values(form), by=_me()),
        "Training need recorded.",
        "strategic-plan",
    ),
    "add_evidence_file": (
        "evidence-files",
        EvidenceFileForm,
        "evidence",
        _evidence_upload,
        "Evidence file kept.",
        "evidence-files",
    ),
    "submit": (
        "submit",
        SubmitForm,
        "submit",
        _submission,
        "Marked as submitted to the commissioner.",
        "submission",
    ),
    "add_risk_audit": (
        "audits",
        RiskAuditForm,
        "audit",
        lambda milestone, form: rules.add_risk_audit(milestone, _values(form), by=_me()),
        "Audit recorded.",
        "audits",
    ),
    "shortfall": (
        "shortfall",
        ShortfallForm,
        "shortfall",
        lambda milestone, form: rules.set_shortfall(
            milestone, form.rationale.data, form.remedial_plan.data, by=_me()
        ),
        "Rationale and remedial action plan saved.",
        "audits",
    ),
    "add_deliverable": (
        "deliverables",
        DeliverableForm,
        "deliverable",
        _deliverable,
        "Recorded.",
        "programme-work",
    ),
}


def _evidence_view(endpoint: str):
    path, form_class, prefix, step, done, anchor = EVIDENCE_FORMS[endpoint]

    def view(milestone_id: int):
        milestone = _milestone(milestone_id)
        form = form_class(prefix=prefix)
        return _save(milestone, prefix, form, lambda: step(milestone, form), done, anchor)

    view.__name__ = endpoint
    if form_class is EvidenceFileForm:
        view = accepts_uploads(view)
    bp.add_url_rule(
        f"/milestones/<int:milestone_id>/{path}",
        endpoint,
        requires_role("lead")(view),
        methods=["POST"],
    )


for _endpoint in EVIDENCE_FORMS:
    _evidence_view(_endpoint)


@bp.route("/milestones/<int:milestone_id>/dates", methods=["GET", "POST"])
@requires_role("lead")
def dates(milestone_id: int):
    milestone = _milestone(milestone_id)
    form = MilestoneDatesForm(obj=milestone)
    if form.validate_on_submit():
        values = _values(form)
        values["weighting_percent"] = _float(values["weighting_percent"])
        values["target_percent"] = _float(values["target_percent"])
        try:
            rules.update_milestone(milestone, values, by=_me())
        except DomainError as refused:
            db.session.rollback()
            _show(form, refused)
        else:
            db.session.commit()
            flash(f"{milestone.quarter}'s dates and weighting saved.")
            return redirect(url_for("milestones.programmes"))
    return render_template("milestones/dates.html", form=form, milestone=milestone), (
        400 if form.errors else 200
    )


def _evidence_file(file_id: int) -> EvidenceFile:
    found = db.session.get(EvidenceFile, file_id)
    if found is None:
        abort(404)
    return found


@bp.route("/milestones/evidence-files/<int:file_id>")
@requires_role(*VIEWERS)
def evidence_file(file_id: int):
    found = _evidence_file(file_id)
    path = evidence.path_of(found)
    if not path.is_file():
        abort(410, "The evidence file is missing from the media folder.")
    record(
        "milestone.evidence_file_download",
        user_id=_me().id,
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
    found = _evidence_file(file_id)
    milestone_id = found.milestone_id
    path = evidence.remove_evidence_file(found, by=_me())
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
    milestone = _milestone(found.milestone_id)
    form = ActionUpdateForm(status=found.status)
    if request.method == "POST":
        if _me().role != "lead":
            abort(403)
        if form.validate_on_submit():
            try:
                rules.add_action_update(found, _values(form), by=_me())
            except DomainError as refused:
                db.session.rollback()
                _show(form, refused)
            else:
                db.session.commit()
                flash("Progress recorded.")
                return redirect(url_for("milestones.action", action_id=found.id))
    return render_template(
        "milestones/action.html",
        action=found,
        milestone=milestone,
        form=form,
        can_change=_me().role == "lead",
        rules=rules,
    ), (400 if request.method == "POST" else 200)


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
    milestone = _milestone(milestone_id)
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
            _show(form, refused)
    elif form.validate_on_submit():
        try:
            board.approve(
                milestone,
                _session_for(milestone, form.session_id.data),
                form.title.data,
                form.text.data,
                by=_me(),
            )
        except DomainError as refused:
            db.session.rollback()
            _show(form, refused)
        else:
            db.session.commit()
            flash("Summary approved: board members can now read it.")
            return redirect(
                url_for("milestones.milestone", milestone_id=milestone.id, _anchor="board")
            )
    return render_template("milestones/board_summary_form.html", form=form, milestone=milestone), (
        400 if request.method == "POST" else 200
    )


@bp.route("/milestones/board-summaries/<int:summary_id>/withdraw", methods=["POST"])
@requires_role("lead")
def withdraw_board_summary(summary_id: int):
    summary = db.session.get(BoardSummary, summary_id)
    if summary is None:
        abort(404)
    try:
        board.withdraw(summary, by=_me())
    except DomainError as refused:
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash("Summary withdrawn from the board.")
    return redirect(
        url_for("milestones.milestone", milestone_id=summary.milestone_id, _anchor="board")
    )
