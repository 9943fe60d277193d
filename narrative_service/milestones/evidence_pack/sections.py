"""The pack's layout, shared by both formats: each section as headings, facts, tables and
paragraphs, or a sentence saying what is missing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .contents import RISK_TITLE, SECTION_TITLES, EvidencePack


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


def _table_or_missing(header: list[str], rows: list[list[str]], missing: str) -> Block:
    """The table, or, when there is nothing to put in it, the sentence saying what is missing:
    a commissioner reads an empty part of the pack as a gap, named."""
    return _table(header, rows) if rows else Block("missing", missing)


def _missing_section(title: str, missing: str) -> Section:
    """A section with nothing recorded: only the sentence saying what is missing."""
    return Section(title, [Block("missing", missing)])


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
    blocks.append(
        _table_or_missing(
            ["Audit", "Date", "Service users audited", "Collaborated", "Share", "Notes"],
            [
                [a.kind, a.audited_on, a.service_users, a.collaborated, a.share, a.notes]
                for a in part.audits
            ],
            "No audit recorded.",
        )
    )
    blocks.append(Block("subheading", "Education and training programme, and its evaluation"))
    blocks.append(
        _table_or_missing(
            ["What", "Title", "Completed", "Satisfaction", "Summary"],
            [
                [d.kind, d.title, d.completed_on, d.satisfaction, d.summary]
                for d in part.deliverables
            ],
            "Neither the programme nor its evaluation is recorded.",
        )
    )
    return Section(RISK_TITLE, blocks)


def _narrative_section(pack: EvidencePack) -> Section:
    if not pack.narratives:
        return _missing_section(
            SECTION_TITLES[1],
            "No complete narrative with consent for staff reflection is recorded for this quarter.",
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
        return _missing_section(SECTION_TITLES[2], part.missing)
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
    blocks.append(
        _table_or_missing(
            ["No.", "Learning point", "Themes", "Best practice"],
            [
                [p.number, p.text, ", ".join(p.themes), "Yes" if p.is_best_practice else ""]
                for p in part.learning_points
            ],
            "No learning points recorded.",
        )
    )
    blocks.append(Block("subheading", "Themes"))
    blocks.append(
        _table_or_missing(
            ["Theme", "Group", "Learning points"],
            [[t.name, t.group, str(t.learning_points)] for t in part.themes],
            "No themes recorded.",
        )
    )
    blocks.append(Block("subheading", "Differences of perspective"))
    blocks.append(
        _table_or_missing(
            [
                "What the person said or felt",
                "What practitioners saw or did",
                "Agency",
                "What was learned",
            ],
            [[d.person_view, d.practitioner_view, d.agency, d.learning] for d in part.differences],
            "No differences of perspective recorded.",
        )
    )
    return Section(SECTION_TITLES[2], blocks)


def _dissemination_section(pack: EvidencePack) -> Section:
    return Section(
        SECTION_TITLES[3],
        [
            _table_or_missing(
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
                "No dissemination recorded: neither to frontline staff nor at corporate or "
                "board level.",
            )
        ],
    )


def _action_section(pack: EvidencePack) -> Section:
    if not pack.actions:
        return _missing_section(SECTION_TITLES[4], "No actions in the action plan.")
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
    blocks.append(
        _table_or_missing(
            ["Theme", "Staff group", "Need", "Planned response"],
            [[t.theme, t.staff_group, t.need, t.planned_response] for t in part.training_needs],
            "No training needs recorded.",
        )
    )
    return Section(SECTION_TITLES[5], blocks)


def _feedback_section(pack: EvidencePack) -> Section:
    if not pack.feedback:
        return _missing_section(
            SECTION_TITLES[6],
            "No feedback to the person or family recorded, and no reason why it was not possible.",
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
    return Section(
        SECTION_TITLES[7],
        [
            _table_or_missing(
                ["File", "Type", "Size", "Uploaded", "Evidence for", "SHA-256"],
                [
                    [f.name, f.kind, f.size, f.uploaded_on, f.for_activity, f.sha256]
                    for f in pack.evidence_files
                ],
                "No evidence files uploaded.",
            )
        ],
    )
