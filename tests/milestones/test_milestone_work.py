"""A lead's work on a milestone through the pages: programmes, dates, evidence files,
progress on actions, the collaborative risk assessment audits, marking as submitted,
and learning summaries for the board."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from narrative_service.audit.models import AuditEvent
from narrative_service.extensions import db
from narrative_service.milestones import checklist, rules
from narrative_service.milestones.models import (
    Action,
    BoardSummary,
    EvidenceFile,
    Milestone,
    Programme,
    RiskAudit,
)
from narrative_service.reflection import rules as reflection
from narrative_service.timeutil import today
from tests.factories import make_narrative, make_session, make_theme


@pytest.fixture
def programme(app, users):
    made = rules.create_programme("reflecting_on_practice", "2025/26", by=users["lead"])
    db.session.commit()
    return made


@pytest.fixture
def q1(programme):
    return next(m for m in programme.milestones if m.quarter == "Q1")


@pytest.fixture
def lead(client_as):
    return client_as("lead")


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# ------------------------------------------------------------------ programmes and dates


def test_a_lead_starts_a_programme_from_a_template(app, lead):
    response = lead.post(
        "/programmes/new",
        data={"template": "collaborative_risk_assessment", "financial_year": "2026/27"},
    )
    assert response.status_code == 302
    made = db.session.query(Programme).one()
    assert [(m.quarter, m.weighting_percent, m.target_percent) for m in made.milestones] == [
        ("Q2", 25.0, 50.0),
        ("Q4", 75.0, 100.0),
    ]
    q2 = made.milestones[0]
    assert "baseline_audit" in q2.requirements and "audit_target" in q2.requirements
    assert "Collaborative risk assessment audits" in page(lead, f"/milestones/{q2.id}")

    again = lead.post(
        "/programmes/new",
        data={"template": "collaborative_risk_assessment", "financial_year": "2026/27"},
    )
    assert again.status_code == 400
    assert "already" in again.get_data(as_text=True)
    assert db.session.query(Programme).count() == 1


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"template": "", "financial_year": "2026/27"}, "Choose a template"),
        ({"template": "reflecting_on_practice", "financial_year": "2026"}, "2026"),
    ],
)
def test_bad_programme_input_is_named_on_the_page(app, lead, data, words):
    response = lead.post("/programmes/new", data=data)
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    assert db.session.query(Programme).count() == 0


def _dates(m, **changes):
    values = {
        "period_start": m.period_start.isoformat(),
        "period_end": m.period_end.isoformat(),
        "reporting_date": m.reporting_date.isoformat(),
        "weighting_percent": str(m.weighting_percent),
    }
    values.update(changes)
    return values


def test_quarters_that_would_overlap_are_refused_and_nothing_changes(app, lead, programme):
    q1, q2 = programme.milestones[0], programme.milestones[1]
    response = lead.post(f"/milestones/{q2.id}/dates", data=_dates(q2, period_start="2025-06-15"))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "overlap" in text and "Q1" in text and "Q2" in text
    db.session.expire_all()
    assert db.session.get(Milestone, q2.id).period_start == date(2025, 7, 1)

    moved = lead.post(
        f"/milestones/{q1.id}/dates",
        data=_dates(q1, reporting_date="2025-08-15", weighting_percent="20"),
    )
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Milestone, q1.id).reporting_date == date(2025, 8, 15)
    assert db.session.get(Milestone, q1.id).weighting_percent == 20.0


def test_weightings_over_100_percent_are_refused(app, lead, programme):
    q1 = programme.milestones[0]
    response = lead.post(f"/milestones/{q1.id}/dates", data=_dates(q1, weighting_percent="40"))
    assert response.status_code == 400
    assert "115 %" in response.get_data(as_text=True)


# ------------------------------------------------------------------ evidence files


def _upload(client, milestone, name, content, **extra):
    return client.post(
        f"/milestones/{milestone.id}/evidence-files",
        data={"evidence-file": (io.BytesIO(content), name), **extra},
        content_type="multipart/form-data",
    )


def test_an_evidence_file_is_kept_listed_and_downloaded(app, lead, q1):
    content = b"%PDF-1.4\n% minutes of the safeguarding committee\n"
    response = _upload(
        lead, q1, "committee minutes.pdf", content, **{"evidence-description": "Minutes"}
    )
    assert response.status_code == 302
    kept = db.session.query(EvidenceFile).one()
    assert kept.size_bytes == len(content) and kept.content_type == "application/pdf"
    assert "committee minutes.pdf" in page(lead, f"/milestones/{q1.id}")
    download = lead.get(f"/milestones/evidence-files/{kept.id}")
    assert download.status_code == 200 and download.data == content
    assert "attachment" in download.headers["Content-Disposition"]

    stored = app.config["MEDIA_DIR"] + "/" + kept.stored_path
    removed = lead.post(f"/milestones/evidence-files/{kept.id}/remove")
    assert removed.status_code == 302
    assert db.session.query(EvidenceFile).count() == 0
    import os

    assert not os.path.exists(stored)
    actions = [e.action for e in db.session.query(AuditEvent)]
    assert "milestone.evidence_file" in actions and "milestone.evidence_file_removed" in actions


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("setup.exe", b"MZ\x90\x00", "is not a type kept as evidence"),
        ("slides.pdf", b"just some text", "its contents are not"),
        ("minutes.docx", b"%PDF-1.4 not a word file", "its contents are not"),
        ("empty.txt", b"", "is empty"),
        ("binary.txt", b"abc\x00\x01\x02", "its contents are not"),
    ],
)
def test_bad_evidence_files_are_refused_with_the_reason(app, lead, q1, name, content, words):
    response = _upload(lead, q1, name, content)
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    assert db.session.query(EvidenceFile).count() == 0


def test_an_evidence_file_over_the_limit_names_the_limit(app, lead, q1):
    app.config["EVIDENCE_MAX_MB"] = 1
    response = _upload(lead, q1, "big.txt", b"a" * (1024 * 1024 + 10))
    assert response.status_code == 400
    assert "up to 1 MB" in response.get_data(as_text=True)


def test_a_missing_file_is_named(app, lead, q1):
    response = lead.post(
        f"/milestones/{q1.id}/evidence-files", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Choose a file to upload" in response.get_data(as_text=True)


# ------------------------------------------------------------------ action progress


def test_progress_on_an_action_is_dated_and_moves_its_status(app, users, lead, q1):
    action = rules.add_action(q1, {"recommendation": "Plain-English letters"}, by=users["lead"])
    db.session.commit()
    url = f"/milestones/actions/{action.id}"
    future = lead.post(
        url,
        data={
            "on": (today() + timedelta(days=1)).isoformat(),
            "text": "x",
            "status": "in_progress",
        },
    )
    assert future.status_code == 400 and "cannot be in the future" in future.get_data(as_text=True)
    before = lead.post(url, data={"on": "2020-01-01", "text": "x", "status": "in_progress"})
    assert before.status_code == 400 and "before the action was raised" in before.get_data(
        as_text=True
    )
    empty = lead.post(url, data={"on": today().isoformat(), "text": "", "status": "in_progress"})
    assert empty.status_code == 400 and "Enter what progress was made" in empty.get_data(
        as_text=True
    )

    done = lead.post(
        url, data={"on": today().isoformat(), "text": "Template rewritten", "status": "complete"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    action = db.session.get(Action, action.id)
    assert action.status == "complete" and [u.text for u in action.updates] == [
        "Template rewritten"
    ]
    assert "Template rewritten" in page(lead, url)
    assert "Template rewritten" in page(lead, "/programmes")


def test_an_admin_may_read_an_action_but_not_record_progress(app, users, client_as, q1):
    action = rules.add_action(q1, {"recommendation": "Plain-English letters"}, by=users["lead"])
    db.session.commit()
    admin = client_as("admin")
    assert admin.get(f"/milestones/actions/{action.id}").status_code == 200
    response = admin.post(f"/milestones/actions/{action.id}", data={"on": today().isoformat()})
    assert response.status_code == 403


# ------------------------------------------------------------------ marking as submitted


def test_submitting_with_items_missing_needs_a_rationale_and_remedial_action(app, lead, q1):
    bare = lead.post(f"/milestones/{q1.id}/submit", data={})
    assert bare.status_code == 400
    assert "Give the rationale" in bare.get_data(as_text=True)
    half = lead.post(f"/milestones/{q1.id}/submit", data={"submit-rationale": "Staff sickness"})
    assert half.status_code == 400 and "remedial action" in half.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Milestone, q1.id).submitted_at is None

    ok = lead.post(
        f"/milestones/{q1.id}/submit",
        data={
            "submit-rationale": "The session moved to July after staff sickness.",
            "submit-remedial_action": "Session booked for 3 July; report to the commissioner then.",
        },
    )
    assert ok.status_code == 302
    db.session.expire_all()
    q1 = db.session.get(Milestone, q1.id)
    assert q1.submitted_at is not None and len(q1.missing_when_submitted) == 7
    assert "staff sickness" in page(lead, f"/milestones/{q1.id}")


# ------------------------------------------------------------------ collaborative risk assessment


@pytest.fixture
def crisk(app, users):
    made = rules.create_programme("collaborative_risk_assessment", "2025/26", by=users["lead"])
    db.session.commit()
    with app.test_request_context():
        yield made.milestones[0]  # Q2, target 50 %


def items(milestone) -> dict[str, bool]:
    return {item.key: item.is_met for item in checklist.build(milestone, date(2025, 8, 1)).items}


def test_the_collaborative_risk_checklist_follows_its_evidence(crisk, users):
    lead = users["lead"]
    assert set(items(crisk)) == {
        "baseline_audit",
        "training_programme",
        "evaluation",
        "action_plan",
        "progress_evidence",
        "re_audit",
        "audit_target",
    }
    assert not any(items(crisk).values())
    rules.add_risk_audit(
        crisk,
        {
            "kind": "baseline",
            "audited_on": date(2025, 4, 2),
            "service_users": 40,
            "collaborated": 6,
        },
        by=lead,
    )
    assert items(crisk)["baseline_audit"] and not items(crisk)["re_audit"]
    rules.add_deliverable(
        crisk, {"kind": "training_programme", "title": "Safety planning together"}, by=lead
    )
    assert items(crisk)["training_programme"]
    with pytest.raises(Exception, match="satisfaction"):
        rules.add_deliverable(crisk, {"kind": "evaluation", "title": "Evaluation"}, by=lead)
    rules.add_deliverable(
        crisk,
        {
            "kind": "evaluation",
            "title": "Evaluation report",
            "staff_satisfaction_percent": 78.0,
            "service_user_satisfaction_percent": 64.0,
        },
        by=lead,
    )
    assert items(crisk)["evaluation"]
    action = rules.add_action(crisk, {"recommendation": "Co-produce the safety plan"}, by=lead)
    assert items(crisk)["action_plan"] and not items(crisk)["progress_evidence"]
    rules.add_action_update(action, {"on": today(), "text": "Pilot on two wards"}, by=lead)
    db.session.expire(action)
    assert items(crisk)["progress_evidence"]

    rules.add_risk_audit(
        crisk,
        {
            "kind": "re_audit",
            "audited_on": date(2025, 9, 28),
            "service_users": 40,
            "collaborated": 18,
        },
        by=lead,
    )
    assert crisk.audited_percent == 45.0
    assert items(crisk)["re_audit"] and not items(crisk)["audit_target"], "45 % is below 50 %"
    rules.set_shortfall(crisk, "Two wards closed for refurbishment", "Re-audit in October", by=lead)
    assert items(crisk)["audit_target"]
    rules.add_risk_audit(
        crisk,
        {
            "kind": "re_audit",
            "audited_on": date(2025, 9, 30),
            "service_users": 40,
            "collaborated": 21,
        },
        by=lead,
    )
    assert crisk.audited_percent == 52.5 and all(items(crisk).values())


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"kind": "", "service_users": 10, "collaborated": 2}, "baseline audit or a re-audit"),
        ({"kind": "baseline", "service_users": 0, "collaborated": 0}, "at least 1"),
        ({"kind": "baseline", "service_users": 10, "collaborated": 12}, "only 10 were audited"),
        ({"kind": "baseline", "service_users": 10, "collaborated": None}, "how many collaborated"),
    ],
)
def test_bad_audit_figures_are_named(client_as, crisk, values, words):
    data = {f"audit-{k}": ("" if v is None else v) for k, v in values.items()}
    data["audit-audited_on"] = "2025-04-02"
    response = client_as("lead").post(f"/milestones/{crisk.id}/audits", data=data)
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    assert db.session.query(RiskAudit).count() == 0


# ------------------------------------------------------------------ dissemination, dashboard


def _reflected_quarter(q1, users):
    lead = users["lead"]
    narrative = make_narrative(users["advocate"], status="complete")
    session = make_session(users["facilitator"], [narrative], by=lead, held_on=date(2025, 6, 2))
    attendee = reflection.add_attendee(session, by=lead, name="Sam Okoro", role="Ward manager")
    reflection.mark_heard(session, {attendee.id: "read_aloud"}, by=lead)
    point = reflection.add_learning_point(
        session, text="Explain each step in plain words.", theme_ids=[make_theme().id], by=lead
    )
    db.session.commit()
    return session, point


def test_dissemination_names_the_learning_points_it_shared(app, users, lead, q1):
    _, point = _reflected_quarter(q1, users)
    data = {
        "dissemination-held_on": "2025-06-10",
        "dissemination-audience_level": "frontline",
        "dissemination-audience": "Ward 7",
        "dissemination-channel": "team_meeting",
        "dissemination-learning_point_ids": [str(point.id)],
    }
    assert "Explain each step" in page(lead, f"/milestones/{q1.id}")  # offered as a choice
    assert lead.post(f"/milestones/{q1.id}/dissemination", data=data).status_code == 302
    foreign = dict(data, **{"dissemination-learning_point_ids": ["99999"]})
    response = lead.post(f"/milestones/{q1.id}/dissemination", data=foreign)
    assert response.status_code == 400
    assert "this quarter" in response.get_data(as_text=True)


def test_the_dashboard_lists_feedback_owed_and_actions_due(app, users, lead, q1):
    _reflected_quarter(q1, users)
    rules.add_action(
        q1,
        {"recommendation": "Rewrite the outcome letter", "due_on": today() + timedelta(days=3)},
        by=users["lead"],
    )
    db.session.commit()
    text = page(lead, "/programmes")
    assert "Feedback owed" in text and "the person or family has not yet been told" in text
    assert "Rewrite the outcome letter" in text
    assert "Explain" not in text  # learning points themselves stay on the milestone page


# ------------------------------------------------------------------ the board's summaries


def test_a_board_summary_is_redacted_checked_approved_and_withdrawn(app, users, client_as, q1):
    session, _ = _reflected_quarter(q1, users)
    reflection.add_learning_point(
        session,
        text="Sam Okoro phoned Mrs Edna Pryce on 07700 900123 without saying why.",
        theme_ids=[make_theme().id],
        by=users["lead"],
    )
    db.session.commit()
    lead = client_as("lead")
    draft = page(lead, f"/milestones/{q1.id}/board-summaries/new?session_id={session.id}")
    assert "Explain each step" in draft
    assert "Okoro" not in draft and "Pryce" not in draft and "07700" not in draft

    unsafe = lead.post(
        f"/milestones/{q1.id}/board-summaries/new",
        data={"session_id": session.id, "title": "Learning", "text": "Ask Sam Okoro first."},
    )
    assert unsafe.status_code == 400
    assert "still looks identifying" in unsafe.get_data(as_text=True)
    assert db.session.query(BoardSummary).count() == 0

    safe = lead.post(
        f"/milestones/{q1.id}/board-summaries/new",
        data={
            "session_id": session.id,
            "title": "Learning from a person's experience",
            "text": "[PERSON 1] was phoned without being told why. Explain each step.",
        },
    )
    assert safe.status_code == 302
    board = client_as("board")
    shown = page(board, "/board")
    assert "was phoned without being told why" in shown
    assert "Okoro" not in shown and "Pryce" not in shown

    summary = db.session.query(BoardSummary).one()
    assert lead.post(f"/milestones/board-summaries/{summary.id}/withdraw").status_code == 302
    assert "was phoned without being told why" not in page(board, "/board")


def test_the_board_reads_the_action_plan_with_names_redacted(app, users, client_as, q1):
    session, _ = _reflected_quarter(q1, users)
    action = rules.add_action(
        q1,
        {
            "recommendation": "Apologise to Mrs Edna Pryce and explain the delay.",
            "lead": "Sam Okoro",
        },
        by=users["lead"],
    )
    rules.add_action_update(
        action, {"on": today(), "text": "Sam Okoro wrote to Edna Pryce."}, by=users["lead"]
    )
    db.session.commit()
    shown = page(client_as("board"), "/board")
    assert "explain the delay" in shown and "[PERSON" in shown
    for identifier in ("Pryce", "Okoro", "Edna"):
        assert identifier not in shown
    assert "Mrs Edna Pryce" in page(client_as("lead"), "/programmes"), "leads read it whole"
