"""Theme pages: a narrative's text with its suggested and accepted themes highlighted, the
analysis across quarters with the quotes behind each figure, and the codebook."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import downloads
from ..auth.permissions import requires_role
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..forms import ConfirmForm
from ..narratives import access
from ..narratives.turns import narrative_text
from ..request_checks import accepts_uploads
from ..web import AuditEntry, apply_rule, render_audited
from . import codebook, codebook_format, tagging
from .forms import DeleteThemeForm, ImportCodebookForm, ManualTagForm, NewThemeForm, ThemeForm
from .models import ThemeTag
from .tasks import suggest_for_narrative

bp = Blueprint("themes", __name__)

READERS = ("advocate", "facilitator", "lead", "admin")


def _me():
    return current_user._get_current_object()


def _narrative(narrative_id: int, *, to_change: bool = False):
    """The narrative whose themes are shown (or changed), or None when its content is
    erased; narratives.access decides who may do either."""
    narrative = access.load(_me(), narrative_id, to_change=to_change)
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
        "themes/narrative.html",
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
        can_change=access.may_change(_me(), narrative),
    ), status


@bp.route("/narratives/<int:narrative_id>/themes/suggest", methods=["POST"])
@requires_role(*access.EDITORS)
def suggest(narrative_id: int):
    narrative = _narrative(narrative_id, to_change=True)
    if narrative is None or not ConfirmForm().validate_on_submit():
        return redirect(url_for("themes.for_narrative", narrative_id=narrative_id))
    text = narrative_text(narrative)
    if not text.strip():
        flash("There is no text to suggest themes for yet.", "error")
    elif len(text.split()) > tagging.INLINE_WORDS:
        suggest_for_narrative(narrative.id)
        flash("This is a long narrative: themes are being suggested in the background.")
    else:
        result = tagging.run_suggestions("narrative", narrative.id, text, by=_me())
        db.session.commit()
        if result.message:
            flash(result.message, "error")
        else:
            flash(f"{result.added} new suggestion{'s' if result.added != 1 else ''}.")
    return redirect(url_for("themes.for_narrative", narrative_id=narrative.id))


def _tag(narrative, tag_id: int) -> ThemeTag:
    tag = db.session.get(ThemeTag, tag_id)
    if tag is None or tag.subject_type != "narrative" or tag.subject_id != narrative.id:
        abort(404)
    return tag


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
            lambda: tagging.decide(tag, status, by=_me()),
            f"{tag.theme.name}: {'accepted' if status == 'accepted' else 'rejected'}.",
        )
    return redirect(url_for("themes.for_narrative", narrative_id=narrative_id, _anchor="suggested"))


@bp.route("/narratives/<int:narrative_id>/themes/tags", methods=["POST"])
@requires_role(*access.EDITORS)
def tag(narrative_id: int):
    narrative = _narrative(narrative_id, to_change=True)
    if narrative is None:
        return redirect(url_for("narratives.show", narrative_id=narrative_id))
    form = ManualTagForm()
    form.theme_id.choices = tagging.theme_choices()
    if form.validate_on_submit():
        try:
            tagging.tag_by_hand(
                "narrative",
                narrative.id,
                narrative_text(narrative),
                form.theme_id.data,
                form.quote.data or "",
                by=_me(),
            )
        except DomainError as refused:
            db.session.rollback()
            form[refused.field if refused.field in form else "quote"].errors = [refused.message]
        else:
            db.session.commit()
            flash("Tagged.")
            return redirect(url_for("themes.for_narrative", narrative_id=narrative.id))
    return narrative_page_with(narrative.id, form)


def narrative_page_with(narrative_id: int, form: ManualTagForm):
    return for_narrative(narrative_id, form=form, status=400)


@bp.route("/themes/analysis")
@requires_role("lead", "admin")
def analysis():
    from . import analysis as figures

    counts = figures.theme_counts()
    return render_audited(
        "themes/analysis.html",
        AuditEntry("themes.analysis"),
        counts=counts,
        rows=counts.rows(),
        maximum=max(counts.maximum(), 1),
        phrases=figures.key_noun_phrases() if request.args.get("phrases") else None,
        sources=figures.SOURCES,
        slug=figures.quarter_slug,
    )


@bp.route("/themes/analysis.csv")
@requires_role("lead", "admin")
def analysis_csv():
    from ..audit.rules import record
    from . import analysis as figures

    body = figures.as_csv(figures.theme_counts())
    record("export", user_id=_me().id, what="theme counts", format="csv")
    db.session.commit()
    return downloads.attachment(body, "text/csv; charset=utf-8", "theme-counts.csv")


@bp.route("/narratives/<int:narrative_id>/anonymised", methods=["GET", "POST"])
@requires_role(*access.EDITORS)
def anonymise(narrative_id: int):
    """Review the machine's redaction, undo or add, then approve a version to share."""
    from . import anonymising

    narrative = access.load(_me(), narrative_id, to_change=True)
    form = ConfirmForm()
    undone = set(request.form.getlist("undo")) if request.method == "POST" else set()
    added_terms = request.form.get("added", "") if request.method == "POST" else ""
    error = None
    if request.method == "POST" and form.validate_on_submit() and request.form.get("approve"):
        try:
            anonymising.approve(narrative, undone=undone, added_terms=added_terms, by=_me())
        except DomainError as refused:
            db.session.rollback()
            error = refused.message
        else:
            db.session.commit()
            flash("Anonymised version approved. The original narrative is unchanged.")
            return redirect(url_for("themes.anonymise", narrative_id=narrative.id))
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
        "themes/anonymise.html",
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


# ---------------------------------------------------------------- drill-down to the quotes


