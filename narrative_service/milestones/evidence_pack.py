"""The evidence pack: one quarter's milestone as the document a lead sends to the commissioner.

`gather(milestone)` collects the evidence seed 002 asks for (checklist, the narrative as
published, the reflection summary, dissemination, the action plan, the strategic plan and
training needs, feedback to the participants, the evidence files) into plain dataclasses;
`to_pdf` (WeasyPrint) and `to_docx` (python-docx) lay out the same sections in the same order.
The web page and the command line both call these functions.

The pack leaves the case team, so nothing identifiable may reach it:
- the narrative appears only as the anonymised version a person approved, and only while it
  is current (the narrative has not changed since) and the narrator's consent covers
  dissemination; otherwise the pack says so, and where to approve one, instead of the text;
- every other piece of free text (reflection, dissemination, actions, feedback, file names)
  is redacted together, as one document, so a placeholder means the same person throughout,
  with a deny list made of the narratives' own fields, the identifiers found in the
  narratives themselves, and the names of the staff involved;
- attendees appear by role, team and agency, never by name.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..narratives import access
from ..narratives.choices import CAPTURE_METHODS, NARRATOR_TYPES
from ..narratives.models import Narrative
from ..reflection.models import ReflectionSession
from ..reflection.rules import HEARD_HOW
from ..themes import anonymising, redaction
from ..themes.models import Theme
from ..themes.tagging import narrative_text
from ..timeutil import today
from . import checklist as checklists
from .models import (
    Action,
    Deliverable,
    DisseminationActivity,
    EvidenceFile,
    Milestone,
    ParticipantFeedback,
    Programme,
    RiskAudit,
    TrainingNeed,
)
from .rules import (
    ACTION_STATUSES,
    AUDIENCE_LEVELS,
    AUDIT_KINDS,
    CHANNELS,
    DELIVERABLE_KINDS,
    is_overdue,
)

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
# Joins the pack's free text into one document for redaction; never part of any text.
_BREAK = "\n\n\u2042\u2042\u2042\n\n"


def _fixed(default: Any = "", *, factory: Callable | None = None) -> Any:
    """A field the service writes itself (a label, a date, text a person already approved as
    anonymised): not passed through redaction. Every other text field is."""
    if factory is not None:
        return field(default_factory=factory, metadata={"fixed": True})
    return field(default=default, metadata={"fixed": True})


# ------------------------------------------------------------------ the pack, section by section


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
    # Approved by a person as anonymised (themes/anonymising.py), or "" when there is none.
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


# ------------------------------------------------------------------ gathering


def _day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "Not recorded"


def gather(milestone: Milestone, on: date | None = None) -> EvidencePack:
    """The quarter's evidence, every free text already redacted."""
    on = on or today()
    if has_request_context():
        return _gather(milestone, on)
    # The checklist names the page that fixes each gap (url_for), which needs a request;
    # the command line has none.
    with current_app.test_request_context():
        return _gather(milestone, on)


def milestone_for(programme_id: int, quarter: str) -> Milestone:
    """A programme's milestone for a quarter; DomainError says what there is instead."""
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        known = db.session.scalars(select(Programme).order_by(Programme.id)).all()
        listed = "; ".join(f"{p.id} ({p.name})" for p in known) or "none yet"
        raise DomainError(f"There is no programme {programme_id}. The programmes are: {listed}.")
    quarter = quarter.upper()
    for milestone in programme.milestones:
        if milestone.quarter == quarter:
            return milestone
    quarters = ", ".join(m.quarter for m in programme.milestones) or "none"
    raise DomainError(f"{programme.name} has no {quarter} milestone; its quarters are {quarters}.")


