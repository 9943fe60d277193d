"""Every copy of a person's words is registered for erasure, or kept with a reason.

The test walks the database metadata: every table that refers to a narrative, directly or
through recordings, reflection sessions, tags or versions, and every text column in it,
must be named by a feature's erasure.Holding. A new column nobody thought about fails here.
"""

from __future__ import annotations

from sqlalchemy import JSON, String

from narrative_service import erasure
from narrative_service.extensions import db

# A reflection session exists to hear narratives (reflection_session_narratives links
# them), so everything that hangs off a session is about a narrative too.
ABOUT_A_NARRATIVE = {"narratives", "reflection_sessions"}


def tables_about_a_narrative() -> set[str]:
    tables = db.metadata.tables
    about = set(ABOUT_A_NARRATIVE)
    about |= {
        name
        for name, table in tables.items()
        if any(column.info.get("subject") for column in table.columns)
    }
    while True:
        more = {
            name
            for name, table in tables.items()
            if name not in about
            and any(key.column.table.name in about for key in table.foreign_keys)
        }
        if not more:
            return about
        about |= more


def text_columns(table_name: str) -> set[str]:
    table = db.metadata.tables[table_name]
    return {
        column.name
        for column in table.columns
        if isinstance(column.type, String | JSON) and not column.foreign_keys
    }


def test_the_walk_finds_the_copies_the_issue_names(app):
    about = tables_about_a_narrative()
    for table in (
        "narrative_versions",
        "narrative_turns",
        "recordings",
        "transcript_segments",
        "theme_tags",
        "anonymised_versions",
        "differences_of_perspective",
        "participant_feedback",
        "audit_events",
    ):
        assert table in about


def test_every_text_column_about_a_narrative_is_erased_or_kept_with_a_reason(app):
    declared = erasure.declared_columns()
    missing = sorted(
        f"{table}.{column}"
        for table in tables_about_a_narrative()
        for column in text_columns(table)
        if (table, column) not in declared
    )
    assert missing == [], (
        "register these with erasure.register() in the feature that owns them "
        "(erased, or kept with a reason)"
    )


def test_every_declared_column_exists(app):
    tables = db.metadata.tables
    stale = sorted(
        f"{table}.{column}"
        for table, column in erasure.declared_columns()
        if table not in tables or column not in tables[table].columns
    )
    assert stale == []


def test_every_kept_column_says_why(app):
    for holding in erasure.holdings():
        for table, reasons in holding.kept.items():
            for column, reason in reasons.items():
                assert len(reason.split()) >= 3, f"{table}.{column}: say why it is kept"


def test_a_column_is_never_both_erased_and_kept(app):
    erased = {
        (table, column)
        for holding in erasure.holdings()
        for table, columns in holding.erased.items()
        for column in columns
    }
    kept = {
        (table, column)
        for holding in erasure.holdings()
        for table, reasons in holding.kept.items()
        for column in reasons
    }
    assert erased & kept == set()


def test_every_feature_that_erases_is_connected_to_withdrawal(app):
    from narrative_service.signals import narrative_withdrawn

    erasing = {holding.feature for holding in erasure.holdings() if holding.erased}
    assert erasing == {"narratives", "transcription", "themes", "reflection", "milestones"}
    assert len(list(narrative_withdrawn.receivers)) == len(erasing)