@bp.route("/themes/analysis/<code>/<any(narratives, reflections):source>")
@bp.route("/themes/analysis/<code>/<any(narratives, reflections):source>/<quarter>")
@requires_role("lead", "admin")
def quotes(code: str, source: str, quarter: str | None = None):
    """The records and quotes behind one figure of the analysis (a quarter, or the total)."""
    from . import analysis as figures

    theme = _codebook_theme(code)
    try:
        label = figures.quarter_from_slug(quarter) if quarter else None
    except ValueError:
        abort(404)
    found = figures.supporting_quotes(theme, source, label, viewer=_me())
    detail = {"theme": code, "source": source, "quarter": label or "all"}
    detail |= {"records": found.count, "unredacted": found.unredacted}
    return render_audited(
        "themes/quotes.html",
        AuditEntry("themes.analysis", detail=detail),
        found=found,
        sources=figures.SOURCES,
    )


# ---------------------------------------------------------------- the codebook

CODEBOOK_EDITORS = ("lead", "admin")


def _codebook_theme(code: str):
    theme = codebook.find_theme(code)
    if theme is None:
        abort(404)
    return theme


REFUSED = object()


def _saved(form, change, field: str):
    """Run a codebook rule: commit and return its result, or roll back, put its messages
    on the form (on `field` when it names none of the form's) and return REFUSED."""
    try:
        result = change()
    except ValidationFailed as invalid:
        db.session.rollback()
        for name, message in invalid.errors.items():
            form[name if name in form else field].errors = [message]
        return REFUSED
    except DomainError as refused:
        db.session.rollback()
        form[refused.field if refused.field in form else field].errors = [refused.message]
        return REFUSED
    db.session.commit()
    return result


def _form_page(template: str, form, **context):
    return render_template(template, form=form, **context), 400 if form.errors else 200


@bp.route("/themes/codebook")
@requires_role(*CODEBOOK_EDITORS)
def codebook_page():
    return render_template("themes/codebook.html", groups=codebook.overview())


@bp.route("/themes/codebook/groups/<group_code>/themes/new", methods=["GET", "POST"])
@requires_role(*CODEBOOK_EDITORS)
def add_theme(group_code: str):
    group = codebook.find_group(group_code) or abort(404)
    form = NewThemeForm(data={"code": f"{group.code}."})
    if form.validate_on_submit():
        theme = _saved(
            form,
            lambda: codebook.add_theme(
                group,
                form.code.data,
                form.name.data,
                form.description.data,
                form.patterns.data,
                by=_me(),
            ),
            "code",
        )
        if theme is not REFUSED:
            flash(f"{theme.name} ({theme.code}) added.")
            return redirect(url_for("themes.codebook_page", _anchor=theme.code))
    return _form_page("themes/add_theme.html", form, group=group)


@bp.route("/themes/codebook/themes/<code>/edit", methods=["GET", "POST"])
@requires_role(*CODEBOOK_EDITORS)
def edit_theme(code: str):
    theme = _codebook_theme(code)
    form = ThemeForm(
        data={
            "name": theme.name,
            "description": theme.description,
            "patterns": codebook_format.patterns_as_yaml(theme.patterns or []),
        }
    )
    if form.validate_on_submit():
        changed = _saved(
            form,
            lambda: codebook.update_theme(
                theme, form.name.data, form.description.data, form.patterns.data, by=_me()
            ),
            "name",
        )
        if changed is not REFUSED:
            flash(f"{theme.name} saved." if changed else "Nothing had changed: nothing saved.")
            return redirect(url_for("themes.codebook_page", _anchor=theme.code))
    return _form_page("themes/edit_theme.html", form, theme=theme)


@bp.route("/themes/codebook/themes/<code>/delete", methods=["GET", "POST"])
@requires_role(*CODEBOOK_EDITORS)
def delete_theme(code: str):
    theme = _codebook_theme(code)
    name = f"{theme.name} ({theme.code})"
    form = DeleteThemeForm()
    form.merge_into.choices = [SelectChoice("", "Do not merge: delete it")] + [
        SelectChoice(str(other.id), f"{other.name} ({other.code})")
        for other in codebook.other_themes(theme)
    ]
    if form.validate_on_submit():
        into = _saved(
            form,
            lambda: codebook.delete_or_merge(theme, form.merge_into.data, by=_me()),
            "merge_into",
        )
        if into is not REFUSED:
            flash(
                f"{name} merged into {into.name}: its tags moved." if into else f"{name} deleted."
            )
            return redirect(url_for("themes.codebook_page"))
    return _form_page(
        "themes/delete_theme.html",
        form,
        theme=theme,
        uses=codebook.uses(theme),
        is_shared=codebook.is_shared(theme),
    )


@bp.route("/themes/codebook/import", methods=["GET", "POST"])
@requires_role(*CODEBOOK_EDITORS)
@accepts_uploads
def import_codebook():
    form = ImportCodebookForm()
    problems: list = []
    if form.validate_on_submit():
        try:
            result = codebook.import_codebook_file(form.codebook_file.data.stream, by=_me())
        except codebook_format.CodebookError as refused:
            db.session.rollback()
            problems = refused.problems
            form.codebook_file.errors = ["The file was refused, so nothing was changed"]
        else:
            db.session.commit()
            flash(f"Codebook imported. {result.summary()}")
            return redirect(url_for("themes.codebook_page"))
    return _form_page("themes/import_codebook.html", form, problems=problems)


@bp.route("/themes/codebook.yaml")
@requires_role(*CODEBOOK_EDITORS)
def export_codebook():
    from ..audit.rules import record

    body = codebook.export_codebook()
    record("export", user_id=_me().id, what="theme codebook", format="yaml")
    db.session.commit()
    return downloads.attachment(body, "application/yaml; charset=utf-8", "codebook.yaml")
