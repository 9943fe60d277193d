"""Background jobs for themes: suggestions for long texts, and after a transcript joins."""

from __future__ import annotations

from ..jobs import app_context, huey


@huey.task()
def suggest_for_narrative(narrative_id: int) -> int:
    from ..extensions import db
    from ..narratives.models import Narrative
    from . import tagging

    with app_context():
        narrative = db.session.get(Narrative, narrative_id)
        if narrative is None or narrative.is_withdrawn:
            return 0
        result = tagging.run_suggestions(
            "narrative", narrative.id, tagging.narrative_text(narrative)
        )
        db.session.commit()
        return result.added
