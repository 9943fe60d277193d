"""The theme codebook: the packaged default, checking a file, import, export, and changes
to one theme, through the real test database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from narrative_service.audit.models import AuditEvent
from narrative_service.errors import DomainError, ValidationFailed
from narrative_service.extensions import db
from narrative_service.themes import codebook, codebook_checker, codebook_format
from narrative_service.themes.codebook import CodebookError
from narrative_service.themes.models import Theme, ThemeGroup, ThemeTag

HOUSING_PATTERNS = '- lemma: [housing, landlord]\n- phrase: ["lost my flat"]\n'

A_SMALL_FILE = """\
groups:
  - code: experience
    name: The person's experience
    themes:
      - code: experience.trust
        name: Trust
        description: Whether the person trusted the staff involved.
        patterns:
          - lemma: [trust]
      - code: experience.timeliness
        name: Timeliness
        description: How long things took.
"""


def line_of(text: str, fragment: str) -> int:
    """The number of the one line, not a comment, holding `fragment`."""
    numbers = [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if fragment in line and not line.startswith("#")
    ]
    assert len(numbers) == 1, f"{fragment!r} is on lines {numbers}"
    return numbers[0]


def problems_in(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(CodebookError) as refused:
        codebook_checker.parse_codebook(text)
    return [(problem.line, problem.reason) for problem in refused.value.problems]


def pattern_problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(CodebookError) as refused:
        codebook_checker.parse_patterns(text)
    return [(problem.line, problem.reason) for problem in refused.value.problems]


def theme(code: str) -> Theme:
    return db.session.scalar(select(Theme).where(Theme.code == code))


def theme_count() -> int:
    return db.session.scalar(select(func.count(Theme.id)))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def tag(of: Theme, subject_id: int, *, start: int = 0, end: int = 10, status="accepted"):
    made = ThemeTag(
        theme=of,
        subject_type="narrative",
        subject_id=subject_id,
        start_char=start,
        end_char=end,
        quote="nobody listened",
        status=status,
    )
    db.session.add(made)
    db.session.flush()
    return made


@pytest.fixture
def loaded(app):
    """The database after the first run: the default codebook."""
    codebook.load_default_if_empty()
    db.session.commit()


@pytest.fixture
def housing(loaded, users) -> Theme:
    """An organisation's own theme, added in the app."""
    added = codebook.add_theme(
        db.session.scalar(select(ThemeGroup).where(ThemeGroup.code == "experience")),
        "experience.housing",
        "Housing",
        "Keeping a home, or losing it, because of what happened.",
        HOUSING_PATTERNS,
        by=users["lead"],
    )
    db.session.commit()
    return added


# ---------------------------------------------------------------- the default


def test_the_default_codebook_has_exactly_the_shared_codes():
    default = codebook_checker.default_codebook()
    assert sorted(default.codes) == sorted(codebook_format.REQUIRED_CODES)
    assert len(codebook_format.REQUIRED_CODES) == len(set(codebook_format.REQUIRED_CODES)) == 38
    assert [group.code for group in default.groups] == [
        "principle",
        "experience",
        "abuse",
        "practice",
    ]


def test_every_default_theme_has_a_name_a_description_and_patterns():
    for entry in codebook_checker.default_codebook().themes:
        assert entry.name and len(entry.name) <= codebook_format.MAX_NAME
        assert entry.description.rstrip('"').endswith("."), entry.code  # whole sentences
        assert entry.patterns, entry.code


def test_the_default_patterns_are_accepted_by_spacy():
    """The contract with theme suggestions: every pattern compiles in spaCy's matchers."""
    spacy = pytest.importorskip("spacy")
    from spacy.matcher import DependencyMatcher, Matcher

    vocab = spacy.blank("en").vocab
    matcher = Matcher(vocab, validate=True)
    dependency_matcher = DependencyMatcher(vocab, validate=True)
    kinds = set()
    for entry in codebook_checker.default_codebook().themes:
        for number, pattern in enumerate(entry.patterns):
            ((kind, value),) = pattern.items()
            kinds.add(kind)
            if kind == "matcher":
                matcher.add(f"{entry.code}/{number}", [value])
            elif kind == "dependency":
                dependency_matcher.add(f"{entry.code}/{number}", [value])
    assert kinds == set(codebook_format.PATTERN_KINDS)


