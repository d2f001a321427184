"""The owner's update form, reached from the link in an email.

The status changes offered are the ones the action's workflow lets an owner make from where the
action is now; anything else posted is refused here, before the service is asked. What each
change needs (a reason to block, evidence to complete, a reason for more time) is asked for in
words an owner understands; the service checks the same again.
"""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from tracker.actions.rag import RAG_LABELS
from tracker.permissions import OWNER
from tracker.web.forms import GovDateField, PageForm, example_date

NO_CHANGE = "none"
RAG_HINTS = {
    "green": "The work will be done by the due date",
    "amber": "There is a risk it will not be done in time",
    "red": "It will not be done in time without help",
}
PROGRESS_WRONG = "Enter progress as a whole number from 0 to 100, like 60"
# The service's field names, mapped to this form's.
FIELD_MAP = {"comment": "reason", "transition": "transition"}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OwnerUpdateForm(PageForm):
    narrative = TextAreaField(
        "What has happened since the last update?",
        widget=GovTextArea(),
        filters=[_strip],
        validators=[DataRequired("Describe what has happened since the last update")],
        description="The board secretary and the board will read this",
    )
    progress = StringField(
        "How much of the work is done?",
        widget=GovTextInput(),
        filters=[_strip],
        description="As a percentage, a whole number from 0 to 100",
    )
    rag = RadioField(
        "How is it going?",
        choices=[SelectChoice(rag, RAG_LABELS[rag]) for rag in ("green", "amber", "red")],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    transition = RadioField(
        "Does the status need to change?",
        widget=GovRadioInput(),
        choices=[],
        default=NO_CHANGE,
        validate_choice=False,
    )
    evidence = TextAreaField(
        "Evidence that the work is done",
        widget=GovTextArea(),
        filters=[_strip],
        description="Needed if you mark it as complete: a report, an audit, a link to a document",
    )
    proposed_due_on = GovDateField(
        "Do you need a new due date?",
        noun="New due date",
        not_in_past=True,
        description=f"Only if you need more time. For example, {example_date()}",
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        filters=[_strip],
        description="Needed if you mark it as blocked (what is stopping the work) or ask for "
        "a new due date (why you need more time)",
    )
    submit = SubmitField("Send update", widget=GovSubmitInput())

    progress_number: int | None = None

    def offer(self, workflow, status: str) -> None:
        """Offer the status changes ``workflow`` lets an owner make from ``status``."""
        transitions = workflow.available(status, {OWNER})
        current = workflow.states[status].label.lower()
        self.offered = {t.name: t for t in transitions}
        self.workflow, self.status = workflow, status
        self.transition.choices = [SelectChoice(NO_CHANGE, f"No, leave it as {current}")]
        self.transition.choices += [SelectChoice(t.name, t.label) for t in transitions]
        self.transition_hints = [None] + [_needs(t) for t in transitions]

    def chosen_transition(self) -> str | None:
        value = self.transition.data
        return None if value in (None, "", NO_CHANGE) else value

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        problems = []
        raw = (self.progress.data or "").removesuffix("%").strip()
        self.progress_number = int(raw) if raw.isdigit() else None
        if raw and (self.progress_number is None or self.progress_number > 100):
            problems.append((self.progress, PROGRESS_WRONG))
        if self.rag.data and self.rag.data not in RAG_HINTS:
            problems.append((self.rag, "Choose on track, at risk or off track"))
        name = self.chosen_transition()
        step = getattr(self, "offered", {}).get(name) if name else None
        if name and step is None:
            problems.append((self.transition, self._not_offered(name)))
        if step is not None and "evidence" in step.requires and not self.evidence.data:
            problems.append((self.evidence, "Describe the evidence that the work is done"))
        if step is not None and "comment" in step.requires and not self.reason.data:
            problems.append((self.reason, f"Give the reason to {step.label.lower()}"))
        if self.proposed_due_on.data and not self.reason.data:
            problems.append((self.reason, "Say why you need a new due date"))
        for field, message in problems:
            if message not in field.errors:
                field.errors = [*field.errors, message]
        return valid and not problems

    def _not_offered(self, name: str) -> str:
        """Why a status change cannot be made: the action moved on since the page was opened,
        or it is not an owner's to make (which the page never offered)."""
        step = self.workflow.transitions.get(name)
        if step is not None and OWNER in step.roles:
            state = self.workflow.states[self.status].label.lower()
            return f"The action is now {state}, so you cannot {step.label.lower()}: choose again"
        return "Choose one of the status changes listed"

    def submission(self) -> dict:
        """What to pass to tracker.actions.updates.submit_update."""
        return {
            "narrative": self.narrative.data or "",
            "progress": self.progress_number,
            "rag": self.rag.data or None,
            "transition": self.chosen_transition(),
            "comment": self.reason.data or "",
            "evidence": self.evidence.data or "",
            "proposed_due_on": self.proposed_due_on.data,
        }


def _needs(step) -> str | None:
    if "evidence" in step.requires:
        return "Describe the evidence below"
    if "comment" in step.requires:
        return "Give the reason below"
    return None
