"""Recognising the columns of a plan whatever boards call them."""

import pytest

from tracker.transfer.columns import PLAN_COLUMNS
from tracker.transfer.headers import recognise, recognise_all, recognised_count


def test_assure_s_own_headers_map_to_their_own_keys():
    for column in PLAN_COLUMNS:
        assert recognise(column.header) == column.key, column.header


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Lead officer", "owner_name"), ("Responsible Officer", "owner_name"),
        ("Owner", "owner_name"), ("Lead", "owner_name"), ("Lead officer (name)", "owner_name"),
        ("Target date", "due_on"), ("Deadline", "due_on"), ("Due date", "due_on"),
        ("By when?", "due_on"), ("Timescale", "due_on"),
        ("RAG", "rag"), ("BRAG", "rag"), ("RAG rating", "rag"), ("Status (RAG)", "rag"),
        ("Ref", "ref"), ("No.", "ref"), ("Action ref ", "ref"), ("Action Ref", "ref"),
        ("Recommendation", "recommendation"), ("Rec", "recommendation"),
        ("Lead agency", "lead_organisation"), ("Organisation", "lead_organisation"),
        ("Agency", "lead_organisation"),
        ("Actions to be taken", "title"), ("Action", "title"),
        ("Progress to date", "progress_update"), ("Evidence", "evidence"),
        ("Impact", "success_measure"), ("Outcome", "success_measure"), ("Status", "status"),
        ("Lead officer email", "owner_email"), ("E-mail", "owner_email"),
    ],
)  # fmt: skip
def test_the_headers_boards_really_use(header, key):
    assert recognise(header) == key


@pytest.mark.parametrize("header", ["", None, "Notes on delivery by partner", "Column 7", "Misc"])
def test_unknown_headers_are_not_guessed(header):
    assert recognise(header) in (None, "description")


def test_each_field_takes_only_the_first_column_that_names_it():
    assert recognise_all(["Ref", "Owner", "Lead officer", "Deadline"]) == [
        "ref",
        "owner_name",
        None,
        "due_on",
    ]


def test_a_merged_title_copied_across_a_row_is_not_a_header_row():
    assert recognised_count(["Action plan 2017"] * 10) == 1
    assert recognised_count(["Ref", "Action", "Owner"]) == 3
