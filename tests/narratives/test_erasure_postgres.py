"""Withdrawal on PostgreSQL: the copies are erased, and the tables they were in vacuumed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from narrative_service.extensions import db
from narrative_service.narratives.models import AnonymisedVersion
from narrative_service.themes.models import ThemeTag
from tests.factories import make_narrative, make_theme, make_user, withdraw


@pytest.mark.postgres
def test_withdrawal_erases_and_vacuums_on_postgresql(pg_app):
    advocate = make_user("advocate")
    narrative = make_narrative(advocate, status="complete")
    db.session.add_all(
        [
            ThemeTag(
                theme_id=make_theme().id,
                subject_type="narrative",
                subject_id=narrative.id,
                start_char=0,
                end_char=6,
                quote="Nobody",
                status="accepted",
            ),
            AnonymisedVersion(
                subject_type="narrative",
                subject_id=narrative.id,
                text="Nobody told me what was happening.",
                source_sha256="0" * 64,
                approved_by_id=advocate.id,
            ),
        ]
    )
    db.session.commit()
    counts = withdraw(narrative, by=advocate)
    db.session.commit()
    assert counts["theme tags and suggestions, with their quotes"] == 1
    assert counts["anonymised versions, draft and approved"] == 1
    for model in (ThemeTag, AnonymisedVersion):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    vacuumed = db.session.execute(
        text(
            "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL "
            "AND relname IN ('narratives', 'theme_tags', 'anonymised_versions')"
        )
    ).scalars()
    assert set(vacuumed) == {"narratives", "theme_tags", "anonymised_versions"}
