"""Programmes and their quarterly milestones: the checklist, and the evidence behind it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import requires_role
from ..errors import DomainError
from ..extensions import db
from ..themes.models import Theme
from ..web import AuditEntry, render_audited
from . import checklist, rules
from .forms import ActionForm, DisseminationForm, FeedbackForm, StrategicForm, TrainingNeedForm
from .models import (
    Action,
    DisseminationActivity,
    Milestone,
    ParticipantFeedback,
    Programme,
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
    boards = [
        (
            programme,
            [checklist.build(m) for m in sorted(programme.milestones, key=lambda m: m.quarter)],
        )
        for programme in found
    ]
    return render_template("milestones/programmes.html", boards=boards)


def _page(milestone: Milestone, forms: dict, status: int = 200):
    forms = {
        "dissemination": DisseminationForm(formdata=None, prefix="dissemination"),
        "action": ActionForm(formdata=None, prefix="action"),
        "strategic": StrategicForm(formdata=None, prefix="strategic"),
        "feedback": FeedbackForm(formdata=None, prefix="feedback"),
        "training": TrainingNeedForm(formdata=None, prefix="training"),
        **forms,
    }
    forms["training"].theme_id.choices = _theme_choices()
    if not forms["strategic"].reference.data:
        forms["strategic"].reference.data = milestone.strategic_objective_ref
        forms["strategic"].text.data = milestone.strategic_objective_text
    return render_audited(
        "milestones/milestone.html",
        AuditEntry("milestone.view", milestone),
        milestone=milestone,
        checklist=checklist.build(milestone),
        activities=db.session.scalars(
            select(DisseminationActivity)
            .where(DisseminationActivity.milestone_id == milestone.id)
            .order_by(DisseminationActivity.held_on)
        ).all(),
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
            field = refused.field if refused.field and refused.field in form else None
            if field:
                form[field].errors = [refused.message]
            else:
                flash(refused.message, "error")
        else:
            db.session.commit()
            flash(done)
            return redirect(
                url_for("milestones.milestone", milestone_id=milestone.id, _anchor=anchor)
            )
    return _page(milestone, {name: form}, status=400)


@bp.route("/milestones/<int:milestone_id>/dissemination", methods=["POST"])
@requires_role("lead")
def add_dissemination(milestone_id: int):
    milestone = _milestone(milestone_id)
    form = DisseminationForm(prefix="dissemination")
    return _save(
        milestone,
        "dissemination",
        form,
        lambda: rules.add_dissemination(
            milestone,
            {
                "held_on": form.held_on.data,
                "audience_level": form.audience_level.data,
                "audience": form.audience.data,
                "channel": form.channel.data,
                "reach": form.reach.data,
                "notes": form.notes.data,
                "link_url": form.link_url.data,
            },
            by=_me(),
        ),
        "Dissemination recorded.",
        "dissemination",
    )


@bp.route("/milestones/<int:milestone_id>/actions", methods=["POST"])
@requires_role("lead")
def add_action(milestone_id: int):
    milestone = _milestone(milestone_id)
    form = ActionForm(prefix="action")
    values = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    return _save(
        milestone,
        "action",
        form,
        lambda: rules.add_action(milestone, values, by=_me()),
        "Action added to the action plan.",
        "actions",
    )


@bp.route("/milestones/<int:milestone_id>/strategic-plan", methods=["POST"])
@requires_role("lead")
def strategic_plan(milestone_id: int):
    milestone = _milestone(milestone_id)
    form = StrategicForm(prefix="strategic")
    return _save(
        milestone,
        "strategic",
        form,
        lambda: rules.set_strategic_objective(
            milestone, form.reference.data, form.text.data, by=_me()
        ),
        "Strategic objective saved.",
        "strategic-plan",
    )


@bp.route("/milestones/<int:milestone_id>/feedback", methods=["POST"])
@requires_role("lead")
def add_feedback(milestone_id: int):
    milestone = _milestone(milestone_id)
    form = FeedbackForm(prefix="feedback")
    values = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    values["was_possible"] = form.was_possible.as_bool() is not False
    return _save(
        milestone,
        "feedback",
        form,
        lambda: rules.add_feedback(milestone, values, by=_me()),
        "Feedback recorded.",
        "feedback",
    )


@bp.route("/milestones/<int:milestone_id>/training-needs", methods=["POST"])
@requires_role("lead")
def add_training_need(milestone_id: int):
    milestone = _milestone(milestone_id)
    form = TrainingNeedForm(prefix="training")
    form.theme_id.choices = _theme_choices()
    values = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    return _save(
        milestone,
        "training",
        form,
        lambda: rules.add_training_need(milestone, values, by=_me()),
        "Training need recorded.",
        "strategic-plan",
    )
