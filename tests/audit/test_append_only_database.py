"""The database itself refuses to change or delete an audit event, however it is asked.

The ORM's own refusal is in test_audit_log.py; these go round it, as a bulk statement or
raw SQL would.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, delete, inspect, text, update
from sqlalchemy.exc import DBAPIError

from narrative_service.audit.models import AuditEvent
from narrative_service.audit.rules import record
from narrative_service.extensions import db
from tests.factories import make_user

CHANGES = {
    "raw SQL UPDATE": lambda: db.session.execute(
        text("UPDATE audit_events SET action = 'sign_out'")
    ),
    "raw SQL DELETE": lambda: db.session.execute(text("DELETE FROM audit_events")),
    "bulk ORM update": lambda: db.session.execute(
        update(AuditEvent).values(detail={"changed": True})
    ),
    "bulk ORM delete": lambda: db.session.execute(delete(AuditEvent)),
}
POSTGRESQL_CHANGES = {
    **CHANGES,
    "TRUNCATE": lambda: db.session.execute(text("TRUNCATE audit_events")),
}


def recorded_event() -> int:
    lead = make_user("lead")
    event = record("sign_in", user_id=lead.id)
    db.session.commit()
    return event.id


def assert_refused(change) -> None:
    event_id = recorded_event()
    with pytest.raises(DBAPIError, match="audit events cannot be"):
        change()
    db.session.rollback()
    row = db.session.execute(
        text("SELECT action, detail FROM audit_events WHERE id = :id"), {"id": event_id}
    ).one()
    assert row.action == "sign_in"


@pytest.mark.parametrize("how", sorted(CHANGES))
def test_sqlite_refuses_to_change_or_delete_an_event(app, how):
    assert_refused(CHANGES[how])


@pytest.mark.postgres
@pytest.mark.parametrize("how", sorted(POSTGRESQL_CHANGES))
def test_postgresql_refuses_to_change_delete_or_truncate_an_event(pg_app, how):
    assert_refused(POSTGRESQL_CHANGES[how])


def test_a_schema_made_from_the_models_has_the_triggers_too(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'from-models.db'}")
    db.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_events (at, action, detail, previous_hash, hash) "
                "VALUES ('2026-01-01 10:00:00', 'sign_in', '{}', :zero, :zero)"
            ),
            {"zero": "0" * 64},
        )
    with engine.begin() as connection, pytest.raises(DBAPIError, match="cannot be deleted"):
        connection.execute(text("DELETE FROM audit_events"))
    db.metadata.drop_all(engine)  # dropping the table is still allowed
    assert inspect(engine).get_table_names() == []
    engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_schema_made_from_the_models_has_the_triggers_too(postgres_database):
    engine = create_engine(postgres_database)
    db.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_events (at, action, detail, previous_hash, hash) "
                "VALUES (now(), 'sign_in', '{}', :zero, :zero)"
            ),
            {"zero": "0" * 64},
        )
    with engine.begin() as connection, pytest.raises(DBAPIError, match="cannot be changed"):
        connection.execute(text("UPDATE audit_events SET action = 'sign_out'"))
    db.metadata.drop_all(engine)
    assert inspect(engine).get_table_names() == []
    engine.dispose()
