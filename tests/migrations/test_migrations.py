"""Every schema change is an Alembic migration that upgrades and downgrades cleanly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from narrative_service import create_app
from narrative_service.extensions import db
from tests.conftest import base_config
from tests.factories import withdraw

EXPECTED_TABLES = {
    "sign_in_sessions",
    "sign_in_throttles",
    "recovery_codes",
    "risk_audits",
    "milestone_deliverables",
    "board_summaries",
    "anonymised_versions",
    "reflection_record_versions",
    "learning_point_themes",
    "conversation_prompts",
    "vocabulary_terms",
    "users",
    "audit_events",
    "cases",
    "narratives",
    "narrative_versions",
    "narrative_shares",
    "narrative_turns",
    "recordings",
    "transcript_segments",
    "reflection_sessions",
    "reflection_session_narratives",
    "reflection_attendees",
    "learning_points",
    "differences_of_perspective",
    "theme_groups",
    "themes",
    "theme_tags",
    "programmes",
    "milestones",
    "dissemination_activities",
    "evidence_files",
    "actions",
    "action_updates",
    "training_needs",
    "participant_feedback",
}


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        return compare_metadata(context, db.metadata)


def round_trip() -> None:
    upgrade()
    assert tables() == EXPECTED_TABLES
    assert schema_differences() == [], "the models and the migrations disagree"
    downgrade(revision="-1")  # the latest migration undoes cleanly on its own
    assert tables() <= EXPECTED_TABLES and "users" in tables()
    upgrade()
    downgrade(revision="base")  # and every migration down to an empty database
    assert tables() == set()
    upgrade()
    assert tables() == EXPECTED_TABLES
    assert schema_differences() == []


def test_sqlite_upgrades_from_empty_downgrades_and_upgrades_again(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}"))
    with app.app_context():
        round_trip()
        db.engine.dispose()


@pytest.mark.postgres
def test_postgresql_upgrades_from_empty_downgrades_and_upgrades_again(tmp_path, postgres_database):
    app = create_app(base_config(tmp_path, postgres_database))
    with app.app_context():
        round_trip()
        db.engine.dispose()


@pytest.mark.postgres
def test_narratives_are_recorded_and_withdrawn_on_postgresql(pg_app):
    from tests.factories import make_narrative, make_user

    advocate = make_user("advocate")
    narrative = make_narrative(advocate, status="complete", body=" ".join(["word"] * 50_000))
    assert narrative.word_count == 50_000
    withdraw(narrative, by=advocate)
    db.session.commit()
    db.session.expire_all()
    assert narrative.body == "" and narrative.status == "withdrawn"


def insert_events_before_the_chain() -> None:
    """Events as version 0009 left them: three times, a system event, nested detail."""
    statement = text(
        "INSERT INTO audit_events (at, user_id, action, object_type, object_id, detail) "
        "VALUES (:at, NULL, :action, :object_type, :object_id, :detail)"
    )
    for number, (action, object_type, detail) in enumerate(
        [
            ("demo.load", None, '{"narratives": 3}'),
            ("narrative.view", "Narrative", '{"fields": ["body", "title"]}'),
            ("export", "Milestone", '{"what": "evidence pack", "erased": {"turns": 2}}'),
        ]
    ):
        at = datetime(2026, 4, 1 + number, 9, 30, 0, 250_000 * number, tzinfo=UTC)
        db.session.execute(
            statement,
            {
                "at": at if db.engine.dialect.name == "postgresql" else at.replace(tzinfo=None),
                "action": action,
                "object_type": object_type,
                "object_id": number if object_type else None,
                "detail": detail,
            },
        )
    db.session.commit()


def chain_upgrade_and_downgrade(app) -> None:
    upgrade(revision="0009")
    insert_events_before_the_chain()
    upgrade(revision="0010")
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "Audit log intact: 3 events, chain verified." in result.output
    with pytest.raises(DBAPIError, match="audit events cannot be"):
        db.session.execute(text("DELETE FROM audit_events"))
    db.session.rollback()
    downgrade(revision="0009")
    columns = {column["name"] for column in inspect(db.engine).get_columns("audit_events")}
    assert {"hash", "previous_hash"} & columns == set()
    db.session.execute(text("DELETE FROM audit_events"))  # the triggers went with 0010
    db.session.commit()


def test_sqlite_upgrade_to_the_audit_chain_chains_existing_events(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'before.db'}"))
    with app.app_context():
        chain_upgrade_and_downgrade(app)
        db.session.remove()
        db.engine.dispose()


@pytest.mark.postgres
def test_postgresql_upgrade_to_the_audit_chain_chains_existing_events(tmp_path, postgres_database):
    app = create_app(base_config(tmp_path, postgres_database))
    with app.app_context():
        chain_upgrade_and_downgrade(app)
        db.session.remove()
        db.engine.dispose()
