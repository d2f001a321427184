"""``flask export actions``: each format, standard output, and each way to get it wrong."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from tests.integration import transfer_support
from tracker.commands import export_actions as command
from tracker.transfer.columns import PLAN_HEADERS

clock, plan = transfer_support.clock, transfer_support.plan  # fixtures


def export(runner, *args):
    return runner.invoke(args=["export", "actions", *args])


def test_xlsx_to_a_file(runner, plan, tmp_path):
    target = tmp_path / "plan.xlsx"

    result = export(runner, "--board", "TSCP", "--format", "xlsx", "--output", str(target))

    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote tscp's plan (5 actions) as XLSX to {target}.\n"
    sheet = load_workbook(target)["Action plan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == PLAN_HEADERS
    assert [row[0] for row in rows[1:]] == ["A1.1", "A1.2", "A2.1", "A2.2", "A3"]
    assert load_workbook(target)["About"]["B3"].value == "The command line (flask export actions)"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]  # no temporary file left


def test_csv_to_standard_output(runner, plan):
    result = export(runner, "--board", "tscp", "--format", "csv", "--output", "-")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert tuple(rows[0]) == PLAN_HEADERS and len(rows) == 6
    assert result.stderr == "Wrote tscp's plan (5 actions) as CSV to standard output.\n"


def test_json_archive_with_the_format_taken_from_the_file_name(runner, plan, tmp_path):
    target = tmp_path / "tscp.json"

    result = export(runner, "--board", "tscp", "--output", str(target))

    assert result.exit_code == 0, result.output
    assert "Wrote tscp's archive (5 actions) as JSON" in result.output
    archive = json.loads(target.read_text(encoding="utf-8"))
    assert archive["exported_by"] == "The command line (flask export actions)"
    assert len(archive["actions"]) == 5 and len(archive["updates"]) == 4


def test_an_existing_file_is_replaced_and_the_message_says_so(runner, plan, tmp_path):
    target = tmp_path / "plan.csv"
    target.write_text("old")

    result = export(runner, "--board", "tscp", "--output", str(target))

    assert result.exit_code == 0, result.output
    assert result.output.endswith("(replacing the file that was there).\n")
    assert target.read_text(encoding="utf-8-sig").startswith("Reference,")


def test_an_unknown_board_exits_1_naming_the_known_boards(runner, plan, tmp_path):
    target = tmp_path / "plan.csv"

    result = export(runner, "--board", "nope", "--output", str(target))

    assert result.exit_code == 1
    assert "There is no board with the reference 'nope'. Known boards: tscp." in result.output
    assert not target.exists()


def test_a_bad_format_exits_2(runner, plan, tmp_path):
    result = export(runner, "--board", "tscp", "--format", "pdf", "--output", "x.pdf")

    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output
    assert "'xlsx', 'csv', 'json'" in result.output


def test_no_format_and_a_name_that_does_not_say_exits_2(runner, plan, tmp_path):
    result = export(runner, "--board", "tscp", "--output", str(tmp_path / "plan.txt"))

    assert result.exit_code == 2
    assert "Give --format xlsx, csv or json" in result.output


def test_xlsx_to_standard_output_exits_2(runner, plan):
    result = export(runner, "--board", "tscp", "--format", "xlsx", "--output", "-")

    assert result.exit_code == 2
    assert "cannot go to standard output" in result.output


def test_a_missing_directory_exits_1(runner, plan, tmp_path):
    missing = tmp_path / "not-there"

    result = export(runner, "--board", "tscp", "--output", str(missing / "plan.csv"))

    assert result.exit_code == 1
    assert f"The directory {missing} does not exist: create it first" in result.output
    assert not missing.exists()


def test_a_directory_as_output_exits_1(runner, plan, tmp_path):
    result = export(runner, "--board", "tscp", "--format", "csv", "--output", str(tmp_path))

    assert result.exit_code == 1
    assert f"{tmp_path} is a directory: give a file name inside it" in result.output


def test_a_directory_that_cannot_be_written_exits_1(runner, plan, tmp_path, monkeypatch):
    # The suite may run as root, whom file modes do not stop: ask os.access to say no.
    monkeypatch.setattr(command.os, "access", lambda path, mode: False)

    result = export(runner, "--board", "tscp", "--output", str(tmp_path / "plan.csv"))

    assert result.exit_code == 1
    assert f"Cannot write {tmp_path / 'plan.csv'}: permission denied." in result.output


def test_a_failed_write_leaves_neither_half_a_file_nor_a_temporary_one(
    runner, plan, tmp_path, monkeypatch
):
    target = tmp_path / "plan.csv"
    target.write_text("the old export")

    def disk_full(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(command.os, "replace", disk_full)

    result = export(runner, "--board", "tscp", "--output", str(target))

    assert result.exit_code == 1
    assert f"Could not write {target}: No space left on device." in result.output
    assert target.read_text() == "the old export"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]
