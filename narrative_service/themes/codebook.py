"""The theme codebook: groups and themes, each with a code, a name, a description and
the patterns that suggest it.

The default ships in the package (codebook.yaml, whose header describes the format) and
is loaded into the database on first run. Leads and admins then change it in the app,
theme by theme, or export it as YAML and import it again. A file is checked whole and
refused whole, with the line and reason of every problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, BinaryIO

import yaml
from sqlalchemy import func, select

from ..audit.rules import record
from ..auth.models import User
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from .models import Theme, ThemeGroup, ThemeTag

# Shared by every organisation, so figures compare across organisations.
REQUIRED_CODES = (
    # The six safeguarding principles (Care Act statutory guidance)
    "principle.empowerment",
    "principle.prevention",
    "principle.proportionality",
    "principle.protection",
    "principle.partnership",
    "principle.accountability",
    # The person's experience of the process
    "experience.listened_to",
    "experience.information",
    "experience.choice_control",
    "experience.capacity_consent",
    "experience.fear_of_consequences",
    "experience.trust",
    "experience.power_imbalance",
    "experience.family_carers",
    "experience.think_family_child",
    "experience.advocacy_support",
    "experience.feeling_safe",
    "experience.risk",
    "experience.multi_agency",
    "experience.timeliness",
    "experience.dignity_respect",
    "experience.culture_language",
    # Abuse and neglect (Care Act categories)
    "abuse.physical",
    "abuse.domestic",
    "abuse.sexual",
    "abuse.psychological",
    "abuse.financial",
    "abuse.modern_slavery",
    "abuse.discriminatory",
    "abuse.organisational",
    "abuse.neglect",
    "abuse.self_neglect",
    # Practice barriers and enablers
    "practice.culture_attitudes",
    "practice.training",
    "practice.time_resources",
    "practice.leadership",
    "practice.staff_turnover",
    "practice.supervision_support",
)

MAX_CODEBOOK_CHARACTERS = 2_000_000
MAX_GROUP_CODE = 40  # the columns' lengths
MAX_THEME_CODE = 80
MAX_NAME = 120
MAX_DESCRIPTION = 2_000
MAX_PATTERNS = 200
MAX_PATTERN_TEXT = 200
MAX_TOKENS = 20

SNAKE_CASE = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
GROUP_CODE = re.compile(SNAKE_CASE)
THEME_CODE = re.compile(rf"({SNAKE_CASE})\.({SNAKE_CASE})")
ONE_WORD = re.compile(r"[^\W_]+")  # letters and digits, in any script

TEXT_KINDS = ("word", "lemma", "phrase")
PATTERN_KINDS = (*TEXT_KINDS, "matcher", "dependency")

# The token attributes of spaCy's Matcher (spacy.schemas.TokenPattern), less the custom
# extensions ("_"), which this service does not define.
STRING_ATTRIBUTES = frozenset(
    {"ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "POS", "TAG", "MORPH", "DEP", "SHAPE"}
    | {"ENT_TYPE", "ENT_ID", "ENT_KB_ID"}
)
NUMBER_ATTRIBUTES = frozenset({"LENGTH"})
TRUE_OR_FALSE_ATTRIBUTES = frozenset(
    {"SPACY", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT"}
    | {"IS_SPACE", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY"}
    | {"IS_STOP", "IS_SENT_START", "SENT_START", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL"}
)
TOKEN_ATTRIBUTES = STRING_ATTRIBUTES | NUMBER_ATTRIBUTES | TRUE_OR_FALSE_ATTRIBUTES | {"OP"}
LIST_PREDICATES = frozenset({"IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS"})
TEXT_PREDICATES = frozenset({"REGEX", "FUZZY", *(f"FUZZY{n}" for n in range(1, 10))})
COMPARISONS = frozenset({"==", "!=", ">=", "<=", ">", "<"})
OPERATORS = frozenset({"?", "*", "+", "!"})
OPERATOR_RANGE = re.compile(r"\{(\d+|\d+,\d*|\d*,\d+)\}")
# spaCy's DependencyMatcher relations.
RELATIONS = frozenset(
    {"<", ">", "<<", ">>", ".", ".*", ";", ";*", "$+", "$-", "$++", "$--"}
    | {">+", ">-", ">++", ">--", "<+", "<-", "<++", "<--"}
)
FIRST_NODE_KEYS = ("RIGHT_ID", "RIGHT_ATTRS")
NODE_KEYS = ("LEFT_ID", "REL_OP", "RIGHT_ID", "RIGHT_ATTRS")


# ---------------------------------------------------------------- what a file holds


@dataclass
class ThemeEntry:
    code: str
    name: str
    description: str
    patterns: list[dict[str, Any]]
    line: int = field(default=0, compare=False)


@dataclass
class GroupEntry:
    code: str
    name: str
    themes: list[ThemeEntry]
    line: int = field(default=0, compare=False)


@dataclass
class Codebook:
    groups: list[GroupEntry]

    @property
    def themes(self) -> list[ThemeEntry]:
        return [theme for group in self.groups for theme in group.themes]

    @property
    def codes(self) -> list[str]:
        return [theme.code for theme in self.themes]


@dataclass(frozen=True)
class Problem:
    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}" if self.line else self.reason


class CodebookError(DomainError):
    """A codebook (or a theme's patterns) was refused; `problems` lists each, by line."""

    def __init__(self, problems: list[Problem], field: str = "codebook"):
        self.problems = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
        count = len(self.problems)
        heading = "1 problem" if count == 1 else f"{count} problems"
        what = "these patterns have" if field == "patterns" else "the codebook has"
        super().__init__(
            f"Nothing was changed: {what} {heading}. "
            + " ".join(_sentence(str(problem)) for problem in self.problems),
            field,
        )


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    groups_added: list[str] = field(default_factory=list)
    groups_updated: list[str] = field(default_factory=list)
    groups_removed: list[str] = field(default_factory=list)

    @property
    def is_changed(self) -> bool:
        return any(vars(self).values())

    def summary(self) -> str:
        """What changed, in a sentence: "2 themes added, 1 theme changed."."""
        parts = [
            f"{len(codes)} {noun if len(codes) == 1 else noun + 's'} {verb}"
            for codes, noun, verb in (
                (self.added, "theme", "added"),
                (self.updated, "theme", "changed"),
                (self.removed, "theme", "removed"),
                (self.groups_added, "group", "added"),
                (self.groups_updated, "group", "renamed"),
                (self.groups_removed, "group", "removed"),
            )
            if codes
        ]
        return ", ".join(parts) + "." if parts else "No changes: the file matches the codebook."


# ---------------------------------------------------------------- reading YAML with lines


class _Mapping(dict):
    """A YAML mapping that remembers the line it starts on and the line of each key."""

    line: int
    key_lines: dict[str, int]
    repeated: list[tuple[str, int, int]]


class _Sequence(list):
    """A YAML sequence that remembers the line of each item."""

    line: int
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, keeping line numbers and refusing aliases (a small file
    could otherwise expand to gigabytes). It reads plain words as text: YAML 1.1 would
    read the word "no" as false and "1:1" as the number 61."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (&name, *name) are not allowed in a codebook; "
                "write the text out in full",
                problem_mark=self.peek_event().start_mark,
            )
        return super().compose_node(parent, index)


