"""Drill-down from the analysis to the quotes behind each figure: the same counts as the
table, and quotes redacted for anyone outside the case team."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from narrative_service.audit.models import AuditEvent
from narrative_service.extensions import db
from narrative_service.narratives import access
from narrative_service.narratives import rules as narrative_rules
from narrative_service.reflection import access as reflection_access
from narrative_service.reflection import rules as reflection
from narrative_service.themes import analysis
from narrative_service.themes.models import ThemeTag
from tests.factories import make_narrative, make_session, make_theme, make_user

NAME = "Zebedee Quartermaine"
NHS_NUMBER = "943 476 5919"
FIRST = f"My name is {NAME} and my NHS number is {NHS_NUMBER}. Nobody listened to me when I rang."
SECOND = f"{NAME} is what they wrote on the letter, and nobody listened then either."
STORY = f"{FIRST} I waited for weeks. {SECOND}"
IDENTIFIERS = (NAME, "Zebedee", "Quartermaine", NHS_NUMBER, NHS_NUMBER.replace(" ", ""))


def tag(theme, narrative, quote: str, status: str = "accepted") -> ThemeTag:
    start = narrative.body.index(quote)
    made = ThemeTag(
        theme_id=theme.id,
        subject_type="narrative",
        subject_id=narrative.id,
        start_char=start,
        end_char=start + len(quote),
        quote=quote,
        origin="manual",
        status=status,
    )
    db.session.add(made)
    db.session.commit()
    return made


def ready_to_reflect(session, facilitator, *, name: str = "PC Jones", user_id=None):
    """A session where someone heard the narrative directly, so reflections may be recorded."""
    attendee = reflection.add_attendee(session, by=facilitator, name=name, user_id=user_id)
    reflection.mark_heard(session, {attendee.id: "read_aloud"}, by=facilitator)
    db.session.commit()
    return session


def count_on(page: str) -> int:
    return int(re.search(r'<p id="count"><strong>(\d+) ', page).group(1))


def quotes_url(code: str, source: str = "narratives", quarter: str | None = "2025-26-Q1"):
    return f"/themes/analysis/{code}/{source}" + (f"/{quarter}" if quarter else "")


@pytest.fixture
def listened(app):
    return make_theme("experience.listened_to", "Being listened to")


@pytest.fixture
def planted(users, listened):
    """The advocate's narrative, naming the person and their NHS number in two quotes."""
    narrative = make_narrative(users["advocate"], body=STORY)
    tag(listened, narrative, FIRST)
    tag(listened, narrative, SECOND)
    return narrative


# ---------------------------------------------------------------- the counts agree


def test_every_figure_of_the_analysis_opens_onto_as_many_records(
    users, client_as, listened, monkeypatch
):
    monkeypatch.setattr(analysis, "today", lambda: date(2025, 9, 1))  # in 2025/26 Q2
    informed = make_theme("experience.information", "Being told what is happening")
    advocate, lead = users["advocate"], users["lead"]
    first = make_narrative(advocate, body=STORY, captured_from=date(2025, 5, 14))
    tag(listened, first, FIRST)
    tag(listened, first, SECOND)  # two quotes, one narrative
    tag(informed, first, "I waited for weeks.")
    second = make_narrative(advocate, body=STORY, captured_from=date(2025, 6, 1))
    tag(listened, second, SECOND)
    tag(informed, second, FIRST, status="suggested")  # not yet evidence
    third = make_narrative(lead, body=STORY, captured_from=date(2025, 8, 10))
    tag(listened, third, FIRST)
    tag(informed, third, SECOND, status="rejected")
    withdrawn = make_narrative(advocate, status="withdrawn")
    db.session.add(
        ThemeTag(
            theme_id=listened.id,
            subject_type="narrative",
            subject_id=withdrawn.id,
            quote="gone",
            status="accepted",
        )
    )
    reflected = make_narrative(advocate, status="complete")
    session = ready_to_reflect(
        make_session(users["facilitator"], [reflected], by=lead), users["facilitator"]
    )
    for text, themes in (("Ask first.", [listened]), ("Explain letters.", [listened, informed])):
        reflection.add_learning_point(
            session, text=text, theme_ids=[t.id for t in themes], by=users["facilitator"]
        )
    db.session.commit()

    counts = analysis.theme_counts()
    # Every quarter of the programme year, the empty ones too.
    assert counts.quarters == ["2025/26 Q1", "2025/26 Q2", "2025/26 Q3", "2025/26 Q4"]
    rows = counts.rows()
    expected = {
        ("experience.listened_to", "narratives"): [2, 1, 0, 0],
        ("experience.information", "narratives"): [1, 0, 0, 0],
        ("experience.listened_to", "reflections"): [0, 2, 0, 0],
        ("experience.information", "reflections"): [0, 1, 0, 0],
    }
    assert {(row["code"], row["source"]): row["values"] for row in rows} == expected

    client = client_as("lead")
    table = client.get("/themes/analysis").get_data(as_text=True)
    checked = 0
    for row in rows:
        for quarter, value in zip(counts.quarters, row["values"], strict=True):
            url = quotes_url(row["code"], row["source"], analysis.quarter_slug(quarter))
            if value:
                assert f'href="{url}"' in table
            page = client.get(url)
            assert page.status_code == 200
            assert count_on(page.get_data(as_text=True)) == value, url
            checked += 1
        total = quotes_url(row["code"], row["source"], None)
        assert f'href="{total}"' in table
        assert count_on(client.get(total).get_data(as_text=True)) == row["total"]
    assert checked == 16  # every figure, the empty quarters too


