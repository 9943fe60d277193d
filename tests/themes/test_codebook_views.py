"""The codebook screens: leads and admins list, add, change, delete or merge themes, and
import and export the codebook as YAML, through the Flask test client."""

from __future__ import annotations

import io
import re

import pytest
import yaml
from sqlalchemy import select

from narrative_service.audit.models import AuditEvent
from narrative_service.extensions import db
from narrative_service.reflection import rules as reflection
from narrative_service.themes import codebook, codebook_format
from narrative_service.themes.models import Theme, ThemeTag
from tests.factories import make_narrative, make_session

CODEBOOK = "/themes/codebook"
NEW_IN_EXPERIENCE = f"{CODEBOOK}/groups/experience/themes/new"
HOUSING = {
    "code": "experience.housing",
    "name": "Housing",
    "description": "Losing or keeping a home.",
    "patterns": "- lemma: [housing, landlord]\n- phrase: [lost my flat]\n",
}
NOT_EDITORS = ("advocate", "facilitator", "board")


def theme(code: str) -> Theme | None:
    return db.session.scalar(select(Theme).where(Theme.code == code))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def text_of(response) -> str:
    return response.get_data(as_text=True)


def tag(of: Theme, subject_id: int, start: int = 0) -> ThemeTag:
    made = ThemeTag(
        theme_id=of.id,
        subject_type="narrative",
        subject_id=subject_id,
        start_char=start,
        end_char=start + 6,
        quote="Nobody",
        status="accepted",
    )
    db.session.add(made)
    db.session.commit()
    return made


def upload(text: str | bytes, name: str = "codebook.yaml") -> dict:
    data = text.encode() if isinstance(text, str) else text
    return {"codebook_file": (io.BytesIO(data), name)}


@pytest.fixture
def loaded(app):
    codebook.load_default_if_empty()
    db.session.commit()


@pytest.fixture
def housing(loaded, users, client_as):
    response = client_as("lead").post(NEW_IN_EXPERIENCE, data=HOUSING)
    assert response.status_code == 302
    return theme("experience.housing")


# ---------------------------------------------------------------- who may change it


# Every GET is in tests/test_permissions.py's TABLE; here, every change, by every role that
# may not make it, is refused and changes nothing.
WRITES = [
    NEW_IN_EXPERIENCE,
    f"{CODEBOOK}/themes/experience.housing/edit",
    f"{CODEBOOK}/themes/experience.housing/delete",
    f"{CODEBOOK}/import",
]


@pytest.mark.parametrize("role", NOT_EDITORS)
@pytest.mark.parametrize("url", WRITES)
def test_only_leads_and_admins_change_the_codebook(housing, client_as, role, url):
    before = codebook.export_codebook()
    data = {**HOUSING, "code": "experience.other", "name": "Changed", "merge_into": ""}
    response = client_as(role).post(url, data=data)
    assert response.status_code == 403
    assert codebook.export_codebook() == before


def test_a_theme_or_group_that_does_not_exist_is_not_found(loaded, client_as):
    lead = client_as("lead")
    assert lead.get(f"{CODEBOOK}/themes/experience.nothing/edit").status_code == 404
    assert lead.get(f"{CODEBOOK}/themes/experience.nothing/delete").status_code == 404
    assert lead.get(f"{CODEBOOK}/groups/nothing/themes/new").status_code == 404


def test_a_change_without_its_security_token_is_refused(housing, app, client_as):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client_as("lead").post(
        f"{CODEBOOK}/themes/experience.housing/edit", data={**HOUSING, "name": "Homes"}
    )
    assert response.status_code == 400
    assert theme("experience.housing").name == "Housing"


# ---------------------------------------------------------------- the list


def test_the_codebook_lists_groups_and_themes_with_how_many_tags_use_each(
    housing, users, client_as
):
    narrative = make_narrative(users["advocate"])
    tag(housing, narrative.id)
    tag(housing, narrative.id, start=10)
    page = text_of(client_as("lead").get(CODEBOOK))
    assert '<h2 id="experience">' in page and '<h2 id="principle">' in page
    row = re.search(r'<tr class="nhsuk-table__row" id="experience.housing">(.*?)</tr>', page, re.S)
    assert row, "the new theme has a row"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert cells[0].strip() == "Losing or keeping a home."
    assert cells[1].strip() == "2"  # tags
    assert "experience.housing" in row.group(1)
    assert "Delete or merge" in row.group(1)
    trust = re.search(r'id="experience.trust">(.*?)</tr>', page, re.S).group(1)
    assert "Shared" in trust and "Delete or merge" not in trust
    assert "fixed once the theme is created" in page
    assert "codes are how figures compare across organisations" in page


