"""Tagging a narrative: suggestions accepted or rejected, never suggested again, tags by hand."""

from __future__ import annotations

from sqlalchemy import select

from narrative_service.extensions import db
from narrative_service.narratives.turns import narrative_text
from narrative_service.themes import tagging
from narrative_service.themes.codebook import load_default_if_empty
from narrative_service.themes.models import ThemeTag
from tests.factories import make_narrative, withdraw

STORY = "Nobody told me what was happening. They never listened to me. I felt safe at last."


def tags():
    return db.session.scalars(select(ThemeTag).order_by(ThemeTag.id)).all()


def test_suggest_accept_reject_and_never_suggest_a_rejection_again(app, users, client_as):
    load_default_if_empty()
    narrative = make_narrative(users["advocate"], body=STORY)
    advocate = client_as("advocate")
    assert advocate.post(f"/narratives/{narrative.id}/themes/suggest").status_code == 302
    suggested = {t.theme.code: t for t in tags()}
    assert {"experience.information", "experience.listened_to", "experience.feeling_safe"} <= set(
        suggested
    )
    page = advocate.get(f"/narratives/{narrative.id}/themes").get_data(as_text=True)
    assert '<mark class="app-mark app-mark--suggested">Nobody told me</mark>' in page

    listened = suggested["experience.listened_to"]
    safe = suggested["experience.feeling_safe"]
    base = f"/narratives/{narrative.id}/themes/tags"
    assert advocate.post(f"{base}/{listened.id}/accept").status_code == 302
    assert advocate.post(f"{base}/{safe.id}/reject").status_code == 302
    db.session.refresh(listened)
    db.session.refresh(safe)
    assert (listened.status, safe.status) == ("accepted", "rejected")
    assert listened.decided_by_id == users["advocate"].id and listened.decided_at

    advocate.post(f"/narratives/{narrative.id}/themes/suggest")  # run again
    again = [(t.theme.code, t.status) for t in tags() if t.quote == "safe"]
    assert again == [("experience.feeling_safe", "rejected")], "a rejection is never re-suggested"
    assert len([t for t in tags() if t.theme.code == "experience.listened_to"]) == 1


def test_tagging_words_by_hand(app, users, client_as):
    load_default_if_empty()
    narrative = make_narrative(users["advocate"], body=STORY)
    advocate = client_as("advocate")
    from narrative_service.themes.models import Theme

    trust = db.session.scalars(select(Theme).where(Theme.code == "experience.trust")).one()
    url = f"/narratives/{narrative.id}/themes/tags"
    missing = advocate.post(url, data={"quote": "words not there", "theme_id": str(trust.id)})
    assert missing.status_code == 400
    assert "Those words are not in the text as written" in missing.get_data(as_text=True)
    no_theme = advocate.post(url, data={"quote": "felt safe", "theme_id": ""})
    assert "Choose a theme from the codebook." in no_theme.get_data(as_text=True)
    assert (
        advocate.post(url, data={"quote": "felt safe", "theme_id": str(trust.id)}).status_code
        == 302
    )
    (tag,) = tags()
    assert (tag.origin, tag.status, tag.quote) == ("manual", "accepted", "felt safe")
    assert STORY[tag.start_char : tag.end_char] == "felt safe"


def test_a_withdrawn_narrative_has_nothing_to_tag(app, users, client_as):
    narrative = make_narrative(users["advocate"], status="withdrawn")
    response = client_as("advocate").get(f"/narratives/{narrative.id}/themes")
    assert response.status_code == 302


def test_the_worker_job_suggests_for_a_narrative(app, users):
    load_default_if_empty()
    narrative = make_narrative(users["advocate"], body=STORY)
    from narrative_service.themes.tasks import suggest_for_narrative

    suggest_for_narrative(narrative.id)  # the queue runs jobs at once in tests
    assert {t.theme.code for t in tags()} >= {"experience.information"}


def test_suggestions_finished_after_a_withdrawal_are_not_kept(app, users):
    """The worker read the text, then consent was withdrawn while it worked it out."""
    load_default_if_empty()
    narrative = make_narrative(users["advocate"], body=STORY)
    text = narrative_text(narrative)
    withdraw(narrative, by=users["advocate"])
    db.session.commit()
    result = tagging.run_suggestions(tagging.NARRATIVE, narrative.id, text)
    db.session.commit()
    assert result.added == 0 and "nothing was kept" in result.message
    assert tags() == []


def test_highlighting_cuts_the_text_at_each_tag():
    class Tag:
        def __init__(self, id, start, end, quote, status):
            self.id, self.start_char, self.end_char = id, start, end
            self.quote, self.status = quote, status

    text = "Nobody told me anything."
    pieces = tagging.highlighted(text, [Tag(1, 0, 14, "Nobody told me", "suggested")])
    assert [(p.text, p.tag_ids) for p in pieces] == [("Nobody told me", (1,)), (" anything.", ())]
    stale = tagging.highlighted(text, [Tag(2, 0, 5, "Other", "accepted")])
    assert [p.text for p in stale] == [text], "a tag whose words changed is not drawn"


def test_leads_see_theme_counts_by_quarter_as_a_table_and_csv(app, users, client_as, monkeypatch):
    from datetime import date

    from narrative_service.themes import analysis

    monkeypatch.setattr(analysis, "today", lambda: date(2026, 2, 1))  # 2025/26 Q4

    from narrative_service.reflection import rules as reflection
    from tests.factories import make_session

    load_default_if_empty()
    q1 = make_narrative(users["advocate"], body=STORY, status="complete")
    q2 = make_narrative(
        users["advocate"], body=STORY, captured_from=date(2025, 8, 1), consent_date=date(2025, 8, 1)
    )
    for narrative in (q1, q2):
        tagging.run_suggestions("narrative", narrative.id, STORY)
    for tag in tags():
        if tag.theme.code == "experience.information":
            tagging.decide(tag, "accepted", by=users["lead"])
    session = make_session(users["facilitator"], [q1], by=users["lead"])
    attendee = reflection.add_attendee(session, by=users["lead"], name="Sam")
    reflection.mark_heard(session, {attendee.id: "played"}, by=users["lead"])
    from narrative_service.themes.models import Theme

    info = db.session.scalars(select(Theme).where(Theme.code == "experience.information")).one()
    reflection.add_learning_point(session, text="Explain.", theme_ids=[info.id], by=users["lead"])
    db.session.commit()

    lead = client_as("lead")
    page = lead.get("/themes/analysis").get_data(as_text=True)
    assert "Being told what is happening" in page and "2025/26 Q1" in page and "2025/26 Q2" in page
    csv_text = lead.get("/themes/analysis.csv").get_data(as_text=True)
    quarters = "2025/26 Q1,2025/26 Q2,2025/26 Q3,2025/26 Q4"
    assert csv_text.splitlines()[0] == f"theme_code,theme,source,{quarters},total"
    assert "experience.information,Being told what is happening,narratives,1,1,0,0,2" in csv_text
    assert "experience.information,Being told what is happening,reflections,0,1,0,0,1" in csv_text
    phrases = lead.get("/themes/analysis?phrases=1").get_data(as_text=True)
    assert "Key phrases per quarter" in phrases
