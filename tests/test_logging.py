"""No identifiable data in logs: record content never reaches a log line."""

from __future__ import annotations

import logging

from tests.narratives.test_views import form_data


def test_recording_and_viewing_a_narrative_logs_nothing_it_contains(client_as, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_as("advocate")
    secret = "Mrs Identifiable lives at 12 Example Street"
    response = client.post("/narratives/new", data=form_data(body=secret, title=secret))
    client.get(response.headers["Location"])
    client.get("/narratives?case=SG-2025-0143")
    access = [r.getMessage() for r in caplog.records if r.name == "narrative_service.access"]
    assert any(line.startswith("POST /narratives/new 302 user=") for line in access)
    assert not any("SG-2025-0143" in line for line in access)
    assert all(secret not in record.getMessage() for record in caplog.records)