def test_the_default_is_loaded_on_first_run_only(app):
    assert codebook.load_default_if_empty() == 38
    db.session.commit()
    assert codebook.load_default_if_empty() == 0
    db.session.commit()
    assert theme_count() == 38
    assert db.session.scalar(select(func.count(ThemeGroup.id))) == 4
    assert theme("experience.listened_to").group.code == "experience"
    assert [event.detail for event in events("codebook.load_default")] == [{"themes": 38}]


# ---------------------------------------------------------------- a file with problems


def test_a_file_with_two_problems_reports_both_with_their_lines_and_loads_nothing(app, users):
    text = (
        codebook_format.default_codebook_text()
        .replace("- code: experience.trust\n", "- code: experience.Trust\n")
        .replace("- lemma: [risk, danger]", "- lemmas: [risk, danger]")
    )
    with pytest.raises(CodebookError) as refused:
        codebook.import_codebook(text, by=users["lead"])

    problems = refused.value.problems
    assert [problem.line for problem in problems] == [
        line_of(text, "code: experience.Trust"),
        line_of(text, "- lemmas: [risk, danger]"),
    ]
    assert "experience.Trust" in problems[0].reason
    assert "lower-case words joined by underscores" in problems[0].reason
    assert "Unknown kind of pattern 'lemmas'" in problems[1].reason
    assert refused.value.message.startswith("Nothing was changed: the codebook has 2 problems.")
    assert f"Line {problems[1].line}: Unknown kind" in refused.value.message
    db.session.rollback()
    assert theme_count() == 0
    assert events("codebook.import") == []


def test_duplicate_codes_name_both_lines():
    text = A_SMALL_FILE.replace("code: experience.timeliness", "code: experience.trust")
    first = line_of(A_SMALL_FILE, "code: experience.trust")
    second = line_of(A_SMALL_FILE, "code: experience.timeliness")
    assert problems_in(text) == [
        (
            second,
            f"The theme code 'experience.trust' is used twice, on lines {first} and {second}; "
            "each code must be used once",
        )
    ]


def test_text_that_is_not_yaml_reports_the_line_yaml_stopped_at():
    text = A_SMALL_FILE.replace("    name: Trust", "\tname: Trust")
    ((line, reason),) = problems_in(text)
    assert line == line_of(text, "\tname: Trust")
    assert reason.startswith("This is not valid YAML:")
    assert "'\\t'" in reason


def test_an_unclosed_quote_names_where_it_starts():
    text = A_SMALL_FILE.replace("name: Trust", 'name: "Trust')
    opened = line_of(text, 'name: "Trust')
    ((line, reason),) = problems_in(text)
    assert line > opened
    assert f"starts on line {opened}" in reason


@pytest.mark.parametrize(
    ("change", "fragment", "words"),
    [
        (("  - code: experience\n", "  - code: Experience\n"), "code: Experience", "group code"),
        (("name: Trust", "nmae: Trust"), "nmae: Trust", "Unknown key 'nmae' in a theme"),
        (("        name: Trust\n", ""), "code: experience.trust", "A theme has no 'name'"),
        (("name: Trust", "name: ''"), "name: ''", "Enter a name"),
        (("code: experience.trust", "code: abuse.trust"), "code: abuse.trust", "'experience.'"),
        (("code: experience.trust", "code: trust"), "code: trust", "the group's code, a dot"),
        (("description: How", "summary: How"), "experience.timeliness", "no 'description'"),
        (("description: How", "summary: How"), "summary: How", "Unknown key 'summary'"),
        (("patterns:\n          - lemma:", "patterns:"), "patterns: [trust]", "A pattern must"),
        (("groups:", "group:"), "group:", "Unknown key 'group' in the file"),
    ],
)
def test_each_problem_in_a_file_is_named_with_its_line(change, fragment, words):
    text = A_SMALL_FILE.replace(*change, 1)
    problems = problems_in(text)
    assert any(line == line_of(text, fragment) and words in reason for line, reason in problems), (
        problems
    )


def test_an_empty_file_is_refused():
    assert problems_in("") == [(1, "The file is empty: it should start with 'groups:'")]


def test_aliases_are_refused_so_a_small_file_cannot_expand():
    text = "groups: &all\n  - code: a\nmore: *all\n"
    ((line, reason),) = problems_in(text)
    assert line == 3
    assert "aliases" in reason


def test_a_repeated_key_is_named_with_both_lines():
    text = A_SMALL_FILE.replace(
        "        name: Trust\n", "        name: Trust\n        name: Trusting staff\n"
    )
    first = line_of(text, "name: Trusting staff") - 1
    assert problems_in(text) == [
        (first + 1, f"'name' appears twice in a theme (lines {first} and {first + 1})")
    ]


