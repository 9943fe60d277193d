"""A programme's year at a glance: the quarters side by side, and what needs doing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..database import rows
from ..timeutil import today
from . import checklist
from .models import Action, Programme


@dataclass
class ProgrammeBoard:
    programme: Programme
    quarters: list[checklist.Checklist]
    actions: list[Action] = field(default_factory=list)
    actions_due: list[Action] = field(default_factory=list)
    feedback_owed: list[checklist.Checklist] = field(default_factory=list)
    themes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def weighting_at_stake(self) -> float:
        """The weighting of the quarters not yet complete."""
        return sum(
            q.milestone.weighting_percent or 0 for q in self.quarters if q.status != "complete"
        )


def for_programme(programme: Programme, on: date | None = None) -> ProgrammeBoard:
    on = on or today()
    milestones = sorted(programme.milestones, key=lambda m: m.period_start)
    quarters = [checklist.build(m, on) for m in milestones]
    ids = [m.id for m in milestones]
    actions = rows(
        select(Action).where(Action.milestone_id.in_(ids)).order_by(Action.due_on, Action.id)
    )
    due_by = checklist.AT_RISK_DAYS
    actions_due = [
        a
        for a in actions
        if a.status != "complete" and a.due_on is not None and (a.due_on - on).days <= due_by
    ]
    # Feedback is owed once staff have reflected on the narrative and nobody has told the
    # person or family what came of it.
    feedback_owed = [
        q for q in quarters if _met(q, "reflection") and _met(q, "participant_feedback") is False
    ]
    themes: Counter[str] = Counter()
    for milestone in milestones:
        for session in checklist.sessions_for(milestone):
            for point in session.learning_points:
                themes.update(theme.name for theme in point.themes)
    return ProgrammeBoard(
        programme,
        quarters,
        actions,
        actions_due,
        feedback_owed,
        sorted(themes.items(), key=lambda pair: (-pair[1], pair[0])),
    )


def _met(quarter: checklist.Checklist, key: str) -> bool | None:
    item = next((item for item in quarter.items if item.key == key), None)
    return None if item is None else item.is_met
