"""Leads and admins export the audit log as CSV for auditors, with the list's filters."""

from __future__ import annotations

import csv
import io
import json
from html import unescape

import pytest
from sqlalchemy import select

from narrative_service.audit.models import AuditEvent
from narrative_service.extensions import db
from tests.factories import make_narrative

HEADINGS = [
    "When (UTC)",
    "Who",
    "Action",
    "Action description",
    "Record type",
    "Record id",
    "Detail",
    "Hash",
]


def exported(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = csv.reader(io.StringIO(response.get_data(as_text=True)))
    assert next(reader) == HEADINGS
    return [dict(zip(HEADINGS, row, strict=True)) for row in reader]


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_leads_and_admins_export_the_events_they_filtered(client_as, users, role):
    advocate = users["advocate"]
    narrative = make_narrative(advocate)
    client_as("advocate").get(f"/narratives/{narrative.id}")
    client_as("facilitator").get("/narratives")
    rows = exported(
        client_as(role).get(f"/audit/export.csv?action=narrative.view&user={advocate.id}")
    )
    assert len(rows) == 1
    (row,) = rows
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "narrative.view")
    ).one()
    assert row["Who"] == f"{advocate.name} <{advocate.email}>"
    assert row["Action"] == "narrative.view"
    assert row["Action description"] == "Viewed a narrative"
    assert (row["Record type"], row["Record id"]) == ("Narrative", str(narrative.id))
    assert row["Hash"] == event.hash
    assert row["When (UTC)"].endswith("+00:00")
    assert json.loads(row["Detail"]) == event.detail


def test_the_export_is_oldest_first_and_names_events_without_a_person_system(client_as, users):
    from narrative_service.audit.rules import record

    record("demo.load", user_id=None, narratives=3)
    db.session.commit()
    client_as("advocate").get("/narratives")
    rows = exported(client_as("lead").get("/audit/export.csv"))
    hashes = [row["Hash"] for row in rows]
    in_order = db.session.scalars(select(AuditEvent.hash).order_by(AuditEvent.id)).all()
    assert hashes == in_order[: len(hashes)]
    assert [row["Who"] for row in rows if row["Action"] == "demo.load"] == ["system"]


def test_the_export_filters_by_day(client_as, users):
    client_as("advocate").get("/narratives")
    assert exported(client_as("lead").get("/audit/export.csv?from=2001-01-01&to=2001-01-02")) == []


def test_an_export_is_in_the_audit_log_with_its_row_count(client_as, users):
    client_as("advocate").get("/narratives")
    rows = exported(client_as("lead").get(f"/audit/export.csv?user={users['advocate'].id}"))
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id.desc())
    ).first()
    assert event.user_id == users["lead"].id
    assert event.detail == {
        "what": "audit log",
        "format": "csv",
        "rows": len(rows),
        "filters": {"user": users["advocate"].id},
    }


@pytest.mark.parametrize("role", ["advocate", "facilitator", "board"])
def test_other_roles_cannot_export_the_log(client_as, role):
    assert client_as(role).get("/audit/export.csv").status_code == 403


def test_the_log_page_links_to_the_export_with_its_filters(client_as, users):
    page = client_as("lead").get(f"/audit?action=sign_in&user={users['advocate'].id}&page=2")
    before_the_link_text = page.get_data(as_text=True).split("Download as CSV")[0]
    link = unescape(before_the_link_text.rsplit('href="', 1)[1].split('"')[0])
    assert link.startswith("/audit/export.csv?")
    assert "action=sign_in" in link and f"user={users['advocate'].id}" in link
    assert "page=" not in link