# Only null, true, false and plain numbers are read as anything but text.
_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?[0-9]+", list("-+0123456789")),
    ("float", r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", list("-+.0123456789")),
):
    _Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(rf"^(?:{_pattern})$"), _first
    )


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    mapping.repeated = []
    yield mapping
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = key if isinstance(key, str) else str(key)
        line = key_node.start_mark.line + 1
        if key in mapping:
            mapping.repeated.append((key, mapping.key_lines[key], line))
            continue
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):
    sequence = _Sequence()
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = []
    yield sequence
    for item_node in node.value:
        sequence.append(loader.construct_object(item_node, deep=True))
        sequence.item_lines.append(item_node.start_mark.line + 1)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _load(text: str) -> Any:
    """The YAML document in `text`, or CodebookError naming the line YAML stopped at."""
    if len(text) > MAX_CODEBOOK_CHARACTERS:
        too_large = f"The file is too large: keep it under {MAX_CODEBOOK_CHARACTERS:,} characters"
        raise CodebookError([Problem(None, too_large)])
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as wrong:
        mark = wrong.problem_mark or wrong.context_mark
        reason = " ".join(part for part in (wrong.context, wrong.problem) if part)
        if wrong.context_mark and mark and wrong.context_mark.line != mark.line:
            reason = f"{reason} (the part YAML was reading starts on line "
            reason += f"{wrong.context_mark.line + 1})"
        raise CodebookError(
            [Problem(mark.line + 1 if mark else None, f"This is not valid YAML: {reason}")]
        ) from None
    except yaml.YAMLError as wrong:
        raise CodebookError([Problem(None, f"This is not valid YAML: {wrong}")]) from None
    finally:
        loader.dispose()


# ---------------------------------------------------------------- checking


def _name_problem(name: Any) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return "Enter a name"
    if len(name.strip()) > MAX_NAME:
        return f"Keep the name to {MAX_NAME} characters or fewer"
    return None


def _description_problem(description: Any) -> str | None:
    if not isinstance(description, str) or not description.strip():
        return "Enter a description: a sentence or two saying what the theme covers"
    if len(description.strip()) > MAX_DESCRIPTION:
        return f"Keep the description to {MAX_DESCRIPTION:,} characters or fewer"
    return None


def _theme_code_problem(code: Any, group_code: str | None) -> str | None:
    example = f"{group_code or 'experience'}.being_believed"
    if not isinstance(code, str) or not code.strip():
        return f"Enter a code, like {example}"
    match = THEME_CODE.fullmatch(code)
    if not match:
        return (
            f"The code {code!r} must be the group's code, a dot, then lower-case words "
            f"joined by underscores, like {example}"
        )
    if len(code) > MAX_THEME_CODE:
        return f"Keep the code to {MAX_THEME_CODE} characters or fewer"
    if group_code is not None and match.group(1) != group_code:
        return (
            f"The code {code!r} is in the group {group_code!r}, so it must start with "
            f"'{group_code}.', like {example}"
        )
    return None


def _tidy(text: str) -> str:
    return " ".join(text.split())