def test_leads_and_admins_find_themes_in_the_navigation_and_the_codebook_from_it(loaded, client_as):
    themes_link = 'href="/themes/analysis"'
    for role in ("lead", "admin"):
        analysis_page = text_of(client_as(role).get("/themes/analysis"))
        assert f'href="{CODEBOOK}"' in analysis_page
        header = client_as(role).get("/start").get_data(as_text=True).split("</header>")[0]
        assert themes_link in header and ">Themes<" in header
        # On the codebook, "Themes" is the current section.
        on_codebook = client_as(role).get(CODEBOOK).get_data(as_text=True).split("</header>")[0]
        link = re.search(r"<a\s[^>]*href=\"/themes/analysis\"[^>]*>", on_codebook).group()
        assert 'aria-current="page"' in link
    header = client_as("advocate").get("/start").get_data(as_text=True).split("</header>")[0]
    assert themes_link not in header


# ---------------------------------------------------------------- adding a theme


def test_a_lead_adds_a_theme_to_a_group(housing, users):
    assert housing.group.code == "experience"
    assert (housing.name, housing.description) == ("Housing", "Losing or keeping a home.")
    assert housing.patterns == [{"lemma": ["housing", "landlord"]}, {"phrase": ["lost my flat"]}]
    (event,) = events("codebook.add_theme")
    assert event.user_id == users["lead"].id and event.detail == {"code": "experience.housing"}


def test_the_new_theme_form_starts_with_the_groups_code_and_says_codes_are_fixed(loaded, client_as):
    page = text_of(client_as("lead").get(NEW_IN_EXPERIENCE))
    assert 'value="experience."' in page
    assert "A code is fixed once the theme is created" in page


def test_adding_a_theme_with_bad_patterns_names_the_line_and_saves_nothing(loaded, client_as):
    patterns = "- lemma: [housing]\n- lemmas: [landlord]\n"
    response = client_as("lead").post(NEW_IN_EXPERIENCE, data={**HOUSING, "patterns": patterns})
    assert response.status_code == 400
    page = text_of(response)
    assert "Line 2: Unknown kind of pattern &#39;lemmas&#39;" in page
    assert "There is a problem" in page
    assert theme("experience.housing") is None
    assert events("codebook.add_theme") == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "abuse.housing", "must start with &#39;experience.&#39;"),
        ("code", "experience.trust", "There is already a theme with the code experience.trust"),
        ("name", "", "Enter a name"),
        ("description", " ", "Enter a description"),
        ("patterns", "- lemma: [housing", "Line 1: This is not valid YAML"),
    ],
)
def test_adding_a_theme_shows_each_mistake(loaded, client_as, field, value, message):
    response = client_as("lead").post(NEW_IN_EXPERIENCE, data={**HOUSING, field: value})
    assert response.status_code == 400
    assert message in text_of(response)
    assert theme("experience.housing") is None


# ---------------------------------------------------------------- changing a theme


def test_the_change_page_shows_the_patterns_as_yaml_and_the_code_as_fixed(housing, client_as):
    page = text_of(client_as("lead").get(f"{CODEBOOK}/themes/experience.housing/edit"))
    assert "- lemma: [housing, landlord]" in page
    assert "<code>experience.housing</code>" in page
    assert "A code is fixed once the theme is created" in page
    assert 'name="code"' not in page


