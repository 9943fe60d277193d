"""The theme codebook: groups and themes, each with a code, a name, a description and
the patterns that suggest it.

The default ships in the package (codebook.yaml, whose header describes the format) and
is loaded into the database on first run. Leads and admins then change it in the app,
theme by theme, or export it as YAML and import it again. A file is checked whole and
refused whole, with the line and reason of every problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import BinaryIO

from sqlalchemy import func, select

from ..audit.rules import add_and_record, record
from ..auth.models import User
from ..database import rows
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from .codebook_checker import _missing_required, default_codebook, parse_codebook, parse_patterns
from .codebook_format import (
    MAX_CODEBOOK_CHARACTERS,
    REQUIRED_CODES,
    Codebook,
    CodebookError,
    GroupEntry,
    ImportResult,
    Problem,
    ThemeEntry,
    _description_problem,
    _listed,
    _name_problem,
    _sentence,
    _theme_code_problem,
    _tidy,
    write_codebook,
)
from .models import Theme, ThemeGroup, ThemeTag

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
    record("codebook.import", user_id=by.id, **asdict(result))
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
    """What uses a theme: accepted tags, suggestions nobody has decided on yet, suggestions
    rejected, and each registered ThemeUser's count. Only accepted tags are evidence; every
    use counts when a theme is deleted or merged (a merge moves them all)."""

    tags: int = 0  # accepted
    others: tuple[tuple[str, int], ...] = ()
    suggestions: int = 0  # waiting for a person to accept or reject them
    rejected: int = 0

    def of(self, noun: str) -> int:
        return dict(self.others).get(noun, 0)

    def __bool__(self) -> bool:
        return bool(
            self.tags
            or self.suggestions
            or self.rejected
            or any(count for _noun, count in self.others)
        )

    def __str__(self) -> str:
        counted = (
            ("tag", self.tags),
            ("suggestion", self.suggestions),
            ("rejected suggestion", self.rejected),
            *self.others,
        )
        parts = [_counted(count, noun) for noun, count in counted if count]
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
            tags.get(theme_id, {}).get("accepted", 0),
            tuple((noun, counts.get(theme_id, 0)) for noun, counts in others.items()),
            suggestions=tags.get(theme_id, {}).get("suggested", 0),
            rejected=tags.get(theme_id, {}).get("rejected", 0),
        )
        for theme_id in theme_ids
    }


def uses(theme: Theme) -> ThemeUses:
    """What uses this one theme."""
    return uses_by_theme().get(theme.id, ThemeUses())


def tag_counts() -> dict[int, dict[str, int]]:
    """How many tags use each theme, by theme id and status (accepted, suggested, rejected);
    themes no tag uses are left out."""
    counted: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        select(ThemeTag.theme_id, ThemeTag.status, func.count()).group_by(
            ThemeTag.theme_id, ThemeTag.status
        )
    )
    for theme_id, status, count in rows:
        counted.setdefault(theme_id, {})[status] = count
    return counted


# ---------------------------------------------------------------- export


def export_codebook() -> str:
    """The database's codebook as YAML, in the order the groups and themes were added."""
    themes_by_group: dict[int, list[Theme]] = {}
    for theme in db.session.scalars(select(Theme).order_by(Theme.id)):
        themes_by_group.setdefault(theme.group_id, []).append(theme)
    return write_codebook(
        Codebook(
            [
                GroupEntry(
                    group.code,
                    group.name,
                    [
                        ThemeEntry(t.code, t.name, t.description, t.patterns or [])
                        for t in themes_by_group.get(group.id, [])
                    ],
                )
                for group in db.session.scalars(select(ThemeGroup).order_by(ThemeGroup.id))
            ]
        )
    )


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
    return add_and_record(theme, "codebook.add_theme", by=by, code=code)


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
    return rows(
        select(Theme)
        .join(ThemeGroup)
        .where(Theme.id != theme.id)
        .order_by(ThemeGroup.id, Theme.name)
    )


def _span(tag: ThemeTag) -> tuple:
    return (tag.subject_type, tag.subject_id, tag.start_char, tag.end_char)
