"""The pages where a record's themes are tagged: one set of views for every kind of record.

A feature whose records are tagged (a narrative; a reflection session's record and learning
points) describes its page with a TaggingPage and makes its blueprint with `blueprint()`:
the page itself, "Suggest themes", accepting or rejecting a suggestion, and tagging words
by hand. Who may see or change the record is the feature's own rule (`load`); the tagging
rules are themes.tagging's. The templates share themes/_tagging.html.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from ..auth.models import User
from ..auth.permissions import requires_role
from ..extensions import db
from ..forms import ConfirmForm
from ..web import (
    AuditEntry,
    apply_rule,
    current_person,
    get_or_404,
    render_audited,
    safe_next_url,
    submit_form,
)
from . import tagging
from .forms import ManualTagForm
from .models import Theme, ThemeTag
from .tasks import suggest_or_queue

# What a page's form offers as "where the words are": form value -> (subject type, id, name).
Subjects = dict[str, tuple[str, int, str]]


@dataclass(frozen=True)
class TaggingPage:
    """One kind of record's themes page.

    load(user, record_id, to_change) returns the record, raising NotFound or NotAllowed as
    the feature's access rule decides, or None when its content is erased (the person is
    then sent to `away`). `subjects` lists what on the page can be tagged; the form offers
    a choice only when there is more than one. `context` gives what the template shows
    beside the shared parts, from the record and, by subject, its text and its tags.
    """

    name: str  # the blueprint's name: "narrative_themes"
    rule: str  # the page's address: "/narratives/<int:narrative_id>/themes"
    id_arg: str  # "narrative_id"
    page_endpoint: str  # "for_narrative"
    template: str
    readers: tuple[str, ...]
    editors: tuple[str, ...]
    load: Callable[[User, int, bool], Any]
    away: Callable[[int], str]
    subjects: Callable[[Any], Subjects]
    context: Callable[
        [Any, dict[tuple[str, int], str], dict[tuple[str, int], list[ThemeTag]]], dict
    ]
    may_change: Callable[[User, Any], bool]
    form_class: type[ManualTagForm] = ManualTagForm
    long_text: str = "The text is long: its themes are being suggested in the background."
    url_prefix: str = ""
    audit_subject: Callable[[Any], Any] = field(default=lambda record: record)


@dataclass(frozen=True)
class Paged:
    """A page of a list, as the pagination macro reads it."""

    SIZE = 50
    total: int
    number: int = 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.SIZE))

    @property
    def page(self) -> int:
        return min(max(1, self.number), self.pages)

    @property
    def first(self) -> int:
        return (self.page - 1) * self.SIZE

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def blueprint(page: TaggingPage) -> Blueprint:
    """The page's views, under the endpoints `<name>.<page_endpoint>`, `.suggest`, `.decide`
    (one suggestion), `.decide_all` (a theme's suggestions together), `.change_accepted`
    (remove an accepted tag, or give it another theme) and `.tag` (by hand)."""
    bp = Blueprint(page.name, __name__, url_prefix=page.url_prefix or None)

    def here(record_id: int, anchor: str | None = None) -> str:
        return url_for(
            f"{page.name}.{page.page_endpoint}", **{page.id_arg: record_id}, _anchor=anchor
        )

    def form_for(record, *, posted: bool) -> ManualTagForm:
        form = page.form_class() if posted else page.form_class(formdata=None)
        form.theme_id.choices = tagging.theme_choices()
        if "subject" in form:
            form.subject.choices = [
                (value, name) for value, (_t, _i, name) in page.subjects(record).items()
            ]
        return form

    def show(record_id: int, form: ManualTagForm | None = None, status: int = 200):
        record = page.load(current_person(), record_id, False)
        if record is None:
            return redirect(page.away(record_id))
        subjects = page.subjects(record)
        texts = {
            (kind, subject_id): tagging.subject_text(kind, subject_id) or ""
            for kind, subject_id, _name in subjects.values()
        }
        tags_by_subject = {subject: tagging.tags_for(*subject) for subject in texts}
        tags = [tag for found in tags_by_subject.values() for tag in found]
        return render_audited(
            page.template,
            AuditEntry("themes.view", page.audit_subject(record)),
            **page.context(record, texts, tags_by_subject),
            places={(kind, subject_id): name for kind, subject_id, name in subjects.values()},
            suggested=[t for t in tags if t.status == "suggested"],
            suggested_groups=tagging.by_theme([t for t in tags if t.status == "suggested"]),
            kept_by_record=tagging.kept_by_record(),
            accepted=[t for t in tags if t.status == "accepted"],
            rejected=[t for t in tags if t.status == "rejected"],
            form=form or form_for(record, posted=False),
            confirm=ConfirmForm(),
            words=sum(len(text.split()) for text in texts.values()),
            inline_words=tagging.INLINE_WORDS,
            can_change=page.may_change(current_person(), record),
        ), status

    def suggest(record_id: int) -> Response:
        record = page.load(current_person(), record_id, True)
        if record is None:
            return redirect(page.away(record_id))
        if ConfirmForm().validate_on_submit():
            subjects = [
                (kind, subject_id) for kind, subject_id, _n in page.subjects(record).values()
            ]
            outcome = suggest_or_queue(subjects, by=current_person())
            db.session.commit()
            if not outcome.texts:
                flash("There is no text to suggest themes for yet.", "error")
            for message in outcome.messages:
                flash(message, "error")
            if outcome.queued:
                flash(page.long_text)
            elif outcome.texts and not outcome.messages:
                flash(f"{outcome.added} new suggestion{'s' if outcome.added != 1 else ''}.")
        return redirect(here(record_id))

    def decide(record_id: int, tag_id: int, decision: str) -> Response:
        record = page.load(current_person(), record_id, True)
        if record is None:
            return redirect(page.away(record_id))
        tag = owned_tag(record, tag_id)
        if ConfirmForm().validate_on_submit():
            status = "accepted" if decision == "accept" else "rejected"
            apply_rule(
                lambda: tagging.decide(tag, status, by=current_person()),
                f"{tag.theme.name}: {status}.",
            )
        return redirect(safe_next_url(request.form.get("back")) or here(record_id, "suggested"))

    def theme_suggestions(record_id: int, theme_id: int):
        """One theme's suggestions on the record, a page at a time: the record's page shows
        each theme's strongest three, so a long narrative's page stays small."""
        record = page.load(current_person(), record_id, False)
        if record is None:
            return redirect(page.away(record_id))
        theme = get_or_404(Theme, theme_id)
        subjects = page.subjects(record)
        waiting = [
            tag
            for kind, subject_id, _name in subjects.values()
            for tag in tagging.tags_for(kind, subject_id)
            if tag.theme_id == theme.id and tag.status == "suggested"
        ]
        (ordered,) = tagging.by_theme(waiting) or [[]]
        shown = Paged(len(ordered), request.args.get("page", 1, type=int))
        return render_audited(
            "themes/theme_suggestions.html",
            AuditEntry("themes.view", page.audit_subject(record)),
            theme=theme,
            tags=ordered[shown.first : shown.first + Paged.SIZE],
            count=len(ordered),
            paged=shown,
            back=here(record_id, "suggested"),
            this_endpoint=f"{page.name}.theme_suggestions",
            endpoint_args={page.id_arg: record_id, "theme_id": theme.id},
            decide_endpoint=f"{page.name}.decide",
            decide_all_endpoint=f"{page.name}.decide_all",
            places={(kind, subject_id): name for kind, subject_id, name in subjects.values()},
            confirm=ConfirmForm(),
            can_change=page.may_change(current_person(), record),
        )

    def decide_all(record_id: int, theme_id: int, decision: str) -> Response:
        record = page.load(current_person(), record_id, True)
        if record is None:
            return redirect(page.away(record_id))
        if ConfirmForm().validate_on_submit():
            subjects = [(kind, sid) for kind, sid, _n in page.subjects(record).values()]
            status = "accepted" if decision == "accept" else "rejected"
            apply_rule(
                lambda: tagging.decide_all(subjects, theme_id, status, by=current_person()),
                lambda count: f"{count} suggestion{'s' if count != 1 else ''} {status}.",
            )
        return redirect(here(record_id, "suggested"))

    def owned_tag(record, tag_id: int) -> ThemeTag:
        tag = get_or_404(ThemeTag, tag_id)
        owners = {(kind, subject_id) for kind, subject_id, _n in page.subjects(record).values()}
        if (tag.subject_type, tag.subject_id) not in owners:
            abort(404)
        return tag

    def change_accepted(record_id: int, tag_id: int, change: str):
        """Remove an accepted tag, or give its words another theme (chosen on a page of its
        own, so the record's page does not carry the codebook once per tag)."""
        record = page.load(current_person(), record_id, True)
        if record is None:
            return redirect(page.away(record_id))
        tag = owned_tag(record, tag_id)
        if change == "recode" and request.method == "GET":
            return render_audited(
                "themes/recode_tag.html",
                AuditEntry("themes.view", page.audit_subject(record)),
                tag=tag,
                theme_choices=[c for c in tagging.theme_choices() if c[0] != str(tag.theme_id)],
                action=url_for(
                    f"{page.name}.change_accepted",
                    **{page.id_arg: record_id},
                    tag_id=tag.id,
                    change="recode",
                ),
                back=here(record_id, "accepted"),
                confirm=ConfirmForm(),
            )
        if ConfirmForm().validate_on_submit():
            name = tag.theme.name
            if change == "remove":
                apply_rule(
                    lambda: tagging.remove_accepted(tag, by=current_person()),
                    f"{name} removed from “{tag.quote}”.",
                )
            else:
                chosen = db.session.get(Theme, request.form.get("theme_id", type=int) or 0)
                apply_rule(
                    lambda: tagging.recode(tag, chosen.id if chosen else None, by=current_person()),
                    f"“{tag.quote}” moved from {name} to {chosen.name if chosen else ''}.",
                )
        return redirect(here(record_id, "accepted"))

    def tag(record_id: int):
        record = page.load(current_person(), record_id, True)
        if record is None:
            return redirect(page.away(record_id))
        form = form_for(record, posted=True)
        subjects = page.subjects(record)
        chosen = form.subject.data if "subject" in form else None
        subject = subjects.get(chosen) if chosen else next(iter(subjects.values()))
        if subject is None:
            form.subject.errors = ["Choose where the words are: the record or a learning point."]
        else:
            subject_type, subject_id, _name = subject
            done = submit_form(
                form,
                lambda: tagging.tag_by_hand(
                    subject_type,
                    subject_id,
                    tagging.subject_text(subject_type, subject_id) or "",
                    form.theme_id.data,
                    form.quote.data or "",
                    by=current_person(),
                ),
                "Tagged.",
                here(record_id),
                field="quote",
            )
            if done:
                return done
        return show(record_id, form=form, status=400)

    def with_id(view):
        """The view called with the record's id, whatever the address calls it."""

        def bound(**arguments):
            record_id = arguments.pop(page.id_arg)
            return view(record_id, **arguments)

        bound.__name__ = view.__name__
        return bound

    bp.add_url_rule(
        page.rule,
        page.page_endpoint,
        requires_role(*page.readers)(with_id(show)),
        methods=["GET"],
    )
    bp.add_url_rule(
        f"{page.rule}/suggest",
        "suggest",
        requires_role(*page.editors)(with_id(suggest)),
        methods=["POST"],
    )
    bp.add_url_rule(
        f"{page.rule}/tags/<int:tag_id>/<any(accept, reject):decision>",
        "decide",
        requires_role(*page.editors)(with_id(decide)),
        methods=["POST"],
    )
    bp.add_url_rule(
        f"{page.rule}/tags", "tag", requires_role(*page.editors)(with_id(tag)), methods=["POST"]
    )
    bp.add_url_rule(
        f"{page.rule}/themes/<int:theme_id>/suggestions",
        "theme_suggestions",
        requires_role(*page.readers)(with_id(theme_suggestions)),
        methods=["GET"],
    )
    bp.add_url_rule(
        f"{page.rule}/themes/<int:theme_id>/<any(accept, reject):decision>-all",
        "decide_all",
        requires_role(*page.editors)(with_id(decide_all)),
        methods=["POST"],
    )
    bp.add_url_rule(
        f"{page.rule}/tags/<int:tag_id>/<any(remove, recode):change>",
        "change_accepted",
        requires_role(*page.editors)(with_id(change_accepted)),
        methods=["GET", "POST"],
    )
    return bp
