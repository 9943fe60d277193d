"""The audit log: read and filter by leads and admins; never edited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from narrative_service.audit.models import AuditEvent, AuditLogIsAppendOnly
from narrative_service.audit.rules import record
from narrative_service.extensions import db
from tests.factories import make_narrative


def test_leads_read_and_filter_the_log_by_event(client_as, users):
    narrative = make_narrative(users["advocate"])
    client_as("advocate").get(f"/narratives/{narrative.id}")
    page = client_as("lead").get("/audit?action=narrative.view").text
    assert "Viewed a narrative" in page
    assert "Created a narrative" not in page.split("<tbody")[1]


def test_the_log_filters_by_person(client_as, users):
    client_as("advocate").get("/narratives")
    page = client_as("admin").get(f"/audit?user={users['advocate'].id}").text
    assert users["advocate"].name in page.split("<tbody")[1]


def test_an_event_cannot_be_changed(users):
    event = record("sign_in", user_id=users["lead"].id)
    db.session.commit()
    event.action = "sign_out"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_an_event_cannot_be_deleted(users):
    event = record("sign_in", user_id=users["lead"].id)
    db.session.commit()
    db.session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.id == event.id)) is not None


def test_an_unknown_action_is_refused(users):
    with pytest.raises(ValueError, match="Unknown audit action"):
        record("made.up", user_id=users["lead"].id)


def test_the_log_has_no_route_that_changes_it(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("audit."):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize(
    "detail",
    [
        {"name": "minutes-about-edna.docx"},
        {"filename": "interview.wav"},
        {"reason": "she said nobody ever listened to her at all"},
        {"fields": ["body", "a sentence the person said to the advocate"]},
        {"erased": {"turns": "six of them, about the money"}},
        {"when": object()},
    ],
)
def test_audit_detail_never_holds_free_text_or_file_names(users, detail):
    with pytest.raises(ValueError, match="Audit detail"):
        record("export", user_id=users["lead"].id, **detail)


def test_audit_detail_holds_ids_counts_codes_and_choices(users):
    event = record(
        "narrative.withdraw",
        user_id=users["lead"].id,
        how="in_person",
        erased={"conversation turns": 3, "transcript segments": 0},
        fields=["body", "title"],
        what="evidence pack",
        path="/narratives/12",
    )
    assert event.detail["erased"]["conversation turns"] == 3
