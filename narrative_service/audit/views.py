"""The audit log: read, filter and export only; nothing here changes an event."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user
from sqlalchemy import select

from .. import downloads
from ..auth.models import User
from ..auth.permissions import requires_role
from ..csv_cells import csv_lines
from ..extensions import db
from ..request_checks import requested_page
from ..web import AuditEntry, render_audited
from . import listing
from .models import AuditEvent
from .rules import ACTIONS, record

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("")
@requires_role("lead", "admin")
def index():
    filters = listing.filtered_events(request.args)
    query = filters.query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    page = db.paginate(query, page=requested_page(), per_page=50, error_out=False)
    people = db.session.scalars(select(User).order_by(User.name)).all()
    return render_audited(
        "audit/index.html",
        AuditEntry("audit.view", detail={"results": page.total}),
        page=page,
        actions=ACTIONS,
        people=people,
        args=request.args,
        export_args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.route("/export.csv")
@requires_role("lead", "admin")
def export_csv():
    """The filtered log for auditors, oldest first, with each event's hash."""
    filters = listing.filtered_events(request.args)
    export = listing.prepare_export(filters)
    record(
        "export",
        user_id=current_user.id,
        what="audit log",
        format="csv",
        rows=export.rows,
        filters=filters.applied,
    )
    db.session.commit()
    lines = csv_lines(listing.export_rows(export))
    return downloads.streamed_attachment(lines, "text/csv; charset=utf-8", "audit-log.csv")
