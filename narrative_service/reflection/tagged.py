"""A reflection session's record and its learning points as records that themes are tagged
on, and learning points as users of the codebook's themes: themes.tagging and
themes.codebook know them only through what this module registers."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..themes import codebook, tagging
from ..themes.models import Theme
from .models import LearningPoint, ReflectionSession, learning_point_themes
from .rules import PROMPTS


def record_sections(session: ReflectionSession) -> list[tuple[str, str]]:
    """A session's current record as (heading, text): the notes (where accepted transcripts
    also go), then each prompt answered. The headings are not tagged: the prompts' own words
    (risk, capacity, Think Family) would be suggested on every record."""
    answers = session.prompts or {}
    sections = [("Notes", (session.notes or "").strip())]
    sections += [(label, (answers.get(key) or "").strip()) for key, label in PROMPTS.items()]
    return [(heading, text) for heading, text in sections if text]


def record_text(session: ReflectionSession) -> str:
    """What is tagged for a session: its record's sections, one after another."""
    return tagging.joined([text for _heading, text in record_sections(session)])


def _session(session_id: int, lock: bool = False) -> ReflectionSession | None:
    return db.session.get(ReflectionSession, session_id, **tagging.load_options(lock))


def _learning_point(point_id: int, lock: bool = False) -> LearningPoint | None:
    return db.session.get(LearningPoint, point_id, **tagging.load_options(lock))


def _theme_joins_the_point(point: LearningPoint, theme: Theme) -> None:
    """An accepted theme on a learning point joins the point's themes, which the milestone
    checklist and the analysis read, so the two never disagree."""
    if theme not in point.themes:
        point.themes.append(theme)


def init_app() -> None:
    tagging.register_subject(tagging.REFLECTION_RECORD, tagging.SubjectKind(_session, record_text))
    tagging.register_subject(
        tagging.LEARNING_POINT,
        tagging.SubjectKind(_learning_point, lambda point: point.text, _theme_joins_the_point),
    )
    codebook.register_theme_user(
        codebook.ThemeUser("learning point", _learning_points_by_theme, _move_learning_points)
    )


def _learning_points_by_theme() -> dict[int, int]:
    links = learning_point_themes
    return dict(
        db.session.execute(select(links.c.theme_id, func.count()).group_by(links.c.theme_id)).all()
    )


def _move_learning_points(source: Theme, into: Theme) -> int:
    """Learning points of `source` take `into` instead (a point that had both keeps one)."""
    links = learning_point_themes
    has_into = select(links.c.learning_point_id).where(links.c.theme_id == into.id)
    moved = db.session.execute(
        update(links)
        .where(links.c.theme_id == source.id, links.c.learning_point_id.not_in(has_into))
        .values(theme_id=into.id)
    ).rowcount
    db.session.execute(delete(links).where(links.c.theme_id == source.id))
    return moved