def _gather(milestone: Milestone, on: date) -> EvidencePack:
    programme = milestone.programme
    built = checklists.build(milestone, on)
    narratives = checklists.qualifying_narratives(milestone)
    sessions = checklists.qualifying_sessions(milestone, narratives)
    pack = EvidencePack(
        title=f"Evidence pack: {programme.name}, {milestone.quarter}",
        programme=programme.name,
        financial_year=programme.financial_year,
        quarter=milestone.quarter,
        facts=_facts(milestone, built, on),
        checklist=_checklist(milestone, built),
        narratives=[_published(n) for n in narratives],
        risk=_risk(milestone),
    )
    pack.reflection, point_numbers = _reflection(sessions, built)
    activities = _for_milestone(DisseminationActivity, milestone, DisseminationActivity.held_on)
    pack.dissemination = [_dissemination(a, point_numbers) for a in activities]
    pack.actions = [
        _action(number, action, on)
        for number, action in enumerate(_for_milestone(Action, milestone, Action.id), 1)
    ]
    pack.strategic = StrategicSection(
        reference=milestone.strategic_objective_ref,
        objective=milestone.strategic_objective_text,
        training_needs=[
            TrainingNeedRow(
                theme=_theme_name(need.theme_id),
                staff_group=need.staff_group,
                need=need.need,
                planned_response=need.planned_response,
            )
            for need in _for_milestone(TrainingNeed, milestone, TrainingNeed.id)
        ],
    )
    feedback = _for_milestone(ParticipantFeedback, milestone, ParticipantFeedback.id)
    pack.feedback = [_feedback(f) for f in feedback]
    activity_numbers = {a.id: f"Dissemination {n}" for n, a in enumerate(activities, 1)}
    pack.evidence_files = [
        _evidence_file(f, activity_numbers)
        for f in _for_milestone(EvidenceFile, milestone, EvidenceFile.uploaded_at)
    ]
    involved = {n.id: n for n in narratives}
    for session in sessions:
        involved.update((n.id, n) for n in session.narratives)
    for item in feedback:
        narrative = db.session.get(Narrative, item.narrative_id) if item.narrative_id else None
        if narrative is not None:
            involved[narrative.id] = narrative
    _redact_free_text(pack, _deny_list(list(involved.values()), sessions, activities))
    return pack


def _theme_name(theme_id: int | None) -> str:
    theme = db.session.get(Theme, theme_id) if theme_id else None
    return theme.name if theme else "No particular theme"


def _for_milestone(model, milestone: Milestone, order) -> list:
    return list(
        db.session.scalars(
            select(model).where(model.milestone_id == milestone.id).order_by(order, model.id)
        )
    )


def _facts(milestone: Milestone, built: checklists.Checklist, on: date) -> list[tuple[str, str]]:
    facts = [
        ("Programme", milestone.programme.name),
        ("Financial year", milestone.programme.financial_year),
        ("Quarter", milestone.quarter),
        ("Period", f"{_day(milestone.period_start)} to {_day(milestone.period_end)}"),
        ("Reporting date", _day(milestone.reporting_date)),
    ]
    if milestone.weighting_percent is not None:
        facts.append(("Weighting", f"{milestone.weighting_percent:g}% of the scheme"))
    if milestone.programme.commissioner:
        facts.append(("Commissioner", milestone.programme.commissioner))
    facts.append(("Status", f"{built.status_label} ({len(built.missing)} items not yet met)"))
    facts.append(("Produced on", _day(on)))
    return facts


def _checklist(milestone: Milestone, built: checklists.Checklist) -> ChecklistSection:
    days = built.days_to_report
    if days > 0:
        when = f"{days} day{'s' if days != 1 else ''} to the reporting date"
    elif days == 0:
        when = "The reporting date is today"
    else:
        when = f"The reporting date passed {-days} day{'s' if days != -1 else ''} ago"
    submitted = ""
    if milestone.submitted_at is not None:
        missing = len(milestone.missing_when_submitted or [])
        submitted = f"Marked as submitted to the commissioner on {_day(milestone.submitted_at)}" + (
            f", with {missing} item{'s' if missing != 1 else ''} not met." if missing else "."
        )
    return ChecklistSection(
        status=built.status_label,
        days_to_report=when,
        items=[ChecklistRow(item.label, item.is_met, item.detail) for item in built.items],
        shortfall_rationale=milestone.shortfall_rationale,
        shortfall_remedial_plan=milestone.shortfall_remedial_plan,
        submitted=submitted,
        submission_rationale=milestone.submission_rationale,
        submission_remedial_action=milestone.submission_remedial_action,
    )