class _Checker:
    """Walks a loaded file and gathers every problem, so one import reports them all."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        # Every well-formed code and its line, to find duplicates even in broken entries.
        self.group_codes: list[tuple[str, int]] = []
        self.theme_codes: list[tuple[str, int]] = []

    def add(self, line: int | None, reason: str) -> None:
        self.problems.append(Problem(line, reason))

    # -------------------------------------------- shape

    def is_mapping(
        self,
        value: Any,
        line: int,
        what: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> bool:
        if not isinstance(value, _Mapping):
            self.add(line, f"{_capital(what)} must be a mapping with {_quoted(required)}")
            return False
        for key, first, again in value.repeated:
            self.add(again, f"{key!r} appears twice in {what} (lines {first} and {again})")
        allowed = (*required, *optional)
        for key in value:
            if key not in allowed:
                self.add(
                    value.key_lines[key],
                    f"Unknown key {key!r} in {what}; use {_quoted(allowed)}",
                )
        for key in required:
            if key not in value:
                self.add(value.line, f"{_capital(what)} has no {key!r}")
        return True

    def checked_text(self, mapping: _Mapping, key: str, problem: str | None) -> str | None:
        if key not in mapping:
            return None  # reported as missing
        if problem:
            self.add(mapping.key_lines[key], problem)
            return None
        return _tidy(mapping[key])

    # -------------------------------------------- the file

    def codebook(self, data: Any) -> Codebook:
        groups: list[GroupEntry] = []
        if data is None:
            self.add(1, "The file is empty: it should start with 'groups:'")
            return Codebook(groups)
        if not self.is_mapping(data, getattr(data, "line", 1), "the file", ("groups",)):
            return Codebook(groups)
        items = data.get("groups")
        if "groups" in data and (not isinstance(items, _Sequence) or not items):
            self.add(
                data.key_lines["groups"],
                "'groups' must be a list of groups, each starting with '- code:'",
            )
            return Codebook(groups)
        for item, line in zip(items or [], getattr(items, "item_lines", []), strict=True):
            group = self.group(item, line)
            if group is not None:
                groups.append(group)
        self.duplicates(self.group_codes, "group")
        self.duplicates(self.theme_codes, "theme")
        return Codebook(groups)

    def duplicates(self, codes: list[tuple[str, int]], what: str) -> None:
        first_lines: dict[str, int] = {}
        for code, line in codes:
            if code in first_lines:
                self.add(
                    line,
                    f"The {what} code {code!r} is used twice, on lines {first_lines[code]} "
                    f"and {line}; each code must be used once",
                )
            else:
                first_lines[code] = line

    def group(self, item: Any, line: int) -> GroupEntry | None:
        if not self.is_mapping(item, line, "a group", ("code", "name", "themes")):
            return None
        code = item.get("code")
        code_problem = None
        if not isinstance(code, str) or not code.strip():
            code_problem = "Enter the group's code, like experience"
        elif not GROUP_CODE.fullmatch(code):
            code_problem = (
                f"The group code {code!r} must be lower-case words joined by underscores, "
                "like experience"
            )
        elif len(code) > MAX_GROUP_CODE:
            code_problem = f"Keep the group code to {MAX_GROUP_CODE} characters or fewer"
        code = self.checked_text(item, "code", code_problem)
        if code is not None:
            self.group_codes.append((code, item.key_lines["code"]))
        name = self.checked_text(item, "name", _name_problem(item.get("name")))
        items = item.get("themes")
        themes: list[ThemeEntry] = []
        if "themes" in item:
            if not isinstance(items, _Sequence):
                self.add(
                    item.key_lines["themes"],
                    "'themes' must be a list of themes, each starting with '- code:' "
                    "(write 'themes: []' for a group with none yet)",
                )
            else:
                for theme_item, theme_line in zip(items, items.item_lines, strict=True):
                    theme = self.theme(theme_item, theme_line, code)
                    if theme is not None:
                        themes.append(theme)
        if code is None or name is None:
            return None
        return GroupEntry(code, name, themes, line)

    def theme(self, item: Any, line: int, group_code: str | None) -> ThemeEntry | None:
        required = ("code", "name", "description")
        if not self.is_mapping(item, line, "a theme", required, ("patterns",)):
            return None
        code = self.checked_text(item, "code", _theme_code_problem(item.get("code"), group_code))
        if code is not None:
            self.theme_codes.append((code, item.key_lines["code"]))
        name = self.checked_text(item, "name", _name_problem(item.get("name")))
        description = self.checked_text(
            item, "description", _description_problem(item.get("description"))
        )
        patterns: list[dict[str, Any]] = []
        if "patterns" in item:
            patterns = self.patterns(item["patterns"], item.key_lines["patterns"])
        if code is None or name is None or description is None:
            return None
        return ThemeEntry(code, name, description, patterns, line)

    # -------------------------------------------- patterns

    def patterns(self, items: Any, line: int) -> list[dict[str, Any]]:
        if not isinstance(items, _Sequence):
            self.add(
                line,
                "'patterns' must be a list, each pattern starting with '- ' (leave "
                "'patterns' out for a theme only applied by hand)",
            )
            return []
        if len(items) > MAX_PATTERNS:
            self.add(line, f"Keep to {MAX_PATTERNS} patterns a theme (there are {len(items)})")
        patterns = []
        for item, item_line in zip(items, items.item_lines, strict=True):
            pattern = self.pattern(item, item_line)
            if pattern is not None:
                patterns.append(pattern)
        return patterns

    def pattern(self, item: Any, line: int) -> dict[str, Any] | None:
        kinds = _listed(PATTERN_KINDS, "or")
        if not isinstance(item, _Mapping) or not item:
            self.add(line, f"A pattern must be one of {kinds}, like '- lemma: [listen]'")
            return None
        for key, first, again in item.repeated:
            self.add(again, f"{key!r} appears twice in a pattern (lines {first} and {again})")
        if len(item) > 1:
            self.add(
                line,
                f"A pattern has one kind, but this one has {_listed(list(item))}: write "
                "each as its own pattern, on its own line starting with '- '",
            )
            return None
        kind, value = next(iter(item.items()))
        value_line = item.key_lines[kind]
        if kind not in PATTERN_KINDS:
            self.add(line, f"Unknown kind of pattern {kind!r}; use {kinds}")
            return None
        count = len(self.problems)
        if kind in TEXT_KINDS:
            checked = self.texts(value, value_line, kind)
        elif kind == "matcher":
            checked = self.matcher(value, value_line)
        else:
            checked = self.dependency(value, value_line)
        if len(self.problems) > count:
            return None
        return {kind: checked}

    def texts(self, value: Any, line: int, kind: str) -> list[str]:
        if isinstance(value, str):
            values, lines = [value], [line]
        elif isinstance(value, _Sequence):
            values, lines = list(value), value.item_lines
        else:
            self.add(line, f"A {kind} pattern takes text or a list of text, like {kind}: [a, b]")
            return []
        if not values:
            self.add(line, f"This {kind} pattern is empty")
        tidied = []
        for text, text_line in zip(values, lines, strict=True):
            if not isinstance(text, str):
                self.add(
                    text_line,
                    f"{_shown(text)} in a {kind} pattern must be text: put it in quotes",
                )
                continue
            text = _tidy(text)
            if not text:
                self.add(text_line, f"A {kind} pattern has an empty entry")
            elif len(text) > MAX_PATTERN_TEXT:
                self.add(text_line, f"Keep each {kind} to {MAX_PATTERN_TEXT} characters")
            elif kind != "phrase" and not ONE_WORD.fullmatch(text):
                self.add(
                    text_line,
                    f"{text!r} is not a single word: write words with spaces, hyphens or "
                    "apostrophes as a phrase",
                )
            else:
                tidied.append(text)
        return tidied

    def matcher(self, value: Any, line: int) -> list[dict[str, Any]]:
        if not isinstance(value, _Sequence) or not value:
            self.add(
                line,
                "A matcher pattern must be a list of tokens, like [{LEMMA: tell}, {LOWER: me}]",
            )
            return []
        if len(value) > MAX_TOKENS:
            self.add(line, f"Keep a matcher pattern to {MAX_TOKENS} tokens")
        tokens = [
            self.token(token, token_line, "a matcher token", allow_op=True)
            for token, token_line in zip(value, value.item_lines, strict=True)
        ]
        if all(not (set(token) - {"OP"}) for token in tokens):
            self.add(
                line,
                "A matcher pattern must name something to look for (LEMMA, LOWER...) in "
                "at least one token; otherwise it would match every word",
            )
        return tokens

    def dependency(self, value: Any, line: int) -> list[dict[str, Any]]:
        if not isinstance(value, _Sequence) or not value:
            self.add(
                line,
                "A dependency pattern must be a list of nodes, the first like "
                "{RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: hit}}",
            )
            return []
        if len(value) > MAX_TOKENS:
            self.add(line, f"Keep a dependency pattern to {MAX_TOKENS} nodes")
        nodes = []
        names: set[str] = set()
        for index, (node, node_line) in enumerate(zip(value, value.item_lines, strict=True)):
            keys = FIRST_NODE_KEYS if index == 0 else NODE_KEYS
            what = "the first node of a dependency pattern" if index == 0 else "a dependency node"
            if not self.is_mapping(node, node_line, what, keys):
                continue
            if any(key not in node for key in keys):
                continue
            name = node["RIGHT_ID"]
            if not isinstance(name, str) or not name.strip():
                self.add(node_line, "RIGHT_ID must be a name for this node, like 'verb'")
            elif name in names:
                self.add(node_line, f"RIGHT_ID {name!r} is used twice in this pattern")
            if index > 0:
                if not isinstance(node["LEFT_ID"], str) or node["LEFT_ID"] not in names:
                    self.add(
                        node_line,
                        f"LEFT_ID {_shown(node['LEFT_ID'])} must be the RIGHT_ID of an "
                        f"earlier node ({_listed(sorted(names), 'or')})",
                    )
                if not isinstance(node["REL_OP"], str) or node["REL_OP"] not in RELATIONS:
                    self.add(
                        node_line,
                        f"Unknown REL_OP {_shown(node['REL_OP'])}; use one of "
                        + " ".join(sorted(RELATIONS)),
                    )
            if isinstance(name, str):
                names.add(name)
            attributes = self.token(node["RIGHT_ATTRS"], node_line, "RIGHT_ATTRS", allow_op=False)
            nodes.append({**_plain(node), "RIGHT_ATTRS": attributes})
        if nodes and all(not node["RIGHT_ATTRS"] for node in nodes):
            self.add(line, "A dependency pattern must name something to look for in a node")
        return nodes

    def token(self, token: Any, line: int, what: str, *, allow_op: bool) -> dict[str, Any]:
        if not isinstance(token, _Mapping):
            self.add(line, f"{_capital(what)} must be a mapping, like {{LEMMA: tell}}")
            return {}
        for key, first, again in token.repeated:
            self.add(again, f"{key!r} appears twice in {what} (lines {first} and {again})")
        for attribute, value in token.items():
            if attribute == "OP" and allow_op:
                if not isinstance(value, str) or not (
                    value in OPERATORS or OPERATOR_RANGE.fullmatch(value)
                ):
                    self.add(
                        line,
                        f'OP {_shown(value)} is not an operator: use "?", "*", "+", '
                        '"!" or a count like "{2}" or "{1,3}", in quotes',
                    )
            elif attribute == "OP":
                self.add(line, "OP cannot be used in a dependency pattern")
            elif attribute in STRING_ATTRIBUTES:
                self.string_value(value, line, attribute)
            elif attribute in NUMBER_ATTRIBUTES:
                self.number_value(value, line, attribute)
            elif attribute in TRUE_OR_FALSE_ATTRIBUTES:
                if not isinstance(value, bool):
                    self.add(line, f"{attribute} takes true or false, not {_shown(value)}")
            elif attribute.upper() in TOKEN_ATTRIBUTES:
                self.add(line, f"Write token attributes in capitals: {attribute.upper()}")
            else:
                self.add(
                    line,
                    f"Unknown token attribute {attribute!r}; use LEMMA, LOWER, ORTH, TEXT, "
                    "NORM, POS, TAG, MORPH, DEP, SHAPE, ENT_TYPE, LENGTH, OP, or a true/false "
                    "one such as IS_PUNCT or LIKE_NUM",
                )
        return _plain(token)

    def string_value(self, value: Any, line: int, attribute: str) -> None:
        if isinstance(value, str):
            if not value:
                self.add(line, f"{attribute} is empty")
            return
        if not isinstance(value, _Mapping) or not value:
            self.add(
                line,
                f"{attribute} takes text, or a mapping like {{IN: [a, b]}}, not {_shown(value)}",
            )
            return
        for predicate, argument in value.items():
            if predicate in LIST_PREDICATES:
                if (
                    not isinstance(argument, list)
                    or not argument
                    or not all(isinstance(item, str) and item for item in argument)
                ):
                    self.add(
                        line,
                        f"{attribute} {predicate} takes a list of text, like [a, b] "
                        "(put words such as true or 1 in quotes)",
                    )
            elif predicate in TEXT_PREDICATES:
                if not isinstance(argument, str) or not argument:
                    self.add(line, f"{attribute} {predicate} takes text")
                elif predicate == "REGEX":
                    try:
                        re.compile(argument)
                    except re.error as wrong:
                        self.add(line, f"{attribute} REGEX {argument!r} is not valid: {wrong}")
            else:
                self.add(
                    line,
                    f"Unknown {attribute} test {predicate!r}; use "
                    f"{_listed(sorted(LIST_PREDICATES | {'REGEX', 'FUZZY'}), 'or')}",
                )

    def number_value(self, value: Any, line: int, attribute: str) -> None:
        if _is_number(value):
            return
        if not isinstance(value, _Mapping) or not value:
            self.add(line, f"{attribute} takes a number, or a mapping like {{'>=': 3}}")
            return
        for predicate, argument in value.items():
            if predicate in ("IN", "NOT_IN"):
                if (
                    not isinstance(argument, list)
                    or not argument
                    or not all(
                        isinstance(item, int) and not isinstance(item, bool) for item in argument
                    )
                ):
                    self.add(line, f"{attribute} {predicate} takes a list of whole numbers")
            elif predicate in COMPARISONS:
                if not _is_number(argument):
                    self.add(line, f"{attribute} {predicate} takes a number")
            else:
                self.add(
                    line,
                    f"Unknown {attribute} test {predicate!r}; use ==, !=, >=, <=, >, <, IN or "
                    "NOT_IN",
                )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _plain(value: Any) -> Any:
    """Plain dicts and lists, as stored in the database's JSON column."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    return yaml.safe_dump(_plain(value), default_flow_style=True).removesuffix("\n...\n").strip()


