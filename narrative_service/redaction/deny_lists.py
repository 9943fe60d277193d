"""Recognisers for a record's own terms (its deny list): the names, numbers and places the
record itself holds, found in any case and spacing, and the parts of a person's name alone.

Presidio is imported when the recognisers are built, not when this module is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .spans import TYPES, name_parts

if TYPE_CHECKING:
    from .engine import DenyList


def deny_list_recognizers(deny_list: DenyList | None) -> list:
    """Patterns for the record's own terms: whole terms in any case and spacing, and the
    parts of a person's name, capitalised, on their own ("Jean" for "Jean Doyle")."""
    if not deny_list:
        return []
    from presidio_analyzer import Pattern, PatternRecognizer

    recognizers = []
    for kind in TYPES:
        terms = deny_list.terms(kind)
        if not terms:
            continue
        whole = [_term_pattern(kind, term) for term in terms]
        recognizers.append(
            PatternRecognizer(
                kind,
                name=f"DenyList{kind}",
                patterns=[Pattern(f"record's {kind}", "|".join(whole), 1.0)],
                global_regex_flags=re.DOTALL | re.MULTILINE | re.IGNORECASE,
            )
        )
        if kind == "PERSON":
            parts = sorted({part for term in terms for part in name_parts(term)}, key=len)
            if parts:
                alternatives = "|".join(re.escape(part) for part in reversed(parts))
                recognizers.append(
                    PatternRecognizer(
                        "PERSON",
                        name="DenyListNamePart",
                        patterns=[
                            Pattern("part of a name", rf"(?<!\w)(?:{alternatives})(?!\w)", 0.9)
                        ],
                        global_regex_flags=re.DOTALL | re.MULTILINE,
                    )
                )
    return recognizers


def _term_pattern(kind: str, term: str) -> str:
    if kind in ("NHS_NUMBER", "PHONE"):
        digits = re.sub(r"\D", "", term)
        if kind == "PHONE":
            digits = re.sub(r"^(?:0044|44|0)", "", digits)
            body = r"[\s\-()]*".join(digits)
            return rf"(?<!\d)(?:(?:\+44|0044)[\s\-]?(?:\(0\)[\s\-]?)?|\(?0)\)?{body}(?!\d)"
        return r"(?<!\d)" + r"[\s\-]*".join(digits) + r"(?!\d)"
    if kind == "POSTCODE":
        compact = re.sub(r"\s", "", term)
        return rf"(?<!\w){re.escape(compact[:-3])}\s*{re.escape(compact[-3:])}(?!\w)"
    words = term.split()
    return r"(?<!\w)" + r"[\s\-]+".join(re.escape(word) for word in words) + r"(?!\w)"
