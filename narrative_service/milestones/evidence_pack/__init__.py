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

from .contents import FORMATS, RISK_TITLE, SECTION_TITLES, EvidencePack
from .gathering import gather, milestone_for
from .sections import outline
from .writers import file_name, render, to_docx, to_html, to_pdf

__all__ = [
    "FORMATS",
    "RISK_TITLE",
    "SECTION_TITLES",
    "EvidencePack",
    "file_name",
    "gather",
    "milestone_for",
    "outline",
    "render",
    "to_docx",
    "to_html",
    "to_pdf",
]
