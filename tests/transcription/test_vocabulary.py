"""The word list for transcription: a lead keeps it, and every transcription uses it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from narrative_service.audit.models import AuditEvent
from narrative_service.extensions import db
from narrative_service.transcription import vocabulary
from narrative_service.transcription.engines import EngineSettings, engine_for
from tests.audio import samples_of, speak_flite

PAGE = "/transcription/word-list"


def test_a_lead_keeps_the_word_list_one_term_a_line(app, client_as):
    lead = client_as("lead")
    page = lead.get(PAGE).get_data(as_text=True)
    assert "Word list for transcription" in page and "never the names of people" in page

    saved = lead.post(PAGE, data={"terms": "section 42\n\n  IMCA \nSaltmarsh   House\n"})

    assert saved.status_code == 302
    assert vocabulary.terms() == ["section 42", "IMCA", "Saltmarsh House"]
    assert "3 terms" in lead.get(PAGE, follow_redirects=True).get_data(as_text=True)
    assert "Saltmarsh House" in lead.get(PAGE).get_data(as_text=True)
    changes = select(func.count()).select_from(AuditEvent)
    assert db.session.scalar(changes.where(AuditEvent.action == "vocabulary.change")) == 1

    cleared = lead.post(PAGE, data={"terms": ""}, follow_redirects=True)
    assert "Word list cleared" in cleared.get_data(as_text=True)
    assert vocabulary.terms() == []


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("IMCA\nDoLS\nimca", "Terms 1 and 3 are the same (imca); keep one of them."),
        ("x" * 61, "Term 1 is 61 characters long; keep each to 60."),
        ("MASH\n<script>", "Term 2 (&lt;script&gt;) has a character a term cannot use"),
        ("\n".join(f"term {n}" for n in range(101)), "Keep to 100 terms or fewer (there are 101)."),
        ("\n".join(f"a longer local place name {n}" for n in range(30)), "characters long, more"),
    ],
)
def test_a_list_that_cannot_be_used_is_refused_saying_why_and_the_old_one_kept(
    app, client_as, terms, message
):
    lead = client_as("lead")
    lead.post(PAGE, data={"terms": "section 42"})

    refused = lead.post(PAGE, data={"terms": terms})

    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert message in page
    assert terms.splitlines()[0][:20] in page  # what was written is shown again to correct
    assert vocabulary.terms() == ["section 42"]


@pytest.mark.parametrize("role", ["advocate", "facilitator", "admin", "board"])
def test_only_leads_keep_the_word_list(app, client_as, role):
    other = client_as(role)
    assert other.get(PAGE).status_code == 403
    assert other.post(PAGE, data={"terms": "MASH"}).status_code == 403
    assert vocabulary.terms() == []


def test_the_lead_s_start_page_links_to_the_word_list(app, client_as):
    assert PAGE in client_as("lead").get("/start").get_data(as_text=True)
    assert PAGE not in client_as("advocate").get("/start").get_data(as_text=True)


def test_a_transcription_uses_the_word_list(app, users, tmp_path):
    """The same recording heard with and without the list: with it, the term is heard."""
    sentence = "The referral went to the MASH, and they rang me the next day."
    samples = samples_of(speak_flite(sentence, tmp_path / "mash.wav", voice="slt"))
    vocabulary.set_terms("MASH\nsection 42", by=users["lead"])
    db.session.commit()

    settings = EngineSettings.from_config(app.config)
    assert settings.hotwords == ""  # the configuration alone holds no list
    with_list = vocabulary.settings_with_word_list(settings)
    assert with_list.hotwords == "MASH, section 42"

    heard_with = " ".join(s.text for s in engine_for(with_list).segments(samples))
    heard_without = " ".join(s.text for s in engine_for(settings).segments(samples))
    assert "MASH" in heard_with
    assert "MASH" not in heard_without  # what the list is for: tiny.en hears "mesh"
