"""Reviewing a record's themes: a theme's suggestions together, and accepted tags removed or
given another theme, each with who decided and when."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from narrative_service.audit.models import AuditEvent
from narrative_service.errors import DomainError
from narrative_service.extensions import db
from narrative_service.themes import tagging
from narrative_service.themes.codebook import load_default_if_empty
from narrative_service.themes.models import Theme, ThemeTag
from tests.factories import make_narrative

STORY = (
    "Nobody told me what was happening. Nobody explained the meeting. Nobody said who rang. "
    "Nobody wrote to me. Nobody told my son. They never listened to me. I felt safe at last."
)


def theme(code: str) -> Theme:
    return db.session.scalars(select(Theme).where(Theme.code == code)).one()


def suggestion(narrative, of: Theme, words: str, score: float = 0.5) -> ThemeTag:
    start = narrative.body.index(words)
    made = ThemeTag(
        theme_id=of.id,
        subject_type="narrative",
        subject_id=narrative.id,
        start_char=start,
        end_char=start + len(words),
        quote=words,
        origin="suggested",
        status="suggested",
        score=score,
    )
    db.session.add(made)
    return made


@pytest.fixture
def narrative(app, users):
    load_default_if_empty()
    made = make_narrative(users["advocate"], body=STORY)
    informed = theme("experience.information")
    for n, words in enumerate(
        [
            "Nobody told me what was happening.",
            "Nobody explained the meeting.",
            "Nobody said who rang.",
            "Nobody wrote to me.",
            "Nobody told my son.",
        ]
    ):
        suggestion(made, informed, words, score=0.9 - n / 10)
    suggestion(made, theme("experience.listened_to"), "They never listened to me.")
    db.session.commit()
    return made


def page_of(client, narrative) -> str:
    return client.get(f"/narratives/{narrative.id}/themes").get_data(as_text=True)


def test_suggestions_come_one_row_per_theme_with_the_strongest_three_first(narrative, client_as):
    page = page_of(client_as("advocate"), narrative)

    group = re.search(
        r'id="suggested-experience.information">(.*?)</li>\s*<li class="app-sug', page, re.S
    )
    assert group, page
    text = group.group(1)
    assert "5 places" in text and "Accept all 5" in text and "Reject all 5" in text
    assert "See the other 2 places" in text
    assert "Nobody told me what was happening." in text  # the strongest three
    assert "Nobody wrote to me." not in text and "Nobody told my son." not in text
    # The theme with most places comes first.
    assert page.index("suggested-experience.information") < page.index(
        "suggested-experience.listened_to"
    )


def test_a_theme_s_suggestions_are_accepted_together_and_recorded_once(narrative, users, client_as):
    informed = theme("experience.information")
    advocate = client_as("advocate")

    done = advocate.post(
        f"/narratives/{narrative.id}/themes/themes/{informed.id}/accept-all",
        follow_redirects=True,
    )

    assert "5 suggestions accepted." in done.get_data(as_text=True)
    statuses = {
        t.quote: (t.status, t.decided_by_id) for t in tagging.tags_for("narrative", narrative.id)
    }
    assert statuses["Nobody wrote to me."] == ("accepted", users["advocate"].id)
    assert statuses["They never listened to me."] == ("suggested", None)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "themes.decide_all")
    ).all()
    assert len(events) == 1
    again = advocate.post(
        f"/narratives/{narrative.id}/themes/themes/{informed.id}/reject-all",
        follow_redirects=True,
    )
    assert "No suggestions of Being told what is happening are waiting." in again.get_data(
        as_text=True
    )


def test_a_theme_s_suggestions_are_rejected_together(narrative, client_as):
    listened = theme("experience.listened_to")

    client_as("advocate").post(f"/narratives/{narrative.id}/themes/themes/{listened.id}/reject-all")

    rejected = [t for t in tagging.tags_for("narrative", narrative.id) if t.status == "rejected"]
    assert [t.quote for t in rejected] == ["They never listened to me."]


def test_an_accepted_tag_is_removed_or_given_another_theme_with_who_and_when(
    narrative, users, client_as
):
    informed, listened = theme("experience.information"), theme("experience.listened_to")
    first, second = [
        t for t in tagging.tags_for("narrative", narrative.id) if t.theme_id == informed.id
    ][:2]
    tagging.decide(first, "accepted", by=users["advocate"])
    tagging.decide(second, "accepted", by=users["advocate"])
    db.session.commit()
    lead = client_as("lead")

    removed = lead.post(
        f"/narratives/{narrative.id}/themes/tags/{first.id}/remove", follow_redirects=True
    )
    recoded = lead.post(
        f"/narratives/{narrative.id}/themes/tags/{second.id}/recode",
        data={"theme_id": str(listened.id)},
        follow_redirects=True,
    )

    assert "Being told what is happening removed from" in removed.get_data(as_text=True)
    assert "moved from Being told what is happening to Being listened to" in recoded.get_data(
        as_text=True
    )
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.status, first.decided_by_id) == ("rejected", users["lead"].id)
    assert (second.status, second.theme_id, second.decided_by_id) == (
        "accepted",
        listened.id,
        users["lead"].id,
    )
    page = page_of(lead, narrative)
    accepted = page.split('id="accepted"')[1].split("</ul>")[0]
    assert users["lead"].name in accepted, accepted
    assert "Being listened to" in accepted
    actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {"themes.remove", "themes.recode"} <= actions


@pytest.mark.parametrize(
    ("change", "data", "message"),
    [
        ("recode", {}, "Choose a theme from the codebook."),
        ("recode", {"theme_id": "same"}, "These words already have the theme"),
    ],
)
def test_a_change_that_cannot_be_made_says_why(narrative, users, client_as, change, data, message):
    informed = theme("experience.information")
    tag = next(t for t in tagging.tags_for("narrative", narrative.id) if t.theme_id == informed.id)
    tagging.decide(tag, "accepted", by=users["advocate"])
    db.session.commit()
    if data.get("theme_id") == "same":
        data = {"theme_id": str(informed.id)}

    response = client_as("advocate").post(
        f"/narratives/{narrative.id}/themes/tags/{tag.id}/{change}",
        data=data,
        follow_redirects=True,
    )

    assert message in response.get_data(as_text=True)
    db.session.refresh(tag)
    assert (tag.status, tag.theme_id) == ("accepted", informed.id)


def test_a_suggestion_is_not_removed_it_is_rejected(narrative, client_as):
    tag = tagging.tags_for("narrative", narrative.id)[0]

    response = client_as("advocate").post(
        f"/narratives/{narrative.id}/themes/tags/{tag.id}/remove", follow_redirects=True
    )

    assert "Only an accepted tag can be removed" in response.get_data(as_text=True)


def test_recoding_onto_words_that_already_have_the_theme_makes_one_tag(narrative, users):
    informed, listened = theme("experience.information"), theme("experience.listened_to")
    tag = next(t for t in tagging.tags_for("narrative", narrative.id) if t.theme_id == informed.id)
    twin = suggestion(narrative, listened, tag.quote)
    tagging.decide(tag, "accepted", by=users["advocate"])
    db.session.flush()

    kept = tagging.recode(tag, listened.id, by=users["lead"])

    assert kept is twin and (twin.status, twin.decided_by_id) == ("accepted", users["lead"].id)
    assert tag.status == "rejected"


@pytest.mark.parametrize("role", ["facilitator", "board"])
def test_only_those_who_may_change_the_narrative_review_its_themes(narrative, client_as, role):
    informed = theme("experience.information")
    response = client_as(role).post(
        f"/narratives/{narrative.id}/themes/themes/{informed.id}/accept-all"
    )
    assert response.status_code in (403, 404)
    assert all(t.status == "suggested" for t in tagging.tags_for("narrative", narrative.id))


def test_a_theme_with_many_places_shows_three_and_pages_through_the_rest(app, users, client_as):
    load_default_if_empty()
    sentences = [f"Nobody told me about visit {n}." for n in range(60)]
    narrative = make_narrative(users["advocate"], body=" ".join(sentences))
    informed = theme("experience.information")
    for n, words in enumerate(sentences):
        suggestion(narrative, informed, words, score=1 - n / 100)
    db.session.commit()
    advocate = client_as("advocate")

    page = page_of(advocate, narrative)

    assert "See the other 57 places for Being told what is happening" in page
    assert "visit 2." in page and "visit 3." not in page.split('id="suggested"')[1]
    first = advocate.get(f"/narratives/{narrative.id}/themes/themes/{informed.id}/suggestions")
    text = first.get_data(as_text=True)
    assert first.status_code == 200 and "60 suggestions waiting" in text
    assert "visit 49." in text and "visit 50." not in text and "Page 1 of 2" in text
    second_url = f"/narratives/{narrative.id}/themes/themes/{informed.id}/suggestions?page=2"
    second = advocate.get(second_url).get_data(as_text=True)
    assert "visit 59." in second and "visit 49." not in second

    last = next(t for t in tagging.tags_for("narrative", narrative.id) if "visit 59" in t.quote)
    decided = advocate.post(
        f"/narratives/{narrative.id}/themes/tags/{last.id}/accept", data={"back": second_url}
    )
    assert decided.headers["Location"].endswith(second_url)
    away = advocate.post(
        f"/narratives/{narrative.id}/themes/tags/{last.id}/reject",
        data={"back": "https://elsewhere.example/"},
    )
    assert away.headers["Location"].endswith(f"/narratives/{narrative.id}/themes#suggested")


def test_another_theme_is_chosen_on_a_page_of_its_own(narrative, users, client_as):
    informed = theme("experience.information")
    tag = next(t for t in tagging.tags_for("narrative", narrative.id) if t.theme_id == informed.id)
    tagging.decide(tag, "accepted", by=users["advocate"])
    db.session.commit()
    advocate = client_as("advocate")
    themes_page = page_of(advocate, narrative)
    # The record's page links to it, without carrying the codebook once per tag.
    assert f"/themes/tags/{tag.id}/recode" in themes_page
    assert themes_page.count("<option") == len(tagging.theme_choices())  # tag-by-hand's only

    chooser = advocate.get(f"/narratives/{narrative.id}/themes/tags/{tag.id}/recode")

    text = chooser.get_data(as_text=True)
    assert chooser.status_code == 200 and tag.quote in text
    assert f'<option value="{informed.id}">' not in text  # not the theme it has
    assert "Being listened to" in text


def test_a_learning_point_s_themes_are_changed_on_the_point_not_here(app, users):
    from narrative_service.reflection import rules as reflection
    from tests.factories import make_session

    load_default_if_empty()
    narrative = make_narrative(users["advocate"], body=STORY, status="complete")
    session = make_session(users["facilitator"], [narrative], by=users["lead"])
    attendee = reflection.add_attendee(session, by=users["lead"], name="Sam")
    reflection.mark_heard(session, {attendee.id: "played"}, by=users["lead"])
    point = reflection.add_learning_point(session, text="Explain letters.", by=users["lead"])
    tag = ThemeTag(
        theme_id=theme("experience.information").id,
        subject_type=tagging.LEARNING_POINT,
        subject_id=point.id,
        start_char=0,
        end_char=7,
        quote="Explain",
        status="accepted",
    )
    db.session.add(tag)
    db.session.commit()

    assert tagging.LEARNING_POINT in tagging.kept_by_record()
    for change in (
        lambda: tagging.remove_accepted(tag, by=users["lead"]),
        lambda: tagging.recode(tag, theme("experience.listened_to").id, by=users["lead"]),
    ):
        with pytest.raises(DomainError, match="change them where it is edited"):
            change()
    assert (tag.status, tag.theme.code) == ("accepted", "experience.information")
