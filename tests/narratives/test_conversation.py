"""The conversation view: typed turns, sent once however often, changed with history kept."""

from __future__ import annotations

import logging

from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from narrative_service.audit.models import AuditEvent
from narrative_service.extensions import db
from narrative_service.narratives import rules, turns
from narrative_service.narratives.models import NarrativeTurn
from tests.factories import make_narrative, withdraw

JSON = {"Accept": "application/json"}


def send(client, narrative, text, speaker="narrator", token=None, json=True):
    data = {"speaker": speaker, "text": text}
    if token:
        data["client_token"] = token
    return client.post(
        f"/narratives/{narrative.id}/conversation", data=data, headers=JSON if json else {}
    )


def saved_turns():
    return db.session.scalars(select(NarrativeTurn).order_by(NarrativeTurn.position)).all()


def test_turns_are_saved_in_order_speaker_by_speaker(app, users, client_as):
    narrative = make_narrative(users["advocate"], body="")
    advocate = client_as("advocate")
    assert (
        send(advocate, narrative, "Tell me what it felt like for you.", "facilitator").status_code
        == 201
    )
    assert send(advocate, narrative, "Like a parcel being passed about.").status_code == 201
    assert [(t.position, t.speaker, t.text) for t in saved_turns()] == [
        (1, "facilitator", "Tell me what it felt like for you."),
        (2, "narrator", "Like a parcel being passed about."),
    ]
    assert turns.conversation_text(narrative) == (
        "Facilitator: Tell me what it felt like for you.\n\n"
        "Narrator: Like a parcel being passed about."
    )
    page = advocate.get(f"/narratives/{narrative.id}/conversation").get_data(as_text=True)
    assert page.index("Tell me what it felt like") < page.index("Like a parcel")


def test_a_turn_sent_again_with_its_token_is_saved_once(app, users, client_as):
    narrative = make_narrative(users["advocate"])
    advocate = client_as("advocate")
    first = send(advocate, narrative, "I wanted to stay at home.", token="tok-abcdef-123456")
    again = send(advocate, narrative, "I wanted to stay at home.", token="tok-abcdef-123456")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["turn"] == again.get_json()["turn"]
    assert again.get_json()["created"] is False
    assert len(saved_turns()) == 1


def test_without_javascript_a_turn_is_a_plain_form_post(app, users, client_as):
    narrative = make_narrative(users["advocate"])
    advocate = client_as("advocate")
    response = send(advocate, narrative, "Nobody explained the words.", json=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/narratives/{narrative.id}/conversation#send-turn"
    )
    empty = send(advocate, narrative, "   ", json=False)
    assert empty.status_code == 400
    assert "Write what was said before sending." in empty.get_data(as_text=True)


def test_an_empty_turn_is_refused_with_its_reason_as_json(app, users, client_as):
    narrative = make_narrative(users["advocate"])
    response = send(client_as("advocate"), narrative, "")
    assert response.status_code == 400
    assert response.get_json() == {"errors": {"text": "Write what was said before sending."}}
    assert saved_turns() == []


def test_html_in_a_turn_is_shown_as_text(app, users, client_as):
    narrative = make_narrative(users["advocate"])
    advocate = client_as("advocate")
    send(advocate, narrative, "<script>alert('x')</script> I was scared")
    page = advocate.get(f"/narratives/{narrative.id}/conversation").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; I was scared" in page


def test_changing_a_turn_keeps_its_earlier_wording(app, users, client_as):
    narrative = make_narrative(users["advocate"])
    advocate = client_as("advocate")
    turn_id = send(advocate, narrative, "I felt like a parcel.").get_json()["turn"]
    url = f"/narratives/{narrative.id}/conversation/turns/{turn_id}/edit"
    assert "I felt like a parcel." in advocate.get(url).get_data(as_text=True)
    assert (
        advocate.post(url, data={"text": "I felt like a parcel being passed about."}).status_code
        == 302
    )
    turn = db.session.get(NarrativeTurn, turn_id)
    assert turn.text == "I felt like a parcel being passed about."
    assert [entry["text"] for entry in turn.history] == ["I felt like a parcel."]
    assert turn.history[0]["changed_by"] == users["advocate"].id


def test_removing_a_turn_needs_a_reason_and_keeps_it_marked(app, users, client_as):
    narrative = make_narrative(users["advocate"])
    advocate = client_as("advocate")
    turn_id = send(advocate, narrative, "My neighbour's name is on the letter.").get_json()["turn"]
    url = f"/narratives/{narrative.id}/conversation/turns/{turn_id}/remove"
    no_reason = advocate.post(url, data={"reason": ""})
    assert no_reason.status_code == 400
    assert "Say why this turn is being removed." in no_reason.get_data(as_text=True)
    assert advocate.post(url, data={"reason": "Names a third party"}).status_code == 302
    turn = db.session.get(NarrativeTurn, turn_id)
    assert turn.removed_at is not None and turn.removed_reason == "Names a third party"
    page = advocate.get(f"/narratives/{narrative.id}/conversation").get_data(as_text=True)
    assert "Names a third party" in page and "My neighbour" not in page
    assert turns.conversation_text(narrative) == ""


