"""Consent withdrawn: a narrative's theme tags and their quotes.

They are copies of the person's words: every tag on the narrative, suggested, accepted or
rejected, is deleted, so the codebook's and the analysis's counts go down with them. Tags
on a session's record or learning points are the staff's words and are not touched.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from .. import erasure
from ..extensions import db
from .models import ThemeTag

NARRATIVE = "narrative"

HOLDING = erasure.Holding(
    feature="themes",
    erased={
        "theme_tags": ("subject_type", "quote", "origin", "status"),
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
    }
    if not dry_run:
        db.session.execute(
            delete(ThemeTag)
            .where(ThemeTag.subject_type == NARRATIVE, ThemeTag.subject_id == narrative.id)
            .execution_options(synchronize_session=False)
        )
    return counts


def init_app() -> None:
    erasure.register(HOLDING, erase_tags_and_versions)
