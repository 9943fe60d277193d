"""Consent withdrawn: a narrative's theme tags (their quotes) and its anonymised versions.

Both are copies of the person's words: every tag on the narrative, suggested, accepted or
rejected, and every anonymised version, draft or approved, is deleted, so the codebook's
and the analysis's counts go down with them. Tags on a session's record or learning
points are the staff's words and are not touched.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from .. import erasure
from ..extensions import db
from .models import AnonymisedVersion, ThemeTag

NARRATIVE = "narrative"

HOLDING = erasure.Holding(
    feature="themes",
    erased={
        "theme_tags": ("subject_type", "quote", "origin", "status"),
        "anonymised_versions": ("subject_type", "text", "replacements", "source_sha256"),
    },
)


def _count(model, narrative_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(model)
        .where(model.subject_type == NARRATIVE, model.subject_id == narrative_id)
    )


def erase_tags_and_versions(narrative, *, dry_run: bool = False) -> erasure.Counts:
    counts = {
        "theme tags and suggestions, with their quotes": _count(ThemeTag, narrative.id),
        "anonymised versions": _count(AnonymisedVersion, narrative.id),
    }
    if not dry_run:
        for model in (ThemeTag, AnonymisedVersion):
            db.session.execute(
                delete(model)
                .where(model.subject_type == NARRATIVE, model.subject_id == narrative.id)
                .execution_options(synchronize_session=False)
            )
    return counts


def init_app() -> None:
    erasure.register(HOLDING, erase_tags_and_versions)