def _quoted(keys) -> str:
    return _listed([f"'{key}'" for key in keys])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _listed(items, last: str = "and") -> str:
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items) or "nothing"
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


# ---------------------------------------------------------------- parsing


def parse_codebook(text: str) -> Codebook:
    """The codebook in a YAML file, checked whole; CodebookError lists every problem."""
    data = _load(text or "")
    checker = _Checker()
    codebook = checker.codebook(data)
    if checker.problems:
        raise CodebookError(checker.problems)
    return codebook


def parse_patterns(text: str) -> list[dict[str, Any]]:
    """A theme's patterns as a person typed them in the app: a YAML list as in the file."""
    if not (text or "").strip():
        return []
    data = _load(text)
    checker = _Checker()
    patterns = checker.patterns(data, getattr(data, "line", 1))
    if checker.problems:
        raise CodebookError(checker.problems, "patterns")
    return patterns


def default_codebook_text() -> str:
    return resources.files(__package__).joinpath("codebook.yaml").read_text(encoding="utf-8")


def default_codebook() -> Codebook:
    """The codebook that ships with the service, which must hold exactly the shared codes."""
    codebook = parse_codebook(default_codebook_text())
    problems = _missing_required(codebook) + [
        Problem(None, f"{code} is not one of the shared codes")
        for code in codebook.codes
        if code not in REQUIRED_CODES
    ]
    if problems:
        raise CodebookError(problems)
    return codebook


