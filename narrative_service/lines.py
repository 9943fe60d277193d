"""A list a person keeps one item per line in a text box (conversation prompts, the word
list for transcription): read, and checked, the same way everywhere."""

from __future__ import annotations

from .errors import DomainError


def one_per_line(text: str | None, *, item: str, most: int, longest: int, field: str) -> list[str]:
    """The text's lines, spaces folded and blank lines dropped; refused, on `field`, when
    there are more than `most` items, one is longer than `longest` characters, or one is
    written twice (in any case). `item` names one in the messages ("prompt", "term")."""
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > most:
        raise DomainError(f"Keep to {most} {item}s or fewer (there are {len(lines)}).", field)
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if len(line) > longest:
            raise DomainError(
                f"{item.capitalize()} {number} is {len(line)} characters long; keep each to "
                f"{longest}.",
                field,
            )
        if line.lower() in seen:
            raise DomainError(
                f"{item.capitalize()}s {seen[line.lower()]} and {number} are the same "
                f"({line}); keep one of them.",
                field,
            )
        seen[line.lower()] = number
    return lines
