"""Checking a codebook file (or a theme's patterns) whole: every problem, by line, in words a
lead can act on; a file with any problem is refused whole (codebook_format.CodebookError)."""

from __future__ import annotations

import re
from typing import Any

from .codebook_format import (
    COMPARISONS,
    FIRST_NODE_KEYS,
    GROUP_CODE,
    LIST_PREDICATES,
    MAX_GROUP_CODE,
    MAX_PATTERN_TEXT,
    MAX_PATTERNS,
    MAX_TOKENS,
    NODE_KEYS,
    NUMBER_ATTRIBUTES,
    ONE_WORD,
    OPERATOR_RANGE,
    OPERATORS,
    PATTERN_KINDS,
    RELATIONS,
    REQUIRED_CODES,
    STRING_ATTRIBUTES,
    TEXT_KINDS,
    TEXT_PREDICATES,
    TOKEN_ATTRIBUTES,
    TRUE_OR_FALSE_ATTRIBUTES,
    Codebook,
    CodebookError,
    GroupEntry,
    Problem,
    ThemeEntry,
    _capital,
    _description_problem,
    _is_number,
    _listed,
    _load,
    _Mapping,
    _name_problem,
    _plain,
    _quoted,
    _Sequence,
    _shown,
    _theme_code_problem,
    _tidy,
    default_codebook_text,
)


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

    def is_token_list(self, value: Any, line: int, kind: str, entries: str, refusal: str) -> bool:
        """Whether a matcher or dependency pattern is a list with entries (`refusal` says what
        it should be); one with more than MAX_TOKENS is reported and still checked."""
        if not isinstance(value, _Sequence) or not value:
            self.add(line, refusal)
            return False
        if len(value) > MAX_TOKENS:
            self.add(line, f"Keep a {kind} pattern to {MAX_TOKENS} {entries}")
        return True

    def matcher(self, value: Any, line: int) -> list[dict[str, Any]]:
        refusal = "A matcher pattern must be a list of tokens, like [{LEMMA: tell}, {LOWER: me}]"
        if not self.is_token_list(value, line, "matcher", "tokens", refusal):
            return []
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
        refusal = (
            "A dependency pattern must be a list of nodes, the first like "
            "{RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: hit}}"
        )
        if not self.is_token_list(value, line, "dependency", "nodes", refusal):
            return []
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