RISK_REQUIREMENTS = {
    "baseline_audit",
    "re_audit",
    "audit_target",
    "training_programme",
    "evaluation",
}


def _risk(milestone: Milestone) -> RiskSection | None:
    if not RISK_REQUIREMENTS & set(milestone.requirements or []):
        return None
    audits = _for_milestone(RiskAudit, milestone, RiskAudit.audited_on)
    deliverables = _for_milestone(Deliverable, milestone, Deliverable.id)
    target = (
        f"At least {milestone.target_percent:g}% of service users collaborate in their own risk "
        "assessment and safety plan."
        if milestone.target_percent is not None
        else ""
    )
    return RiskSection(
        target=target,
        audits=[
            AuditRow(
                kind=AUDIT_KINDS[a.kind],
                audited_on=_day(a.audited_on),
                service_users=str(a.service_users),
                collaborated=str(a.collaborated),
                share=f"{a.percent:.0f}%",
                notes=a.notes,
            )
            for a in audits
        ],
        deliverables=[
            DeliverableRow(
                kind=DELIVERABLE_KINDS[d.kind],
                title=d.title,
                completed_on=_day(d.completed_on),
                satisfaction=(
                    f"Staff {d.staff_satisfaction_percent:g}%, service users "
                    f"{d.service_user_satisfaction_percent:g}%"
                    if d.staff_satisfaction_percent is not None
                    and d.service_user_satisfaction_percent is not None
                    else ""
                ),
                summary=d.summary,
            )
            for d in deliverables
        ],
    )


def _published(narrative: Narrative) -> PublishedNarrative:
    """The narrative as it may leave the case team: its current approved anonymised version."""
    told_by = NARRATOR_TYPES.get(narrative.narrator_type, "Not recorded").lower()
    captured = f"{narrative.captured_from:%B %Y}" if narrative.captured_from else "not recorded"
    description = (
        f"Told by {told_by}; captured {captured}; "
        f"{CAPTURE_METHODS.get(narrative.capture_method, narrative.capture_method).lower()}; "
        f"the facilitator was {'' if narrative.is_facilitator_independent else 'not '}"
        "independent of the case."
    )
    published = PublishedNarrative(heading="", description=description)
    where = (
        "A safeguarding lead or the narrative's advocate can review and approve one on the "
        "narrative's anonymised version page "
        f"({url_for('themes.anonymise', narrative_id=narrative.id)})."
    )
    if not access.may_leave_the_case_team(narrative):
        published.not_included = (
            "The narrator's consent does not cover anonymised dissemination, so the narrative's "
            "text is not included."
        )
        return published
    version = anonymising.latest(narrative)
    if version is None:
        published.not_included = (
            "No anonymised version of this narrative has been approved yet, so its text is not "
            f"included. {where}"
        )
    elif not anonymising.is_current(version, narrative):
        published.not_included = (
            f"The anonymised version approved on {_day(version.approved_at.date())} is out of "
            f"date: the narrative has changed since, so its text is not included. {where}"
        )
    else:
        published.text = version.text
        published.approved_on = _day(version.approved_at.date())
    return published


