"""Every schema change is an Alembic migration that upgrades and downgrades cleanly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

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
