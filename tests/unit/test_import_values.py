"""Reading the values people type into plans: dates, RAG ratings, percentages, statuses."""

from datetime import date, datetime

import pytest

from tracker.transfer.values import (
    BadValue,
    read_date,
    read_progress,
    read_rag,
    read_status,
    text_of,
)
from workflows import DEFINITIONS_DIR, load_all


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (42825, date(2017, 3, 31)),  # an Excel serial
        (42825.0, date(2017, 3, 31)),
        ("42825", date(2017, 3, 31)),  # a serial that went through CSV
        (datetime(2017, 3, 31, 0, 0), date(2017, 3, 31)),
        (date(2017, 3, 31), date(2017, 3, 31)),
        ("31/03/2017", date(2017, 3, 31)),
        ("31/3/17", date(2017, 3, 31)),
        ("31.03.17", date(2017, 3, 31)),
        ("31-03-2017", date(2017, 3, 31)),
        ("2017-03-31", date(2017, 3, 31)),
        ("2017-03-31 00:00:00", date(2017, 3, 31)),
        ("31 March 2017", date(2017, 3, 31)),
        ("31 Mar 2017", date(2017, 3, 31)),
        ("31st March 2017", date(2017, 3, 31)),
        ("  1 Sept 2017 ", date(2017, 9, 1)),
    ],
)
def test_dates_in_every_form_boards_write_them(cell, expected):
    assert read_date(cell) == (expected, None)


def test_a_month_alone_is_its_last_day_and_the_person_is_told():
    value, note = read_date("March 2017")
    assert value == date(2017, 3, 31)
    assert "31/03/2017" in note and "no day" in note
    assert read_date("Feb 2024")[0] == date(2024, 2, 29)


@pytest.mark.parametrize("cell", [None, "", "   "])
def test_an_empty_date_is_none(cell):
    assert read_date(cell) == (None, None)


@pytest.mark.parametrize("cell", ["31/13/2017", "30/02/2017", "soon", "Q5", 3, "2017-02-30"])
def test_a_bad_date_says_how_to_write_one(cell):
    with pytest.raises(BadValue) as caught:
        read_date(cell)
    assert "is not a date" in str(caught.value)
    assert "31/03/2027" in str(caught.value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Red", "red"), ("R", "red"), ("off track", "red"), ("Off-track", "red"),
        ("Amber", "amber"), ("a", "amber"), ("At risk", "amber"), ("Yellow", "amber"),
        ("GREEN", "green"), ("g", "green"), ("On track", "green"),
        ("Blue", "blue"), ("B", "blue"), ("Complete", "blue"), ("Completed", "blue"),
        ("Green - on track", "green"), ("Amber (at risk)", "amber"), (None, None), ("", None),
    ],
)  # fmt: skip
def test_rag_as_words_letters_or_colours(cell, expected):
    assert read_rag(cell) == expected


def test_an_unknown_rating_lists_what_to_write():
    with pytest.raises(BadValue, match="'Purple' is not a RAG rating. Write Off track"):
        read_rag("Purple")


@pytest.mark.parametrize(
    ("cell", "expected"), [(50, 50), ("50%", 50), (" 75 ", 75), (0.5, 50), (1, 1), (None, None)]
)
def test_progress_as_a_percentage(cell, expected):
    assert read_progress(cell) == expected


@pytest.mark.parametrize("cell", ["half", 150, "-5", "12.5"])
def test_bad_progress_says_what_to_write(cell):
    with pytest.raises(BadValue, match="whole number from 0 to 100"):
        read_progress(cell)


def test_status_by_the_workflow_label_or_name():
    standard = load_all(DEFINITIONS_DIR)["standard"]
    assert read_status("In progress", standard) == "in_progress"
    assert read_status("in_progress", standard) == "in_progress"
    assert read_status("COMPLETED", standard) == "completed"
    assert read_status("Complete", standard) == "completed"
    assert read_status("", standard) is None
    with pytest.raises(
        BadValue, match="'Sleeping' is not a status Assure knows. Write one of: Draft"
    ):
        read_status("Sleeping", standard)


def test_text_of_trims_and_drops_the_decimal_of_whole_numbers():
    assert text_of("  A1  ") == "A1"
    assert text_of(3.0) == "3"
    assert text_of(1.5) == "1.5"
    assert text_of(None) == ""
