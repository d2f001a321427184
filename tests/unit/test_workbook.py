"""The shared spreadsheet look: header, filters, frozen row, RAG as word and fill."""

from datetime import date

from openpyxl import load_workbook

from tracker.common.workbook import RAG_FILLS, new_workbook, to_bytes, write_table


def test_a_table_has_a_frozen_filtered_header_and_rag_words_with_their_fill(tmp_path):
    book = new_workbook()
    count = write_table(
        book.active,
        ["Reference", "Due", "RAG"],
        [("A1", date(2027, 3, 31), "red"), ("A2", None, "On track")],
        rag_column="RAG",
    )
    path = tmp_path / "t.xlsx"
    path.write_bytes(to_bytes(book))

    sheet = load_workbook(path).active
    assert count == 2
    assert [c.value for c in sheet[1]] == ["Reference", "Due", "RAG"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet["C2"].value == "Off track"
    assert sheet["C2"].fill.start_color.rgb.endswith(RAG_FILLS["red"][0])
    assert sheet["C3"].value == "On track"
    assert sheet["C3"].fill.start_color.rgb.endswith(RAG_FILLS["green"][0])
    assert sheet["B2"].value.date() == date(2027, 3, 31)
    assert sheet["B2"].number_format == "dd/mm/yyyy"


def test_an_empty_table_still_has_its_header():
    book = new_workbook()
    assert write_table(book.active, ["Reference"], []) == 0
    assert book.active["A1"].value == "Reference"