def _missing_required(codebook: Codebook) -> list[Problem]:
    present = set(codebook.codes)
    return [
        Problem(
            None,
            f"The theme {code} is missing. Its code is shared by every organisation so that "
            "figures compare; keep it in the file (its name and description may change)",
        )
        for code in REQUIRED_CODES
        if code not in present
    ]


# ---------------------------------------------------------------- the database's codebook


def load_default_if_empty() -> int:
    """First run: load the packaged codebook when the database has no themes.

    Returns how many themes were loaded (0 when there already are themes). The caller
    commits; run it in one process, before web workers start.
    """
    if db.session.scalar(select(func.count(Theme.id))):
        return 0
    result = _apply(default_codebook())
    record("codebook.load_default", user_id=None, themes=len(result.added))
    return len(result.added)


def import_codebook(text: str, *, by: User) -> ImportResult:
    """Make the database's codebook match a YAML file, or change nothing.

    New themes are added and changed ones updated; a theme left out of the file is
    deleted if no tag uses it. A theme in use must be merged into another first, so
    that no tag is lost.
    """
    codebook = parse_codebook(text)
    problems = _missing_required(codebook)
    in_file = set(codebook.codes)
    counts = uses_by_theme()
    for theme in db.session.scalars(select(Theme).order_by(Theme.code)):
        if theme.code not in in_file and counts.get(theme.id) and theme.code not in REQUIRED_CODES:
            problems.append(
                Problem(
                    None,
                    f"The theme {theme.code} ({theme.name}) is not in the file, but it is "
                    f"used by {counts[theme.id]}. Merge it into another theme in the app "
                    "first, so its tags move there, or keep it in the file",
                )
            )
    if problems:
        raise CodebookError(problems)
    result = _apply(codebook)
    record(
        "codebook.import",
        user_id=by.id,
        added=result.added,
        updated=result.updated,
        removed=result.removed,
        groups_added=result.groups_added,
        groups_updated=result.groups_updated,
        groups_removed=result.groups_removed,
    )
    return result