# ---------------------------------------------------------------- patterns


def test_words_yaml_would_read_as_true_or_numbers_stay_words():
    assert codebook_checker.parse_patterns("- word: [no, yes, on, off]\n- phrase: 1:1") == [
        {"word": ["no", "yes", "on", "off"]},
        {"phrase": ["1:1"]},
    ]


def test_patterns_of_every_kind_are_read():
    text = """\
- word: scared
- lemma: [listen, ignore]
- phrase: "nobody  told me"
- matcher: [{LEMMA: tell}, {LOWER: {IN: [me, us]}, OP: "?"}, {LENGTH: {">=": 3}, IS_PUNCT: false}]
- dependency:
    - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: hit}}
    - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: who, RIGHT_ATTRS: {DEP: nsubj}}
"""
    assert codebook_checker.parse_patterns(text) == [
        {"word": ["scared"]},
        {"lemma": ["listen", "ignore"]},
        {"phrase": ["nobody told me"]},
        {
            "matcher": [
                {"LEMMA": "tell"},
                {"LOWER": {"IN": ["me", "us"]}, "OP": "?"},
                {"LENGTH": {">=": 3}, "IS_PUNCT": False},
            ]
        },
        {
            "dependency": [
                {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "hit"}},
                {
                    "LEFT_ID": "verb",
                    "REL_OP": ">",
                    "RIGHT_ID": "who",
                    "RIGHT_ATTRS": {"DEP": "nsubj"},
                },
            ]
        },
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("- lemmas: [listen]", "Unknown kind of pattern 'lemmas'"),
        ("- lemma: [listen]\n  phrase: [told me]", "A pattern has one kind"),
        ("- lemma: []", "This lemma pattern is empty"),
        ("- lemma: [self-neglect]", "'self-neglect' is not a single word"),
        ("- word: [nobody told]", "'nobody told' is not a single word"),
        ("- word: {a: b}", "takes text or a list of text"),
        ("- matcher: []", "must be a list of tokens"),
        ("- matcher: [{LEMA: tell}]", "Unknown token attribute 'LEMA'"),
        ("- matcher: [{lemma: tell}]", "Write token attributes in capitals: LEMMA"),
        ("- matcher: [{LEMMA: tell, OP: '#'}]", "is not an operator"),
        ("- matcher: [{OP: '*'}]", "must name something to look for"),
        ("- matcher: [{LEMMA: {REGEX: '(unclosed'}}]", "REGEX '(unclosed' is not valid"),
        ("- matcher: [{LEMMA: {IN: []}}]", "IN takes a list of text"),
        ("- matcher: [{LEMMA: {ALL: [a]}}]", "Unknown LEMMA test 'ALL'"),
        ("- matcher: [{IS_PUNCT: yes}]", "IS_PUNCT takes true or false, not 'yes'"),
        ("- matcher: [{LENGTH: three}]", "LENGTH takes a number"),
        ("- matcher: [tell]", "A matcher token must be a mapping"),
        ("- dependency: [{RIGHT_ID: a}]", "has no 'RIGHT_ATTRS'"),
        (
            "- dependency: [{RIGHT_ID: a, RIGHT_ATTRS: {}, REL_OP: '>'}]",
            "Unknown key 'REL_OP' in the first node",
        ),
        (
            "- dependency:\n  - {RIGHT_ID: a, RIGHT_ATTRS: {LEMMA: hit}}\n"
            "  - {LEFT_ID: b, REL_OP: '>', RIGHT_ID: c, RIGHT_ATTRS: {}}",
            "LEFT_ID 'b' must be the RIGHT_ID of an earlier node",
        ),
        (
            "- dependency:\n  - {RIGHT_ID: a, RIGHT_ATTRS: {LEMMA: hit}}\n"
            "  - {LEFT_ID: a, REL_OP: '=>', RIGHT_ID: c, RIGHT_ATTRS: {}}",
            "Unknown REL_OP '=>'",
        ),
        (
            "- dependency: [{RIGHT_ID: a, RIGHT_ATTRS: {LEMMA: hit, OP: '?'}}]",
            "OP cannot be used in a dependency pattern",
        ),
        ("lemma: [listen]", "'patterns' must be a list"),
    ],
)
def test_a_bad_pattern_is_named_with_what_is_wrong(text, words):
    problems = pattern_problems(text)
    assert any(words in reason for _, reason in problems), problems
    assert all(line is not None for line, _ in problems)


