"""A narrative's themes page: its text with the suggested and accepted themes highlighted,
suggestions to accept or reject, and words tagged by hand (themes.tagging_views, shared with
reflection sessions). Who may read or change it is narratives.access's decision."""

from __future__ import annotations

from flask import flash, url_for

from ..themes import tagging, tagging_views
from . import access

READERS = ("advocate", "facilitator", "lead", "admin")


def _narrative(user, narrative_id: int, to_change: bool):
    """The narrative whose themes are shown (or changed), or None when its content is
    erased; narratives.access decides who may do either."""
    narrative = access.load(user, narrative_id, to_change=to_change)
    if narrative.is_withdrawn:
        flash("Consent for this narrative was withdrawn: its content is erased.", "error")
        return None
    return narrative


def _page(narrative, texts, tags_by_subject) -> dict:
    subject = (tagging.NARRATIVE, narrative.id)
    return {
        "narrative": narrative,
        "pieces": tagging.highlighted(texts[subject], tags_by_subject[subject]),
    }


bp = tagging_views.blueprint(
    tagging_views.TaggingPage(
        name="narrative_themes",
        rule="/narratives/<int:narrative_id>/themes",
        id_arg="narrative_id",
        page_endpoint="for_narrative",
        template="narratives/themes.html",
        readers=READERS,
        editors=access.EDITORS,
        load=_narrative,
        away=lambda narrative_id: url_for("narratives.show", narrative_id=narrative_id),
        subjects=lambda narrative: {
            "narrative": (tagging.NARRATIVE, narrative.id, "The narrative")
        },
        context=_page,
        may_change=access.may_change,
        long_text="This is a long narrative: themes are being suggested in the background.",
    )
)
