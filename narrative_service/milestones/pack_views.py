"""The evidence pack for a quarter, as PDF or Word, for the lead to send to the commissioner."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from .. import downloads
from ..audit.rules import record
from ..auth.permissions import requires_role
from ..extensions import db
from ..web import get_or_404
from . import evidence_pack
from .models import Milestone

bp = Blueprint("evidence_pack", __name__)

# The pack leaves the organisation: those who answer for it to the commissioner.
PACK_ROLES = ("lead", "admin")


def _download(milestone_id: int, file_format: str):
    milestone = get_or_404(Milestone, milestone_id)
    pack = evidence_pack.gather(milestone)
    body = evidence_pack.render(pack, file_format)
    record(
        "export",
        user_id=current_user.id,
        subject=milestone,
        what="evidence pack",
        format=file_format,
    )
    db.session.commit()
    return downloads.attachment(
        body, evidence_pack.FORMATS[file_format], evidence_pack.file_name(pack, file_format)
    )


@bp.route("/milestones/<int:milestone_id>/evidence-pack.pdf")
@requires_role(*PACK_ROLES)
def pdf(milestone_id: int):
    return _download(milestone_id, "pdf")


@bp.route("/milestones/<int:milestone_id>/evidence-pack.docx")
@requires_role(*PACK_ROLES)
def docx(milestone_id: int):
    return _download(milestone_id, "docx")
