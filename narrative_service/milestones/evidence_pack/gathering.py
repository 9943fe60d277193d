"""Gathering a quarter's evidence into an EvidencePack, and redacting its free text as one
document before anything is laid out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from ...auth.models import User
from ...errors import DomainError
from ...extensions import db
from ...narratives import access, anonymising
from ...narratives.choices import CAPTURE_METHODS, NARRATOR_TYPES
from ...narratives.models import Narrative
from ...narratives.turns import narrative_text
from ...redaction import engine as redaction
from ...reflection.models import ReflectionSession
from ...reflection.rules import HEARD_HOW
from ...themes.models import Theme
from ...timeutil import today
from .. import checklist as checklists
from ..models import (
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
from ..rules import (
    ACTION_STATUSES,
    AUDIENCE_LEVELS,
    AUDIT_KINDS,
    CHANNELS,
    DELIVERABLE_KINDS,
    is_overdue,
)
from .contents import (
    ActionRow,
    ActionUpdateRow,
    Attendee,
    AuditRow,
    ChecklistRow,
    ChecklistSection,
    DeliverableRow,
    DifferenceRow,
    DisseminationRow,
    EvidenceFileRow,
    EvidencePack,
    FeedbackRow,
    LearningPointRow,
    PublishedNarrative,
    ReflectionSection,
    RiskSection,
    SessionSummary,
    StrategicSection,
    ThemeCount,
    TrainingNeedRow,
)

# Joins the pack's free text into one document for redaction; never part of any text.
_BREAK = "\n\n\u2042\u2042\u2042\n\n"


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
    activities = checklists.records_of(
        DisseminationActivity, milestone, DisseminationActivity.held_on, DisseminationActivity.id
    )
    pack.dissemination = [_dissemination(a, point_numbers) for a in activities]
    pack.actions = [
        _action(number, action, on)
        for number, action in enumerate(checklists.records_of(Action, milestone, Action.id), 1)
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
            for need in checklists.records_of(TrainingNeed, milestone, TrainingNeed.id)
        ],
    )
    feedback = checklists.records_of(ParticipantFeedback, milestone, ParticipantFeedback.id)
    pack.feedback = [_feedback(f) for f in feedback]
    activity_numbers = {a.id: f"Dissemination {n}" for n, a in enumerate(activities, 1)}
    pack.evidence_files = [
        _evidence_file(f, activity_numbers)
        for f in checklists.records_of(
            EvidenceFile, milestone, EvidenceFile.uploaded_at, EvidenceFile.id
        )
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
    audits = checklists.records_of(RiskAudit, milestone, RiskAudit.audited_on, RiskAudit.id)
    deliverables = checklists.records_of(Deliverable, milestone, Deliverable.id)
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
        f"({url_for('narratives.anonymise', narrative_id=narrative.id)})."
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


# Copied as recorded; like all free text in the pack, redacted before it is laid out.
FEEDBACK_AS_RECORDED = (
    "method",
    "given_by",
    "told_outcome",
    "improvements",
    "response",
    "not_possible_reason",
)


def _feedback(item: ParticipantFeedback) -> FeedbackRow:
    return FeedbackRow(
        was_possible=item.was_possible,
        given_on=_day(item.given_on) if item.was_possible else "",
        **{name: getattr(item, name) for name in FEEDBACK_AS_RECORDED},
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
        deny.extend(anonymising.deny_list_for_narrative(narrative).entries)
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
