"""Training needs as users of the codebook's themes: themes.codebook counts and moves them
through what this module registers, without knowing the milestones feature."""

from __future__ import annotations

from sqlalchemy import func, select, update

from ..extensions import db
from ..themes import codebook
from ..themes.models import Theme
from .models import TrainingNeed


def _training_needs_by_theme() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(TrainingNeed.theme_id, func.count())
            .where(TrainingNeed.theme_id.is_not(None))
            .group_by(TrainingNeed.theme_id)
        ).all()
    )


def _move_training_needs(source: Theme, into: Theme) -> int:
    return db.session.execute(
        update(TrainingNeed).where(TrainingNeed.theme_id == source.id).values(theme_id=into.id)
    ).rowcount


def init_app() -> None:
    codebook.register_theme_user(
        codebook.ThemeUser("training need", _training_needs_by_theme, _move_training_needs)
    )