def _apply(codebook: Codebook) -> ImportResult:
    result = ImportResult()
    groups = {group.code: group for group in db.session.scalars(select(ThemeGroup))}
    themes = {theme.code: theme for theme in db.session.scalars(select(Theme))}
    for group_entry in codebook.groups:
        group = groups.get(group_entry.code)
        if group is None:
            group = ThemeGroup(code=group_entry.code, name=group_entry.name)
            db.session.add(group)
            result.groups_added.append(group.code)
        elif group.name != group_entry.name:
            group.name = group_entry.name
            result.groups_updated.append(group.code)
        for entry in group_entry.themes:
            theme = themes.get(entry.code)
            if theme is None:
                db.session.add(
                    Theme(
                        group=group,
                        code=entry.code,
                        name=entry.name,
                        description=entry.description,
                        patterns=entry.patterns,
                    )
                )
                # Added one at a time, so ids (and the export's order) follow the file.
                db.session.flush()
                result.added.append(entry.code)
            elif _set_fields(theme, entry.name, entry.description, entry.patterns):
                result.updated.append(entry.code)
    in_file = set(codebook.codes)
    for code, theme in themes.items():
        if code not in in_file:
            db.session.delete(theme)
            result.removed.append(code)
    db.session.flush()
    group_codes = {group.code for group in codebook.groups}
    for code, group in groups.items():
        if code not in group_codes:
            db.session.delete(group)
            result.groups_removed.append(code)
    db.session.flush()
    return result


def _set_fields(theme: Theme, name: str, description: str, patterns: list) -> list[str]:
    changed = []
    for attribute, value in (("name", name), ("description", description), ("patterns", patterns)):
        if getattr(theme, attribute) != value:
            setattr(theme, attribute, value)
            changed.append(attribute)
    return changed


