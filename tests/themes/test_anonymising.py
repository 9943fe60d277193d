"""An anonymised version: the machine drafts, a person undoes or adds, then approves."""

from __future__ import annotations

from sqlalchemy import func, select

from narrative_service.audit.models import AuditEvent
from narrative_service.extensions import db
from narrative_service.narratives.models import AnonymisedVersion, Narrative
from tests.factories import make_narrative

STORY = (
    "My name is Jean Doyle and I live at 12 Acacia Road, Leeds LS6 2AB. "
    "We met at the allotments by hunslet moor most days. Call me on 07700 900123."
)


def test_review_undo_add_and_approve_without_changing_the_original(app, users, client_as):
    narrative = make_narrative(users["advocate"], body=STORY)
    advocate = client_as("advocate")
    url = f"/narratives/{narrative.id}/anonymised"
    page = advocate.get(url).get_data(as_text=True)
    preview = page[page.index('id="redacted-text"') :]
    preview = preview[: preview.index("</div>")]
    assert "Jean Doyle" not in preview and "[PERSON 1]" in preview
    assert "LS6 2AB" not in preview and "07700 900123" not in preview
    assert "hunslet moor" in preview, "a place the machine does not know"

    missing = advocate.post(url, data={"added": "Bluebell", "preview": "1"})
    assert missing.status_code == 400
    assert "“Bluebell” does not appear in the text." in missing.get_data(as_text=True)

    approved = advocate.post(url, data={"added": "hunslet moor", "approve": "1"})
    assert approved.status_code == 302
    version = db.session.scalars(select(AnonymisedVersion)).one()
    assert "hunslet" not in version.text and "Jean Doyle" not in version.text
    assert version.added == 1 and version.approved_by_id == users["advocate"].id
    assert "Jean" not in str(version.replacements), "where and what kind, never the words"
    assert db.session.get(Narrative, narrative.id).body == STORY, "the original is unchanged"
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "redaction.approve")
        )
        == 1
    )
    page = advocate.get(url).get_data(as_text=True)
    assert "Approved by" in page and "has changed since" not in page


def test_an_undone_replacement_is_put_back_as_written(app, users, client_as):
    narrative = make_narrative(users["advocate"], body="I rang Ward 7 at St Mary's Hospital.")
    advocate = client_as("advocate")
    url = f"/narratives/{narrative.id}/anonymised"
    page = advocate.get(url).get_data(as_text=True)
    import re

    undo = re.findall(r'name="undo" type="checkbox" value="([0-9]+-[0-9]+)"', page)
    assert undo, "the machine replaced something"
    advocate.post(url, data={"undo": undo, "approve": "1"})
    version = db.session.scalars(select(AnonymisedVersion)).one()
    assert version.text == "I rang Ward 7 at St Mary's Hospital."
    assert version.undone == len(undo)


def test_a_changed_narrative_needs_a_new_approval(app, users, client_as):
    narrative = make_narrative(users["advocate"], body=STORY)
    advocate = client_as("advocate")
    url = f"/narratives/{narrative.id}/anonymised"
    advocate.post(url, data={"approve": "1"})
    narrative.body = STORY + " Then things got better."
    db.session.commit()
    assert "The narrative has changed since" in advocate.get(url).get_data(as_text=True)
