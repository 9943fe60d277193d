"""The word list for transcription: a lead keeps the terms Whisper should expect."""

from __future__ import annotations

from flask import Blueprint, request, url_for

from ..auth.permissions import requires_role
from ..web import current_person, form_page, submit_form
from . import vocabulary
from .forms import WordListForm

bp = Blueprint("vocabulary", __name__)


@bp.route("/transcription/word-list", methods=["GET", "POST"])
@requires_role("lead")
def word_list():
    form = WordListForm()
    if request.method == "GET":
        form.terms.data = "\n".join(vocabulary.terms())
    elif done := submit_form(
        form,
        lambda: vocabulary.set_terms(form.terms.data or "", by=current_person()),
        lambda saved: (
            f"Word list saved: {len(saved)} term{'s' if len(saved) != 1 else ''}. "
            "Transcriptions from now on use it."
            if saved
            else "Word list cleared: transcriptions use no list of terms."
        ),
        url_for("vocabulary.word_list"),
        field="terms",
    ):
        return done
    return form_page(
        "recordings/word_list.html",
        form=form,
        examples=vocabulary.EXAMPLES,
        limits={
            "terms": vocabulary.MAX_TERMS,
            "characters": vocabulary.MAX_TERM_CHARACTERS,
        },
    )
