"""Themes across quarters, for safeguarding leads: counts, trend and what the codebook lacks.

Narratives count by the quarter they were captured in (accepted tags only: a suggestion
nobody accepted is not yet evidence); reflections count by the quarter their session was
held in (the themes chosen for their learning points). Each figure opens onto the quotes
behind it, redacted for anyone outside the case team. Key noun phrases per quarter show
what people talk about that the codebook may not yet name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..csv_cells import csv_text
from ..extensions import db
from ..narratives import access
from ..narratives.anonymising import deny_list_for_narrative
from ..narratives.models import Narrative
from ..narratives.turns import narrative_text
from ..redaction.engine import DenyList, detect_many, redact
from ..reflection import access as reflection_access
from ..reflection.models import (
    LearningPoint,
    ReflectionSession,
    learning_point_themes,
)
from ..timeutil import financial_year_start, quarter_bounds, quarter_of, today
from .models import Theme, ThemeTag
from .suggest import load_nlp, model_name

SOURCES = {"narratives": "Narratives", "reflections": "Reflections"}


def quarter_label(day) -> str:
    year, quarter = quarter_of(day)
    return f"{year} {quarter}"


@dataclass
class ThemeCounts:
    quarters: list[str] = field(default_factory=list)
    # (theme code, source) -> {quarter: count}
    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)

    # The quarters up to now; later quarters of this year are shown, empty, but not counted
    # in a trend.
    until: str = ""

    def rows(self) -> list[dict]:
        rows = []
        so_far = [q for q in self.quarters if not self.until or q <= self.until]
        for (code, source), by_quarter in sorted(self.counts.items()):
            values = [by_quarter.get(quarter, 0) for quarter in self.quarters]
            rows.append(
                {
                    "code": code,
                    "name": self.themes[code].name if code in self.themes else code,
                    "source": source,
                    "values": values,
                    "total": sum(values),
                    "trend": _trend([by_quarter.get(quarter, 0) for quarter in so_far]),
                }
            )
        return sorted(rows, key=lambda row: (-row["total"], row["code"], row["source"]))

    def maximum(self) -> int:
        return max((v for row in self.counts.values() for v in row.values()), default=0)


# A trend's slope, in counts a quarter, below which it reads as level.
LEVEL_BELOW = 0.1


def _trend(values: list[int]) -> str:
    """Up, down or level across every quarter given, empty ones included: the slope of the
    least-squares line through them (1, 0, 0 is down; 0, 0, 1 is up; 1, 2, 1 is level)."""
    if len(values) < 2:
        return "level"
    n = len(values)
    middle = (n - 1) / 2
    mean = sum(values) / n
    slope = sum((x - middle) * (y - mean) for x, y in enumerate(values)) / sum(
        (x - middle) ** 2 for x in range(n)
    )
    if abs(slope) < LEVEL_BELOW:
        return "level"
    return "up" if slope > 0 else "down"


def every_quarter(labels: set[str]) -> list[str]:
    """Every quarter of each programme year from the first to the last one named, empty
    quarters included: {"2025/26 Q2", "2026/27 Q1"} gives 2025/26 Q1 to 2026/27 Q4."""
    if not labels:
        return []
    years = sorted(financial_year_start(label.split()[0]) for label in labels)
    return [
        f"{start}/{(start + 1) % 100:02d} Q{number}"
        for start in range(years[0], years[-1] + 1)
        for number in (1, 2, 3, 4)
    ]


def _narrative_evidence(*columns) -> Select:
    """What a narrative count counts: accepted tags on narratives not withdrawn.

    The counts and the drill-down to their quotes both start here, so they always agree.
    """
    return (
        select(*columns)
        .select_from(Theme)
        .join(ThemeTag, ThemeTag.theme_id == Theme.id)
        .join(Narrative, Narrative.id == ThemeTag.subject_id)
        .where(
            ThemeTag.subject_type == "narrative",
            ThemeTag.status == "accepted",
            Narrative.status != "withdrawn",
            Narrative.captured_from.is_not(None),
        )
    )


def _reflection_evidence(*columns) -> Select:
    """What a reflection count counts: learning points chosen for a theme, by session."""
    return (
        select(*columns)
        .select_from(Theme)
        .join(learning_point_themes, learning_point_themes.c.theme_id == Theme.id)
        .join(LearningPoint, LearningPoint.id == learning_point_themes.c.learning_point_id)
        .join(ReflectionSession, ReflectionSession.id == LearningPoint.session_id)
    )


def theme_counts() -> ThemeCounts:
    result = ThemeCounts()
    result.themes = {theme.code: theme for theme in db.session.scalars(select(Theme))}
    narrative_rows = db.session.execute(
        _narrative_evidence(
            Theme.code, Narrative.captured_from, func.count(func.distinct(Narrative.id))
        ).group_by(Theme.code, Narrative.captured_from)
    )
    quarters: set[str] = set()
    for code, day, count in narrative_rows:
        quarter = quarter_label(day)
        quarters.add(quarter)
        bucket = result.counts.setdefault((code, "narratives"), {})
        bucket[quarter] = bucket.get(quarter, 0) + count
    reflection_rows = db.session.execute(
        _reflection_evidence(
            Theme.code, ReflectionSession.held_on, func.count(LearningPoint.id)
        ).group_by(Theme.code, ReflectionSession.held_on)
    )
    for code, day, count in reflection_rows:
        quarter = quarter_label(day)
        quarters.add(quarter)
        bucket = result.counts.setdefault((code, "reflections"), {})
        bucket[quarter] = bucket.get(quarter, 0) + count
    result.until = quarter_label(today())
    # Up to this year's quarters, so a theme no longer raised reads as going down.
    result.quarters = every_quarter(quarters | {result.until}) if quarters else []
    return result


# ---------------------------------------------------------------- drill-down to the quotes


def quarter_slug(label: str) -> str:
    """'2025/26 Q1' -> '2025-26-Q1', as a quarter is written in a URL."""
    return label.replace("/", "-").replace(" ", "-")


def quarter_from_slug(slug: str) -> str:
    """'2025-26-Q1' -> '2025/26 Q1'; ValueError for anything that is not a quarter."""
    first, _, rest = slug.partition("-")
    second, _, quarter = rest.partition("-")
    label_year = f"{first}/{second}"
    if quarter not in ("Q1", "Q2", "Q3", "Q4"):
        raise ValueError(f"{slug!r} is not a quarter such as 2025-26-Q1")
    financial_year_start(label_year)
    return f"{label_year} {quarter}"


@dataclass
class Evidence:
    """One record behind a count: a narrative with its quotes, or one learning point."""

    quarter: str
    quotes: list[str]
    is_redacted: bool
    narrative_id: int | None = None  # a narrative's, shown only to its case team
    title: str = ""  # likewise


@dataclass
class SupportingQuotes:
    theme: Theme
    source: str
    quarter: str | None  # None: every quarter (the table's total)
    evidence: list[Evidence]

    @property
    def count(self) -> int:
        """The figure in the analysis table: narratives, or learning points."""
        return len(self.evidence)

    @property
    def unredacted(self) -> int:
        return sum(1 for item in self.evidence if not item.is_redacted)


def supporting_quotes(
    theme: Theme, source: str, quarter: str | None, *, viewer: User
) -> SupportingQuotes:
    """The records behind one figure of the analysis, with their quotes: as written for
    the case team, redacted for everyone else."""
    if source not in SOURCES:
        raise ValueError(f"{source!r} is not one of {', '.join(SOURCES)}")
    bounds = quarter_bounds(*quarter.split(" ")) if quarter else None
    if source == "narratives":
        evidence = _narrative_quotes(theme, bounds, viewer)
    else:
        evidence = _reflection_quotes(theme, bounds, viewer)
    return SupportingQuotes(theme, source, quarter, evidence)


def _narrative_quotes(theme: Theme, bounds, viewer: User) -> list[Evidence]:

    query = _narrative_evidence(ThemeTag, Narrative).where(Theme.id == theme.id)
    if bounds:
        query = query.where(Narrative.captured_from.between(*bounds))
    query = query.order_by(
        Narrative.captured_from, Narrative.id, ThemeTag.start_char, ThemeTag.id
    ).options(selectinload(Narrative.shares))
    tags: dict[Narrative, list[ThemeTag]] = {}
    for tag, narrative in db.session.execute(query):
        tags.setdefault(narrative, []).append(tag)
    facilitated = set(db.session.scalars(reflection_access.facilitated_narrative_ids(viewer)))
    evidence = []
    for narrative, its_tags in tags.items():
        quarter = quarter_label(narrative.captured_from)
        if access.is_in_case_team(
            viewer, narrative, facilitates_a_session=narrative.id in facilitated
        ):
            evidence.append(
                Evidence(
                    quarter,
                    [tag.quote for tag in its_tags],
                    False,
                    narrative.id,
                    narrative.title,
                )
            )
            continue
        quotes = _redacted_quotes(
            narrative_text(narrative),
            [(tag.start_char, tag.end_char, tag.quote) for tag in its_tags],
            deny_list_for_narrative(narrative),
        )
        evidence.append(Evidence(quarter, quotes, True))
    return evidence


def _reflection_quotes(theme: Theme, bounds, viewer: User) -> list[Evidence]:
    query = _reflection_evidence(LearningPoint, ReflectionSession).where(Theme.id == theme.id)
    if bounds:
        query = query.where(ReflectionSession.held_on.between(*bounds))
    query = query.order_by(ReflectionSession.held_on, ReflectionSession.id, LearningPoint.id)
    points: dict[ReflectionSession, list[LearningPoint]] = {}
    for point, session in db.session.execute(query):
        points.setdefault(session, []).append(point)
    evidence = []
    for session, its_points in points.items():
        quarter = quarter_label(session.held_on)
        texts = [point.text for point in its_points]
        is_redacted = not reflection_access.is_in_session_team(viewer, session)
        if is_redacted:
            # The session's learning points are one document, so the same person has the
            # same placeholder in each of them.
            document = "\n\n".join(texts)
            spans, start = [], 0
            for text in texts:
                spans.append((start, start + len(text), text))
                start += len(text) + 2
            texts = _redacted_quotes(document, spans, _deny_list_for_session(session))
        evidence += [Evidence(quarter, [text], is_redacted) for text in texts]
    return evidence


def _deny_list_for_session(session: ReflectionSession):
    """Whoever the session's narratives name, its attendees and its facilitator."""

    deny = DenyList()
    for narrative in session.narratives:
        deny.extend(deny_list_for_narrative(narrative).entries)
    for attendee in session.attendees:
        deny.add(attendee.name)
    if session.facilitator is not None:
        deny.add(session.facilitator.name)
    return deny


