"""A narrative's themes page: its text with the suggested and accepted themes highlighted,
suggestions to accept or reject, and words tagged by hand. Who may read or change it is
narratives.access's decision."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for

from ..auth.permissions import requires_role
from ..extensions import db
from ..forms import ConfirmForm
from ..themes import tagging
from ..themes.forms import ManualTagForm
from ..themes.models import ThemeTag
from ..themes.tasks import suggest_for_narrative
from ..web import AuditEntry, apply_rule, current_person, get_or_404, render_audited, submit_form
from . import access
from .turns import narrative_text

bp = Blueprint("narrative_themes", __name__)

READERS = ("advocate", "facilitator", "lead", "admin")


def _narrative(narrative_id: int, *, to_change: bool = False):
    """The narrative whose themes are shown (or changed), or None when its content is
    erased; narratives.access decides who may do either."""
    narrative = access.load(current_person(), narrative_id, to_change=to_change)
    if narrative.is_withdrawn:
        flash("Consent for this narrative was withdrawn: its content is erased.", "error")
        return None
    return narrative


@bp.route("/narratives/<int:narrative_id>/themes", methods=["GET"])
@requires_role(*READERS)
def for_narrative(narrative_id: int, form: ManualTagForm | None = None, status: int = 200):
    narrative = _narrative(narrative_id)
    if narrative is None:
        return redirect(url_for("narratives.show", narrative_id=narrative_id))
    text = narrative_text(narrative)
    tags = tagging.tags_for("narrative", narrative.id)
    if form is None:
        form = ManualTagForm(formdata=None)
    form.theme_id.choices = tagging.theme_choices()
    return render_audited(
        "narratives/themes.html",
        AuditEntry("themes.view", narrative),
        narrative=narrative,
        pieces=tagging.highlighted(text, tags),
        suggested=[t for t in tags if t.status == "suggested"],
        accepted=[t for t in tags if t.status == "accepted"],
        rejected=[t for t in tags if t.status == "rejected"],
        form=form,
        confirm=ConfirmForm(),
        words=len(text.split()),
        inline_words=tagging.INLINE_WORDS,
        can_change=access.may_change(current_person(), narrative),
    ), status


@bp.route("/narratives/<int:narrative_id>/themes/suggest", methods=["POST"])
@requires_role(*access.EDITORS)
def suggest(narrative_id: int):
    narrative = _narrative(narrative_id, to_change=True)
    if narrative is None or not ConfirmForm().validate_on_submit():
        return redirect(url_for("narrative_themes.for_narrative", narrative_id=narrative_id))
    text = narrative_text(narrative)
    if not text.strip():
        flash("There is no text to suggest themes for yet.", "error")
    elif len(text.split()) > tagging.INLINE_WORDS:
        suggest_for_narrative(narrative.id)
        flash("This is a long narrative: themes are being suggested in the background.")
    else:
        result = tagging.run_suggestions("narrative", narrative.id, text, by=current_person())
        db.session.commit()
        if result.message:
            flash(result.message, "error")
        else:
            flash(f"{result.added} new suggestion{'s' if result.added != 1 else ''}.")
    return redirect(url_for("narrative_themes.for_narrative", narrative_id=narrative.id))


def _tag(narrative, tag_id: int) -> ThemeTag:
    return get_or_404(ThemeTag, tag_id, subject_type="narrative", subject_id=narrative.id)


@bp.route(
    "/narratives/<int:narrative_id>/themes/tags/<int:tag_id>/<any(accept, reject):decision>",
    methods=["POST"],
)
@requires_role(*access.EDITORS)
def decide(narrative_id: int, tag_id: int, decision: str):
    narrative = _narrative(narrative_id, to_change=True)
    if narrative is not None and ConfirmForm().validate_on_submit():
        tag = _tag(narrative, tag_id)
        status = "accepted" if decision == "accept" else "rejected"
        apply_rule(
            lambda: tagging.decide(tag, status, by=current_person()),
            f"{tag.theme.name}: {'accepted' if status == 'accepted' else 'rejected'}.",
        )
    return redirect(
        url_for("narrative_themes.for_narrative", narrative_id=narrative_id, _anchor="suggested")
    )


@bp.route("/narratives/<int:narrative_id>/themes/tags", methods=["POST"])
@requires_role(*access.EDITORS)
def tag(narrative_id: int):
    narrative = _narrative(narrative_id, to_change=True)
    if narrative is None:
        return redirect(url_for("narratives.show", narrative_id=narrative_id))
    form = ManualTagForm()
    form.theme_id.choices = tagging.theme_choices()
    done = submit_form(
        form,
        lambda: tagging.tag_by_hand(
            "narrative",
            narrative.id,
            narrative_text(narrative),
            form.theme_id.data,
            form.quote.data or "",
            by=current_person(),
        ),
        "Tagged.",
        url_for("narrative_themes.for_narrative", narrative_id=narrative.id),
        field="quote",
    )
    return done or narrative_page_with(narrative.id, form)


def narrative_page_with(narrative_id: int, form: ManualTagForm):
    return for_narrative(narrative_id, form=form, status=400)
