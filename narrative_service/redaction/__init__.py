"""Redaction: identifiers replaced by consistent placeholders before anything leaves the case
team. A service that knows nothing of narratives: callers pass the text and a deny list
(narratives.anonymising builds one from a narrative's own fields)."""