def _redacted_quotes(text: str, spans: list[tuple[int | None, int | None, str]], deny) -> list[str]:
    """Each quote (start, end, words) of `text`, with identifiers replaced by placeholders.

    The whole text is redacted, not the quotes alone, so that a name is recognised from
    its context and keeps one placeholder across every quote. A quote no longer found in
    the text (edited since it was tagged) joins the document as a paragraph of its own.
    """

    document = text
    located = []
    for start, end, quote in spans:
        if start is None or end is None or text[start:end] != quote:
            start = text.find(quote) if quote else -1
            end = start + len(quote)
        if start < 0:
            document += "\n\n"
            start = len(document)
            document += quote
            end = len(document)
        located.append((start, end))
    entities = redact(document, deny_list=deny).entities
    return [_with_placeholders(document, entities, start, end) for start, end in located]


def _with_placeholders(text: str, entities, start: int, end: int) -> str:
    """text[start:end] with each identifier in it, even in part, replaced by its placeholder."""
    pieces = []
    position = start
    for entity in entities:  # in order, never overlapping
        if entity.end <= start or entity.start >= end:
            continue
        if entity.start > position:
            pieces.append(text[position : entity.start])
        pieces.append(entity.placeholder)
        position = max(position, entity.end)
    if position < end:
        pieces.append(text[position:end])
    return "".join(pieces)


