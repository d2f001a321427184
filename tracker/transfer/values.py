"""Reading the values people type into action plans: dates, RAG ratings, statuses, percentages.

Each reader takes a cell as openpyxl or the CSV reader gives it (a string, a number, a date or a
datetime) and returns the value Assure stores, or raises ``BadValue`` whose message says what is
wrong and how to write it instead. Some readers add a note when they had to guess (a month
without a day is read as the month's last day, and the person is told so).
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date, datetime, timedelta

from tracker.actions.rag import AMBER, BLUE, GREEN, RED

# Excel counts days from 30 December 1899 (its 1900 leap-year bug included); serials between
# these bounds are dates from 1954 to 2119, which covers every plan while leaving room for
# plain numbers such as "3" not to be taken for dates.
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_MIN, SERIAL_MAX = 20000, 80000
DATE_EXAMPLE = "31/03/2027"


class BadValue(ValueError):
    """A cell Assure cannot read; the message is written for the person fixing the file."""


def text_of(cell) -> str:
    """The cell as trimmed text ("" for an empty cell); whole numbers lose their ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell)
    return (re.sub(r"[ \t]+\n", "\n", text) if "\n" in text else text).strip()


MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{2}|\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?[\s\-]+(\d{2}|\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(
            f"'{original}' is not a date. Write it like {DATE_EXAMPLE} (day/month/year)."
        ) from None


def read_date(cell) -> tuple[date | None, str | None]:
    """The date in the cell and a note if it was a guess; (None, None) for an empty cell.

    Accepts Excel dates and serial numbers, 31/03/2017, 31.03.17, 31-3-2017, 2017-03-31,
    31 March 2017, 31 Mar 2017, and a month alone ("March 2017"), read as its last day.
    """
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None, None
    if isinstance(cell, datetime):
        return cell.date(), None
    if isinstance(cell, date):
        return cell, None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if SERIAL_MIN <= cell <= SERIAL_MAX:
            return EXCEL_EPOCH + timedelta(days=int(cell)), None
        raise BadValue(f"'{text_of(cell)}' is not a date. Write it like {DATE_EXAMPLE}.")
    original = text_of(cell)
    text = original.lower()
    if text.isdigit() and SERIAL_MIN <= int(text) <= SERIAL_MAX:
        return EXCEL_EPOCH + timedelta(days=int(text)), None
    if match := _NUMERIC.match(text):
        day, month, year = match.groups()
        return _make(_year(year), int(month), int(day), original), None
    if match := _ISO.match(text):
        year, month, day = match.groups()
        return _make(int(year), int(month), int(day), original), None
    if (match := _WORDS.match(text)) and match.group(2) in MONTHS:
        day, month, year = match.groups()
        return _make(_year(year), MONTHS[month], int(day), original), None
    if (match := _MONTH_YEAR.match(text)) and match.group(1) in MONTHS:
        month, year = MONTHS[match.group(1)], _year(match.group(2))
        last = _make(year, month, calendar.monthrange(year, month)[1], original)
        return last, f"'{original}' has no day, so it is read as {last:%d/%m/%Y}, the month's end."
    raise BadValue(f"'{original}' is not a date. Write it like {DATE_EXAMPLE} (day/month/year).")


# Words, letters and colours boards use for their ratings; "BRAG" plans add blue for done.
RAG_WORDS = {
    RED: ("red", "r", "off track", "not on track", "behind", "behind schedule"),
    AMBER: ("amber", "a", "at risk", "yellow", "y", "orange", "some concerns"),
    GREEN: ("green", "g", "on track", "on target", "on schedule"),
    BLUE: ("blue", "b", "complete", "completed", "done", "achieved", "closed"),
}
_RAG_BY_WORD = {word: rag for rag, words in RAG_WORDS.items() for word in words}


def read_rag(cell) -> str | None:
    """``red``, ``amber``, ``green`` or ``blue`` from a word, a letter or a colour."""
    text = re.sub(r"[\s_\-/]+", " ", text_of(cell).lower()).strip(" .")
    if not text:
        return None
    if text in _RAG_BY_WORD:
        return _RAG_BY_WORD[text]
    # "Green - on track", "Amber (at risk)": the first word decides.
    first = re.split(r"[\s(:,]", text, maxsplit=1)[0]
    if first in _RAG_BY_WORD and len(first) > 1:
        return _RAG_BY_WORD[first]
    raise BadValue(
        f"'{text_of(cell)}' is not a RAG rating. "
        "Write Off track, At risk, On track or Complete "
        "(or R, A, G, B, or Red, Amber, Green, Blue)."
    )


def read_progress(cell) -> int | None:
    """A whole percentage from 0 to 100; Excel's 0.5 formatted as 50% counts as 50."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = cell * 100 if 0 < cell < 1 else cell
    else:
        text = text_of(cell).rstrip("%").strip()
        try:
            value = float(text)
        except ValueError:
            value = -1
    if not (0 <= value <= 100) or value != round(value):
        raise BadValue(
            f"'{text_of(cell)}' is not a percentage. Write a whole number from 0 to 100."
        )
    return int(value)


# Workflows are loaded once per app and never change: their names are worked out once each.
@functools.lru_cache(maxsize=32)
def status_names(workflow) -> dict[str, str]:
    """The workflow's states by every name a person might write: label and internal name."""
    names = {}
    for state in workflow.states.values():
        for name in (state.label, state.name, state.name.replace("_", " ")):
            names[_key(name)] = state.name
    names.setdefault(_key("complete"), "completed" if "completed" in workflow.states else "")
    names.setdefault(_key("not started"), "open" if "open" in workflow.states else "")
    names.setdefault(_key("ongoing"), "in_progress" if "in_progress" in workflow.states else "")
    return {k: v for k, v in names.items() if v}


def read_status(cell, workflow) -> str | None:
    """The workflow state named in the cell (by its label, such as "In progress")."""
    text = text_of(cell)
    if not text:
        return None
    found = status_names(workflow).get(_key(text))
    if found is None:
        labels = ", ".join(s.label for s in workflow.states.values())
        raise BadValue(f"'{text}' is not a status Assure knows. Write one of: {labels}.")
    return found


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
