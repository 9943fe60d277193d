"""Theme pages for a reflection session: its reflective record and its learning points, with
suggested and accepted themes highlighted, tagged by the same views and rules as a narrative
(themes.tagging_views). Only those who may change the session tag it."""

from __future__ import annotations

from flask import url_for
from wtforms import SelectField

from ..themes import tagging, tagging_views
from ..themes.forms import ManualTagForm
from . import access as reflection_access
from . import tagged
from .models import ReflectionSession

TAGGERS = reflection_access.ORGANISING_ROLES
RECORD = "record"


class SessionTagForm(ManualTagForm):
    subject = SelectField("Where the words are", validate_choice=False)


def _subjects(session: ReflectionSession) -> tagging_views.Subjects:
    """What on this page can be tagged: form value -> (subject type, id, name for people)."""
    subjects = {RECORD: (tagging.REFLECTION_RECORD, session.id, "The reflective record")}
    for number, point in enumerate(session.learning_points, start=1):
        subjects[f"learning-point-{point.id}"] = (
            tagging.LEARNING_POINT,
            point.id,
            f"Learning point {number}",
        )
    return subjects


def _page(session: ReflectionSession, texts, tags_by_subject) -> dict:
    record_tags = tags_by_subject[(tagging.REFLECTION_RECORD, session.id)]
    return {
        "session": session,
        "sections": tagging.highlighted_sections(tagged.record_sections(session), record_tags),
        "points": [
            (
                point,
                tagging.highlighted(
                    point.text, tags_by_subject[(tagging.LEARNING_POINT, point.id)]
                ),
            )
            for point in session.learning_points
        ],
    }


bp = tagging_views.blueprint(
    tagging_views.TaggingPage(
        name="reflection_themes",
        url_prefix="/reflection-sessions",
        rule="/<int:session_id>/themes",
        id_arg="session_id",
        page_endpoint="for_session",
        template="reflection/themes.html",
        readers=TAGGERS,
        editors=TAGGERS,
        # The page itself is for those who may change the session: it offers nothing else.
        load=lambda user, session_id, _to_change: reflection_access.load_for(
            user, session_id, to_change=True
        ),
        away=lambda session_id: url_for("reflection.show", session_id=session_id),
        subjects=_subjects,
        context=_page,
        may_change=reflection_access.can_change,
        form_class=SessionTagForm,
        long_text="The record is long: its themes are being suggested in the background.",
    )
)
