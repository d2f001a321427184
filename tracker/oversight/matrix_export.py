"""The review-wide matrix as a spreadsheet, in the look every Assure workbook shares.

Sheet "Matrix": one row per recommendation, a column per board holding the cell's state word
(filled with its colour, the word first), then the row's completion; under the table, a row of
each board's completion. Sheet "Key": what each state means.
"""

from __future__ import annotations

from datetime import date

from openpyxl.styles import Font, PatternFill

from tracker.common.workbook import fill_rag, new_workbook, to_bytes, write_table
from tracker.oversight.matrix import Matrix
from tracker.oversight.matrix_cells import (
    NOT_STARTED,
    STATE_LABELS,
    STATE_MEANINGS,
    STATES,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# GOV.UK Frontend's grey tag, as on the page; "Not adopted" stays plain there and here.
GREY_FILL = ("E5E6E7", "282D30")
ROW_HEADERS = ("Ref", "Recommendation", "Level", "Themes")
TOTAL_HEADERS = ("Complete", "Actions", "% complete")
BOARD_TOTAL = "Completion by board"


def matrix_workbook(matrix: Matrix, today: date) -> bytes:
    """The XLSX file of ``matrix`` (RAG as of ``today``)."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "Matrix"
    board_names = [board.name for board in matrix.boards]
    headers = [*ROW_HEADERS, *board_names, *TOTAL_HEADERS]
    rows = [
        [
            row.recommendation.ref,
            row.recommendation.text,
            row.recommendation.level_label,
            ", ".join(theme.name for theme in row.recommendation.themes),
            *(cell.label for cell in row.cells),
            row.completion.complete,
            row.completion.live,
            row.completion.percent,
        ]
        for row in matrix.rows
    ]
    count = write_table(sheet, headers, rows, wrap=("Recommendation",))
    first_board = len(ROW_HEADERS) + 1
    for row in sheet.iter_rows(
        min_row=2,
        max_row=count + 1,
        min_col=first_board,
        max_col=first_board + len(board_names) - 1,
    ):
        for cell in row:
            _fill_state(cell)
    if matrix.rows:
        # Below the table (outside its filter), so that sorting the rows leaves it in place.
        sheet.append([])
        sheet.append(
            [
                "",
                BOARD_TOTAL,
                "",
                "",
                *(total.text for total in matrix.board_completion),
                matrix.completion.complete,
                matrix.completion.live,
                matrix.completion.percent,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.oddFooter.left.text = f"{matrix.review.title}: RAG as of {today:%d/%m/%Y}"

    key = workbook.create_sheet("Key")
    write_table(
        key,
        ["State", "Meaning"],
        [[STATE_LABELS[state], STATE_MEANINGS[state]] for state in STATES],
        wrap=("Meaning",),
    )
    for (cell,) in key.iter_rows(min_row=2, max_row=len(STATES) + 1, max_col=1):
        _fill_state(cell)
    return to_bytes(workbook)


def _fill_state(cell) -> None:
    if cell.value == STATE_LABELS[NOT_STARTED]:
        background, text = GREY_FILL
        cell.fill = PatternFill("solid", start_color=background, end_color=background)
        cell.font = Font(color=text)
    else:
        fill_rag(cell)  # a RAG word gets its colour; "Not adopted" stays plain
