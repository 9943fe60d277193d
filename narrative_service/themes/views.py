"""Theme pages for leads: the analysis across quarters with the quotes behind each figure,
and the codebook's screens. (A narrative's own themes page is narratives/theme_views.py; a
session's, reflection/theme_views.py.)"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from wtforms.fields.choices import SelectChoice

from .. import downloads
from ..audit.rules import record
from ..auth.permissions import requires_role
from ..extensions import db
from ..request_checks import accepts_uploads
from ..web import current_person, form_page, submit_form
from . import codebook, codebook_format
from .forms import DeleteThemeForm, ImportCodebookForm, NewThemeForm, ThemeForm

bp = Blueprint("themes", __name__)


# ---------------------------------------------------------------- the codebook

CODEBOOK_EDITORS = ("lead", "admin")


def _codebook_theme(code: str):
    theme = codebook.find_theme(code)
    if theme is None:
        abort(404)
    return theme


@bp.route("/themes/codebook")
@requires_role(*CODEBOOK_EDITORS)
def codebook_page():
    return render_template("themes/codebook.html", groups=codebook.overview())


@bp.route("/themes/codebook/groups/<group_code>/themes/new", methods=["GET", "POST"])
@requires_role(*CODEBOOK_EDITORS)
def add_theme(group_code: str):
    group = codebook.find_group(group_code) or abort(404)
    form = NewThemeForm(data={"code": f"{group.code}."})
    done = submit_form(
        form,
        lambda: codebook.add_theme(
            group,
            form.code.data,
            form.name.data,
            form.description.data,
            form.patterns.data,
            by=current_person(),
        ),
        lambda theme: f"{theme.name} ({theme.code}) added.",
        lambda theme: url_for("themes.codebook_page", _anchor=theme.code),
        field="code",
    )
    return done or form_page("themes/add_theme.html", form=form, group=group)


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
    done = submit_form(
        form,
        lambda: codebook.update_theme(
            theme,
            form.name.data,
            form.description.data,
            form.patterns.data,
            by=current_person(),
        ),
        lambda changed: (
            f"{theme.name} saved." if changed else "Nothing had changed: nothing saved."
        ),
        url_for("themes.codebook_page", _anchor=theme.code),
        field="name",
    )
    return done or form_page("themes/edit_theme.html", form=form, theme=theme)


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
    done = submit_form(
        form,
        lambda: codebook.delete_or_merge(theme, form.merge_into.data, by=current_person()),
        lambda into: (
            f"{name} merged into {into.name}: its tags moved." if into else f"{name} deleted."
        ),
        url_for("themes.codebook_page"),
        field="merge_into",
    )
    return done or form_page(
        "themes/delete_theme.html",
        form=form,
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
            result = codebook.import_codebook_file(
                form.codebook_file.data.stream, by=current_person()
            )
        except codebook_format.CodebookError as refused:
            db.session.rollback()
            problems = refused.problems
            form.codebook_file.errors = ["The file was refused, so nothing was changed"]
        else:
            db.session.commit()
            flash(f"Codebook imported. {result.summary()}")
            return redirect(url_for("themes.codebook_page"))
    return form_page("themes/import_codebook.html", form=form, problems=problems)


@bp.route("/themes/codebook.yaml")
@requires_role(*CODEBOOK_EDITORS)
def export_codebook():
    body = codebook.export_codebook()
    record("export", user_id=current_person().id, what="theme codebook", format="yaml")
    db.session.commit()
    return downloads.attachment(body, "application/yaml; charset=utf-8", "codebook.yaml")
