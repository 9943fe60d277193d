"""Narrative pages: list, record, view, edit, history, complete, withdraw, share."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from ..auth.models import User
from ..auth.permissions import requires_role
from ..errors import DomainError, EditConflict, ValidationFailed
from ..extensions import db
from ..forms import ConfirmForm
from ..request_checks import requested_page
from ..transcription import rules as recording_rules
from ..web import AuditEntry, apply_rule, current_person, form_page, render_audited
from . import access, anonymising, choices, rules, turns, withdrawal
from .forms import NarrativeForm, ShareForm, WithdrawForm

bp = Blueprint("narratives", __name__, url_prefix="/narratives")

READERS = ("advocate", "facilitator", "lead", "admin")
WRITERS = access.EDITORS


@bp.route("")
@requires_role(*READERS)
def index():
    filters = rules.Filters(
        status=request.args.get("status", ""),
        quarter=request.args.get("quarter", ""),
        case=request.args.get("case", "")[:40],
        narrator_type=request.args.get("narrator_type", ""),
    )
    page = rules.list_page(
        current_person(),
        filters,
        page=requested_page(),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_audited(
        "narratives/index.html",
        AuditEntry("narrative.list", detail={"page": page.page, "results": page.total}),
        page=page,
        filters=filters,
        quarters=rules.quarters_available(current_person()),
        choices=choices,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires_role(*WRITERS)
def new():
    form = NarrativeForm()
    if form.validate_on_submit():
        try:
            narrative = rules.create(
                form.values(), by=current_person(), is_new_case=form.is_new_case.data == "new"
            )
        except ValidationFailed as invalid:
            db.session.rollback()
            form.add_errors(invalid.errors)
        else:
            db.session.commit()
            flash("Narrative saved as a draft.")
            return redirect(url_for("narratives.show", narrative_id=narrative.id))
    return render_template("narratives/new.html", form=form, choices=choices)


@bp.route("/<int:narrative_id>")
@requires_role(*READERS)
def show(narrative_id: int):
    narrative = access.load(current_person(), narrative_id)
    candidates = (
        rules.share_candidates(narrative) if access.may_change(current_person(), narrative) else []
    )
    share_form = ShareForm()
    share_form.user.choices = [
        SelectChoice(str(person.id), f"{person.name} ({person.role_name})") for person in candidates
    ]
    return render_audited(
        "narratives/show.html",
        AuditEntry("narrative.view", narrative),
        narrative=narrative,
        choices=choices,
        can_change=access.may_change(current_person(), narrative),
        missing=rules.missing_for_completion(narrative),
        confirm=ConfirmForm(),
        share_form=share_form,
        turn_count=turns.turn_count(narrative),
        recordings=recording_rules.interview_recordings(narrative),
        recording_labels=recording_rules.STATUS_LABELS,
        how_communicated=withdrawal.HOW_COMMUNICATED,
    )


@bp.route("/<int:narrative_id>/edit", methods=["GET", "POST"])
@requires_role(*WRITERS)
def edit(narrative_id: int):
    narrative = access.load(current_person(), narrative_id, to_change=True)
    if narrative.is_withdrawn:
        flash("Consent for this narrative was withdrawn; it can no longer be changed.", "error")
        return redirect(url_for("narratives.show", narrative_id=narrative.id))
    form = NarrativeForm()
    conflict = None
    if request.method == "GET":
        form.fill_from(narrative)
    elif form.validate_on_submit():
        try:
            changed = rules.update(
                narrative,
                form.values(),
                by=current_person(),
                based_on_version=int(form.based_on_version.data or -1),
                is_new_case=form.is_new_case.data == "new",
            )
        except EditConflict as clash:
            db.session.rollback()
            conflict = clash.message
            form.based_on_version.data = str(narrative.version_number)
        except ValidationFailed as invalid:
            db.session.rollback()
            form.add_errors(invalid.errors)
        else:
            db.session.commit()
            flash(
                "Changes saved." if changed else "Nothing had changed, so no new version was made."
            )
            return redirect(url_for("narratives.show", narrative_id=narrative.id))
    return render_template(
        "narratives/edit.html",
        form=form,
        narrative=narrative,
        conflict=conflict,
        latest=rules.snapshot(narrative) if conflict else None,
        labels=rules.FIELD_LABELS,
        choices=choices,
    )


@bp.route("/<int:narrative_id>/history")
@requires_role(*READERS)
def history(narrative_id: int):
    narrative = access.load(current_person(), narrative_id)
    return render_audited(
        "narratives/history.html",
        AuditEntry("narrative.history", narrative),
        narrative=narrative,
        labels=rules.FIELD_LABELS,
    )


@bp.route("/<int:narrative_id>/complete", methods=["POST"])
@requires_role(*WRITERS)
def complete(narrative_id: int):
    return _change_status(narrative_id, rules.mark_complete, "Narrative marked complete.")


@bp.route("/<int:narrative_id>/return-to-draft", methods=["POST"])
@requires_role(*WRITERS)
def return_to_draft(narrative_id: int):
    return _change_status(narrative_id, rules.return_to_draft, "Narrative returned to draft.")


def _change_status(narrative_id: int, change, done: str):
    narrative = access.load(current_person(), narrative_id, to_change=True)
    if ConfirmForm().validate_on_submit():
        apply_rule(lambda: change(narrative, by=current_person()), done)
    return redirect(url_for("narratives.show", narrative_id=narrative_id))


@bp.route("/<int:narrative_id>/withdraw", methods=["GET", "POST"])
@requires_role(*WRITERS)
def withdraw(narrative_id: int):
    narrative = access.load(current_person(), narrative_id, to_change=True)
    if narrative.is_withdrawn:
        return redirect(url_for("narratives.show", narrative_id=narrative.id))
    form = WithdrawForm()
    if form.validate_on_submit():
        errors = withdrawal.problems(
            form.withdrawn_on.data, form.how.data, narrative, is_understood=form.is_understood.data
        )
        if errors:
            form.add_errors(errors)
        else:
            withdrawal.withdraw(
                narrative,
                by=current_person(),
                withdrawn_on=form.withdrawn_on.data,
                how=form.how.data,
            )
            db.session.commit()
            flash("Consent withdrawal recorded. The narrative's content has been erased.")
            return redirect(url_for("narratives.show", narrative_id=narrative_id))
    return form_page(
        "narratives/withdraw.html",
        narrative=narrative,
        form=form,
        to_erase=withdrawal.what_will_be_erased(narrative),
    )


@bp.route("/<int:narrative_id>/shares", methods=["POST"])
@requires_role(*WRITERS)
def share(narrative_id: int):
    narrative = access.load(current_person(), narrative_id, to_change=True)
    form = ShareForm()
    if form.validate_on_submit():
        person = db.session.get(User, form.user.data or 0)
        if person is None:
            flash("Choose someone to share the narrative with.", "error")
        else:
            apply_rule(
                lambda: rules.share(narrative, person, by=current_person()),
                f"Shared with {person.name}.",
            )
    return redirect(url_for("narratives.show", narrative_id=narrative_id))


@bp.route("/<int:narrative_id>/shares/<int:user_id>/remove", methods=["POST"])
@requires_role(*WRITERS)
def unshare(narrative_id: int, user_id: int):
    narrative = access.load(current_person(), narrative_id, to_change=True)
    if ConfirmForm().validate_on_submit():
        apply_rule(
            lambda: rules.unshare(narrative, user_id, by=current_person()), "Sharing removed."
        )
    return redirect(url_for("narratives.show", narrative_id=narrative_id))


@bp.route("/<int:narrative_id>/anonymised", methods=["GET", "POST"])
@requires_role(*WRITERS)
def anonymise(narrative_id: int):
    """Review the machine's redaction, undo or add, then approve a version to share."""
    narrative = access.load(current_person(), narrative_id, to_change=True)
    form = ConfirmForm()
    undone = set(request.form.getlist("undo")) if request.method == "POST" else set()
    added_terms = request.form.get("added", "") if request.method == "POST" else ""
    error = None
    if request.method == "POST" and form.validate_on_submit() and request.form.get("approve"):
        try:
            anonymising.approve(
                narrative, undone=undone, added_terms=added_terms, by=current_person()
            )
        except DomainError as refused:
            db.session.rollback()
            error = refused.message
        else:
            db.session.commit()
            flash("Anonymised version approved. The original narrative is unchanged.")
            return redirect(url_for("narratives.anonymise", narrative_id=narrative.id))
    try:
        shaped = anonymising.draft(narrative, undone=undone, added_terms=added_terms)
    except DomainError as refused:
        if refused.field != "added":  # nothing to review: consent withdrawn, or no text
            flash(refused.message, "error")
            return redirect(url_for("narratives.show", narrative_id=narrative.id))
        error = error or refused.message
        shaped = anonymising.draft(narrative, undone=undone)
    latest = anonymising.latest(narrative)
    return render_audited(
        "narratives/anonymise.html",
        AuditEntry("redaction.review", narrative),
        narrative=narrative,
        draft=shaped,
        key=anonymising.Draft.key,
        added_terms=added_terms,
        error=error,
        latest=latest,
        latest_is_current=latest is not None and anonymising.is_current(latest, narrative),
        confirm=form,
    ), (400 if error else 200)
