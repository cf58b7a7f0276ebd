"""Formula injection: free text that starts like a formula is exported as text, never as a
live formula, in CSV and XLSX (reports/formula.py)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from repairdesk.reports.csv_out import to_csv
from repairdesk.reports.formula import neutral
from repairdesk.reports.sections import Money, Section
from repairdesk.reports.xlsx import to_xlsx

TZ = ZoneInfo("Asia/Shanghai")
HOSTILE = ('=HYPERLINK("http://evil.example","点我")', "+cmd|' /C calc'!A0", "-2+3",
           "@SUM(A1:A9)", "\t=1+1", "＝1+1")


@pytest.mark.parametrize("text", HOSTILE)
def test_neutral_marks_formula_starts(text: str):
    assert neutral(text) == "'" + text
    assert neutral("3-2-1501") == "3-2-1501" and neutral("水管漏水") == "水管漏水"
    for harmless in ("-", "-12.50", "+3", "-5%"):  # "none" and signed numbers stay as they are
        assert neutral(harmless) == harmless


def _section() -> Section:
    rows = tuple((text, Money(Decimal("-12.50")), -3) for text in HOSTILE)
    return Section("=title", ("=header", "金额", "n"), rows, note="+note")


def test_csv_cells_are_text():
    data = to_csv([_section()], TZ).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(data)) for c in row if c]
    starts = [c for c in cells if c.startswith(("=", "+", "@", "\t")) or
              (c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit())]
    assert starts == [], starts
    assert "-12.50" in cells and "-3" in cells  # numbers stay numbers


def test_xlsx_has_no_formula_cell():
    from openpyxl import load_workbook

    data = to_xlsx([_section()], _section(), TZ, table_name="t", list_name="l")
    wb = load_workbook(io.BytesIO(data))
    seen = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                seen.append(cell.value)
    for text in HOSTILE:
        assert text in seen  # shown exactly as typed
    assert Decimal("-12.50") in seen or -12.5 in seen


def test_report_month_xlsx_from_the_cli(cli, tmp_path):
    from openpyxl import load_workbook

    from holding import hold_book

    for name, role in (("李静", "clerk"), ("张建国", "technician")):
        assert cli("staff", "add", name, "--role", role).code == 0
    hold_book(cli.db_path)
    r = cli("ticket", "add", "--room", "3-2-1501", "--caller", "@王先生",
            "--content", '=HYPERLINK("http://evil.example","点我")', "--category", "水",
            "--by", "李静")
    assert r.code == 0, r.stderr
    no = r.stdout.strip()
    assert cli("ticket", "void", no, "--reason", "+cmd|' /C calc'!A0", "--by", "李静").code == 0
    month = datetime.now(TZ).strftime("%Y-%m")
    target = tmp_path / "m.xlsx"
    r = cli("report", "month", month, "--format", "xlsx", "--out", str(target))
    assert r.code == 0, r.stderr
    wb = load_workbook(target)
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert '=HYPERLINK("http://evil.example","点我")' in values
    r = cli("report", "month", month, "--format", "csv")
    assert r.code == 0, r.stderr
    assert ",'+cmd|" in r.stdout and ",+cmd|" not in r.stdout  # the void reason