def test_a_narrative_told_as_a_conversation_can_be_marked_complete(app, users, client_as):
    narrative = make_narrative(users["advocate"], body="")
    assert "the narrative itself" in "; ".join(rules.missing_for_completion(narrative))
    send(client_as("advocate"), narrative, "They listened in the end.")
    assert rules.missing_for_completion(narrative) == []


def test_a_facilitator_it_is_shared_with_reads_but_cannot_send(app, users, client_as):
    narrative = make_narrative(users["advocate"])
    rules.share(narrative, users["facilitator"], by=users["advocate"])
    db.session.commit()
    facilitator = client_as("facilitator")
    page = facilitator.get(f"/narratives/{narrative.id}/conversation")
    assert page.status_code == 200
    assert 'id="turn-form"' not in page.get_data(as_text=True)
    assert send(facilitator, narrative, "Hello").status_code == 403


def test_after_consent_is_withdrawn_nothing_can_be_added(app, users, client_as):
    narrative = make_narrative(users["advocate"])
    advocate = client_as("advocate")
    send(advocate, narrative, "Something said before withdrawal.")
    withdraw(narrative, by=users["advocate"])
    db.session.commit()
    response = send(advocate, narrative, "More words.")
    assert response.status_code == 400
    assert "withdrawn" in response.get_json()["errors"]["text"]
    assert saved_turns() == []  # erased with the withdrawal, and nothing added after it


def test_a_lead_keeps_the_prompts_and_facilitators_are_offered_them(app, users, client_as):
    lead = client_as("lead")
    assert "Tell me what it felt like for you." in lead.get(
        "/narratives/conversation-prompts"
    ).get_data(as_text=True)
    too_long = lead.post("/narratives/conversation-prompts", data={"prompts": "x" * 301})
    assert too_long.status_code == 400
    assert "Prompt 1 is 301 characters long" in too_long.get_data(as_text=True)
    saved = lead.post(
        "/narratives/conversation-prompts",
        data={"prompts": "What helped?\n\n  What would you change?  \n"},
    )
    assert saved.status_code == 302
    assert turns.prompts() == ["What helped?", "What would you change?"]
    narrative = make_narrative(users["advocate"])
    page = client_as("advocate").get(f"/narratives/{narrative.id}/conversation")
    assert "What would you change?" in page.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "prompts.change")
        )
        == 1
    )
    lead.post("/narratives/conversation-prompts", data={"prompts": ""})
    assert turns.prompts() == list(turns.DEFAULT_PROMPTS)


def test_the_same_turn_sent_twice_at_once_is_saved_once_and_both_get_it(
    app, users, client_as, caplog
):
    """The other send's insert lands between this send's check for its token and its own
    insert (a real second connection, committed at the moment this one flushes)."""
    narrative = make_narrative(users["advocate"], body="")
    token = "sent-twice-at-once"
    words = "It felt like a parcel being passed about."

    landed = []

    def the_other_send_lands_first(session, flush_context, instances):
        if not landed and any(isinstance(item, NarrativeTurn) for item in session.new):
            landed.append(True)
            with db.engine.begin() as connection:
                connection.execute(
                    insert(NarrativeTurn.__table__).values(
                        narrative_id=narrative.id,
                        position=1,
                        speaker="narrator",
                        text=words,
                        client_token=token,
                        created_by_id=users["advocate"].id,
                        history=[],
                        removed_reason="",
                    )
                )

    event.listen(Session, "before_flush", the_other_send_lands_first)
    caplog.set_level(logging.DEBUG)
    try:
        response = send(client_as("advocate"), narrative, words, token=token)
    finally:
        event.remove(Session, "before_flush", the_other_send_lands_first)
    assert landed, "the other send's insert went in first"
    assert response.status_code == 200
    assert response.get_json()["created"] is False
    assert [(t.text, t.client_token) for t in saved_turns()] == [(words, token)]
    assert "parcel" not in caplog.text


def test_statement_parameters_never_reach_an_error_message(app, users):
    narrative = make_narrative(users["advocate"], body="")
    values = {
        "narrative_id": narrative.id,
        "position": 1,
        "speaker": "narrator",
        "text": "words only the narrator said",
        "client_token": "the-same-token",
        "created_by_id": users["advocate"].id,
        "history": [],
        "removed_reason": "",
    }
    db.session.execute(insert(NarrativeTurn.__table__).values(**values))
    try:
        db.session.execute(insert(NarrativeTurn.__table__).values(**values))
    except IntegrityError as clash:
        assert "only the narrator said" not in str(clash)
        assert "parameters hidden" in str(clash)
    else:
        raise AssertionError("the second insert should have clashed")
    finally:
        db.session.rollback()
