"""The themes analysis page's key phrases: what people talk about, never who."""

from __future__ import annotations

import re

from tests.factories import make_narrative

SPOKEN = (
    "so my daughter kelly rang the ward and they said mum was fine but nobody had checked "
    "her tablets and edna vexcombe, 87, next door said the same thing happened to her"
)
TYPED = (
    "Kelly Briggs rang the ward again. The ward sister, Marigold Esterhuizen, said the "
    "tablets were in the blister pack. The tablets were not given."
)


def phrases_on_the_page(client) -> str:
    page = client.get("/themes/analysis?phrases=1").get_data(as_text=True)
    section = page.split("Key phrases per quarter", 1)[1]
    return " ".join(re.findall(r"<p>(.*?)</p>", section, flags=re.DOTALL)).lower()


def test_key_phrases_never_name_anyone(app, users, client_as):
    make_narrative(users["advocate"], body=SPOKEN, status="complete")
    make_narrative(
        users["advocate"],
        body=TYPED,
        status="complete",
        facilitator_name="Marigold Esterhuizen",
    )
    phrases = phrases_on_the_page(client_as("lead"))
    for name in ("kelly", "briggs", "edna", "vexcombe", "marigold", "esterhuizen"):
        assert name not in phrases, phrases
    # What people talk about is still there, without the names beside it.
    assert "daughter (1)" in phrases
    assert "tablet" in phrases and "ward" in phrases