# ---------------------------------------------------------------- who sees what


@pytest.mark.parametrize("role", ("lead", "admin"))
def test_quotes_are_redacted_for_people_outside_the_case_team(planted, client_as, role):
    response = client_as(role).get(quotes_url("experience.listened_to"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for identifier in IDENTIFIERS:
        assert identifier not in page
    assert "Nobody listened to me when I rang." in page
    assert "[NHS NUMBER 1]" in page
    # The same person has the same placeholder in both quotes of the narrative.
    people = re.findall(r"\[PERSON \d+\]", page)
    assert len(people) >= 2 and len(set(people)) == 1
    assert planted.title not in page  # the title is for the case team only
    assert "Redacted" in page


def test_the_case_team_sees_the_quotes_as_written(users, client_as, listened):
    own = make_narrative(users["lead"], body=STORY)  # a lead's own case
    tag(listened, own, FIRST)
    page = client_as("lead").get(quotes_url("experience.listened_to")).get_data(as_text=True)
    assert FIRST in page
    assert f'href="/narratives/{own.id}/themes"' in page
    other_lead = make_user("lead")
    page = client_as(other_lead).get(quotes_url("experience.listened_to")).get_data(as_text=True)
    assert NAME not in page and NHS_NUMBER not in page


@pytest.mark.parametrize("role", ("advocate", "facilitator", "board"))
def test_only_leads_and_admins_open_the_quotes(planted, users, client_as, role):
    if role == "facilitator":
        narrative_rules.share(planted, users["facilitator"], by=users["advocate"])
        db.session.commit()
    for url in (
        quotes_url("experience.listened_to"),
        quotes_url("experience.listened_to", quarter=None),
    ):
        response = client_as(role).get(url)
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        for identifier in IDENTIFIERS:
            assert identifier not in page


def test_who_is_in_a_narratives_case_team(planted, users):
    facilitator, sharer = make_user("facilitator"), users["facilitator"]
    narrative_rules.share(planted, sharer, by=users["advocate"])
    db.session.commit()
    complete = make_narrative(users["advocate"], status="complete")
    make_session(facilitator, [complete], by=users["lead"])

    def in_team(user, narrative):
        facilitated = set(db.session.scalars(reflection_access.facilitated_narrative_ids(user)))
        return access.is_in_case_team(
            user, narrative, facilitates_a_session=narrative.id in facilitated
        )

    assert in_team(users["advocate"], planted)  # who wrote it
    assert in_team(sharer, planted)  # whoever it is shared with
    assert in_team(facilitator, complete)  # who facilitates a session reflecting on it
    assert not in_team(facilitator, planted)
    assert not in_team(users["lead"], planted)  # oversight is not membership
    assert not in_team(users["admin"], planted)
    assert not in_team(users["board"], planted)


def test_a_board_member_is_never_in_a_case_team(users):
    board = users["board"]
    narrative = make_narrative(users["advocate"])
    narrative.created_by_id = board.id  # even were a record ever to name them
    assert access.is_in_case_team(board, narrative, facilitates_a_session=True) is False


def test_learning_points_are_redacted_outside_the_session(users, client_as, listened):
    facilitator = users["facilitator"]
    narrative = make_narrative(users["advocate"], status="complete", body=STORY)
    narrative_rules.share(narrative, facilitator, by=users["advocate"])
    db.session.commit()
    session = make_session(facilitator, [narrative])  # set up by the facilitator
    ready_to_reflect(session, facilitator)
    point = f"Ask {NAME} first; NHS number {NHS_NUMBER} was on the wrong letter."
    reflection.add_learning_point(session, text=point, theme_ids=[listened.id], by=facilitator)
    db.session.commit()
    url = quotes_url("experience.listened_to", "reflections", "2025-26-Q2")
    page = client_as("lead").get(url).get_data(as_text=True)
    assert count_on(page) == 1
    for identifier in IDENTIFIERS:
        assert identifier not in page
    assert "was on the wrong letter." in page

    session_lead = make_user("lead")
    reflection.add_attendee(
        session, by=facilitator, name=session_lead.name, user_id=session_lead.id
    )
    db.session.commit()
    assert point in client_as(session_lead).get(url).get_data(as_text=True)


# ---------------------------------------------------------------- the page itself


def test_opening_the_quotes_is_audited_without_their_words(planted, users, client_as):
    client_as("lead").get(quotes_url("experience.listened_to"))
    (event,) = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "themes.analysis", AuditEvent.user_id == users["lead"].id
        )
    ).all()
    assert event.detail == {
        "theme": "experience.listened_to",
        "source": "narratives",
        "quarter": "2025/26 Q1",
        "records": 1,
        "unredacted": 0,
    }


