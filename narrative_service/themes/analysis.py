"""Themes across quarters, for safeguarding leads: counts, trend and what the codebook lacks.

Narratives count by the quarter they were captured in (accepted tags only: a suggestion
nobody accepted is not yet evidence); reflections count by the quarter their session was
held in (the themes chosen for their learning points). Key noun phrases per quarter show
what people talk about that the codebook may not yet name.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from ..narratives.models import Narrative
from ..reflection.models import LearningPoint, ReflectionSession, learning_point_themes
from ..timeutil import quarter_of
from .models import Theme, ThemeTag

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

    def rows(self) -> list[dict]:
        rows = []
        for (code, source), by_quarter in sorted(self.counts.items()):
            values = [by_quarter.get(quarter, 0) for quarter in self.quarters]
            rows.append(
                {
                    "code": code,
                    "name": self.themes[code].name if code in self.themes else code,
                    "source": source,
                    "values": values,
                    "total": sum(values),
                    "trend": _trend(values),
                }
            )
        return sorted(rows, key=lambda row: (-row["total"], row["code"], row["source"]))

    def maximum(self) -> int:
        return max((v for row in self.counts.values() for v in row.values()), default=0)


def _trend(values: list[int]) -> str:
    if len(values) < 2 or values[-1] == values[-2]:
        return "level"
    return "up" if values[-1] > values[-2] else "down"


def theme_counts() -> ThemeCounts:
    result = ThemeCounts()
    result.themes = {theme.code: theme for theme in db.session.scalars(select(Theme))}
    narrative_rows = db.session.execute(
        select(Theme.code, Narrative.captured_from, func.count(func.distinct(Narrative.id)))
        .join(ThemeTag, ThemeTag.theme_id == Theme.id)
        .join(Narrative, Narrative.id == ThemeTag.subject_id)
        .where(
            ThemeTag.subject_type == "narrative",
            ThemeTag.status == "accepted",
            Narrative.status != "withdrawn",
            Narrative.captured_from.is_not(None),
        )
        .group_by(Theme.code, Narrative.captured_from)
    )
    quarters: set[str] = set()
    for code, day, count in narrative_rows:
        quarter = quarter_label(day)
        quarters.add(quarter)
        bucket = result.counts.setdefault((code, "narratives"), {})
        bucket[quarter] = bucket.get(quarter, 0) + count
    reflection_rows = db.session.execute(
        select(Theme.code, ReflectionSession.held_on, func.count(LearningPoint.id))
        .join(learning_point_themes, learning_point_themes.c.theme_id == Theme.id)
        .join(LearningPoint, LearningPoint.id == learning_point_themes.c.learning_point_id)
        .join(ReflectionSession, ReflectionSession.id == LearningPoint.session_id)
        .group_by(Theme.code, ReflectionSession.held_on)
    )
    for code, day, count in reflection_rows:
        quarter = quarter_label(day)
        quarters.add(quarter)
        bucket = result.counts.setdefault((code, "reflections"), {})
        bucket[quarter] = bucket.get(quarter, 0) + count
    result.quarters = sorted(quarters)
    return result


def as_csv(counts: ThemeCounts) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["theme_code", "theme", "source", *counts.quarters, "total"])
    for row in counts.rows():
        writer.writerow([row["code"], row["name"], row["source"], *row["values"], row["total"]])
    return out.getvalue()


def key_noun_phrases(per_quarter: int = 12) -> dict[str, list[tuple[str, int]]]:
    """The most frequent noun phrases in each quarter's narratives (pronouns left out)."""
    from flask import current_app

    from .suggest import load_nlp, model_name
    from .tagging import narrative_text

    narratives = db.session.scalars(
        select(Narrative).where(
            Narrative.status != "withdrawn", Narrative.captured_from.is_not(None)
        )
    ).all()
    if not narratives:
        return {}
    nlp = load_nlp(model_name(current_app.config.get("SPACY_MODEL", "")))
    texts = [narrative_text(n)[:20_000] for n in narratives]
    phrases: dict[str, Counter] = defaultdict(Counter)
    for narrative, doc in zip(narratives, nlp.pipe(texts, batch_size=32), strict=True):
        quarter = quarter_label(narrative.captured_from)
        for chunk in doc.noun_chunks:
            words = [t for t in chunk if not t.is_stop and not t.is_punct and t.pos_ != "PRON"]
            if not words:
                continue
            phrases[quarter][" ".join(t.lemma_.lower() for t in words)] += 1
    return {
        quarter: counter.most_common(per_quarter) for quarter, counter in sorted(phrases.items())
    }