def import_codebook_file(stream: BinaryIO, *, by: User) -> ImportResult:
    """`import_codebook` for an uploaded file, which must be UTF-8 text."""
    # Read no more than a file within the limit can hold (4 bytes a character at most).
    data = stream.read(4 * MAX_CODEBOOK_CHARACTERS + 1)
    if len(data) > 4 * MAX_CODEBOOK_CHARACTERS:
        too_large = f"The file is too large: keep it under {MAX_CODEBOOK_CHARACTERS:,} characters"
        raise CodebookError([Problem(None, too_large)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as wrong:
        line = data[: wrong.start].count(b"\n") + 1
        raise CodebookError(
            [Problem(line, "This is not UTF-8 text: save the file as UTF-8 YAML and try again")]
        ) from None
    return import_codebook(text, by=by)


@dataclass(frozen=True)
class ThemeUser:
    """Something a higher feature keeps that uses themes (learning points, training needs),
    registered when the app is created, so the codebook counts and moves its uses without
    knowing the feature. `noun` is singular ("learning point"); `counts()` gives uses by
    theme id; `move(source, into)` gives the uses of `source` to `into` and says how many."""

    noun: str
    counts: Callable[[], dict[int, int]]
    move: Callable[[Theme, Theme], int]


THEME_USERS: dict[str, ThemeUser] = {}


def register_theme_user(user: ThemeUser) -> None:
    THEME_USERS[user.noun] = user


@dataclass(frozen=True)
class ThemeUses:
    """What uses a theme: tags on records, and each registered ThemeUser's count."""

    tags: int = 0
    others: tuple[tuple[str, int], ...] = ()

    def of(self, noun: str) -> int:
        return dict(self.others).get(noun, 0)

    def __bool__(self) -> bool:
        return bool(self.tags or any(count for _noun, count in self.others))

    def __str__(self) -> str:
        parts = [
            _counted(count, noun) for noun, count in (("tag", self.tags), *self.others) if count
        ]
        return _listed(parts) if parts else "nothing"


def _counted(count: int, noun: str) -> str:
    return f"1 {noun}" if count == 1 else f"{count:,} {noun}s"


def uses_by_theme() -> dict[int, ThemeUses]:
    """What uses each theme, by theme id (themes nothing uses are left out)."""
    tags = tag_counts()
    others = {noun: user.counts() for noun, user in sorted(THEME_USERS.items())}
    theme_ids = {*tags, *(theme_id for counts in others.values() for theme_id in counts)}
    return {
        theme_id: ThemeUses(
            tags.get(theme_id, 0),
            tuple((noun, counts.get(theme_id, 0)) for noun, counts in others.items()),
        )
        for theme_id in theme_ids
    }


def uses(theme: Theme) -> ThemeUses:
    """What uses this one theme."""
    return uses_by_theme().get(theme.id, ThemeUses())


def tag_counts() -> dict[int, int]:
    """How many tags use each theme, by theme id (themes no tag uses are left out)."""
    rows = db.session.execute(select(ThemeTag.theme_id, func.count()).group_by(ThemeTag.theme_id))
    return dict(rows.all())


def tag_count(theme: Theme) -> int:
    """How many tags use this theme."""
    return db.session.scalar(
        select(func.count()).select_from(ThemeTag).where(ThemeTag.theme_id == theme.id)
    )


# ---------------------------------------------------------------- export


class _Flow(list):
    """Written on one line: [listen, ignore]."""


class _FlowMapping(dict):
    """Written on one line: {LEMMA: tell}."""


class _Folded(str):
    """Written as a folded paragraph (>-), wrapped at the dumper's width."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # lists indented under their key


_Dumper.add_representer(
    _Flow, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, True)
)
_Dumper.add_representer(
    _FlowMapping,
    lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, True),
)
_Dumper.add_representer(
    _Folded, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, ">")
)
ONE_LINE_LIST = 72  # characters of a word, lemma or phrase list written on one line


def _for_yaml(pattern: dict[str, Any]) -> dict[str, Any]:
    ((kind, value),) = pattern.items()
    if kind in ("matcher", "dependency"):  # a token or node a line
        return {kind: [_FlowMapping(item) for item in value]}
    if len(", ".join(value)) <= ONE_LINE_LIST:
        return {kind: _Flow(value)}
    return {kind: list(value)}


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def _format_header() -> str:
    """The comment block at the top of the default file, which describes the format."""
    lines = []
    for line in default_codebook_text().splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines) + "\n"


def export_codebook() -> str:
    """The database's codebook as YAML, in the order the groups and themes were added."""
    themes_by_group: dict[int, list[Theme]] = {}
    for theme in db.session.scalars(select(Theme).order_by(Theme.id)):
        themes_by_group.setdefault(theme.group_id, []).append(theme)
    groups = [
        {
            "code": group.code,
            "name": group.name,
            "themes": [
                {
                    "code": theme.code,
                    "name": theme.name,
                    "description": _Folded(theme.description),
                    "patterns": [_for_yaml(pattern) for pattern in theme.patterns or []],
                }
                for theme in themes_by_group.get(group.id, [])
            ],
        }
        for group in db.session.scalars(select(ThemeGroup).order_by(ThemeGroup.id))
    ]
    return _format_header() + _dump({"groups": groups})


def patterns_as_yaml(patterns: list[dict[str, Any]]) -> str:
    """A theme's patterns as the text a person edits in the app."""
    return _dump([_for_yaml(pattern) for pattern in patterns]) if patterns else ""


# ---------------------------------------------------------------- changing one theme


def _check_theme_fields(name: str, description: str, patterns_yaml: str) -> tuple[str, str, list]:
    errors = {}
    if problem := _name_problem(name):
        errors["name"] = problem
    if problem := _description_problem(description):
        errors["description"] = problem
    patterns: list = []
    try:
        patterns = parse_patterns(patterns_yaml)
    except CodebookError as wrong:
        errors["patterns"] = " ".join(_sentence(str(problem)) for problem in wrong.problems)
    if errors:
        raise ValidationFailed(errors)
    return _tidy(name), _tidy(description), patterns


def update_theme(
    theme: Theme, name: str, description: str, patterns_yaml: str, *, by: User
) -> bool:
    """Change a theme's name, description and patterns; False when nothing changed."""
    name, description, patterns = _check_theme_fields(name, description, patterns_yaml)
    changed = _set_fields(theme, name, description, patterns)
    if changed:
        record(
            "codebook.change_theme", user_id=by.id, subject=theme, code=theme.code, fields=changed
        )
    return bool(changed)


def add_theme(
    group: ThemeGroup,
    code: str,
    name: str,
    description: str,
    patterns_yaml: str,
    *,
    by: User,
) -> Theme:
    """A new theme of the organisation's own, in one of the groups."""
    code = (code or "").strip()
    errors = {}
    if problem := _theme_code_problem(code, group.code):
        errors["code"] = problem
    else:
        existing = db.session.scalar(select(Theme).where(Theme.code == code))
        if existing is not None:
            errors["code"] = f"There is already a theme with the code {code} ({existing.name})"
    try:
        name, description, patterns = _check_theme_fields(name, description, patterns_yaml)
    except ValidationFailed as wrong:
        errors.update(wrong.errors)
    if errors:
        raise ValidationFailed(errors)
    theme = Theme(group=group, code=code, name=name, description=description, patterns=patterns)
    db.session.add(theme)
    db.session.flush()
    record("codebook.add_theme", user_id=by.id, subject=theme, code=code)
    return theme


def _check_can_remove(theme: Theme, verb: str) -> None:
    if theme.code in REQUIRED_CODES:
        raise DomainError(
            f"{theme.name} ({theme.code}) is one of the themes every organisation keeps, so "
            f"that figures compare; it cannot be {verb}. Change its name, description or "
            "patterns instead."
        )


def delete_theme(theme: Theme, *, by: User) -> None:
    """Delete a theme nothing uses; one in use must be merged into another instead."""
    _check_can_remove(theme, "deleted")
    used_by = uses(theme)
    if used_by:
        raise DomainError(
            f"{theme.name} ({theme.code}) is used by {used_by}, so it cannot be deleted. "
            "Merge it into another theme instead: its tags move there.",
            "merge_into",
        )
    record("codebook.delete_theme", user_id=by.id, subject=theme, code=theme.code)
    db.session.delete(theme)
    db.session.flush()


# A tag that is accepted says more than one only suggested, which says more than a rejected one.
DECISION_STRENGTH = {"accepted": 2, "suggested": 1, "rejected": 0}


def merge_theme(source: Theme, into: Theme, *, by: User) -> int:
    """Move every tag of `source` to `into` and delete `source`; returns the tags moved.

    Where both themes tagged the same span of the same record, one tag is kept: the
    accepted one if either was accepted.
    """
    if source.id == into.id:
        raise DomainError("Choose another theme to merge into: a theme cannot merge into itself.")
    _check_can_remove(source, "merged into another")
    same_subjects = select(ThemeTag.subject_id).where(ThemeTag.theme_id == source.id)
    kept = {
        _span(tag): tag
        for tag in db.session.scalars(
            select(ThemeTag).where(
                ThemeTag.theme_id == into.id, ThemeTag.subject_id.in_(same_subjects)
            )
        )
    }
    moved = duplicates = 0
    for tag in db.session.scalars(
        select(ThemeTag).where(ThemeTag.theme_id == source.id).order_by(ThemeTag.id)
    ).all():
        other = kept.get(_span(tag))
        if other is not None:
            duplicates += 1
            if DECISION_STRENGTH.get(tag.status, 0) <= DECISION_STRENGTH.get(other.status, 0):
                db.session.delete(tag)
                continue
            db.session.delete(other)
        tag.theme = into
        kept[_span(tag)] = tag
        moved += 1
    db.session.flush()
    others = {
        name: count
        for name, count in _move_other_uses(source, into).items()
        if count  # the event names only what there was to move
    }
    record(
        "codebook.merge",
        user_id=by.id,
        subject=into,
        merged=source.code,
        into=into.code,
        moved=moved,
        duplicates=duplicates,
        **others,
    )
    db.session.delete(source)
    db.session.flush()
    return moved


def _move_other_uses(source: Theme, into: Theme) -> dict[str, int]:
    """Every registered ThemeUser's uses of `source` move to `into`, so none is lost:
    {"learning_points": 2, ...} for the audit log."""
    moved = {
        noun.replace(" ", "_") + "s": user.move(source, into)
        for noun, user in sorted(THEME_USERS.items())
    }
    db.session.expire_all()
    return moved


def delete_or_merge(theme: Theme, into_id: int | None, *, by: User) -> Theme | None:
    """Delete a theme, or merge it into the theme `into_id` when one is chosen.

    Returns the theme merged into, or None when the theme was deleted.
    """
    if not into_id:
        delete_theme(theme, by=by)
        return None
    into = db.session.get(Theme, into_id)
    if into is None:
        raise DomainError("Choose a theme from the codebook to merge into.", "merge_into")
    merge_theme(theme, into, by=by)
    return into


# ---------------------------------------------------------------- the codebook page


@dataclass
class CodebookRow:
    theme: Theme
    uses: ThemeUses
    is_shared: bool  # one of REQUIRED_CODES: every organisation keeps it


def overview() -> list[tuple[ThemeGroup, list[CodebookRow]]]:
    """Each group with its themes and what uses them, in the order they were added."""
    counts = uses_by_theme()
    by_group: dict[int, list[CodebookRow]] = {}
    for theme in db.session.scalars(select(Theme).order_by(Theme.id)):
        by_group.setdefault(theme.group_id, []).append(
            CodebookRow(theme, counts.get(theme.id, ThemeUses()), theme.code in REQUIRED_CODES)
        )
    return [
        (group, by_group.get(group.id, []))
        for group in db.session.scalars(select(ThemeGroup).order_by(ThemeGroup.id))
    ]


def find_theme(code: str) -> Theme | None:
    return db.session.scalar(select(Theme).where(Theme.code == code))


def find_group(code: str) -> ThemeGroup | None:
    return db.session.scalar(select(ThemeGroup).where(ThemeGroup.code == code))


def is_shared(theme: Theme) -> bool:
    """Whether every organisation keeps this theme, so it cannot be deleted or merged away."""
    return theme.code in REQUIRED_CODES


def other_themes(theme: Theme) -> list[Theme]:
    """The themes a theme could be merged into, by group then name."""
    return list(
        db.session.scalars(
            select(Theme)
            .join(ThemeGroup)
            .where(Theme.id != theme.id)
            .order_by(ThemeGroup.id, Theme.name)
        )
    )


def _span(tag: ThemeTag) -> tuple:
    return (tag.subject_type, tag.subject_id, tag.start_char, tag.end_char)
