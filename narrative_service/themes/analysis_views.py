"""The themes analysis: theme counts across the programme's quarters, by source, and the
quotes behind each figure, redacted for anyone outside the record's case team."""

from __future__ import annotations

from flask import Blueprint, abort, request

from .. import downloads
from ..audit.rules import record
from ..auth.permissions import requires_role
from ..extensions import db
from ..web import AuditEntry, current_person, render_audited
from . import analysis as figures
from . import codebook

bp = Blueprint("analysis", __name__)


@bp.route("/themes/analysis")
@requires_role("lead", "admin")
def index():
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
def csv():
    body = figures.as_csv(figures.theme_counts())
    record("export", user_id=current_person().id, what="theme counts", format="csv")
    db.session.commit()
    return downloads.attachment(body, "text/csv; charset=utf-8", "theme-counts.csv")


# ---------------------------------------------------------------- drill-down to the quotes


@bp.route("/themes/analysis/<code>/<any(narratives, reflections):source>")
@bp.route("/themes/analysis/<code>/<any(narratives, reflections):source>/<quarter>")
@requires_role("lead", "admin")
def quotes(code: str, source: str, quarter: str | None = None):
    """The records and quotes behind one figure of the analysis (a quarter, or the total)."""
    theme = codebook.find_theme(code)
    if theme is None:
        abort(404)
    try:
        label = figures.quarter_from_slug(quarter) if quarter else None
    except ValueError:
        abort(404)
    found = figures.supporting_quotes(theme, source, label, viewer=current_person())
    detail = {"theme": code, "source": source, "quarter": label or "all"}
    detail |= {"records": found.count, "unredacted": found.unredacted}
    return render_audited(
        "themes/quotes.html",
        AuditEntry("themes.analysis", detail=detail),
        found=found,
        sources=figures.SOURCES,
    )