def test_a_lead_changes_a_themes_name_description_and_patterns(housing, users, client_as):
    changed = {"name": "Home", "description": "Keeping a home.", "patterns": "- lemma: [home]"}
    response = client_as("admin").post(
        f"{CODEBOOK}/themes/experience.housing/edit", data={**changed, "code": "experience.home"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    home = theme("experience.housing")  # the code posted alongside is ignored: codes are fixed
    assert (home.name, home.description, home.patterns) == (
        "Home",
        "Keeping a home.",
        [{"lemma": ["home"]}],
    )
    assert theme("experience.home") is None
    (event,) = events("codebook.change_theme")
    assert event.user_id == users["admin"].id
    assert event.detail == {
        "code": "experience.housing",
        "fields": ["name", "description", "patterns"],
    }


def test_a_change_with_bad_patterns_names_the_line_and_saves_nothing(housing, client_as):
    patterns = "- lemma: [home]\n- matcher: [{LEMA: tell}]\n"
    response = client_as("lead").post(
        f"{CODEBOOK}/themes/experience.housing/edit",
        data={"name": "Home", "description": "Keeping a home.", "patterns": patterns},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Line 2: Unknown token attribute &#39;LEMA&#39;" in page
    db.session.expire_all()
    unchanged = theme("experience.housing")
    assert unchanged.name == "Housing"
    assert unchanged.patterns == [{"lemma": ["housing", "landlord"]}, {"phrase": ["lost my flat"]}]
    assert events("codebook.change_theme") == []


def test_saving_a_theme_unchanged_records_nothing(housing, client_as):
    response = client_as("lead").post(
        f"{CODEBOOK}/themes/experience.housing/edit",
        data={**HOUSING, "patterns": codebook_format.patterns_as_yaml(housing.patterns)},
    )
    assert response.status_code == 302
    assert events("codebook.change_theme") == []


# ---------------------------------------------------------------- deleting or merging


def delete(client, code: str, merge_into: str = ""):
    return client.post(f"{CODEBOOK}/themes/{code}/delete", data={"merge_into": merge_into})


def test_a_theme_nothing_uses_is_deleted(housing, users, client_as):
    response = delete(client_as("lead"), "experience.housing")
    assert response.status_code == 302
    assert theme("experience.housing") is None
    (event,) = events("codebook.delete_theme")
    assert event.user_id == users["lead"].id


def test_deleting_a_theme_that_tags_use_is_refused_with_a_clear_message(housing, users, client_as):
    narrative = make_narrative(users["advocate"])
    tag(housing, narrative.id)
    tag(housing, narrative.id, start=20)
    response = delete(client_as("lead"), "experience.housing")
    assert response.status_code == 400
    page = text_of(response)
    assert "Housing (experience.housing) is used by 2 tags, so it cannot be deleted" in page
    assert "Merge it into another theme instead" in page
    assert theme("experience.housing") is not None
    assert len(db.session.scalars(select(ThemeTag)).all()) == 2
    assert events("codebook.delete_theme") == []


def test_merging_a_theme_moves_its_tags_and_removes_it(housing, users, client_as):
    narrative = make_narrative(users["advocate"])
    tags = [tag(housing, narrative.id).id, tag(housing, narrative.id, start=20).id]
    trust = theme("experience.trust")
    page = text_of(client_as("lead").get(f"{CODEBOOK}/themes/experience.housing/delete"))
    assert "is used by 2 tags" in page and f'value="{trust.id}"' in page
    response = delete(client_as("lead"), "experience.housing", str(trust.id))
    assert response.status_code == 302
    db.session.expire_all()
    assert theme("experience.housing") is None
    assert [db.session.get(ThemeTag, tag_id).theme_id for tag_id in tags] == [trust.id] * 2
    (event,) = events("codebook.merge")
    assert event.detail == {
        "merged": "experience.housing",
        "into": "experience.trust",
        "moved": 2,
        "duplicates": 0,
    }


def test_merging_also_moves_learning_points(housing, users, client_as):
    """A learning point chosen for the theme keeps its place in the reflections' figures."""
    narrative = make_narrative(users["advocate"], status="complete")
    session = make_session(users["facilitator"], [narrative], by=users["lead"])
    heard = reflection.add_attendee(session, by=users["facilitator"], name="PC Jones")
    reflection.mark_heard(session, {heard.id: "read_aloud"}, by=users["facilitator"])
    point = reflection.add_learning_point(
        session, text="Ask about home.", theme_ids=[housing.id], by=users["facilitator"]
    )
    db.session.commit()
    refused = delete(client_as("lead"), "experience.housing")
    assert refused.status_code == 400
    assert "is used by 1 learning point, so it cannot be deleted" in text_of(refused)

    trust = theme("experience.trust")
    assert delete(client_as("lead"), "experience.housing", str(trust.id)).status_code == 302
    db.session.expire_all()
    assert [t.code for t in db.session.get(type(point), point.id).themes] == ["experience.trust"]
    (event,) = events("codebook.merge")
    assert event.detail["learning_points"] == 1


def test_a_shared_theme_cannot_be_deleted(loaded, client_as):
    lead = client_as("lead")
    page = text_of(lead.get(f"{CODEBOOK}/themes/experience.trust/delete"))
    assert "one of the themes every organisation keeps" in page
    response = delete(lead, "experience.trust")
    assert response.status_code == 400
    assert "every organisation keeps" in text_of(response)
    assert theme("experience.trust") is not None


def test_merging_into_a_theme_that_is_not_there_is_refused(housing, client_as):
    response = delete(client_as("lead"), "experience.housing", "99999")
    assert response.status_code == 400
    assert "Choose a theme from the codebook to merge into" in text_of(response)
    assert theme("experience.housing") is not None


# ---------------------------------------------------------------- import and export


def test_an_import_with_a_mistake_is_refused_whole_with_the_line(loaded, client_as):
    text = codebook_format.default_codebook_text() + (
        "  - code: recovery\n"
        "    name: Recovery\n"
        "    themes:\n"
        "      - code: recovery.hope\n"
        "        name: Hope\n"
        "        description: Hope for the future.\n"
        "      - code: recovery.identity\n"
        "        name: Identity\n"
    )
    line = len(text.splitlines()) - 1  # the theme without a description starts here
    response = client_as("lead").post(
        f"{CODEBOOK}/import", data=upload(text), content_type="multipart/form-data"
    )
    assert response.status_code == 400
    page = text_of(response)
    assert f"Line {line}: A theme has no &#39;description&#39;" in page
    assert "nothing was changed" in page
    assert theme("recovery.hope") is None
    assert events("codebook.import") == []


def test_an_import_that_is_not_utf8_is_refused(loaded, client_as):
    response = client_as("lead").post(
        f"{CODEBOOK}/import",
        data=upload(b"groups:\n  - code: caf\xe9\n"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Line 2: This is not UTF-8 text" in text_of(response)


def test_an_import_without_a_file_asks_for_one(loaded, client_as):
    response = client_as("lead").post(f"{CODEBOOK}/import", data={})
    assert response.status_code == 400
    assert "Choose a codebook file (.yaml) to import" in text_of(response)


def test_an_import_is_accepted_and_merged(loaded, users, client_as):
    text = codebook_format.default_codebook_text().replace(
        "name: Trust\n", "name: Trusting staff\n", 1
    )
    text += (
        "  - code: recovery\n"
        "    name: Recovery\n"
        "    themes:\n"
        "      - code: recovery.hope\n"
        "        name: Hope\n"
        "        description: Hope for the future.\n"
        "        patterns:\n"
        "          - lemma: [hope]\n"
    )
    assert "name: Trusting staff" in text
    admin = client_as("admin")
    response = admin.post(
        f"{CODEBOOK}/import", data=upload(text), content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert theme("recovery.hope").patterns == [{"lemma": ["hope"]}]
    assert theme("experience.trust").name == "Trusting staff"
    page = text_of(admin.get(CODEBOOK))
    assert "Codebook imported. 1 theme added, 1 theme changed, 1 group added." in page
    (event,) = events("codebook.import")
    assert event.user_id == users["admin"].id
    assert event.detail["added"] == ["recovery.hope"]


def test_the_export_downloads_and_imports_back_unchanged(housing, users, client_as):
    lead = client_as("lead")
    response = lead.get(f"{CODEBOOK}.yaml")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=codebook.yaml"
    assert response.mimetype == "application/yaml"
    exported = response.get_data()
    assert yaml.safe_load(exported)["groups"]
    (event,) = events("export")
    assert event.detail == {"what": "theme codebook", "format": "yaml"}

    # Change a theme in the app, then import the export: the file's version comes back.
    lead.post(
        f"{CODEBOOK}/themes/experience.housing/edit",
        data={"name": "Home", "description": "Keeping a home.", "patterns": ""},
    )
    response = lead.post(
        f"{CODEBOOK}/import", data=upload(exported), content_type="multipart/form-data"
    )
    assert response.status_code == 302
    db.session.expire_all()
    restored = theme("experience.housing")
    assert (restored.name, restored.patterns) == ("Housing", housing.patterns)
    assert lead.get(f"{CODEBOOK}.yaml").get_data() == exported


def test_the_codebook_counts_accepted_tags_and_shows_suggestions_apart(loaded, users, client_as):
    trust = theme("experience.trust")
    narrative = make_narrative(users["advocate"])
    accepted = tag(trust, narrative.id)
    for start, status in ((10, "suggested"), (20, "suggested"), (30, "rejected")):
        waiting = tag(trust, narrative.id, start)
        waiting.status = status
    db.session.commit()

    page = text_of(client_as("lead").get(CODEBOOK))

    row = re.search(r'id="experience.trust">(.*?)</tr>', page, re.S).group(1)
    numbers = re.findall(r'nhsuk-table__cell--numeric">(\d+)<', row)
    assert numbers[:2] == ["1", "2"]  # tags accepted, suggestions to review
    assert "Tags accepted" in page and "Suggestions to review" in page
    uses = codebook.uses(trust)
    assert (uses.tags, uses.suggestions, uses.rejected) == (1, 2, 1)
    # Deleting still counts every use: a merge moves them all.
    assert str(uses) == "1 tag, 2 suggestions and 1 rejected suggestion"
    assert accepted.status == "accepted"