def _reflection(
    sessions: list[ReflectionSession], built: checklists.Checklist
) -> tuple[ReflectionSection, dict[int, str]]:
    """The reflection summary, and each learning point's number in it ("LP1") by id."""
    section = ReflectionSection()
    numbers: dict[int, str] = {}
    if not sessions:
        gap = next((item.detail for item in built.items if item.key == "reflection"), "")
        section.missing = f"No reflection session qualifies yet. {gap}".strip()
        return section, numbers
    theme_counts: Counter = Counter()
    themes = {}
    for number, session in enumerate(sessions, 1):
        kind = "Group" if session.is_group else "Individual"
        place = "online" if session.is_online else "in person"
        section.sessions.append(
            SessionSummary(
                heading=f"Session {number}: {_day(session.held_on)}, {kind.lower()}, {place}",
                attendees=[
                    Attendee(
                        role=a.role or "Role not recorded",
                        team=a.team,
                        agency=a.agency,
                        heard=HEARD_HOW.get(a.heard_how, "Heard directly")
                        if a.heard_directly_at
                        else "Not recorded as having heard it directly",
                    )
                    for a in session.attendees
                ],
            )
        )
        for point in session.learning_points:
            numbers[point.id] = f"LP{len(section.learning_points) + 1}"
            section.learning_points.append(
                LearningPointRow(
                    number=numbers[point.id],
                    text=point.text,
                    themes=[theme.name for theme in point.themes],
                    is_best_practice=point.is_best_practice,
                )
            )
            for theme in point.themes:
                theme_counts[theme.id] += 1
                themes[theme.id] = theme
        section.differences.extend(
            DifferenceRow(d.person_view_or_erased, d.practitioner_view, d.agency, d.learning)
            for d in session.differences
        )
    section.themes = [
        ThemeCount(themes[theme_id].name, themes[theme_id].group.name, count)
        for theme_id, count in sorted(
            theme_counts.items(), key=lambda item: (-item[1], themes[item[0]].name)
        )
    ]
    return section, numbers


def _dissemination(
    activity: DisseminationActivity, point_numbers: dict[int, str]
) -> DisseminationRow:
    shared = [point_numbers[i] for i in activity.learning_point_ids or [] if i in point_numbers]
    return DisseminationRow(
        held_on=_day(activity.held_on),
        audience_level=AUDIENCE_LEVELS.get(activity.audience_level, activity.audience_level),
        audience=activity.audience,
        channel=CHANNELS.get(activity.channel, activity.channel),
        reach="" if activity.reach is None else f"{activity.reach:,}",
        learning_points=", ".join(shared),
        notes=activity.notes,
        link=activity.link_url,
    )


def _action(number: int, action: Action, on: date) -> ActionRow:
    status = ACTION_STATUSES.get(action.status, action.status)
    if is_overdue(action, on):
        status += " (overdue)"
    return ActionRow(
        number=str(number),
        recommendation=action.recommendation,
        lead=action.lead,
        action_completed=action.action_completed,
        further_action=action.further_action,
        due_on=_day(action.due_on) if action.due_on else "",
        method_of_measurement=action.method_of_measurement,
        outcome_indicator=action.outcome_indicator,
        reported_to=action.reported_to,
        status=status,
        updates=[ActionUpdateRow(_day(u.on), u.text) for u in action.updates],
    )


def _feedback(item: ParticipantFeedback) -> FeedbackRow:
    return FeedbackRow(
        was_possible=item.was_possible,
        given_on=_day(item.given_on) if item.was_possible else "",
        method=item.method,
        given_by=item.given_by,
        told_outcome=item.told_outcome,
        improvements=item.improvements,
        response=item.response,
        not_possible_reason=item.not_possible_reason,
    )


def _size(size_bytes: int) -> str:
    if size_bytes < 1024:
        return f"{size_bytes} bytes"
    if size_bytes < 1024 * 1024:
        return f"{size_bytes / 1024:.0f} kB"
    return f"{size_bytes / 1024 / 1024:.1f} MB"


def _evidence_file(item: EvidenceFile, activity_numbers: dict[int, str]) -> EvidenceFileRow:
    return EvidenceFileRow(
        name=item.original_filename,
        kind=item.content_type or "Unknown type",
        size=_size(item.size_bytes or 0),
        uploaded_on=_day(item.uploaded_at.date() if item.uploaded_at else None),
        for_activity=activity_numbers.get(item.dissemination_activity_id, "The milestone"),
        # In groups, so the 64 characters wrap in a table cell.
        sha256=" ".join(item.sha256[i : i + 16] for i in range(0, len(item.sha256), 16)),
    )


