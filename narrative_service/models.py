"""Every table, imported in one place so Alembic and the app see the whole schema."""

from .audit.models import AuditEvent
from .auth.models import User
from .milestones.models import (
    Action,
    ActionUpdate,
    DisseminationActivity,
    EvidenceFile,
    Milestone,
    ParticipantFeedback,
    Programme,
    TrainingNeed,
)
from .narratives.models import (
    AnonymisedVersion,
    Case,
    ConversationPrompt,
    Narrative,
    NarrativeShare,
    NarrativeTurn,
    NarrativeVersion,
)
from .reflection.models import (
    DifferenceOfPerspective,
    LearningPoint,
    ReflectionAttendee,
    ReflectionRecordVersion,
    ReflectionSession,
)
from .themes.models import Theme, ThemeGroup, ThemeTag
from .transcription.models import Recording, TranscriptSegment
from .transcription.vocabulary import VocabularyTerm

__all__ = [
    "AnonymisedVersion",
    "Action",
    "ActionUpdate",
    "AuditEvent",
    "Case",
    "DifferenceOfPerspective",
    "DisseminationActivity",
    "EvidenceFile",
    "LearningPoint",
    "Milestone",
    "Narrative",
    "NarrativeShare",
    "NarrativeTurn",
    "ConversationPrompt",
    "NarrativeVersion",
    "ParticipantFeedback",
    "Programme",
    "Recording",
    "ReflectionAttendee",
    "ReflectionRecordVersion",
    "ReflectionSession",
    "Theme",
    "ThemeGroup",
    "ThemeTag",
    "TrainingNeed",
    "TranscriptSegment",
    "User",
    "VocabularyTerm",
]