def test_a_pattern_problem_names_its_own_line():
    text = "- lemma: [listen]\n- phrase: [nobody told me]\n- word: [self-neglect]\n"
    assert [line for line, _ in pattern_problems(text)] == [3]


# ---------------------------------------------------------------- export and import


def test_export_then_parse_gives_the_same_codebook(loaded):
    exported = codebook.export_codebook()
    assert exported.startswith("# A theme codebook for narrative_service")
    assert codebook_checker.parse_codebook(exported) == codebook_checker.default_codebook()


def test_an_exported_codebook_imports_without_changes(housing, users):
    exported = codebook.export_codebook()
    result = codebook.import_codebook(exported, by=users["lead"])
    assert not result.is_changed
    assert result.summary() == "No changes: the file matches the codebook."
    assert codebook_checker.parse_codebook(
        codebook.export_codebook()
    ) == codebook_checker.parse_codebook(exported)


def test_every_theme_s_patterns_survive_the_edit_box():
    for entry in codebook_checker.default_codebook().themes:
        text = codebook_format.patterns_as_yaml(entry.patterns)
        assert codebook_checker.parse_patterns(text) == entry.patterns


NEW_THEME = """\
      - code: practice.information_sharing
        name: Sharing information
        description: Whether staff shared what they knew with the people who needed it.
        patterns:
          - phrase: ["shared information", "nobody passed it on"]
"""


def test_import_adds_updates_and_deletes_themes(housing, users):
    text = (
        codebook_format.default_codebook_text().replace("name: Trust\n", "name: Trusting staff\n")
        + NEW_THEME
    )
    result = codebook.import_codebook(text, by=users["lead"])
    db.session.commit()

    assert result.added == ["practice.information_sharing"]
    assert result.updated == ["experience.trust"]
    assert result.removed == ["experience.housing"]
    assert result.summary() == "1 theme added, 1 theme changed, 1 theme removed."
    assert theme("experience.trust").name == "Trusting staff"
    assert theme("experience.housing") is None
    added = theme("practice.information_sharing")
    assert added.group.code == "practice"
    assert added.patterns == [{"phrase": ["shared information", "nobody passed it on"]}]
    assert codebook_checker.parse_codebook(
        codebook.export_codebook()
    ) == codebook_checker.parse_codebook(text)
    (event,) = events("codebook.import")
    assert event.user_id == users["lead"].id
    assert event.detail["added"] == ["practice.information_sharing"]
    assert event.detail["removed"] == ["experience.housing"]


def test_import_adds_a_new_group_and_removes_an_empty_one(loaded, users):
    text = codebook_format.default_codebook_text() + (
        "  - code: recovery\n"
        "    name: Recovery\n"
        "    themes:\n"
        "      - code: recovery.hope\n"
        "        name: Hope\n"
        "        description: Feeling that things can get better.\n"
    )
    result = codebook.import_codebook(text, by=users["lead"])
    db.session.commit()
    assert (result.groups_added, result.added) == (["recovery"], ["recovery.hope"])
    assert theme("recovery.hope").patterns == []
    assert codebook_checker.parse_codebook(
        codebook.export_codebook()
    ) == codebook_checker.parse_codebook(text)

    result = codebook.import_codebook(codebook_format.default_codebook_text(), by=users["lead"])
    db.session.commit()
    assert (result.groups_removed, result.removed) == (["recovery"], ["recovery.hope"])
    assert db.session.scalar(select(ThemeGroup).where(ThemeGroup.code == "recovery")) is None


def test_import_refuses_to_drop_a_theme_that_tags_use(housing, users):
    tag(housing, 1)
    tag(housing, 2)
    db.session.commit()
    with pytest.raises(CodebookError) as refused:
        codebook.import_codebook(codebook_format.default_codebook_text(), by=users["lead"])
    assert "experience.housing (Housing) is not in the file, but it is used by 2 tags" in (
        refused.value.message
    )
    assert "Merge it into another theme" in refused.value.message
    db.session.rollback()
    assert theme("experience.housing") is not None


def test_import_refuses_a_file_without_a_shared_theme(loaded, users):
    text = codebook_format.default_codebook_text().replace(
        "code: principle.empowerment", "code: principle.empowering"
    )
    with pytest.raises(CodebookError) as refused:
        codebook.import_codebook(text, by=users["lead"])
    assert "The theme principle.empowerment is missing" in refused.value.message
    db.session.rollback()
    assert theme("principle.empowering") is None


# ---------------------------------------------------------------- one theme at a time


