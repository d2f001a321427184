"""Build the hand-made messy spreadsheets the import tests read; run it after changing them:

    .venv/bin/python tests/data/imports/make_files.py

The generated files are committed, so the tests do not depend on this script's output changing.
Each file imitates something boards really send: a merged title above the headers, a blank row,
the header row repeated on every printed page, Excel date serials beside text dates, trailing
spaces, a lead agency merged down over several rows.
"""

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADERS = [
    "Action Ref ", "Rec", "Actions to be taken", "Responsible Officer", "Agency",
    "By when", "BRAG", "Progress to date", "Evidence", "Outcome",
]  # fmt: skip


def messy_plan() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet["A1"] = "Tameside Safeguarding Children Partnership – Infant Mortality Action Plan 2017"
    sheet.merge_cells("A1:J1")
    sheet["A2"] = "Updated for the March board"
    # Row 3 blank; headers on row 4.
    sheet.append([])
    sheet.append(HEADERS)
    rows = [
        ["IM1 ", "R1", "Offer CO screening at booking  ", "Jo Bloggs", "Tameside Council",
         42825, "G", "Screening in place at two sites", "", "More quit referrals"],
        ["IM2", "R3", "Give safer-sleep advice at every contact", "jo.bloggs@example.org", None,
         datetime(2017, 6, 30), "Amber", "", "", ""],
        [None] * 10,
        HEADERS,  # the header repeated, as on a printed page
        ["IM3", "", "Audit temporary accommodation visits", "Jo Bloggs", "Pennine Care",
         "31 March 2018", "on track", "Audit planned", "", ""],
        ["IM4", "", "Peer support in deprived wards", "", None,
         "March 2018", "", "", "", ""],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    # The lead agency of IM3 and IM4 is one merged cell, as boards often do.
    sheet.merge_cells("E9:E10")
    sheet["F6"].number_format = "dd/mm/yyyy"
    book.save(HERE / "messy_plan.xlsx")


def problem_plan() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Action", "Lead officer", "Target date", "RAG", "Status"])
    rows = [
        ["P1", "Train midwives", "Jo Bloggs", "31/13/2017", "Purple", "Open"],
        ["P2", "Audit referrals", "No Such Person", "2017-03-31", "R", "Open"],
        ["P2", "Audit referrals again", "Jo Bloggs", "31/03/2017", "G", "Open"],
        ["P4", "", "Jo Bloggs", "31/03/2017", "G", "Sleeping"],
        ["P5", "Fine row", "Jo Bloggs", "31/03/2017", "", "Open"],
    ]
    for row in rows:
        sheet.append(row)
    book.save(HERE / "problem_plan.xlsx")


def recommendations() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Recommendations of the peer review"])
    sheet.append(["Ref", "Recommendation", "Level", "Themes", "Boards"])
    sheet.append(
        ["R1", "Screen for carbon monoxide at booking.", "Local", "Smoking; Pregnancy", "tscp"]
    )
    sheet.append(["R2", "Share CDOP data across the footprint.", "Sub-regional", "CDOP data", ""])
    book.save(HERE / "recommendations.xlsx")


if __name__ == "__main__":
    messy_plan()
    problem_plan()
    recommendations()
    # A PNG (its first bytes are enough) saved with a spreadsheet's name.
    (HERE / "picture.xlsx").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    )
