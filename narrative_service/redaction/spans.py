"""Which of the places the recognizers found stand, and as what.

The recognizers answer with overlapping candidates; these passes make one answer of them:
edges trimmed, every other mention of a name found once added, the same kind's
overlapping spans joined and then the higher score (then the longer span) kept, the town
after a street, and one kind per wording throughout a document.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from . import names
from .names import GENERIC_WORDS, RELATIONS, TITLES

PLACEHOLDER_LABELS = {
    "PERSON": "PERSON",
    "PLACE": "PLACE",
    "ORGANISATION": "ORGANISATION",
    "ADDRESS": "ADDRESS",
    "POSTCODE": "POSTCODE",
    "PHONE": "PHONE",
    "EMAIL": "EMAIL",
    "NHS_NUMBER": "NHS NUMBER",
    "DATE_OF_BIRTH": "DATE OF BIRTH",
    "CASE_REFERENCE": "CASE REFERENCE",
}
TYPES = tuple(PLACEHOLDER_LABELS)
NAME_TYPES = ("PERSON", "PLACE", "ORGANISATION", "ADDRESS")

# Another mention of a name already found in the document: above spaCy's own guess, so
# where spaCy takes "Ring Jean Doyle" for an organisation, Jean Doyle, found elsewhere in
# the document, keeps her placeholder.
REPEAT_SCORE = 0.65
_TITLE_PREFIX = re.compile(rf"(?:(?:{'|'.join(TITLES)})\.?\s+)+")


@dataclass
class Found:
    type: str
    start: int
    end: int
    score: float


def trim(text: str, start: int, end: int, kind: str) -> tuple[int, int]:
    """Leave out surrounding spaces and punctuation; for names a leading "the" and a
    possessive ("Jean's" -> "Jean"); for people a title ("Mrs Patel" -> "Patel"), which
    identifies nobody, so the text reads the same whichever recognizer found the name."""
    while start < end and not (text[start].isalnum() or text[start] in "+("):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == ")"):
        end -= 1
    if kind in NAME_TYPES:
        if text[start:end].lower().startswith("the "):
            start += 4
        is_saint = re.match(r"St\.?\s", text[start:end], re.IGNORECASE) is not None
        for ending in ("'s", "’s"):
            if text[start:end].endswith(ending) and not is_saint:
                end -= 2  # "Jean's" -> "Jean", but "St Luke's" is the name
    if kind in ("PERSON", "PLACE", "ORGANISATION") and text[start:end].endswith(")"):
        end -= 1
    if kind == "PERSON":
        title = _TITLE_PREFIX.match(text, start, end)
        if title and title.end() < end:
            start = title.end()
    return start, end


def with_repeats(text: str, found: list[Found]) -> list[Found]:
    """Every other mention of a name already found, and for people each part of their name."""
    surfaces: dict[str, str] = {}
    for item in found:
        if item.type not in NAME_TYPES:
            continue
        surface = text[item.start : item.end]
        surfaces.setdefault(surface, item.type)
        if item.type == "PERSON":
            for part in name_parts(surface):
                surfaces.setdefault(part, "PERSON")
    if not surfaces:
        return found
    # One pass over the text for each kind's wordings, longest first, so a long document
    # with many names is read a few times rather than once a name.
    everyday = {s for s in surfaces if " " not in s and names.is_everyday(s)}
    extra = []
    for kind in sorted(set(surfaces.values()), key=TYPES.index):
        wordings = sorted((s for s, k in surfaces.items() if k == kind), key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, wordings)) + r")(?!\w)")
        for match in pattern.finditer(text):
            if match.group() in everyday and not is_name_use(text, *match.span()):
                continue  # "the bill" after "her brother Bill"
            extra.append(Found(kind, match.start(), match.end(), REPEAT_SCORE))
    return found + extra


def is_name_use(text: str, start: int, end: int) -> bool:
    """Another mention of a name that is also an everyday word counts only where it reads
    as a name: capitalised mid-sentence, or followed by a verb that takes a person."""
    if names.is_person_use(text, start, end):
        return True
    return text[start].isupper() and not names.is_sentence_start(text, start)


def resolve(text: str, found: list[Found]) -> list[Found]:
    """One type per character: the same type's overlapping spans are joined, then the
    highest-scoring (then longest) span wins; what a loser has left over keeps its type."""
    merged: list[Found] = []
    for kind in sorted({item.type for item in found}, key=TYPES.index):
        spans = sorted((item for item in found if item.type == kind), key=lambda f: f.start)
        for item in spans:
            if merged and merged[-1].type == kind and item.start < merged[-1].end:
                last = merged[-1]
                last.end = max(last.end, item.end)
                last.score = max(last.score, item.score)
            else:
                merged.append(Found(kind, item.start, item.end, item.score))
    # On a tie the type listed first wins (a person before an organisation), whatever order
    # the recognizers answered in.
    merged.sort(key=lambda f: (-f.score, -(f.end - f.start), TYPES.index(f.type), f.start))
    taken = bytearray(len(text))
    kept: list[Found] = []
    for item in merged:
        position = item.start
        while position < item.end:
            while position < item.end and taken[position]:
                position += 1
            piece_start = position
            while position < item.end and not taken[position]:
                position += 1
            start, end = trim(text, piece_start, position, item.type)
            if not any(char.isalnum() for char in text[start:end]):
                continue
            is_leftover = (start, end) != (item.start, item.end)
            if is_leftover and item.type in NAME_TYPES and is_generic(text[start:end], "PLACE"):
                continue  # "Mrs" left over from spaCy's "Mrs Agnes" once "Agnes" is a person
            if start < end:
                kept.append(Found(item.type, start, end, item.score))
                taken[start:end] = b"\x01" * (end - start)
    kept.sort(key=lambda f: f.start)
    return kept


def strip_title(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


def name_parts(name: str) -> list[str]:
    """The words of a name that name someone: not a title or a common word; capitalised,
    or typed in lower case and not an everyday word ("vexcombe" in "edna vexcombe")."""
    parts = []
    for word in re.findall(r"[^\W\d_][^\W\d_'’\-]*(?:[\-'’][^\W\d_]+)*", name):
        word = re.sub(r"['’]s$", "", word)
        if (
            len(word) >= 2
            and (word[0].isupper() or not names.is_everyday(word))
            and word.rstrip(".") not in TITLES
            and word.lower() not in GENERIC_WORDS
            and word.lower() not in RELATIONS
        ):
            parts.append(word)
    return parts


def towns_after_streets(text: str, kept: list[Found]) -> list[Found]:
    """In "12 Mill Lane, Harrogate" the name after the street is the town, whatever spaCy
    took it for."""
    for before, item in itertools.pairwise(kept):
        if (
            before.type == "ADDRESS"
            and item.type in ("PERSON", "ORGANISATION")
            and re.fullmatch(r",\s*", text[before.end : item.start])
        ):
            item.type, item.score = "PLACE", max(item.score, 0.65)
    return kept


def one_type_per_name(text: str, kept: list[Found]) -> list[Found]:
    """The same wording is one kind of thing throughout: spaCy may call "L. Marsh" an
    organisation once and a person the next time. A word that is part of a person's name
    is a person; otherwise the kind with the most evidence wins (people first on a tie)."""
    person_words = set()
    evidence: dict[str, Counter] = {}
    for item in kept:
        if item.type not in ("PERSON", "PLACE", "ORGANISATION"):
            continue
        surface = text[item.start : item.end]
        if item.type == "PERSON":
            person_words.update(name_parts(surface))
        evidence.setdefault(surface.casefold(), Counter())[item.type] += item.score
    preference = ("PERSON", "ORGANISATION", "PLACE")
    for item in kept:
        if item.type not in preference:
            continue
        surface = text[item.start : item.end]
        if surface in person_words:
            item.type = "PERSON"
        else:
            votes = evidence[surface.casefold()]
            item.type = max(preference, key=lambda kind: (votes[kind], -preference.index(kind)))
    return kept


def is_generic(text: str, kind: str) -> bool:
    words = re.findall(r"[\w&]+(?:\.[\w&]+)*", text.lower())  # "d.o.b" is one word
    if not words:
        return True
    if all(word.capitalize() in TITLES or word.upper() in TITLES for word in words):
        return True
    if kind == "PERSON" and not any(char.isupper() for char in text):
        return False  # a name typed in lower case is still a name
    return all(word in GENERIC_WORDS or word in RELATIONS for word in words)