@pytest.mark.parametrize(
    "url",
    [
        quotes_url("experience.nothing"),
        quotes_url("experience.listened_to", quarter="2025-26-Q5"),
        quotes_url("experience.listened_to", quarter="2025-27-Q1"),
        quotes_url("experience.listened_to", quarter="soon"),
        quotes_url("experience.listened_to", source="actions"),
    ],
)
def test_a_figure_that_does_not_exist_is_not_found(listened, client_as, url):
    assert client_as("lead").get(url).status_code == 404


def test_a_quote_edited_away_since_tagging_is_still_redacted(planted, client_as):
    planted.body = f"My name is {NAME}. I have changed my story."
    db.session.commit()
    page = client_as("lead").get(quotes_url("experience.listened_to")).get_data(as_text=True)
    assert count_on(page) == 1
    for identifier in IDENTIFIERS:
        assert identifier not in page
    assert "nobody listened then either." in page


def test_quarter_slugs_round_trip():
    assert analysis.quarter_slug("2025/26 Q1") == "2025-26-Q1"
    assert analysis.quarter_from_slug("2025-26-Q1") == "2025/26 Q1"
    with pytest.raises(ValueError):
        analysis.quarter_from_slug("2025-26-Q0")


@pytest.mark.parametrize(
    ("values", "trend"),
    [
        ([1, 0, 0], "down"),  # read as level when only the last two quarters were compared
        ([0, 0, 1], "up"),
        ([1, 2, 1], "level"),
        ([3, 3, 3, 3], "level"),
        ([2, 0, 1, 3], "up"),
        ([5], "level"),
    ],
)
def test_a_trend_is_read_across_every_quarter_so_far(values, trend):
    assert analysis._trend(values) == trend


def test_the_analysis_shows_every_quarter_from_the_first_programme_year_to_now():
    assert analysis.every_quarter({"2025/26 Q2", "2026/27 Q1"}) == [
        f"{year} Q{n}" for year in ("2025/26", "2026/27") for n in (1, 2, 3, 4)
    ]
    assert analysis.every_quarter(set()) == []


def test_quarters_not_yet_reached_are_shown_but_not_counted_in_the_trend(
    users, client_as, listened, monkeypatch
):
    monkeypatch.setattr(analysis, "today", lambda: date(2025, 11, 1))  # in 2025/26 Q3
    tag(
        listened,
        make_narrative(users["advocate"], body=STORY, captured_from=date(2025, 5, 1)),
        FIRST,
    )
    db.session.commit()

    counts = analysis.theme_counts()
    (row,) = counts.rows()
    assert counts.until == "2025/26 Q3" and row["values"] == [1, 0, 0, 0]
    assert row["trend"] == "down"  # 1, 0, 0: the fourth quarter is still to come
    table = client_as("lead").get("/themes/analysis").get_data(as_text=True)
    assert table.count("not yet") == 1
