"""A narrative as a record that themes are tagged on: themes.tagging knows it only through
what this module registers."""

from __future__ import annotations

from ..extensions import db
from ..themes import tagging
from . import access
from .models import Narrative
from .turns import narrative_text


def load(narrative_id: int, lock: bool = False) -> Narrative | None:
    narrative = db.session.get(Narrative, narrative_id, **tagging.load_options(lock))
    return narrative if access.may_be_processed(narrative) else None


def init_app() -> None:
    tagging.register_subject(tagging.NARRATIVE, tagging.SubjectKind(load, narrative_text))
