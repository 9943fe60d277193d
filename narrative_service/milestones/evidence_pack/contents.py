"""What an evidence pack holds, section by section, as plain dataclasses (gathering.py fills
them; sections.py lays them out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SECTION_TITLES = (
    "Milestone checklist",
    "The narrative",
    "Reflection summary",
    "Dissemination of learning",
    "Action plan",
    "Strategic plan and training needs",
    "Feedback to participants",
    "Appendix: evidence files",
)
RISK_TITLE = "Collaborative risk assessment: audits, training and evaluation"
PLACEHOLDER_NOTE = (
    "Names, places, addresses, postcodes, phone numbers, email addresses, NHS numbers, dates "
    "of birth and case references are replaced with placeholders such as [PERSON 1]; in the "
    "narrative and in the rest of this pack the placeholders are numbered separately."
)


def _fixed(default: Any = "", *, factory: Callable | None = None) -> Any:
    """A field the service writes itself (a label, a date, text a person already approved as
    anonymised): not passed through redaction. Every other text field is."""
    if factory is not None:
        return field(default_factory=factory, metadata={"fixed": True})
    return field(default=default, metadata={"fixed": True})


@dataclass
class ChecklistRow:
    label: str = _fixed()
    is_met: bool = False
    detail: str = ""


@dataclass
class ChecklistSection:
    status: str = _fixed()
    days_to_report: str = _fixed()
    items: list[ChecklistRow] = field(default_factory=list)
    shortfall_rationale: str = ""
    shortfall_remedial_plan: str = ""
    submitted: str = _fixed()  # "Marked as submitted on ..." or ""
    submission_rationale: str = ""
    submission_remedial_action: str = ""


@dataclass
class AuditRow:
    """A collaborative risk assessment audit (seed 000)."""

    kind: str = _fixed()
    audited_on: str = _fixed()
    service_users: str = _fixed()
    collaborated: str = _fixed()
    share: str = _fixed()
    notes: str = ""


@dataclass
class DeliverableRow:
    """The education and training programme, or its evaluation."""

    kind: str = _fixed()
    title: str = ""
    completed_on: str = _fixed()
    satisfaction: str = _fixed()
    summary: str = ""


@dataclass
class RiskSection:
    target: str = _fixed()
    audits: list[AuditRow] = field(default_factory=list)
    deliverables: list[DeliverableRow] = field(default_factory=list)


@dataclass
class PublishedNarrative:
    heading: str = _fixed()
    description: str = _fixed()
    # Approved by a person as anonymised (narratives/anonymising.py), or "" when there is none.
    text: str = _fixed()
    approved_on: str = _fixed()
    not_included: str = _fixed()  # why the text is not in the pack, and where to fix that


@dataclass
class Attendee:
    role: str = ""
    team: str = ""
    agency: str = ""
    heard: str = _fixed()


@dataclass
class SessionSummary:
    heading: str = _fixed()
    attendees: list[Attendee] = field(default_factory=list)


@dataclass
class LearningPointRow:
    number: str = _fixed()
    text: str = ""
    themes: list[str] = _fixed(factory=list)
    is_best_practice: bool = False


@dataclass
class DifferenceRow:
    person_view: str = ""
    practitioner_view: str = ""
    agency: str = ""
    learning: str = ""


@dataclass
class ThemeCount:
    name: str = _fixed()
    group: str = _fixed()
    learning_points: int = 0


@dataclass
class ReflectionSection:
    sessions: list[SessionSummary] = field(default_factory=list)
    learning_points: list[LearningPointRow] = field(default_factory=list)
    themes: list[ThemeCount] = field(default_factory=list)
    differences: list[DifferenceRow] = field(default_factory=list)
    missing: str = _fixed()


@dataclass
class DisseminationRow:
    held_on: str = _fixed()
    audience_level: str = _fixed()
    audience: str = ""
    channel: str = _fixed()
    reach: str = _fixed()
    learning_points: str = _fixed()
    notes: str = ""
    link: str = ""


@dataclass
class ActionUpdateRow:
    on: str = _fixed()
    text: str = ""


@dataclass
class ActionRow:
    number: str = _fixed()
    recommendation: str = ""
    lead: str = ""
    action_completed: str = ""
    further_action: str = ""
    due_on: str = _fixed()
    method_of_measurement: str = ""
    outcome_indicator: str = ""
    reported_to: str = ""
    status: str = _fixed()
    updates: list[ActionUpdateRow] = field(default_factory=list)


@dataclass
class TrainingNeedRow:
    theme: str = _fixed()
    staff_group: str = ""
    need: str = ""
    planned_response: str = ""


@dataclass
class StrategicSection:
    reference: str = ""
    objective: str = ""
    training_needs: list[TrainingNeedRow] = field(default_factory=list)


@dataclass
class FeedbackRow:
    was_possible: bool = True
    given_on: str = _fixed()
    method: str = ""
    given_by: str = ""
    told_outcome: str = ""
    improvements: str = ""
    response: str = ""
    not_possible_reason: str = ""


@dataclass
class EvidenceFileRow:
    name: str = ""
    kind: str = _fixed()
    size: str = _fixed()
    uploaded_on: str = _fixed()
    for_activity: str = _fixed()
    sha256: str = _fixed()


@dataclass
class EvidencePack:
    title: str = _fixed()
    programme: str = _fixed()
    financial_year: str = _fixed()
    quarter: str = _fixed()
    facts: list[tuple[str, str]] = _fixed(factory=list)
    checklist: ChecklistSection = field(default_factory=ChecklistSection)
    narratives: list[PublishedNarrative] = field(default_factory=list)
    reflection: ReflectionSection = field(default_factory=ReflectionSection)
    dissemination: list[DisseminationRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    strategic: StrategicSection = field(default_factory=StrategicSection)
    feedback: list[FeedbackRow] = field(default_factory=list)
    evidence_files: list[EvidenceFileRow] = field(default_factory=list)
    # Only for a programme whose quarters need audits (collaborative risk assessment).
    risk: RiskSection | None = None
    note: str = _fixed(PLACEHOLDER_NOTE)
