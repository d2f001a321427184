"""The exports' CSV writer writes exactly what the standard library's csv.writer writes."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from tracker.common.csvtext import csv_text

# Text heavy in the characters CSV treats specially, and the rest of Unicode besides.
texts = st.text(alphabet=st.one_of(st.sampled_from(",\"\r\n \t\x00;'\ufeff"), st.characters()))
cells = st.one_of(texts, st.none(), st.integers(), st.floats(), st.booleans())


def standard(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@given(st.lists(st.lists(cells, min_size=1, max_size=6), max_size=5))
def test_the_text_is_csv_writers(rows):
    assert csv_text(rows) == standard(rows)


def test_cells_that_need_quotes_get_them():
    rows = [["A1", 'Say "no"', "a, b", "two\nlines", None, 75, ""], [""]]

    assert csv_text(rows) == 'A1,"Say ""no""","a, b","two\nlines",,75,\r\n""\r\n'
    assert csv_text(rows) == standard(rows)