# ------------------------------------------------------------------ redaction


def _deny_list(
    narratives: list[Narrative],
    sessions: list[ReflectionSession],
    activities: list[DisseminationActivity],
) -> redaction.DenyList:
    """Everything the records say about who and where: each narrative's own fields, the
    identifiers found in the narrative itself (so "Darren", named once in the story, is
    hidden in a feedback note too), and the names of the staff involved."""
    deny = redaction.DenyList()
    texts = []
    for narrative in narratives:
        deny.extend(redaction.deny_list_for_narrative(narrative).entries)
        texts.append(narrative_text(narrative))
    for entities in redaction.detect_many(texts):
        deny.extend((entity.type, entity.text) for entity in entities)
    for session in sessions:
        deny.extend(attendee.name for attendee in session.attendees)
        if session.facilitator is not None:
            deny.add(session.facilitator.name)
    for user_id in {a.created_by_id for a in activities if a.created_by_id}:
        user = db.session.get(User, user_id)
        if user is not None:
            deny.add(user.name)
    return deny


def _free_texts(obj: Any, visit: Callable[[str], str]) -> None:
    """Call `visit` on every free-text string in the pack, replacing it with the result."""
    for item in fields(obj):
        if item.metadata.get("fixed"):
            continue
        setattr(obj, item.name, _visit(getattr(obj, item.name), visit))


