"""The evidence pack: both formats read back section by section; nothing identifiable in it."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import docx
import pypdf
import pytest

from narrative_service.audit.models import AuditEvent
from narrative_service.extensions import db
from narrative_service.milestones import checklist, evidence_pack, rules
from narrative_service.milestones.models import ActionUpdate, EvidenceFile
from narrative_service.narratives import anonymising
from narrative_service.reflection import rules as reflection
from narrative_service.timeutil import today
from tests.factories import make_narrative, make_session, make_theme

NARRATOR = "Winifred Ashcombe"
RELATIVE = "Clement Pargeter"
NHS_NUMBER = "943 476 5919"  # a valid check digit
POSTCODE = "LS6 2QT"
EMAIL = "winnie.ashcombe@example.com"
STAFF = "Sam Okoro"
# Searched for in the pack's text: whole, in parts, and without spaces.
PLANTED = ("Winifred", "Ashcombe", "Clement", "Pargeter", "Okoro", "LS6 2QT", "winnie.ashcombe")
SQUASHED = ("9434765919", "LS62QT")

STORY = (
    f"My name is {NARRATOR} and my NHS number is {NHS_NUMBER}. I live at 14 Larkspur Close, "
    f"Leeds {POSTCODE}; write to me at {EMAIL}.\n\n"
    f"Nobody told me what was happening. My son {RELATIVE} was asked before I was, and I felt "
    "like a parcel being passed about."
)


# ------------------------------------------------------------------ reading the two formats


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    pages = pypdf.PdfReader(io.BytesIO(body)).pages
    # A word wrapped after a hyphen or slash in a narrow cell is one word again.
    text = " ".join(re.sub(r"(?<=[-/])\n", "", page.extract_text()) for page in pages)
    return " ".join(text.split())


def docx_text(body: bytes) -> str:
    words = []
    for block in docx.Document(io.BytesIO(body)).iter_inner_content():
        if isinstance(block, docx.table.Table):
            words += [cell.text for row in block.rows for cell in row.cells]
        else:
            words.append(block.text)
    return " ".join(" ".join(words).split())


READERS = {"pdf": pdf_text, "docx": docx_text}


def read(pack, file_format: str) -> str:
    return READERS[file_format](evidence_pack.render(pack, file_format))


def sections(text: str) -> dict[str, str]:
    """The text under each section heading, checking the headings come in order."""
    positions = []
    start = 0
    for title in evidence_pack.SECTION_TITLES:
        found = text.find(title, start)
        assert found >= 0, f"no section {title!r} after position {start}"
        positions.append(found)
        start = found + len(title)
    ends = positions[1:] + [len(text)]
    return {
        title: text[begin + len(title) : end]
        for title, begin, end in zip(evidence_pack.SECTION_TITLES, positions, ends, strict=True)
    }


def assert_nothing_planted(text: str) -> None:
    lowered = text.lower()
    for value in PLANTED:
        assert value.lower() not in lowered, f"{value!r} is in the pack"
    squashed = re.sub(r"\s", "", text)
    for value in SQUASHED:
        assert value not in squashed, f"{value!r} is in the pack"


# ------------------------------------------------------------------ a quarter with evidence


@pytest.fixture
def q1(app, users):
    programme = rules.create_programme("reflecting_on_practice", "2025/26", by=users["lead"])
    db.session.commit()
    with app.test_request_context():
        yield next(m for m in programme.milestones if m.quarter == "Q1")


@pytest.fixture
def full_q1(q1, users):
    """Q1 with evidence in every section, and identifiers planted in the narrative, its
    fields, and the free text of reflection, dissemination, actions and feedback."""
    lead = users["lead"]
    narrative = make_narrative(
        users["advocate"],
        status="complete",
        title=f"What happened to {NARRATOR}",
        think_family_notes=f"Her son {RELATIVE} lives with her.",
        desired_outcomes=f"I wanted {RELATIVE} to stop deciding for me.",
        body=STORY,
    )
    anonymising.approve(narrative, undone=set(), added_terms="", by=lead)
    session = make_session(users["facilitator"], [narrative], by=lead, held_on=date(2025, 6, 2))
    attendee = reflection.add_attendee(
        session,
        by=lead,
        name=STAFF,
        role="Social worker",
        team="Adult social care east",
        agency="Local authority",
    )
    reflection.mark_heard(session, {attendee.id: "read_aloud"}, by=lead)
    theme = make_theme()
    point = reflection.add_learning_point(
        session,
        text=f"Explain each step to {NARRATOR.split()[0]} before it happens.",
        theme_ids=[theme.id],
        is_best_practice=True,
        by=lead,
    )
    reflection.add_difference(
        session,
        person_view=f"I thought {RELATIVE} had been put in charge of me.",
        practitioner_view="Staff saw a plan agreed with the family.",
        agency="Local authority",
        learning="Agree the plan with the person themselves.",
        by=lead,
    )
    frontline = rules.add_dissemination(
        q1,
        {
            "held_on": date(2025, 6, 10),
            "audience_level": "frontline",
            "audience": "Older people's team",
            "channel": "team_meeting",
            "reach": 12,
            "learning_point_ids": [point.id],
            "notes": f"Shared Mrs Ashcombe's story; her son Clement came up. Contact {EMAIL}.",
        },
        by=lead,
    )
    rules.add_dissemination(
        q1,
        {
            "held_on": date(2025, 6, 20),
            "audience_level": "board",
            "audience": "Quality committee",
            "channel": "board_paper",
            "reach": 9,
            "notes": "Paper on listening first.",
        },
        by=lead,
    )
    action = rules.add_action(
        q1,
        {
            "recommendation": "Plain-English letters at every stage of an enquiry",
            "lead": "Head of adult safeguarding",
            "method_of_measurement": "Case file audit",
            "outcome_indicator": "Every letter in plain English",
            "reported_to": "Safeguarding committee",
            "status": "in_progress",
            "due_on": today() + timedelta(days=60),
        },
        by=lead,
    )
    db.session.add(
        ActionUpdate(
            action_id=action.id,
            on=date(2025, 6, 25),
            text=f"The new letter was agreed and the first one sent to {NARRATOR}.",
            created_by_id=lead.id,
        )
    )
    rules.set_strategic_objective(q1, "SO3", "Hear people's voices in every enquiry", by=lead)
    rules.add_training_need(
        q1,
        {
            "theme_id": theme.id,
            "staff_group": "Social workers",
            "need": "Asking about desired outcomes",
            "planned_response": "Half-day workshop",
        },
        by=lead,
    )
    rules.add_feedback(
        q1,
        {
            "was_possible": True,
            "given_on": date(2025, 6, 26),
            "method": "In person",
            "given_by": "Independent advocate",
            "narrative_id": narrative.id,
            "told_outcome": f"Told Winifred and Clement Pargeter at home in {POSTCODE}.",
            "improvements": "You said nobody explained; we now write to people in plain English.",
            "response": f"Pleased. NHS number {NHS_NUMBER} checked on the letter.",
        },
        by=lead,
    )
    db.session.add(
        EvidenceFile(
            milestone_id=q1.id,
            dissemination_activity_id=frontline.id,
            stored_path="evidence/minutes.pdf",
            original_filename="team-meeting-minutes-june.pdf",
            content_type="application/pdf",
            size_bytes=48_213,
            sha256="ab" * 32,
            uploaded_by_id=lead.id,
        )
    )
    db.session.commit()
    return q1


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_the_pack_has_every_section_in_order_with_its_evidence(full_q1, file_format):
    text = read(evidence_pack.gather(full_q1), file_format)
    assert "Evidence pack: Reflecting on practice – Safeguarding 2025/26, Q1" in text
    assert "Reporting date 31 July 2025" in text
    part = sections(text)

    checklist = part["Milestone checklist"]
    assert "Status: Complete" in checklist
    assert "Learning shared at corporate or board level Met" in checklist
    assert "Not yet met" not in checklist

    narrative = part["The narrative"]
    assert "Nobody told me what was happening." in narrative
    assert "[PERSON 1]" in narrative and "[NHS NUMBER 1]" in narrative
    assert "[POSTCODE 1]" in narrative and "[EMAIL 1]" in narrative
    assert "Anonymised version approved on" in narrative

    summary = part["Reflection summary"]
    assert "Social worker Adult social care east Local authority Heard it read aloud" in summary
    assert "LP1 Explain each step to [PERSON" in summary
    assert "Being listened to" in summary and "Yes" in summary
    assert "had been put in charge of me" in summary
    assert "Agree the plan with the person themselves." in summary

    dissemination = part["Dissemination of learning"]
    assert "Frontline staff Older people's team Team meeting 12 LP1" in dissemination
    assert "Board Quality committee Board paper 9" in dissemination
    assert "[EMAIL 1]" in dissemination

    actions = part["Action plan"]
    assert "Plain-English letters at every stage of an enquiry" in actions
    assert "Case file audit" in actions and "In progress" in actions
    assert "the first one sent to [PERSON" in actions

    strategic = part["Strategic plan and training needs"]
    assert "SO3" in strategic and "Hear people's voices in every enquiry" in strategic
    assert "Being listened to Social workers Asking about desired outcomes" in strategic

    feedback = part["Feedback to participants"]
    assert "26 June 2025" in feedback and "In person" in feedback
    assert "we now write to people in plain English" in feedback
    assert "[POSTCODE 1]" in feedback and "[NHS NUMBER 1]" in feedback

    files = part["Appendix: evidence files"]
    assert "team-meeting-minutes-june.pdf" in files and "Dissemination 1" in files


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_no_planted_identifier_reaches_the_pack(full_q1, file_format):
    text = read(evidence_pack.gather(full_q1), file_format)
    assert "parcel being passed about" in text  # the narrative is there, anonymised
    assert_nothing_planted(text)


def test_attendees_appear_by_role_never_by_name(full_q1):
    pack = evidence_pack.gather(full_q1)
    (session,) = pack.reflection.sessions
    assert [(a.role, a.agency) for a in session.attendees] == [("Social worker", "Local authority")]
    assert STAFF not in str(pack)


def test_a_placeholder_means_the_same_person_throughout_the_pack(full_q1):
    pack = evidence_pack.gather(full_q1)
    update = pack.actions[0].updates[0].text
    learning = pack.reflection.learning_points[0].text
    person = re.search(r"\[PERSON \d+\]", learning).group()
    assert person in update  # "Winifred" in one, "Winifred Ashcombe" in the other


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_a_quarter_with_nothing_recorded_still_gives_a_pack_that_says_what_is_missing(
    q1, file_format
):
    text = read(evidence_pack.gather(q1), file_format)
    part = sections(text)
    assert part["Milestone checklist"].count("Not yet met") == 7
    assert "No complete narrative with consent for staff reflection" in part["The narrative"]
    assert "No reflection session qualifies yet" in part["Reflection summary"]
    assert "No dissemination recorded" in part["Dissemination of learning"]
    assert "No actions in the action plan." in part["Action plan"]
    assert "No strategic objective recorded." in part["Strategic plan and training needs"]
    assert "No training needs recorded." in part["Strategic plan and training needs"]
    assert "No feedback to the person or family recorded" in part["Feedback to participants"]
    assert "No evidence files uploaded." in part["Appendix: evidence files"]


def test_without_an_approved_anonymised_version_the_narrative_is_not_printed(q1, users):
    narrative = make_narrative(users["advocate"], status="complete", body=STORY)
    text = read(evidence_pack.gather(q1), "docx")
    section = sections(text)["The narrative"]
    assert "No anonymised version of this narrative has been approved yet" in section
    assert f"/narratives/{narrative.id}/anonymised" in section
    assert "parcel" not in section
    assert_nothing_planted(text)


def test_an_anonymised_version_older_than_the_narrative_is_not_printed(q1, users):
    narrative = make_narrative(users["advocate"], status="complete", body=STORY)
    anonymising.approve(narrative, undone=set(), added_terms="", by=users["lead"])
    narrative.body = STORY + "\n\nLater I was told about the review."
    db.session.commit()
    (published,) = evidence_pack.gather(q1).narratives
    assert published.text == ""
    assert "is out of date: the narrative has changed since" in published.not_included


def test_without_consent_to_dissemination_the_narrative_is_not_printed(q1, users):
    narrative = make_narrative(
        users["advocate"], status="complete", body=STORY, has_dissemination_consent=False
    )
    anonymising.approve(narrative, undone=set(), added_terms="", by=users["lead"])
    db.session.commit()
    (published,) = evidence_pack.gather(q1).narratives
    assert published.text == ""
    assert "consent does not cover anonymised dissemination" in published.not_included


def test_the_pdf_fetches_nothing_from_anywhere():
    fetcher = evidence_pack.writers._offline_fetcher()
    fetch = getattr(fetcher, "fetch", fetcher)
    for url in ("https://example.org/logo.png", "file:///etc/hostname", "data:,hello"):
        with pytest.raises(ValueError, match="fetches nothing"):
            fetch(url)


# ------------------------------------------------------------------ the routes


@pytest.mark.parametrize(
    ("file_format", "kind"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_a_lead_downloads_the_pack_named_for_the_quarter_and_it_is_audited(
    app, q1, client_as, file_format, kind
):
    response = client_as("lead").get(f"/milestones/{q1.id}/evidence-pack.{file_format}")
    assert response.status_code == 200
    assert response.mimetype == kind
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        f"evidence-pack-reflecting-on-practice-safeguarding-2025-26-q1.{file_format}" in disposition
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert "Milestone checklist" in READERS[file_format](response.data)
    event = db.session.query(AuditEvent).filter_by(action="export").one()
    assert event.object_id == q1.id
    assert event.detail == {"what": "evidence pack", "format": file_format}


@pytest.mark.parametrize("role", ["board", "facilitator", "advocate"])
def test_only_leads_and_admins_may_download_the_pack(q1, client_as, role):
    for file_format in ("pdf", "docx"):
        response = client_as(role).get(f"/milestones/{q1.id}/evidence-pack.{file_format}")
        assert response.status_code == 403


def test_an_unknown_milestone_has_no_pack(client_as):
    assert client_as("lead").get("/milestones/9999/evidence-pack.pdf").status_code == 404


# ------------------------------------------------------------------ collaborative risk assessment


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_a_collaborative_risk_pack_shows_audits_training_evaluation_and_submission(
    app, users, file_format
):
    lead = users["lead"]
    programme = rules.create_programme("collaborative_risk_assessment", "2025/26", by=lead)
    q2 = programme.milestones[0]
    for kind, day, audited, collaborated in (
        ("baseline", date(2025, 4, 2), 40, 6),
        ("re_audit", date(2025, 9, 29), 40, 18),
    ):
        rules.add_risk_audit(
            q2,
            {"kind": kind, "audited_on": day, "service_users": audited,
             "collaborated": collaborated, "notes": "Ward audit by Nurse Gloria Abernethy"},
            by=lead,
        )  # fmt: skip
    rules.add_deliverable(
        q2,
        {"kind": "evaluation", "title": "Evaluation of safety planning together",
         "staff_satisfaction_percent": 78.0, "service_user_satisfaction_percent": 64.0},
        by=lead,
    )  # fmt: skip
    rules.set_shortfall(q2, "Two wards closed for refurbishment", "Re-audit in October", by=lead)
    with app.test_request_context():
        missing = [item.label for item in checklist.build(q2).missing]
        rules.submit(
            q2,
            missing,
            {"rationale": "The programme started late", "remedial_action": "Deliver in Q3"},
            by=lead,
        )
        db.session.commit()
        text = read(evidence_pack.gather(q2), file_format)
    assert evidence_pack.RISK_TITLE in text
    assert text.index(evidence_pack.RISK_TITLE) < text.index("The narrative")
    assert "At least 50% of service users collaborate" in text
    assert "Baseline audit" in text and "Re-audit" in text and "45%" in text and "15%" in text
    assert "Staff 78%, service users 64%" in text
    assert "Rationale for the shortfall: Two wards closed for refurbishment" in text
    assert "Remedial action plan: Re-audit in October" in text
    assert "Marked as submitted to the commissioner on" in text
    assert "Rationale for submitting: The programme started late" in text
    assert "Abernethy" not in text, "audit notes are redacted like every free text"
