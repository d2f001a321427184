"""The columns of an action plan as Assure exports it, in order: the shape that imports back.

Export writes exactly these headers; import recognises them first (and, beside them, the many
headers boards really use). One list, so that the round trip cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanColumn:
    key: str  # what the column holds, as import and export both name it
    header: str  # the header Assure writes
    help: str  # what a person should put in it, for messages and the import page


PLAN_COLUMNS = (
    PlanColumn("ref", "Reference", "the action's reference, unique on the board, such as A1.2"),
    PlanColumn("recommendation", "Recommendation", "the recommendation's reference, such as R7"),
    PlanColumn("title", "Action", "what will be done, in a sentence"),
    PlanColumn("description", "Description", "more detail, if any"),
    PlanColumn("owner_name", "Lead officer", "the owner's full name"),
    PlanColumn("owner_email", "Lead officer email", "the owner's email address"),
    PlanColumn("lead_organisation", "Lead agency", "the organisation that leads the action"),
    PlanColumn("due_on", "Target date", "the due date, such as 31/03/2027"),
    PlanColumn("status", "Status", "the workflow status, such as In progress"),
    # The RAG rating as Assure works it out; on import, a rating that differs from Assure's is
    # read as the owner's own assessment.
    PlanColumn("rag", "RAG", "Complete, On track, At risk or Off track (or B, G, A, R)"),
    PlanColumn("progress", "Progress (%)", "a whole number from 0 to 100"),
    PlanColumn("progress_update", "Progress update", "the latest progress, in words"),
    PlanColumn("evidence", "Evidence", "what shows the work is done"),
    PlanColumn("success_measure", "Impact", "how the board will know it made a difference"),
)
PLAN_HEADERS = tuple(column.header for column in PLAN_COLUMNS)
COLUMN_BY_KEY = {column.key: column for column in PLAN_COLUMNS}