def _visit(value: Any, visit: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return visit(value)
    if isinstance(value, list):
        return [_visit(element, visit) for element in value]
    if is_dataclass(value) and not isinstance(value, type):
        _free_texts(value, visit)
    return value


def _redact_free_text(pack: EvidencePack, deny: redaction.DenyList) -> None:
    """Redact every free text in the pack as one document, so each placeholder stands for
    the same person or place wherever it appears in the pack."""
    texts: list[str] = []

    def collect(text: str) -> str:
        if text.strip() and text not in texts:
            texts.append(text)
        return text

    _free_texts(pack, collect)
    redacted = dict(zip(texts, _redact_together(texts, deny), strict=True))
    # A text not collected above raises KeyError here: nothing passes unredacted.
    _free_texts(pack, lambda text: redacted[text] if text.strip() else text)


def _redact_together(texts: list[str], deny: redaction.DenyList) -> list[str]:
    if not texts:
        return []
    texts = [text.replace("\u2042", "*") for text in texts]
    document = _BREAK.join(texts)
    bounds, start = [], 0
    for text in texts:
        bounds.append((start, start + len(text)))
        start += len(text) + len(_BREAK)
    (entities,) = redaction.detect_many([document], deny_list=deny)
    # An entity never spans two texts: cut at each text's edges, so the breaks survive.
    pieces = []
    for entity in entities:
        for first, last in bounds:
            begin, end = max(entity.start, first), min(entity.end, last)
            if begin < end and any(char.isalnum() for char in document[begin:end]):
                pieces.append(redaction.Entity(entity.type, begin, end, document[begin:end]))
    parts = redaction.render(document, pieces).text.split(_BREAK)
    if len(parts) != len(texts):
        raise RuntimeError("The evidence pack's text could not be redacted; nothing was produced.")
    return parts


# ------------------------------------------------------------------ layout shared by both formats


@dataclass
class Block:
    """One thing on the page: a subheading, a paragraph, facts (label and value), or a table."""

    kind: str  # subheading | paragraph | note | missing | quote | facts | table
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


def outline(pack: EvidencePack) -> list[Section]:
    """The pack's sections in order, as blocks both the PDF and the Word document lay out."""
    risk = [_risk_section(pack)] if pack.risk is not None else []
    return [
        _checklist_section(pack),
        *risk,
        _narrative_section(pack),
        _reflection_section(pack),
        _dissemination_section(pack),
        _action_section(pack),
        _strategic_section(pack),
        _feedback_section(pack),
        _files_section(pack),
    ]


def _table(header: list[str], rows: list[list[str]]) -> Block:
    return Block("table", header=header, rows=rows)


def _checklist_section(pack: EvidencePack) -> Section:
    part = pack.checklist
    blocks = [Block("paragraph", f"Status: {part.status}. {part.days_to_report}.")]
    blocks.append(
        _table(
            ["Evidence", "Met?", "Detail"],
            [
                [item.label, "Met" if item.is_met else "Not yet met", item.detail]
                for item in part.items
            ],
        )
    )
    if part.shortfall_rationale:
        blocks.append(
            Block("paragraph", f"Rationale for the shortfall: {part.shortfall_rationale}")
        )
    if part.shortfall_remedial_plan:
        blocks.append(Block("paragraph", f"Remedial action plan: {part.shortfall_remedial_plan}"))
    if part.submitted:
        blocks.append(Block("subheading", "Submission"))
        blocks.append(Block("paragraph", part.submitted))
        if part.submission_rationale:
            blocks.append(
                Block("paragraph", f"Rationale for submitting: {part.submission_rationale}")
            )
        if part.submission_remedial_action:
            blocks.append(Block("paragraph", f"Remedial action: {part.submission_remedial_action}"))
    return Section(SECTION_TITLES[0], blocks)


def _risk_section(pack: EvidencePack) -> Section:
    part = pack.risk
    blocks = [Block("paragraph", part.target)] if part.target else []
    blocks.append(Block("subheading", "Audits"))
    if part.audits:
        blocks.append(
            _table(
                ["Audit", "Date", "Service users audited", "Collaborated", "Share", "Notes"],
                [
                    [a.kind, a.audited_on, a.service_users, a.collaborated, a.share, a.notes]
                    for a in part.audits
                ],
            )
        )
    else:
        blocks.append(Block("missing", "No audit recorded."))
    blocks.append(Block("subheading", "Education and training programme, and its evaluation"))
    if part.deliverables:
        blocks.append(
            _table(
                ["What", "Title", "Completed", "Satisfaction", "Summary"],
                [
                    [d.kind, d.title, d.completed_on, d.satisfaction, d.summary]
                    for d in part.deliverables
                ],
            )
        )
    else:
        blocks.append(Block("missing", "Neither the programme nor its evaluation is recorded."))
    return Section(RISK_TITLE, blocks)


def _narrative_section(pack: EvidencePack) -> Section:
    if not pack.narratives:
        return Section(
            SECTION_TITLES[1],
            [
                Block(
                    "missing",
                    "No complete narrative with consent for staff reflection is recorded for "
                    "this quarter.",
                )
            ],
        )
    blocks = [Block("note", pack.note)]
    for number, narrative in enumerate(pack.narratives, 1):
        blocks.append(Block("subheading", f"Narrative {number}"))
        blocks.append(Block("paragraph", narrative.description))
        if narrative.text:
            blocks.append(Block("note", f"Anonymised version approved on {narrative.approved_on}."))
            blocks.extend(
                Block("quote", paragraph.strip())
                for paragraph in re.split(r"\n\s*\n", narrative.text)
                if paragraph.strip()
            )
        else:
            blocks.append(Block("missing", narrative.not_included))
    return Section(SECTION_TITLES[1], blocks)


def _reflection_section(pack: EvidencePack) -> Section:
    part = pack.reflection
    if part.missing:
        return Section(SECTION_TITLES[2], [Block("missing", part.missing)])
    blocks = []
    for session in part.sessions:
        blocks.append(Block("subheading", session.heading))
        blocks.append(
            _table(
                ["Role", "Team", "Agency", "Heard the narrative"],
                [[a.role, a.team, a.agency, a.heard] for a in session.attendees],
            )
        )
    blocks.append(Block("subheading", "Key learning points"))
    if part.learning_points:
        blocks.append(
            _table(
                ["No.", "Learning point", "Themes", "Best practice"],
                [
                    [p.number, p.text, ", ".join(p.themes), "Yes" if p.is_best_practice else ""]
                    for p in part.learning_points
                ],
            )
        )
    else:
        blocks.append(Block("missing", "No learning points recorded."))
    blocks.append(Block("subheading", "Themes"))
    if part.themes:
        blocks.append(
            _table(
                ["Theme", "Group", "Learning points"],
                [[t.name, t.group, str(t.learning_points)] for t in part.themes],
            )
        )
    else:
        blocks.append(Block("missing", "No themes recorded."))
    blocks.append(Block("subheading", "Differences of perspective"))
    if part.differences:
        blocks.append(
            _table(
                [
                    "What the person said or felt",
                    "What practitioners saw or did",
                    "Agency",
                    "What was learned",
                ],
                [
                    [d.person_view, d.practitioner_view, d.agency, d.learning]
                    for d in part.differences
                ],
            )
        )
    else:
        blocks.append(Block("missing", "No differences of perspective recorded."))
    return Section(SECTION_TITLES[2], blocks)


def _dissemination_section(pack: EvidencePack) -> Section:
    if not pack.dissemination:
        return Section(
            SECTION_TITLES[3],
            [
                Block(
                    "missing",
                    "No dissemination recorded: neither to frontline staff nor at "
                    "corporate or board level.",
                )
            ],
        )
    return Section(
        SECTION_TITLES[3],
        [
            _table(
                [
                    "Date",
                    "Level",
                    "Audience",
                    "Channel",
                    "Reach",
                    "Learning shared",
                    "Notes",
                    "Link",
                ],
                [
                    [
                        r.held_on,
                        r.audience_level,
                        r.audience,
                        r.channel,
                        r.reach,
                        r.learning_points,
                        r.notes,
                        r.link,
                    ]
                    for r in pack.dissemination
                ],
            )
        ],
    )


def _action_section(pack: EvidencePack) -> Section:
    if not pack.actions:
        return Section(SECTION_TITLES[4], [Block("missing", "No actions in the action plan.")])
    blocks = [
        _table(
            [
                "No.",
                "Recommendation",
                "Lead",
                "Action completed",
                "Further action",
                "Date",
                "Method of measurement",
                "Outcome indicator or standard",
                "Reported to",
                "Status",
            ],
            [
                [
                    a.number,
                    a.recommendation,
                    a.lead,
                    a.action_completed,
                    a.further_action,
                    a.due_on,
                    a.method_of_measurement,
                    a.outcome_indicator,
                    a.reported_to,
                    a.status,
                ]
                for a in pack.actions
            ],
        )
    ]
    updates = [[a.number, u.on, u.text] for a in pack.actions for u in a.updates]
    if updates:
        blocks.append(Block("subheading", "Progress updates"))
        blocks.append(_table(["Action", "Date", "Update"], updates))
    return Section(SECTION_TITLES[4], blocks)


def _strategic_section(pack: EvidencePack) -> Section:
    part = pack.strategic
    if part.reference or part.objective:
        blocks = [Block("facts", rows=[["Objective", part.reference], ["Text", part.objective]])]
    else:
        blocks = [Block("missing", "No strategic objective recorded.")]
    blocks.append(Block("subheading", "Training needs analysis"))
    if part.training_needs:
        blocks.append(
            _table(
                ["Theme", "Staff group", "Need", "Planned response"],
                [[t.theme, t.staff_group, t.need, t.planned_response] for t in part.training_needs],
            )
        )
    else:
        blocks.append(Block("missing", "No training needs recorded."))
    return Section(SECTION_TITLES[5], blocks)


def _feedback_section(pack: EvidencePack) -> Section:
    if not pack.feedback:
        return Section(
            SECTION_TITLES[6],
            [
                Block(
                    "missing",
                    "No feedback to the person or family recorded, and no reason "
                    "why it was not possible.",
                )
            ],
        )
    blocks = []
    for number, item in enumerate(pack.feedback, 1):
        blocks.append(Block("subheading", f"Feedback {number}"))
        if item.was_possible:
            rows = [
                ["Date", item.given_on],
                ["Method", item.method],
                ["Given by", item.given_by],
                ["What they were told", item.told_outcome],
                ["Improvements made (you said, we did)", item.improvements],
                ["Their response", item.response],
            ]
        else:
            rows = [["Not possible because", item.not_possible_reason]]
        blocks.append(Block("facts", rows=rows))
    return Section(SECTION_TITLES[6], blocks)


def _files_section(pack: EvidencePack) -> Section:
    if not pack.evidence_files:
        return Section(SECTION_TITLES[7], [Block("missing", "No evidence files uploaded.")])
    return Section(
        SECTION_TITLES[7],
        [
            _table(
                ["File", "Type", "Size", "Uploaded", "Evidence for", "SHA-256"],
                [
                    [f.name, f.kind, f.size, f.uploaded_on, f.for_activity, f.sha256]
                    for f in pack.evidence_files
                ],
            )
        ],
    )


# ------------------------------------------------------------------ the two formats


def file_name(pack: EvidencePack, file_format: str) -> str:
    """evidence-pack-reflecting-on-practice-safeguarding-2025-26-q1.pdf"""
    name = pack.programme
    if pack.financial_year not in name:
        name = f"{name} {pack.financial_year}"
    slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {pack.quarter}".lower()).strip("-")
    return f"evidence-pack-{slug}.{file_format}"


def _offline_fetcher():
    """A URL fetcher that fetches nothing: the pack is built from its own HTML and CSS, and
    nothing in it may make WeasyPrint reach the network (or the file system)."""
    from weasyprint import urls

    def refuse(url: str, *args, **kwargs):
        raise ValueError(f"The evidence pack fetches nothing ({url.split(':', 1)[0]}: refused)")

    if not hasattr(urls, "URLFetcher"):  # releases before 66 take a plain function
        return refuse

    class Offline(urls.URLFetcher):
        def fetch(self, url, headers=None):
            refuse(url)

    return Offline()


def to_html(pack: EvidencePack) -> str:
    template = current_app.jinja_env.get_template("milestones/evidence_pack.html")
    return template.render(pack=pack, sections=outline(pack))


def to_pdf(pack: EvidencePack) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(pack), url_fetcher=_offline_fetcher()).write_pdf()


