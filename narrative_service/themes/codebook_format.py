"""The codebook's file format: what a codebook file holds, YAML read with the line of every
key and item (no aliases, plain words read as text), the checks each field passes, and the
file written back out. Nothing here touches the database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from ..errors import DomainError

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


def _text_problem(value: Any, empty: str, most: int, too_long: str) -> str | None:
    """`empty` when the value is not text or only spaces, `too_long` when the text without
    its outer spaces has more than `most` characters."""
    if not isinstance(value, str) or not value.strip():
        return empty
    if len(value.strip()) > most:
        return too_long
    return None


def _name_problem(name: Any) -> str | None:
    too_long = f"Keep the name to {MAX_NAME} characters or fewer"
    return _text_problem(name, "Enter a name", MAX_NAME, too_long)


def _description_problem(description: Any) -> str | None:
    empty = "Enter a description: a sentence or two saying what the theme covers"
    too_long = f"Keep the description to {MAX_DESCRIPTION:,} characters or fewer"
    return _text_problem(description, empty, MAX_DESCRIPTION, too_long)


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


def write_codebook(codebook: Codebook) -> str:
    """A codebook as a file: the default file's header, which describes the format, then
    the groups and themes, each description folded and each short word list on one line."""
    groups = [
        {
            "code": group.code,
            "name": group.name,
            "themes": [
                {
                    "code": theme.code,
                    "name": theme.name,
                    "description": _Folded(theme.description),
                    "patterns": [_for_yaml(pattern) for pattern in theme.patterns],
                }
                for theme in group.themes
            ],
        }
        for group in codebook.groups
    ]
    return _format_header() + _dump({"groups": groups})


def patterns_as_yaml(patterns: list[dict[str, Any]]) -> str:
    """A theme's patterns as the text a person edits in the app."""
    return _dump([_for_yaml(pattern) for pattern in patterns]) if patterns else ""


def default_codebook_text() -> str:
    return resources.files(__package__).joinpath("codebook.yaml").read_text(encoding="utf-8")
