"""Forms of the pages that change actions: create, edit, owner, due date, transitions, updates.

Fields are declared in the order they appear on the page, which is the order of the error
summary. Rules that belong to the domain (a title, a reason a transition needs) are checked by
the service functions; the forms check what only a form can: that a date is a date, that a
choice was made, that a number is a number.
"""

from __future__ import annotations

from functools import cache

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired

from tracker.actions.rag import RAG_LABELS
from tracker.web.forms import GovDateField, PageForm, example_date
from workflows import Transition

OWNER_EXISTING, OWNER_NEW, OWNER_LATER = "existing", "new", "later"
EVIDENCE_HINT = "What shows the work is done: a report, an audit, a link"
DATE_HINT = f"For example, {example_date()}"
PROGRESS_WRONG = "Enter progress as a whole number from 0 to 100."
TITLE_MISSING = "Enter a short title that says what will be done."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def text(label: str, **kwargs) -> StringField:
    return StringField(label, widget=GovTextInput(), filters=[_strip], **kwargs)


def textarea(label: str, **kwargs) -> TextAreaField:
    return TextAreaField(label, widget=GovTextArea(), filters=[_strip], **kwargs)


def select(label: str, **kwargs) -> SelectField:
    # Choices come from the database per request; the route turns the value into an object
    # and says what is wrong, so WTForms' own "Not a valid choice" never shows.
    return SelectField(label, widget=GovSelect(), validate_choice=False, choices=[], **kwargs)


def owner_fields(*choices: tuple[str, str]):
    """The owner question, its answers, and the boxes each answer reveals."""
    return (
        RadioField(
            "Who will own this action?",
            choices=[SelectChoice(value, label) for value, label in choices],
            widget=GovRadioInput(),
            invalid_choice_message="Choose who will own this action",
        ),
        select("Person", description="By name, with their organisation"),
        text("Full name"),
        text("Email address", description="Assure sends reminders and update links here"),
        text("Organisation (optional)"),
    )


def lead_organisation_fields():
    return (
        select("Lead organisation"),
        text(
            "Or type the name of another organisation",
            description="Leave this empty to use the organisation chosen above",
        ),
    )


class OwnerChoice:
    """Checks that the answer to the owner question came with what it needs."""

    def check_owner(self) -> bool:
        choice = self.owner_choice.data
        missing = []
        if choice == OWNER_EXISTING and not self.owner_id.data:
            missing.append((self.owner_id, "Choose the person who will own this action"))
        if choice == OWNER_NEW:
            if not self.new_owner_name.data:
                missing.append((self.new_owner_name, "Enter the new owner's full name"))
            if not self.new_owner_email.data:
                missing.append((self.new_owner_email, "Enter the new owner's email address"))
        for field, message in missing:
            field.errors = [*field.errors, message]
        return not missing

    def owner_field_map(self) -> dict[str, str]:
        """Where the services' complaints about the owner go on this form."""
        owner = "owner_id" if self.owner_choice.data == OWNER_EXISTING else "new_owner_email"
        return {"owner": owner, "name": "new_owner_name", "email": "new_owner_email"}


class VersionedForm(PageForm):
    """A form on an action that carries the version (and the values) the person saw."""

    version = HiddenField()
    seen = HiddenField()