def to_docx(pack: EvidencePack) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Mm(18))
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = pack.title
    _page_numbers(page.footer.paragraphs[0], pack)

    document.add_heading(pack.title, level=0)
    _docx_facts(document, [list(fact) for fact in pack.facts])
    for section in outline(pack):
        document.add_heading(section.title, level=1)
        for block in section.blocks:
            if block.kind == "subheading":
                document.add_heading(block.text, level=2)
            elif block.kind == "table":
                _docx_table(document, block.header, block.rows)
            elif block.kind == "facts":
                _docx_facts(document, block.rows)
            elif block.kind == "quote":
                document.add_paragraph(block.text, style="Quote")
            elif block.kind == "missing":
                document.add_paragraph().add_run(block.text).bold = True
            elif block.kind == "note":
                document.add_paragraph().add_run(block.text).italic = True
            else:
                document.add_paragraph(block.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, header: list[str], rows: list[list[str]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    heading_row = table.rows[0]
    # Repeated at the top of each page, and read as the header by screen readers.
    properties = heading_row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)
    for cell, text in zip(heading_row.cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text or ""


def _docx_facts(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value or ""


def _page_numbers(paragraph, pack: EvidencePack) -> None:
    """'<programme>, <quarter> · Page N of M' in the footer, as Word fields."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run(f"{pack.programme}, {pack.quarter} · Page ")
    for index, instruction in enumerate(("PAGE", "NUMPAGES")):
        if index:
            paragraph.add_run(" of ")
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, instruction), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)


def render(pack: EvidencePack, file_format: str) -> bytes:
    """The pack as `file_format` ("pdf" or "docx")."""
    if file_format == "pdf":
        return to_pdf(pack)
    if file_format == "docx":
        return to_docx(pack)
    raise ValueError(f"Unknown evidence pack format {file_format!r}: pdf or docx")
