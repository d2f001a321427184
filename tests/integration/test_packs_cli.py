"""``flask export pack``: the latest issued version, a draft when there is none, ``--issue``,
and a clear message and a non-zero exit for each way to get it wrong."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.integration.packs_world import pack_world_for
from tracker.actions import services as actions
from tracker.oversight.packs.models import MeetingPack
from tracker.oversight.packs.services import issue_pack, pack_pdf


@pytest.fixture
def pack_world(request):
    with pack_world_for(request) as world:
        yield world


def export(runner, *extra, board="tscp", meeting="2027-03-20"):
    return runner.invoke(args=["export", "pack", "--board", board, "--meeting", meeting, *extra])


def versions(session) -> int:
    return session.scalar(select(func.count(MeetingPack.id)))


def test_without_an_issued_version_it_writes_a_draft_and_says_so(pack_world, runner, tmp_path):
    output = tmp_path / "pack.csv"

    result = export(runner, "--format", "csv", "--output", str(output))

    assert result.exit_code == 0, result.output
    assert "No version has been issued: wrote a draft of the pack" in result.stderr
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == ["A1", "A2", "A3", "A4", "A6"]


def test_it_writes_the_latest_issued_version_as_issued(pack_world, runner, session, tmp_path):
    issue_pack(None, pack_world.meeting, channel="cli")
    latest = issue_pack(None, pack_world.meeting, channel="cli")
    session.commit()
    actions.edit_action(None, pack_world.actions["A1"], title="Changed since", channel="cli")
    session.commit()
    output = tmp_path / "pack.pdf"

    result = export(runner, "--format", "pdf", "--output", str(output))

    assert result.exit_code == 0, result.output
    assert "Wrote version 2 of the pack" in result.stderr
    assert output.read_bytes() == pack_pdf(latest)
    xlsx = tmp_path / "pack.xlsx"
    assert export(runner, "--format", "xlsx", "--output", str(xlsx)).exit_code == 0
    titles = [row[2].value for row in load_workbook(xlsx)["Actions"].iter_rows(min_row=2)]
    assert "Changed since" not in titles and "Action A1" in titles


def test_issue_issues_a_new_version_and_writes_it(pack_world, runner, session, tmp_path):
    output = tmp_path / "pack.pdf"

    result = export(runner, "--format", "pdf", "--output", str(output), "--issue")

    assert result.exit_code == 0, result.output
    assert "Issued version 1 of the pack" in result.stderr
    assert versions(session) == 1
    text = PdfReader(output).pages[0].extract_text()
    assert "Tameside Safeguarding Children Partnership" in text
    html = tmp_path / "pack.html"
    assert export(runner, "--format", "html", "--output", str(html), "--issue").exit_code == 0
    assert versions(session) == 2
    assert ">2, issued" in html.read_text()


def test_an_unknown_board_is_refused_naming_the_known_ones(pack_world, runner, tmp_path):
    result = export(runner, "--format", "csv", "--output", str(tmp_path / "x"), board="nope")

    assert result.exit_code == 1
    assert "There is no board with the reference 'nope'" in result.output
    assert "tscp" in result.output


def test_no_meeting_that_day_lists_the_boards_meeting_dates(pack_world, runner, tmp_path):
    result = export(
        runner, "--format", "csv", "--output", str(tmp_path / "x"), meeting="2027-03-21"
    )

    assert result.exit_code == 1
    assert "has no meeting on 2027-03-21. Its meetings: 2027-03-20." in result.output
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--meeting", "20/03/2027"], "is not a date; write it as YYYY-MM-DD"),
        (["--format", "docx"], "'docx' is not one of 'html', 'pdf', 'xlsx', 'csv'"),
    ],
)
def test_bad_dates_and_formats_are_refused(pack_world, runner, tmp_path, args, message):
    values = {"--meeting": "2027-03-20", "--format": "csv"}
    values.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = runner.invoke(
        args=[
            "export",
            "pack",
            "--board",
            "tscp",
            *[part for pair in values.items() for part in pair],
            "--output",
            str(tmp_path / "x"),
        ]
    )

    assert result.exit_code == 2
    assert message in result.output


def test_an_unwritable_output_is_refused_and_nothing_is_issued(
    pack_world, runner, session, tmp_path
):
    output = tmp_path / "missing-folder" / "pack.pdf"

    result = export(runner, "--format", "pdf", "--output", str(output), "--issue")

    assert result.exit_code == 1
    assert f"Cannot write {output}" in result.output
    assert versions(session) == 0
