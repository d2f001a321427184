"""Reading messy spreadsheets: title rows, blank and repeated header rows, merged cells,
Excel dates, Windows CSVs, and the files that are refused with a reason."""

from datetime import date, datetime
from pathlib import Path

import pytest

from tracker.transfer.reading import UnreadableFile, read_table, read_upload

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def read(name: str, **kwargs):
    return read_table((DATA / name).read_bytes(), name, **kwargs)


def test_a_messy_workbook_reads_as_the_rows_a_person_sees():
    table = read("messy_plan.xlsx")

    assert table.header_row == 4  # below the merged title, a note and a blank row
    assert table.headers[0] == "Action Ref"  # the trailing space trimmed
    # The blank row 7 and the header repeated on row 8 are left out; numbers are the sheet's.
    assert [number for number, _ in table.rows] == [5, 6, 9, 10]
    assert table.skipped_repeats == 1
    rows = dict(table.rows)
    assert rows[5][0] == "IM1"
    assert rows[5][2] == "Offer CO screening at booking"
    assert rows[5][5] == 42825  # an Excel serial number, read by values.read_date
    assert rows[6][5] == datetime(2017, 6, 30)
    # The lead agency merged over rows 9 and 10 belongs to both.
    assert rows[9][4] == rows[10][4] == "Pennine Care"


def test_a_windows_csv_with_semicolons_and_cp1252_characters():
    table = read("windows_plan.csv")

    assert table.headers[:3] == ["No.", "Action", "Lead"]
    assert [number for number, _ in table.rows] == [2, 4]  # the row of empty cells skipped
    assert table.rows[0][1][1] == "Fund peer support – £5,000"


def test_a_utf8_csv_with_a_byte_order_mark(tmp_path):
    data = "\ufeffReference,Action,Target date\nA1,Train staff,31/03/2027\n".encode()
    table = read_table(data, "plan.csv")
    assert table.headers == ["Reference", "Action", "Target date"]
    assert table.rows == [(2, ["A1", "Train staff", "31/03/2027"])]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("picture.xlsx", (DATA / "picture.xlsx").read_bytes(), "is not a spreadsheet"),
        ("notes.xlsx", b"PK\x03\x04 this is not really a zip", "is not a spreadsheet Assure can"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel (.xls)"),
        ("empty.csv", b"  \n", "is empty"),
        (
            "letter.csv",
            b"Dear board,\nplease find attached our plan.\n",
            "could not find the header",
        ),
    ],
)
def test_files_that_are_not_plans_are_refused_with_what_to_do(name, data, words):
    with pytest.raises(UnreadableFile) as caught:
        read_table(data, name)
    assert words in str(caught.value)
    assert name in str(caught.value)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_bytes(b"Ref,Action\n" + b"A1,Something to do\n" * 700_000)

    with pytest.raises(UnreadableFile) as caught:
        read_table(path.read_bytes(), "huge.csv")

    assert "huge.csv is 12.7 MB; Assure imports files up to 10 MB" in str(caught.value)


def test_a_file_over_the_row_limit_is_refused(tmp_path):
    rows = "".join(f"A{n},Action {n}\n" for n in range(21_000))

    with pytest.raises(UnreadableFile, match="long.csv has more than 20,000 rows; Assure imports"):
        read_table(("Ref,Action\n" + rows).encode(), "long.csv")


def test_a_workbook_over_the_row_limit_is_refused():
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Ref", "Action"])
    for n in range(120):
        book.active.append([f"A{n}", "Something"])
    buffer = BytesIO()
    book.save(buffer)

    with pytest.raises(
        UnreadableFile,
        match="plan.xlsx has more than 50 rows; Assure imports up to 50 rows at a time",
    ):
        read_table(buffer.getvalue(), "plan.xlsx", max_rows=50)


def test_the_app_s_limits_come_from_its_settings(app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 2048)
    with app.app_context(), pytest.raises(UnreadableFile, match="is 5 KB; .* up to 2 KB"):
        read_upload(b"Ref,Action\n" + b"A1,xxxxxxxxxx\n" * 365, "plan.csv")


def test_samples_show_the_first_values_of_a_column():
    table = read("messy_plan.xlsx")
    assert table.samples(0) == ["IM1", "IM2", "IM3"]
    assert date(2017, 6, 30) <= table.samples(5)[1].date()


def _non_blank(grid):
    rows = []
    for number, cells in grid:
        cells = list(cells)
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            rows.append((number, cells))
    return rows


@pytest.mark.parametrize("name", ["messy_plan.xlsx", "problem_plan.xlsx", "recommendations.xlsx"])
def test_the_fast_reader_reads_what_openpyxl_reads(name):
    from tracker.transfer.reading import _openpyxl_rows, _xlsx_rows

    data = (DATA / name).read_bytes()

    fast, fast_sheet = _xlsx_rows(data, name, 1000)
    slow, slow_sheet = _openpyxl_rows(data, name, 1000)

    assert fast_sheet == slow_sheet
    assert _non_blank(fast) == _non_blank(slow)


def test_a_workbook_the_fast_reader_does_not_understand_is_read_by_openpyxl(monkeypatch):
    from tracker.transfer import reading, xlsx

    def refuse(*args):
        raise xlsx.NotUnderstood("test")

    monkeypatch.setattr(reading, "read_first_sheet", refuse)

    table = read("messy_plan.xlsx")

    assert [number for number, _ in table.rows] == [5, 6, 9, 10]