def as_csv(counts: ThemeCounts) -> str:
    heading = ["theme_code", "theme", "source", *counts.quarters, "total"]
    rows = (
        [row["code"], row["name"], row["source"], *row["values"], row["total"]]
        for row in counts.rows()
    )
    return csv_text([heading, *rows])


def key_noun_phrases(per_quarter: int = 12) -> dict[str, list[tuple[str, int]]]:
    """The most frequent noun phrases in each quarter's narratives (pronouns left out).

    A phrase never names anyone: the words redaction takes for a person's name (with each
    narrative's own deny list: staff, family named in the record) are left out of it, and
    a phrase with nothing else in it is dropped ("my daughter kelly" counts as "daughter").
    """
    from flask import current_app

    narratives = db.session.scalars(
        select(Narrative).where(
            Narrative.status != "withdrawn", Narrative.captured_from.is_not(None)
        )
    ).all()
    if not narratives:
        return {}
    nlp = load_nlp(model_name(current_app.config.get("SPACY_MODEL", "")))
    texts = [narrative_text(n)[:20_000] for n in narratives]
    deny = DenyList()
    for narrative in narratives:
        deny.extend(deny_list_for_narrative(narrative).entries)
    names = [
        {
            i
            for entity in entities
            if entity.type == "PERSON"
            for i in range(entity.start, entity.end)
        }
        for entities in detect_many(texts, deny_list=deny)
    ]
    phrases: dict[str, Counter] = defaultdict(Counter)
    for narrative, doc, name_characters in zip(
        narratives, nlp.pipe(texts, batch_size=32), names, strict=True
    ):
        quarter = quarter_label(narrative.captured_from)
        for chunk in doc.noun_chunks:
            words = [
                t
                for t in chunk
                if not t.is_stop
                and not t.is_punct
                and t.pos_ != "PRON"
                and t.idx not in name_characters
            ]
            if not words:
                continue
            phrases[quarter][" ".join(t.lemma_.lower() for t in words)] += 1
    return {
        quarter: counter.most_common(per_quarter) for quarter, counter in sorted(phrases.items())
    }
