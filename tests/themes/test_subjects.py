"""The records themes are suggested for: narratives, reflective records, learning points."""

from __future__ import annotations

from narrative_service.extensions import db
from narrative_service.reflection import rules as reflection
from narrative_service.reflection import tagged
from narrative_service.themes import tagging
from narrative_service.themes.codebook import load_default_if_empty
from tests.factories import make_narrative, make_session


def heard_session(users):
    narrative = make_narrative(users["advocate"], status="complete")
    session = make_session(users["facilitator"], [narrative], by=users["lead"])
    attendee = reflection.add_attendee(session, by=users["lead"], name="Sam Okoro")
    reflection.mark_heard(session, {attendee.id: "played"}, by=users["lead"])
    db.session.commit()
    return session


def test_a_reflective_record_is_its_notes_then_each_prompt_answered(app, users):
    session = heard_session(users)
    reflection.save_record(
        session,
        "We never asked her.",
        {"think_family": "Her grandson was not heard.", "choice": "She had none."},
        based_on_version=0,
        by=users["lead"],
    )
    sections = tagged.record_sections(session)
    assert [text for _heading, text in sections] == [
        "We never asked her.",
        "She had none.",
        "Her grandson was not heard.",
    ]
    assert sections[0][0] == "Notes" and sections[1][0].startswith("Choice")
    assert tagging.subject_text(tagging.REFLECTION_RECORD, session.id) == (
        "We never asked her.\n\nShe had none.\n\nHer grandson was not heard."
    )


def test_there_is_nothing_to_tag_for_a_withdrawn_narrative_or_a_removed_record(app, users):
    withdrawn = make_narrative(users["advocate"], status="withdrawn")
    assert tagging.subject_text(tagging.NARRATIVE, withdrawn.id) is None
    assert tagging.subject_text(tagging.LEARNING_POINT, 999) is None
    assert tagging.subject_text(tagging.REFLECTION_RECORD, 999) is None


def test_the_worker_job_suggests_for_a_learning_point(app, users):
    from narrative_service.themes.tasks import suggest_for_subject

    load_default_if_empty()
    session = heard_session(users)
    point = reflection.add_learning_point(
        session, text="Nobody told her what was happening.", by=users["lead"]
    )
    db.session.commit()
    suggest_for_subject(tagging.LEARNING_POINT, point.id)  # the queue runs jobs at once in tests
    codes = {t.theme.code for t in tagging.tags_for(tagging.LEARNING_POINT, point.id)}
    assert "experience.information" in codes
    assert point.themes == [], "a suggestion is not a theme of the point until accepted"


def test_highlighting_headed_sections_keeps_each_tag_in_its_section():
    class Tag:
        def __init__(self, id, start, end, quote, status):
            self.id, self.start_char, self.end_char = id, start, end
            self.quote, self.status = quote, status

    sections = [("Notes", "Nobody told me."), ("Risk", "Risk was shared.")]
    # "Risk was" starts after the notes (15 characters) and the section break (2).
    drawn = tagging.highlighted_sections(
        sections,
        [Tag(1, 0, 11, "Nobody told", "suggested"), Tag(2, 17, 21, "Risk", "accepted")],
    )
    assert [(heading, [(p.text, p.statuses) for p in pieces]) for heading, pieces in drawn] == [
        ("Notes", [("Nobody told", ("suggested",)), (" me.", ())]),
        ("Risk", [("Risk", ("accepted",)), (" was shared.", ())]),
    ]