def test_a_lead_adds_a_theme_of_their_own(housing, users):
    assert housing.group.code == "experience"
    assert housing.patterns == [
        {"lemma": ["housing", "landlord"]},
        {"phrase": ["lost my flat"]},
    ]
    (event,) = events("codebook.add_theme")
    assert event.detail == {"code": "experience.housing"}


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("abuse.housing", "must start with 'experience.'"),
        ("Housing", "the group's code, a dot"),
        ("experience.trust", "There is already a theme with the code experience.trust (Trust)"),
    ],
)
def test_a_new_theme_needs_a_new_code_in_its_group(loaded, users, code, words):
    group = theme("experience.trust").group
    with pytest.raises(ValidationFailed) as refused:
        codebook.add_theme(group, code, "Housing", "About a home.", "", by=users["lead"])
    assert words in refused.value.errors["code"]


def test_changing_a_theme_keeps_its_code_and_records_the_fields(loaded, users):
    trust = theme("experience.trust")
    changed = codebook.update_theme(
        trust, "Trusting staff", trust.description, "- lemma: [trust]", by=users["lead"]
    )
    db.session.commit()
    assert changed is True
    assert (trust.code, trust.name, trust.patterns) == (
        "experience.trust",
        "Trusting staff",
        [{"lemma": ["trust"]}],
    )
    (event,) = events("codebook.change_theme")
    assert event.detail == {"code": "experience.trust", "fields": ["name", "patterns"]}
    assert not codebook.update_theme(
        trust, "Trusting staff", trust.description, "- lemma: [trust]", by=users["lead"]
    )


def test_changing_a_theme_with_bad_patterns_names_the_lines(loaded, users):
    trust = theme("experience.trust")
    with pytest.raises(ValidationFailed) as refused:
        codebook.update_theme(
            trust, "", trust.description, "- lemma: [trust]\n- lemmas: [rely]", by=users["lead"]
        )
    assert refused.value.errors["name"] == "Enter a name"
    assert refused.value.errors["patterns"].startswith("Line 2: Unknown kind of pattern 'lemmas'")
    db.session.rollback()
    assert theme("experience.trust").name == "Trust"


def test_deleting_a_theme_with_tags_is_refused_with_the_count(housing, users):
    for number in range(3):
        tag(housing, number)
    with pytest.raises(DomainError) as refused:
        codebook.delete_theme(housing, by=users["lead"])
    assert "is used by 3 tags, so it cannot be deleted" in refused.value.message
    assert "Merge it into another theme" in refused.value.message


def test_deleting_a_theme_no_tag_uses(housing, users):
    codebook.delete_theme(housing, by=users["lead"])
    db.session.commit()
    assert theme("experience.housing") is None
    (event,) = events("codebook.delete_theme")
    assert event.detail == {"code": "experience.housing"}


def test_a_shared_theme_cannot_be_deleted_or_merged_away(loaded, users):
    trust = theme("experience.trust")
    with pytest.raises(DomainError, match="every organisation keeps"):
        codebook.delete_theme(trust, by=users["lead"])
    with pytest.raises(DomainError, match="every organisation keeps"):
        codebook.merge_theme(trust, theme("experience.listened_to"), by=users["lead"])


def test_merging_moves_the_tags_and_removes_the_theme(housing, users):
    trust = theme("experience.trust")
    moved_tag = tag(housing, 1, status="accepted")
    other_tag = tag(housing, 2, start=5, end=20, status="suggested")
    weaker_same_span = tag(trust, 1, status="suggested")
    kept_elsewhere = tag(trust, 7)
    db.session.commit()
    ids = [moved_tag.id, other_tag.id, kept_elsewhere.id]
    weaker_id = weaker_same_span.id

    assert codebook.merge_theme(housing, trust, by=users["lead"]) == 2
    db.session.commit()

    assert theme("experience.housing") is None
    tags = db.session.scalars(select(ThemeTag).order_by(ThemeTag.id)).all()
    assert [(t.id, t.theme_id) for t in tags] == [(tag_id, trust.id) for tag_id in sorted(ids)]
    assert db.session.get(ThemeTag, weaker_id) is None  # the same span, tagged twice
    (event,) = events("codebook.merge")
    assert event.detail == {
        "merged": "experience.housing",
        "into": "experience.trust",
        "moved": 2,
        "duplicates": 1,
    }


def test_a_theme_cannot_merge_into_itself(housing, users):
    with pytest.raises(DomainError, match="cannot merge into itself"):
        codebook.merge_theme(housing, housing, by=users["lead"])
