"""The audit log is a hash chain; `narrative-service audit verify` names the first broken link."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from narrative_service.audit.models import AuditEvent
from narrative_service.audit.rules import record
from narrative_service.extensions import db
from tests.factories import make_narrative, make_user


def verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def record_events(count: int = 4) -> list[int]:
    advocate = make_user("advocate")
    narrative = make_narrative(advocate)
    ids = []
    for number in range(count):
        event = record("narrative.view", user_id=advocate.id, subject=narrative, turn=number)
        db.session.commit()
        ids.append(event.id)
    return ids


def all_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def drop_triggers() -> None:
    """What someone with the database file, or the owner's role, could do."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP TRIGGER audit_events_no_update_or_delete ON audit_events"))
    else:
        db.session.execute(text("DROP TRIGGER audit_events_no_update"))
        db.session.execute(text("DROP TRIGGER audit_events_no_delete"))
    db.session.commit()


def test_each_event_links_to_the_one_before(app):
    record_events(3)
    events = all_events()
    assert events[0].previous_hash == "0" * 64
    for before, after in zip(events, events[1:], strict=False):
        assert after.previous_hash == before.hash
    assert len({event.hash for event in events}) == len(events)


def test_verify_reports_an_intact_log(app):
    record_events(3)
    count = len(all_events())
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"Audit log intact: {count} events, chain verified." in result.output


def test_events_recorded_together_in_one_commit_chain_in_order(app, users):
    for action in ("sign_in", "narrative.list", "sign_out"):
        record(action, user_id=users["lead"].id)
    db.session.commit()
    assert [e.action for e in all_events()[-3:]] == ["sign_in", "narrative.list", "sign_out"]
    assert verify(app).exit_code == 0


def test_times_given_in_another_zone_still_verify(app, users):
    event = record("sign_in", user_id=users["lead"].id)
    event.at = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    db.session.commit()
    db.session.expire_all()
    assert event.at.replace(tzinfo=UTC) == datetime(2026, 3, 28, 23, 30, 15, 123456, tzinfo=UTC)
    assert verify(app).exit_code == 0


def test_verify_names_an_event_whose_detail_was_edited(app):
    ids = record_events(4)
    drop_triggers()
    db.session.execute(
        text("UPDATE audit_events SET detail = :detail WHERE id = :id"),
        {"detail": '{"turn": 99}', "id": ids[1]},
    )
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"Audit log broken at event {ids[1]}: its own fields have changed" in result.output


def test_verify_names_the_event_after_a_deleted_one(app):
    ids = record_events(4)
    drop_triggers()
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[1]})
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"Audit log broken at event {ids[2]}: its link does not match event {ids[0]}" in (
        result.output
    )


def test_verify_names_an_event_changed_and_given_a_new_hash(app):
    """Rewriting an event's own hash to match its new fields breaks the next event's link."""
    from narrative_service.audit import chain

    ids = record_events(3)
    drop_triggers()
    changed = db.session.get(AuditEvent, ids[0])
    new_hash = chain.event_hash(
        id=changed.id,
        at=changed.at,
        user_id=changed.user_id,
        action="narrative.list",
        object_type=changed.object_type,
        object_id=changed.object_id,
        detail=changed.detail,
        previous_hash=changed.previous_hash,
    )
    db.session.execute(
        text("UPDATE audit_events SET action = 'narrative.list', hash = :hash WHERE id = :id"),
        {"hash": new_hash, "id": ids[0]},
    )
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"Audit log broken at event {ids[1]}: its link does not match event {ids[0]}" in (
        result.output
    )


def test_verify_notices_the_first_events_are_missing(app):
    record_events(2)
    first = all_events()[0]
    drop_triggers()
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": first.id})
    db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert "the events before it are missing" in result.output


def record_from_threads(app, threads: int = 6, each: int = 15) -> None:
    """Several requests recording at once, each in its own app context and connection."""
    lead_id = make_user("lead").id
    failures = []

    def work():
        try:
            with app.app_context():
                for _ in range(each):
                    record("narrative.list", user_id=lead_id)
                    db.session.commit()
        except Exception as failure:  # reported below, with the test's own assertion
            failures.append(failure)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []


def test_events_recorded_at_once_form_one_chain_on_sqlite(app):
    before = len(all_events())
    record_from_threads(app)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"{before + 6 * 15} events" in result.output


@pytest.mark.postgres
def test_events_recorded_at_once_form_one_chain_on_postgresql(pg_app):
    before = len(all_events())
    record_from_threads(pg_app)
    result = verify(pg_app)
    assert result.exit_code == 0, result.output
    assert f"{before + 6 * 15} events" in result.output


@pytest.mark.postgres
def test_verify_names_an_edited_event_on_postgresql(pg_app):
    ids = record_events(3)
    assert verify(pg_app).exit_code == 0
    drop_triggers()
    db.session.execute(
        text("UPDATE audit_events SET user_id = NULL WHERE id = :id"), {"id": ids[2]}
    )
    db.session.commit()
    result = verify(pg_app)
    assert result.exit_code == 1
    assert f"Audit log broken at event {ids[2]}: its own fields have changed" in result.output


def test_verify_prints_the_newest_hash_to_keep_elsewhere(app):
    record_events(2)
    newest = all_events()[-1]
    result = verify(app)
    assert f"Newest event {newest.id}, hash {newest.hash}" in result.output