class CreateActionForm(OwnerChoice, PageForm):
    recommendation = select("Recommendation")
    title = text(
        "Title",
        validators=[DataRequired(TITLE_MISSING)],
        description="A short sentence that says what will be done",
    )
    description = textarea("Description (optional)")
    owner_choice, owner_id, new_owner_name, new_owner_email, new_owner_organisation = owner_fields(
        (OWNER_EXISTING, "Someone already in Assure"),
        (OWNER_NEW, "Someone new to Assure"),
        (OWNER_LATER, "Decide later"),
    )
    lead_organisation, lead_organisation_other = lead_organisation_fields()
    due_on = GovDateField(
        "Due date", noun="Due date", required=True, not_in_past=True, description=DATE_HINT
    )
    success_measure = textarea(
        "Success measure (optional)", description="How the board will know the action worked"
    )
    open_now = BooleanField(
        "Open it for work now",
        widget=GovCheckboxInput(),
        description="Otherwise it stays a draft until someone opens it",
    )
    save = SubmitField("Save action", widget=GovSubmitInput())
    save_and_add = SubmitField(
        "Save and add another for this recommendation", widget=GovSubmitInput()
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self.check_owner() and valid


class EditActionForm(VersionedForm):
    recommendation = select("Recommendation")
    title = text("Title", validators=[DataRequired(TITLE_MISSING)])
    description = textarea("Description (optional)")
    lead_organisation, lead_organisation_other = lead_organisation_fields()
    success_measure = textarea(
        "Success measure (optional)", description="How the board will know the action worked"
    )
    save = SubmitField("Save changes", widget=GovSubmitInput())


class ReassignForm(OwnerChoice, VersionedForm):
    owner_choice, owner_id, new_owner_name, new_owner_email, new_owner_organisation = owner_fields(
        (OWNER_EXISTING, "Someone already in Assure"),
        (OWNER_NEW, "Someone new to Assure"),
    )
    comment = textarea(
        "Reason (optional)", description="The new owner and the board see it in the history"
    )
    save = SubmitField("Change owner", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self.check_owner() and valid


class DueDateForm(VersionedForm):
    due_on = GovDateField("New due date", noun="New due date", required=True, description=DATE_HINT)
    reason = textarea(
        "Reason",
        # The service says the same; asking here too shows both problems at once.
        validators=[
            DataRequired("Say why the due date is changing; the board will see the reason.")
        ],
        description="The board sees it beside the new date",
    )
    save = SubmitField("Change due date", widget=GovSubmitInput())


class TransitionBase(VersionedForm):
    """What every transition's confirmation carries; the fields it requires are added."""


@cache
def transition_form_class(transition: Transition) -> type[TransitionBase]:
    """A form for one transition: the fields its workflow requires, and an optional comment."""
    requires = transition.requires
    if "comment" in requires:
        comment = textarea("Reason", description="It is kept in the action's history")
    else:
        comment = textarea("Comment (optional)")
    fields = {"comment": comment}
    if "evidence" in requires:
        fields["evidence"] = textarea("Evidence", description=EVIDENCE_HINT)
    if "due_on" in requires:
        fields["due_on"] = GovDateField("New due date", noun="New due date", description=DATE_HINT)
    fields["submit"] = SubmitField(transition.label, widget=GovSubmitInput())
    return type(f"{transition.name.title()}Form", (TransitionBase,), fields)


class AcceptUpdateForm(PageForm):
    comment = textarea("Comment (optional)")
    submit = SubmitField("Accept update", widget=GovSubmitInput())


class RejectUpdateForm(PageForm):
    reason = textarea("Reason", description="The owner sees it and can send a new update")
    submit = SubmitField("Reject update", widget=GovSubmitInput())


class AddUpdateForm(PageForm):
    narrative = textarea("What has happened since the last update?")
    progress = text(
        "Progress (optional)",
        description="A whole number from 0 to 100, in per cent",
    )
    rag = RadioField(
        "How is it going? (optional)",
        choices=[SelectChoice(rag, RAG_LABELS[rag]) for rag in ("green", "amber", "red")],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    transition = SelectField(
        "Change the status (optional)",
        widget=GovSelect(),
        choices=[],
        default="",
        invalid_choice_message="Choose a status change from the list",
    )
    comment = textarea(
        "Reason (optional)",
        description="Needed to mark it as blocked, or to propose a new due date",
    )
    evidence = textarea("Evidence (optional)", description=EVIDENCE_HINT)
    proposed_due_on = GovDateField(
        "Proposed new due date (optional)", noun="Proposed new due date", description=DATE_HINT
    )
    submit = SubmitField("Record update", widget=GovSubmitInput())

    progress_number: int | None = None

    def validate(self, extra_validators=None) -> bool:
        """Also read progress as a number ("60" or "60%"), into ``progress_number``."""
        valid = super().validate(extra_validators)
        raw = (self.progress.data or "").removesuffix("%").strip()
        self.progress_number = int(raw) if raw.isdigit() else None
        if raw and (self.progress_number is None or self.progress_number > 100):
            # The service's words, so that the page reads the same whichever noticed first.
            self.progress.errors = [*self.progress.errors, PROGRESS_WRONG]
            return False
        return valid
