"""The audit log: read and filter only; nothing here changes an event."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, request
from sqlalchemy import select

from ..auth.models import User
from ..auth.permissions import requires_role
from ..extensions import db
from ..request_checks import requested_page
from ..web import AuditEntry, render_audited
from .models import AuditEvent
from .rules import ACTIONS

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@bp.route("")
@requires_role("lead", "admin")
def index():
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    action = request.args.get("action", "")
    if action in ACTIONS:
        query = query.where(AuditEvent.action == action)
    user_id = request.args.get("user", "")
    if user_id.isdigit():
        query = query.where(AuditEvent.user_id == int(user_id))
    object_type = request.args.get("object_type", "")
    if object_type:
        query = query.where(AuditEvent.object_type == object_type[:40])
    object_id = request.args.get("object_id", "")
    if object_id.isdigit():
        query = query.where(AuditEvent.object_id == int(object_id))
    since, until = _parse_day(request.args.get("from", "")), _parse_day(request.args.get("to", ""))
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min))
    if until:
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min))
    page = db.paginate(query, page=requested_page(), per_page=50, error_out=False)
    people = db.session.scalars(select(User).order_by(User.name)).all()
    return render_audited(
        "audit/index.html",
        AuditEntry("audit.view", detail={"results": page.total}),
        page=page,
        actions=ACTIONS,
        people=people,
        args=request.args,
    )
